"""LLM Walkthrough — `streamlit run app.py`: serves the walk (walk.py), warmed before the first visitor.

Streamlit finds the `st.App` below and serves `walk.py` with it. Its lifespan warms what every first page
view would otherwise race for — the imports, the default model of each language and their first traces
(ui/warm.py) — before the server answers, so thirty students opening the link at once find it warm.
"""

import asyncio
from contextlib import asynccontextmanager

import streamlit as st


@asynccontextmanager
async def warm_first(_app):
    from ui.warm import warm

    await asyncio.to_thread(warm)
    yield


app = st.App("walk.py", lifespan=warm_first)
