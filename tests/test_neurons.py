"""The MLP's neurons: pre-activations, the activation curve and the shipped corpus contexts, checked against
hooks written here on the Hugging Face modules."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model import load_model, trace
from model.lens import (
    CONTEXT_FILE,
    activation_curve,
    activation_name,
    contexts_scanned,
    neuron_contexts,
    weights_fingerprint,
)
from training.neurons import W_AFTER, W_BEFORE, sample_windows, top_contexts

PROMPT = "Once upon a time the king said to Alice"
# the module whose output is what the activation function receives, per family (a gated MLP: the gate)
PRE_MODULE = {"gpt2": "mlp.c_fc", "llama": "mlp.gate_proj", "neox": "mlp.dense_h_to_4h", "bert": "intermediate.dense"}


def hooked_outputs(lm, ids, path: str) -> np.ndarray:
    """(L, T, m) the output of module `path` in every block, by a plain forward hook."""
    seen = []
    hooks = [
        block.get_submodule(path).register_forward_hook(lambda m, a, out: seen.append(out[0]))
        for block in lm.parts.blocks
    ]
    try:
        with torch.no_grad():
            lm.model(input_ids=torch.tensor([ids]))
    finally:
        for hook in hooks:
            hook.remove()
    return torch.stack(seen).numpy()


@pytest.mark.parametrize("family", ["gpt2", "llama", "neox", "bert"])
def test_pre_activations_are_what_the_activation_function_receives(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT, mlp_post=True)
    expected = hooked_outputs(lm, tr.token_ids.tolist(), PRE_MODULE[family])
    np.testing.assert_allclose(tr.mlp_pre, expected, atol=1e-5)
    through = np.stack([activation_curve(lm, layer, tr.mlp_pre[layer]) for layer in range(tr.n_layers)])
    if family == "llama":  # gated: the neuron is act(gate) times the up projection
        up = hooked_outputs(lm, tr.token_ids.tolist(), "mlp.up_proj")
        np.testing.assert_allclose(through * up, tr.mlp_post, atol=1e-5)
    else:
        np.testing.assert_allclose(through, tr.mlp_post, atol=1e-5)


def test_a_trace_without_neurons_keeps_no_pre_activations(tiny):
    tr = trace(tiny("gpt2"), PROMPT)
    assert tr.mlp_pre is None and tr.mlp_post is None


def test_the_activation_is_named_as_readers_know_it(tiny):
    assert activation_name(load_model("tinytales")) == "GELU"
    assert activation_name(tiny("llama")) == "SiLU"


def test_top_contexts_are_each_neurons_highest_windows(tiny):
    lm = tiny("gpt2")
    rng = np.random.default_rng(0)
    windows = rng.integers(300, lm.config.vocab_size, size=(7, 24))
    ids, values = top_contexts(lm, windows, k=3, batch=3)  # batches of 3: the running top-k is merged
    seen = []
    hooks = [d.register_forward_pre_hook(lambda m, a: seen.append(a[0])) for d in lm.parts.mlp_downs]
    with torch.no_grad():
        lm.model(input_ids=torch.from_numpy(windows))
    for hook in hooks:
        hook.remove()
    acts = torch.stack(seen).numpy()  # (L, n, T, m)
    peak = acts.max(axis=2)  # (L, n, m): each window's best
    for layer, neuron in [(0, 0), (1, 5), (1, 17)]:
        order = np.argsort(-peak[layer, :, neuron])[:3]
        np.testing.assert_allclose(values[layer, neuron], peak[layer, order, neuron], rtol=2e-3, atol=1e-3)
        window, where = order[0], int(acts[layer, order[0], :, neuron].argmax())
        context = ids[layer, neuron, 0]
        assert context[W_BEFORE] == windows[window, where]  # the firing token sits after W_BEFORE tokens
        left = windows[window, max(0, where - W_BEFORE) : where]
        assert (context[W_BEFORE - len(left) : W_BEFORE] == left).all()
        assert len(context) == W_BEFORE + 1 + W_AFTER


def test_sample_windows_spread_over_the_stream():
    stream = np.arange(10_000)
    windows = sample_windows(stream, 1_280, window=128)
    assert windows.shape == (10, 128) and windows[0, 0] == 0 and windows[-1, -1] == 9_999


def test_shipped_contexts_load_and_a_model_without_them_says_so(tiny_folder, tiny):
    from model.load import load_model as load

    folder = tiny_folder("gpt2")
    lm = load(str(folder))
    assert neuron_contexts(lm, 0, 0) is None and contexts_scanned(lm) == 0
    windows = np.random.default_rng(1).integers(300, lm.config.vocab_size, size=(4, 16))
    ids, values = top_contexts(lm, windows, k=2)
    stamp = np.str_(weights_fingerprint(folder))
    try:
        np.savez_compressed(
            folder / CONTEXT_FILE, ids=ids, values=values, scanned=np.int64(64), weights_sha256="0" * 64
        )
        assert neuron_contexts(load(str(folder)), 1, 3) is None  # made for other weights: not read
        np.savez_compressed(folder / CONTEXT_FILE, ids=ids, values=values, scanned=np.int64(64), weights_sha256=stamp)
        fresh = load(str(folder))
        contexts = neuron_contexts(fresh, 1, 3)
        assert len(contexts) == 2 and contexts_scanned(fresh) == 64
        context, fire, value = contexts[0]
        assert value == pytest.approx(float(values[1, 3, 0])) and context[fire] == ids[1, 3, 0, W_BEFORE]
    finally:
        (folder / CONTEXT_FILE).unlink()


@pytest.mark.parametrize("name", ["tinytales", "tinytales-zh"])
def test_the_shipped_contexts_are_each_neurons_highs(name):
    """The top of 400,000 training tokens should beat a neuron's peak on one example prompt, for nearly
    every neuron; and each kept value is the neuron's own on that context (checked through a trace)."""
    from ui.state import EXAMPLES

    lm = load_model(name)
    tr = trace(lm, " ".join(EXAMPLES[lm.language]), mlp_post=True)
    layer = 2
    shipped = np.array([neuron_contexts(lm, layer, n)[0][2] for n in range(tr.mlp_post.shape[-1])])
    assert (shipped >= tr.mlp_post[layer].max(0) - 1e-3).mean() > 0.95
    assert contexts_scanned(lm) >= 300_000
