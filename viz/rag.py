"""Lesson 10 — retrieval-augmented generation: chunks drawn in colour, the prompt the model reads, the map of
chunk embeddings, next-token bars with and without the retrieved text, leave-one-out and the position experiment.

Pure: numpy and strings in, HTML or a plotly figure out. N chunks; k retrieved; (N, 2) map points.
"""

from __future__ import annotations

import html
import unicodedata

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import pct, visible
from viz.next_token import paired_bars_figure

CHUNK_COLOURS = (theme.TOKEN_CHIPS[0], theme.TOKEN_CHIPS[1])  # neighbouring chunks alternate blue and orange
OVERLAP_BORDER = "#8A6D00"  # the dashed underline under a stretch two chunks share
CHUNK = theme.rgba(theme.TOKEN, 0.4)  # a chunk on the map
RETRIEVED = theme.ATTENTION  # a retrieved chunk (on the map, in the prompt)
QUERY = theme.HIGHLIGHT  # the question
WRONG = theme.CUT  # the wrong answer's bars
MAX_LABEL = 60  # characters of a chunk shown in a chart's labels


def short(text: str, most: int = MAX_LABEL) -> str:
    """A chunk on one line, cut to `most` columns with an ellipsis (a Chinese character takes two columns)."""
    line = " ".join(text.split())
    used = 0
    for i, char in enumerate(line):
        used += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used > most - 1 and i < len(line) - 1:
            return line[:i] + "…"
    return line


def times(lift: float) -> str:
    """A ratio for a sentence: 96, 3,709, 0.91."""
    return f"{lift:,.0f}" if lift >= 10 else f"{lift:.2f}"


def found_table(
    rows: list[tuple[int, float]], texts: list[str], titles: list[str], columns: tuple[str, ...], drop=()
) -> dict:
    """Found chunks (chunk, score), best first, as table columns named `columns`: rank, chunk number, score,
    document, text (less the columns named in `drop`)."""
    cells = [(r, f"#{i}", f"{s:.3f}", titles[i], short(texts[i], 200)) for r, (i, s) in enumerate(rows, 1)]
    return {name: [row[j] for row in cells] for j, name in enumerate(columns) if name not in drop}


def _badge(label: str, colour: str = "#555") -> str:
    return (
        f'<sup style="font-size:0.75em;color:{colour};font-weight:700;margin:0 2px;'
        f'font-family:{html.escape(theme.MONO)}">{html.escape(label)}</sup>'
    )


def chunks_html(text: str, spans: list[tuple[int, int, int]]) -> str:
    """One document's text with its chunks (index, start, end) in alternating colours; a stretch two chunks share
    (their overlap) is striped in both colours and underlined; each chunk's number opens it. Safe HTML: the text
    is escaped."""
    cuts = sorted({0, len(text), *(s for _, s, _ in spans), *(e for _, _, e in spans)})
    starts = {s: i for i, s, _ in reversed(spans)}  # the first chunk starting at each offset
    out = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        if left in starts:
            out.append(_badge(f"#{starts[left]}"))
        piece = html.escape(text[left:right])
        inside = [i for i, s, e in spans if s <= left and right <= e]
        if not inside:
            out.append(piece)
        elif len(inside) == 1:
            out.append(f'<span style="background:{CHUNK_COLOURS[inside[0] % 2]}">{piece}</span>')
        else:
            a, b = CHUNK_COLOURS[inside[0] % 2], CHUNK_COLOURS[inside[1] % 2]
            stripes = f"repeating-linear-gradient(135deg,{a} 0 6px,{b} 6px 12px)"
            shared = "chunks " + ", ".join(f"#{i}" for i in inside)
            out.append(
                f'<span title="{shared}" style="background:{stripes};'
                f'border-bottom:2px dashed {OVERLAP_BORDER}">{piece}</span>'
            )
    return f'<div style="white-space:pre-wrap;line-height:1.9;margin-bottom:0.6em;color:#222">{"".join(out)}</div>'


def knowledge_html(titles: list[str], texts: list[str], spans: list[list[tuple[int, int, int]]]) -> str:
    """Every document, its title in bold, then its chunks (see `chunks_html`)."""
    parts = [
        f"<div><b>{html.escape(title)}</b></div>{chunks_html(text, doc_spans)}"
        for title, text, doc_spans in zip(titles, texts, spans, strict=True)
    ]
    return '<div style="direction:ltr;unicode-bidi:isolate">' + "".join(parts) + "</div>"


