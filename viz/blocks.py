"""Lesson 5 — inside the blocks: the logit lens, a pinned token across depth, the residual ledger, heads.

Pure: numpy in, plotly out. Rows R of a lens are the stream after each sub-block (embedding, L0 attn,
L0 mlp, …); columns T are the prompt's positions; V the vocabulary.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import token_label, visible

COLOURINGS = ("answer", "top1", "rank", "entropy")  # what a lens cell's colour shows
MAX_COLUMNS = 48  # positions drawn in the lens heatmap at most (the last ones)


def lens_grid(logp: np.ndarray, answers: np.ndarray) -> dict[str, np.ndarray]:
    """From log-probabilities (R, T, V) and the model's final answers (T,): per cell (R, T) the top-1 id,
    its probability, the final answer's probability and rank (1 = top), and the entropy in nats."""
    probs = np.exp(logp)  # (R, T, V)
    top1 = probs.argmax(-1)  # (R, T)
    answer_p = np.take_along_axis(probs, answers[None, :, None], axis=-1)[..., 0]  # (R, T)
    rank = (probs > answer_p[..., None]).sum(-1) + 1  # (R, T)
    entropy = -(probs * logp).sum(-1)  # (R, T)
    return {"top1": top1, "top1_p": probs.max(-1), "answer_p": answer_p, "rank": rank, "entropy": entropy}


def lens_figure(
    grid: dict[str, np.ndarray],
    row_names: list[str],
    tokens: list[str],
    vocab_text: list[str],
    answers_text: list[str],
    correct: np.ndarray,
    colour: str = "answer",
    lang: str = "en",
    first_position: int = 0,
) -> go.Figure:
    """The classic logit-lens heatmap: x = the prompt's tokens (the actual next token on the top axis, ✓
    where the final guess is right), rows = depth from the embedding (bottom) to the output (top); each cell
    names its top-1 token. `vocab_text`: display text per vocabulary id. The columns are the prompt's
    positions from `first_position` on (a long prompt shows its last MAX_COLUMNS)."""
    R, T = grid["top1"].shape
    keep = slice(max(0, T - MAX_COLUMNS), T)
    z = {
        "answer": grid["answer_p"],
        "top1": grid["top1_p"],
        "rank": np.log10(grid["rank"]),
        "entropy": grid["entropy"],
    }[colour][:, keep]
    text = [[visible(vocab_text[i])[:6] for i in row[keep]] for row in grid["top1"]]
    hover = [
        [
            t(
                "blocks.lens.hover",
                lang,
                row=row_names[r],
                token=visible(tokens[c]),
                top=visible(vocab_text[grid["top1"][r, c]]),
                top_p=100 * grid["top1_p"][r, c],
                answer=visible(answers_text[c]),
                answer_p=100 * grid["answer_p"][r, c],
                rank=int(grid["rank"][r, c]),
                entropy=grid["entropy"][r, c],
            )
            for c in range(T)[keep]
        ]
        for r in range(R)
    ]
    labels = [token_label(first_position + i, tok) for i, tok in enumerate(tokens)][keep]
    top_labels = [("✓ " if ok else "") + visible(a) for a, ok in zip(answers_text[keep], correct[keep], strict=True)]
    scale = {"answer": theme.SEQUENTIAL, "top1": theme.SEQUENTIAL, "rank": "Blues_r", "entropy": "Oranges"}[colour]
    ticks = list(range(len(labels)))
    span = [-0.5, len(labels) - 0.5]
    heatmap = go.Heatmap(
        z=z,
        x=ticks,
        y=row_names,
        text=text,
        texttemplate="%{text}",
        textfont={"size": 10},
        customdata=hover,
        hovertemplate="%{customdata}<extra></extra>",
        colorscale=scale,
        zmin=0 if colour in ("answer", "top1") else None,
        zmax=1 if colour in ("answer", "top1") else None,
        colorbar={"title": t(f"blocks.colour.{colour}", lang)},
    )
    anchor = go.Scatter(x=ticks, y=[row_names[-1]] * len(labels), xaxis="x2", visible=False)  # holds the top axis
    top = max(len(a) for a in top_labels) if top_labels else 1  # the slanted next-token labels above the plot
    return theme.figure(
        [heatmap, anchor],
        t("blocks.lens.title", lang),
        theme.heatmap_height(R, per_row=30, base=300),
        xaxis={
            "tickvals": ticks,
            "ticktext": labels,
            "tickangle": -50,
            "title": {"text": t("blocks.axis.input", lang)},
            "range": span,
        },
        xaxis2={
            "overlaying": "x",
            "side": "top",
            "tickvals": ticks,
            "ticktext": top_labels,
            "tickangle": -50,
            "range": span,
            "title": {"text": t("blocks.axis.next", lang)},
        },
        # room above the plot for the labels and their title, with the chart's own title pinned to the very top
        margin={"t": 90 + 7 * min(top, 10)},
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
    )


