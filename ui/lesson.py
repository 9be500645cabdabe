"""The parts every lesson page shares: its explanation and how a chart is drawn."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from ui.state import t
from viz.theme import PLOTLY_CONFIG


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
    """A Plotly chart with exact values on hover and the download button on."""
    return st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key, **kwargs)
