"""Lesson 3 charts on synthetic traces: sinusoids and RoPE angles follow their formulas; sums add up."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from model.numeric import cosine_matrix
from tests.synthetic import synthetic_trace
from viz import positions as vp


@pytest.fixture(params=[{}, {"causal": False}, {"rotary": True}], ids=["decoder", "encoder", "rotary"])
def tr(request):
    return synthetic_trace(**request.param)


def test_sinusoidal_table_matches_the_formula():
    pe = vp.sinusoidal(50, 16)
    assert pe.shape == (50, 16)
    for pos, i in [(0, 0), (1, 0), (7, 3), (49, 7), (20, 5)]:
        angle = pos / 10000 ** (2 * i / 16)
        assert pe[pos, 2 * i] == pytest.approx(math.sin(angle))
        assert pe[pos, 2 * i + 1] == pytest.approx(math.cos(angle))
    assert np.all(pe[0, 0::2] == 0) and np.all(pe[0, 1::2] == 1)
    odd = vp.sinusoidal(5, 7)  # an odd width keeps its last sine column
    assert odd.shape == (5, 7) and odd[3, 6] == pytest.approx(math.sin(3 / 10000 ** (6 / 7)))


def test_similarity_to_the_sinusoids_tells_a_table_that_started_from_them():
    pe = vp.sinusoidal(64, 32)
    assert vp.sinusoid_similarity(pe * 0.03) == pytest.approx(1.0)  # scale does not matter
    rng = np.random.default_rng(0)
    assert abs(vp.sinusoid_similarity(rng.normal(0, 0.02, (64, 32)))) < 0.1  # GPT-2's random start
    moved = pe * 0.03 + rng.normal(0, 0.03, (64, 32))  # a start reshaped by training
    assert 0.3 < vp.sinusoid_similarity(moved) < 0.9
    assert vp.sinusoid_similarity(-pe) == pytest.approx(-1.0)


def test_sinusoidal_similarity_depends_only_on_the_distance():
    pe = vp.sinusoidal(30, 16)
    sim = cosine_matrix(pe)
    assert sim[3, 8] == pytest.approx(sim[10, 15]) and sim[0, 4] == pytest.approx(sim[20, 24])
    expected = np.mean(np.cos(5 / 10000 ** (np.arange(0, 16, 2) / 16)))  # (2/d) Σ cos(Δ·ω_i)
    assert sim[3, 8] == pytest.approx(expected)
    fig = vp.similarity_figure(pe, "sin", "en", prompt_len=6)
    assert np.allclose(np.array(fig.data[0].z), sim) and list(fig.data[0].x) == list(range(30))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-1, 1)
    assert [shape.y0 for shape in fig.layout.shapes if shape.y0 is not None][0] == 5.5  # the prompt ends here


def test_rotary_angles_follow_the_formula(tr):
    base, dim = 10000.0, 8
    angles = vp.rotary_angles(12, base, dim)
    assert angles.shape == (12, 4)
    assert angles[5, 2] == pytest.approx(5 * base ** (-4 / 8))
    assert np.all(angles[0] == 0) and np.allclose(angles[:, 0], np.arange(12))
    assert np.allclose(vp.rotary_frequencies(base, dim), [1, 0.1, 0.01, 0.001])


def test_rotary_figure_wraps_each_angle_and_keeps_the_whole_one_for_hover():
    tr = synthetic_trace(rotary=True)
    fig = vp.rotary_figure(40, tr.rotary_base, tr.rotary_dim, "en", prompt_len=tr.n_tokens)
    heat = fig.data[0]
    angles = vp.rotary_angles(40, tr.rotary_base, tr.rotary_dim)
    assert np.allclose(np.array(heat.customdata), angles)
    assert np.allclose(np.array(heat.z), np.mod(angles, 2 * np.pi))
    assert np.all(np.array(heat.z) < 2 * np.pi) and heat.zmax == pytest.approx(2 * np.pi)
    assert list(heat.y) == list(range(40)) and list(heat.x) == list(range(tr.rotary_dim // 2))
    assert "10000" in fig.layout.title.text and "%{customdata" in heat.hovertemplate
    freq = vp.frequency_figure(tr.rotary_base, tr.rotary_dim, "zh")
    assert np.allclose(freq.data[0].y, vp.rotary_frequencies(tr.rotary_base, tr.rotary_dim))
    assert freq.layout.yaxis.type == "log" and freq.layout.yaxis.title.text == "每个位置转过的弧度"


def test_table_figure_draws_the_position_rows(tr):
    table = tr.position_embeddings if tr.position_embeddings is not None else vp.sinusoidal(tr.n_tokens, tr.d_model)
    fig = vp.table_figure(table, "positions", "en")
    heat = fig.data[0]
    assert np.allclose(np.array(heat.z), table) and heat.zmin == -heat.zmax
    assert list(heat.y) == list(range(tr.n_tokens)) and list(heat.x) == list(range(tr.d_model))
    assert fig.layout.yaxis.title.text == "position" and fig.layout.xaxis.title.text == "dimension"
    longer = vp.table_figure(vp.sinusoidal(20, tr.d_model), "sin", "zh", prompt_len=tr.n_tokens)
    assert longer.layout.shapes[0].y0 == tr.n_tokens - 0.5 and "6 个词元" in longer.layout.annotations[0].text


def test_table_offset_finds_where_the_prompt_rows_sit():
    table = np.random.default_rng(6).normal(size=(20, 4))
    assert vp.table_offset(table, table[:5]) == 0
    assert vp.table_offset(table, table[2:7]) == 2  # e.g. RoBERTa starts counting at 2
    assert vp.table_offset(table, table[:5] + 1) is None


def test_sum_check_is_exact_only_when_the_block_reads_token_plus_position(tr):
    added = tr.token_embeddings + (0 if tr.position_embeddings is None else tr.position_embeddings)
    exact = replace(tr, resid=np.concatenate([added[None], tr.resid[1:]]))
    check = vp.sum_check(exact)
    assert check.gap == pytest.approx(0, abs=1e-6) and check.correlation == pytest.approx(1)
    assert check.spread_sum == pytest.approx(check.spread_input)
    scaled = replace(tr, resid=np.concatenate([3 * added[None] + 1, tr.resid[1:]]))  # like a LayerNorm's scale
    check = vp.sum_check(scaled)
    assert (
        check.gap > 0.5
        and check.correlation == pytest.approx(1)
        and check.spread_input == pytest.approx(3 * check.spread_sum, rel=1e-5)
    )
    assert vp.sum_check(tr).gap == pytest.approx(float(np.abs(tr.resid[0] - added).max()))


def test_sum_figure_bars_are_token_position_and_block_input(tr):
    fig = vp.sum_figure(tr, 2, "en")
    bars = [trace for trace in fig.data if trace.type == "bar"]
    marks = [trace for trace in fig.data if trace.type == "scatter"][0]
    assert np.allclose(bars[0].y, tr.token_embeddings[2])
    assert np.allclose(bars[-1].y, tr.resid[0, 2])
    if tr.position_embeddings is None:
        assert len(bars) == 2 and np.allclose(marks.y, tr.token_embeddings[2])
        assert "token vector → block input" in fig.layout.title.text
    else:
        assert len(bars) == 3 and np.allclose(bars[1].y, tr.position_embeddings[2])
        assert np.allclose(marks.y, tr.token_embeddings[2] + tr.position_embeddings[2])
        assert "token + position" in fig.layout.title.text
    assert "·a" in fig.layout.title.text and list(bars[0].x) == list(range(tr.d_model))
