"""Reference activations over a short bundled text: what "mean ablation" puts in a head's place.

The texts (model/texts/en.txt, zh.txt) are written for this project; a model reads the one in its language.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.load import LoadedModel

TEXTS = Path(__file__).resolve().parent / "texts"


def reference_text(language: str) -> str:
    path = TEXTS / f"{language}.txt"
    return (path if path.exists() else TEXTS / "en.txt").read_text(encoding="utf-8").strip()


def mean_head_out(lm: LoadedModel) -> np.ndarray:
    """(L, H, dh) each head's mean output z over the reference text; computed once per model."""
    cached = lm.memo.get("mean_head_out")
    if cached is None:
        from model.tracing import trace_ids

        ids = lm.tokenizer(reference_text(lm.language))["input_ids"]
        tr = trace_ids(lm, ids[: lm.context_size])  # its beginning, where it is longer than the context
        cached = tr.head_out.mean(axis=1)  # (L, T, H, dh) -> (L, H, dh)
        cached.flags.writeable = False
        lm.memo["mean_head_out"] = cached
    return cached
