"""Temperature, top-k, top-p, greedy and seeded sampling, and one generation step."""

from __future__ import annotations

import numpy as np
import pytest

from model import trace
from model.sampling import CUT_TOP_K, CUT_TOP_P, KEPT, Settings, choose, distribution, generate, next_step

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


def test_next_step_appends_the_token_and_retraces(tiny):
    lm = tiny("gpt2")
    tr = trace(lm, "The king said")
    step = next_step(lm, tr, Settings(greedy=True))
    assert step.token_id == int(np.argmax(tr.logits[-1]))
    assert step.rank == 1
    assert step.trace.token_ids.tolist() == [*tr.token_ids.tolist(), step.token_id]
    assert step.probability == pytest.approx(step.model_probability)


def test_generate_n_steps_is_repeatable_and_states_probabilities(tiny):
    lm = tiny("llama")
    tr = trace(lm, "Alice was")
    s = Settings(temperature=1.5, top_k=20, seed=3)
    steps = generate(lm, tr, 5, s)
    again = generate(lm, tr, 5, s)
    assert [x.token_id for x in steps] == [x.token_id for x in again]
    assert steps[-1].trace.n_tokens == tr.n_tokens + 5
    for x in steps:
        assert 0 < x.probability <= 1 and 0 < x.model_probability <= 1 and x.rank >= 1


def test_an_encoder_has_no_next_token(tiny):
    lm = tiny("bert")
    with pytest.raises(ValueError, match="encoder"):
        next_step(lm, trace(lm, "The king"))
