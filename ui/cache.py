"""A server-wide cache of traces, bounded by bytes, that hands out the same read-only Trace to everyone.

`st.cache_data` pickles a copy on every hit (about 55 ms and 22 MB for one TinyTales trace) and is bounded
by entries, not bytes; a Trace's arrays are read-only, so sharing one object is safe and free.

    WALKTHROUGH_CACHE_MB=2048 streamlit run app.py
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from model.types import Trace

DEFAULT_MB = 2048


class TraceCache:
    """Least-recently-used traces, at most `max_bytes` of them (a trace larger than that is not kept)."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, Trace] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable, make: Callable[[], Trace]) -> Trace:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        tr = make()  # outside the lock: other sessions' hits do not wait for this forward
        with self._lock:
            if key not in self._items and tr.nbytes <= self.max_bytes:
                self._items[key] = tr
                self._bytes += tr.nbytes
                while self._bytes > self.max_bytes:
                    _, old = self._items.popitem(last=False)
                    self._bytes -= old.nbytes
        return tr


_memo_lock = threading.Lock()


def model_memo(lm, section: str, key: Hashable, compute: Callable, most: int = 128):
    """A value derived from model `lm` (a lesson's `section` of lm.memo): computed once for the whole server, the
    oldest dropped past `most`. For small results (probabilities, a few traces of a tiny model)."""
    with _memo_lock:
        cache = lm.memo.setdefault(section, OrderedDict())
        if key in cache:
            return cache[key]
    value = compute()  # outside the lock: other sessions' hits do not wait
    with _memo_lock:
        if len(cache) >= most:
            cache.popitem(last=False)
        cache[key] = value
    return value


def cache_bytes() -> int:
    try:
        return int(float(os.environ.get("WALKTHROUGH_CACHE_MB", DEFAULT_MB)) * 2**20)
    except ValueError:
        return DEFAULT_MB * 2**20
