"""Trace invariants on tiny random models of every supported family."""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from model import trace
from tests.conftest import FAMILIES

PROMPT = "Once upon a time the king said to Alice"


@pytest.fixture(params=FAMILIES)
def family(request):
    return request.param


def test_shapes_follow_the_contract(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    T, L, d = tr.n_tokens, lm.config.num_hidden_layers, lm.config.hidden_size
    H = lm.config.num_attention_heads
    assert tr.token_ids.shape == (T,) and len(tr.tokens) == len(tr.token_bytes) == T
    assert tr.offsets.shape == (T, 2)
    assert tr.token_embeddings.shape == (T, d)
    assert tr.resid.shape == (L + 1, T, d)
    assert tr.pattern.shape == (L, H, T, T) and tr.pattern.dtype == np.float32
    assert (tr.n_layers, tr.n_heads, tr.d_model) == (L, H, d)
    if tr.is_causal:
        assert tr.logits.shape == (T, lm.config.vocab_size)
    else:
        assert tr.logits is None
    with pytest.raises(ValueError):
        tr.pattern[0, 0, 0, 0] = 1.0  # shared through the cache: read-only


def test_token_embeddings_are_rows_of_the_embedding_matrix(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    matrix = lm.parts.token_embedding.weight.detach().numpy()
    np.testing.assert_allclose(tr.token_embeddings, matrix[tr.token_ids], rtol=0, atol=0)


def test_pattern_rows_sum_to_one_and_the_mask_matches_the_family(tiny, family):
    tr = trace(tiny(family), PROMPT)
    np.testing.assert_allclose(tr.pattern.sum(-1), 1.0, atol=1e-5)
    above = np.triu(np.ones((tr.n_tokens, tr.n_tokens), dtype=bool), k=1)
    if tr.is_causal:
        assert np.all(tr.pattern[..., above] == 0.0)
    else:
        assert tr.pattern[..., above].min() > 0.0  # an encoder looks both ways


def test_patterns_equal_transformers_own_eager_attention(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    reference_model = copy.deepcopy(lm.model)
    reference_model.set_attn_implementation("eager")  # the library's attention, not ours
    with torch.no_grad():
        out = reference_model(input_ids=torch.from_numpy(tr.token_ids)[None], output_attentions=True)
        plain = lm.model(input_ids=torch.from_numpy(tr.token_ids)[None], output_attentions=True)
    reference = torch.stack(out.attentions)[:, 0].numpy()  # (L, H, T, T)
    np.testing.assert_allclose(tr.pattern, reference, atol=1e-6)
    np.testing.assert_allclose(torch.stack(plain.attentions)[:, 0].numpy(), reference, atol=1e-6)


def test_queries_and_keys_replay_the_pattern(tiny, family):
    """score = q·k × scale, masked, softmaxed: the lesson's steps give the model's own pattern."""
    tr = trace(tiny(family), PROMPT)
    scores = np.einsum("lhqd,lhkd->lhqk", tr.queries, tr.keys) * tr.attn_scale[:, None, None, None]
    if tr.is_causal:
        scores = np.where(np.tril(np.ones((tr.n_tokens, tr.n_tokens), dtype=bool)), scores, -np.inf)
    replay = np.exp(scores - scores.max(-1, keepdims=True))
    replay /= replay.sum(-1, keepdims=True)
    np.testing.assert_allclose(replay, tr.pattern, atol=1e-5)


def test_hooked_logits_equal_plain_logits(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    with torch.no_grad():
        out = lm.model(input_ids=torch.from_numpy(tr.token_ids)[None])
    plain = out.logits[0] if tr.is_causal else out.last_hidden_state[0]
    hooked = tr.logits if tr.is_causal else tr.resid[-1]
    np.testing.assert_allclose(hooked, plain.numpy(), atol=1e-5)


@pytest.mark.parametrize("name", ["gpt2", "llama", "neox"])
def test_residual_stream_adds_attention_and_mlp(tiny, name):
    """Pre-norm blocks: resid[l+1] = resid[l] + attn_out[l] + mlp_out[l] (NeoX's parallel form too)."""
    tr = trace(tiny(name), PROMPT)
    np.testing.assert_allclose(tr.resid[1:], tr.resid[:-1] + tr.attn_out + tr.mlp_out, atol=1e-5)


def test_gpt2_block_input_is_token_plus_position(tiny):
    lm = tiny("gpt2")
    tr = trace(lm, PROMPT)
    assert tr.position_kind == "learned"
    table = lm.parts.position_embedding.weight.detach().numpy()
    np.testing.assert_allclose(tr.position_embeddings, table[: tr.n_tokens], atol=0)
    np.testing.assert_allclose(tr.resid[0], tr.token_embeddings + tr.position_embeddings, atol=1e-6)


def test_rotary_models_report_rotary_positions(tiny):
    for name, rotating in [("llama", 8), ("neox", 4)]:  # head width 8; NeoX rotates half
        tr = trace(tiny(name), PROMPT)
        assert tr.position_kind == "rotary" and tr.position_embeddings is None
        assert tr.rotary_dim == rotating and tr.rotary_base > 0


def test_odd_unicode_traces(tiny, family):
    lm = tiny(family)
    for prompt in [
        "你好，世界",
        "🙂🚀 emoji",
        "zero\u200bwidth\u200d",
        "עברית RTL \u202e",
        "ctrl\x01\x07\x1b",
        "nul\x00byte",
    ]:
        tr = trace(lm, prompt)
        assert tr.n_tokens >= 1
        assert np.isfinite(tr.pattern).all()


def test_byte_level_pieces_of_a_character_show_their_bytes(tiny):
    tr = trace(tiny("gpt2"), "龙")  # unseen by the tiny tokenizer: three byte tokens
    assert b"".join(tr.token_bytes) == "龙".encode()
    assert len(tr.tokens) == 3 and all(t.startswith("<") for t in tr.tokens)
    assert all(tuple(o) == (0, 1) for o in tr.offsets)  # all three share the character's span
