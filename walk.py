"""The walk's router, run by Streamlit for every page view: page setup and navigation; each page draws its frame.

`streamlit run app.py` serves it (see app.py); tests open it with AppTest.
"""

import streamlit as st

from ui.pages import st_pages
from ui.state import read_url_once

st.set_page_config(page_title="LLM Walkthrough · 深入浅出 LLM", page_icon="🧭", layout="wide")
read_url_once()  # the link's language names the pages from the first run on
st.navigation(st_pages(), position="hidden").run()  # the sidebar draws its own links
