"""Lesson 2 — embeddings: a token ID picks one row of the embedding matrix; rows that point the same way are similar.

Pure numpy in, plotly out. The page hands in the embedding matrix (V, d) as numpy, never a torch tensor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessons import t
from model.numeric import cosine_matrix
from viz import theme
from viz.label_layout import LABEL_SIZE, MARKER_SIZE, place_labels, to_pixels
from viz.labels import visible

# "Common words": whole-word vocabulary entries of 3+ ASCII letters, by tokenizer scheme (raw pieces).
WORD_PIECE = {
    "byte-level": re.compile(r"^Ġ[A-Za-z]{3,}$"),  # "Ġthe" decodes to " the"
    "sentencepiece": re.compile(r"^▁[A-Za-z]{3,}$"),
    "wordpiece": re.compile(r"^[A-Za-z]{3,}$"),  # no "##" pieces, no "[unused7]"
    "plain": re.compile(r"^ ?[A-Za-z]{3,}$"),
}


HAN_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")  # a Chinese word of two or more characters


def common_word_ids(pieces: list[str], scheme: str, n: int = 300, texts: list[str] | None = None) -> np.ndarray:
    """Ids of the first `n` whole-word entries: 3+ ASCII letters, or (given display `texts`) 2+ Chinese
    characters; BPE ids roughly follow frequency."""
    pattern = WORD_PIECE.get(scheme, WORD_PIECE["plain"])
    texts = texts or [""] * len(pieces)
    ids = [
        i
        for i, (piece, text) in enumerate(zip(pieces, texts, strict=True))
        if pattern.match(piece) or HAN_WORD.match(text)
    ]
    return np.asarray(ids[:n], dtype=np.int64)


def pca_fit(points: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """PCA by SVD of the centred points (N, d): mean (d,), the two top directions (2, d), their variance share (2,)."""
    mean = points.mean(axis=0)  # (d,)
    _, singular, vt = np.linalg.svd(points - mean, full_matrices=False)  # vt: (min(N, d), d)
    variance = singular**2
    share = variance / max(variance.sum(), 1e-12)
    components = np.zeros((2, points.shape[1]))
    components[: min(2, len(vt))] = vt[:2]
    shares = np.zeros(2)
    shares[: min(2, len(share))] = share[:2]
    return mean, components, shares


def pca_project(points: np.ndarray, mean: np.ndarray, components: np.ndarray) -> np.ndarray:
    """(N, d) → (N, 2) coordinates along the two PCA directions."""
    return (points - mean) @ components.T


def value_colours(values: np.ndarray, lang: str = "en", quantile: float = 99.5, outlier: float = 1.5) -> dict:
    """A colour range symmetric about 0: ±max |value|, or, when a few outliers pass `outlier` × the 99.5th
    percentile of |value| (BERT has such dimensions), ±that percentile, so they do not wash every other cell
    out; the colour bar then says it caps. Hover always shows the exact values."""
    size = np.abs(values)
    largest = float(size.max(initial=0.0)) or 1.0
    typical = float(np.percentile(size, quantile)) if size.size else largest
    capped = 0 < typical and largest > outlier * typical
    cap = typical if capped else largest
    title = t("embeddings.colour_cap", lang, cap=cap) if capped else t("axis.value", lang)
    return {"zmin": -cap, "zmax": cap, "colorbar": {"title": title}}


def _heatmap(z, x, y, lang: str, hover: str, **kw) -> go.Heatmap:
    return go.Heatmap(z=z, x=x, y=y, colorscale=theme.DIVERGING, hovertemplate=t(hover, lang) + "<extra></extra>", **kw)


def vectors_figure(
    vectors: np.ndarray, labels: list[str], title: str, lang: str = "en", y_title: str = ""
) -> go.Figure:
    """A (N, d) block of vectors as a heatmap: one row per label, one column per dimension, blue < 0 < red."""
    fig = go.Figure(
        _heatmap(
            vectors,
            list(range(vectors.shape[1])),
            labels,
            lang,
            "embeddings.hover.vector",
            **value_colours(vectors, lang),
        )
    )
    fig.update_xaxes(title=t("axis.dimension", lang))
    fig.update_yaxes(title=y_title or t("axis.token", lang), autorange="reversed", type="category")
    return theme.style(fig, title, height=theme.heatmap_height(len(labels), per_row=18 if len(labels) < 40 else 6))


def similarity_figure(
    vectors: np.ndarray, labels: list[str], title: str, lang: str = "en", axis: str = ""
) -> go.Figure:
    """Cosine similarity of every pair of rows of `vectors` (N, d), as an N × N heatmap from −1 to 1."""
    sim = cosine_matrix(vectors)  # (N, N)
    fig = go.Figure(
        _heatmap(
            sim,
            labels,
            labels,
            lang,
            "embeddings.hover.similarity",
            zmin=-1,
            zmax=1,
            colorbar=theme.colour_key(t("axis.cosine", lang)),  # above: beside a square it stood taller than it
        )
    )
    axis = axis or t("axis.token", lang)
    fig.update_xaxes(title=axis, type="category", tickangle=-45, constrain="domain")
    fig.update_yaxes(
        title=axis, autorange="reversed", type="category", scaleanchor="x", constrain="domain", constraintoward="top"
    )
    return theme.keyed_margin(theme.style(fig, title, height=theme.heatmap_height(len(labels), per_row=22, most=760)))


def lookup_figure(
    window: np.ndarray, window_ids: list[int], window_texts: list[str], token_id: int, lang: str = "en"
) -> go.Figure:
    """One-hot × matrix = one row: a slice of the embedding matrix (k, d) around `token_id`, its one-hot column
    beside it, and the picked row's d numbers as bars underneath."""
    chosen = window_ids.index(token_id)
    labels = [f"{visible(text)} (id {i})" for i, text in zip(window_ids, window_texts, strict=True)]
    one_hot = np.array([[1.0 if i == token_id else 0.0] for i in window_ids])  # (k, 1)
    colours = {k: v for k, v in value_colours(window, lang).items() if k != "colorbar"}
    d = window.shape[1]
    fig = make_subplots(
        rows=2,
        cols=2,
        column_widths=[0.06, 0.94],
        row_heights=[0.5, 0.5],
        horizontal_spacing=0.01,
        vertical_spacing=0.12,
        specs=[[{}, {}], [None, {}]],
        subplot_titles=(
            t("embeddings.lookup.onehot", lang),
            t("embeddings.lookup.matrix", lang),
            t("embeddings.lookup.row", lang, id=token_id),
        ),
    )
    fig.add_trace(
        go.Heatmap(
            z=one_hot,
            x=["1/0"],
            y=labels,
            colorscale=[[0, "#f2f2f2"], [1, theme.HIGHLIGHT]],
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="%{y}: %{z}<extra></extra>",
        ),
        row=1,
        col=1,
    )
    fig.add_trace(
        _heatmap(window, list(range(d)), labels, lang, "embeddings.hover.vector", showscale=False, **colours),
        row=1,
        col=2,
    )
    fig.add_trace(
        go.Bar(
            x=list(range(d)),
            y=window[chosen],
            marker_color=theme.TOKEN,
            name=visible(window_texts[chosen]),
            hovertemplate=t("embeddings.hover.bar", lang) + "<extra></extra>",
        ),
        row=2,
        col=2,
    )
    fig.add_shape(
        type="rect",
        x0=-0.5,
        x1=d - 0.5,
        y0=chosen - 0.5,
        y1=chosen + 0.5,
        line={"color": theme.HIGHLIGHT, "width": 3},
        row=1,
        col=2,
    )
    fig.update_yaxes(autorange="reversed", type="category", row=1, col=1)
    fig.update_yaxes(autorange="reversed", type="category", showticklabels=False, row=1, col=2)
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    # the bars below share the matrix's dimension axis and number it; numbered twice, the upper ticks ran into
    # the bars' title
    fig.update_xaxes(showticklabels=False, row=1, col=2)
    fig.update_xaxes(title=t("axis.dimension", lang), matches="x2", row=2, col=2)
    fig.update_yaxes(title=t("axis.value", lang), row=2, col=2)
    fig.update_layout(showlegend=False)
    return theme.style(fig, t("embeddings.lookup.title", lang, token=visible(window_texts[chosen]), id=token_id), 520)


