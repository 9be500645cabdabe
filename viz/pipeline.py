"""The overview: the whole forward pass as a row of stages, each with this prompt's real numbers."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np

from lessons import t
from model.numeric import softmax
from model.types import Trace
from viz import theme
from viz.labels import pct, visible


@dataclass(frozen=True)
class Stage:
    lesson: str  # page key of the lesson that explains it
    title: str
    detail: str  # real numbers for this prompt
    colour: str


def top_prediction(tr: Trace) -> tuple[int, float] | None:
    """The id of the most likely next token after the prompt and its probability; None for an encoder."""
    if not tr.has_logits:
        return None
    probs = softmax(tr.logits_at(-1))  # (V,)
    best = int(np.argmax(probs))
    return best, float(probs[best])


def stages(tr: Trace, prediction: tuple[str, float] | None, lang: str = "en") -> list[Stage]:
    """The pipeline for this trace. `prediction`: the top next token's text and probability (decoders)."""
    shown = html.escape(" ".join(visible(tok) for tok in tr.tokens[:3]) + (" …" if tr.n_tokens > 3 else ""))
    positions = t(f"pipeline.positions.{tr.position_kind}", lang)
    out = [
        Stage("tokens", t("pipeline.prompt", lang), t("pipeline.prompt.detail", lang, chars=len(tr.prompt)), theme.CUT),
        Stage(
            "tokens",
            t("pipeline.tokens", lang),
            t("pipeline.tokens.detail", lang, n=tr.n_tokens, shown=shown),
            theme.TOKEN,
        ),
        Stage(
            "embeddings",
            t("pipeline.embeddings", lang),
            t("pipeline.embeddings.detail", lang, n=tr.n_tokens, d=tr.d_model, vocab=tr.vocab_size),
            theme.TOKEN,
        ),
        Stage("positions", t("pipeline.positions", lang), positions, theme.POSITION),
        Stage(
            "attention",
            t("pipeline.blocks", lang, layers=tr.n_layers),
            t(
                "pipeline.blocks.detail",
                lang,
                heads=tr.n_heads,
                layers=tr.n_layers,
                mask=t(f"pipeline.mask.{tr.is_causal}", lang),
            ),
            theme.ATTENTION,
        ),
    ]
    if prediction is not None:
        next_token, prob = prediction
        out += [
            Stage(
                "next_token",
                t("pipeline.logits", lang),
                t("pipeline.logits.detail", lang, vocab=tr.vocab_size),
                theme.PREDICTION,
            ),
            Stage(
                "next_token",
                t("pipeline.next", lang),
                t("pipeline.next.detail", lang, token=html.escape(visible(next_token)), p=pct(prob)),
                theme.PREDICTION,
            ),
        ]
    else:
        out.append(
            Stage(
                "attention",
                t("pipeline.encoder_out", lang),
                t("pipeline.encoder_out.detail", lang, n=tr.n_tokens, d=tr.d_model),
                theme.MLP,
            )
        )
    return out


def pipeline_html(steps: list[Stage], lang: str = "en") -> str:
    """The stages as boxes joined by arrows that wrap onto more lines on a narrow screen (a 1024-px projector,
    a phone): each box names a stage and its numbers. Returns self-contained HTML."""
    boxes = []
    for i, stage in enumerate(steps):
        detail = stage.detail  # our templates' <b>/<br>, with the prompt's own text escaped in stages()
        if i:
            boxes.append('<div style="align-self:center;font-size:1.4rem;color:#666">→</div>')
        boxes.append(
            f'<div style="flex:1 1 9rem;max-width:15rem;min-width:8rem;padding:0.55rem 0.7rem;border-radius:0.5rem;'
            f"border:2px solid {stage.colour};background:{theme.rgba(stage.colour, 0.12)};color:#222;"
            f'line-height:1.35"><div style="font-weight:600;margin-bottom:0.25rem">{html.escape(stage.title)}</div>'
            f'<div style="font-size:0.88rem;color:#333">{detail}</div></div>'
        )
    title = html.escape(t("pipeline.title", lang))
    return (
        f'<div role="figure" aria-label="{title}"><div style="font-weight:600;margin:0.2rem 0 0.5rem">{title}</div>'
        '<div style="display:flex;flex-wrap:wrap;gap:0.45rem;align-items:stretch">' + "".join(boxes) + "</div></div>"
    )
