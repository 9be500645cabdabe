"""Lesson 8's two objectives on one sentence: next-token (every position a target) and masked (15 %, 80/10/10),
with the masked model's own guesses at the chosen positions."""

from __future__ import annotations

import streamlit as st

from lessons import t as lesson_text
from model.fill import can_fill
from model.numeric import softmax
from model.tokens import token_texts
from model.tracing import trace_ids
from training.objectives import causal_example, masked_example
from ui.lesson import chart
from ui.state import cached_model, cached_tokenizer, kept, t
from viz import next_token as vn
from viz.labels import visible

MAX_EXAMPLE_CHARS = 200  # the example: the prompt's start
BARS = 8


def masked_model(lm):
    """The masked-language model whose recipe the example shows: the loaded one if it is one, else TinyTales MLM
    for an English model; None for a Chinese one (TinyTales MLM reads English: MiniLM's WordPiece cuts the
    example instead, with no guesses)."""
    if can_fill(lm):
        return lm
    return None if lm.language == "zh" else cached_model("tinytales-mlm")


def shown(tokenizer, ids: list[int], lm=None) -> list[str]:
    """Each token as the reader sees it: its text with spaces and line breaks made visible (a lone byte as the
    model's token scheme writes it, where `lm` is given); a special token by its name ([MASK], [CLS])."""
    special = set(tokenizer.all_special_ids)
    texts = token_texts(lm, ids) if lm is not None else [tokenizer.decode([i]) for i in ids]
    return [tokenizer.convert_ids_to_tokens(i) if i in special else visible(x) for i, x in zip(ids, texts, strict=True)]


def fill_bars(filler, masked: dict, L: str) -> None:
    """What the masked model puts at the first chosen position of the example, and how many it gets right."""
    chosen = [i for i, kind in enumerate(masked["kind"]) if kind]
    if not chosen:
        return
    tr = trace_ids(filler, masked["input_id"])
    guesses = tr.logits_at(slice(None)).argmax(-1)  # (T,) its first guess everywhere
    right = sum(int(guesses[i]) == masked["label"][i] for i in chosen)
    first = chosen[0]
    probs = softmax(tr.logits_at(first))
    top = probs.argsort()[::-1][:BARS]
    original = next((k for k, i in enumerate(top) if i == masked["label"][first]), None)
    title = t(
        "learning.fill.title", model=filler.display_name, token=shown(filler.tokenizer, [masked["label"][first]])[0]
    )
    chart(vn.fill_figure(token_texts(filler, top), probs[top], original, title, L), key="learning_fill")
    st.caption(t("learning.fill.caption", model=filler.display_name, right=right, chosen=len(chosen)))


def objectives(lm, tr, L: str) -> None:
    """The two objectives on one sentence: next-token (every position a target) and masked (15 %, 80/10/10)."""
    st.subheader(t("learning.objectives"))
    st.markdown(t("learning.objectives.explain"))
    text = tr.prompt[:MAX_EXAMPLE_CHARS]
    causal_tok = lm.tokenizer if tr.is_causal else cached_tokenizer("tinytales")[0]
    filler = masked_model(lm)
    masked_tok = filler.tokenizer if filler is not None else cached_tokenizer("minilm")[0]
    kept("_learning.mask_seed", 0, lambda seed: 0 <= seed < 1000)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('learning.causal')}**")
        causal = causal_example(causal_tok, text)
        st.dataframe(
            {
                t("learning.col.input"): [visible(p) for p in causal["input"]],
                t("learning.col.target"): [visible(p) for p in causal["target"]],
                t("learning.col.label"): causal["label"],
            },
            hide_index=True,
            width="stretch",
        )
        st.caption(t("learning.causal.caption", n=len(causal["label"])))
    with right:
        st.markdown(f"**{t('learning.masked')}**")
        seed = st.number_input(t("learning.mask_seed"), 0, 999, key="_learning.mask_seed")
        masked = masked_example(masked_tok, text, seed=int(seed))
        st.dataframe(
            {
                t("learning.col.original"): shown(masked_tok, masked["original_id"], filler),
                t("learning.col.input"): shown(masked_tok, masked["input_id"], filler),
                t("learning.col.label"): masked["label"],
                t("learning.col.kind"): [lesson_text(f"learning.kind.{k}", L) if k else "" for k in masked["kind"]],
            },
            hide_index=True,
            width="stretch",
        )
        chosen = sum(1 for k in masked["kind"] if k)
        st.caption(
            t(
                "learning.masked.caption",
                chosen=chosen,
                n=len(masked["kind"]) - 2,
                mask=masked["kind"].count("mask"),
                random=masked["kind"].count("random"),
                kept=masked["kind"].count("kept"),
            )
        )
    if filler is not None:
        fill_bars(filler, masked, L)
