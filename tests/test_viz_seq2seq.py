"""Lesson 11 charts on synthetic encoder–decoder attention, and the lesson's sentences."""

from __future__ import annotations

import html

import numpy as np
import pytest

from lessons import t
from lessons.i18n import catalog
from lessons.seq2seq import TEXT
from tests.test_lessons import fields
from viz import alignment as va
from viz import seq2seq as vs
from viz.attention import grid_tile
from viz.labels import token_labels, visible

SOURCE = list("the 3rd of March, 1921") + ["</s>"]  # T_in = 23
OUTPUT = ["<s>", *"1921-03-03", "</s>"]  # T_out = 12
VOCAB = ["<pad>", "<s>", "</s>", *"0123456789-", *"abcdefghijklmnopqrstuvwxyz ,"]
L, H = 3, 4


def _rows(rng: np.random.Generator, shape: tuple[int, ...], causal: bool = False) -> np.ndarray:
    """Random attention: rows that sum to 1, zero above the diagonal when causal."""
    scores = rng.normal(size=shape) * 3
    if causal:
        scores = np.where(np.triu(np.ones(shape[-2:], dtype=bool), k=1), -np.inf, scores)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return (weights / weights.sum(axis=-1, keepdims=True)).astype(np.float32)


@pytest.fixture
def rng():
    return np.random.default_rng(11)


@pytest.fixture
def arrays(rng):
    T_in, T_out = len(SOURCE), len(OUTPUT)
    return {
        "encoder": _rows(rng, (L, H, T_in, T_in)),
        "decoder": _rows(rng, (L, H, T_out, T_out), causal=True),
        "cross": _rows(rng, (L, H, T_out, T_in)),
    }


TOKENS = {"encoder": (SOURCE, SOURCE), "decoder": (OUTPUT, OUTPUT), "cross": (OUTPUT, SOURCE)}  # (rows, columns)


def _z(trace) -> np.ndarray:
    return np.array(trace.z, dtype=float)


def _labels(tokens: list[str]) -> list[str]:
    return [html.escape(label, quote=False) for label in token_labels(tokens)]


@pytest.mark.parametrize("kind", vs.KINDS)
def test_heatmap_shows_the_slice_and_masks_only_the_decoders_future(arrays, kind):
    rows, cols = TOKENS[kind]
    pattern = arrays[kind][1, 2]
    fig = vs.attention_figure(pattern, rows, cols, kind, "en", query=4)
    heat = next(d for d in fig.data if d.name == "pattern")
    np.testing.assert_array_equal(_z(heat), pattern)
    assert list(heat.y) == _labels(rows) and list(heat.x) == _labels(cols)
    assert "%{z:.4f}" in heat.hovertemplate  # exact values on hover
    masked = [d for d in fig.data if d.name == "masked"]
    if kind == "decoder":
        marked = ~np.isnan(_z(masked[0]))
        r, c = np.indices(pattern.shape)
        assert (marked == (c > r)).all()  # exactly the future cells
    else:
        assert masked == []
    assert fig.layout.title.text == t(f"seq2seq.kind.{kind}", "en")
    (outline,) = fig.layout.shapes
    assert (outline.y0, outline.x1) == (3.5, len(cols) - 0.5)


def test_cross_axes_are_input_tokens_across_and_output_tokens_down(arrays):
    fig = vs.attention_figure(arrays["cross"][0, 0], OUTPUT, SOURCE, "cross", "zh")
    heat = fig.data[0]
    assert list(heat.x) == _labels(SOURCE) and len(heat.x) == 23
    assert list(heat.y) == _labels(OUTPUT) and len(heat.y) == 12
    assert fig.layout.xaxis.title.text == t("seq2seq.axis.input_read", "zh")
    assert fig.layout.yaxis.title.text == t("seq2seq.axis.output_reads", "zh")
    assert "0:&lt;s&gt;" in heat.y and "22:&lt;/s&gt;" in heat.x  # Plotly would read <s> as struck-through text
    assert "3:·" in heat.x  # a space shows as ·


def test_the_figures_refuse_shapes_that_do_not_match_their_tokens(arrays):
    with pytest.raises(ValueError, match="12 query × 23 key"):
        vs.attention_figure(arrays["cross"][0, 0], OUTPUT, SOURCE[:-1], "cross")
    with pytest.raises(ValueError, match="square"):
        vs.attention_figure(arrays["cross"][0, 0], OUTPUT, SOURCE, "decoder")
    with pytest.raises(ValueError, match="kind"):
        vs.attention_figure(arrays["cross"][0, 0], OUTPUT, SOURCE, "self")