@dataclass(frozen=True)
class PcaMap:
    words_xy: np.ndarray  # (N, 2) common words
    prompt_xy: np.ndarray  # (T, 2) the prompt's tokens, projected on the words' directions
    share: np.ndarray  # (2,) share of the fitted points' variance along each direction


def pca_map(word_vectors: np.ndarray, prompt_vectors: np.ndarray, fit: tuple | None = None) -> PcaMap:
    """Fit PCA on the common words (N, d) — on words and prompt together if fewer than 3 words — and
    project both the words and the prompt's tokens (T, d) onto its two directions. `fit`: the words' own
    `pca_fit`, computed once per model (an SVD of N × d on every page run was a fifth of a class's server time)."""
    if fit is None or len(word_vectors) < 3:
        fit = pca_fit(word_vectors if len(word_vectors) >= 3 else np.concatenate([word_vectors, prompt_vectors]))
    mean, components, share = fit
    return PcaMap(pca_project(word_vectors, mean, components), pca_project(prompt_vectors, mean, components), share)


def view_range(words_xy: np.ndarray, prompt_xy: np.ndarray, keep: float = 98.0) -> tuple[list[float], list[float]]:
    """x and y ranges that show every prompt token and the central `keep`% of the words, so a few outlying
    words do not squeeze the map into a corner (Plotly's autoscale button still shows them all)."""
    tail = (100 - keep) / 2
    lo = np.minimum(np.percentile(words_xy, tail, axis=0), prompt_xy.min(axis=0))  # (2,)
    hi = np.maximum(np.percentile(words_xy, 100 - tail, axis=0), prompt_xy.max(axis=0))  # (2,)
    pad = 0.08 * (hi - lo) + 1e-6
    return [float(lo[0] - pad[0]), float(hi[0] + pad[0])], [float(lo[1] - pad[1]), float(hi[1] + pad[1])]


