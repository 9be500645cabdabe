"""What every page shows around its lesson: the link's values read once, the sidebar, the URL kept current.

Each page calls `frame()` first. Streamlit treats a folder named `pages/` beside app.py as its legacy
multipage app until some run calls `st.navigation`: on a fresh server a deep link such as /attention
then runs the page file alone, with an untranslated list of files for navigation. `frame()` notices
that, switches Streamlit to app.py's navigation and reruns.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import sidebar
from ui.state import keep_state, read_url_once, show_url_notices, write_url


def _leave_legacy_pages() -> None:
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy path
        return
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets
        st.rerun()  # now through app.py and its st.navigation


def frame() -> None:
    _leave_legacy_pages()
    st.set_page_config(layout="wide")
    read_url_once()
    keep_state()
    sidebar()
    write_url()  # before the lesson: a lesson may stop early
    show_url_notices()
