"""Lesson 4 charts and numbers on synthetic traces (decoder and encoder)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lessons import t
from model.numeric import strongest_head
from tests.synthetic import synthetic_trace
from viz import attention as va
from viz import theme
from viz.labels import token_labels


@pytest.fixture(params=[True, False], ids=["decoder", "encoder"])
def tr(request):
    return synthetic_trace(causal=request.param)


def _z(trace) -> np.ndarray:
    return np.array(trace.z, dtype=float)


def test_future_mask_hides_only_keys_after_the_query():
    mask = va.future_mask(4, causal=True)
    assert mask.tolist() == [
        [False, True, True, True],
        [False, False, True, True],
        [False, False, False, True],
        [False, False, False, False],
    ]
    assert not va.future_mask(4, causal=False).any()


def test_pattern_heatmap_shows_the_pattern_and_marks_masked_cells(tr):
    layer, head = 1, 2
    fig = va.pattern_figure(tr, layer, head, "en", query=3)
    heat = next(d for d in fig.data if d.name == "pattern")
    np.testing.assert_array_equal(_z(heat), tr.pattern[layer, head])
    assert list(heat.x) == token_labels(tr.tokens) == list(heat.y)
    assert (heat.zmin, heat.zmax) == (0.0, 1.0)
    assert "%{y} → %{x}: %{z:.4f}" in heat.hovertemplate
    masked = [d for d in fig.data if d.name == "masked"]
    if tr.is_causal:
        marked = ~np.isnan(_z(masked[0]))  # (T, T)
        T = tr.n_tokens
        rows, cols = np.indices((T, T))
        assert (marked == (cols > rows)).all()  # exactly the cells above the diagonal
        assert "masked" in masked[0].hovertemplate
    else:
        assert masked == []  # an encoder hides nothing
    (outline,) = fig.layout.shapes
    assert (outline.y0, outline.y1) == (2.5, 3.5)  # the chosen query row is outlined


def test_pattern_heatmap_keeps_tick_labels_readable_on_long_prompts():
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(130)], n_layers=1, n_heads=1)
    fig = va.pattern_figure(tr, 0, 0, "zh")
    assert len(fig.layout.xaxis.tickvals) <= va.MAX_TICKS
    assert len(fig.layout.yaxis.tickvals) <= va.MAX_TICKS
    assert fig.layout.height <= 900
    assert fig.layout.xaxis.title.text == t("axis.key", "zh")


def test_grid_tiles_one_thumbnail_per_head_of_every_layer(tr):
    fig = va.grid_figure(tr, layer=1, head=0, lang="en")
    tiles = _z(fig.data[0])
    n = tr.n_tokens
    assert tiles.shape == (tr.n_layers * (n + 1) - 1, tr.n_heads * (n + 1) - 1)  # a blank cell between thumbnails
    for l in range(tr.n_layers):
        for h in range(tr.n_heads):
            expected = np.round(tr.pattern[l, h].astype(float), 3)
            if tr.is_causal:
                expected[va.future_mask(tr.n_tokens, True)] = np.nan  # masked cells: the grey trace above
            np.testing.assert_allclose(va.grid_tile(tiles, l, h, n), expected, equal_nan=True)
    assert np.isnan(tiles[n, :]).all() and np.isnan(tiles[:, n]).all()  # the gaps
    if tr.is_causal:
        masked = _z(fig.data[1])
        assert (~np.isnan(va.grid_tile(masked, 0, 0, n)) == va.future_mask(n, True)).all()
        assert np.isnan(masked[n, :]).all()  # gaps are not drawn as masked
    (targets,) = [d for d in fig.data if d.type == "scatter"]
    assert [tuple(c[:2]) for c in targets.customdata] == [(l, h) for l in range(tr.n_layers) for h in range(tr.n_heads)]
    # each click target sits on its own thumbnail's centre
    for x, y, c in zip(targets.x, targets.y, targets.customdata, strict=True):
        assert round(y) // (n + 1) == c[0] and round(x) // (n + 1) == c[1]
    assert len(fig.layout.shapes) == 1  # the selected head is outlined
    shape = fig.layout.shapes[0]
    assert shape.y0 < 1 * (n + 1) < shape.y1 and shape.x0 < 0 < shape.x1


def test_grid_thumbnails_pool_long_prompts_so_rows_still_sum_to_one():
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(100)], n_layers=1, n_heads=2)
    fig = va.grid_figure(tr, 0, 1, "en")
    z = va.grid_tile(_z(fig.data[0]), 0, 0, 34)
    group = va.grid_group(100)
    assert group == 3 and z.shape == (34, 34)  # ceil(100 / 48) = 3 positions a cell, ceil(100 / 3) cells
    # cell (5, 2): the attention queries 15–17 give to keys 6–8, summed over the keys, averaged over the queries
    block = tr.pattern[0, 0, 15:18, 6:9].astype(float)
    assert z[5, 2] == pytest.approx(round(block.sum(axis=1).mean(), 3), abs=1e-3)
    np.testing.assert_allclose(np.nansum(z, axis=1), 1.0, atol=0.02)  # rounded to 3 decimals per cell
    assert np.isnan(z[0, -1])  # a cell entirely above the diagonal is masked
    assert not np.isnan(np.diag(z)).any()  # a diagonal cell holds the query itself


def test_grid_keeps_a_previous_token_head_visible_on_a_long_prompt():
    """At 256 tokens, block means washed a previous-token head out (QA item 12); pooled cells keep its diagonal."""
    T = 256
    prev = np.zeros((T, T))
    prev[0, 0] = 1.0
    prev[np.arange(1, T), np.arange(T - 1)] = 0.5
    prev[np.arange(1, T), np.arange(1, T)] = 0.5  # half on the previous token, half on itself
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(T)], n_layers=1, n_heads=1)
    object.__setattr__(tr, "pattern", prev[None, None].astype(np.float32))
    z = _z(va.grid_figure(tr, 0, 0, "en").data[0])  # one head: the tiles are its thumbnail
    assert np.diag(z).min() > 0.8  # the diagonal is dark
    lower = np.tril(np.ones_like(z, dtype=bool), k=-2)
    assert np.nanmax(z[lower]) == 0.0  # and nothing else is


def test_grid_hover_writes_the_scores_as_the_metrics_do(tr):
    scores = va.head_scores(tr.pattern)
    fig = va.grid_figure(tr, 0, 0, "zh")
    (targets,) = [d for d in fig.data if d.type == "scatter"]
    for custom in targets.customdata:
        layer, head, previous, first, entropy = custom
        assert previous == va.share_text(scores["previous"][layer, head])  # the page's metric: the same text
        assert first == va.share_text(scores["first"][layer, head])
        assert entropy == t("attention.metric.bits", "zh", value=scores["entropy"][layer, head])
        assert previous.endswith("%")
        assert "%{customdata[2]}" in targets.hovertemplate and ":.2f}" not in targets.hovertemplate


def test_grid_pick_reads_the_clicked_head():
    points = [{"curve_number": 7, "point_index": 0, "customdata": [1, 2, 0.5, 0.1, 1.3]}]
    assert theme.clicked_cell(points) == (1, 2)
    assert theme.clicked_cell([]) is None and theme.clicked_cell(None) is None
    assert theme.clicked_cell([{"curve_number": 0, "x": 1, "y": 2}]) is None  # a click without a head


def test_lines_follow_the_attention_weights(tr):
    layer, head, query = 0, 1, 4
    weights = tr.pattern[layer, head, query]
    fig = va.lines_figure(tr, layer, head, query, "en")
    lines = [d for d in fig.data if d.mode == "lines"]
    assert lines, "at least one line"
    drawn = {int(d.y[-1]): d for d in lines}
    assert all(int(d.y[0]) == query for d in lines)
    for k, line in drawn.items():
        assert line.line.width == pytest.approx(va.line_width(weights[k]))
        assert f"{weights[k]:.4f}" in line.hovertemplate
    ordered = sorted(drawn, key=lambda k: weights[k])
    widths = [drawn[k].line.width for k in ordered]
    assert widths == sorted(widths)  # heavier attention, wider line
    if tr.is_causal:
        assert max(drawn) <= query  # no line to a future token
    expected = {k for k in range(tr.n_tokens) if weights[k] >= va.MIN_LINE_WEIGHT}
    assert set(drawn) == expected
    columns = [d for d in fig.data if d.mode == "markers+text"]
    assert [list(d.x) for d in columns] == [[0.0] * tr.n_tokens, [1.0] * tr.n_tokens]


def test_lines_list_only_the_query_and_its_strongest_keys_on_long_prompts():
    T, query = 256, 200
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(T)], n_layers=1, n_heads=1)
    fig = va.lines_figure(tr, 0, 0, query, "en")
    weights = tr.pattern[0, 0, query].astype(float)
    view = va.lines_view(weights, query)
    assert view.long and len(view.drawn) == va.LONG_KEYS
    assert min(weights[view.drawn]) >= np.sort(weights)[-va.LONG_KEYS]  # the strongest keys are the drawn ones
    assert view.share == pytest.approx(weights[view.drawn].sum())
    lines = [d for d in fig.data if d.mode == "lines"]
    assert len(lines) == len(view.drawn)  # every drawn key has its line, nothing more
    assert f": its {len(view.drawn)} strongest links" in fig.layout.title.text
    queries, keys = [d for d in fig.data if d.mode == "markers+text"]
    assert list(queries.text) == [f"{query}:·w{query}"]
    assert [int(k.split(":")[0]) for k in keys.text] == view.rows  # every listed key is named, in prompt order
    ys = np.array(keys.y, dtype=float)
    assert (np.diff(ys) >= 1).all()  # one row apart at least: labels cannot pile on each other
    skipped = sum(int(a.text.split()[-1]) for a in fig.layout.annotations if a.text.startswith("⋮"))
    assert skipped + len(view.rows) == T  # the ⋮ marks count every position left out
    assert fig.layout.height <= 700  # one screen of a 1024 × 768 projector, not a column of 256 rows


def test_lines_on_a_short_prompt_list_every_token():
    tr = synthetic_trace(tokens=[f" w{i}" for i in range(va.LABELS_MOST)], n_layers=1, n_heads=1)
    weights = tr.pattern[0, 0, 30].astype(float)
    view = va.lines_view(weights, 30)
    assert not view.long and view.rows == list(range(va.LABELS_MOST))
    assert view.drawn == [k for k in range(va.LABELS_MOST) if weights[k] >= va.MIN_LINE_WEIGHT]
    fig = va.lines_figure(tr, 0, 0, 30, "en")
    assert not [a for a in fig.layout.annotations if a.text.startswith("⋮")]


def test_steps_replay_the_pattern_row(tr):
    for layer in range(tr.n_layers):
        for head in range(tr.n_heads):
            for query in range(tr.n_tokens):
                steps = va.attention_steps(tr, layer, head, query)
                raw = tr.keys[layer, head] @ tr.queries[layer, head, query]
                np.testing.assert_allclose(steps.raw, raw, rtol=1e-5)
                np.testing.assert_allclose(steps.scaled, raw * tr.attn_scale[layer], rtol=1e-5)
                future = np.arange(tr.n_tokens) > query
                assert (np.isneginf(steps.masked) == (future if tr.is_causal else False)).all()
                assert steps.softmax.sum() == pytest.approx(1.0)


def test_steps_softmax_equals_the_pattern_when_the_model_computed_it():
    """A pattern built from the trace's own q, k and scale must be replayed exactly."""
    tr = synthetic_trace()
    scores = np.einsum("lhqd,lhkd->lhqk", tr.queries, tr.keys) * tr.attn_scale[:, None, None, None]
    scores = np.where(va.future_mask(tr.n_tokens, True), -np.inf, scores)  # (L, H, T, T)
    pattern = np.exp(scores - scores.max(-1, keepdims=True))
    pattern = (pattern / pattern.sum(-1, keepdims=True)).astype(np.float32)
    object.__setattr__(tr, "pattern", pattern)
    steps = va.attention_steps(tr, 1, 2, 3)
    np.testing.assert_allclose(steps.softmax, tr.pattern[1, 2, 3], atol=1e-6)
    rows = va.steps_rows(steps, tr.tokens, "en")
    softmax_col = t("attention.steps.col.softmax", "en")
    np.testing.assert_allclose([row[softmax_col] for row in rows], tr.pattern[1, 2, 3], atol=1e-6)
    mask_col = t("attention.steps.col.masked", "en")
    assert [row[mask_col] == "−∞" for row in rows] == [k > 3 for k in range(tr.n_tokens)]
    assert va.scale_text(steps) == f"1/√{steps.head_dim} = {steps.scale:.4f}"


