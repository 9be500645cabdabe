"""Lesson 1 — tokens: coloured chips, a table of ids and bytes, counts, and a one-hot vector."""

from __future__ import annotations

import html
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from lessons import t
from viz import theme
from viz.labels import code, visible


@dataclass(frozen=True)
class Counts:
    characters: int
    bytes: int
    tokens: int  # all of them, the tokenizer's special tokens included
    split_characters: int  # characters cut into several tokens (bytes of one character)
    special: int = 0  # tokens the tokenizer adds around the text ([CLS], [SEP], BOS): no characters

    @property
    def chars_per_token(self) -> float:
        """Characters per token of the text (special tokens hold none)."""
        return self.characters / max(1, self.tokens - self.special)


def count(text: str, offsets: np.ndarray, special: np.ndarray | None = None) -> Counts:
    """offsets: (T, 2) character spans; tokens sharing a one-character span split that character.
    special: (T,) bool, the tokenizer's special tokens."""
    spans, split = {}, set()
    for start, end in offsets.tolist():
        if end - start == 1:
            spans[start] = spans.get(start, 0) + 1
            if spans[start] > 1:
                split.add(start)
    n_special = int(np.count_nonzero(special)) if special is not None else 0
    return Counts(len(text), len(text.encode("utf-8")), len(offsets), len(split), n_special)


def chips_html(tokens: list[str], token_ids: list[int] | np.ndarray, highlight: int | None = None) -> str:
    """Tokens as coloured chips with their ids underneath; spaces and newlines made visible.

    Returns safe HTML: every token is escaped.
    """
    chips = []
    for i, (tok, tid) in enumerate(zip(tokens, token_ids, strict=True)):
        colour = theme.TOKEN_CHIPS[i % len(theme.TOKEN_CHIPS)]
        border = f"2px solid {theme.HIGHLIGHT}" if i == highlight else "1px solid rgba(0,0,0,0.08)"
        chips.append(
            f'<span title="#{i} · id {int(tid)}" style="display:inline-block;margin:2px;padding:2px 6px;'
            f"border-radius:6px;background:{colour};border:{border};text-align:center;"
            f'font-family:{html.escape(theme.MONO)};line-height:1.25">'
            f'<span style="font-size:1.05em;white-space:pre">{html.escape(visible(tok))}</span><br>'
            f'<span style="font-size:0.7em;color:#555">{int(tid)}</span></span>'
        )
    return '<div style="line-height:2.4;direction:ltr;unicode-bidi:isolate">' + "".join(chips) + "</div>"


def token_rows(
    tokens: list[str],
    token_ids: np.ndarray,
    token_bytes: list[bytes],
    offsets: np.ndarray,
    lang: str = "en",
    special: np.ndarray | None = None,
) -> list[dict]:
    """One row per token for a table: position, text, id, raw bytes (hex) and character span [start, end) in the
    text shown (a special token (T,) `special` stands for no characters: "special token")."""
    special = np.zeros(len(tokens), dtype=bool) if special is None else special
    return [
        {
            t("tokens.col.position", lang): i,
            t("tokens.col.token", lang): visible(tok),
            t("tokens.col.id", lang): int(tid),
            t("tokens.col.bytes", lang): " ".join(f"{b:02x}" for b in raw),
            t("tokens.col.span", lang): t("tokens.special", lang) if is_special else f"{int(s)}–{int(e)}",
        }
        for i, (tok, tid, raw, (s, e), is_special) in enumerate(
            zip(tokens, token_ids, token_bytes, offsets, special, strict=True)
        )
    ]


def special_note(tokens: list[str], special: np.ndarray, lang: str = "en") -> str:
    """The clause that says how many of a token count are special tokens, and which; empty if none are."""
    names = list(dict.fromkeys(tok for tok, is_special in zip(tokens, special, strict=True) if is_special))
    if not names:
        return ""
    joiner = "、" if lang == "zh" else ", "
    return t("tokens.special.note", lang, n=int(np.count_nonzero(special)), names=joiner.join(map(code, names)))


