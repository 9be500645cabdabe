"""Edits (AblateHead, Patch) against hooks written here, on the plain Hugging Face models of every family."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from model import AblateHead, BadEdit, Patch, trace, trace_ids
from model.edits import Edit
from model.reference import reference_text
from tests.conftest import FAMILIES

PROMPT = "Once upon a time the king said to Alice"


def base(model):
    return getattr(model, "transformer", None) or getattr(model, "model", None) or getattr(model, "gpt_neox", model)


def blocks(model):
    b = base(model)
    return b.h if hasattr(b, "h") else b.layers if hasattr(b, "layers") else b.encoder.layer


def out_proj(model, layer):
    block = blocks(model)[layer]
    for path in ("attn.c_proj", "self_attn.o_proj", "attention.dense", "attention.output.dense"):
        try:
            return block.get_submodule(path)
        except AttributeError:
            continue
    raise AssertionError("no output projection")


def mlp_down(model, layer):
    block = blocks(model)[layer]
    for path in ("mlp.c_proj", "mlp.down_proj", "mlp.dense_4h_to_h", "output.dense"):
        try:
            return block.get_submodule(path)
        except AttributeError:
            continue
    raise AssertionError("no MLP down projection")


def plain_output(lm, ids, hooks):
    """The model's final output (logits, or an encoder's last hidden state) with `hooks` [(module, kind, fn)]."""
    handles = []
    try:
        for module, kind, fn in hooks:
            register = module.register_forward_pre_hook if kind == "pre" else module.register_forward_hook
            handles.append(register(fn))
        with torch.no_grad():
            out = lm.model(input_ids=torch.tensor([list(ids)]))
    finally:
        for h in handles:
            h.remove()
    return (out.logits if hasattr(out, "logits") else out.last_hidden_state)[0].numpy()


def corrupted(lm):
    """The prompt's tokens in reverse: another run of the same length."""
    return trace_ids(lm, trace(lm, PROMPT).token_ids[::-1])


def final(tr):
    return tr.logits if tr.is_causal else tr.resid[-1]


def head_width(lm):
    return lm.config.hidden_size // lm.config.num_attention_heads


@pytest.fixture(params=FAMILIES)
def lm(request, tiny):
    return tiny(request.param)


def test_no_edits_equals_a_plain_trace(lm):
    plain, edited = trace(lm, PROMPT), trace(lm, PROMPT, edits=())
    for name in ("resid", "attn_out", "head_out", "mlp_out", "pattern", "queries", "keys"):
        np.testing.assert_array_equal(getattr(plain, name), getattr(edited, name))


def test_zero_ablation_equals_zeroing_the_heads_slice_at_the_output_projection(lm):
    layer, head, dh = 1, 2, head_width(lm)
    tr = trace(lm, PROMPT, edits=[AblateHead(layer, head)])

    def zero(module, args):
        x = args[0].clone()
        x[..., head * dh : (head + 1) * dh] = 0
        return (x,)

    expected = plain_output(lm, tr.token_ids, [(out_proj(lm.model, layer), "pre", zero)])
    np.testing.assert_allclose(final(tr), expected, atol=1e-5)
    assert np.all(tr.head_out[layer, :, head] == 0)
    assert not np.allclose(final(tr), final(trace(lm, PROMPT)), atol=1e-4)  # the head mattered


def test_mean_ablation_puts_the_heads_mean_over_the_reference_text(lm):
    layer, head, dh = 0, 1, head_width(lm)
    seen = []

    def grab(module, args):
        seen.append(args[0][0].detach().clone())

    ref_ids = lm.tokenizer(reference_text(lm.language))["input_ids"][: lm.context_size]
    plain_output(lm, ref_ids, [(out_proj(lm.model, layer), "pre", grab)])
    mean = seen[0][:, head * dh : (head + 1) * dh].mean(0)  # (dh,)

    def put_mean(module, args):
        x = args[0].clone()
        x[..., head * dh : (head + 1) * dh] = mean
        return (x,)

    tr = trace(lm, PROMPT, edits=[AblateHead(layer, head, mode="mean")])
    expected = plain_output(lm, tr.token_ids, [(out_proj(lm.model, layer), "pre", put_mean)])
    np.testing.assert_allclose(final(tr), expected, atol=1e-5)


