"""Eager attention that can also record its queries, keys and pattern.

Registered with transformers' AttentionInterface as "walkthrough_eager", so every family that
dispatches through it (GPT-2, Llama-style, GPT-NeoX, BERT) runs this function. It computes what
eager attention computes — score = q·kᵀ × scale (+ mask), softmax — and hands q, k (after rotary,
grouped key heads repeated), the scale and the pattern to the hooked run active in this thread, if
any (see model/hooks.py). The run matches the call to its layer by the module's identity.

Keywords it ignores: `dropout` is honoured; `sliding_window`, `position_ids`, `cache_position` and the
other bookkeeping keywords transformers passes do not change the scores here (a sliding window arrives
already folded into `attention_mask`). A family that passes a score-changing keyword (T5's
`position_bias`) would need its own function.
"""

from __future__ import annotations

import threading

import torch
from transformers import AttentionInterface
from transformers.masking_utils import AttentionMaskInterface, eager_mask

NAME = "walkthrough_eager"
_local = threading.local()


def active_runs() -> list:
    """This thread's stack of hooked runs; the innermost is last (a trace called inside an edit nests)."""
    if not hasattr(_local, "runs"):
        _local.runs = []
    return _local.runs


def recording_attention(
    module: torch.nn.Module,
    query: torch.Tensor,
    key: torch.Tensor,
    value: torch.Tensor,
    attention_mask: torch.Tensor | None,
    scaling: float | None = None,
    dropout: float = 0.0,
    **kwargs,  # bookkeeping only: see the module docstring
) -> tuple[torch.Tensor, torch.Tensor]:
    """query (B, H, T, dh); key, value (B, Hkv, S, dh). Returns (output (B, T, H, dh), weights (B, H, T, S))."""
    repeat = query.shape[1] // key.shape[1]  # grouped-query attention: each key head serves `repeat` query heads
    if repeat > 1:
        key = key.repeat_interleave(repeat, dim=1)
        value = value.repeat_interleave(repeat, dim=1)
    scale = scaling if scaling is not None else query.shape[-1] ** -0.5
    scores = torch.matmul(query, key.transpose(-1, -2)).mul_(scale)  # (B, H, T, S)
    if attention_mask is not None:
        # the mask may be built for a longer key cache than this call's keys: keep the columns that exist
        scores.add_(attention_mask[:, :, :, : key.shape[-2]])
    weights = torch.softmax(scores, dim=-1, dtype=torch.float32).to(query.dtype)
    del scores  # long prompts: one (B, H, T, S) block less at the peak
    weights = torch.nn.functional.dropout(weights, p=dropout, training=module.training)
    output = torch.matmul(weights, value).transpose(1, 2).contiguous()  # (B, T, H, dh)
    runs = active_runs()
    if runs:
        runs[-1].attention_called(module, query, key, float(scale), weights)
    return output, weights


AttentionInterface.register(NAME, recording_attention)
AttentionMaskInterface.register(NAME, eager_mask)
