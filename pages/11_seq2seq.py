"""Lesson 11 — the original Transformer: an encoder reads a date, a decoder writes it as ISO, reading the encoder
through cross-attention; step through the decoding, knock the cross-attention out, replay how the alignment
formed, and compare a decoder-only twin doing the same job (ui/seq2seq_view.py draws each section)."""

import streamlit as st

from model.seq2seq import source_limit
from training import dates
from ui import seq2seq_view as view
from ui.lesson import begin, explain
from ui.pages import next_lesson
from ui.state import cached_trace, kept, show_error, t
from viz.labels import token_code


def stop(key: str, **params) -> None:
    """Bad input: say what to do, and stop."""
    st.warning(t(key, **params), icon="✍️")
    next_lesson("seq2seq")
    st.stop()


language = begin("seq2seq.title")
models = view.date_models()
if models is None:
    st.stop()
lm, twin = models
about = st.container()

examples = [dates.write(dates.EXAMPLE_DATE, form) for form in dates.FORMS]
kept("_seq2seq.source", examples[-1] if language == "zh" else examples[2])
left, right = st.columns([3, 2])
left.text_input(t("seq2seq.source"), key="_seq2seq.source", max_chars=200)


def _example() -> None:
    picked = st.session_state.get("_seq2seq.example")
    if picked:
        st.session_state["_seq2seq.source"] = picked
    st.session_state["_seq2seq.example"] = None


right.selectbox(
    t("seq2seq.examples"), examples, index=None, key="_seq2seq.example", on_change=_example, placeholder="…"
)
source = st.session_state["_seq2seq.source"].strip()
if not source:
    stop("seq2seq.empty")
tokens = lm.tokenizer(source)["input_ids"]
if len(tokens) > source_limit(lm):
    stop("seq2seq.too_long", model=lm.display_name, n=len(source), limit=source_limit(lm) - (len(tokens) - len(source)))
try:
    tr = cached_trace(lm.name, source)
except Exception as err:  # noqa: BLE001 — every failure becomes a message, never a traceback
    show_error(err)
    st.stop()

view.familiar(lm, source, examples)
st.markdown(t("seq2seq.output", model=lm.display_name, output=token_code(tr.output)))

notice, layer, head, month = view.views_notice(tr)
with about:
    what = t(
        "seq2seq.what",
        model=lm.display_name,
        enc_layers=len(lm.parts.encoder_blocks),
        dec_layers=len(lm.parts.blocks),
        heads=int(lm.config.num_attention_heads),
    )
    zh_source = dates.write(dates.EXAMPLE_DATE, "zh_numerals")
    digit = token_code(tr.tokens[view.month_row(tr) + 1])
    try_this = t(
        "seq2seq.views.try",
        layer=layer,
        head=head,
        digit=digit,
        month=month,
        zh_source=zh_source,
        output="`1921-03-03`",
    )
    explain(what, notice, try_this)

view.views(tr, language, (layer, head))
view.steps(tr, lm, layer, head, language)
view.knock(lm, source, language)
view.history(lm, language)
view.gpt_bridge(tr, twin, source, layer, head, language)
next_lesson("seq2seq")
