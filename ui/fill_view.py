"""The next-token lesson on a masked-language model (TinyTales MLM): it fills a [MASK] instead of continuing.

The prompt's own [MASK]s are filled; a prompt without one has a token hidden (the user picks which) and the
model asked for it back, with the hidden token's rank beside the bars.
"""

from __future__ import annotations

import streamlit as st

from model.fill import Fill, fill_masks, hide_token
from model.load import LoadedModel
from model.tokens import token_texts
from model.types import Trace
from ui.lesson import chart, explain, pick_token
from ui.state import t
from viz import next_token as vn
from viz.labels import pct, visible

BARS = 10
EXAMPLE = "The king said to the [MASK], “Go and bring me the golden apple.”"  # the try-this sentence


def _use_example() -> None:
    st.session_state["prompt"] = EXAMPLE


def _slot(lm: LoadedModel, tr: Trace) -> Fill:
    """The slot the page shows: a typed [MASK] (the first, or the one picked), else a token the user hides."""
    fills = fill_masks(lm, tr, BARS)
    if len(fills) > 1:
        at = st.selectbox(
            t("next_token.fill.which"), range(len(fills)), format_func=lambda i: f"[MASK] {i + 1}", key="fill_which"
        )
        return fills[at]
    if fills:
        return fills[0]
    return hide_token(lm, tr, pick_token(tr, t("next_token.fill.hide")), BARS)


def fill_page(lm: LoadedModel, tr: Trace, L: str) -> None:
    about = st.container()
    fill = _slot(lm, tr)
    tokens = token_texts(lm, fill.ids)
    best = vn.md_token(tokens[0])
    if fill.original is None:
        notice = t("next_token.fill.notice.typed", model=tr.model_name, best=best, p=pct(fill.probs[0]))
        original_at, title = None, t("next_token.fill.title.typed")
    else:
        hidden = vn.md_token(token_texts(lm, [fill.original])[0])
        notice = t(
            "next_token.fill.notice.hidden",
            model=tr.model_name,
            hidden=hidden,
            best=best,
            p=pct(fill.probs[0]),
            rank=fill.rank,
            hidden_p=pct(fill.original_prob),
            vocab=tr.vocab_size,
        )
        original_at = next((i for i, token in enumerate(fill.ids) if token == fill.original), None)
        title = t("next_token.fill.title.hidden", token=visible(token_texts(lm, [fill.original])[0]))
    with about:
        explain(t("next_token.fill.what", vocab=tr.vocab_size), notice, t("next_token.fill.try", example=EXAMPLE))
    st.button(t("next_token.fill.example"), key="fill_example", on_click=_use_example)
    chart(vn.fill_figure(tokens, fill.probs, original_at, title, L), key="fill_bars")
    st.caption(t("next_token.fill.caption"))