def trajectory_figure(
    row_names: list[str], curves: dict[str, np.ndarray], lang: str = "en", title: str | None = None
) -> go.Figure:
    """Pinned tokens: each token's probability (R,) across depth, at one position (or, titled otherwise, any
    curves in 0…1 over the rows)."""
    lines = [
        go.Scatter(
            x=row_names,
            y=probs,
            mode="lines+markers",
            name=visible(name),
            hovertemplate=f"{visible(name)} · %{{x}}<br>%{{y:.2%}}<extra></extra>",
        )
        for name, probs in curves.items()
    ]
    return theme.figure(
        lines,
        title or t("blocks.pinned.title", lang),
        360,
        yaxis={"title": {"text": t("blocks.axis.probability", lang)}, "rangemode": "tozero", "tickformat": ".2~%"},
        xaxis={"title": {"text": t("blocks.axis.depth", lang)}},  # .2~%: 0.5%, not 0%
    )


def first_top1(row_names: list[str], top1: np.ndarray, token_id: int) -> str | None:
    """The first row from which `token_id` stays the top-1 guess to the end, or None. top1: (R,)."""
    for r in range(len(top1)):
        if (top1[r:] == token_id).all():
            return row_names[r]
    return None


def ledger_figure(parts: list[tuple[str, float]], model_logit: float, token: str, lang: str = "en") -> go.Figure:
    """A waterfall: each component's direct contribution to the logit of `token`, ending at the total."""
    names = [name for name, _ in parts]
    values = [value for _, value in parts]
    waterfall = go.Waterfall(
        x=[*names, t("blocks.ledger.total", lang)],
        y=[*values, 0],
        measure=["relative"] * len(values) + ["total"],
        text=[f"{v:+.2f}" for v in values] + [f"{sum(values):.2f}"],
        textposition="outside",
        connector={"line": {"color": "#999"}},
        increasing={"marker": {"color": "#6B8EAD"}},  # neutral: green and purple mean attention and MLP
        decreasing={"marker": {"color": theme.CUT}},
        totals={"marker": {"color": theme.PREDICTION}},
        hovertemplate="%{x}: %{y:+.4f}<extra></extra>",
    )
    line, note = theme.hline(model_logit, t("blocks.ledger.model", lang, logit=model_logit), "#555")
    return theme.figure(
        [waterfall],
        t("blocks.ledger.title", lang, token=visible(token)),
        420,
        yaxis={"title": {"text": t("blocks.axis.logit", lang, token=visible(token))}},
        shapes=[line],
        annotations=[note],
    )


def neurons_figure(
    pushes: np.ndarray, neurons: np.ndarray, activations: np.ndarray, token: str, lang: str = "en"
) -> go.Figure:
    """Horizontal bars: the neurons (ids) that push `token`'s logit most, signed, with their activations."""
    labels = [t("blocks.neuron", lang, n=int(n)) for n in neurons]
    bars = go.Bar(
        x=pushes,
        y=labels,
        orientation="h",
        marker_color=[theme.MLP if p >= 0 else theme.PREDICTION for p in pushes],
        customdata=activations,
        text=[f"{p:+.2f}" for p in pushes],
        textposition="outside",
        hovertemplate="%{y}: %{x:+.4f}<br>" + t("blocks.neuron.activation", lang) + " %{customdata:.3f}<extra></extra>",
    )
    return theme.figure(
        [bars],
        t("blocks.neurons.title", lang, token=visible(token)),
        theme.heatmap_height(len(neurons), 30),
        yaxis={"autorange": "reversed"},
        xaxis={"title": {"text": t("blocks.axis.logit", lang, token=visible(token))}},
    )


def heads_figure(contrib: np.ndarray, token: str, lang: str = "en") -> go.Figure:
    """(L, H) each head's direct contribution to the logit of `token`, diverging around 0."""
    bound = float(np.abs(contrib).max()) or 1.0
    heatmap = go.Heatmap(
        z=contrib,
        x=[t("blocks.head", lang, h=h) for h in range(contrib.shape[1])],
        y=[t("blocks.layer", lang, layer=layer) for layer in range(contrib.shape[0])],
        colorscale=theme.DIVERGING,
        zmin=-bound,
        zmax=bound,
        text=np.round(contrib, 2),
        texttemplate="%{text}",
        hovertemplate="%{y} · %{x}: %{z:+.4f}<extra></extra>",
        colorbar={"title": t("blocks.axis.contribution", lang)},
    )
    return theme.figure(
        [heatmap], t("blocks.heads.title", lang, token=visible(token)), theme.heatmap_height(contrib.shape[0], 40)
    )
