"""Scores that say what an attention head does, from its attention pattern.

Both scores read a pattern of shape (L, H, T, T) — query × key, rows sum to 1 —
and return one number per head, shape (L, H), between 0 and 1.
"""

from __future__ import annotations

import numpy as np


def previous_token_score(pattern: np.ndarray) -> np.ndarray:
    """Mean attention each query pays to the token just before it.

    pattern: (L, H, T, T). Returns (L, H). A clear previous-token head scores near 1.
    """
    T = pattern.shape[-1]
    if T < 2:
        raise ValueError("A previous-token score needs at least 2 tokens.")
    q = np.arange(1, T)
    return pattern[..., q, q - 1].mean(axis=-1)  # (L, H)


def induction_score(pattern: np.ndarray, period: int, offset: int = 0) -> np.ndarray:
    """Mean attention from the second copy of a repeated sequence to the token after its first copy.

    The prompt is `offset` tokens (e.g. a BOS), then a sequence of `period` tokens, then the same
    sequence again. At query position q in the second copy, an induction head attends to key
    q - period + 1: the token that followed the current token last time.

    pattern: (L, H, T, T) with T = offset + 2 * period. Returns (L, H).
    """
    T = pattern.shape[-1]
    if T != offset + 2 * period:
        raise ValueError(f"Pattern has {T} positions, expected {offset + 2 * period}.")
    q = np.arange(offset + period, T)
    k = q - period + 1
    return pattern[..., q, k].mean(axis=-1)  # (L, H)


def repeated_random_ids(vocab_size: int, period: int, seed: int = 0, low: int = 256) -> np.ndarray:
    """A random token sequence of length `period`, repeated twice: (2 * period,) int64.

    Ids are drawn from [low, vocab_size) so that single bytes and special tokens are avoided
    (from the upper half of a vocabulary smaller than 2 * low).
    """
    rng = np.random.default_rng(seed)
    half = rng.integers(min(low, vocab_size // 2), vocab_size, size=period)
    return np.concatenate([half, half]).astype(np.int64)
