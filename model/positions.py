"""Position codes that need no training: the original Transformer's sinusoids.

The positions lesson draws them beside a model's learned table, and training can start
TinyTales' learned table from them.
"""

from __future__ import annotations

import numpy as np

SINUSOID_BASE = 10000.0  # "Attention Is All You Need", section 3.5


def sinusoidal(n_positions: int, d: int, base: float = SINUSOID_BASE) -> np.ndarray:
    """(n_positions, d): PE[pos, 2i] = sin(pos / base^(2i/d)), PE[pos, 2i+1] = cos(pos / base^(2i/d)).

    Position p + k is a fixed rotation of position p in every (sin, cos) pair, so one linear map
    looks exactly k positions back.
    """
    pos = np.arange(n_positions)[:, None]  # (n, 1)
    two_i = np.arange(0, d, 2)  # (ceil(d/2),) the even dimensions 2i
    angle = pos / base ** (two_i / d)  # (n, ceil(d/2))
    table = np.zeros((n_positions, d))
    table[:, 0::2] = np.sin(angle)
    table[:, 1::2] = np.cos(angle[:, : d // 2])
    return table
