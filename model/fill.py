"""Fill the mask: what a masked-language model (TinyTales MLM) puts in a [MASK] slot.

    fills = fill_masks(lm, tr)                 # one Fill per [MASK] the prompt holds
    fill = hide_token(lm, tr, position)        # or hide one token of the prompt and ask for it back
    fill.ids, fill.probs                       # (k,) the likeliest tokens, most first, and their probabilities
    fill.original, fill.rank                   # the hidden token (None for a typed [MASK]) and its rank (1 = top)

The model reads the whole sentence both ways: the words after the slot count as much as those before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.load import LoadedModel
from model.numeric import rank_of, softmax
from model.tracing import trace_ids
from model.types import Trace


@dataclass(frozen=True)
class Fill:
    position: int  # the slot's place in the prompt's tokens
    ids: np.ndarray  # (k,) the likeliest tokens, most first
    probs: np.ndarray  # (k,) their probabilities
    original: int | None  # the token that was hidden there; None when the prompt itself said [MASK]
    original_prob: float | None
    rank: int | None  # the original's rank among all V tokens (1 = the model's first choice)
    trace: Trace  # the masked prompt's trace


def can_fill(lm: LoadedModel) -> bool:
    """A masked-language model: an encoder with a [MASK] token and a head that scores every token for it."""
    return not lm.family.is_causal and lm.tokenizer.mask_token_id is not None and lm.parts.unembed is not None


def _fill(tr: Trace, position: int, original: int | None, k: int) -> Fill:
    probs = softmax(tr.logits_at(position))  # (V,)
    top = np.argsort(-probs, kind="stable")[:k]
    return Fill(
        position=position,
        ids=top,
        probs=probs[top],
        original=original,
        original_prob=None if original is None else float(probs[original]),
        rank=None if original is None else rank_of(probs, original),
        trace=tr,
    )


def fill_masks(lm: LoadedModel, tr: Trace, k: int = 10) -> list[Fill]:
    """Every [MASK] of the traced prompt, filled: [Fill] in order (empty when the prompt has none)."""
    if not can_fill(lm):
        raise ValueError(f"{lm.display_name} is not a masked-language model: it has no [MASK] to fill.")
    slots = np.flatnonzero(tr.token_ids == lm.tokenizer.mask_token_id)
    return [_fill(tr, int(p), None, k) for p in slots]


def hide_token(lm: LoadedModel, tr: Trace, position: int, k: int = 10) -> Fill:
    """Replace the prompt's token at `position` by [MASK] and ask the model for it back."""
    if not can_fill(lm):
        raise ValueError(f"{lm.display_name} is not a masked-language model: it has no [MASK] to fill.")
    ids = tr.token_ids.copy()
    original = int(ids[position])
    ids[position] = lm.tokenizer.mask_token_id
    return _fill(trace_ids(lm, ids), position, original, k)