PCA_HEIGHT = 560


def pca_figure(
    pca: PcaMap, word_texts: list[str], tokens: list[str], token_ids: np.ndarray, lang: str = "en"
) -> go.Figure:
    """The prompt's tokens (blue, labelled) on the 2D PCA map of common words (grey). A token that occurs
    several times is one point, labelled with all its positions: `2,6:·a`. Labels are placed so that they do
    not cover each other (`place_labels`); a label with no room beside its dot hangs on a short arrow."""
    firsts = {}  # token id → positions where it occurs
    for position, token_id in enumerate(token_ids.tolist()):
        firsts.setdefault(token_id, []).append(position)
    rows = [positions[0] for positions in firsts.values()]  # (U,) first occurrence of each distinct id
    labels = [",".join(map(str, p)) + ":" + visible(tokens[p[0]]) for p in firsts.values()]
    words_xy, prompt_xy, share = pca.words_xy, pca.prompt_xy[rows], pca.share  # (N, 2), (U, 2), (2,)
    x_range, y_range = view_range(words_xy, prompt_xy)
    spots = place_labels(to_pixels(prompt_xy, x_range, y_range), labels)
    hover = t("embeddings.hover.pca", lang) + "<extra></extra>"
    fig = go.Figure()
    fig.add_scatter(
        x=words_xy[:, 0],
        y=words_xy[:, 1],
        mode="markers",
        name=t("embeddings.pca.words", lang),
        text=[visible(w) for w in word_texts],
        marker={"color": theme.CUT, "size": 6, "opacity": 0.7},
        hovertemplate=hover,
    )
    font = {"family": theme.MONO, "color": theme.TOKEN, "size": LABEL_SIZE}
    fig.add_scatter(
        x=prompt_xy[:, 0],
        y=prompt_xy[:, 1],
        mode="markers+text",
        name=t("embeddings.pca.prompt", lang),
        text=["" if spot.position == "arrow" else label for spot, label in zip(spots, labels, strict=True)],
        textposition=["top center" if spot.position == "arrow" else spot.position for spot in spots],
        textfont=font,
        customdata=labels,
        marker={"color": theme.TOKEN, "size": MARKER_SIZE, "line": {"color": "white", "width": 1}},
        hovertemplate=hover.replace("%{text}", "%{customdata}"),
    )
    for (x, y), spot, label in zip(prompt_xy, spots, labels, strict=True):
        if spot.position == "arrow":
            fig.add_annotation(
                x=x,
                y=y,
                ax=spot.dx,
                ay=spot.dy,
                text=label,
                font=font,
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor=theme.rgba(theme.TOKEN, 0.6),
                standoff=MARKER_SIZE / 2,
                bgcolor="rgba(255,255,255,0.7)",
            )
    fig.update_xaxes(title=t("embeddings.pca.axis", lang, n=1, share=100 * share[0]), zeroline=False, range=x_range)
    fig.update_yaxes(title=t("embeddings.pca.axis", lang, n=2, share=100 * share[1]), zeroline=False, range=y_range)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return theme.style(fig, t("embeddings.pca.title", lang, n=len(word_texts)), height=PCA_HEIGHT)


