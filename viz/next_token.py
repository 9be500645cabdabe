"""Lesson 5 — next token: probability bars with their cuts, the chosen token in words, generated tokens
as chips, the probability of a typed word (chain rule) and softmax worked through on the real logits."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons import t
from model.numeric import rank_of, softmax
from model.sampling import CUT_GREEDY, CUT_TOP_K, CUT_TOP_P, KEPT, Distribution
from viz import theme
from viz.labels import SUPERSCRIPT, pct, visible

# (reason, legend key, colour, bar pattern): kept in the prediction colour, cuts grey and hatched
REASONS = (
    (KEPT, "kept", theme.PREDICTION, ""),
    (CUT_TOP_K, "top_k", theme.CUT, "/"),
    (CUT_TOP_P, "top_p", theme.CUT, "x"),
    (CUT_GREEDY, "greedy", theme.CUT, "."),
)
DENSE_RANKS = 1_000  # the cumulative chart has every rank up to here, then a log-spaced sample to the last


def md_token(text: str) -> str:
    """A token for markdown: visible spaces, in a code span (so `$`, `*` or `<` stay literal)."""
    shown = visible(text)
    fence = "``" if "`" in shown else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def token_list(tokens: list[str], lang: str = "en") -> str:
    """`c`, `at` — tokens for a sentence (、 between them in Chinese)."""
    return ("、" if lang == "zh" else ", ").join(md_token(tok) for tok in tokens)


def top_ids(probs: np.ndarray, n: int = 15) -> np.ndarray:
    """(n,) ids of the n most likely tokens, most likely first.  probs: (V,)"""
    return np.argsort(-probs, kind="stable")[:n]


def cut_counts(dist: Distribution) -> dict[str, int]:
    """How many tokens are kept, cut by top-k, by top-p, and left out by greedy decoding."""
    return {
        key: int((dist.cut == reason).sum())
        for reason, key in ((KEPT, "kept"), (CUT_TOP_K, "by_k"), (CUT_TOP_P, "by_p"), (CUT_GREEDY, "by_greedy"))
    }


def kept_sentence(dist: Distribution, vocab: int, lang: str = "en") -> str:
    """How many tokens the choice can still land on; greedy (or temperature 0) makes no draw: one."""
    s = dist.settings
    if s.is_greedy:
        return t("next_token.kept.zero" if s.temperature == 0 else "next_token.kept.greedy", lang, vocab=vocab)
    return t("next_token.kept", lang, vocab=vocab, **cut_counts(dist))


def probability_figure(
    dist: Distribution,
    logits: np.ndarray,
    ids: np.ndarray,
    tokens: list[str],
    last_token: str,
    chosen: int | None = None,
    lang: str = "en",
) -> go.Figure:
    """Horizontal bars for the tokens `ids` (most likely first): the model's own probability beside the
    one after temperature, top-k and top-p. A cut token's bar shows its probability before the cut, grey
    and hatched, its legend naming the cut.  logits: (V,); ids: (n,); tokens: (n,) their display text."""
    labels = [f"{i + 1}. {html.escape(visible(tok))}" for i, tok in enumerate(tokens)]  # Plotly reads tags
    reason_text = {r: t(f"next_token.reason.{name}", lang) for r, name, _, _ in REASONS}
    hover = [
        t(
            "next_token.hover",
            lang,
            token=html.escape(visible(tok)),  # hover text is not markdown
            id=int(i),
            rank=rank_of(dist.model_probs, int(i)),
            logit=float(logits[i]),
            mp=pct(dist.model_probs[i]),
            tp=pct(dist.tempered[i]),
            p=pct(dist.probs[i]),
            reason=reason_text[int(dist.cut[i])],
        )
        for i, tok in zip(ids, tokens, strict=True)
    ]
    fig = go.Figure()
    fig.add_bar(
        name=t("next_token.legend.model", lang),
        y=labels,
        x=dist.model_probs[ids],
        orientation="h",
        marker={"color": theme.PREDICTION_FAINT, "line": {"color": theme.PREDICTION, "width": 1.5}},  # outlined
        offsetgroup="model",
        hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>",
    )
    for reason, name, colour, shape in REASONS:
        rows = [k for k, i in enumerate(ids) if dist.cut[i] == reason]
        if not rows:
            continue
        sel = ids[rows]
        x = dist.probs[sel] if reason == KEPT else dist.tempered[sel]  # a cut bar: what was cut
        fig.add_bar(
            name=t(f"next_token.legend.{name}", lang),
            y=[labels[k] for k in rows],
            x=x,
            orientation="h",
            marker={"color": colour, "pattern": {"shape": shape, "fgcolor": "#6E6663"}},
            offsetgroup="adjusted",
            cliponaxis=False,
            text=[pct(dist.probs[i]) if reason == KEPT else "✂ 0%" for i in sel],
            textposition="outside",
            customdata=sel,
            hovertext=[hover[k] for k in rows],
            hovertemplate="%{hovertext}<extra></extra>",
        )
    if chosen is not None and chosen in ids.tolist():
        x = max(dist.probs[chosen], dist.model_probs[chosen], dist.tempered[chosen])
        mark = {"text": t("next_token.chosen_mark", lang), "font": {"color": theme.HIGHLIGHT}, "showarrow": False}
        fig.add_annotation(x=float(x), y=labels[ids.tolist().index(chosen)], xanchor="left", xshift=48, **mark)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", title=None)
    longest = max(dist.model_probs[ids].max(), dist.tempered[ids].max(), dist.probs[ids].max())
    fig.update_xaxes(
        title=t("axis.probability", lang), tickformat=".0%", range=[0, 1.3 * float(longest)]
    )  # room for text
    if longest > 0.75:  # no tick past 100% in the room left for the text
        fig.update_xaxes(tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    fig.update_layout(barmode="group", bargap=0.25, legend={"orientation": "h", "y": -0.12})
    title = t("next_token.bars.title", lang, n=len(ids), last=html.escape(visible(last_token)))
    return theme.style(fig, title, height=theme.heatmap_height(len(ids), per_row=32, base=170))


def _ranks(vocab: int, marks: list[int]) -> np.ndarray:
    """(n,) ranks 1 … vocab to draw: every one up to DENSE_RANKS, a log-spaced sample beyond (the curves
    only rise, so nothing is hidden between), and the exact `marks` (where a cut begins and ends)."""
    dense = np.arange(1, min(vocab, DENSE_RANKS) + 1)
    sparse = np.geomspace(DENSE_RANKS, vocab, 300).round() if vocab > DENSE_RANKS else np.array([])
    marks = [m for m in marks if 1 <= m <= vocab]
    return np.unique(np.concatenate([dense, sparse, marks, [vocab]])).astype(np.int64)


def cumulative_figure(dist: Distribution, lang: str = "en") -> go.Figure:
    """Cumulative probability of the most likely tokens, the model's own and after temperature, out to the
    whole vocabulary (100%); the points are coloured by what top-k, top-p or greedy decoding did, with the
    top-k and top-p lines drawn in."""
    s, vocab = dist.settings, len(dist.tempered)
    order = np.argsort(-dist.tempered, kind="stable")  # (V,) most likely first, as the cuts rank them
    n_kept = int((dist.cut == KEPT).sum())  # the kept tokens are the first n_kept of `order`
    rank = _ranks(vocab, [n_kept, n_kept + 1, s.top_k, s.top_k + 1])  # (n,)
    own = np.cumsum(np.sort(dist.model_probs)[::-1])[rank - 1]  # (n,)
    tempered = np.cumsum(dist.tempered[order])[rank - 1]  # (n,)
    fate = dist.cut[order[rank - 1]]  # (n,)
    fig = go.Figure()
    hover = t("next_token.cum.hover", lang) + "<extra>%{fullData.name}</extra>"
    fig.add_scatter(
        x=rank,
        y=own,
        name=t("next_token.legend.model", lang),
        mode="lines",
        line={"color": theme.PREDICTION, "dash": "dot"},
        hovertemplate=hover,
    )
    if s.is_greedy:
        curve = t("next_token.cum.greedy", lang)
    else:
        curve = t("next_token.cum.tempered", lang, temperature=s.temperature)
    for reason, key, colour, _ in REASONS:
        sel = fate == reason
        if sel.any():
            fig.add_scatter(
                x=rank[sel],
                y=tempered[sel],
                mode="markers",
                marker={"color": colour, "size": 5},
                name=t("next_token.cum.series", lang, curve=curve, reason=t(f"next_token.reason.{key}", lang)),
                hovertemplate=hover,
            )
    if s.top_p < 1 and not s.is_greedy:
        fig.add_hline(y=s.top_p, line={"color": theme.CUT, "dash": "dash"}, annotation_text=f"top-p = {s.top_p:g}")
    if 0 < s.top_k < vocab and not s.is_greedy:
        fig.add_vline(x=s.top_k, line={"color": theme.CUT, "dash": "dash"}, annotation_text=f"top-k = {s.top_k:,}")
    fig.update_xaxes(type="log", title=t("next_token.cum.x", lang, vocab=vocab))
    fig.update_yaxes(title=t("next_token.cum.y", lang), tickformat=".0%", range=[0, 1.05])
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    return theme.style(fig, t("next_token.cum.title", lang), height=360)


def _about(token: str, p: float, model_p: float, rank: int) -> dict:
    """The parameters of a sentence about one chosen token."""
    return {"token": md_token(token), "p": pct(p), "mp": pct(model_p), "rank": rank}


def choice_sentence(dist: Distribution, chosen: int, chosen_text: str, favourite_text: str, lang: str = "en") -> str:
    """What was chosen and how likely it was, so a sampled 4% token is never taken for the favourite."""
    s, favourite = dist.settings, int(np.argmax(dist.model_probs))
    if s.is_greedy:
        key = "zero" if s.temperature == 0 else "greedy"
    else:
        key = "sampled_favourite" if chosen == favourite else "sampled"
    fav = {"seed": s.seed, "fav": md_token(favourite_text), "fav_p": pct(dist.model_probs[favourite])}
    rank = rank_of(dist.model_probs, chosen)
    return t(
        f"next_token.choice.{key}",
        lang,
        **_about(chosen_text, dist.probs[chosen], dist.model_probs[chosen], rank),
        **fav,
    )


def _chip_colour(p: float) -> str:
    r, g, b = (int(theme.PREDICTION[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{0.12 + 0.78 * float(p):.3f})"


def generated_chips_html(
    tokens: list[str], probs: list[float], model_probs: list[float], ranks: list[int], lang: str = "en"
) -> str:
    """Generated tokens as chips coloured by the probability each had when chosen (darker = likelier),
    that probability underneath and every number on hover. Safe HTML: tokens are escaped."""
    chips = []
    for step, (tok, p, mp, rank) in enumerate(zip(tokens, probs, model_probs, ranks, strict=True), start=1):
        title = t("next_token.gen.chip", lang, step=step, token=visible(tok), p=pct(p), mp=pct(mp), rank=rank)
        chips.append(
            f'<span title="{html.escape(title, quote=True)}" style="display:inline-block;margin:2px;'
            f"padding:2px 6px;border-radius:6px;background:{_chip_colour(p)};border:1px solid rgba(0,0,0,0.08);"
            f'text-align:center;font-family:{html.escape(theme.MONO)};line-height:1.25">'
            f'<span style="font-size:1.05em;white-space:pre">{html.escape(visible(tok))}</span><br>'
            f'<span style="font-size:0.7em;color:#333">{html.escape(pct(p))}</span></span>'
        )
    return '<div style="line-height:2.4;direction:ltr;unicode-bidi:isolate">' + "".join(chips) + "</div>"


def added_sentence(tokens: list[str], probs: list[float], model_probs: list[float], ranks: list[int], lang="en") -> str:
    """What the step or generate button added, with the probabilities it had when chosen."""
    if len(tokens) == 1:
        return t("next_token.gen.added_one", lang, **_about(tokens[0], probs[0], model_probs[0], ranks[0]))
    return t("next_token.gen.added_many", lang, n=len(tokens), n_low=sum(p < 0.1 for p in probs))


def extension_notes(joined: int, dropped_bytes: int, lang: str = "en") -> list[str]:
    """Why the buttons drew more tokens than steps, or wrote fewer bytes than they drew."""
    notes = [t("next_token.gen.joined", lang, n=joined)] if joined else []
    return notes + ([t("next_token.gen.dropped", lang, n=dropped_bytes)] if dropped_bytes else [])


@dataclass(frozen=True)
class WordProbability:
    text: str  # what was typed (or its variant with/without a leading space)
    tokens: list[str]  # (n,) display text of its tokens
    token_ids: list[int]  # (n,)
    probs: list[float]  # (n,) P(token i | prompt + the word's tokens before i), the model's own
    ranks: list[int]  # (n,) rank of token i at its position

    @property
    def total(self) -> float:
        """The chain rule: P(whole text) = product of each piece's probability given the ones before."""
        return math.prod(self.probs)


