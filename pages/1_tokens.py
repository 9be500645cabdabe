"""Lesson 1 — tokens: how the prompt is cut into pieces, and the numbers the model receives."""

import streamlit as st

from model.tokens import tokenize
from ui.lesson import chart, explain, start
from ui.pages import next_lesson
from ui.state import BUNDLED_MODELS, cached_tokenizer, current_model, show_error, t, t_model, value
from viz import tokens as vt

tr, L = start("tokens.title")
counts = vt.count(tr.prompt, tr.offsets)
split_note = t("tokens.split_note", n=counts.split_characters) if counts.split_characters else t("tokens.no_split")
explain(
    t("tokens.what"),
    t(
        "tokens.notice",
        chars=counts.characters,
        bytes=counts.bytes,
        tokens=counts.tokens,
        model=tr.model_name,
        ratio=counts.chars_per_token,
        split_note=split_note,
    ),
    t_model("tokens.try"),
)

st.subheader(t("tokens.chips"))
st.markdown(vt.chips_html(tr.tokens, tr.token_ids), unsafe_allow_html=True)
st.caption(t("tokens.legend"))

st.subheader(t("tokens.table"))
st.dataframe(vt.token_rows(tr.tokens, tr.token_ids, tr.token_bytes, tr.offsets, L), hide_index=True, height=260)

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
    my_scheme = current_model().token_scheme
    st.markdown(
        t(
            "tokens.compare.explain",
            a=tr.model_name,
            a_scheme=t(f"tokens.scheme.{my_scheme}"),
            b=loaded[-1][2],
            b_scheme=t(f"tokens.scheme.{loaded[-1][1]}"),
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
        name: vt.count(tr.prompt, o.offsets) for (_, _, name), o in zip(loaded, split, strict=True)
    }
    chart(vt.length_figure(lengths, L), key="lengths")
except Exception as err:  # noqa: BLE001 — the comparison is optional; the lesson goes on
    show_error(err)

st.subheader(t("tokens.onehot"))
pick = st.selectbox(
    t("tokens.onehot.pick"),
    range(tr.n_tokens),
    index=tr.n_tokens - 1,
    format_func=lambda i: f"{i}: {vt.visible(tr.tokens[i])}",
)
st.markdown(
    t(
        "tokens.onehot.explain",
        token=f"`{vt.visible(tr.tokens[pick])}`",
        id=int(tr.token_ids[pick]),
        vocab=tr.vocab_size,
    )
)
chart(vt.one_hot_figure(int(tr.token_ids[pick]), tr.vocab_size, tr.tokens[pick], L), key="onehot")
next_lesson("tokens")