def test_patching_a_block_input_equals_replacing_it(lm):
    clean = trace(lm, PROMPT)
    corrupted_ids = corrupted(lm).token_ids
    layer, position = 1, 3

    def replace(module, args, kwargs):
        x = (args[0] if args else kwargs["hidden_states"]).clone()
        x[0, position] = torch.from_numpy(np.array(clean.resid[layer, position]))
        return ((x, *args[1:]), kwargs) if args else (args, {**kwargs, "hidden_states": x})

    handle = blocks(lm.model)[layer].register_forward_pre_hook(replace, with_kwargs=True)
    try:
        expected = plain_output(lm, corrupted_ids, [])
    finally:
        handle.remove()
    tr = trace_ids(lm, corrupted_ids, edits=[Patch("resid_pre", layer, clean, position=position)])
    np.testing.assert_allclose(final(tr), expected, atol=1e-5)
    np.testing.assert_array_equal(tr.resid[layer, position], clean.resid[layer, position])


def test_patching_a_whole_state_from_the_clean_run_restores_its_output(lm):
    """The first block's input, or (post-norm) the last block's resid_mid, carries everything that follows."""
    clean, last = trace(lm, PROMPT), len(lm.parts.blocks) - 1
    sites = [("resid_pre", 0)] + ([("resid_mid", last)] if not lm.family.pre_norm else [])
    for site, layer in sites:
        tr = trace_ids(lm, corrupted(lm).token_ids, edits=[Patch(site, layer, clean)])
        np.testing.assert_allclose(final(tr), final(clean), atol=1e-5)
    tr = trace_ids(lm, corrupted(lm).token_ids, edits=[Patch("mlp_out", last, clean)])
    np.testing.assert_array_equal(tr.mlp_out[last], clean.mlp_out[last])  # one term of several: recorded as patched
    assert not np.allclose(final(tr), final(clean), atol=1e-3)


def test_patching_one_heads_output_equals_copying_its_slice(lm):
    clean = trace(lm, PROMPT)
    layer, head, dh = 1, 3, head_width(lm)
    source = torch.from_numpy(np.array(clean.head_out[layer, :, head]))  # (T, dh)

    def copy_slice(module, args):
        x = args[0].clone()
        x[0, :, head * dh : (head + 1) * dh] = source
        return (x,)

    tr = trace_ids(lm, corrupted(lm).token_ids, edits=[Patch("head_out", layer, clean, head=head)])
    expected = plain_output(lm, tr.token_ids, [(out_proj(lm.model, layer), "pre", copy_slice)])
    np.testing.assert_allclose(final(tr), expected, atol=1e-5)


def test_mlp_post_is_the_down_projections_input_and_can_be_patched(lm):
    seen = []
    tr = trace(lm, PROMPT, mlp_post=True)
    plain_output(lm, tr.token_ids, [(mlp_down(lm.model, 0), "pre", lambda m, a: seen.append(a[0][0].clone()))])
    np.testing.assert_allclose(tr.mlp_post[0], seen[0].numpy(), atol=1e-6)
    assert trace(lm, PROMPT).mlp_post is None  # only on request: it is the largest per-token array
    patched = trace_ids(lm, corrupted(lm).token_ids, edits=[Patch("mlp_post", 0, tr)], mlp_post=True)
    np.testing.assert_array_equal(patched.mlp_post[0], tr.mlp_post[0])


def test_edits_compose_with_recording_in_one_forward(lm):
    tr = trace(lm, PROMPT, edits=[AblateHead(0, 0), AblateHead(1, 1)])
    assert np.all(tr.head_out[0, :, 0] == 0) and np.all(tr.head_out[1, :, 1] == 0)
    assert tr.edits == ("ablate L0H0 (zero)", "ablate L1H1 (zero)")


