"""Lesson 7 — the head lab: role maps, knock-out effects, sweeps and patching maps.

Pure: numpy in, plotly out. Grids are (L, H) per head or (L, T) per layer × position.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import token_labels, visible

ROLES = ("induction", "previous_token", "duplicate_token", "first_token", "entropy")
PATCH_SITES = ("resid_pre", "attn_out", "mlp_out")


def head_name(layer: int, head: int) -> str:
    return f"L{layer}H{head}"


def parse_head(name: str) -> tuple[int, int] | None:
    """(layer, head) from "L3H2", or None."""
    if not name.startswith("L") or "H" not in name:
        return None
    layer, _, head = name[1:].partition("H")
    return (int(layer), int(head)) if layer.isdigit() and head.isdigit() else None


def _head_axes(L: int, H: int, lang: str) -> dict:
    return {
        "xaxis": {
            "tickvals": list(range(H)),
            "ticktext": [t("heads.head", lang, h=h) for h in range(H)],
            "side": "top",
        },
        "yaxis": {"tickvals": list(range(L)), "ticktext": [t("heads.layer", lang, layer=l) for l in range(L)]},
    }


def head_grid_figure(
    grid: np.ndarray,
    title: str,
    colour_title: str,
    lang: str = "en",
    picked: tuple[int, int] | None = None,
    diverging: bool = False,
    bound: float | None = None,
    digits: int = 2,
) -> go.Figure:
    """(L, H) one number per head, written in its cell; click a head (customdata [layer, head]).
    diverging: centred on 0 (a change), else 0 → max (a score)."""
    L, H = grid.shape
    finite = np.nan_to_num(grid)
    if diverging:
        top = bound if bound is not None else float(np.abs(finite).max()) or 1.0
        scale, zmin, zmax = theme.DIVERGING, -top, top
    else:
        scale, zmin, zmax = theme.SEQUENTIAL, 0.0, bound if bound is not None else max(1e-9, float(finite.max()))
    text = [[f"{v:.{digits}f}" if np.isfinite(v) else "—" for v in row] for row in grid]
    hover = [f"{head_name(l, h)}: {text[l][h]}" for l in range(L) for h in range(H)]
    x, y = [h for l in range(L) for h in range(H)], [l for l in range(L) for h in range(H)]  # one per head
    picks = [[l, h, hover[l * H + h]] for l in range(L) for h in range(H)]  # customdata [layer, head, hover]
    heatmap = go.Heatmap(
        z=grid,
        x=list(range(H)),
        y=list(range(L)),
        text=text,
        texttemplate="%{text}",
        colorscale=scale,
        zmin=zmin,
        zmax=zmax,
        hoverinfo="skip",
        colorbar={"title": {"text": colour_title}},
    )
    shapes = []
    if picked is not None:
        l, h = picked
        shapes.append({"type": "rect", "x0": h - 0.5, "x1": h + 0.5, "y0": l - 0.5, "y1": l + 0.5})
        shapes[-1]["line"] = {"color": theme.HIGHLIGHT, "width": 3}
    return theme.figure(
        [heatmap, theme.click_targets(x, y, picks, "%{customdata[2]}<extra></extra>", 30)],
        title,
        theme.heatmap_height(L, per_row=46, base=150, most=700),
        **theme.merged(_head_axes(L, H, lang), {"yaxis": {"autorange": "reversed"}}),
        shapes=shapes,
        clickmode="event+select",
        hovermode="closest",
        margin={"t": 80},  # the title above the heads' labels on the top axis
    )


def loss_figure(before: np.ndarray, after: np.ndarray, second: int, lang: str = "en") -> go.Figure:
    """Next-token loss (T-1,) at each position of the repeated probe, clean and knocked out; the second copy
    (from position `second`) shaded: there an induction head can copy, so its loss drops near 0."""
    x = list(range(1, len(before) + 1))  # the loss at position i predicts token i
    lines = [
        go.Scatter(x=x, y=before, mode="lines", name=t("heads.loss.clean", lang), line={"color": theme.TOKEN}),
        go.Scatter(x=x, y=after, mode="lines", name=t("heads.loss.knocked", lang), line={"color": theme.PREDICTION}),
    ]
    band = {"type": "rect", "xref": "x", "yref": "paper", "x0": second - 0.5, "x1": len(before) + 0.5, "y0": 0}
    band |= {"y1": 1, "fillcolor": theme.rgba(theme.ATTENTION, 0.10), "line": {"width": 0}, "layer": "below"}
    note = {"x": second, "xref": "x", "y": 1, "yref": "paper", "xanchor": "left", "yanchor": "bottom"}
    note |= {"text": t("heads.loss.second", lang), "showarrow": False}
    return theme.figure(
        lines,
        t("heads.loss.title", lang),
        340,
        xaxis={"title": {"text": t("heads.loss.x", lang)}},
        yaxis={"title": {"text": t("heads.loss.y", lang)}, "rangemode": "tozero"},
        shapes=[band],
        annotations=[note],
        legend={"orientation": "h", "y": -0.25},
    )


def bars_figure(labels: list[str], before: np.ndarray, after: np.ndarray, lang: str = "en") -> go.Figure:
    """The clean run's top next tokens (n,): their probability before and after the knock-out."""
    shown = [visible(label) for label in labels]
    bars = [
        go.Bar(y=shown, x=before, orientation="h", name=t("heads.loss.clean", lang), marker_color=theme.TOKEN),
        go.Bar(y=shown, x=after, orientation="h", name=t("heads.loss.knocked", lang), marker_color=theme.PREDICTION),
    ]
    for bar in bars:
        bar.hovertemplate = "%{y}: %{x:.2%}<extra>" + bar.name + "</extra>"
    return theme.figure(
        bars,
        t("heads.bars.title", lang),
        theme.heatmap_height(len(labels), per_row=34, base=150),
        barmode="group",
        yaxis={"autorange": "reversed", "type": "category"},
        xaxis={"title": {"text": t("heads.bars.x", lang)}, "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.15},
    )


def patch_figure(grid: np.ndarray, site: str, tokens: list[str], lang: str = "en") -> go.Figure:
    """(L, T) the normalised metric after patching one clean vector at (layer, position) into the corrupted
    run: 1 = the clean answer restored, 0 = still corrupted."""
    L, T = grid.shape
    labels = token_labels(tokens)
    text = [[f"{v:.2f}" if np.isfinite(v) else "" for v in row] for row in grid]
    heatmap = go.Heatmap(
        z=grid,
        x=list(range(T)),
        y=list(range(L)),
        text=text if T <= 30 else None,
        texttemplate="%{text}" if T <= 30 else None,
        textfont={"size": 10},
        colorscale=theme.DIVERGING,
        zmin=-1,
        zmax=1,
        customdata=[labels] * L,  # (L, T): the position's token, for the hover
        hovertemplate=t("heads.patch.hover", lang) + "<extra></extra>",
        colorbar={"title": {"text": t("heads.patch.colour", lang)}},
    )
    return theme.figure(
        [heatmap],
        t(f"heads.patch.{site}", lang),
        theme.heatmap_height(L, per_row=40, base=170, most=600),
        xaxis={"tickvals": list(range(T)), "ticktext": labels, "tickangle": -50},
        yaxis={
            "tickvals": list(range(L)),
            "ticktext": [t("heads.layer", lang, layer=l) for l in range(L)],
            "autorange": "reversed",
        },
    )
