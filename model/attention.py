"""Eager attention that can also record its queries and keys.

Registered with transformers' AttentionInterface as "walkthrough_eager", so every family that
dispatches through it (GPT-2, Llama-style, GPT-NeoX, BERT) runs this function. It computes what
eager attention computes — score = q·kᵀ × scale (+ mask), softmax — and, only while `recording()`
is active in the calling thread, keeps q and k (after rotary, with grouped key heads repeated) and the
scale, so the attention lesson can replay score → scale → mask → softmax with the model's numbers.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import torch
from transformers import AttentionInterface
from transformers.masking_utils import AttentionMaskInterface, eager_mask

NAME = "walkthrough_eager"
_local = threading.local()


def recording_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    """query (B, H, T, dh); key, value (B, Hkv, S, dh). Returns (output (B, T, H, dh), weights (B, H, T, S))."""
    repeat = query.shape[1] // key.shape[1]  # grouped-query attention: each key head serves `repeat` query heads
    if repeat > 1:
        key = key.repeat_interleave(repeat, dim=1)
        value = value.repeat_interleave(repeat, dim=1)
    scale = scaling if scaling is not None else query.shape[-1] ** -0.5
    scores = torch.matmul(query, key.transpose(-1, -2)) * scale  # (B, H, T, S)
    if attention_mask is not None:
        scores = scores + attention_mask[:, :, :, : key.shape[-2]]
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    weights = torch.nn.functional.dropout(weights, p=dropout, training=module.training)
    output = torch.matmul(weights, value).transpose(1, 2).contiguous()  # (B, T, H, dh)
    store = getattr(_local, "store", None)
    if store is not None:
        store.append((query.detach(), key.detach(), float(scale)))
    return output, weights


AttentionInterface.register(NAME, recording_attention)
AttentionMaskInterface.register(NAME, eager_mask)


@contextmanager
def recording():
    """Collect (query, key, scale) of every attention call in this thread, in call order."""
    _local.store = []
    try:
        yield _local.store
    finally:
        _local.store = None
