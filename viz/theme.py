"""Colours, fonts and sizes shared by every chart: the same colour means the same thing everywhere."""

from __future__ import annotations

import functools

import plotly.basedatatypes
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb


def _memoize_plotly_key_paths() -> None:
    """Plotly parses a property path such as "xaxis_title_text" anew on every update, building helper classes
    as it goes; under a simulated class that parsing was a tenth of the server's time (py-spy). The parse is a
    pure function of the string, so it is memoized here, once per process; the list it also returns is copied
    for each caller. tests/test_viz_theme.py checks the memo returns what plotly's own parser does."""
    parse = plotly.basedatatypes._str_to_dict_path_full
    if getattr(parse, "memoized", False):
        return
    cached = functools.lru_cache(maxsize=8192)(parse)

    def memoized(key_path_str):
        if not isinstance(key_path_str, str):
            return parse(key_path_str)
        path, starts = cached(key_path_str)
        return path, list(starts)

    memoized.memoized = True
    memoized.original = parse
    plotly.basedatatypes._str_to_dict_path_full = memoized


_memoize_plotly_key_paths()

FONT = "Inter, 'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'Noto Color Emoji', sans-serif"
MONO = "'JetBrains Mono', 'Noto Sans Mono CJK SC', 'Noto Color Emoji', monospace"

# One meaning per colour, on every page.
TOKEN = "#4C78A8"  # a token / its embedding
POSITION = "#F58518"  # position information
ATTENTION = "#54A24B"  # attention
MLP = "#B279A2"  # feed-forward network
PREDICTION = "#E45756"  # logits, probabilities, the next token


def rgba(colour: str, alpha: float) -> str:
    """A hex colour with transparency, for fills."""
    return "rgba({}, {}, {}, {})".format(*hex_to_rgb(colour), alpha)


PREDICTION_FAINT = rgba(PREDICTION, 0.12)  # faint fill: the model's own bars
CUT = "#BAB0AC"  # cut by top-k / top-p, masked, not used
HIGHLIGHT = "#E45756"  # the chosen token / selected item
RESIDUAL = "#A3A3A3"  # the residual stream (what a block reads): light enough for black marks on its bars

SEQUENTIAL = "Blues"  # attention weights, probabilities: 0 → 1
DIVERGING = "RdBu_r"  # embedding values, similarities: negative ↔ positive
TOKEN_CHIPS = [  # background colours for neighbouring token chips
    "#DCEAF7",
    "#FCE3C8",
    "#DDF0D8",
    "#F3DDEA",
    "#FFF2B3",
    "#E2DDF3",
]

# Plotly's modebar stays on, with the image download, in every chart.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def merged(base: dict, extra: dict) -> dict:
    """`base` with `extra` written over it, nested dictionaries merged key by key (neither is changed)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merged(out[key], value)
        else:
            out[key] = value
    return out


def base_layout(title: str = "", height: int = 420) -> dict:
    """The shared look as a Plotly layout: fonts, margins, a white background, hover labels."""
    return {
        "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"family": MONO, "size": 13}},
    }


def figure(data, title: str = "", height: int = 420, /, **layout) -> go.Figure:
    """A figure built in one step, in the shared look: `layout` (Plotly's nested keys, no magic underscores)
    is merged over `base_layout`. Plotly validates a layout once when it is given to the constructor, but
    re-walks it on every `update_layout`; building at once halves a chart's cost, and a class of 30 pays it
    on every page (bench/class_load.py)."""
    return go.Figure(data=data, layout=merged(base_layout(title, height), layout))


def click_targets(x: list, y: list, customdata: list, hovertemplate: str, size: float) -> go.Scatter:
    """Invisible square markers, one per cell, that make a heatmap clickable: Streamlit reports clicks on
    points, not on heatmap cells. Each point's customdata starts with the cell's two indices (read back by
    `clicked_cell`); the rest feeds `hovertemplate`."""
    return go.Scatter(
        x=x,
        y=y,
        mode="markers",
        marker={"symbol": "square", "size": size, "color": "rgba(0,0,0,0)"},
        customdata=customdata,
        hovertemplate=hovertemplate,
        showlegend=False,
        name="pick",
    )


def clicked_cell(points: list[dict] | None) -> tuple[int, int] | None:
    """The two indices of the cell clicked on `click_targets`, from Streamlit's selection points; None when
    the click hit something else."""
    for point in points or []:
        data = point.get("customdata")
        if data is not None and len(data) >= 2:
            return int(data[0]), int(data[1])
    return None


def hline(y: float, text: str, colour: str) -> tuple[dict, dict]:
    """A dotted line across the plot at `y` and its note at the top left: what `add_hline` draws, as layout
    entries (`shapes`, `annotations`) for `figure`."""
    line = {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y}
    line["line"] = {"color": colour, "dash": "dot"}
    note = {"text": text, "showarrow": False, "xref": "x domain", "x": 0, "xanchor": "left"}
    note |= {"yref": "y", "y": y, "yanchor": "bottom"}
    return line, note


def two_panels(left: str, right: str, spacing: float = 0.12) -> dict:
    """Layout for two plots side by side (x/y on the left, x2/y2 on the right), each titled: what
    `make_subplots(rows=1, cols=2, subplot_titles=…)` writes, without building a figure to write it."""
    width = (1 - spacing) / 2
    titles = [
        {"text": text, "x": x, "xref": "paper", "xanchor": "center", "y": 1.0, "yref": "paper", "yanchor": "bottom"}
        | {"font": {"size": 16}, "showarrow": False}
        for text, x in ((left, width / 2), (right, 1 - width / 2))
    ]
    return {
        "xaxis": {"anchor": "y", "domain": [0.0, width]},
        "yaxis": {"anchor": "x", "domain": [0.0, 1.0]},
        "xaxis2": {"anchor": "y2", "domain": [1 - width, 1.0]},
        "yaxis2": {"anchor": "x2", "domain": [0.0, 1.0]},
        "annotations": titles,
    }


def style(fig: go.Figure, title: str = "", height: int = 420) -> go.Figure:
    """Apply the shared look to a figure already built (prefer `figure`, which builds it in one step)."""
    fig.update_layout(base_layout(title, height))
    return fig


def heatmap_height(rows: int, per_row: int = 22, base: int = 140, most: int = 900) -> int:
    """A height that keeps every row's label readable."""
    return int(min(most, max(300, base + per_row * rows)))


KEY_PX = 180  # length of a colour key drawn above a square chart
KEY_MARGIN = 58  # room above the plot for that key: its title, bar and tick labels


def colour_key(title: str) -> dict:
    """A short horizontal colour bar centred above the plot, for a square chart (`scaleanchor`): a vertical
    bar spans the whole plot height, so beside a square squeezed to fit a narrow column it stood taller than
    the square, and it took width the square needed. Use with `keyed_margin`."""
    return {
        "title": {"text": title, "side": "top"},
        "orientation": "h",
        "lenmode": "pixels",
        "len": KEY_PX,
        "thickness": 10,
        "x": 0.5,
        "xanchor": "center",
        "y": 1.0,
        "yanchor": "bottom",
        "ypad": 6,
    }


def keyed_margin(fig: go.Figure, grow: bool = True) -> go.Figure:
    """Make room above the plot for `colour_key` (call after `style`); grow: by a taller figure, so the plot
    keeps its height."""
    fig.update_layout(margin_t=(fig.layout.margin.t or 0) + KEY_MARGIN)
    if grow:
        fig.update_layout(height=(fig.layout.height or 420) + KEY_MARGIN)
    return fig