def _plain(piece: str) -> str:
    """Text between the chunks (the separators): escaped, each line break shown as ↵ before it breaks."""
    return html.escape(piece).replace("\n", '<span style="color:#999">↵</span>\n')


def prompt_html(text: str, spans: list[tuple[int, int]], labels: list[str], wrong: int | None = None) -> str:
    """The augmented prompt exactly as the model reads it: each retrieved chunk (start, end) highlighted in the
    retrieved colour with its label ("#1": its rank), chunk number `wrong` (a distractor stating a wrong answer)
    in grey; line breaks shown as ↵, then the question in bold. Safe HTML."""
    out, at = [], 0
    for n, ((start, end), label) in enumerate(zip(spans, labels, strict=True)):
        colour = WRONG if n == wrong else RETRIEVED
        fill = theme.rgba(colour, 0.35 if n == wrong else 0.18)
        out.append(_plain(text[at:start]))
        out.append(
            f'{_badge(label, colour)}<span style="background:{fill};border-radius:4px;padding:1px 2px">'
            f"{html.escape(text[start:end])}</span>"
        )
        at = end
    question = text[at:].lstrip("\n")
    out.append(_plain(text[at : len(text) - len(question)]))
    out.append(f"<b>{html.escape(question)}</b>")
    return (
        f'<div style="white-space:pre-wrap;line-height:1.8;font-family:{html.escape(theme.MONO)};font-size:0.9em;color:#222;'
        'border:1px solid #ddd;border-radius:6px;padding:8px 10px;direction:ltr;unicode-bidi:isolate">'
        f"{''.join(out)}</div>"
    )


def bars_figure(
    without: tuple[list[str], np.ndarray],
    with_chunks: tuple[list[str], np.ndarray],
    answer: str,
    title: str,
    lang: str = "en",
) -> go.Figure:
    """The k likeliest next tokens (tokens, probs (k,)) after the question alone and after the augmented prompt,
    side by side; the answer's first token, where it is among them, in the highlight colour."""
    panels = tuple(
        (tokens, probs, [theme.HIGHLIGHT if tok == answer else base for tok in tokens])
        for (tokens, probs), base in (
            (without, theme.PREDICTION_FAINT),
            (with_chunks, theme.rgba(theme.PREDICTION, 0.45)),
        )
    )
    top = float(max(np.max(without[1], initial=0), np.max(with_chunks[1], initial=0)))
    titles = (t("rag.bars.without", lang), t("rag.bars.with", lang))
    return paired_bars_figure(panels, titles, title, most=top * 1.3 / 1.15)


def map_figure(
    points: np.ndarray,
    query: np.ndarray,
    retrieved: list[int],
    labels: list[str],
    share: np.ndarray,
    lang: str = "en",
) -> go.Figure:
    """Chunks (N, 2) and the question (2,) on the first two principal axes; the retrieved chunks, best first,
    ringed and numbered by their rank in the full-dimension scores, each joined to the question."""
    lines_x, lines_y = [], []
    for i in retrieved:
        lines_x += [query[0], points[i, 0], None]
        lines_y += [query[1], points[i, 1], None]
    hover = [html.escape(short(label, 90)) for label in labels]
    data = [
        go.Scatter(
            x=lines_x,
            y=lines_y,
            mode="lines",
            line={"color": theme.rgba(RETRIEVED, 0.5), "dash": "dot"},
            hoverinfo="skip",
            showlegend=False,
        ),
        go.Scatter(
            x=points[:, 0],
            y=points[:, 1],
            mode="markers",
            marker={"color": CHUNK, "size": 10},
            name=t("rag.map.chunks", lang),
            customdata=[[i, h] for i, h in enumerate(hover)],
            hovertemplate="#%{customdata[0]}: %{customdata[1]}<extra></extra>",
        ),
        go.Scatter(
            x=points[retrieved, 0] if retrieved else [],
            y=points[retrieved, 1] if retrieved else [],
            mode="markers+text",
            marker={"color": "rgba(0,0,0,0)", "size": 18, "line": {"color": RETRIEVED, "width": 3}},
            text=[str(rank) for rank in range(1, len(retrieved) + 1)],
            textposition="top right",
            textfont={"color": RETRIEVED, "size": 14},
            name=t("rag.map.retrieved", lang),
            customdata=[[rank, i, hover[i]] for rank, i in enumerate(retrieved, 1)],
            hovertemplate=t("rag.map.hover", lang) + "<extra></extra>",
        ),
        go.Scatter(
            x=[query[0]],
            y=[query[1]],
            mode="markers",
            marker={"color": QUERY, "size": 16, "symbol": "x"},
            name=t("rag.map.query", lang),
            hovertemplate=t("rag.map.query", lang) + "<extra></extra>",
        ),
    ]
    return theme.figure(
        data,
        t("rag.map.title", lang),
        460,
        xaxis={"title": {"text": t("rag.map.x", lang, share=pct(share[0]))}, "zeroline": False},
        yaxis={"title": {"text": t("rag.map.y", lang, share=pct(share[1]))}, "zeroline": False},
        legend={"orientation": "h", "y": -0.2},
    )


