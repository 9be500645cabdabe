"""What every page shows around its lesson: the link's values read once, the sidebar, the URL kept current.

Each page calls `frame()` first. A page can also run on its own (Streamlit's legacy `pages/` path,
AppTest's `switch_page`), so the frame lives with the pages, not only in app.py.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import sidebar
from ui.state import keep_state, read_url_once, show_url_notices, write_url


def frame() -> None:
    st.set_page_config(layout="wide")  # also when a page runs on its own, without app.py
    read_url_once()
    keep_state()
    sidebar()
    write_url()  # before the lesson: a lesson may stop early
    show_url_notices()
