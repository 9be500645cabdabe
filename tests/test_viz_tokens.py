"""Lesson 1 charts on synthetic traces."""

from __future__ import annotations

import numpy as np
import pytest

from tests.synthetic import synthetic_trace
from viz import tokens as vt
from viz.labels import token_labels, visible


def test_visible_marks_spaces_newlines_and_invisible_characters():
    assert visible(" the\n") == "·the↵"
    assert visible("a\tb\x00") == "a⇥b\\x00"
    assert visible("zero\u200bwidth") == "zero<U+200B>width"
    assert visible("\u202eevil") == "<U+202E>evil"  # a bidi override cannot flip the chart
    assert visible("") == "∅"
    assert token_labels(["a", "a"]) == ["0:a", "1:a"]  # repeated tokens keep their own label


def test_chips_escape_html_and_show_every_id():
    html = vt.chips_html(["<script>", " x"], [5, 7], highlight=1)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert ">5<" in html and ">7<" in html and "·x" in html


def test_count_finds_characters_split_into_bytes():
    tr = synthetic_trace()
    offsets = np.array([[0, 1], [0, 1], [0, 1], [1, 3], [3, 4]])
    counts = vt.count("你ab c", offsets)
    assert (counts.characters, counts.bytes, counts.tokens, counts.split_characters) == (5, 7, 5, 1)
    assert vt.count(tr.prompt, tr.offsets).tokens == tr.n_tokens


def test_token_rows_show_bytes_in_hex_in_both_languages():
    tr = synthetic_trace()
    rows = vt.token_rows(tr.tokens, tr.token_ids, tr.token_bytes, tr.offsets, "en")
    assert len(rows) == tr.n_tokens and rows[-1]["bytes (hex)"] == "e5 a5"
    zh = vt.token_rows(tr.tokens, tr.token_ids, tr.token_bytes, tr.offsets, "zh")
    assert "字节（十六进制）" in zh[0]


def test_one_hot_has_a_single_one_at_the_id():
    fig = vt.one_hot_figure(token_id=17, vocab_size=8192, token=" the", lang="en")
    trace = fig.data[0]
    assert list(trace.x) == [0, 17, 8191] and list(trace.y) == [0, 1, 0]
    assert "8,192" in fig.layout.title.text and "·the" in fig.layout.title.text


def test_length_figure_groups_counts_per_tokenizer():
    a, b = vt.Counts(10, 12, 4, 0), vt.Counts(10, 12, 6, 0)
    fig = vt.length_figure({"A": a, "B": b}, "zh")
    assert [list(bar.y) for bar in fig.data] == [[10, 10], [12, 12], [4, 6]]
    assert fig.data[2].name == "词元"


def test_chinese_characters_per_token_counts_byte_pieces_as_fractions():
    import numpy as np

    assert vt.han_characters("孙悟空 said 你好") == 5
    words = np.array([[0, 3], [3, 9], [9, 11]])  # 孙悟空 | " said " | 你好
    assert vt.han_per_token("孙悟空 said 你好", words) == pytest.approx(2.5)  # 5 characters over 2 tokens
    bytes_ = np.array([[0, 1], [0, 1], [0, 1]])  # one character in three byte pieces
    assert vt.han_per_token("你", bytes_) == pytest.approx(1 / 3)
    assert vt.han_per_token("abc", np.array([[0, 3]])) == 0.0
