"""Generate: a plain forward per new token (no hooks), then one trace of the whole result.

gen = generate(lm, tr, 10, Settings(greedy=True))
gen.steps[0].token, gen.steps[0].probability, gen.trace.tokens
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from model.load import LoadedModel
from model.numeric import rank_of
from model.sampling import Settings, choose, distribution
from model.tokens import describe_ids
from model.tracing import trace_ids
from model.types import Trace


@dataclass(frozen=True)
class Step:
    token_id: int
    token: str  # display text of the chosen token
    probability: float  # in the distribution it was drawn from (after temperature and cuts)
    model_probability: float  # in the model's own distribution (temperature 1, no cuts)
    rank: int  # 1 = the model's favourite


@dataclass(frozen=True)
class Generation:
    steps: list[Step]
    trace: Trace  # the prompt with every chosen token appended, traced once


def _next_logits(lm: LoadedModel, ids: list[int]) -> np.ndarray:
    """(V,) the model's own scores after `ids` (its last context_size): one plain forward, no hooks."""
    window = torch.tensor([ids[-lm.context_size :]], device=lm.device)  # (1, T)
    with lm.lock, torch.no_grad():
        logits = lm.model(input_ids=window, use_cache=False).logits  # (1, T, V)
    return logits[0, -1].to("cpu", torch.float32).numpy()


def generate(lm: LoadedModel, tr: Trace, n: int, settings: Settings | None = None) -> Generation:
    """`n` new tokens after `tr`: a plain forward per token, then one trace of the whole result."""
    settings = settings or Settings()
    if not tr.has_logits:
        raise ValueError(f"{tr.model_name} is an encoder: it does not predict a next token.")
    ids, steps = tr.token_ids.tolist(), []
    for draw in range(n):
        logits = tr.logits_at(-1) if draw == 0 else _next_logits(lm, ids)
        dist = distribution(logits, settings)
        token_id = choose(dist, draw)
        ids.append(token_id)
        steps.append(
            Step(
                token_id=token_id,
                token=lm_token_text(lm, token_id),
                probability=float(dist.probs[token_id]),
                model_probability=float(dist.model_probs[token_id]),
                rank=rank_of(dist.model_probs, token_id),
            )
        )
    return Generation(steps=steps, trace=trace_ids(lm, ids))


def lm_token_text(lm: LoadedModel, token_id: int) -> str:
    return describe_ids(lm.tokenizer, [token_id], lm.token_scheme)[0][0]
