"""The parts every lesson page shares: its explanation and how a chart is drawn."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from model import Trace
from ui.frame import frame, presenting
from ui.state import clamp_index, current_trace, lang, t
from viz.labels import token_label
from viz.theme import PLOTLY_CONFIG


def begin(title_key: str) -> str:
    """A lesson's frame and title; returns the language."""
    frame()
    st.set_page_config(page_title=f"{t(title_key).split('：')[0].split(':')[0]} · LLM Walkthrough")  # one title a tab
    st.title(t(title_key))
    return lang()


def start(title_key: str) -> tuple[Trace, str]:
    """How every lesson begins: its frame, its title, then the trace of the current prompt and the language."""
    language = begin(title_key)
    return current_trace(), language


def explain(what: str, notice: str, try_this: str) -> None:
    """What it is, what to notice on this prompt, one thing to try."""
    cols = st.columns(3)
    for col, head, body in zip(
        cols, ("section.what", "section.notice", "section.try"), (what, notice, try_this), strict=True
    ):
        with col.container(border=True):
            st.markdown(f"**{t(head)}**")
            st.markdown(body)


def chart(fig: go.Figure, key: str | None = None, **kwargs):
    """A Plotly chart with exact values on hover and the download button on (larger in the projector view)."""
    if presenting():
        top = int((fig.layout.margin.t or 50) * 1.3)  # the larger title needs the room above the plot too
        fig.update_layout(
            font={"size": 19}, title_font={"size": 22}, height=int((fig.layout.height or 420) * 1.3), margin_t=top
        )
    return st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, **kwargs)


def pick_token(tr: Trace, label: str, container=st) -> int:
    """Choose one token of the prompt; kept in the URL field "token" so a link reopens it.

    -1 (the default) means the last token — for an encoder the one before its closing [SEP].
    """
    clamp_index("token", tr.n_tokens)
    default = tr.n_tokens - 1 if tr.is_causal or tr.n_tokens < 3 else tr.n_tokens - 2
    names = {i: token_label(i, tok) for i, tok in enumerate(tr.tokens)}
    names[-1] = t("pick.last", label=names[default])  # fixed now: format_func must not read state later
    picked = container.selectbox(label, [-1, *range(tr.n_tokens)], key="token", format_func=lambda i: names[i])
    return default if picked == -1 else int(picked)
