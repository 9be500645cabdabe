"""Text → chunks: the pieces a retriever indexes and a prompt quotes.

    chunk_text(text, size=200, overlap=50)                               # windows of 200 characters
    chunk_text(text, size=2, overlap=1, by="sentences")                 # two sentences a chunk, one shared
    chunk_text(text, size=20, overlap=5, by="words", language="zh")     # jieba words
    chunk_documents(docs, size=1, overlap=0, by="sentences")            # never across two documents

Every chunk is a span of its source: `chunk.text == text[chunk.start:chunk.end]`, so the lesson can
highlight where a retrieved chunk sits. Spans are trimmed to their non-space part, so no chunk starts or
ends in whitespace.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Protocol

UNITS = ("chars", "sentences", "words")
LANGUAGES = ("en", "zh")

# A sentence ends at . ! ? (with any closing quotes or brackets after it) followed by whitespace or the end.
EN_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
# "Mr. Hobb" is one sentence: a full stop right after one of these words ends no sentence.
EN_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "prof", "jr", "sr", "vs", "e.g", "i.e"}
# A Chinese sentence ends at 。！？ and takes the closing quotes that follow it: 他说：“好。”
ZH_SENTENCE_END = re.compile(r"[。！？!?]+[”’」』）)\"']*")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")  # a blank line ends a sentence too (headings have no full stop)
# Punctuation that opens: it starts the next word's unit instead of ending the last one.
OPENING = set("“‘「『（《〈【([{\"'")


@dataclass(frozen=True)
class Chunk:
    """One span of a source text. `index` is its place in the returned list; `document` names its source."""

    index: int
    start: int  # character offset of the first character, into the source text
    end: int  # one past the last character: text == source[start:end]
    text: str
    document: int = 0  # which document of chunk_documents' input it came from


class HasText(Protocol):
    text: str


_jieba_lock = threading.Lock()
_jieba: ModuleType | None = None


def segmenter() -> ModuleType:
    """The jieba module, its dictionary loaded once (about a second) and its startup log silenced."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def chunk_text(text: str, size: int, overlap: int = 0, by: str = "chars", language: str = "en") -> list[Chunk]:
    """Cut `text` into chunks of `size` units (chars, sentences or words), consecutive chunks sharing
    `overlap` units. Overlap keeps a fact that straddles a boundary whole in at least one chunk."""
    check(size, overlap, by, language)
    if not text.strip():
        return []
    if by == "chars":
        spans = char_windows(text, size, overlap)
    else:
        units = sentence_spans(text, language) if by == "sentences" else word_spans(text, language)
        spans = pack(units, size, overlap)
    return [Chunk(index=i, start=s, end=e, text=text[s:e]) for i, (s, e) in enumerate(spans)]


def chunk_documents(
    documents: Sequence[str | HasText], size: int, overlap: int = 0, by: str = "chars", language: str = "en"
) -> list[Chunk]:
    """Chunk each document on its own (strings, or anything with `.text` such as world.Document).

    A chunk's `document` is its source's position in `documents` and its offsets point into that
    source's text; `index` counts across all documents, so `chunks[i].index == i`."""
    check(size, overlap, by, language)
    chunks: list[Chunk] = []
    for number, document in enumerate(documents):
        text = document if isinstance(document, str) else document.text
        for chunk in chunk_text(text, size, overlap, by, language):
            chunks.append(Chunk(len(chunks), chunk.start, chunk.end, chunk.text, document=number))
    return chunks


def check(size: int, overlap: int, by: str, language: str) -> None:
    """Raise ValueError saying what is allowed, before any work is done."""
    if by not in UNITS:
        raise ValueError(f"Cannot chunk by {by!r}: choose one of {', '.join(UNITS)}.")
    if language not in LANGUAGES:
        raise ValueError(f"Unknown language {language!r}: choose one of {', '.join(LANGUAGES)}.")
    if not isinstance(size, int) or size < 1:
        raise ValueError(f"Chunk size must be a whole number of {by}, at least 1 (got {size!r}).")
    if not isinstance(overlap, int) or not 0 <= overlap < size:
        raise ValueError(
            f"Overlap must be a whole number from 0 to size - 1 = {size - 1} {by} (got {overlap!r}): "
            "consecutive chunks can share fewer units than a chunk holds, never all of them."
        )


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) to its non-space part; an all-space span comes back empty (start == end)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def char_windows(text: str, size: int, overlap: int) -> list[tuple[int, int]]:
    """Windows of `size` characters over the text's non-space span, each `size - overlap` after the last.

    Consecutive windows share exactly `overlap` characters before trimming; trimming a window that
    begins or ends in whitespace can make that fewer. The last window reaches the end of the text."""
    first, last = trim(text, 0, len(text))
    spans = []
    for start in range(first, last, size - overlap):
        end = min(start + size, last)
        span = trim(text, start, end)
        if span[0] < span[1] and (not spans or span != spans[-1]):
            spans.append(span)
        if end == last:
            break
    return spans


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed. Ends: see EN_SENTENCE_END / ZH_SENTENCE_END, and blank lines."""
    if language == "zh":
        ends = [m.end() for m in ZH_SENTENCE_END.finditer(text)]
    else:
        ends = [m.end() for m in EN_SENTENCE_END.finditer(text) if not abbreviation(text, m.start())]
    ends += [m.start() for m in PARAGRAPH_BREAK.finditer(text)]
    spans, start = [], 0
    for end in sorted(set(ends)) + [len(text)]:
        span = trim(text, start, end)
        if span[0] < span[1]:
            spans.append(span)
        start = max(start, end)
    return spans


def abbreviation(text: str, stop: int) -> bool:
    """True if the full stop at `stop` closes a title such as "Mr." rather than a sentence."""
    word = re.search(r"[\w.]+$", text[:stop])
    return text[stop] == "." and word is not None and word.group().lower() in EN_ABBREVIATIONS


def word_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each word with the punctuation that follows it ("apples," / "苹果，").

    English words are runs of non-space characters. Chinese words are jieba's segmentation (which
    also keeps Latin words and numbers whole); punctuation joins the word before it, opening quotes
    the word after. Units tile the text: what lies between two units is whitespace only."""
    if language == "en":
        starts = [m.start() for m in re.finditer(r"\S+", text)]
    else:
        starts, opened = [], False
        for word, start, _ in segmenter().tokenize(text):
            if word.isspace():
                continue
            if re.search(r"\w", word):
                if not opened:
                    starts.append(start)
                opened = False
            elif all(char in OPENING for char in word):
                starts.append(start)
                opened = True
        starts = [trim(text, 0, len(text))[0]] + starts[1:]  # leading punctuation joins the first unit
    ends = starts[1:] + [len(text)]
    return [trim(text, start, end) for start, end in zip(starts, ends, strict=True)]


def pack(units: list[tuple[int, int]], size: int, overlap: int) -> list[tuple[int, int]]:
    """Spans covering `size` consecutive units each, the next starting `size - overlap` units later."""
    spans = []
    for first in range(0, len(units), size - overlap):
        last = min(first + size, len(units)) - 1
        spans.append((units[first][0], units[last][1]))
        if last == len(units) - 1:
            break
    return spans