def word_probability(
    text: str, token_ids: list[int], tokens: list[str], prompt_logits: np.ndarray, later_logits: np.ndarray | None
) -> WordProbability:
    """prompt_logits: (V,) at the prompt's last position (predicts the word's first token).
    later_logits: (≥n, V), the last rows of a trace of prompt + word ids; row -n+i-1 predicts token i ≥ 1.
    May be None for a one-token word."""
    n = len(token_ids)
    if n == 0:
        raise ValueError("The text gives no tokens.")
    rows = [prompt_logits] + (list(later_logits[-n:-1]) if n > 1 else [])  # n rows of (V,)
    probs, ranks = [], []
    for row, tid in zip(rows, token_ids, strict=True):
        p = softmax(row)  # (V,)
        probs.append(float(p[tid]))
        ranks.append(rank_of(p, tid))
    return WordProbability(text, list(tokens), [int(i) for i in token_ids], probs, ranks)


def word_sentence(word: WordProbability, vocab: int, lang: str = "en") -> str:
    """One token: its probability and rank. Several: the first's, then the chain-rule product."""
    key = "next_token.word.single" if len(word.tokens) == 1 else "next_token.word.multi"
    tokens = token_list(word.tokens, lang)
    chain = " × ".join(pct(p) for p in word.probs)
    first = {"p": pct(word.total), "p1": pct(word.probs[0]), "rank": word.ranks[0], "vocab": vocab}
    return t(
        key,
        lang,
        word=md_token(word.text),
        n=len(word.tokens),
        tokens=tokens,
        chain=chain,
        total=pct(word.total),
        **first,
    )


