"""Lesson 2 charts on synthetic traces: the numbers drawn are the numbers computed."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import plotly.graph_objects as go
import pytest

from model.numeric import cosine_matrix, nearest
from tests.synthetic import synthetic_trace
from viz import embeddings as ve
from viz import theme
from viz.labels import token_labels


@pytest.fixture(params=[{}, {"causal": False}, {"rotary": True}], ids=["decoder", "encoder", "rotary"])
def tr(request):
    return synthetic_trace(**request.param)


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_cosine_matrix_has_ones_on_the_diagonal_and_is_symmetric(tr):
    sim = cosine_matrix(tr.token_embeddings)
    assert sim.shape == (tr.n_tokens, tr.n_tokens)
    assert np.allclose(np.diag(sim), 1.0, atol=1e-6)
    assert np.allclose(sim, sim.T)
    assert sim[0, 3] == pytest.approx(_cosine(tr.token_embeddings[0], tr.token_embeddings[3]), abs=1e-6)
    assert np.all(cosine_matrix(np.zeros((2, 4))) == 0)  # a zero vector is similar to nothing


def test_nearest_neighbour_of_a_row_is_itself_then_the_next_most_similar():
    matrix = np.random.default_rng(1).normal(size=(60, 8))
    for row in (0, 17, 59):
        ids, sims = nearest(matrix, matrix[row], k=5)
        brute = np.argsort([-_cosine(matrix[row], other) for other in matrix])
        assert ids[0] == row and sims[0] == pytest.approx(1.0)
        assert list(ids) == list(brute[:5])
        assert np.all(np.diff(sims) <= 0)
        others, _ = nearest(matrix, matrix[row], k=5, exclude=row)
        assert row not in others and list(others) == list(brute[1:6])
    ids, _ = nearest(matrix[:4], matrix[0], k=10, exclude=0)
    assert sorted(ids) == [1, 2, 3]  # k larger than the vocabulary


def test_common_words_are_whole_words_of_three_letters_or_more_by_scheme():
    bpe = ["!", "Ġthe", "Ġa", "Ġcat", "the", "Ġdog", "Ġé", "Ġcat1", "Ġking"]
    assert list(ve.common_word_ids(bpe, "byte-level")) == [1, 3, 5, 8]
    assert list(ve.common_word_ids(bpe, "byte-level", n=2)) == [1, 3]
    wordpiece = ["[PAD]", "[unused0]", "the", "##ing", "cat", "a", "dog"]
    assert list(ve.common_word_ids(wordpiece, "wordpiece")) == [2, 4, 6]
    assert list(ve.common_word_ids(["▁the", "the", "▁of"], "sentencepiece")) == [0]


def test_pca_puts_the_prompt_tokens_where_projecting_them_gives(tr):
    words = np.random.default_rng(2).normal(size=(40, tr.d_model))
    pca = ve.pca_map(words, tr.token_embeddings)
    mean, components, share = ve.pca_fit(words)
    assert np.allclose(mean, words.mean(axis=0))
    assert np.allclose(components @ components.T, np.eye(2), atol=1e-8)  # two orthonormal directions
    centred = words - mean
    total = (centred**2).sum()
    assert share[0] >= share[1]
    assert share[0] == pytest.approx(((centred @ components[0]) ** 2).sum() / total)
    expected = (tr.token_embeddings - mean) @ components.T  # (T, 2)
    assert np.allclose(pca.prompt_xy, expected)
    assert np.allclose(pca.words_xy, centred @ components.T)

    fig = ve.pca_figure(pca, [f" w{i}" for i in range(40)], tr.tokens, tr.token_ids, "en")
    words_trace, prompt_trace = fig.data
    assert np.allclose(words_trace.x, pca.words_xy[:, 0]) and np.allclose(words_trace.y, pca.words_xy[:, 1])
    first = sorted({int(i): p for p, i in reversed(list(enumerate(tr.token_ids)))}.values())
    assert np.allclose(prompt_trace.x, expected[first, 0]) and np.allclose(prompt_trace.y, expected[first, 1])
    assert words_trace.text[0] == "·w0"
    assert f"{100 * share[0]:.1f}%" in fig.layout.xaxis.title.text


def test_pca_merges_a_repeated_token_into_one_point_labelled_with_its_positions():
    tr = synthetic_trace(tokens=["a", " b", "a"])
    vectors = np.array(tr.token_embeddings)
    vectors[2] = vectors[0]
    tr = replace(tr, token_ids=np.array([5, 7, 5]), token_embeddings=vectors)
    words = np.random.default_rng(3).normal(size=(10, tr.d_model))
    fig = ve.pca_figure(ve.pca_map(words, tr.token_embeddings), ["w"] * 10, tr.tokens, tr.token_ids, "zh")
    assert list(fig.data[1].text) == ["0,2:a", "1:·b"]
    assert fig.data[1].name == "你的词元"


def test_pca_with_fewer_than_three_words_still_draws():
    tr = synthetic_trace()
    pca = ve.pca_map(np.ones((1, tr.d_model)), tr.token_embeddings)
    assert pca.words_xy.shape == (1, 2) and pca.prompt_xy.shape == (tr.n_tokens, 2)


def test_vectors_figure_draws_every_value_with_readable_token_labels(tr):
    labels = token_labels(tr.tokens)
    fig = ve.vectors_figure(tr.token_embeddings, labels, "T × d", "en")
    heat = fig.data[0]
    assert np.allclose(np.array(heat.z), tr.token_embeddings)
    assert list(heat.y) == labels and labels[1] == "1:·upon"
    assert list(heat.x) == list(range(tr.d_model))
    assert heat.zmax == pytest.approx(np.abs(tr.token_embeddings).max()) and heat.zmin == -heat.zmax  # 0 is white
    assert heat.colorscale == go.Heatmap(colorscale=theme.DIVERGING).colorscale
    assert "%{z:.6g}" in heat.hovertemplate
    assert fig.layout.xaxis.title.text == "dimension" and fig.layout.yaxis.title.text == "token"
    assert ve.vectors_figure(tr.token_embeddings, labels, "", "zh").layout.xaxis.title.text == "维度"


def test_colour_range_caps_only_real_outliers_and_says_so():
    values = np.random.default_rng(7).normal(size=(20, 50)) * 0.02
    plain = ve.value_colours(values, "en")
    assert plain["zmax"] == pytest.approx(np.abs(values).max()) and plain["colorbar"]["title"] == "value"
    values[0, 3] = 1.9  # one outlier dimension, as in MiniLM's position table
    capped = ve.value_colours(values, "en")
    assert capped["zmax"] == pytest.approx(np.percentile(np.abs(values), 99.5)) and capped["zmin"] == -capped["zmax"]
    assert "capped" in capped["colorbar"]["title"] and "上限" in ve.value_colours(values, "zh")["colorbar"]["title"]
    fig = ve.vectors_figure(values, [str(i) for i in range(20)], "", "en")
    assert np.array(fig.data[0].z)[0, 3] == pytest.approx(1.9)  # the data itself is never clipped


def test_similarity_figure_is_the_cosine_matrix(tr):
    labels = token_labels(tr.tokens)
    fig = ve.similarity_figure(tr.token_embeddings, labels, "cos", "en")
    z = np.array(fig.data[0].z)
    assert np.allclose(z, cosine_matrix(tr.token_embeddings))
    assert np.allclose(np.diag(z), 1.0, atol=1e-6) and np.allclose(z, z.T)
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-1, 1)
    assert list(fig.data[0].x) == labels and list(fig.data[0].y) == labels


def test_lookup_figure_shows_the_picked_row_and_its_one_hot_column():
    matrix = np.random.default_rng(4).normal(size=(20, 8))
    ids = list(range(7, 14))
    fig = ve.lookup_figure(matrix[7:14], ids, [f" t{i}" for i in ids], 10, "en")
    one_hot, window, bars = fig.data
    assert np.array(one_hot.z).ravel().tolist() == [0, 0, 0, 1, 0, 0, 0]
    assert np.allclose(np.array(window.z), matrix[7:14])
    assert np.allclose(bars.y, matrix[10]) and list(bars.x) == list(range(8))
    assert list(window.y)[3] == "·t10 (id 10)"
    assert "id 10" in fig.layout.title.text and "·t10" in fig.layout.title.text
    # the dimension axis is numbered once, under the bars (numbered above too, it ran into their title)
    assert fig.layout.xaxis2.showticklabels is False and fig.layout.xaxis3.showticklabels is not False
    edge = ve.lookup_figure(matrix[0:4], [0, 1, 2, 3], ["a", "b", "c", "d"], 0, "zh")
    assert np.allclose(edge.data[2].y, matrix[0]) and "嵌入矩阵" in edge.layout.title.text


def test_neighbours_chart_and_table_show_the_exact_similarities():
    matrix = np.random.default_rng(5).normal(size=(30, 8))
    ids, sims = nearest(matrix, matrix[3], k=4, exclude=3)
    texts = [f" n{i}" for i in ids]
    fig = ve.neighbours_figure(texts, sims, " q", "en")
    assert np.allclose(fig.data[0].x, sims) and fig.data[0].y[0] == "1. ·n" + str(ids[0])
    assert "·q" in fig.layout.title.text
    rows = ve.neighbour_rows(ids, texts, sims, "en")
    assert [r["token ID"] for r in rows] == [int(i) for i in ids]
    assert rows[0]["cosine similarity"] == pytest.approx(_cosine(matrix[3], matrix[ids[0]]), abs=1e-4)
    assert "余弦相似度" in ve.neighbour_rows(ids, texts, sims, "zh")[0]


def test_extreme_pairs_compare_only_different_tokens():
    vectors = np.array([[1.0, 0.0], [1.0, 0.1], [1.0, 0.0], [-1.0, 0.2]])
    (a, b, hi), (c, e, lo) = ve.extreme_pairs(np.array([4, 9, 4, 2]), vectors)
    assert (a, b) == (0, 1) and hi == pytest.approx(_cosine(vectors[0], vectors[1]))  # 0 and 2 are one id
    assert (c, e) == (0, 3) and lo == pytest.approx(_cosine(vectors[0], vectors[3]))
    assert ve.extreme_pairs(np.array([4, 4]), vectors[:2]) is None


def test_pca_view_keeps_every_prompt_token_and_drops_far_outlying_words():
    rng = np.random.default_rng(0)
    words = rng.normal(size=(300, 2))
    words[:3] = [[-50, 0], [0, 40], [60, 60]]  # three outliers
    prompt = np.array([[2.5, -2.0], [0.0, 0.0]])
    (x0, x1), (y0, y1) = ve.view_range(words, prompt)
    assert x0 < 2.5 < x1 and y0 < -2.0 < y1  # every prompt token is in view
    assert x0 > -50 and y1 < 40 and x1 < 60  # the outliers are not
    inside = (words[:, 0] > x0) & (words[:, 0] < x1) & (words[:, 1] > y0) & (words[:, 1] < y1)
    assert inside.mean() > 0.95
