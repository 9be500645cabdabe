"""Colours, fonts and sizes shared by every chart: the same colour means the same thing everywhere."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.colors import hex_to_rgb

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


def style(fig: go.Figure, title: str = "", height: int = 420) -> go.Figure:
    """Apply the shared look: fonts, margins, a white background, hover labels."""
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 16}},
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 20, "b": 10},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": MONO, "size": 13}},
    )
    return fig


def heatmap_height(rows: int, per_row: int = 22, base: int = 140, most: int = 900) -> int:
    """A height that keeps every row's label readable."""
    return int(min(most, max(300, base + per_row * rows)))