@pytest.mark.parametrize("kind", vs.KINDS)
def test_heads_grid_has_one_tile_per_head_and_outlines_the_chosen(arrays, kind):
    rows, cols = TOKENS[kind]
    patterns = arrays[kind]
    n, m = len(rows), len(cols)
    fig = vs.heads_grid_figure(patterns, rows, cols, kind, "en", chosen=(2, 1))
    tiles = _z(fig.data[0])
    assert tiles.shape == (L * (n + 1) - 1, H * (m + 1) - 1)
    for l in range(L):
        for h in range(H):
            expected = np.round(patterns[l, h].astype(float), 3)
            if kind == "decoder":
                expected[np.triu(np.ones((n, n), dtype=bool), k=1)] = np.nan
            np.testing.assert_allclose(grid_tile(tiles, l, h, n, m), expected, equal_nan=True)
    assert any(d.name == "masked" for d in fig.data) == (kind == "decoder")
    (targets,) = [d for d in fig.data if d.type == "scatter"]
    assert [tuple(c[:2]) for c in targets.customdata] == [(l, h) for l in range(L) for h in range(H)]
    assert "%{customdata[0]}" in targets.hovertemplate and "%{customdata[1]}" in targets.hovertemplate
    (outline,) = fig.layout.shapes
    assert outline.y0 < 2 * (n + 1) < outline.y1 and outline.x0 < 1 * (m + 1) < outline.x1
    assert outline.x1 < 2 * (m + 1) and outline.y1 < 3 * (n + 1)


@pytest.mark.parametrize("step", [0, 4, 10])
def test_step_shows_rows_up_to_the_step_and_bars_led_by_the_argmax(arrays, rng, step):
    cross = arrays["cross"][2].mean(axis=0)  # (T_out, T_in)
    probs = rng.dirichlet(np.ones(len(VOCAB)) * 0.3)
    fig = vs.step_figure(cross, probs, OUTPUT, SOURCE, VOCAB, step, "en")
    heat = next(d for d in fig.data if d.name == "cross")
    z = _z(heat)
    shown = ~np.isnan(z).all(axis=1)
    assert shown.tolist() == [i <= step for i in range(len(OUTPUT))]
    np.testing.assert_array_equal(z[: step + 1], cross[: step + 1])
    pending = next(d for d in fig.data if d.name == "pending")
    assert (~np.isnan(_z(pending)).all(axis=1)).tolist() == [i > step for i in range(len(OUTPUT))]
    assert all(label.endswith(":?") for label in heat.y[step + 1 :])  # not generated yet: no token to show
    (bars,) = [d for d in fig.data if d.type == "bar"]
    best = int(np.argmax(probs))
    assert bars.customdata[0] == best and bars.y[0] == f"1. {html.escape(visible(VOCAB[best]))}"
    assert len(bars.x) == vs.TOP_BARS and list(bars.x) == sorted(bars.x, reverse=True)
    assert bars.marker.color[0] != bars.marker.color[1]  # the greedy choice stands out
    (outline,) = fig.layout.shapes
    assert (outline.y0, outline.y1) == (step - 0.5, step + 0.5)


def test_step_highlights_a_chosen_token_that_is_not_the_favourite(arrays):
    probs = np.linspace(1, 2, len(VOCAB))
    probs /= probs.sum()
    second = int(np.argsort(-probs)[1])
    fig = vs.step_figure(arrays["cross"][0, 0], probs, OUTPUT, SOURCE, VOCAB, 3, "zh", chosen=second)
    (bars,) = [d for d in fig.data if d.type == "bar"]
    colours = list(bars.marker.color)
    assert colours[1] != colours[0] and colours.count(colours[1]) == 1
    with pytest.raises(ValueError, match="step"):
        vs.step_figure(arrays["cross"][0, 0], probs, OUTPUT, SOURCE, VOCAB, 12, "en")


def test_knockout_puts_two_bars_per_output_position(rng):
    targets = OUTPUT[1:]
    with_cross, without = rng.uniform(0.8, 1, len(targets)), rng.uniform(0, 0.3, len(targets))
    guesses = list("1900-01-01") + ["</s>"]
    fig = vs.knockout_figure(with_cross, without, targets, "en", guesses=guesses, vocab=len(VOCAB))
    first, second = (d for d in fig.data if d.type == "bar")
    np.testing.assert_allclose(first.y, with_cross)
    np.testing.assert_allclose(second.y, without)
    assert list(first.x) == list(second.x) == [html.escape(f"{i}:{tok}") for i, tok in enumerate(targets, 1)]
    assert list(second.customdata) == [html.escape(g) for g in guesses]
    (chance,) = [d for d in fig.data if d.type == "scatter"]
    np.testing.assert_allclose(chance.y, 1 / len(VOCAB))  # a uniform guess, in the legend
    assert chance.name == t("seq2seq.knock.chance", "en", vocab=len(VOCAB))
    with pytest.raises(ValueError):
        vs.knockout_figure(with_cross[:-1], without, targets)


