"""How much memory a trace may take, checked from the model's shape and the token count before the forward.

A trace grows as layers × heads × tokens² (the attention patterns), so a long prompt on a large model can
ask for far more memory than a shared server has. `trace()` cuts the prompt to the tokens that fit.

    WALKTHROUGH_TRACE_BUDGET_MB=1024 streamlit run app.py     # or set_trace_budget(1024) in a notebook
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MB = 512
FLOAT = 4  # bytes: traces are stored as float32


def _env_budget() -> int:
    raw = os.environ.get("WALKTHROUGH_TRACE_BUDGET_MB", "")
    try:
        return max(1, int(float(raw))) * 2**20 if raw else DEFAULT_MB * 2**20
    except ValueError:
        return DEFAULT_MB * 2**20


_budget = _env_budget()


def trace_budget() -> int:
    """Bytes one trace may hold."""
    return _budget


def set_trace_budget(megabytes: float) -> None:
    """Change the per-trace memory budget for this process (a notebook, a bench)."""
    global _budget
    if not megabytes > 0:
        raise ValueError("The trace budget must be a positive number of megabytes.")
    _budget = int(megabytes * 2**20)


@dataclass(frozen=True)
class Shape:
    """What a trace's size depends on."""

    n_layers: int
    n_heads: int
    d_model: int
    head_dim: int
    d_mlp: int
    resid_mid: bool  # the family stores a distinct resid_mid
    position_table: bool  # learned position rows are stored

    def trace_bytes(self, n_tokens: int, mlp_post: bool = False) -> int:
        """Bytes of a Trace over `n_tokens` (its own arrays, as `Trace.nbytes` counts them)."""
        T, L, H, d = n_tokens, self.n_layers, self.n_heads, self.d_model
        floats = (L + 1) * T * d  # resid
        floats += 2 * L * T * d  # attn_out, mlp_out
        floats += 3 * L * H * T * self.head_dim  # head_out, queries, keys
        floats += L * H * T * T  # pattern
        floats += T * d * (2 if self.position_table else 1)  # token (and position) embeddings
        floats += L * T * d if self.resid_mid else 0
        floats += 2 * L * T * self.d_mlp if mlp_post else 0  # the neurons before and after the activation
        return FLOAT * floats

    def peak_bytes(self, n_tokens: int, mlp_post: bool = False) -> int:
        """The trace plus what one layer's eager attention holds while it runs (scores and weights, H × T²)."""
        return self.trace_bytes(n_tokens, mlp_post) + 2 * FLOAT * self.n_heads * n_tokens * n_tokens

    def tokens_within(self, budget: int, limit: int, mlp_post: bool = False) -> int:
        """The most tokens (≤ `limit`) whose trace, with the forward's own peak, fits `budget` bytes."""
        low, high = 0, limit
        while low < high:  # peak_bytes grows with T: find the largest T that fits
            mid = (low + high + 1) // 2
            if self.peak_bytes(mid, mlp_post) <= budget:
                low = mid
            else:
                high = mid - 1
        return low
