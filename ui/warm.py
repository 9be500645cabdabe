"""Warm what must be warm before the first pages run: imports and the default models.

Thirty students opening the link in the same seconds on a fresh server raced on first imports (pandas
came back partially initialised to some of them). The first run does this work under one lock; the
others wait for it instead of importing the same modules at once.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()
_done = False


def warm() -> None:
    global _done
    if _done:
        return
    with _lock:
        if _done:
            return
        import pandas  # noqa: F401 — what st.dataframe converts through
        import plotly.graph_objects  # noqa: F401

        from ui.state import DEFAULT_MODEL, EXAMPLES, cached_trace

        for lang, name in DEFAULT_MODEL.items():
            try:
                cached_trace(name, EXAMPLES[lang][0])  # loads the model too
            except Exception:  # noqa: BLE001 — a page will show the error to its user
                pass
        _done = True
