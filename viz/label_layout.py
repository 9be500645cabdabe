"""Labels beside the dots of a scatter map that overlap no other dot or label (the PCA map of the embeddings lesson).

Pure: pixel positions in, a spot per label out. Plotly places text but does not avoid collisions.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import numpy as np

# The plot area assumed when placing the map's labels: a 1024-px window's column (a wider window only moves the
# points further apart, so labels that clear each other here clear each other there).
PCA_PLOT_PX = (470.0, 390.0)
LABEL_SIZE = 12  # px, the labels' font
MARKER_SIZE = 11  # px, a prompt token's dot
ADJACENT = (  # plotly text positions beside a dot, in order of preference
    "top center",
    "bottom center",
    "middle right",
    "middle left",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def text_px(label: str, size: float = LABEL_SIZE) -> float:
    """Estimated width in pixels of a label in the monospace font: wide for CJK and emoji."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.62 * size for ch in label)


@dataclass(frozen=True)
class LabelSpot:
    """Where one label goes: beside its dot (`position`, a plotly textposition) or, when every spot beside it is
    taken, at the end of a short arrow (`position` = "arrow"); dx, dy: the label's centre from the dot, in px
    (y down), w, h: its size."""

    position: str
    dx: float
    dy: float
    w: float
    h: float


def _overlaps(box: np.ndarray, boxes: np.ndarray, pad: float = 1.0) -> np.ndarray:
    """Which of boxes (N, 4) [x0, y0, x1, y1] overlap box (4,), with `pad` px to spare."""
    if not len(boxes):
        return np.zeros(0, dtype=bool)
    return (
        (box[0] < boxes[:, 2] + pad)
        & (boxes[:, 0] < box[2] + pad)
        & (box[1] < boxes[:, 3] + pad)
        & (boxes[:, 1] < box[3] + pad)
    )


def place_labels(xy: np.ndarray, labels: list[str], area: tuple[float, float] = PCA_PLOT_PX) -> list[LabelSpot]:
    """Greedy label placement for dots at pixel positions xy (N, 2) (y down) in a plot of `area` (w, h): each
    label takes the first spot beside its dot that overlaps no dot and no label placed before (the most
    crowded dots choose first), else the nearest free spot at the end of an arrow, else the spot beside it
    that overlaps least."""
    r = MARKER_SIZE / 2 + 2  # plotly puts a label this far from the dot's centre
    h = LABEL_SIZE * 1.25
    dots = np.concatenate([xy - MARKER_SIZE / 2, xy + MARKER_SIZE / 2], axis=1)  # (N, 4)
    gaps = np.linalg.norm(xy[:, None] - xy[None], axis=-1)  # (N, N)
    order = np.argsort(-(gaps < 60).sum(axis=1), kind="stable")  # most neighbours first
    rings = [(d * np.cos(a), d * np.sin(a)) for d in (34, 50, 66, 82) for a in np.linspace(0, 2 * np.pi, 16, False)]
    placed: list[np.ndarray] = []
    spots: dict[int, LabelSpot] = {}
    for i in order:
        w = text_px(labels[i])
        side = {"left": -(r + w / 2), "center": 0.0, "right": r + w / 2}
        up = {"top": -(r + h / 2), "middle": 0.0, "bottom": r + h / 2}
        candidates = [(pos, side[pos.split()[1]], up[pos.split()[0]]) for pos in ADJACENT]
        candidates += [("arrow", dx, dy) for dx, dy in rings]
        best, best_cost = None, None
        for pos, dx, dy in candidates:
            cx, cy = xy[i, 0] + dx, xy[i, 1] + dy
            box = np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
            outside = box[0] < 0 or box[1] < 0 or box[2] > area[0] or box[3] > area[1]
            others = np.delete(dots, i, axis=0)
            if pos == "arrow":  # the arrow's own dot is an obstacle too
                others = dots
            cost = int(_overlaps(box, others).sum()) + int(_overlaps(box, np.array(placed).reshape(-1, 4)).sum())
            if cost == 0 and not outside:
                best = (pos, dx, dy, box)
                break
            cost += 100 * outside
            if pos != "arrow" and (best_cost is None or cost < best_cost):
                best, best_cost = (pos, dx, dy, box), cost
        pos, dx, dy, box = best
        placed.append(box)
        spots[int(i)] = LabelSpot(pos, float(dx), float(dy), float(w), float(h))
    return [spots[i] for i in range(len(xy))]


def to_pixels(xy: np.ndarray, x_range: list[float], y_range: list[float], area=PCA_PLOT_PX) -> np.ndarray:
    """Data coordinates (N, 2) → pixels in a plot of `area` (w, h), y down."""
    px = (xy[:, 0] - x_range[0]) / (x_range[1] - x_range[0]) * area[0]
    py = (y_range[1] - xy[:, 1]) / (y_range[1] - y_range[0]) * area[1]
    return np.stack([px, py], axis=1)  # (N, 2)
