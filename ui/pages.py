"""The walk's pages in order: file, sentence key of the title, URL path, icon."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import streamlit as st

from ui.state import link_notice, t


@dataclass(frozen=True)
class PageInfo:
    file: str  # relative to walk.py (the router)
    key: str  # lessons key "page.<key>" is its title
    url_path: str
    icon: str


WALK = (
    PageInfo("pages/0_home.py", "home", "index", "🧭"),  # the default page, served at /: "index" is only reserved
    PageInfo("pages/1_tokens.py", "tokens", "tokens", "🔤"),
    PageInfo("pages/2_embeddings.py", "embeddings", "embeddings", "🧮"),
    PageInfo("pages/3_positions.py", "positions", "positions", "📍"),
    PageInfo("pages/4_attention.py", "attention", "attention", "👀"),
    PageInfo("pages/5_blocks.py", "blocks", "blocks", "🧱"),
    PageInfo("pages/6_next_token.py", "next_token", "next_token", "🎲"),
    PageInfo("pages/7_heads.py", "heads", "heads", "🔬"),
    PageInfo("pages/8_learning.py", "learning", "learning", "📈"),
    PageInfo("pages/9_finetune.py", "finetune", "finetune", "🎯"),
    PageInfo("pages/10_rag.py", "rag", "rag", "📚"),
    PageInfo("pages/11_seq2seq.py", "seq2seq", "seq2seq", "🔁"),
)


PAGE_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,100}$")
OVERVIEW_ALIASES = ("home", "overview")  # /home and /overview open the Overview too (hidden pages)


def stray_path(url: str | None, base: str = "") -> str | None:
    """The page part of the browser's address when it names none of the walk's pages ("nonexistent" in
    http://host/nonexistent), so st.navigation can be given a hidden page there instead of Streamlit's English
    "Page not found" dialog; None for one of ours, the root, or something a page cannot be (a nested path)."""
    if not url:
        return None
    path = urlsplit(url).path.strip("/")
    base = base.strip("/")
    if base:
        if path != base and not path.startswith(base + "/"):
            return None
        path = path[len(base) :].strip("/")
    if not path or path in {*(p.url_path for p in WALK), *OVERVIEW_ALIASES} or not PAGE_SEGMENT.match(path):
        return None
    return path


def _to_overview(page: str | None) -> Callable[[], None]:
    def run() -> None:
        if page:
            link_notice("msg.no_page", page=page)
        st.switch_page(WALK[0].file, query_params=dict(st.query_params))

    return run


def st_pages() -> list:
    """The walk's pages for st.navigation; /home, /overview and a mistyped page open the Overview, the last with
    a notice in the user's language."""
    pages = [
        st.Page(p.file, title=t(f"page.{p.key}"), icon=p.icon, url_path=p.url_path, default=(i == 0))
        for i, p in enumerate(WALK)
    ]
    for alias in OVERVIEW_ALIASES:
        pages.append(st.Page(_to_overview(None), title=t("page.home"), url_path=alias, visibility="hidden"))
    stray = stray_path(st.context.url, st.get_option("server.baseUrlPath"))
    if stray:
        pages.append(st.Page(_to_overview(stray), title=t("page.not_found"), url_path=stray, visibility="hidden"))
    return pages


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


def decoders_only(tr, message_key: str, key: str) -> None:
    """A lesson about a decoder's next-token guesses (fine-tuning, RAG): on an encoder, say why in the user's
    language, link on to the next lesson, and stop the page."""
    if not tr.is_causal:
        st.info(t(message_key, model=tr.model_name))
        next_lesson(key)
        st.stop()
