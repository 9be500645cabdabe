"""From logits to the next token: temperature, top-k, top-p, greedy or seeded sampling (numpy only;
generating with a model is model/generate.py).

    dist = distribution(tr.logits_at(-1), Settings(temperature=0.8, top_k=50, top_p=0.9))
    dist.probs          # (V,) what the choice is made from, zeros where a token was cut
    dist.cut            # (V,) why a token was cut: KEPT, CUT_TOP_K, CUT_TOP_P or CUT_GREEDY

The cuts follow transformers' `generate()`: temperature first, then top-k, then top-p on the distribution
renormalised over the tokens top-k kept. Ties: top-k keeps exactly k, the lower token id first (transformers
keeps every token tied with the k-th); top-p keeps the most likely tokens until the mass before the next one
reaches p, with at least one kept. Greedy decoding (or temperature 0) makes no draw, so — as in transformers
with `do_sample=False` — temperature, top-k and top-p change nothing: the favourite gets everything and every
other token is CUT_GREEDY.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.numeric import softmax

KEPT, CUT_TOP_K, CUT_TOP_P, CUT_GREEDY = 0, 1, 2, 3


@dataclass(frozen=True)
class Settings:
    temperature: float = 1.0  # divides the logits; 0 means greedy
    top_k: int = 0  # keep the k most likely tokens; 0 keeps all
    top_p: float = 1.0  # keep the smallest set whose probability reaches p; 1 keeps all
    greedy: bool = False  # always take the most likely token
    seed: int = 0  # seeds sampling, so a draw can be repeated

    @property
    def is_greedy(self) -> bool:
        """No draw: the greedy switch, or temperature 0."""
        return self.greedy or self.temperature == 0


@dataclass(frozen=True)
class Distribution:
    model_probs: np.ndarray  # (V,) softmax(logits): the model's own distribution, temperature 1
    tempered: np.ndarray  # (V,) softmax(logits / temperature), before any cut; greedy: model_probs
    probs: np.ndarray  # (V,) after top-k and top-p, renormalised; zero where cut; greedy: one-hot
    cut: np.ndarray  # (V,) int8: KEPT, CUT_TOP_K, CUT_TOP_P or CUT_GREEDY
    settings: Settings


def distribution(logits: np.ndarray, settings: Settings = Settings()) -> Distribution:
    """logits: (V,) for one position."""
    if settings.temperature < 0 or not (0 < settings.top_p <= 1) or settings.top_k < 0:
        raise ValueError("Temperature must be ≥ 0, top-k ≥ 0 and top-p in (0, 1].")
    model_probs = softmax(logits)
    if settings.is_greedy:  # no draw: only the favourite can be chosen
        cut = np.full(len(logits), CUT_GREEDY, dtype=np.int8)
        cut[int(np.argmax(model_probs))] = KEPT
        probs = (cut == KEPT).astype(model_probs.dtype)
        return Distribution(model_probs=model_probs, tempered=model_probs, probs=probs, cut=cut, settings=settings)
    tempered = softmax(logits / settings.temperature)
    order = np.argsort(-tempered, kind="stable")  # most likely first
    cut = np.zeros(len(logits), dtype=np.int8)
    if settings.top_k and settings.top_k < len(logits):
        cut[order[settings.top_k :]] = CUT_TOP_K
    if settings.top_p < 1.0:
        kept = order[cut[order] == KEPT]
        mass = np.cumsum(tempered[kept]) / tempered[kept].sum()  # renormalised over what top-k kept
        n_keep = int(np.searchsorted(mass, settings.top_p) + 1)  # smallest prefix reaching top_p
        cut[kept[n_keep:]] = CUT_TOP_P
    probs = np.where(cut == KEPT, tempered, 0.0)
    probs = probs / probs.sum()
    return Distribution(model_probs=model_probs, tempered=tempered, probs=probs, cut=cut, settings=settings)


def choose(dist: Distribution, draw: int = 0) -> int:
    """The next token id: the most likely one (greedy, or temperature 0), or a seeded draw.

    `draw` is the position of the token being drawn (how many tokens come before it in the text), so the
    same seed and text always draw the same token, and each later position draws afresh.
    """
    s = dist.settings
    if s.is_greedy:
        return int(np.argmax(dist.probs))
    rng = np.random.default_rng([s.seed, draw])
    return int(rng.choice(len(dist.probs), p=dist.probs))