def test_steps_table_in_chinese_and_bar_chart():
    tr = synthetic_trace(causal=True)
    steps = va.attention_steps(tr, 0, 0, 2)
    rows = va.steps_rows(steps, tr.tokens, "zh")
    assert "softmax（权重）" in rows[0] and rows[0]["键词元"] == "0:Once"
    fig = va.steps_figure(steps, tr.tokens, "zh")
    traces = {d.name: d for d in fig.data}
    np.testing.assert_allclose(np.array(traces["softmax"].y, dtype=float), steps.softmax)
    np.testing.assert_allclose(np.array(traces["score"].y, dtype=float)[:3], steps.scaled[:3])
    assert list(traces["masked"].x) == token_labels(tr.tokens)[3:]  # a grey cross for every future key
    assert t("attention.masked", "zh") in traces["masked"].hovertemplate


def test_head_scores_on_a_hand_made_pattern():
    T = 4
    prev = np.zeros((T, T))
    prev[0, 0] = 1.0
    prev[np.arange(1, T), np.arange(T - 1)] = 1.0  # a perfect previous-token head
    uniform = np.tril(np.ones((T, T)))
    uniform /= uniform.sum(-1, keepdims=True)  # each query spreads evenly over the keys it can see
    pattern = np.stack([prev, uniform])[None]  # (1, 2, T, T)
    scores = va.head_scores(pattern)
    assert scores["previous"][0].tolist() == pytest.approx([1.0, (1 / 2 + 1 / 3 + 1 / 4) / 3])
    assert scores["first"][0, 0] == pytest.approx(1 / 3)  # only query 1, whose previous token is the first
    assert scores["entropy"][0, 0] == 0.0
    assert scores["entropy"][0, 1] == pytest.approx(np.mean([math.log2(n) for n in range(1, T + 1)]))
    assert strongest_head(scores["previous"])[:2] == (0, 0)
    assert np.isnan(va.head_scores(np.ones((1, 1, 1, 1)))["previous"]).all()  # one token: no previous


def test_visible_keys_decoder_versus_encoder():
    dec, enc = synthetic_trace(causal=True), synthetic_trace(causal=False)
    assert va.visible_keys(dec.pattern, 0) == 1
    assert va.visible_keys(dec.pattern, dec.n_tokens - 1) == dec.n_tokens
    assert va.visible_keys(enc.pattern, 0) == enc.n_tokens
