"""model/headlab.py: role scores on hand-built patterns, the TinyTales induction heads and their knock-out,
ablation and patching sweeps against one-off traces, the ready prompt pairs, every family."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from model import AblateHead, Patch, load_model, trace_ids
from model.headlab import (
    READY_PAIRS,
    ablation_sweep,
    duplicate_scores,
    entropy_bits,
    first_token_scores,
    head_roles,
    induction_probe,
    induction_scores,
    logit_diff,
    logprob,
    loss_per_position,
    mean_loss,
    pair_ids,
    patch_sweep,
    previous_scores,
    second_copy_start,
    top_heads,
    without_first,
)
from model.numeric import induction_score

# ---- hand-built patterns ----------------------------------------------------------------------------------


def one_hot_pattern(keys: list[int]) -> np.ndarray:
    """(1, 1, T, T): query i puts all its attention on key keys[i]."""
    T = len(keys)
    p = np.zeros((1, 1, T, T))
    p[0, 0, np.arange(T), keys] = 1.0
    return p


def test_previous_token_pattern_scores_one_previous_and_no_induction():
    p = one_hot_pattern([0, 0, 1, 2, 3, 4, 5])  # BOS + 2 × 3 tokens, each query on the one before
    assert previous_scores(p)[0, 0] == pytest.approx(1.0)
    assert induction_scores(p, period=3, offset=1)[0, 0] == pytest.approx(0.0)
    assert duplicate_scores(p, period=3, offset=1)[0, 0] == pytest.approx(0.0)


def test_induction_pattern_scores_one_induction_and_agrees_with_numeric():
    # BOS, a b c, a b c: second-copy queries 4, 5, 6 look at 2, 3, 4 (the token after the earlier copy)
    p = one_hot_pattern([0, 0, 0, 0, 2, 3, 4])
    assert induction_scores(p, period=3, offset=1)[0, 0] == pytest.approx(1.0)
    assert duplicate_scores(p, period=3, offset=1)[0, 0] == pytest.approx(0.0)
    assert previous_scores(p)[0, 0] == pytest.approx(1 / 6)  # only query 1 → key 0 is "previous"
    rng = np.random.default_rng(0)
    noisy = rng.random((2, 3, 7, 7))
    noisy /= noisy.sum(-1, keepdims=True)
    np.testing.assert_allclose(induction_scores(noisy, 3, offset=1), induction_score(noisy, 3, offset=1))


def test_duplicate_pattern_scores_one_duplicate():
    p = one_hot_pattern([0, 0, 0, 0, 1, 2, 3])  # second-copy queries on their own earlier copies
    assert duplicate_scores(p, period=3, offset=1)[0, 0] == pytest.approx(1.0)
    assert induction_scores(p, period=3, offset=1)[0, 0] == pytest.approx(0.0)


def test_wrong_probe_length_is_refused():
    with pytest.raises(ValueError, match="7 positions"):
        induction_scores(one_hot_pattern([0] * 7), period=4, offset=0)


def test_exclude_first_ignores_a_head_resting_on_token_zero():
    T = 6
    p = np.zeros((1, 1, T, T))
    p[0, 0, 0, 0] = p[0, 0, 1, 0] = 1.0
    for i in range(2, T):  # 90% on the sink, 10% on the previous token
        p[0, 0, i, 0], p[0, 0, i, i - 1] = 0.9, 0.1
    assert previous_scores(p)[0, 0] == pytest.approx((1 + 4 * 0.1) / 5)
    assert previous_scores(p, exclude_first=True)[0, 0] == pytest.approx(1.0)
    assert first_token_scores(p)[0, 0] == pytest.approx((1 + 4 * 0.9) / 5)
    rest = without_first(p)
    assert rest.shape == (1, 1, T - 1, T - 1)
    np.testing.assert_allclose(rest[0, 0].sum(-1), [0, 1, 1, 1, 1])  # the all-sink row has nothing left


def test_entropy_in_bits_of_uniform_causal_rows():
    T = 5
    p = np.tril(np.ones((T, T)))
    p = (p / p.sum(-1, keepdims=True))[None, None]
    assert entropy_bits(p)[0, 0] == pytest.approx(np.mean(np.log2(np.arange(2, T + 1))))
    assert entropy_bits(one_hot_pattern([0, 0, 1, 2, 3]))[0, 0] == pytest.approx(0.0)


# ---- TinyTales --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tt():
    return load_model("tinytales", device="cpu")


def test_tinytales_top_induction_heads_and_memo(tt):
    roles = head_roles(tt)
    assert set(roles) == {"previous_token", "induction", "duplicate_token", "first_token", "entropy"}
    assert all(v.shape == (4, 8) for v in roles.values())
    top = top_heads(roles["induction"], 2)
    assert {(layer, head) for layer, head, _ in top} == {(3, 3), (3, 2)}
    assert min(score for *_, score in top) > 0.8
    assert head_roles(tt)["induction"] is roles["induction"]  # memoized
    assert head_roles(tt, exclude_first=True)["induction"] is not roles["induction"]


def test_tinytales_knockout_of_the_induction_heads(tt):
    ids = induction_probe(tt)
    second = mean_loss(ids, start=second_copy_start(tt))
    clean = second(trace_ids(tt, ids))
    both = second(trace_ids(tt, ids, edits=[AblateHead(3, 3), AblateHead(3, 2)]))
    low = np.argsort(np.abs(head_roles(tt)["induction"]).ravel())[:2]  # two heads scoring ~0
    quiet = second(trace_ids(tt, ids, edits=[AblateHead(int(i) // 8, int(i) % 8) for i in low]))
    assert clean < 0.5
    assert both - clean > 5
    assert quiet - clean < 2


def test_loss_per_position_matches_torch_cross_entropy(tt):
    ids = induction_probe(tt)[:20]
    with torch.no_grad():
        logits = tt.model(input_ids=torch.tensor([ids.tolist()])).logits[0]
    expected = torch.nn.functional.cross_entropy(logits[:-1], torch.tensor(ids[1:]), reduction="none").numpy()
    np.testing.assert_allclose(loss_per_position(tt, ids), expected, atol=1e-3)
    assert mean_loss(ids, start=5)(trace_ids(tt, ids)) == pytest.approx(expected[5:].mean(), abs=1e-3)


# ---- ablation sweep ---------------------------------------------------------------------------------------


def test_ablation_sweep_equals_one_at_a_time_runs(tiny):
    lm = tiny("gpt2")
    ids = induction_probe(lm)[:16]
    metric = logprob(-1, int(ids[3]))
    calls = []
    sweep = ablation_sweep(lm, ids, metric, progress=lambda f, msg: calls.append(f))
    L, H = 2, 4
    assert sweep.shape == (L, H)
    clean = metric(trace_ids(lm, ids))
    for layer, head in [(0, 0), (0, 3), (1, 2)]:
        alone = metric(trace_ids(lm, ids, edits=[AblateHead(layer, head)]))
        assert sweep[layer, head] == pytest.approx(alone - clean, abs=1e-5)
    assert np.abs(sweep).max() > 0
    assert len(calls) == L * H and calls[-1] == pytest.approx(1.0) and calls == sorted(calls)


def test_ablation_sweep_progress_exception_cancels(tiny):
    lm = tiny("gpt2")
    seen = []

    def progress(fraction, message):
        seen.append(message)
        if len(seen) == 3:
            raise KeyboardInterrupt("cancelled")

    with pytest.raises(KeyboardInterrupt):
        ablation_sweep(lm, induction_probe(lm)[:8], logprob(-1, 5), progress=progress)
    assert len(seen) == 3


# ---- patch sweep ------------------------------------------------------------------------------------------


def _pair(lm):
    clean = np.arange(170, 178)  # 8 ids; the corrupted run differs at position 2 only
    corrupt = clean.copy()
    corrupt[2] = 200
    a, b = trace_ids(lm, clean).logits_at(-1), trace_ids(lm, corrupt).logits_at(-1)
    answer, foil = int(np.argmax(a - b)), int(np.argmin(a - b))  # a large clean-vs-corrupt difference
    return clean, corrupt, logit_diff(-1, answer, foil)


def test_patch_sweep_normalisation_and_cells(tiny):
    lm = tiny("gpt2")
    clean, corrupt, metric = _pair(lm)
    m_clean, m_corrupt = metric(trace_ids(lm, clean)), metric(trace_ids(lm, corrupt))
    assert abs(m_clean - m_corrupt) > 1e-3
    # every position of resid_pre at layer 0 from the clean run: the corrupted run becomes the clean one
    whole = metric(trace_ids(lm, corrupt, edits=[Patch("resid_pre", 0, trace_ids(lm, clean))]))
    assert (whole - m_corrupt) / (m_clean - m_corrupt) == pytest.approx(1.0, abs=1e-4)

    calls = []
    maps = patch_sweep(lm, clean, corrupt, metric, progress=lambda f, m: calls.append(f))
    assert set(maps) == {"resid_pre", "attn_out", "mlp_out", "head_out"}
    assert maps["resid_pre"].shape == (2, 8) and maps["head_out"].shape == (2, 4)
    assert len(calls) == 3 * 2 * 8 + 2 * 4 and calls[-1] == pytest.approx(1.0)
    # at layer 0 the runs differ only at position 2: patching it restores everything, elsewhere nothing
    assert maps["resid_pre"][0, 2] == pytest.approx(1.0, abs=1e-4)
    np.testing.assert_allclose(np.delete(maps["resid_pre"][0], 2), 0.0, atol=1e-4)

    source = trace_ids(lm, clean)
    one = metric(trace_ids(lm, corrupt, edits=[Patch("attn_out", 1, source, position=5)]))
    assert maps["attn_out"][1, 5] == pytest.approx((one - m_corrupt) / (m_clean - m_corrupt), abs=1e-4)
    head = metric(trace_ids(lm, corrupt, edits=[Patch("head_out", 0, source, head=1)]))
    assert maps["head_out"][0, 1] == pytest.approx((head - m_corrupt) / (m_clean - m_corrupt), abs=1e-4)


def test_patch_sweep_refuses_unequal_lengths_and_flat_metrics(tiny):
    lm = tiny("gpt2")
    with pytest.raises(ValueError, match=r"6 tokens.*5"):
        patch_sweep(lm, np.arange(170, 176), np.arange(170, 175), logit_diff(-1, 1, 2))
    same = patch_sweep(lm, np.arange(170, 176), np.arange(170, 176), logit_diff(-1, 1, 2), sites=("resid_pre",))
    assert set(same) == {"resid_pre", "head_out"} and all(np.isnan(v).all() for v in same.values())


# ---- ready pairs ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted({p.model for p in READY_PAIRS}))
def test_ready_pairs_have_equal_lengths_and_single_token_answers(name):
    lm = load_model(name, device="cpu")
    pairs = [p for p in READY_PAIRS if p.model == name]
    assert len(pairs) >= 2
    for pair in pairs:
        clean, corrupt, answer, foil = pair_ids(lm, pair)
        assert len(clean) == len(corrupt) and answer != foil
        assert (clean != corrupt).any()
        assert lm.tokenizer.decode([answer]) == pair.answer and lm.tokenizer.decode([foil]) == pair.foil
        # the answer is the token the model would write next: the prompt and answer tokenize as prompt + [answer]
        assert pair_ids(lm, replace(pair, clean=pair.clean + pair.answer, corrupt=pair.corrupt + pair.foil))[
            0
        ].tolist() == [
            *clean.tolist(),
            answer,
        ]
    assert {"en": "tinytales", "zh": "tinytales-zh"}[lm.language] == name


# ---- every family -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("family", ["gpt2", "llama", "neox"])
def test_decoder_families(tiny, family):
    lm = tiny(family)
    roles = head_roles(lm)
    for name, scores in roles.items():
        assert scores.shape == (2, 4) and np.isfinite(scores).all()
        if name != "entropy":
            assert (scores >= -1e-6).all() and (scores <= 1 + 1e-6).all()
    assert (roles["entropy"] >= 0).all()
    ids = induction_probe(lm)[:6]
    assert loss_per_position(lm, ids).shape == (5,)
    assert ablation_sweep(lm, ids, mean_loss(ids)).shape == (2, 4)
    corrupt = ids.copy()
    corrupt[1] = ids[1] + 1
    maps = patch_sweep(lm, ids, corrupt, logit_diff(-1, int(ids[2]), int(ids[3])), sites=("resid_pre",))
    assert maps["resid_pre"][0, 1] == pytest.approx(1.0, abs=1e-3)


def test_encoder_roles_and_no_loss(tiny):
    lm = tiny("bert")
    roles = head_roles(lm, exclude_first=True)
    assert all(v.shape == (2, 4) and np.isfinite(v).all() for v in roles.values())
    with pytest.raises(ValueError, match="encoder"):
        loss_per_position(lm, [101, 2000, 2001, 102])