def space_sentence(a: WordProbability, b: WordProbability, lang: str = "en", spaced: bool = True) -> str:
    """`cat` and `·cat` are cut into different tokens. `spaced`: the model's language puts spaces between words
    (English does; Chinese does not, so there the version without one is the usual continuation)."""
    cut = [token_list(w.tokens, lang) for w in (a, b)]
    key = "next_token.word.space" if spaced else "next_token.word.space.unspaced"
    return t(key, lang, a=md_token(a.text), a_tokens=cut[0], b=md_token(b.text), b_tokens=cut[1])


def word_rows(words: list[WordProbability], lang: str = "en") -> list[dict]:
    """One table row per text variant: its tokens, the first token's probability and rank, the whole."""
    return [
        {
            t("next_token.word.col.text", lang): f"'{visible(w.text)}'",
            t("next_token.word.col.tokens", lang): " | ".join(visible(tok) for tok in w.tokens),
            t("next_token.word.col.first", lang): pct(w.probs[0]),
            t("next_token.word.col.rank", lang): f"{w.ranks[0]:,}",
            t("next_token.word.col.total", lang): pct(w.total),
        }
        for w in words
    ]


def fixed(x: float, decimals: int) -> str:
    """A number with a fixed count of decimals, so a column lines up (1.2710 stays 1.2710, not 1.271); one
    too small for them is written 3.1×10⁻⁷, never 0.00000."""
    x = float(x)
    if x == 0 or abs(x) >= 0.5 * 10**-decimals:
        return f"{x:.{decimals}f}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa}×10{str(int(exponent)).translate(SUPERSCRIPT)}"


