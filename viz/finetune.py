"""Lesson 9 — fine-tuning: the run's losses, the base and tuned guesses side by side, and what changed.

Pure: numpy in, plotly out. S steps; per matrix ΔW as (out, in); k bars.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.next_token import paired_bars_figure

KINDS = ("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj")  # GPT-2's four matrices per block, in order
MOST_CELLS = 96  # a ΔW heatmap is pooled to at most this many rows and columns


def loss_figure(losses: list[float], held_out: list[tuple[int, float]], lang: str = "en") -> go.Figure:
    """The examples' loss at every step (S,) and the held-out story's loss at its measurements: learning the
    new, and forgetting the old, on one chart."""
    steps = list(range(1, len(losses) + 1))
    lines = [go.Scatter(x=steps, y=losses, mode="lines", name=t("finetune.loss.task", lang), line={"color": theme.CUT})]
    if held_out:
        at, value = zip(*held_out, strict=True)
        lines.append(
            go.Scatter(
                x=at, y=value, mode="lines+markers", name=t("finetune.loss.story", lang), line={"color": theme.TOKEN}
            )
        )
    return theme.figure(
        lines,
        t("finetune.loss.title", lang),
        320,
        xaxis={"title": {"text": t("learning.loss.x", lang)}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("learning.loss.y", lang)}, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.3},
    )


def bars_figure(
    base: tuple[list[str], np.ndarray], tuned: tuple[list[str], np.ndarray], title: str, lang: str = "en"
) -> go.Figure:
    """The base and the tuned model's k likeliest next tokens for one prompt, side by side: (tokens, probs (k,))."""
    panels = (
        (*base, [theme.PREDICTION_FAINT] * len(base[0])),
        (*tuned, [theme.PREDICTION] * len(tuned[0])),
    )
    titles = (t("finetune.bars.base", lang), t("finetune.bars.tuned", lang))
    return paired_bars_figure(panels, titles, title)


def matrix_kind(name: str) -> tuple[int, str] | None:
    """(layer, kind) of a GPT-2 matrix name such as "transformer.h.2.mlp.c_fc"; None for any other."""
    found = re.search(r"\.h\.(\d+)\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)$", name)
    return (int(found.group(1)), found.group(2)) if found else None


def change_figure(ratios: dict[str, float], n_layers: int, lang: str = "en") -> go.Figure:
    """‖ΔW‖ / ‖W‖ of every block matrix (layers × the four kinds): where tuning moved the weights."""
    grid = np.full((n_layers, len(KINDS)), np.nan)  # (L, 4)
    for name, ratio in ratios.items():
        where = matrix_kind(name)
        if where is not None and where[0] < n_layers:
            grid[where[0], KINDS.index(where[1])] = ratio
    heatmap = go.Heatmap(
        z=grid,
        x=list(KINDS),
        y=[f"L{layer}" for layer in range(n_layers)],
        colorscale=theme.SEQUENTIAL,
        zmin=0,
        text=[["" if np.isnan(v) else f"{v:.1%}" for v in row] for row in grid],
        texttemplate="%{text}",
        hovertemplate="%{y} %{x}: %{z:.3%}<extra></extra>",
        colorbar={"title": {"text": "‖ΔW‖/‖W‖"}, "thickness": 12, "tickformat": ".0%"},
        xgap=2,
        ygap=2,
    )
    return theme.figure(
        [heatmap],
        t("finetune.change.title", lang),
        theme.heatmap_height(n_layers, per_row=56, base=160, most=420),
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"type": "category", "side": "top"},
        margin={"t": 100},  # the title above the column names
    )


def pooled(delta: np.ndarray, most: int = MOST_CELLS) -> np.ndarray:
    """(out, in) → at most (most, most): the mean of each block of cells, so a large matrix draws quickly."""
    rows = -(-delta.shape[0] // most)
    cols = -(-delta.shape[1] // most)
    out = delta[: delta.shape[0] // rows * rows, : delta.shape[1] // cols * cols]
    return out.reshape(out.shape[0] // rows, rows, out.shape[1] // cols, cols).mean(axis=(1, 3))


def delta_figure(delta: np.ndarray, title: str, lang: str = "en") -> go.Figure:
    """One matrix's ΔW (out, in), pooled for drawing, in a diverging colour scale centred on 0."""
    cells = pooled(delta)
    bound = float(np.abs(cells).max()) or 1.0
    heatmap = go.Heatmap(
        z=cells,
        zmin=-bound,
        zmax=bound,
        colorscale=theme.DIVERGING,
        hovertemplate="%{z:.2e}<extra></extra>",
        colorbar={"title": {"text": "ΔW"}, "thickness": 12, "exponentformat": "e"},
    )
    return theme.figure(
        [heatmap],
        title,
        360,
        xaxis={"title": {"text": t("finetune.delta.in", lang, n=delta.shape[1])}, "showticklabels": False},
        yaxis={"title": {"text": t("finetune.delta.out", lang, n=delta.shape[0])}, "showticklabels": False},
    )


def singular_figure(values: np.ndarray, rank: int | None, lang: str = "en") -> go.Figure:
    """The first singular values of ΔW (k,), largest first: LoRA's update has only `rank` that are not ~0."""
    bars = go.Bar(
        x=list(range(1, len(values) + 1)),
        y=values,
        marker={"color": theme.ATTENTION},
        hovertemplate="σ%{x}: %{y:.3e}<extra></extra>",
    )
    shapes = []
    if rank:
        shapes.append(
            {"type": "line", "xref": "x", "x0": rank + 0.5, "x1": rank + 0.5, "yref": "paper", "y0": 0, "y1": 1}
            | {"line": {"color": theme.HIGHLIGHT, "dash": "dash"}}
        )
    return theme.figure(
        [bars],
        t("finetune.singular.title", lang),
        360,
        xaxis={"title": {"text": t("finetune.singular.x", lang)}, "dtick": 1},
        yaxis={"title": {"text": t("finetune.singular.y", lang)}, "rangemode": "tozero"},
        shapes=shapes,
    )
