"""Lesson 11's alignment charts: how the cross-attention formed over training (from the record), and the same
job done by a decoder-only twin beside it. Pure: numpy in, plotly out; axes as in viz/seq2seq.py."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.attention import MAX_KEY_TICKS, _ticks
from viz.seq2seq import axis_labels

MOST_SNAPSHOTS = 6  # the training history shows at most this many moments side by side


def _spread(count: int, most: int) -> list[int]:
    """At most `most` indices out of `count`, evenly spread, the first and the last always among them."""
    if count <= most:
        return list(range(count))
    return sorted({int(round(i)) for i in np.linspace(0, count - 1, most)})


def history_figure(
    snapshots: list[tuple[int, np.ndarray]],
    output_labels: list[str],
    input_labels: list[str],
    lang: str = "en",
    title: str = "",
    most: int = MOST_SNAPSHOTS,
) -> go.Figure:
    """The cross-attention at a few moments of training, side by side: snapshots [(training step, (T_out, T_in))],
    at most `most` of them (evenly spread, first and last kept), one colour scale for all."""
    if not snapshots:
        raise ValueError("No snapshots to draw.")
    picked = [snapshots[i] for i in _spread(len(snapshots), most)]
    rows, cols = axis_labels(output_labels), axis_labels(input_labels)
    n, gap = len(picked), 0.02
    width = (1 - gap * (n - 1)) / n
    traces, layout, titles = [], {}, []
    for k, (step, cross) in enumerate(picked):
        if cross.shape != (len(rows), len(cols)):
            raise ValueError(f"The snapshot at step {step} is {cross.shape}, not ({len(rows)}, {len(cols)}).")
        suffix = "" if k == 0 else str(k + 1)
        left = k * (width + gap)
        traces.append(
            go.Heatmap(
                z=cross,
                x=cols,
                y=rows,
                coloraxis="coloraxis",
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                name=f"step {step}",
                customdata=np.full(cross.shape, step),
                hovertemplate=t("seq2seq.history.hover", lang) + "<extra></extra>",
            )
        )
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "anchor": f"y{suffix}",
            "tickangle": -90,
            "tickfont": {"size": 9},
            **_ticks(cols, 8),
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "autorange": "reversed",
            "showticklabels": k == 0,
            "tickfont": {"size": 10},
            **_ticks(rows),
        }
        titles.append(
            {"text": t("seq2seq.history.step", lang, step=step), "x": left + width / 2, "xref": "paper"}
            | {"y": 1.0, "yref": "paper", "yanchor": "bottom", "xanchor": "center", "showarrow": False}
        )
    layout["xaxis"]["title"] = {"text": t("seq2seq.axis.input", lang)}
    layout["yaxis"]["title"] = {"text": t("seq2seq.axis.output", lang)}
    return theme.figure(
        traces,
        title or t("seq2seq.history.title", lang),
        theme.heatmap_height(len(rows), per_row=18, base=190, most=560),
        **layout,
        coloraxis={
            "colorscale": theme.SEQUENTIAL,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {"title": {"text": t("attention.weight", lang), "side": "right"}, "thickness": 10},
        },
        annotations=titles,
        margin={"t": 80},
    )


def alignment_curve(
    steps: list[int] | np.ndarray,
    values: list[float] | np.ndarray,
    lang: str = "en",
    title: str = "",
    chance: float | None = None,
) -> go.Figure:
    """Over training (steps (S,)), the share of the cross-attention on the right input character (values (S,),
    0…1, e.g. `attention_on` over the aligned pairs); chance: the share of attention spread evenly (1/T_in)."""
    line = go.Scatter(
        x=list(steps),
        y=list(values),
        mode="lines+markers",
        line={"color": theme.ATTENTION},
        name=t("seq2seq.curve.y", lang),
        hovertemplate=t("seq2seq.curve.hover", lang) + "<extra></extra>",
    )
    shapes, notes = [], []
    if chance is not None:
        mark, note = theme.hline(chance, t("seq2seq.curve.chance", lang, share=chance), theme.CUT)
        shapes, notes = [mark], [note]
    return theme.figure(
        [line],
        title or t("seq2seq.curve.title", lang),
        320,
        xaxis={"title": {"text": t("seq2seq.curve.x", lang)}},
        yaxis={"title": {"text": t("seq2seq.curve.y", lang)}, "range": [0, 1.05]},
        shapes=shapes,
        annotations=notes,
        showlegend=False,
    )


def bridge_figure(
    cross_2d: np.ndarray,
    gpt_block: np.ndarray,
    output_labels: list[str],
    input_labels: list[str],
    lang: str = "en",
    title: str = "",
) -> go.Figure:
    """Side by side on the same axes: the encoder–decoder's cross-attention (T_out, T_in) and the decoder-only
    twin's self-attention from its output positions to its input positions (T_out, T_in): the block of its
    pattern below the diagonal, whose rows need not sum to 1 (the rest goes to the output written so far)."""
    if cross_2d.shape != gpt_block.shape or cross_2d.shape != (len(output_labels), len(input_labels)):
        raise ValueError(
            f"Cross-attention {cross_2d.shape} and the twin's block {gpt_block.shape} must both be "
            f"({len(output_labels)}, {len(input_labels)})."
        )
    rows, cols = axis_labels(output_labels), axis_labels(input_labels)
    layout = theme.two_panels(t("seq2seq.bridge.cross", lang), t("seq2seq.bridge.gpt", lang), spacing=0.08)
    traces = [
        go.Heatmap(
            z=z,
            x=cols,
            y=rows,
            coloraxis="coloraxis",
            xgap=1,
            ygap=1,
            name=name,
            xaxis=f"x{suffix}",
            yaxis=f"y{suffix}",
            hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>",
        )
        for z, name, suffix in ((cross_2d, "cross", ""), (gpt_block, "twin", "2"))
    ]
    for suffix in ("", "2"):
        layout[f"xaxis{suffix}"] |= {
            "title": {"text": t("seq2seq.axis.input", lang)},
            "tickangle": -60,
            **_ticks(cols, MAX_KEY_TICKS),
        }
        layout[f"yaxis{suffix}"] |= {"autorange": "reversed", **_ticks(rows)}
    layout["yaxis"]["title"] = {"text": t("seq2seq.axis.output", lang)}
    return theme.figure(
        traces,
        title or t("seq2seq.bridge.title", lang),
        theme.heatmap_height(len(rows), per_row=22, base=200, most=620),
        **layout,
        coloraxis={
            "colorscale": theme.SEQUENTIAL,
            "cmin": 0.0,
            "cmax": 1.0,
            "colorbar": {"title": {"text": t("attention.weight", lang), "side": "right"}, "thickness": 10},
        },
        margin={"t": 80},
    )