def softmax_rows(
    logits: np.ndarray, dist: Distribution, ids: np.ndarray, tokens: list[str], lang: str = "en"
) -> list[dict]:
    """Softmax worked through for the tokens `ids`: logit, minus the top logit, its exponential, and the
    probability (that exponential over the sum across the whole vocabulary); then, when sampling at a
    temperature other than 1, the probability after temperature (dist.tempered).  logits: (V,)
    Numbers are text with fixed decimals (3 for logits, as the sentence above writes them; 5 for e^)."""
    z = logits.astype(np.float64)  # (V,)
    shifted = z - z.max()  # (V,)
    total = float(np.exp(shifted).sum())
    temperature = dist.settings.temperature
    rows = []
    for i, tok in zip(ids, tokens, strict=True):
        row = {
            t("next_token.col.rank", lang): f"{rank_of(z, int(i)):,}",
            t("next_token.col.token", lang): visible(tok),
            t("next_token.col.id", lang): int(i),
            t("next_token.col.logit", lang): fixed(z[i], 3),
            t("next_token.col.shifted", lang): fixed(shifted[i], 3),
            t("next_token.col.exp", lang): fixed(np.exp(shifted[i]), 5),
            t("next_token.col.prob", lang): pct(np.exp(shifted[i]) / total),
        }
        if not dist.settings.is_greedy and temperature != 1:
            row[t("next_token.col.tempered", lang, temperature=temperature)] = pct(dist.tempered[i])
        rows.append(row)
    return rows


