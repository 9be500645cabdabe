"""LLM Walkthrough — `streamlit run app.py`. The router: page setup, sidebar, navigation, URL."""

import streamlit as st

from ui.pages import st_pages
from ui.sidebar import sidebar
from ui.state import read_url_once, write_url

st.set_page_config(page_title="LLM Walkthrough · 深入浅出 LLM", page_icon="🧭", layout="wide")
read_url_once()
page = st.navigation(st_pages())
sidebar()
write_url()  # before the page runs: a page may stop early
page.run()
