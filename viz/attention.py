"""Lesson 4 — attention: one head's pattern, every head at a glance, lines, and the four steps.

Everything here reads a Trace (or numpy arrays) and returns numbers or a plotly figure:
no streamlit, no torch. Axes as in `model.types.Trace`: L layers, H heads, T tokens, dh per head.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import token_labels

if TYPE_CHECKING:
    from model.types import Trace

MAX_TICKS = 40  # at most this many token labels on a heatmap's query axis (rows are 18 px apart)
MAX_KEY_TICKS = 24  # …and on its key axis: slanted labels need ~17 px each in a 1024-px window's column
GRID_CELLS = 48  # a thumbnail in the grid of heads shows at most this many rows and columns
LABELS_MOST = 48  # up to this many tokens the lines view lists every token; above, only the strongest keys
LONG_KEYS = 16  # the strongest keys the lines view lists on a longer prompt
MIN_LINE_WEIGHT = 0.001  # weaker links are not drawn in the lines view
GAP = 0.6  # rows of space the lines view leaves where it skips positions (marked ⋮)
LINE_WIDTH = 12.0  # pixels of a line that carries the whole attention (weight 1)
MASKED_CELL = "#E4E1DE"  # a masked cell: a lighter shade of theme.CUT so the grid stays readable


def future_mask(n_tokens: int, causal: bool) -> np.ndarray:
    """(T, T) True where the key comes after the query: what a decoder's causal mask hides."""
    if not causal:
        return np.zeros((n_tokens, n_tokens), dtype=bool)
    return np.triu(np.ones((n_tokens, n_tokens), dtype=bool), k=1)  # (T, T)


def visible_keys(pattern: np.ndarray, query: int) -> int:
    """How many keys token `query` reads with any weight, measured on the pattern (L, H, T, T)."""
    return int((pattern[:, :, query] > 0).any(axis=(0, 1)).sum())


def _entropy_bits(rows: np.ndarray) -> np.ndarray:
    """Entropy in bits of each probability row: (..., T) → (...)."""
    logs = np.log2(np.where(rows > 0, rows, 1.0))  # 0 · log 0 counts as 0
    return -(rows * logs).sum(axis=-1)


def head_scores(pattern: np.ndarray) -> dict[str, np.ndarray]:
    """What every head does, one number per head, each (L, H):

    previous: mean attention a token pays to the token just before it (queries 1…T-1);
    first: mean attention to the first token (queries 1…T-1); self: mean attention to itself;
    entropy: mean entropy of a row in bits (0 = all on one key; log2 n = spread over n keys).
    previous and first are NaN when the prompt has a single token.
    """
    pattern = pattern.astype(np.float64)  # (L, H, T, T)
    T = pattern.shape[-1]
    q = np.arange(1, T)
    nan = np.full(pattern.shape[:2], np.nan)
    return {
        "previous": pattern[..., q, q - 1].mean(axis=-1) if T > 1 else nan,  # (L, H)
        "first": pattern[..., q, 0].mean(axis=-1) if T > 1 else nan,  # (L, H)
        "self": pattern[..., np.arange(T), np.arange(T)].mean(axis=-1),  # (L, H)
        "entropy": _entropy_bits(pattern).mean(axis=-1),  # (L, H)
    }


@dataclass(frozen=True)
class Steps:
    """score → scale → mask → softmax for one query token of one head, one entry per key token."""

    query: int
    raw: np.ndarray  # (T,) q·k
    scale: float  # multiplies the score, usually 1/sqrt(dh)
    scaled: np.ndarray  # (T,) q·k × scale
    masked: np.ndarray  # (T,) scaled, −inf where the causal mask hides the key
    softmax: np.ndarray  # (T,) exp(masked) / sum: the attention weights
    head_dim: int


def attention_steps(tr: Trace, layer: int, head: int, query: int) -> Steps:
    """Replay one row of the pattern from the model's own queries, keys and scale."""
    q = tr.queries[layer, head, query].astype(np.float64)  # (dh,)
    keys = tr.keys[layer, head].astype(np.float64)  # (T, dh)
    raw = keys @ q  # (T,)
    scale = float(tr.attn_scale[layer])
    scaled = raw * scale  # (T,)
    hidden = future_mask(tr.n_tokens, tr.is_causal)[query]  # (T,)
    masked = np.where(hidden, -np.inf, scaled)  # (T,)
    weights = np.exp(masked - masked.max())  # (T,) exp(−inf) = 0
    return Steps(query, raw, scale, scaled, masked, weights / weights.sum(), int(q.shape[0]))


