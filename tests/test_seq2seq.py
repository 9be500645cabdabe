"""The encoder–decoder in the core: a tiny random MBart traced with the same hooks and edits, checked against
transformers' own eager attentions, logits and generate(), and against hooks written here."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model import from_model, trace
from model.edits import AblateHead, Patch, Zero, knock_out_cross
from model.errors import BadEdit, PromptTooLong
from model.seq2seq import trace_seq2seq
from tests.conftest import make_model

SOURCE = "Once upon a time there was a little girl"


@pytest.fixture(scope="module")
def lm(bpe_tokenizer):
    return from_model(make_model("mbart"), bpe_tokenizer, name="tiny-mbart")


@pytest.fixture(scope="module")
def tr(lm):
    return trace(lm, SOURCE)


def _forward(lm, tr, **kw):
    src = torch.tensor(tr.source_ids)[None]  # (1, S)
    dec = torch.tensor(tr.token_ids)[None]  # (1, T)
    with torch.no_grad():
        return lm.model(input_ids=src, decoder_input_ids=dec, output_attentions=True, **kw)


def test_the_trace_holds_both_halves_with_documented_shapes(lm, tr):
    S, T, H = len(tr.source_ids), tr.n_tokens, 4
    assert tr.is_seq2seq and tr.source_tokens == [lm.tokenizer.decode([i]) for i in tr.source_ids]
    assert tr.encoder_pattern.shape == (2, H, S, S)
    assert tr.pattern.shape == (3, H, T, T) and tr.cross_pattern.shape == (3, H, T, S)
    assert tr.encoder_resid.shape == (3, S, 32) and tr.encoder_out.shape == (S, 32)
    assert tr.cross_out.shape == (3, T, 32) and tr.token_ids[0] == lm.config.decoder_start_token_id
    assert np.allclose(tr.cross_pattern.sum(-1), 1, atol=1e-5) and np.allclose(tr.encoder_pattern.sum(-1), 1, atol=1e-5)
    assert np.allclose(np.triu(tr.pattern, k=1), 0)  # the decoder is causal; the encoder and cross are not
    assert (np.triu(tr.encoder_pattern, k=1) > 0).any()


def test_patterns_equal_transformers_eager_attentions(lm, tr):
    out = _forward(lm, tr)
    assert np.allclose(torch.stack(out.encoder_attentions)[:, 0].numpy(), tr.encoder_pattern, atol=1e-6)
    assert np.allclose(torch.stack(out.decoder_attentions)[:, 0].numpy(), tr.pattern, atol=1e-6)
    assert np.allclose(torch.stack(out.cross_attentions)[:, 0].numpy(), tr.cross_pattern, atol=1e-6)


def test_logits_and_encoder_output_equal_the_models_own(lm, tr):
    out = _forward(lm, tr)
    assert np.allclose(out.logits[0].numpy(), tr.logits, atol=1e-4)
    assert np.allclose(out.encoder_last_hidden_state[0].numpy(), tr.encoder_out, atol=1e-5)


def test_greedy_output_equals_generate(lm, tr):
    src = torch.tensor(tr.source_ids)[None]
    generated = lm.model.generate(src, do_sample=False, max_new_tokens=tr.n_tokens - 1)
    assert generated[0].tolist() == tr.token_ids.tolist()
    assert len(set(tr.token_ids.tolist())) > 2  # the random weights decode more than one token over and over


def test_the_decoders_residual_stream_adds_self_cross_and_mlp(tr):
    r = tr.resid  # (L+1, T, d)
    assert np.allclose(r[1:], r[:-1] + tr.attn_out + tr.cross_out + tr.mlp_out, atol=1e-5)


def test_knocking_out_cross_attention_equals_a_hook_written_here(lm, tr):
    blind = trace(lm, SOURCE, edits=knock_out_cross(lm))
    handles = [
        b.encoder_attn.out_proj.register_forward_hook(lambda m, a, o: torch.zeros_like(o))
        for b in lm.model.model.decoder.layers
    ]
    try:
        src = torch.tensor(tr.source_ids)[None]
        expected = lm.model.generate(src, do_sample=False, max_new_tokens=blind.n_tokens - 1)
        with torch.no_grad():
            logits = lm.model(input_ids=src, decoder_input_ids=expected).logits[0].numpy()
    finally:
        for h in handles:
            h.remove()
    assert blind.token_ids.tolist() == expected[0].tolist()
    assert np.allclose(blind.logits, logits, atol=1e-4) and np.abs(blind.cross_out).max() == 0
    # without the source, any source gives the same output: the decoder is a plain language model now
    other = trace(lm, "The king said to the queen", edits=knock_out_cross(lm))
    assert other.token_ids.tolist() == blind.token_ids.tolist()
    assert not any(h for b in lm.model.model.decoder.layers for h in b.encoder_attn.out_proj._forward_hooks.values())


def test_zeroing_the_encoder_output_equals_feeding_zeros(lm, tr):
    zeroed = trace_seq2seq(lm, SOURCE, edits=[Zero("encoder_out", 0)], target=lm.tokenizer.decode(tr.token_ids[1:]))
    src = torch.tensor(tr.source_ids)[None]
    zeros = (torch.zeros(1, len(tr.source_ids), 32),)
    with torch.no_grad():
        logits = lm.model(encoder_outputs=zeros, decoder_input_ids=torch.tensor(zeroed.token_ids)[None]).logits
    assert np.allclose(zeroed.logits, logits[0].numpy(), atol=1e-4)
    assert src.shape[1] == zeroed.encoder_out.shape[0] and np.abs(zeroed.encoder_out).max() == 0


def test_a_target_is_teacher_forced(lm, bpe_tokenizer):
    forced = trace_seq2seq(lm, SOURCE, target=" a little girl")
    ids = bpe_tokenizer(" a little girl", add_special_tokens=False)["input_ids"]
    assert forced.token_ids.tolist() == [0, *ids, lm.config.eos_token_id]
    assert forced.output == " a little girl" + bpe_tokenizer.decode([lm.config.eos_token_id])


def test_head_ablation_reaches_the_decoder(lm):
    plain = trace_seq2seq(lm, SOURCE, target=" a little girl")
    ablated = trace_seq2seq(lm, SOURCE, edits=[AblateHead(1, 2)], target=" a little girl")
    assert np.abs(ablated.head_out[1, :, 2]).max() == 0 and np.abs(plain.head_out[1, :, 2]).max() > 0
    assert np.allclose(ablated.resid[1], plain.resid[1]) and not np.allclose(ablated.resid[2], plain.resid[2])


def test_bad_edits_and_long_sources_get_clear_errors(lm, tiny, tr):
    with pytest.raises(BadEdit, match="no encoder–decoder attention"):
        trace(tiny("gpt2"), "Once upon a time", edits=[Zero("cross_out", 0)])
    with pytest.raises(BadEdit, match="layer 0"):
        trace(lm, SOURCE, edits=[Zero("encoder_out", 1)])
    with pytest.raises(BadEdit, match="fixed length"):
        trace(lm, SOURCE, edits=[Patch("cross_out", 0, tr)])
    long = " ".join(["Once upon a time"] * 40)
    with pytest.raises(PromptTooLong):
        trace_seq2seq(lm, long, truncate=False)
    cut = trace(lm, long)
    assert len(cut.source_ids) == lm.context_size and cut.dropped_tokens > 0


# ---- the bundled TinyDates -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tinydates():
    from model import load_model

    return load_model("tinydates")


def test_tinydates_decodes_held_out_dates_in_every_form_exactly(tinydates):
    from training import dates

    sample = dates.held_out_sample(per_form=4, seed=7)
    for form, pairs in sample.items():
        for source, target, _ in pairs:
            assert trace(tinydates, source).output == target, (form, source)


def test_tinydates_cross_attention_equals_transformers_eager(tinydates):
    tr = trace(tinydates, "the 3rd of March, 1921")
    assert tr.source_tokens[-1] == "</s>" and tr.tokens[0] == "<s>" and tr.output == "1921-03-03"
    out = _forward(tinydates, tr)
    assert np.allclose(torch.stack(out.cross_attentions)[:, 0].numpy(), tr.cross_pattern, atol=1e-6)
    assert np.allclose(out.logits[0].numpy(), tr.logits, atol=1e-4)


def test_without_cross_attention_tinydates_writes_one_date_whatever_the_input(tinydates):
    blind = [trace(tinydates, s, edits=knock_out_cross(tinydates)).output for s in ("3 March 1921", "2000年12月29日")]
    assert blind[0] == blind[1] and len(blind[0]) == 10 and blind[0][4] == "-" == blind[0][7]