def test_history_keeps_at_most_a_few_snapshots_first_and_last_among_them(arrays):
    snapshots = [(step, arrays["cross"][0, step % H]) for step in range(0, 2000, 100)]  # 20 moments
    fig = va.history_figure(snapshots, OUTPUT, SOURCE, "zh")
    assert len(fig.data) == va.MOST_SNAPSHOTS
    steps = [int(np.asarray(d.customdata)[0, 0]) for d in fig.data]
    assert steps[0] == 0 and steps[-1] == 1900 and steps == sorted(steps)
    np.testing.assert_array_equal(_z(fig.data[-1]), arrays["cross"][0, 1900 % H])
    assert all(list(d.x) == _labels(SOURCE) for d in fig.data)
    assert [a.text for a in fig.layout.annotations][0] == t("seq2seq.history.step", "zh", step=0)
    curve = va.alignment_curve([0, 100, 200], [0.05, 0.4, 0.9], "en", chance=1 / 23)
    assert list(curve.data[0].y) == [0.05, 0.4, 0.9] and curve.layout.shapes[0].y0 == pytest.approx(1 / 23)


def test_bridge_draws_both_maps_on_the_same_axes(arrays, rng):
    cross = arrays["cross"][0, 0]
    twin = cross * rng.uniform(0.5, 1, size=cross.shape)  # a block of a causal pattern: rows sum below 1
    fig = va.bridge_figure(cross, twin, OUTPUT, SOURCE, "en")
    left, right = fig.data
    assert left.type == right.type == "heatmap"
    assert list(left.x) == list(right.x) == _labels(SOURCE)
    assert list(left.y) == list(right.y) == _labels(OUTPUT)
    np.testing.assert_array_equal(_z(right), twin)
    assert (left.xaxis, right.xaxis) == ("x", "x2")
    assert left.coloraxis == right.coloraxis  # one colour scale for both
    with pytest.raises(ValueError):
        va.bridge_figure(cross, twin[:, :-1], OUTPUT, SOURCE)


def test_alignment_helpers():
    cross = np.array([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]])
    assert vs.alignment_peaks(cross).tolist() == [1, 0]
    assert vs.attention_on(cross, [0, 1], [0, 1]) == pytest.approx((0.8 + 0.9) / 2)
    assert vs.attention_on(cross, 1, 0) == pytest.approx(0.6)
    assert vs.attention_on(cross, [], [0]) == 0.0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_figure_renders_its_titles_in_both_languages(arrays, rng, lang):
    cross = arrays["cross"][0, 0]
    probs = rng.dirichlet(np.ones(len(VOCAB)))
    figures = [
        *(vs.attention_figure(arrays[k][0, 0], *TOKENS[k], k, lang) for k in vs.KINDS),
        *(vs.heads_grid_figure(arrays[k], *TOKENS[k], k, lang) for k in vs.KINDS),
        vs.step_figure(cross, probs, OUTPUT, SOURCE, VOCAB, 2, lang),
        vs.knockout_figure(np.ones(11), np.zeros(11), OUTPUT[1:], lang, vocab=50),
        va.history_figure([(0, cross), (500, cross)], OUTPUT, SOURCE, lang),
        va.alignment_curve([0, 1], [0.1, 0.2], lang, chance=0.05),
        va.bridge_figure(cross, cross, OUTPUT, SOURCE, lang),
    ]
    for fig in figures:
        assert fig.layout.title.text
        texts = [fig.layout.title.text, *(a.text for a in fig.layout.annotations)]
        texts += [fig.layout[name].title.text or "" for name in fig.layout if name.startswith(("xaxis", "yaxis"))]
        assert not any("{" in text for text in texts), texts  # every blank filled
        if lang == "zh":
            assert any(ord(ch) > 0x3000 for ch in fig.layout.title.text)


def test_every_sentence_of_the_lesson_has_both_languages_and_the_same_blanks():
    """tests/test_lessons.py checks every key of every lessons module; this one makes sure ours are among them."""
    assert set(TEXT) <= set(catalog())
    for key, (en, zh) in TEXT.items():
        assert en.strip() and zh.strip(), key
        assert fields(en) == fields(zh), key
    for key in ("page.seq2seq", "seq2seq.title", "home.lesson.seq2seq", "seq2seq.need_model", "seq2seq.too_long"):
        assert key in TEXT
    for section in ("views", "step", "knock", "history", "bridge"):
        for part in ("what", "notice", "try"):
            assert f"seq2seq.{section}.{part}" in TEXT
    assert t("seq2seq.too_long", "zh", model="TinyDates", n=80, limit=64).startswith("这个日期有 80 个字符")
