"""The overview: the whole forward pass as a row of stages, each with this prompt's real numbers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons import t
from model.numeric import softmax
from model.types import Trace
from viz import theme
from viz.labels import visible


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
    shown = " ".join(visible(tok) for tok in tr.tokens[:3]) + (" …" if tr.n_tokens > 3 else "")
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
                t("pipeline.next.detail", lang, token=visible(next_token), p=prob * 100),
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


def pipeline_figure(steps: list[Stage], lang: str = "en") -> go.Figure:
    """Boxes left to right joined by arrows; each box names a stage and its numbers."""
    fig = go.Figure()
    width, gap = 1.0, 0.22
    for i, stage in enumerate(steps):
        x0 = i * (width + gap)
        fig.add_shape(
            type="rect", x0=x0, x1=x0 + width, y0=0, y1=1, line={"color": stage.colour, "width": 2},
            fillcolor=stage.colour, opacity=0.18, layer="below",
        )  # fmt: skip
        fig.add_annotation(
            x=x0 + width / 2, y=0.84, text=f"<b>{stage.title}</b>", showarrow=False, font={"size": 13, "color": "#222"}
        )
        fig.add_annotation(
            x=x0 + width / 2, y=0.42, text=stage.detail, showarrow=False, font={"size": 12, "color": "#333"}
        )
        if i:
            fig.add_annotation(
                x=x0, y=0.5, ax=x0 - gap, ay=0.5, xref="x", yref="y", axref="x", ayref="y",
                showarrow=True, arrowhead=3, arrowsize=1.2, arrowcolor="#666", text="",
            )  # fmt: skip
    # invisible points so hovering a box shows its full text
    fig.add_scatter(
        x=[i * (width + gap) + width / 2 for i in range(len(steps))],
        y=[0.5] * len(steps),
        mode="markers",
        marker={"size": 60, "opacity": 0},
        hovertext=[f"{s.title}: {s.detail.replace('<br>', ' ')}" for s in steps],
        hoverinfo="text",
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[-0.1, len(steps) * (width + gap) - gap + 0.1])
    fig.update_yaxes(visible=False, range=[-0.05, 1.05])
    return theme.style(fig, t("pipeline.title", lang), height=270)
