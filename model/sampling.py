"""From logits to the next token: temperature, top-k, top-p, greedy or seeded sampling.

dist = distribution(tr.logits[-1], temperature=0.8, top_k=50, top_p=0.9)
dist.probs          # (V,) what sampling draws from, zeros where a token was cut
dist.cut            # (V,) why a token was cut: KEPT, CUT_TOP_K or CUT_TOP_P
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.load import LoadedModel
from model.trace import Trace, trace_ids

KEPT, CUT_TOP_K, CUT_TOP_P = 0, 1, 2


@dataclass(frozen=True)
class Settings:
    temperature: float = 1.0  # divides the logits; 0 means greedy
    top_k: int = 0  # keep the k most likely tokens; 0 keeps all
    top_p: float = 1.0  # keep the smallest set whose probability reaches p; 1 keeps all
    greedy: bool = False  # always take the most likely token
    seed: int = 0  # seeds sampling, so a draw can be repeated


@dataclass(frozen=True)
class Distribution:
    model_probs: np.ndarray  # (V,) softmax(logits): the model's own distribution, temperature 1
    tempered: np.ndarray  # (V,) softmax(logits / temperature), before any cut
    probs: np.ndarray  # (V,) after top-k and top-p, renormalised; zero where cut
    cut: np.ndarray  # (V,) int8: KEPT, CUT_TOP_K or CUT_TOP_P
    settings: Settings


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits.astype(np.float64) - logits.max()
    e = np.exp(z)
    return e / e.sum()


def distribution(logits: np.ndarray, settings: Settings = Settings()) -> Distribution:
    """logits: (V,) for one position."""
    if settings.temperature < 0 or not (0 < settings.top_p <= 1) or settings.top_k < 0:
        raise ValueError("Temperature must be ≥ 0, top-k ≥ 0 and top-p in (0, 1].")
    model_probs = softmax(logits)
    temperature = settings.temperature if settings.temperature > 0 else 1.0
    tempered = softmax(logits / temperature)
    order = np.argsort(-tempered, kind="stable")  # most likely first
    cut = np.zeros(len(logits), dtype=np.int8)
    if settings.top_k and settings.top_k < len(logits):
        cut[order[settings.top_k :]] = CUT_TOP_K
    if settings.top_p < 1.0:
        kept = order[cut[order] == KEPT]
        mass = np.cumsum(tempered[kept])
        n_keep = int(np.searchsorted(mass, settings.top_p) + 1)  # smallest prefix reaching top_p
        cut[kept[n_keep:]] = CUT_TOP_P
    probs = np.where(cut == KEPT, tempered, 0.0)
    probs = probs / probs.sum()
    return Distribution(model_probs=model_probs, tempered=tempered, probs=probs, cut=cut, settings=settings)


def choose(dist: Distribution, draw: int = 0) -> int:
    """The next token id: the most likely one (greedy, or temperature 0), or a seeded draw.

    `draw` counts steps of one generation, so each step draws afresh yet repeats exactly.
    """
    s = dist.settings
    if s.greedy or s.temperature == 0:
        return int(np.argmax(dist.probs))
    rng = np.random.default_rng([s.seed, draw])
    return int(rng.choice(len(dist.probs), p=dist.probs))


@dataclass(frozen=True)
class Step:
    token_id: int
    token: str  # display text of the chosen token
    probability: float  # in the distribution it was drawn from (after temperature and cuts)
    model_probability: float  # in the model's own distribution (temperature 1, no cuts)
    rank: int  # 1 = the model's favourite
    trace: Trace  # the walk re-run with the chosen token appended


def next_step(lm: LoadedModel, tr: Trace, settings: Settings = Settings(), draw: int = 0) -> Step:
    """Pick the token after `tr` and trace the prompt with it appended."""
    if tr.logits is None:
        raise ValueError(f"{tr.model_name} is an encoder: it does not predict a next token.")
    dist = distribution(tr.logits[-1], settings)
    token_id = choose(dist, draw)
    new = trace_ids(lm, [*tr.token_ids.tolist(), token_id])
    return Step(
        token_id=token_id,
        token=new.tokens[-1],
        probability=float(dist.probs[token_id]),
        model_probability=float(dist.model_probs[token_id]),
        rank=int((dist.model_probs > dist.model_probs[token_id]).sum()) + 1,
        trace=new,
    )


def generate(lm: LoadedModel, tr: Trace, n: int, settings: Settings = Settings()) -> list[Step]:
    """`n` steps; each step's trace becomes the next step's input."""
    steps: list[Step] = []
    for draw in range(n):
        steps.append(next_step(lm, steps[-1].trace if steps else tr, settings, draw))
    return steps
