"""What every page shows around its lesson: the link's values read once, the sidebar, the URL kept current.

Each page calls `frame()` first. Streamlit treats a folder named `pages/` beside app.py as its legacy
multipage app until some run calls `st.navigation`: on a fresh server a deep link such as /attention
runs the page file alone. Both ways the page looks the same: the sidebar draws our own page links
(Streamlit's own list is switched off in .streamlit/config.toml), and every page starts here.
"""

from __future__ import annotations

import streamlit as st

from ui.sidebar import sidebar
from ui.state import keep_state, read_url_once, show_url_notices, write_url
from ui.warm import warm


def frame() -> None:
    warm()
    st.set_page_config(layout="wide")
    read_url_once()
    keep_state()
    sidebar()
    write_url()  # before the lesson: a lesson may stop early
    show_url_notices()
