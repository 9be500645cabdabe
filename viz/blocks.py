"""Lesson 5 — inside the blocks: the logit lens, a pinned token across depth, the residual ledger, heads.

Pure: numpy in, plotly out. Rows R of a lens are the stream after each sub-block (embedding, L0 attn,
L0 mlp, …); columns T are the prompt's positions; V the vocabulary.
"""

from __future__ import annotations

import re

import numpy as np
import plotly.graph_objects as go

from lessons import t
from lessons.i18n import has
from viz import theme
from viz.labels import token_label, visible

COLOURINGS = ("answer", "top1", "rank", "entropy")  # what a lens cell's colour shows
MAX_COLUMNS = 48  # positions drawn in the lens heatmap at most (the last ones)
PART = re.compile(r"^L(\d+)(?: (attn|mlp))?$")


def part_name(name: str, lang: str = "en") -> str:
    """A lens row or ledger component ("embed", "L0 attn", "token embedding", "bias", …) in the reader's
    language; the notebook API keeps the short English names."""
    match = PART.match(name)
    if match:
        key = f"blocks.part.{match.group(2)}" if match.group(2) else "blocks.layer"  # "L2": a whole layer
        return t(key, lang, layer=int(match.group(1)))
    key = f"blocks.part.{name.replace(' ', '_')}"
    return t(key, lang) if has(key) else name  # e.g. "—": no part (a post-norm model has no ledger)


def cell_rows(logp: np.ndarray, below: np.ndarray | None, vocab_text: list[str], k: int = 10) -> list[dict]:
    """One lens cell's top-k: log-probabilities (V,) there and in the row below (V,) or None (the embedding
    row has none). Each row: token, probability, rank here and below (1 = top), and the change — positive
    when the token climbed since the row below."""
    order = np.argsort(-logp, kind="stable")  # (V,) best first
    ranks_below = None
    if below is not None:
        ranks_below = np.empty(len(below), dtype=np.int64)
        ranks_below[np.argsort(-below, kind="stable")] = np.arange(1, len(below) + 1)
    rows = []
    for rank, token in enumerate(order[:k], start=1):
        before = None if ranks_below is None else int(ranks_below[token])
        rows.append(
            {
                "token": vocab_text[token],
                "id": int(token),
                "p": float(np.exp(logp[token])),
                "rank": rank,
                "rank_below": before,
                "change": None if before is None else before - rank,
            }
        )
    return rows


def change_text(change: int | None) -> str:
    """↑3 when a token climbed three places since the row below, ↓2 when it fell, = when it held, — for none."""
    if change is None:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "="


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
    picked: list[int] | None = None,
) -> go.Figure:
    """The classic logit-lens heatmap: x = the prompt's tokens (the actual next token on the top axis, ✓
    where the final guess is right), rows = depth from the embedding (bottom) to the output (top); each cell
    names its top-1 token. `vocab_text`: display text per vocabulary id. The columns are the prompt's
    positions from `first_position` on (a long prompt shows its last MAX_COLUMNS). Heatmaps cannot be
    clicked in Streamlit, so an invisible marker sits on every cell, customdata [row, position, hover];
    `picked` [row, position] is outlined."""
    R, T = grid["top1"].shape
    start = max(0, T - MAX_COLUMNS)
    keep = slice(start, T)
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
                row=part_name(row_names[r], lang),
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
        hoverinfo="skip",  # the markers on top answer
        colorscale=scale,
        zmin=0 if colour in ("answer", "top1") else None,
        zmax=1 if colour in ("answer", "top1") else None,
        colorbar={"title": t(f"blocks.colour.{colour}", lang)},
    )
    anchor = go.Scatter(x=ticks, y=[row_names[-1]] * len(labels), xaxis="x2", visible=False)  # holds the top axis
    cells = theme.click_targets(
        [c for r in range(R) for c in ticks],
        [row_names[r] for r in range(R) for c in ticks],
        [[r, first_position + start + c, hover[r][c]] for r in range(R) for c in ticks],
        "%{customdata[2]}<extra></extra>",
        22,
    )
    shapes = []
    if picked is not None and start <= picked[1] - first_position < T:
        c = picked[1] - first_position - start
        line = {"color": theme.HIGHLIGHT, "width": 3}
        shapes.append({"type": "rect", "x0": c - 0.5, "x1": c + 0.5, "y0": picked[0] - 0.5, "y1": picked[0] + 0.5})
        shapes[-1] |= {"yref": "y", "line": line}
    top = max(len(a) for a in top_labels) if top_labels else 1  # the slanted next-token labels above the plot
    return theme.figure(
        [heatmap, anchor, cells],
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
        yaxis={"tickvals": row_names, "ticktext": [part_name(name, lang) for name in row_names]},
        shapes=shapes,
        clickmode="event+select",
        hovermode="closest",
    )


def trajectory_figure(
    row_names: list[str], curves: dict[str, np.ndarray], lang: str = "en", title: str | None = None
) -> go.Figure:
    """Pinned tokens: each token's probability (R,) across depth, at one position (or, titled otherwise, any
    curves in 0…1 over the rows)."""
    rows = [part_name(name, lang) for name in row_names]
    lines = [
        go.Scatter(
            x=rows,
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
    names = [part_name(name, lang) for name, _ in parts]
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


def activation_figure(
    curve_x: np.ndarray,
    curve_y: np.ndarray,
    pre: np.ndarray,
    ys: np.ndarray,
    marked: np.ndarray,
    function: str,
    token: str,
    lang: str = "en",
) -> go.Figure:
    """The MLP's activation function (curve (n,) points) with one token's m neurons on it: x = each neuron's
    pre-activation (m,), y = the function of it, ys (m,); the neurons in `marked` (ids) stand out, labelled."""
    others = np.setdiff1d(np.arange(len(pre)), marked)
    traces = [
        go.Scatter(
            x=curve_x, y=curve_y, mode="lines", line={"color": theme.CUT, "width": 2}, name=function, hoverinfo="skip"
        ),
        go.Scatter(
            x=pre[others],
            y=ys[others],
            mode="markers",
            marker={"color": theme.rgba(theme.MLP, 0.35), "size": 5},
            customdata=others,
            name=t("blocks.act.all", lang, m=len(pre)),
            hovertemplate=t("blocks.neuron", lang, n="%{customdata}") + ": %{x:.3f} → %{y:.3f}<extra></extra>",
        ),
        go.Scatter(
            x=pre[marked],
            y=ys[marked],
            mode="markers+text",
            marker={"color": theme.MLP, "size": 10, "line": {"color": "white", "width": 1}},
            text=[str(int(n)) for n in marked],
            textposition="top center",
            customdata=marked,
            name=t("blocks.act.marked", lang, n=len(marked)),
            hovertemplate=t("blocks.neuron", lang, n="%{customdata}") + ": %{x:.3f} → %{y:.3f}<extra></extra>",
        ),
    ]
    return theme.figure(
        traces,
        t("blocks.act.title", lang, function=function, token=visible(token)),
        380,
        xaxis={"title": {"text": t("blocks.act.x", lang)}, "zeroline": True},
        yaxis={"title": {"text": t("blocks.act.y", lang)}, "zeroline": True},
        legend={"orientation": "h", "y": -0.2},
    )
