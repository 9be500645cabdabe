"""The walk's pages in order: file, sentence key of the title, URL path, icon."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.state import t


@dataclass(frozen=True)
class PageInfo:
    file: str  # relative to app.py
    key: str  # lessons key "page.<key>" is its title
    url_path: str
    icon: str


WALK = (
    PageInfo("pages/0_home.py", "home", "home", "🧭"),
    PageInfo("pages/1_tokens.py", "tokens", "tokens", "🔤"),
    PageInfo("pages/2_embeddings.py", "embeddings", "embeddings", "🧮"),
    PageInfo("pages/3_positions.py", "positions", "positions", "📍"),
    PageInfo("pages/4_attention.py", "attention", "attention", "👀"),
    PageInfo("pages/5_blocks.py", "blocks", "blocks", "🧱"),
    PageInfo("pages/6_next_token.py", "next_token", "next_token", "🎲"),
)


def st_pages() -> list:
    return [
        st.Page(p.file, title=t(f"page.{p.key}"), icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(WALK)
    ]


def nav() -> None:
    """The walk's page links, in the current language (drawn at the top of the sidebar on every page)."""
    for page in WALK:
        st.page_link(page.file, label=t(f"page.{page.key}"), icon=page.icon, query_params=dict(st.query_params))


def link(key: str, label: str | None = None) -> None:
    """A link to the lesson `key`, carrying the query string along."""
    page = next(p for p in WALK if p.key == key)
    st.page_link(page.file, label=label or t(f"page.{key}"), icon=page.icon, query_params=dict(st.query_params))


def next_lesson(key: str) -> None:
    """The link at the foot of a lesson to the one after it."""
    keys = [p.key for p in WALK]
    i = keys.index(key)
    if i + 1 < len(keys):
        st.divider()
        link(keys[i + 1], t("next_lesson", page=t(f"page.{keys[i + 1]}")))