def neighbours_figure(texts: list[str], sims: np.ndarray, token: str, lang: str = "en") -> go.Figure:
    """Horizontal bars: the nearest vocabulary entries to a token and their cosine similarity, best on top."""
    labels = [f"{i + 1}. {visible(text)}" for i, text in enumerate(texts)]
    fig = go.Figure(
        go.Bar(
            x=sims,
            y=labels,
            orientation="h",
            marker_color=theme.TOKEN,
            text=[f"{s:.3f}" for s in sims],
            textposition="auto",
            hovertemplate=t("embeddings.hover.neighbour", lang) + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", title=t("embeddings.neighbours.axis", lang))
    fig.update_xaxes(title=t("axis.cosine", lang), range=[min(0.0, float(np.min(sims))), 1.0])
    return theme.style(fig, t("embeddings.neighbours.title", lang, token=visible(token), n=len(texts)), height=420)


def neighbour_rows(ids: np.ndarray, texts: list[str], sims: np.ndarray, lang: str = "en") -> list[dict]:
    """One table row per neighbour: rank, token, id, cosine similarity."""
    return [
        {
            t("embeddings.col.rank", lang): rank + 1,
            t("embeddings.col.token", lang): visible(text),
            t("embeddings.col.id", lang): int(i),
            t("axis.cosine", lang): round(float(s), 4),
        }
        for rank, (i, text, s) in enumerate(zip(ids, texts, sims, strict=True))
    ]


def extreme_pairs(token_ids: np.ndarray, vectors: np.ndarray) -> tuple[tuple[int, int, float], ...] | None:
    """(most similar, least similar) pairs (i, j, cosine) among prompt positions holding different token ids."""
    sim = cosine_matrix(vectors)  # (T, T)
    i, j = np.triu_indices(len(token_ids), k=1)  # (P,) every pair once
    keep = token_ids[i] != token_ids[j]
    i, j = i[keep], j[keep]
    if not len(i):
        return None
    hi, lo = np.argmax(sim[i, j]), np.argmin(sim[i, j])
    return (int(i[hi]), int(j[hi]), float(sim[i[hi], j[hi]])), (int(i[lo]), int(j[lo]), float(sim[i[lo], j[lo]]))
