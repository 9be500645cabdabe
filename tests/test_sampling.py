"""Temperature, top-k, top-p, greedy and seeded sampling, and one generation step."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers.generation.logits_process import TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

from model import trace
from model.generate import generate
from model.sampling import CUT_TOP_K, CUT_TOP_P, KEPT, Settings, choose, distribution

LOGITS = np.log(np.array([0.5, 0.2, 0.15, 0.1, 0.05]))


def test_plain_distribution_is_the_softmax():
    d = distribution(LOGITS)
    np.testing.assert_allclose(d.probs, [0.5, 0.2, 0.15, 0.1, 0.05])
    assert (d.cut == KEPT).all()


def test_temperature_sharpens_and_flattens():
    cold = distribution(LOGITS, Settings(temperature=0.5)).probs
    hot = distribution(LOGITS, Settings(temperature=2.0)).probs
    assert cold[0] > 0.5 > hot[0]
    assert cold[-1] < 0.05 < hot[-1]


def test_top_k_cuts_all_but_k_and_says_why():
    d = distribution(LOGITS, Settings(top_k=2))
    assert d.cut.tolist() == [KEPT, KEPT, CUT_TOP_K, CUT_TOP_K, CUT_TOP_K]
    np.testing.assert_allclose(d.probs, [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0])


def test_top_p_keeps_the_smallest_set_reaching_p():
    d = distribution(LOGITS, Settings(top_p=0.8))  # 0.5 + 0.2 = 0.7 < 0.8 → needs the third
    assert d.cut.tolist() == [KEPT, KEPT, KEPT, CUT_TOP_P, CUT_TOP_P]
    assert d.probs.sum() == pytest.approx(1.0)


def test_top_k_and_top_p_together_record_the_first_cut():
    d = distribution(LOGITS, Settings(top_k=3, top_p=0.6))
    assert d.cut.tolist() == [KEPT, KEPT, CUT_TOP_P, CUT_TOP_K, CUT_TOP_K]


def test_greedy_takes_the_favourite_and_sampling_repeats_with_its_seed():
    assert choose(distribution(LOGITS, Settings(greedy=True))) == 0
    assert choose(distribution(LOGITS, Settings(temperature=0))) == 0
    flat = np.zeros(50)
    draws = [choose(distribution(flat, Settings(seed=7)), draw=i) for i in range(20)]
    again = [choose(distribution(flat, Settings(seed=7)), draw=i) for i in range(20)]
    other = [choose(distribution(flat, Settings(seed=8)), draw=i) for i in range(20)]
    assert draws == again and draws != other
    assert len(set(draws)) > 5  # each step draws afresh


def test_sampling_frequencies_follow_the_distribution():
    d = distribution(LOGITS, Settings(seed=1))
    counts = np.bincount([choose(d, draw=i) for i in range(4000)], minlength=5) / 4000
    np.testing.assert_allclose(counts, d.probs, atol=0.03)


def test_bad_settings_are_refused():
    for bad in [Settings(temperature=-1), Settings(top_p=0), Settings(top_p=1.5), Settings(top_k=-2)]:
        with pytest.raises(ValueError):
            distribution(LOGITS, bad)


@pytest.mark.parametrize("temperature, k, p", [(0.8, 50, 0.9), (1.0, 10, 0.5), (1.3, 200, 0.95), (0.5, 0, 0.7)])
def test_cuts_equal_transformers_warpers_on_random_logits(temperature, k, p):
    rng = np.random.default_rng(0)
    for _ in range(20):
        logits = rng.normal(0, 3, size=8192).astype(np.float32)
        scores = torch.from_numpy(logits)[None]  # (1, V)
        scores = TemperatureLogitsWarper(temperature)(None, scores)
        if k:
            scores = TopKLogitsWarper(k)(None, scores)
        scores = TopPLogitsWarper(p)(None, scores)
        theirs = torch.softmax(scores, -1)[0].numpy()
        ours = distribution(logits, Settings(temperature=temperature, top_k=k, top_p=p))
        assert set(np.flatnonzero(ours.probs)) == set(np.flatnonzero(theirs))
        np.testing.assert_allclose(ours.probs, theirs, atol=1e-6)


def test_top_p_after_top_k_keeps_what_transformers_keeps():
    """At temperature 0.8, k 50, p 0.9 the cut is taken from the distribution renormalised over the 50."""
    logits = np.random.default_rng(1).normal(0, 2, size=8192)
    d = distribution(logits, Settings(temperature=0.8, top_k=50, top_p=0.9))
    assert (d.cut == CUT_TOP_P).sum() > 0
    assert (d.cut == KEPT).sum() < 50


def test_generate_appends_the_favourite_and_traces_once(tiny):
    lm = tiny("gpt2")
    tr = trace(lm, "The king said")
    gen = generate(lm, tr, 3, Settings(greedy=True))
    first = gen.steps[0]
    assert first.token_id == int(np.argmax(tr.logits_at(-1)))
    assert first.rank == 1
    assert first.probability == 1.0  # greedy: no draw, the favourite is certain
    assert gen.trace.token_ids.tolist() == [*tr.token_ids.tolist(), *(s.token_id for s in gen.steps)]
    # each later step is the favourite of a plain forward over what came before
    ids = gen.trace.token_ids.tolist()
    for i, step in enumerate(gen.steps[1:], start=1):
        plain = lm.model(input_ids=torch.tensor([ids[: tr.n_tokens + i]])).logits[0, -1]
        assert step.token_id == int(torch.argmax(plain))


def test_generate_n_steps_is_repeatable_and_states_probabilities(tiny):
    lm = tiny("llama")
    tr = trace(lm, "Alice was")
    s = Settings(temperature=1.5, top_k=20, seed=3)
    gen = generate(lm, tr, 5, s)
    again = generate(lm, tr, 5, s)
    assert [x.token_id for x in gen.steps] == [x.token_id for x in again.steps]
    assert gen.trace.n_tokens == tr.n_tokens + 5
    for x in gen.steps:
        assert 0 < x.probability <= 1 and 0 < x.model_probability <= 1 and x.rank >= 1


def test_an_encoder_has_no_next_token(tiny):
    lm = tiny("bert")
    with pytest.raises(ValueError, match="encoder"):
        generate(lm, trace(lm, "The king"), 1)
