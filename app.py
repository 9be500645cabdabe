"""LLM Walkthrough — `streamlit run app.py`. The router: page setup and navigation; each page draws its frame."""

import streamlit as st

from ui.pages import st_pages

st.set_page_config(page_title="LLM Walkthrough · 深入浅出 LLM", page_icon="🧭", layout="wide")
st.navigation(st_pages(), position="top").run()