def scale_text(steps: Steps) -> str:
    """The scale as a formula when it is the usual 1/√dh, else the plain number."""
    if math.isclose(steps.scale, steps.head_dim**-0.5, rel_tol=1e-5):
        return f"1/√{steps.head_dim} = {steps.scale:.4f}"
    return f"{steps.scale:.4f}"


def steps_rows(steps: Steps, tokens: list[str], lang: str = "en") -> list[dict]:
    """One table row per key token: the four steps with the model's numbers."""
    labels = token_labels(tokens)
    cols = [t(f"attention.steps.col.{c}", lang) for c in ("key", "score", "scaled", "masked", "softmax")]
    return [
        {
            cols[0]: labels[k],
            cols[1]: round(float(steps.raw[k]), 6),
            cols[2]: round(float(steps.scaled[k]), 6),
            cols[3]: "−∞" if np.isneginf(steps.masked[k]) else f"{steps.masked[k]:.4f}",
            cols[4]: round(float(steps.softmax[k]), 6),
        }
        for k in range(len(tokens))
    ]


def share_text(share: float) -> str:
    """A head's score as the page's metrics and the grid's hover both write it: 13.3%, or — when undefined."""
    return "—" if np.isnan(share) else f"{share:.1%}"


def _ticks(labels: list[str], most: int = MAX_TICKS) -> dict:
    """Axis ticks showing at most `most` labels, evenly spaced."""
    step = max(1, math.ceil(len(labels) / most))
    return {"tickmode": "array", "tickvals": labels[::step], "ticktext": labels[::step], "type": "category"}