SCHEME_NOTES = ("byte-level", "wordpiece", "sentencepiece")  # schemes with a sentence on how they cut text


def tokenizer_notes(schemes: dict[str, str], lowercased: list[str], lang: str = "en") -> str:
    """How each scheme among `schemes` (display name → scheme) cuts text, once per scheme, then which of these
    tokenizers lower-case the text first (a checkpoint's normaliser, not the scheme)."""
    notes = [t(f"tokens.how.{scheme}", lang) for scheme in dict.fromkeys(schemes.values()) if scheme in SCHEME_NOTES]
    notes += [t("tokens.how.lowercase", lang, model=name) for name in lowercased]
    return ("" if lang == "zh" else " ").join(notes)


def one_hot_figure(token_id: int, vocab_size: int, token: str, lang: str = "en") -> go.Figure:
    """The one-hot vector of one token: vocab_size zeros and a single 1 at its id."""
    fig = go.Figure(
        go.Scattergl(
            x=[0, token_id, vocab_size - 1],
            y=[0, 1, 0],
            mode="markers",
            marker={"size": [4, 12, 4], "color": [theme.CUT, theme.HIGHLIGHT, theme.CUT]},
            hovertemplate=t("tokens.onehot.hover", lang) + "<extra></extra>",
        )
    )
    fig.add_shape(type="line", x0=0, x1=vocab_size - 1, y0=0, y1=0, line={"color": theme.CUT, "width": 2})
    fig.add_shape(type="line", x0=token_id, x1=token_id, y0=0, y1=1, line={"color": theme.HIGHLIGHT, "width": 3})
    fig.add_annotation(
        x=token_id, y=1, text=f"{html.escape(visible(token))} → id {token_id}", showarrow=False, yshift=14
    )
    fig.update_xaxes(
        title=t("tokens.onehot.x", lang, last=vocab_size - 1), range=[-vocab_size * 0.01, vocab_size * 1.01]
    )
    fig.update_yaxes(title=t("axis.value", lang), range=[-0.1, 1.25], tickvals=[0, 1])
    return theme.style(fig, t("tokens.onehot.title", lang, token=visible(token), vocab=vocab_size), height=260)


def length_figure(counts: dict[str, Counts], lang: str = "en") -> go.Figure:
    """Characters, bytes and tokens of the same text under each tokenizer, side by side."""
    fig = go.Figure()
    names = list(counts)
    for label, attr, colour in [
        (t("tokens.count.characters", lang), "characters", theme.CUT),
        (t("tokens.count.bytes", lang), "bytes", theme.POSITION),
        (t("tokens.count.tokens", lang), "tokens", theme.TOKEN),
    ]:
        values = [getattr(counts[n], attr) for n in names]
        text = [str(v) for v in values]
        if attr == "tokens":  # a count that includes [CLS] and [SEP] says so on its bar
            text = [
                t("tokens.count.with_special", lang, n=v, special=counts[n].special) if counts[n].special else str(v)
                for n, v in zip(names, values, strict=True)
            ]
        fig.add_bar(name=label, x=names, y=values, marker_color=colour, text=text, textposition="outside")
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(title=t("tokens.count.y", lang))
    return theme.style(fig, t("tokens.count.title", lang), height=320)


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def han_characters(text: str) -> int:
    return sum(is_han(ch) for ch in text)


def han_per_token(text: str, offsets: np.ndarray) -> float:
    """Chinese characters per token, over the tokens whose span holds a Chinese character. offsets: (T, 2);
    byte pieces of one character share its span, so each counts as a fraction of it."""
    spans = [(int(a), int(b)) for a, b in offsets if b > a and any(is_han(ch) for ch in text[a:b])]
    if not spans:
        return 0.0
    covered = {i for a, b in spans for i in range(a, b) if is_han(text[i])}
    return len(covered) / len(spans)
