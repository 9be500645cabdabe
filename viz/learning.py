"""Lesson 8 — how it learned: the recorded training replayed.

Pure: numpy in, plotly out. S recorded steps; (L, H) head grids; a probe's (T, T) attention.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import token_labels


def loss_figure(
    steps: np.ndarray,
    train: np.ndarray,
    val: np.ndarray,
    bigram: float | None,
    step: int,
    phase: int | None,
    lang: str = "en",
) -> go.Figure:
    """Training and validation loss (S,) over the run, the bigram baseline, the chosen step and the phase
    change (the first step with an induction head) marked."""
    lines = [
        go.Scatter(x=steps, y=train, mode="lines", name=t("learning.loss.train", lang), line={"color": theme.CUT}),
        go.Scatter(x=steps, y=val, mode="lines", name=t("learning.loss.val", lang), line={"color": theme.TOKEN}),
    ]
    shapes, notes = [], []
    if bigram is not None:
        line, note = theme.hline(bigram, t("learning.loss.bigram", lang, loss=bigram), "#555")
        shapes.append(line)
        notes.append(note | {"xanchor": "right", "x": 1})
    now = {"type": "line", "xref": "x", "x0": step, "x1": step, "yref": "paper", "y0": 0, "y1": 1}
    shapes.append(now | {"line": {"color": theme.HIGHLIGHT, "width": 2}})
    if phase is not None:
        band = {"type": "line", "xref": "x", "x0": phase, "x1": phase, "yref": "paper", "y0": 0, "y1": 1}
        shapes.append(band | {"line": {"color": theme.ATTENTION, "width": 2, "dash": "dash"}})
        notes.append(
            {"x": phase, "xref": "x", "y": 1, "yref": "paper", "xanchor": "left", "yanchor": "bottom"}
            | {
                "text": t("learning.loss.phase", lang, step=phase),
                "showarrow": False,
                "font": {"color": theme.ATTENTION},
            }
        )
    return theme.figure(
        lines,
        t("learning.loss.title", lang),
        360,
        xaxis={"title": {"text": t("learning.loss.x", lang)}},
        yaxis={"title": {"text": t("learning.loss.y", lang)}},
        shapes=shapes,
        annotations=notes,
        legend={"orientation": "h", "y": -0.25},
        margin={"t": 70},
    )


def probe_figure(
    pattern: np.ndarray, tokens: list[str], title: str, lang: str = "en", causal: bool = True
) -> go.Figure:
    """One head's attention (T, T) on the recorded probe at one step: query rows × key columns (a decoder's
    future cells blank)."""
    labels = token_labels(tokens)
    T = pattern.shape[0]
    masked = np.triu(np.ones((T, T), bool), 1) if causal else np.zeros((T, T), bool)
    heatmap = go.Heatmap(
        z=np.where(masked, np.nan, pattern),
        x=labels,
        y=labels,
        zmin=0.0,
        zmax=1.0,
        colorscale=theme.SEQUENTIAL,
        xgap=1,
        ygap=1,
        hovertemplate="%{y} → %{x}: %{z:.3f}<extra></extra>",
        colorbar={"title": {"text": t("attention.weight", lang)}, "thickness": 12},
    )
    return theme.figure(
        [heatmap],
        title,
        theme.heatmap_height(T, per_row=20, most=620),
        xaxis={"title": {"text": t("axis.key", lang)}, "tickangle": -60, "type": "category"},
        yaxis={"title": {"text": t("axis.query", lang)}, "autorange": "reversed", "type": "category"},
    )


def live_loss_figure(
    steps: list[int], loss: list[float], held_out: list[tuple[int, float]], start: float, lang: str = "en"
) -> go.Figure:
    """A live run's training loss per step (S,), the held-out loss at its records ((step, loss) pairs) and the
    loss of a uniform guess over the run's vocabulary, where training starts."""
    lines = [
        go.Scatter(x=steps, y=loss, mode="lines", name=t("learning.live.loss.train", lang), line={"color": theme.CUT})
    ]
    if held_out:
        at, value = zip(*held_out, strict=True)
        lines.append(
            go.Scatter(
                x=at,
                y=value,
                mode="lines+markers",
                name=t("learning.live.loss.val", lang),
                line={"color": theme.TOKEN},
            )
        )
    line, note = theme.hline(start, t("learning.live.loss.start", lang, loss=start), "#555")
    return theme.figure(
        lines,
        t("learning.live.loss.title", lang),
        320,
        xaxis={"title": {"text": t("learning.loss.x", lang)}, "rangemode": "tozero"},
        yaxis={"title": {"text": t("learning.loss.y", lang)}, "rangemode": "tozero"},
        shapes=[line],
        annotations=[note | {"xanchor": "right", "x": 1}],
        legend={"orientation": "h", "y": -0.3},
    )
