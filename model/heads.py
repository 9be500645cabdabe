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
    if pattern.shape[-1] < 2:
        raise ValueError("A previous-token score needs at least 2 tokens.")
    return offset_attention(pattern, 1)


def offset_attention(pattern: np.ndarray, offset: int) -> np.ndarray:
    """Mean attention each query pays to the token `offset` places before it (0: itself).

    pattern: (L, H, T, T) with T > offset. Returns (L, H). Read over offsets 0, 1, 2, … it tells a
    sharp previous-token head (all on 1) from one that looks roughly nearby.
    """
    q = np.arange(offset, pattern.shape[-1])
    return pattern[..., q, q - offset].mean(axis=-1)  # (L, H)


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


def random_ids(rng: np.random.Generator, vocab_size: int, n: int, low: int = 256) -> np.ndarray:
    """`n` random token ids from [low, vocab_size): (n,) int64.

    Single bytes and special tokens sit below `low` and are avoided (the upper half of a
    vocabulary smaller than 2 * low).
    """
    return rng.integers(min(low, vocab_size // 2), vocab_size, size=n).astype(np.int64)


def repeated_random_ids(vocab_size: int, period: int, seed: int = 0, low: int = 256) -> np.ndarray:
    """A random token sequence of length `period` (see `random_ids`), repeated twice: (2 * period,) int64."""
    half = random_ids(np.random.default_rng(seed), vocab_size, period, low)
    return np.concatenate([half, half])
