"""Lesson 11 — the original Transformer: encoder self-attention, decoder self-attention and cross-attention,
step-through decoding, cross-attention knocked out, the alignment forming in training, and the bridge to a
decoder-only twin.

Pure: numpy in, plotly out. Axes: L layers, H heads, T_in input (encoder) tokens, T_out output (decoder) tokens,
V vocabulary entries. Row t of a cross-attention matrix is decoder position t, which predicts output token t + 1.
Tokens are display strings; every function turns them into axis labels with `token_labels` (and escapes them:
Plotly reads "<s>" as the start of struck-through text).
"""

from __future__ import annotations

import html

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.attention import MAX_KEY_TICKS, _ticks, future_mask, heatmap_figure, tiled_grid_figure
from viz.labels import pct, token_label, token_labels, visible

KINDS = ("encoder", "decoder", "cross")
AXES = {  # kind → (x: the key side, is read; y: the query side, reads)
    "encoder": ("seq2seq.axis.input_read", "seq2seq.axis.input_reads"),
    "decoder": ("seq2seq.axis.output_read", "seq2seq.axis.output_reads"),
    "cross": ("seq2seq.axis.input_read", "seq2seq.axis.output_reads"),
}
PENDING_CELL = "#F6F4F2"  # a row of the step-through not generated yet: fainter than a masked cell
TOP_BARS = 8  # next-token bars beside the step-through
GRID_WIDTH_PX = 1000  # the width the grid of thumbnails is sized for
WITHOUT = theme.CUT  # the knocked-out decoder's bars


def axis_labels(tokens: list[str]) -> list[str]:
    """`token_labels`, escaped for Plotly's text: `3:·M`, `0:&lt;s&gt;` (shown as `0:<s>`)."""
    return [html.escape(label, quote=False) for label in token_labels(tokens)]


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind is one of {', '.join(KINDS)}, not {kind!r}.")


def _hidden(kind: str, n_queries: int, n_keys: int) -> np.ndarray | None:
    """(Tq, Tk) True where the decoder's causal mask hides the key; None for encoder and cross-attention."""
    if kind != "decoder":
        return None
    if n_queries != n_keys:
        raise ValueError(f"Decoder self-attention is square; this one has {n_queries} × {n_keys} positions.")
    return future_mask(n_queries, causal=True)


def alignment_peaks(cross_2d: np.ndarray) -> np.ndarray:
    """(T_out,) int: the input position each output row attends to most.  cross_2d: (T_out, T_in)"""
    return np.argmax(cross_2d, axis=-1).astype(np.int64)


def attention_on(cross_2d: np.ndarray, rows, cols) -> float:
    """The share of their attention that output rows `rows` put on input positions `cols` (summed over the
    columns, averaged over the rows), 0…1.  cross_2d: (T_out, T_in)"""
    rows, cols = np.atleast_1d(rows), np.atleast_1d(cols)
    if rows.size == 0 or cols.size == 0:
        return 0.0
    return float(cross_2d[np.ix_(rows, cols)].astype(np.float64).sum(axis=1).mean())


def attention_figure(
    pattern_2d: np.ndarray,
    query_labels: list[str],
    key_labels: list[str],
    kind: str,
    lang: str = "en",
    title: str = "",
    query: int | None = None,
    compact: bool = False,
) -> go.Figure:
    """One head's heatmap. kind "encoder": input × input, (T_in, T_in), nothing masked; "decoder": output ×
    output, (T_out, T_out), the future cells grey; "cross": output rows × input columns, (T_out, T_in).
    query_labels / key_labels: the tokens of the rows / columns (display strings); query: a row to outline."""
    _check_kind(kind)
    hidden = _hidden(kind, *pattern_2d.shape)
    x_key, y_key = AXES[kind]
    return heatmap_figure(
        pattern_2d,
        axis_labels(query_labels),
        axis_labels(key_labels),
        hidden,
        lang,
        query,
        title or t(f"seq2seq.kind.{kind}", lang),
        compact,
        axis_titles=(t(x_key, lang), t(y_key, lang)),
    )