def softmax_sentence(logits: np.ndarray, first: str, second: str, lang: str = "en") -> str:
    """Softmax on the two top logits (display texts `first`, `second`), with Σ e^(z − max) over the vocabulary."""
    z = np.sort(logits.astype(np.float64))[::-1]  # (V,) largest first
    total = float(np.exp(z - z[0]).sum())
    gap = float(z[0] - z[1])
    numbers = {
        "z1": float(z[0]),
        "z2": float(z[1]),
        "total": total,
        "p1": pct(1 / total),
        "gap": gap,
        "ratio": math.exp(gap),
    }
    return t("next_token.softmax.explain", lang, vocab=len(z), tok1=md_token(first), tok2=md_token(second), **numbers)


def fill_figure(tokens: list[str], probs: np.ndarray, original: int | None, title: str, lang: str = "en") -> go.Figure:
    """A masked-language model's bars for one [MASK] slot: its k likeliest tokens (most first), outlined; the
    hidden token's bar (index `original` among them, or None) filled.  probs: (k,)."""
    labels = [f"{i + 1}. {html.escape(visible(tok))}" for i, tok in enumerate(tokens)]
    colours = [theme.PREDICTION if i == original else theme.PREDICTION_FAINT for i in range(len(tokens))]
    bars = go.Bar(
        y=labels,
        x=probs,
        orientation="h",
        marker={"color": colours, "line": {"color": theme.PREDICTION, "width": 1.5}},  # the hidden token: solid
        text=[pct(p) for p in probs],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.2%}<extra></extra>",
    )
    return theme.figure(
        [bars],
        title,
        theme.heatmap_height(len(tokens), per_row=30, most=520),
        xaxis={"title": {"text": t("next_token.fill.x", lang)}, "tickformat": ".0%", "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "type": "category"},
        margin={"r": 60},
        showlegend=False,
    )


def paired_bars_figure(
    panels: tuple[tuple[list[str], np.ndarray, list[str]], tuple[list[str], np.ndarray, list[str]]],
    titles: tuple[str, str],
    title: str,
    most: float = 1.0,
) -> go.Figure:
    """Two models' (or two prompts') k likeliest next tokens side by side: per panel (tokens, probs (k,),
    colours (k,)), most likely first; both x axes run to 1.15 × `most` (at most 100 %) so bars compare."""
    layout = theme.two_panels(*titles)
    traces = []
    for panel, (tokens, probs, colours) in enumerate(panels):
        suffix = "" if panel == 0 else "2"
        traces.append(
            go.Bar(
                y=[f"{i + 1}. {html.escape(visible(tok))}" for i, tok in enumerate(tokens)],
                x=probs,
                orientation="h",
                marker={"color": colours},
                text=[pct(p) for p in probs],
                textposition="outside",
                cliponaxis=False,
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
                hovertemplate="%{y}: %{x:.3%}<extra></extra>",
                showlegend=False,
            )
        )
    for suffix in ("", "2"):
        layout[f"xaxis{suffix}"] |= {"tickformat": ".0%", "range": [0, min(1.0, most) * 1.15 or 1.0]}
        layout[f"yaxis{suffix}"] |= {"autorange": "reversed", "type": "category"}
    return theme.figure(traces, title, 380, **layout, margin={"t": 80})
