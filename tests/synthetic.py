"""A synthetic Trace with the right shapes and invariants, for testing viz without a model."""

from __future__ import annotations

import numpy as np

from model.types import Readout, Trace


def synthetic_trace(
    tokens: list[str] | None = None,
    n_layers: int = 2,
    n_heads: int = 3,
    d_model: int = 8,
    vocab_size: int = 50,
    causal: bool = True,
    rotary: bool = False,
    seed: int = 0,
) -> Trace:
    rng = np.random.default_rng(seed)
    tokens = tokens or ["Once", " upon", " a", " time", " 你", "<e5 a5>"]
    T, L, H, d = len(tokens), n_layers, n_heads, d_model
    dh = d // H if d % H == 0 else 2
    scores = rng.normal(size=(L, H, T, T))
    if causal:
        scores = np.where(np.tril(np.ones((T, T), dtype=bool)), scores, -np.inf)
    pattern = np.exp(scores - scores.max(-1, keepdims=True))
    pattern = (pattern / pattern.sum(-1, keepdims=True)).astype(np.float32)
    token_bytes = [t.encode() if not t.startswith("<") else bytes.fromhex(t[1:-1].replace(" ", "")) for t in tokens]
    ends = np.cumsum([max(1, len(t)) for t in tokens])
    return Trace(
        model_name="Synthetic",
        family="GPT-2" if causal else "BERT-style encoders",
        prompt="".join(t for t in tokens if not t.startswith("<")),
        tokens=tokens,
        token_bytes=token_bytes,
        token_ids=rng.integers(0, vocab_size, size=T),
        offsets=np.stack([ends - 1, ends], axis=1),
        token_embeddings=rng.normal(size=(T, d)).astype(np.float32),
        position_embeddings=None if rotary else rng.normal(size=(T, d)).astype(np.float32),
        position_kind="rotary" if rotary else "learned",
        rotary_base=10000.0 if rotary else None,
        rotary_dim=dh if rotary else None,
        resid=rng.normal(size=(L + 1, T, d)).astype(np.float32),
        resid_mid=None,
        attn_out=rng.normal(size=(L, T, d)).astype(np.float32),
        head_out=rng.normal(size=(L, T, H, dh)).astype(np.float32),
        mlp_out=rng.normal(size=(L, T, d)).astype(np.float32),
        mlp_post=None,
        mlp_pre=None,
        pattern=pattern,
        queries=rng.normal(size=(L, H, T, dh)).astype(np.float32),
        keys=rng.normal(size=(L, H, T, dh)).astype(np.float32),
        attn_scale=np.full(L, dh**-0.5, dtype=np.float32),
        readout=Readout(None, None, None, 1e-5, rng.normal(size=(vocab_size, d)).astype(np.float32), None)
        if causal
        else None,
        is_causal=causal,
        pre_norm=causal,
        n_layers=L,
        n_heads=H,
        d_model=d,
        vocab_size=vocab_size,
        context_size=64,
        token_limit=64,
        dropped_tokens=0,
    )