def test_bad_edits_say_what_is_wrong(lm):
    with pytest.raises(BadEdit, match="layer 9"):
        trace(lm, PROMPT, edits=[AblateHead(9, 0)])
    with pytest.raises(BadEdit, match="head 99"):
        trace(lm, PROMPT, edits=[AblateHead(0, 99)])
    with pytest.raises(BadEdit, match="same length"):
        trace(lm, PROMPT + " and more words here", edits=[Patch("resid_pre", 0, trace(lm, PROMPT))])


class Boom(Edit):
    site, layer = "attn_out", 0

    def apply(self, value, lm):
        raise RuntimeError("boom")


def hook_count(lm):
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in lm.model.modules())


def test_an_exception_inside_an_edit_leaves_no_hook(lm):
    before = hook_count(lm)
    with pytest.raises(RuntimeError, match="boom"):
        trace(lm, PROMPT, edits=[Boom()])
    assert hook_count(lm) == before
    np.testing.assert_array_equal(final(trace(lm, PROMPT)), final(trace(lm, PROMPT)))  # and the model still works


class TraceInside(Edit):
    """An edit whose code traces the same model again, in the same thread, mid-forward."""

    site, layer = "attn_out", 0

    def __init__(self):
        self.inner = None

    def apply(self, value, lm):
        self.inner = trace(lm, "The king")
        return value


def test_a_trace_inside_an_edit_neither_deadlocks_nor_sees_the_outer_hooks(lm):
    edit = TraceInside()
    outer = trace(lm, PROMPT, edits=[edit, AblateHead(1, 0)])
    alone = trace(lm, "The king")
    np.testing.assert_array_equal(final(edit.inner), final(alone))  # the outer ablation did not leak in
    np.testing.assert_array_equal(outer.head_out[1, :, 0], 0)


def test_threads_with_different_edits_each_get_their_own_result(tiny):
    lm = tiny("gpt2")
    expected = {h: final(trace(lm, PROMPT, edits=[AblateHead(1, h)])) for h in range(4)}
    expected[None] = final(trace(lm, PROMPT))
    results, errors = {}, []

    def work(i):
        head = None if i % 5 == 4 else i % 4
        try:
            for _ in range(3):
                edits = [] if head is None else [AblateHead(1, head)]
                results.setdefault(i, []).append((head, final(trace(lm, PROMPT, edits=edits))))
        except Exception as err:  # noqa: BLE001 — reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors
    for runs in results.values():
        for head, out in runs:
            np.testing.assert_array_equal(out, expected[head])


def test_bert_has_a_distinct_resid_mid_and_honest_sublayer_outputs(tiny):
    lm = tiny("bert")
    tr = trace(lm, PROMPT)
    assert tr.resid_mid is not None and not tr.pre_norm
    for layer, block in enumerate(lm.model.encoder.layer):
        attn_norm = block.attention.output.LayerNorm
        mlp_norm = block.output.LayerNorm
        with torch.no_grad():
            mid = attn_norm(torch.from_numpy(tr.resid[layer] + tr.attn_out[layer])).numpy()
            after = mlp_norm(torch.from_numpy(tr.resid_mid[layer] + tr.mlp_out[layer])).numpy()
        np.testing.assert_allclose(tr.resid_mid[layer], mid, atol=1e-5)
        np.testing.assert_allclose(tr.resid[layer + 1], after, atol=1e-5)
        assert not np.allclose(tr.mlp_out[layer], tr.resid[layer + 1], atol=1e-3)  # no longer the block output


def test_pre_norm_families_have_no_resid_mid_to_patch(tiny):
    lm = tiny("gpt2")
    tr = trace(lm, PROMPT)
    assert tr.resid_mid is None and tr.pre_norm
    with pytest.raises(BadEdit, match="resid_mid"):
        trace_ids(lm, corrupted(lm).token_ids, edits=[Patch("resid_mid", 0, tr)])