def leave_one_out_figure(
    full: float, alone: float, without: list[float], labels: list[str], holds: list[bool], lang: str = "en"
) -> go.Figure:
    """P(answer) with each retrieved chunk (k,) dropped in turn, on a log scale, beside two lines: all chunks
    kept and the question alone. The bar of a chunk that states the answer is in the retrieved colour."""
    names = [f"#{rank} {html.escape(short(label, 44))}" for rank, label in enumerate(labels, 1)]
    bars = go.Bar(
        y=names,
        x=without,
        orientation="h",
        marker={"color": [RETRIEVED if h else theme.CUT for h in holds]},
        text=[pct(p) for p in without],
        textposition="outside",
        cliponaxis=False,
        customdata=[html.escape(short(label, 200)) for label in labels],
        hovertemplate="%{customdata}: %{x:.4%}<extra></extra>",
        showlegend=False,
    )
    shapes, notes = [], []
    lines = ((full, "rag.loo.all", theme.PREDICTION, 0), (alone, "rag.loo.none", "#666", 18))
    for value, key, colour, lift in lines:  # both noted above the plot, one over the other
        shapes.append(
            {"type": "line", "xref": "x", "x0": value, "x1": value, "yref": "y domain", "y0": 0, "y1": 1}
            | {"line": {"color": colour, "dash": "dot", "width": 2}}
        )
        notes.append(
            {"text": t(key, lang, p=pct(value)), "showarrow": False, "xref": "x", "yref": "y domain", "y": 1}
            | {"x": float(np.log10(max(value, 1e-12))), "yanchor": "bottom", "yshift": lift, "font": {"color": colour}}
        )  # a log axis places shapes by value, annotations by log10
    values = [v for v in (*without, full, alone) if v > 0] or [1e-6]
    low, high = np.log10(min(values)) - 0.4, min(np.log10(max(values)) + 0.5, 0.1)  # no further than 100%
    ticks = [m * 10.0**d for d in range(int(np.floor(low)), int(np.ceil(high)) + 1) for m in (1, 2, 5)]
    ticks = [v for v in ticks if low <= np.log10(v) <= high]  # 1, 2, 5 in each decade, labelled as pct() writes
    return theme.figure(
        [bars],
        t("rag.loo.title", lang),
        theme.heatmap_height(len(labels), per_row=40, base=170, most=600),
        yaxis={"title": {"text": t("rag.loo.x", lang)}, "type": "category", "autorange": "reversed"},
        xaxis={
            "title": {"text": t("rag.loo.y", lang)},
            "type": "log",
            "range": [low, high],
            "tickvals": ticks,
            "ticktext": [pct(v) for v in ticks],
        },
        shapes=shapes,
        annotations=notes,
        margin={"t": 96},
    )


def arrangement_figure(
    places: list[str], right: list[float], wrong: list[float] | None, answer: str, wrong_answer: str, lang: str = "en"
) -> go.Figure:
    """P(the answer) for each place of the relevant chunk (first, middle, last), and P(the wrong answer) beside
    it when a chunk stating one is among the distractors."""
    names = [t(f"rag.place.{place}", lang) for place in places]

    def bar(values: list[float], key: str, token: str, colour: str) -> go.Bar:
        return go.Bar(
            x=names,
            y=values,
            name=t(key, lang, answer=visible(token)),
            marker={"color": colour},
            text=[pct(p) for p in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.3%}<extra></extra>",
        )

    bars = [bar(right, "rag.place.right", answer, RETRIEVED)]
    if wrong is not None:
        bars.append(bar(wrong, "rag.place.wrong", wrong_answer, WRONG))
    top = max([*right, *(wrong or [])], default=0.0)
    return theme.figure(
        bars,
        t("rag.place.title", lang),
        380,
        barmode="group",
        xaxis={"title": {"text": t("rag.place.x", lang)}, "type": "category"},
        yaxis={"title": {"text": t("rag.place.y", lang)}, "tickformat": ".3~%", "range": [0, min(1.0, top * 1.3) or 1]},
        legend={"orientation": "h", "y": -0.25},
    )