def heads_grid_figure(
    patterns: np.ndarray,
    query_labels: list[str],
    key_labels: list[str],
    kind: str,
    lang: str = "en",
    chosen: tuple[int, int] = (0, 0),
    title: str = "",
) -> go.Figure:
    """Every head as a thumbnail (rows = layers, columns = heads), one cell per token pair, the chosen
    (layer, head) outlined; a click target on each carries customdata [layer, head, mean top weight].
    patterns: (L, H, Tq, Tk); query_labels (Tq,), key_labels (Tk,) as for `attention_figure`."""
    _check_kind(kind)
    L, H, Tq, Tk = patterns.shape
    if (len(query_labels), len(key_labels)) != (Tq, Tk):
        raise ValueError(
            f"The patterns have {Tq} query × {Tk} key positions, while there are {len(query_labels)} query and "
            f"{len(key_labels)} key tokens."
        )
    hidden = _hidden(kind, Tq, Tk)  # (Tq, Tk) or None
    thumbnails = np.round(patterns.astype(np.float64), 3)  # (L, H, Tq, Tk)
    if hidden is not None:
        thumbnails = np.where(hidden, np.nan, thumbnails)
    peak = patterns.max(axis=-1).mean(axis=-1)  # (L, H) how sharply a head picks one key per row
    customdata = [[l, h, f"{peak[l, h]:.2f}"] for l in range(L) for h in range(H)]
    cell_px = min(14.0, GRID_WIDTH_PX / (H * (Tk + 1)))  # square cells across the page's width
    row_px = int(min(150, max(40, cell_px * (Tq + 1))))
    return tiled_grid_figure(
        thumbnails,
        hidden,
        *chosen,
        title or t("seq2seq.grid.title", lang, kind=t(f"seq2seq.kind.{kind}", lang)),
        customdata,
        t("seq2seq.grid.hover", lang) + "<extra></extra>",
        lang,
        row_px=row_px,
    )


def _bar_labels(tokens: list[str]) -> list[str]:
    return [f"{rank}. {html.escape(visible(tok), quote=False)}" for rank, tok in enumerate(tokens, 1)]


def step_figure(
    cross_2d: np.ndarray,
    probs_next: np.ndarray,
    output_labels: list[str],
    input_labels: list[str],
    vocab_labels: list[str],
    step: int,
    lang: str = "en",
    chosen: int | None = None,
    top: int = TOP_BARS,
) -> go.Figure:
    """Step-through decoding at decoder position `step`: on the left the cross-attention rows 0…step (later rows
    are not generated yet: empty, their tokens "?"), the current row outlined; on the right the `top` likeliest
    next tokens at this step, the chosen one (greedy: the most likely, unless `chosen` names an id) solid.
    cross_2d: (T_out, T_in) one head's (or the heads' mean) cross-attention; probs_next: (V,) at position `step`;
    output_labels (T_out,), input_labels (T_in,), vocab_labels (V,): tokens."""
    T_out, T_in = cross_2d.shape
    if not 0 <= step < T_out:
        raise ValueError(f"step {step} is outside the {T_out} decoder positions.")
    if len(probs_next) != len(vocab_labels):
        raise ValueError(f"{len(probs_next)} probabilities for a vocabulary of {len(vocab_labels)} tokens.")
    chosen = int(np.argmax(probs_next)) if chosen is None else int(chosen)
    done = np.arange(T_out) <= step  # (T_out,) rows generated so far
    rows = [
        html.escape(token_label(i, tok) if done[i] else f"{i}:?", quote=False) for i, tok in enumerate(output_labels)
    ]
    cols = axis_labels(input_labels)
    width = 0.56
    traces = [
        go.Heatmap(
            z=np.where(done[:, None], cross_2d, np.nan),  # (T_out, T_in)
            x=cols,
            y=rows,
            zmin=0.0,
            zmax=1.0,
            colorscale=theme.SEQUENTIAL,
            colorbar={"thickness": 10}  # no title: at 1,024 px it would run into the bars beside it
            | {"x": width + 0.01, "xanchor": "left", "len": 1.0},
            hoverongaps=False,
            xgap=1,
            ygap=1,
            name="cross",
            hovertemplate="%{y} → %{x}: %{z:.4f}<extra></extra>",
        ),
        go.Heatmap(
            z=np.where(done[:, None], np.nan, np.ones((T_out, T_in))),  # 1 where not generated yet
            x=cols,
            y=rows,
            colorscale=[[0, PENDING_CELL], [1, PENDING_CELL]],
            showscale=False,
            hoverongaps=False,
            xgap=1,
            ygap=1,
            name="pending",
            hovertemplate="%{y}: " + t("seq2seq.step.pending", lang) + "<extra></extra>",
        ),
    ]
    ids = np.argsort(-probs_next, kind="stable")[:top]  # (top,) most likely first
    traces.append(
        go.Bar(
            y=_bar_labels([vocab_labels[i] for i in ids]),
            x=probs_next[ids],
            orientation="h",
            marker={
                "color": [theme.PREDICTION if i == chosen else theme.PREDICTION_FAINT for i in ids],
                "line": {"color": theme.PREDICTION, "width": 1.5},
            },
            text=[pct(probs_next[i]) for i in ids],
            textposition="outside",
            cliponaxis=False,
            customdata=ids,
            name="next",
            hovertemplate="%{y}: %{x:.4%}<extra></extra>",
            xaxis="x2",
            yaxis="y2",
        )
    )
    layout = theme.two_panels(t("seq2seq.step.cross", lang), t("seq2seq.step.bars", lang, step=step))
    layout["xaxis"]["domain"], layout["xaxis2"]["domain"] = [0.0, width], [width + 0.17, 1.0]
    layout["annotations"][0]["x"], layout["annotations"][1]["x"] = width / 2, (width + 1.17) / 2
    outline = {"type": "rect", "xref": "x", "yref": "y", "x0": -0.5, "x1": T_in - 0.5, "y0": step - 0.5}
    outline |= {"y1": step + 0.5, "line": {"color": theme.HIGHLIGHT, "width": 2}}
    title = t(
        "seq2seq.step.title",
        lang,
        step=step,
        token=html.escape(visible(output_labels[step]), quote=False),
        next=html.escape(visible(vocab_labels[chosen]), quote=False),
        p=pct(probs_next[chosen]),
    )
    longest = float(probs_next[ids].max()) if len(ids) else 1.0
    height = max(theme.heatmap_height(T_out, per_row=22, base=170, most=700), 60 + 34 * len(ids))
    return theme.figure(
        traces,
        title,
        height,
        **theme.merged(
            layout,
            {
                "xaxis": {
                    "title": {"text": t("seq2seq.axis.input_read", lang)},
                    "tickangle": -60,
                    **_ticks(cols, MAX_KEY_TICKS),
                },
                "yaxis": {
                    "title": {"text": t("seq2seq.axis.output_reads", lang)},
                    "autorange": "reversed",
                    **_ticks(rows),
                },
                "xaxis2": {
                    "title": {"text": t("axis.probability", lang)},
                    "tickformat": ".0%",
                    "range": [0, min(1.0, longest) * 1.3 or 1.0],
                },
                "yaxis2": {"autorange": "reversed", "type": "category"},
            },
        ),
        shapes=[outline],
        showlegend=False,
        margin={"t": 80},
    )