def heatmap_figure(
    pattern: np.ndarray,
    query_labels: list[str],
    key_labels: list[str],
    hidden: np.ndarray | None = None,
    lang: str = "en",
    query: int | None = None,
    title: str = "",
    compact: bool = False,
    axis_titles: tuple[str, str] | None = None,
) -> go.Figure:
    """Heatmap of one head's weights, query rows × key columns, 0…1: the core of `pattern_figure`, for any
    pair of sequences (a decoder's cross-attention reads other tokens than its own).

    pattern: (Tq, Tk); query_labels: (Tq,), key_labels: (Tk,) axis labels (`token_labels`); hidden: (Tq, Tk)
    True where a mask hides the key, drawn grey (None: nothing hidden); query: the row to outline;
    axis_titles: (x, y), by default key and query token; compact: for a half-width column (fewer, smaller
    tick labels; the colour key above the plot).
    """
    Tq, Tk = pattern.shape
    if (len(query_labels), len(key_labels)) != (Tq, Tk):
        raise ValueError(
            f"The pattern has {Tq} query × {Tk} key positions, while there are {len(query_labels)} query and "
            f"{len(key_labels)} key labels."
        )
    gap = 1 if max(Tq, Tk) <= 40 else 0
    traces = [
        go.Heatmap(
            z=pattern,
            x=key_labels,
            y=query_labels,
            zmin=0.0,
            zmax=1.0,
            colorscale=theme.SEQUENTIAL,
            # a half column cannot spare the width of a bar beside the plot: its key goes above
            colorbar=theme.colour_key(t("attention.weight", lang))
            if compact
            else {"title": {"text": t("attention.weight", lang), "side": "right"}, "thickness": 12},
            xgap=gap,
            ygap=gap,
            name="pattern",
            hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>",
        )
    ]
    if hidden is not None and hidden.any():
        traces.append(
            go.Heatmap(
                z=np.where(hidden, 1.0, np.nan),  # (Tq, Tk) 1 where masked
                x=key_labels,
                y=query_labels,
                colorscale=[[0, MASKED_CELL], [1, MASKED_CELL]],
                showscale=False,
                hoverongaps=False,
                xgap=gap,
                ygap=gap,
                name="masked",
                hovertemplate="%{y} → %{x}: " + t("attention.masked", lang) + "<extra></extra>",
            )
        )
    shapes = []
    if query is not None:
        shapes.append(
            {
                "type": "rect",
                "x0": -0.5,
                "x1": Tk - 0.5,
                "y0": query - 0.5,
                "y1": query + 0.5,
                "line": {"color": theme.HIGHLIGHT, "width": 2},
            }
        )
    x_title, y_title = axis_titles or (t("axis.key", lang), t("axis.query", lang))
    rows, columns, size = (MAX_TICKS // 2, MAX_KEY_TICKS // 3, 10) if compact else (MAX_TICKS, MAX_KEY_TICKS, 12)
    height = theme.heatmap_height(Tq, per_row=18, most=760)
    top = 75 if "<br>" in title else 50  # room for a two-line title
    if compact:  # and for the colour key above the plot
        height, top = height + theme.KEY_MARGIN, top + theme.KEY_MARGIN
    return theme.figure(
        traces,
        title,
        height,
        xaxis={
            "title": {"text": x_title},
            "tickangle": -90 if compact else -60,
            "tickfont": {"size": size},
            **_ticks(key_labels, columns),
        },
        yaxis={
            "title": {"text": y_title},
            "autorange": "reversed",
            "tickfont": {"size": size},
            **_ticks(query_labels, rows),
        },
        shapes=shapes,
        margin={"t": top},
    )


def pattern_figure(
    tr: Trace,
    layer: int,
    head: int,
    lang: str = "en",
    query: int | None = None,
    title: str = "",
    compact: bool = False,
) -> go.Figure:
    """Heatmap of one head: query rows × key columns, 0…1; masked cells grey; the chosen query outlined.

    compact: for a half-width column (fewer, smaller tick labels; no colour bar title).
    """
    labels = token_labels(tr.tokens)
    title = title or t("attention.heatmap.title", lang, model=tr.model_name, layer=layer, head=head)
    hidden = future_mask(tr.n_tokens, tr.is_causal)  # (T, T)
    return heatmap_figure(tr.pattern[layer, head], labels, labels, hidden, lang, query, title, compact)


def grid_group(n_tokens: int) -> int:
    """How many positions one cell of a thumbnail groups along each side (1 up to GRID_CELLS tokens)."""
    return max(1, math.ceil(n_tokens / GRID_CELLS))


def _thumbnail(pattern: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """(T, T) → at most (GRID_CELLS, GRID_CELLS), pooled so that rows still sum to 1: a cell is the attention a
    group of queries gives to a group of keys (summed over the keys, averaged over the queries); NaN where
    every cell is masked. Averaging the keys instead would wash a sharp head out on a long prompt."""
    T = pattern.shape[0]
    size = grid_group(T)
    n = math.ceil(T / size)
    values = np.zeros((n * size, n * size))  # (nS, nS) padded
    seen = np.zeros((n * size, n * size), dtype=bool)
    values[:T, :T] = np.where(hidden, 0.0, pattern)
    seen[:T, :T] = ~hidden
    rows = np.zeros(n * size)  # (nS,) 1 for a real query row
    rows[:T] = 1.0
    to_group = values.reshape(n * size, n, size).sum(axis=2)  # (nS, n): each query's attention to each key group
    pooled = (to_group * rows[:, None]).reshape(n, size, n).sum(axis=1) / rows.reshape(n, size).sum(axis=1)[:, None]
    visible = seen.reshape(n, size, n, size).any(axis=(1, 3))  # (n, n)
    return np.where(visible, pooled, np.nan)  # (n, n)


def grid_tile(z: np.ndarray, layer: int, head: int, n: int, m: int | None = None) -> np.ndarray:
    """One head's (n, m) thumbnail (m = n unless given) cut out of the grid's tiled matrix (`grid_figure`'s and
    `tiled_grid_figure`'s first trace)."""
    m = n if m is None else m
    top, left = layer * (n + 1), head * (m + 1)
    return z[top : top + n, left : left + m]


def tiled_grid_figure(
    thumbnails: np.ndarray,
    hidden: np.ndarray | None,
    layer: int,
    head: int,
    title: str,
    customdata: list[list],
    hovertemplate: str,
    lang: str = "en",
    row_px: int | None = None,
) -> go.Figure:
    """Small multiples, the core of `grid_figure`: one thumbnail per head (rows = layers, columns = heads) tiled
    into one heatmap with a blank cell between them (`grid_tile` cuts one out), the chosen (layer, head)
    outlined, and one invisible square marker on each thumbnail to click (Streamlit reports clicks on points,
    not heatmap cells), its customdata [layer, head, …] (L·H rows, layer-major) feeding `hovertemplate`.

    thumbnails: (L, H, n, m), NaN where a cell is hidden; hidden: (n, m) True where a cell is masked, drawn grey
    in every thumbnail (None: nothing masked); row_px: the height of one layer's row of thumbnails.
    """
    L, H, n, m = thumbnails.shape
    tiles = np.full((L * (n + 1) - 1, H * (m + 1) - 1), np.nan)  # NaN: a gap or a masked cell
    for l in range(L):
        for h in range(H):
            grid_tile(tiles, l, h, n, m)[:] = thumbnails[l, h]
    traces = [go.Heatmap(z=tiles, coloraxis="coloraxis", hoverinfo="skip", name="tiles")]
    if hidden is not None and hidden.any():  # masked cells in grey; the gaps between thumbnails stay white
        masked = np.full(tiles.shape, np.nan)
        for l in range(L):
            for h in range(H):
                grid_tile(masked, l, h, n, m)[:] = np.where(hidden, 1.0, np.nan)
        traces.append(
            go.Heatmap(
                z=masked,
                colorscale=[[0, MASKED_CELL], [1, MASKED_CELL]],
                showscale=False,
                hoverinfo="skip",
                name="masked",
            )
        )
    row_px = row_px or int(min(150, max(60, 800 / H)))  # a square thumbnail fills about this at 1400 px
    centre_x, centre_y = (m - 1) / 2, (n - 1) / 2
    traces.append(
        theme.click_targets(
            [h * (m + 1) + centre_x for l in range(L) for h in range(H)],
            [l * (n + 1) + centre_y for l in range(L) for h in range(H)],
            customdata,
            hovertemplate,
            row_px * 0.8 * min(1.0, m / n),
        )
    )
    chosen = {
        "type": "rect",
        "x0": head * (m + 1) - 0.7,
        "x1": head * (m + 1) + m - 0.3,
        "y0": layer * (n + 1) - 0.7,
        "y1": layer * (n + 1) + n - 0.3,
        "line": {"color": theme.HIGHLIGHT, "width": 3},
    }
    return theme.figure(
        traces,
        title,
        80 + row_px * L,
        xaxis={
            "range": [-0.8, H * (m + 1) - 1.2],
            "tickvals": [h * (m + 1) + centre_x for h in range(H)],
            "ticktext": [t("attention.grid.head", lang, head=h) for h in range(H)],
            "side": "top",
            "showgrid": False,
            "zeroline": False,
            "ticks": "",
            "constrain": "domain",
        },
        yaxis={
            "range": [L * (n + 1) - 1.2, -0.8],
            "tickvals": [l * (n + 1) + centre_y for l in range(L)],
            "ticktext": [t("attention.grid.layer", lang, layer=l) for l in range(L)],
            "showgrid": False,
            "zeroline": False,
            "ticks": "",
            "scaleanchor": "x",
            "constrain": "domain",
        },
        coloraxis={"colorscale": theme.SEQUENTIAL, "cmin": 0.0, "cmax": 1.0, "showscale": False},
        clickmode="event+select",
        hovermode="closest",
        shapes=[chosen],
    )


def grid_figure(tr: Trace, layer: int, head: int, lang: str = "en") -> go.Figure:
    """Small multiples: one thumbnail pattern per head (rows = layers, columns = heads); click one to open it.

    One heatmap holds every thumbnail (`tiled_grid_figure`): 32 subplots took a second of the server's time
    per page on 2 cores, one tiled trace a few milliseconds. Each thumbnail's click target carries
    customdata [layer, head, scores…], its hover the head's scores.
    """
    L, H = tr.n_layers, tr.n_heads
    scores = head_scores(tr.pattern)  # each (L, H)
    hidden = future_mask(tr.n_tokens, tr.is_causal)  # (T, T)
    thumbnails = np.stack(
        [np.stack([np.round(_thumbnail(tr.pattern[l, h], hidden), 3) for h in range(H)]) for l in range(L)]
    )  # (L, H, n, n), NaN where masked
    hidden_cells = np.isnan(_thumbnail(np.zeros_like(tr.pattern[0, 0]), hidden))  # (n, n)
    entropy = [[t("attention.metric.bits", lang, value=scores["entropy"][l, h]) for h in range(H)] for l in range(L)]
    customdata = [  # the scores as text, written exactly as the metrics above the grid write them
        [l, h, share_text(scores["previous"][l, h]), share_text(scores["first"][l, h]), entropy[l][h]]
        for l in range(L)
        for h in range(H)
    ]
    return tiled_grid_figure(
        thumbnails,
        hidden_cells if tr.is_causal else None,
        layer,
        head,
        t("attention.grid.title", lang, model=tr.model_name),
        customdata,
        t("attention.grid.hover", lang) + "<extra></extra>",
        lang,
    )


def line_width(weight: float) -> float:
    """Pixels of the line for an attention weight: proportional, with a hairline minimum."""
    return 0.5 + LINE_WIDTH * float(weight)


@dataclass(frozen=True)
class LinesView:
    """What the lines view draws for one query: the rows it lists and the keys it links, both in prompt order."""

    rows: list[int]  # token positions listed on both sides
    drawn: list[int]  # keys that get a line
    share: float  # the attention those lines carry together, 0…1
    long: bool  # True when the prompt is too long to list every token (LABELS_MOST)


def lines_view(weights: np.ndarray, query: int) -> LinesView:
    """Every token up to LABELS_MOST tokens, a line to each key of weight ≥ MIN_LINE_WEIGHT; on a longer
    prompt only the query and its LONG_KEYS strongest keys, so the chart stays one screen high."""
    T = len(weights)
    strong = [int(k) for k in np.argsort(-weights, kind="stable") if weights[k] >= MIN_LINE_WEIGHT]
    long = T > LABELS_MOST
    drawn = sorted(strong[:LONG_KEYS] if long else strong)
    rows = sorted({query, *drawn}) if long else list(range(T))
    return LinesView(rows, drawn, float(weights[drawn].sum()), long)


def _row_positions(rows: list[int], n_tokens: int) -> tuple[list[float], list[tuple[float, int]]]:
    """y of each listed row, one unit apart, and (y, count) of each ⋮ mark: GAP rows of space wherever
    positions are left out (before the first row, between two, after the last)."""
    ys, marks, y, previous = [], [], 0.0, -1
    for row in rows:
        if row > previous + 1:
            marks.append((y + GAP / 2 - 0.5, row - previous - 1))
            y += GAP
        ys.append(y)
        y += 1
        previous = row
    if rows and previous < n_tokens - 1:
        marks.append((y + GAP / 2 - 0.5, n_tokens - 1 - previous))
    return ys, marks


def lines_figure(tr: Trace, layer: int, head: int, query: int, lang: str = "en") -> go.Figure:
    """bertviz-style: queries on the left, keys on the right, a line from the query to each key it reads.
    On a long prompt only the rows of `lines_view` are listed, ⋮ marking the positions left out."""
    weights = tr.pattern[layer, head, query].astype(np.float64)  # (T,)
    labels = token_labels(tr.tokens)
    view = lines_view(weights, query)
    ys, marks = _row_positions(view.rows, tr.n_tokens)
    y_of = dict(zip(view.rows, ys, strict=True))
    traces = [
        go.Scatter(
            x=[0, 0.5, 1],
            y=[y_of[query], (y_of[query] + y_of[k]) / 2, y_of[k]],
            mode="lines",
            line={"color": theme.ATTENTION, "width": line_width(weights[k])},
            opacity=float(0.25 + 0.75 * weights[k] / weights.max()),
            name=labels[k],
            showlegend=False,
            hovertemplate=f"{labels[query]} → {labels[k]}: {weights[k]:.4f}<extra></extra>",
        )
        for k in sorted(view.drawn, key=lambda k: weights[k])  # strongest drawn last, on top
    ]
    for side, x, where in ((0, 0.0, "middle left"), (1, 1.0, "middle right")):
        listed = [query] if side == 0 and view.long else view.rows  # a long prompt: only the query reads here
        traces.append(
            go.Scatter(
                x=[x] * len(listed),
                y=[y_of[i] for i in listed],
                mode="markers+text",
                text=[labels[i] for i in listed],
                textposition=where,
                textfont={"family": theme.MONO, "size": 12},
                marker={
                    "size": 7,
                    "color": [theme.HIGHLIGHT if (side == 0 and i == query) else theme.TOKEN for i in listed],
                },
                name=t("attention.lines.queries" if side == 0 else "attention.lines.keys", lang),
                showlegend=False,
                customdata=[[labels[i], f"{weights[i]:.4f}"] for i in listed],  # (rows, 2)
                hovertemplate=("%{customdata[0]}" if side == 0 else "%{customdata[0]}: %{customdata[1]}")
                + "<extra></extra>",
            )
        )
    skipped = [  # ⋮ where positions are left out, with how many
        {
            "x": 1.0,
            "y": y,
            "text": f"⋮ {count}",
            "showarrow": False,
            "xanchor": "left",
            "xshift": 6,
            "font": {"color": theme.CUT, "size": 11},
            "name": "skipped",
        }
        for y, count in marks
    ]
    bottom = max([*ys, *(y for y, _ in marks)], default=0.0)
    key = "attention.lines.title_long" if view.long else "attention.lines.title"
    title = t(key, lang, token=labels[query], layer=layer, head=head, n=len(view.drawn))
    return theme.figure(
        traces,
        title,
        int(min(900, max(300, 140 + 18 * (bottom + 1)))),
        xaxis={
            "range": [-0.9, 1.9],
            "tickvals": [0, 1],
            "ticktext": [t("attention.lines.queries", lang), t("attention.lines.keys", lang)],
            "side": "top",
            "showgrid": False,
            "zeroline": False,
        },
        yaxis={"range": [bottom + 0.8, -0.8], "visible": False},  # reversed: the first token on top
        annotations=skipped,
    )


def steps_figure(steps: Steps, tokens: list[str], lang: str = "en") -> go.Figure:
    """Two bar charts over the keys: the scaled (and masked) score, then the softmax weight."""
    labels = token_labels(tokens)
    hidden = np.isneginf(steps.masked)  # (T,)
    panels = theme.two_panels(
        t("attention.steps.bars.score" if hidden.any() else "attention.steps.bars.score_plain", lang),
        t("attention.steps.bars.softmax", lang),
    )
    traces = [
        go.Bar(
            x=labels,
            y=np.where(hidden, 0.0, steps.scaled),  # (T,) a masked key has no finite score
            marker_color=theme.TOKEN,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            name="score",
            xaxis="x",
            yaxis="y",
        )
    ]
    if hidden.any():
        traces.append(
            go.Scatter(
                x=[labels[k] for k in np.flatnonzero(hidden)],
                y=[0.0] * int(hidden.sum()),
                mode="markers",
                marker={"symbol": "x", "size": 7, "color": theme.CUT},
                hovertemplate="%{x}: " + t("attention.masked", lang) + "<extra></extra>",
                name="masked",
                xaxis="x",
                yaxis="y",
            )
        )
    traces.append(
        go.Bar(
            x=labels,
            y=steps.softmax,
            marker_color=theme.ATTENTION,
            hovertemplate="%{x}: %{y:.4f}<extra></extra>",
            name="softmax",
            xaxis="x2",
            yaxis="y2",
        )
    )
    ticks = {"tickangle": -60, **_ticks(labels, MAX_TICKS // 2)}
    title = t("attention.steps.bars.title", lang, token=labels[steps.query])
    return theme.figure(
        traces,
        title,
        340,
        **theme.merged(
            panels,
            {
                "xaxis": ticks,
                "xaxis2": ticks,
                "yaxis": {"title": {"text": t("attention.steps.bars.score_axis", lang)}},
                "yaxis2": {"title": {"text": t("attention.weight", lang)}, "range": [0, 1]},
            },
        ),
        showlegend=False,
        bargap=0.15,
    )
