"""Lesson 1 — tokens: how the prompt is cut into pieces, and the numbers the model receives."""

import streamlit as st

from model.load import lowercases
from model.tokens import special_mask, tokenize
from ui.lesson import chart, explain, start
from ui.pages import next_lesson
from ui.state import BUNDLED_MODELS, cached_tokenizer, current_model, show_error, t, t_model, value
from viz import tokens as vt
from viz.labels import token_code

tr, L = start("tokens.title")
lm = current_model()
if lm is None:
    st.stop()
special = special_mask(lm.tokenizer, tr.token_ids, tr.offsets)  # (T,) [CLS], [SEP], BOS: no characters
counts = vt.count(tr.prompt, tr.offsets, special)
split_note = t("tokens.split_note", n=counts.split_characters) if counts.split_characters else t("tokens.no_split")
notice = "tokens.notice"
if tr.dropped_tokens:  # the trace holds only the part of the prompt that fits: say so, and count that part
    notice = "tokens.notice.cut_last" if tr.is_causal else "tokens.notice.cut_first"
explain(
    t("tokens.what"),
    t(
        notice,
        chars=counts.characters,
        bytes=counts.bytes,
        tokens=counts.tokens,
        model=tr.model_name,
        ratio=counts.chars_per_token,
        special=vt.special_note(tr.tokens, special, L),
        split_note=split_note,
    ),
    t_model("tokens.try.wordpiece" if lm.token_scheme == "wordpiece" else "tokens.try"),
)

st.subheader(t("tokens.chips"))
st.markdown(vt.chips_html(tr.tokens, tr.token_ids), unsafe_allow_html=True)
st.caption(t("tokens.legend"))

st.subheader(t("tokens.table"))
st.dataframe(
    vt.token_rows(tr.tokens, tr.token_ids, tr.token_bytes, tr.offsets, L, special), hide_index=True, height=260
)

st.subheader(t("tokens.compare"))
others = [m for m in BUNDLED_MODELS if m != value("model")][:2]  # two other bundled tokenizers
try:
    loaded = [cached_tokenizer(name) for name in others]  # (tokenizer, scheme, display name)
    split = [tokenize(tok, tr.prompt, scheme) for tok, scheme, _ in loaded]
    columns = st.columns(1 + len(others))
    with columns[0]:
        st.markdown(f"**{tr.model_name}**")
        st.markdown(vt.chips_html(tr.tokens, tr.token_ids), unsafe_allow_html=True)
    for column, (_, _, name), other_tok in zip(columns[1:], loaded, split, strict=True):
        with column:
            st.markdown(f"**{name}**")
            st.markdown(vt.chips_html(other_tok.tokens, other_tok.token_ids), unsafe_allow_html=True)
    (b_tok, b_scheme, b_name) = loaded[-1]
    schemes = {tr.model_name: lm.token_scheme, b_name: b_scheme}
    lower = [name for name, tok in ((tr.model_name, lm.tokenizer), (b_name, b_tok)) if lowercases(tok)]
    st.markdown(
        t(
            "tokens.compare.explain",
            a=tr.model_name,
            a_scheme=t(f"tokens.scheme.{lm.token_scheme}"),
            b=b_name,
            b_scheme=t(f"tokens.scheme.{b_scheme}"),
            how=vt.tokenizer_notes(schemes, lower, L),
        )
    )
    han = vt.han_characters(tr.prompt)
    if han:
        per_token = {tr.model_name: vt.han_per_token(tr.prompt, tr.offsets)}
        per_token |= {
            name: vt.han_per_token(tr.prompt, o.offsets) for (_, _, name), o in zip(loaded, split, strict=True)
        }
        rates = ("；" if L == "zh" else "; ").join(f"**{name}** {rate:.2f}" for name, rate in per_token.items())
        st.markdown(t("tokens.compare.han", n=han, rates=rates))
    lengths = {tr.model_name: counts} | {
        name: vt.count(tr.prompt, o.offsets, special_mask(tok, o.token_ids, o.offsets))
        for (tok, _, name), o in zip(loaded, split, strict=True)
    }
    chart(vt.length_figure(lengths, L), key="lengths")
except Exception as err:  # noqa: BLE001 — the comparison is optional; the lesson goes on
    show_error(err)

st.subheader(t("tokens.onehot"))
text_tokens = [i for i in range(tr.n_tokens) if not special[i]]
pick = st.selectbox(
    t("tokens.onehot.pick"),
    range(tr.n_tokens),
    index=text_tokens[-1] if text_tokens else tr.n_tokens - 1,  # the last token of the text, not [SEP]
    format_func=lambda i: f"{i}: {vt.visible(tr.tokens[i])}",
)
st.markdown(
    t(
        "tokens.onehot.explain",
        token=token_code(tr.tokens[pick]),
        id=int(tr.token_ids[pick]),
        vocab=tr.vocab_size,
    )
)
chart(vt.one_hot_figure(int(tr.token_ids[pick]), tr.vocab_size, tr.tokens[pick], L), key="onehot")
next_lesson("tokens")
