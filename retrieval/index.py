"""Chunk texts → a searchable index: dense (MiniLM vectors), BM25 (shared words) or both fused.

    index = Index([chunk.text for chunk in chunks], language="en")
    index.search("What colour is the lighthouse?", k=3, method="hybrid")   # [(chunk index, score), …]
    index.scores("What colour is the lighthouse?", method="bm25")          # (N,) every chunk's score

Dense: cosine similarity of `embed` vectors; chunks are embedded once, on the first dense search.
BM25: bm25s (Lucene variant, k1=1.5, b=0.75) over word tokens chosen by the index's `language`:
  "en": lower-cased regex words (\\w+) minus bm25s's short English stopword list ("the", "is", …), so
        a question's function words do not outvote its one content word; no stemming ("eats" ≠ "eat").
  "zh": jieba.lcut words, lower-cased, minus whitespace, punctuation and ZH_STOPWORDS (function and
        question words); jieba keeps Latin words whole, so mixed text works.
Hybrid: reciprocal-rank fusion, score = Σ over both rankings of 1 / (RRF_K + rank), rank 1 = best.
"""

from __future__ import annotations

import re
import threading

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN

from retrieval.chunking import LANGUAGES, segmenter
from retrieval.embed import embed

METHODS = ("dense", "bm25", "hybrid")
# RRF's constant from Cormack, Clarke & Büttcher (2009), the usual default (Elasticsearch, OpenSearch):
# it damps the gap between rank 1 and rank 2, so agreement of both rankings beats one ranking's top spot.
RRF_K = 60
WORD = re.compile(r"\w+")
STOPWORDS = frozenset(STOPWORDS_EN)
# Chinese function and question words: a question is mostly these ("灯塔是什么颜色的？" → 灯塔, 颜色), and
# in chunks they match everywhere, which lets BM25 (and so hybrid) rank chunks that share no real word.
ZH_STOPWORDS = frozenset(
    "的 地 得 了 着 过 是 在 和 与 及 或 也 都 就 还 又 吗 呢 吧 啊 呀 么 什么 谁 哪 哪里 哪儿 哪个 怎么 怎样 "
    "为什么 多少 几 把 被 由 从 向 对 给 他 她 它 他们 她们 它们 我 你 我们 你们 这 那 这个 那个 这里 那里 "
    "个 能 会 要".split()
)


def bm25_tokens(text: str, language: str = "en") -> list[str]:
    """The words BM25 matches on (see the module docstring); the lesson can show them."""
    if language == "zh":
        words = (word.lower() for word in segmenter().lcut(text))
        return [word for word in words if WORD.search(word) and word not in ZH_STOPWORDS]
    return [word for word in WORD.findall(text.lower()) if word not in STOPWORDS]


def ranks(scores: np.ndarray) -> np.ndarray:
    """(N,) 1-based rank of each score, ties sharing the best rank: [0.2, 0.9, 0.2] → [2, 1, 2]."""
    return 1 + np.searchsorted(np.sort(-scores), -scores, side="left")  # how many score strictly higher


class Index:
    """Chunk texts, searchable three ways. Safe to share between threads (the first dense search locks)."""

    def __init__(self, chunks: list[str], language: str = "en"):
        if not chunks:
            raise ValueError("There are no chunks to index: chunk a text first, then pass the chunk texts.")
        if not all(isinstance(chunk, str) for chunk in chunks):
            raise TypeError("Index takes chunk texts (strings): pass [chunk.text for chunk in chunks].")
        if language not in LANGUAGES:
            raise ValueError(f"Unknown language {language!r}: choose one of {', '.join(LANGUAGES)}.")
        self.chunks = list(chunks)
        self.language = language
        self.bm25 = bm25s.BM25()  # defaults: Lucene scoring, k1=1.5, b=0.75
        self.bm25.index([bm25_tokens(chunk, language) for chunk in self.chunks], show_progress=False)
        self._vectors: np.ndarray | None = None  # (N, 384), filled on the first dense search
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.chunks)

    @property
    def vectors(self) -> np.ndarray:
        """(N, 384) unit-length chunk embeddings, computed once."""
        if self._vectors is None:
            with self._lock:
                if self._vectors is None:
                    self._vectors = embed(self.chunks)
        return self._vectors

    def scores(self, query: str, method: str = "dense") -> np.ndarray:
        """(N,) float32: every chunk's score for `query`; higher is better.

        dense: cosine similarity in [-1, 1]. bm25: 0 for a chunk sharing no word with the query.
        hybrid: RRF score; a chunk with BM25 score 0 gets nothing from the BM25 ranking."""
        check_query(query, method)
        if method == "dense":
            return (self.vectors @ embed([query])[0]).astype(np.float32)  # (N, 384) @ (384,) → (N,)
        if method == "bm25":
            return self.bm25_scores(query)
        dense, bm25 = self.scores(query, "dense"), self.bm25_scores(query)
        fused = 1.0 / (RRF_K + ranks(dense)) + np.where(bm25 > 0, 1.0 / (RRF_K + ranks(bm25)), 0.0)
        return fused.astype(np.float32)

    def bm25_scores(self, query: str) -> np.ndarray:
        """(N,) BM25 scores; all zero when no query word is in any chunk."""
        words = [word for word in bm25_tokens(query, self.language) if word in self.bm25.vocab_dict]
        if not words:
            return np.zeros(len(self.chunks), dtype=np.float32)
        return np.asarray(self.bm25.get_scores(words), dtype=np.float32)

    def search(self, query: str, k: int = 3, method: str = "dense") -> list[tuple[int, float]]:
        """The best `k` chunks as (chunk index, score), best first; ties keep chunk order.

        BM25 returns only chunks that share a word with the query, so it may return fewer than k."""
        check_query(query, method)
        if not isinstance(k, int) or k < 1:
            raise ValueError(f"k is how many chunks to return: it must be at least 1 (got {k!r}).")
        scores = self.scores(query, method)
        best = np.argsort(-scores, kind="stable")[: min(k, len(self.chunks))]
        if method == "bm25":
            best = best[scores[best] > 0]
        return [(int(i), float(scores[i])) for i in best]


def check_query(query: str, method: str) -> None:
    """Raise ValueError saying what to do about an empty query or an unknown method."""
    if method not in METHODS:
        raise ValueError(f"Unknown search method {method!r}: choose one of {', '.join(METHODS)}.")
    if not isinstance(query, str) or not query.strip():
        raise ValueError("The query is empty: type a question to search the chunks with.")