def knockout_figure(
    with_cross: np.ndarray,
    without_cross: np.ndarray,
    targets: list[str],
    lang: str = "en",
    guesses: list[str] | None = None,
    vocab: int | None = None,
    title: str = "",
    start: int = 1,
) -> go.Figure:
    """The probability of the right output token at each output position, with cross-attention and with it
    knocked out: two bars per position. with_cross, without_cross: (n,); targets: the n tokens the positions
    should write (labelled with their own positions, `start`, `start` + 1, …: position t − 1 writes token t);
    guesses: (n,) the knocked-out decoder's own top token at each position, shown on hover; vocab: draws the
    level of a uniform guess, 1/vocab."""
    n = len(targets)
    if len(with_cross) != n or len(without_cross) != n:
        raise ValueError(f"{len(with_cross)} and {len(without_cross)} probabilities for {n} target tokens.")
    x = [html.escape(token_label(start + i, tok), quote=False) for i, tok in enumerate(targets)]
    guess = [html.escape(visible(g), quote=False) for g in guesses] if guesses is not None else None
    bars = []
    for values, key, colour in ((with_cross, "with", theme.PREDICTION), (without_cross, "without", WITHOUT)):
        hover = "%{x}: %{y:.3%}"
        if key == "without" and guess is not None:
            hover += "<br>" + t("seq2seq.knock.guess", lang)
        bars.append(
            go.Bar(
                x=x,
                y=values,
                name=t(f"seq2seq.knock.{key}", lang),
                marker={"color": colour},
                text=[pct(p) for p in values],
                textposition="outside",
                cliponaxis=False,
                customdata=guess if key == "without" else None,
                hovertemplate=hover + "<extra>%{fullData.name}</extra>",
            )
        )
    if vocab:  # a dotted line with its own legend entry: a note on the plot would sit on the low bars' text
        bars.append(
            go.Scatter(
                x=x,
                y=[1 / vocab] * n,
                mode="lines",
                line={"color": "#666", "dash": "dot", "width": 1.5},
                name=t("seq2seq.knock.chance", lang, vocab=vocab),
                hovertemplate="%{fullData.name}<extra></extra>",
            )
        )
    return theme.figure(
        bars,
        title or t("seq2seq.knock.title", lang),
        380,
        barmode="group",
        bargap=0.2,
        xaxis={"title": {"text": t("seq2seq.knock.x", lang)}, "type": "category"},
        yaxis={"title": {"text": t("seq2seq.knock.y", lang)}, "tickformat": ".0%", "range": [0, 1.15]},
        legend={"orientation": "h", "y": -0.25},
    )
