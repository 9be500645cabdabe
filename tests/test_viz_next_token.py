"""Lesson 5 charts and sentences on synthetic logits; the word-probability chain rule on a tiny GPT-2."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from streamlit.testing.v1 import AppTest

from lessons import t
from model import trace, trace_ids
from model.load import WEIGHTS
from model.numeric import mass_needed
from model.sampling import CUT_TOP_K, CUT_TOP_P, KEPT, Settings, choose, distribution
from tests.synthetic import synthetic_trace
from tests.test_pages import run_page
from viz import next_token as vn
from viz import theme

LOGITS = np.log(np.array([0.05, 0.4, 0.1, 0.2, 0.15, 0.06, 0.04]))  # (V=7,) favourite is id 1
TOKENS = [f" w{i}" for i in range(7)]


def _bars(fig, name_key: str, lang: str = "en"):
    """The bar trace whose legend is `name_key`, or None."""
    return next((d for d in fig.data if d.name == t(name_key, lang)), None)


def _figure(settings: Settings, chosen: int | None = None, lang: str = "en"):
    dist = distribution(LOGITS, settings)
    ids = vn.top_ids(dist.model_probs, 7)
    return dist, ids, vn.probability_figure(dist, LOGITS, ids, [TOKENS[i] for i in ids], " she", chosen, lang)


def test_bars_show_the_model_and_the_adjusted_probabilities_of_distribution():
    tr = synthetic_trace()
    logits = tr.logits[-1]  # (V,)
    dist = distribution(logits, Settings(temperature=0.7))
    ids = vn.top_ids(dist.model_probs, 15)
    assert (np.diff(dist.model_probs[ids]) <= 0).all()  # most likely first
    fig = vn.probability_figure(dist, logits, ids, [f"t{i}" for i in ids], tr.tokens[-1])
    np.testing.assert_allclose(_bars(fig, "next_token.legend.model").x, dist.model_probs[ids])
    kept = _bars(fig, "next_token.legend.kept")
    np.testing.assert_allclose(kept.x, dist.probs[kept.customdata])
    assert len(kept.x) == 15 and not np.allclose(kept.x, dist.model_probs[ids])  # temperature changed them
    assert list(fig.layout.yaxis.categoryarray)[0] == f"1. t{ids[0]}"


def test_cut_tokens_are_grey_hatched_and_named_by_their_reason():
    dist, ids, fig = _figure(Settings(top_k=4, top_p=0.6))
    assert dist.cut[ids].tolist() == [KEPT, KEPT, CUT_TOP_P, CUT_TOP_P, CUT_TOP_K, CUT_TOP_K, CUT_TOP_K]
    kept, by_k, by_p = (_bars(fig, f"next_token.legend.{n}") for n in ("kept", "top_k", "top_p"))
    assert set(kept.customdata) == {1, 3} and kept.marker.color == theme.PREDICTION
    np.testing.assert_allclose(kept.x, dist.probs[[1, 3]])  # renormalised: 0.4/0.6, 0.2/0.6
    np.testing.assert_allclose(kept.x, [2 / 3, 1 / 3])
    assert set(by_p.customdata) == {4, 2} and set(by_k.customdata) == {5, 0, 6}
    for bars, shape in ((by_k, "/"), (by_p, "x")):
        assert bars.marker.color == theme.CUT and bars.marker.pattern.shape == shape
        np.testing.assert_allclose(bars.x, dist.tempered[bars.customdata])  # the bar shows what was cut
        assert all(text == "✂ 0%" for text in bars.text)
        assert all("cut by top-" in h for h in bars.hovertext)
    assert "cut by top-k" in by_k.name and "cut by top-p" in by_p.name
    counts = vn.cut_counts(dist)
    assert counts == {"kept": 2, "by_k": 3, "by_p": 2, "by_greedy": 0}


def test_no_cut_means_no_grey_bars_and_chinese_legends():
    _, _, fig = _figure(Settings(), lang="zh")
    assert [d.name for d in fig.data] == ["模型自己的概率（温度 1）", "按你的设置：保留"]
    assert "之后最可能的 7 个词元" in fig.layout.title.text


def test_hover_gives_exact_probability_logit_and_rank():
    dist, ids, fig = _figure(Settings(temperature=2.0), chosen=3)
    hover = _bars(fig, "next_token.legend.model").hovertext[1]  # id 3, the second most likely
    assert "rank 2" in hover and f"logit {LOGITS[3]:.3f}" in hover and "model's own: 20.0%" in hover
    assert f"after your settings: {vn.pct(dist.probs[3])}" in hover
    assert any(a.text == t("next_token.chosen_mark") and a.y == "2. ·w3" for a in fig.layout.annotations)


def test_html_in_a_token_is_escaped_in_labels_and_hover():
    dist = distribution(LOGITS)
    ids = vn.top_ids(dist.model_probs, 2)
    fig = vn.probability_figure(dist, LOGITS, ids, ["<b>x</b>", " y"], "<i>")
    assert fig.data[0].y[0] == "1. &lt;b&gt;x&lt;/b&gt;" and "<b>x" not in fig.data[0].hovertext[0]
    assert "&lt;i&gt;" in fig.layout.title.text


def test_sampled_sentence_states_probability_rank_and_the_greedy_choice():
    dist = distribution(LOGITS, Settings(temperature=1.5, seed=1))
    sentence = vn.choice_sentence(dist, 5, " dog", " cat")
    assert f"probability **{vn.pct(dist.probs[5])}** after your settings" in sentence
    assert "model's own: 6.0%, rank 5" in sentence  # 0.06: after 0.4, 0.2, 0.15, 0.1
    assert "Greedy would take `·cat` (40.0%)" in sentence and "seed 1" in sentence


def test_greedy_and_temperature_zero_sentences_name_the_favourite():
    greedy = distribution(LOGITS, Settings(greedy=True, top_k=2))
    chosen = choose(greedy)
    assert chosen == 1
    text = vn.choice_sentence(greedy, chosen, " cat", " cat")
    assert "**Greedy**" in text and "**40.0%** (rank 1)" in text and "after your settings" not in text
    assert "top-k and top-p do not matter" in text
    zero = distribution(LOGITS, Settings(temperature=0))
    assert "Temperature 0 means greedy" in vn.choice_sentence(zero, choose(zero), " cat", " cat")
    lucky = distribution(LOGITS, Settings(seed=3))
    assert "the token greedy would take too" in vn.choice_sentence(lucky, 1, " cat", " cat")
    assert "采样" in vn.choice_sentence(lucky, 4, " a", " cat", "zh")


def test_percentages_never_round_a_real_probability_to_zero():
    assert [vn.pct(p) for p in (0.41, 0.0416, 0.00099, 2.3e-5, 1.3e-7, 0.0)] == [
        "41.0%",
        "4.2%",
        "0.099%",
        "0.0023%",
        "1.3×10⁻⁵%",
        "0%",
    ]
    assert vn.md_token(" a`b") == "`` ·a`b ``" and vn.md_token("$x") == "`$x`"


def test_generated_chips_escape_tokens_and_carry_probabilities():
    html = vn.generated_chips_html(['<script>"', " dog"], [0.5, 0.041], [0.4, 0.032], [1, 7])
    assert "<script>" not in html and "&lt;script&gt;&quot;" in html
    assert "·dog" in html and ">4.1%<" in html
    assert 'title="step 2: ·dog · 4.1% after your settings · model&#x27;s own 3.2% · rank 7"' in html
    assert "0.510)" in html  # darker background for the likelier token (0.12 + 0.78 × 0.5)
    assert "Added `·dog` — **4.1%**" in vn.added_sentence([" dog"], [0.041], [0.032], [7])
    assert "1 of them had under 10%" in vn.added_sentence(["a", "b"], [0.5, 0.05], [0.5, 0.05], [1, 3])


def test_word_probability_multiplies_each_piece_given_the_ones_before():
    second = np.log(np.array([0.1, 0.1, 0.5, 0.1, 0.1, 0.05, 0.05]))
    third = np.log(np.array([0.25, 0.05, 0.1, 0.1, 0.1, 0.2, 0.2]))
    later = np.stack([second, third, np.zeros(7)])  # (n=3, V): the last row (after the word) is unused
    word = vn.word_probability(" w3w2w0", [3, 2, 0], [" w3", "w2", "w0"], LOGITS, later)
    np.testing.assert_allclose(word.probs, [0.2, 0.5, 0.25])
    assert word.ranks == [2, 1, 1] and word.total == pytest.approx(0.025)
    sentence = vn.word_sentence(word, 7)
    assert "is 3 tokens" in sentence and "20.0% × 50.0% × 25.0% = **2.5%**" in sentence
    one = vn.word_probability(" w1", [1], [" w1"], LOGITS, None)
    assert "probability **40.0%**" in vn.word_sentence(one, 7) and "rank 1 of 7" in vn.word_sentence(one, 7)
    rows = vn.word_rows([word, one], "en")
    assert rows[0]["whole text: probability (chain rule)"] == "2.5%" and rows[1]["first token: rank"] == "1"
    with pytest.raises(ValueError):
        vn.word_probability("", [], [], LOGITS, None)


def test_softmax_worked_through_matches_the_distribution():
    dist = distribution(LOGITS, Settings(temperature=0.5))
    ids = vn.top_ids(dist.model_probs, 3)
    rows = vn.softmax_rows(LOGITS, dist, ids, [TOKENS[i] for i in ids])
    assert [r["token ID"] for r in rows] == [1, 3, 4]
    assert float(rows[1]["e^(z − max)"]) == pytest.approx(0.5, abs=1e-5)  # 0.2 / 0.4
    assert rows[0]["probability (softmax)"] == "40.0%"
    assert rows[0]["probability at temperature 0.5"] == vn.pct(dist.tempered[1])
    assert rows[0]["z − max"] == "0.000" and rows[1]["e^(z − max)"] == "0.50000"
    sentence = vn.softmax_sentence(LOGITS, " w1", " w3")
    assert "is **2.500**" in sentence and "**40.0%**" in sentence and "**2.00×**" in sentence
    assert mass_needed(dist.model_probs, 0.9) == 5  # 0.4 + 0.2 + 0.15 + 0.1 + 0.06 = 0.91


def test_cumulative_figure_marks_the_cuts():
    dist = distribution(LOGITS, Settings(top_k=4, top_p=0.6))
    fig = vn.cumulative_figure(dist)
    assert fig.data[0].y[-1] == pytest.approx(1.0)
    by_reason = {d.name.split(": ")[-1]: list(d.x) for d in fig.data[1:]}  # V = 7: every rank drawn
    assert by_reason == {"kept": [1, 2], "cut by top-k": [5, 6, 7], "cut by top-p": [3, 4]}
    assert [s.type for s in fig.layout.shapes] == ["line", "line"]


def test_word_chain_rule_on_a_tiny_gpt2_equals_the_plain_forward(tiny):
    """End to end: trace_ids on prompt + word, as the page does, against one plain forward pass."""
    lm = tiny("gpt2")
    tr = trace(lm, "The king said")
    ids = lm.tokenizer(" queen dragon", add_special_tokens=False)["input_ids"]
    assert len(ids) > 1
    later = trace_ids(lm, [*tr.token_ids.tolist(), *ids]).logits[-len(ids) :]
    word = vn.word_probability(" queen dragon", ids, ["?"] * len(ids), tr.logits[-1], later)
    full = torch.tensor([[*tr.token_ids.tolist(), *ids]])
    with torch.no_grad():
        logp = torch.log_softmax(lm.model(full).logits[0].double(), -1)  # (T+n, V)
    T = tr.n_tokens
    expected = [float(logp[T - 1 + k, tid].exp()) for k, tid in enumerate(ids)]
    np.testing.assert_allclose(word.probs, expected, rtol=1e-4)
    assert word.total == pytest.approx(float(np.prod(expected)), rel=1e-4)


def _page(**query) -> AppTest:
    return run_page("pages/6_next_token.py", **query)  # walk.py first, as in a browser: the sidebar owns the prompt


@pytest.mark.skipif(not (WEIGHTS / "tinytales" / "model.safetensors").exists(), reason="needs TinyTales")
def test_page_adds_the_chosen_token_to_the_prompt():
    at = _page(temperature="0.7", top_k="40")
    assert not at.exception and not at.error and len(at.get("plotly_chart")) == 2
    assert at.slider(key="temperature").value == 0.7 and at.number_input(key="top_k").value == 40
    before = at.session_state["prompt"]
    at.button(key="next_token_step").click().run()
    assert not at.exception and len(at.session_state["prompt"]) > len(before)
    assert at.sidebar.text_area(key="prompt").value == at.session_state["prompt"]
    assert "Added `" in at.success[0].value and "after your settings" in at.success[0].value
    at.text_input(key="_next_token.word").input("cat").run()
    assert not at.exception and any("`·cat`" in c.value for c in at.main.caption)


def test_page_explains_that_an_encoder_predicts_no_next_token():
    at = _page(model="minilm", temperature="abc")
    assert not at.exception and not at.error and not at.get("plotly_chart")
    assert "encoder" in at.info[0].value and "temperature='abc'" in at.warning[0].value


@pytest.mark.skipif(not (WEIGHTS / "tinytales" / "model.safetensors").exists(), reason="needs TinyTales")
def test_a_step_after_a_prompt_longer_than_the_context_keeps_the_whole_prompt():
    long = "The king and the queen. " * 200  # ~1,200 tokens: the walk sees the last 256
    at = _page(prompt=long, greedy="1")
    at.button(key="next_token_step").click().run()
    assert not at.exception and at.session_state["prompt"].startswith(long)
    assert len(at.session_state["prompt"]) > len(long)


def test_the_space_sentence_fits_a_language_written_without_spaces():
    a = vn.WordProbability("女孩", ["女孩"], [5], [0.1], [2])
    b = vn.WordProbability(" 女孩", [" ", "女孩"], [1, 5], [0.01, 0.2], [40, 1])
    spaced = vn.space_sentence(a, b, "zh")
    unspaced = vn.space_sentence(a, b, "zh", spaced=False)
    assert "以空格开头" in spaced and "以空格开头" not in unspaced
    assert "不带空格的写法才是常见的接续" in unspaced
    assert "written without spaces" in vn.space_sentence(a, b, "en", spaced=False)
