"""Lesson 3 — positions: the model's own position vectors, the textbook sinusoidal table beside them,
token + position = block input, and RoPE's rotation angles for rotary models.

Pure numpy in, plotly out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons import t
from model.numeric import cosine_matrix, row_cosine
from model.positions import sinusoidal
from viz import theme
from viz.embeddings import value_colours
from viz.labels import visible

if TYPE_CHECKING:  # viz code uses no torch: the Trace type only for hints
    from model.types import Trace


def sinusoid_similarity(table: np.ndarray) -> float:
    """Mean cosine similarity, row by row, of a learned position table (n, d) and the sinusoids of the same
    size: about 0 for a table that started from random numbers, higher for one that started from them."""
    return float(np.mean(row_cosine(table, sinusoidal(*table.shape))))  # rows (n, d) against (n, d)


def rotary_frequencies(base: float, rotary_dim: int) -> np.ndarray:
    """(rotary_dim // 2,) radians that pair i turns per position: base^(-2i / rotary_dim)."""
    return base ** (-np.arange(0, rotary_dim // 2) * 2 / rotary_dim)


def rotary_angles(n_positions: int, base: float, rotary_dim: int) -> np.ndarray:
    """(n_positions, rotary_dim // 2): angle(pos, i) = pos · base^(-2i / rotary_dim), in radians."""
    return np.arange(n_positions)[:, None] * rotary_frequencies(base, rotary_dim)[None, :]


def table_offset(table: np.ndarray, prompt_rows: np.ndarray, tries: int = 4) -> int | None:
    """Which row of the full table (P, d) the prompt's position vectors (T, d) start at; None if none matches."""
    T = len(prompt_rows)
    for offset in range(tries):
        rows = table[offset : offset + T]  # (T, d)
        if rows.shape == prompt_rows.shape and np.allclose(rows, prompt_rows, atol=1e-5):
            return offset
    return None


@dataclass(frozen=True)
class SumCheck:
    gap: float  # max |block input − (token + position)| over the prompt
    correlation: float  # mean over tokens of corr(token + position, block input)
    spread_sum: float  # mean over tokens of the std of token + position
    spread_input: float  # mean over tokens of the std of the block input


def sum_check(tr: Trace) -> SumCheck:
    """Does the first block read token + position? (GPT-2: exactly; BERT: after a LayerNorm; rotary: token alone.)"""
    added = tr.token_embeddings + (0 if tr.position_embeddings is None else tr.position_embeddings)  # (T, d)
    block_input = tr.resid[0]  # (T, d)
    a = added - added.mean(axis=1, keepdims=True)  # (T, d)
    b = block_input - block_input.mean(axis=1, keepdims=True)  # (T, d)
    corr = (a * b).sum(1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)  # (T,)
    return SumCheck(
        gap=float(np.abs(block_input - added).max()),
        correlation=float(corr.mean()),
        spread_sum=float(added.std(axis=1).mean()),
        spread_input=float(block_input.std(axis=1).mean()),
    )


def table_figure(table: np.ndarray, title: str, lang: str = "en", prompt_len: int | None = None) -> go.Figure:
    """A position table (P, d) as a heatmap: row = position, column = dimension, blue < 0 < red. Its colour key
    sits above it, as on the similarity matrix beside it, so the table gets the half column's width."""
    colours = value_colours(table, lang)
    colours["colorbar"] = theme.colour_key(colours["colorbar"]["title"].replace("<br>", " "))
    fig = go.Figure(
        go.Heatmap(
            z=table,
            x=list(range(table.shape[1])),
            y=list(range(table.shape[0])),
            colorscale=theme.DIVERGING,
            hovertemplate=t("positions.hover.table", lang) + "<extra></extra>",
            **colours,
        )
    )
    if prompt_len is not None and prompt_len < len(table):
        _prompt_end(fig, prompt_len, lang, horizontal_only=True)
    fig.update_xaxes(title=t("axis.dimension", lang))
    fig.update_yaxes(title=t("axis.position", lang), autorange="reversed")
    return theme.keyed_margin(theme.style(fig, title, height=460))


def similarity_figure(table: np.ndarray, title: str, lang: str = "en", prompt_len: int | None = None) -> go.Figure:
    """Cosine similarity between every two positions' vectors (P, P), from −1 to 1."""
    sim = cosine_matrix(table)  # (P, P)
    positions = list(range(len(table)))
    fig = go.Figure(
        go.Heatmap(
            z=sim,
            x=positions,
            y=positions,
            colorscale=theme.DIVERGING,
            zmin=-1,
            zmax=1,
            colorbar=theme.colour_key(t("axis.cosine", lang)),  # above: beside a square it stood taller than it
            hovertemplate=t("positions.hover.similarity", lang) + "<extra></extra>",
        )
    )
    if prompt_len is not None and prompt_len < len(table):
        _prompt_end(fig, prompt_len, lang, horizontal_only=False)
    edges = [-0.5, len(table) - 0.5]
    fig.update_xaxes(title=t("axis.position", lang), range=edges, constrain="domain")
    fig.update_yaxes(
        title=t("axis.position", lang), range=edges[::-1], scaleanchor="x", constrain="domain", constraintoward="top"
    )
    return theme.keyed_margin(theme.style(fig, title, height=460), grow=False)  # a narrow column shrinks the square


def _prompt_end(fig: go.Figure, prompt_len: int, lang: str, horizontal_only: bool) -> None:
    """A dotted line where the prompt's positions end; labelled on a table, unlabelled on a square matrix."""
    line = {"color": theme.HIGHLIGHT, "width": 2, "dash": "dot"}
    if horizontal_only:
        label = t("positions.prompt_end", lang, n=prompt_len)
        fig.add_hline(
            y=prompt_len - 0.5,
            line=line,
            annotation_text=label,
            annotation_position="bottom right",
            annotation_bgcolor="rgba(255,255,255,0.85)",
        )
    else:
        fig.add_hline(y=prompt_len - 0.5, line=line)
        fig.add_vline(x=prompt_len - 0.5, line=line)


def sum_figure(tr: Trace, index: int, lang: str = "en") -> go.Figure:
    """Bars of one token's vectors: its token embedding, its position vector (if added) and the first block's
    input, with token + position marked on the last so the eye can check the sum."""
    token = tr.token_embeddings[index]  # (d,)
    parts = [(t("positions.sum.token", lang), token, theme.TOKEN)]
    if tr.position_embeddings is not None:
        parts.append((t("positions.sum.position", lang, pos=index), tr.position_embeddings[index], theme.POSITION))
    parts.append((t("positions.sum.input", lang), tr.resid[0, index], theme.RESIDUAL))
    added = token + (0 if tr.position_embeddings is None else tr.position_embeddings[index])  # (d,)
    dims = list(range(tr.d_model))
    fig = make_subplots(
        rows=len(parts), cols=1, shared_xaxes=True, vertical_spacing=0.08, subplot_titles=[p[0] for p in parts]
    )
    for row, (name, values, colour) in enumerate(parts, start=1):
        fig.add_bar(
            x=dims,
            y=values,
            name=name,
            marker_color=colour,
            hovertemplate=t("positions.hover.bar", lang) + "<extra></extra>",
            row=row,
            col=1,
        )
    marks = t("positions.sum.marks" if tr.position_embeddings is not None else "positions.sum.marks_rotary", lang)
    fig.add_scatter(
        x=dims,
        y=added,
        mode="markers",
        name=marks.removeprefix("×").strip(),  # the legend draws the × itself
        marker={"color": "black", "size": 5, "symbol": "x-thin", "line": {"width": 1.5, "color": "black"}},
        hovertemplate=t("positions.hover.bar", lang) + "<extra></extra>",
        row=len(parts),
        col=1,
    )
    fig.update_xaxes(title=t("axis.dimension", lang), row=len(parts), col=1)
    fig.update_layout(legend={"orientation": "h", "y": -0.12})
    key = "positions.sum.title" if tr.position_embeddings is not None else "positions.sum.title_rotary"
    title = t(key, lang, token=visible(tr.tokens[index]), pos=index)
    return theme.style(fig, title, height=200 + 170 * len(parts))


def rotary_figure(
    n_positions: int, base: float, rotary_dim: int, lang: str = "en", prompt_len: int | None = None
) -> go.Figure:
    """RoPE's rotation angle per position (row) and dimension pair (column), wrapped to one turn [0, 2π);
    hover shows the unwrapped angle too."""
    angles = rotary_angles(n_positions, base, rotary_dim)  # (P, rotary_dim/2)
    fig = go.Figure(
        go.Heatmap(
            z=np.mod(angles, 2 * np.pi),
            customdata=angles,
            x=list(range(angles.shape[1])),
            y=list(range(n_positions)),
            colorscale="Twilight",  # cyclic: 0 and 2π share a colour, as they are the same rotation
            zmin=0,
            zmax=2 * np.pi,
            colorbar={
                "title": t("positions.rotary.colour", lang),
                "tickvals": [0, np.pi, 2 * np.pi],
                "ticktext": ["0", "π", "2π"],
            },
            hovertemplate=t("positions.hover.rotary", lang) + "<extra></extra>",
        )
    )
    if prompt_len is not None and prompt_len < n_positions:
        _prompt_end(fig, prompt_len, lang, horizontal_only=True)
    fig.update_xaxes(title=t("positions.rotary.pair", lang), dtick=_pair_step(angles.shape[1]))
    fig.update_yaxes(title=t("axis.position", lang), autorange="reversed")
    return theme.style(fig, t("positions.rotary.title", lang, base=base, dim=rotary_dim), height=460)


def _pair_step(n_pairs: int) -> int:
    """Whole-number ticks for dimension pairs, about 16 of them."""
    return max(1, round(n_pairs / 16))


def frequency_figure(base: float, rotary_dim: int, lang: str = "en") -> go.Figure:
    """Radians per position step for each RoPE pair (log scale): fast pairs see order nearby, slow pairs far."""
    freq = rotary_frequencies(base, rotary_dim)  # (rotary_dim/2,)
    fig = go.Figure(
        go.Scatter(
            x=list(range(len(freq))),
            y=freq,
            mode="lines+markers",
            marker_color=theme.POSITION,
            hovertemplate=t("positions.hover.frequency", lang) + "<extra></extra>",
        )
    )
    fig.update_xaxes(title=t("positions.rotary.pair", lang), dtick=_pair_step(len(freq)))
    fig.update_yaxes(title=t("positions.rotary.speed", lang), type="log")
    return theme.style(fig, t("positions.rotary.freq_title", lang), height=320)
