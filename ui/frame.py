"""What every page shows around its lesson: the link's values read once, the sidebar, the URL kept current.

Each page calls `frame()` first. Streamlit treats a folder named `pages/` beside the router (walk.py) as its legacy
multipage app until some run calls `st.navigation`: on a fresh server a deep link such as /attention
runs the page file alone. Both ways the page looks the same: the sidebar draws our own page links
(Streamlit's own list is switched off in .streamlit/config.toml), and every page starts here.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import sidebar
from ui.state import keep_state, read_url_once, show_url_notices, t, value, write_url
from ui.warm import warm

PRESENT_CSS = """<style>
html { font-size: 22px; }
[data-testid="stSidebar"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }
</style>"""


def frame() -> None:
    warm()
    st.set_page_config(layout="wide")
    read_url_once()
    keep_state()
    sidebar()
    write_url()  # before the lesson: a lesson may stop early
    if presenting():
        st.html(PRESENT_CSS)
        st.button(t("present.leave"), on_click=_leave_presentation, type="tertiary")
    show_url_notices()


def _leave_presentation() -> None:
    st.session_state["present"] = False


def presenting() -> bool:
    """The projector view: ?present=1 in the link (kept in share links like every URL field)."""
    return bool(value("present"))
