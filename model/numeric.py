"""Numpy-only formulas shared by the model core, training, the lessons and their charts.

Probabilities (softmax, rank), vectors (cosine), and head scores read from attention patterns of
shape (L, H, T, T) — query × key, rows sum to 1 — returning one number per head, (L, H), in [0, 1].
"""

from __future__ import annotations

import numpy as np


def softmax(logits: np.ndarray) -> np.ndarray:
    """(..., V) → (..., V) probabilities, in float64."""
    z = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """(..., V) → (..., V) log-probabilities, in float64."""
    z = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def rank_of(probs: np.ndarray, token_id: int) -> int:
    """1 = the most likely token; ties share a rank."""
    return int((probs > probs[token_id]).sum()) + 1


def mass_needed(probs: np.ndarray, share: float) -> int:
    """How many of the most likely tokens it takes to reach `share` of the probability."""
    cum = np.cumsum(np.sort(probs)[::-1])  # (V,)
    return int(min(len(cum), np.searchsorted(cum, share) + 1))


def entropy(probs: np.ndarray) -> np.ndarray:
    """(..., V) → (...,) entropy in nats."""
    p = np.clip(probs, 1e-300, 1.0)
    return -(probs * np.log(p)).sum(axis=-1)


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """(N, d) → (N, N) cosine similarity of every pair of rows; a zero row is similar to nothing."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)  # (N, 1)
    unit = vectors / np.where(norms == 0, 1.0, norms)  # (N, d)
    return np.clip(unit @ unit.T, -1.0, 1.0)  # (N, N)


def row_cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(..., d), (..., d) → (...,) cosine similarity of matching rows."""
    norms = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    return np.clip(np.sum(a * b, axis=-1) / np.maximum(norms, 1e-12), -1.0, 1.0)


def nearest(matrix: np.ndarray, vector: np.ndarray, k: int = 10, exclude: int | None = None):
    """The k rows of `matrix` (V, d) with the highest cosine similarity to `vector` (d,): (ids (k,), sims (k,))."""
    norms = np.linalg.norm(matrix, axis=1)  # (V,)
    sims = matrix @ vector / np.maximum(norms * np.linalg.norm(vector), 1e-12)  # (V,)
    if exclude is not None:
        sims[exclude] = -np.inf
    k = min(k, len(sims) - (exclude is not None))
    top = np.argpartition(-sims, k - 1)[:k]  # (k,) unordered
    top = top[np.argsort(-sims[top], kind="stable")]  # (k,) best first
    return top, np.clip(sims[top], -1.0, 1.0)


def strongest_head(scores: np.ndarray) -> tuple[int, int, float]:
    """(layer, head, score) of the highest score in an (L, H) map (NaN scores ignored)."""
    scores = np.asarray(scores, dtype=np.float64)
    layer, head = np.unravel_index(int(np.nanargmax(scores)), scores.shape)
    return int(layer), int(head), float(scores[layer, head])


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
