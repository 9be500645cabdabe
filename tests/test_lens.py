"""The logit lens and logit attribution against independent computations on the Hugging Face models."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from model import load_model, trace
from model.lens import head_contributions, logit_attribution, logit_lens, sublayer_lens, sublayer_lens_grid

PROMPT = "Once upon a time the king said to Alice"
DECODERS = ["gpt2", "llama", "neox"]


def hf_lens(lm, ids, position):
    """Final norm + unembedding on transformers' own hidden states (output_hidden_states)."""
    with torch.no_grad():
        out = lm.model(input_ids=torch.tensor([ids]), output_hidden_states=True)
        hidden = torch.stack(out.hidden_states)[:, 0, position]  # (L+1, d); the last already normed
        norm, unembed = lm.parts.final_norm, lm.model.get_output_embeddings()
        rows = [unembed(norm(h)) for h in hidden[:-1]] + [out.logits[0, position]]
    return torch.log_softmax(torch.stack(rows), -1).numpy()


@pytest.mark.parametrize("family", DECODERS)
def test_the_lens_equals_final_norm_and_unembedding_on_transformers_hidden_states(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    for position in (0, tr.n_tokens // 2, tr.n_tokens - 1):
        np.testing.assert_allclose(
            logit_lens(lm, tr, position), hf_lens(lm, tr.token_ids.tolist(), position), atol=2e-4
        )


def test_the_lens_on_tinytales_and_its_last_row_is_the_models_prediction():
    lm = load_model("tinytales")
    tr = trace(lm, "Once upon a time there was a little")
    lens = logit_lens(lm, tr, -1)
    np.testing.assert_allclose(lens, hf_lens(lm, tr.token_ids.tolist(), tr.n_tokens - 1), atol=2e-4)
    assert lens[-1].argmax() == tr.logits_at(-1).argmax()
    names, rows = sublayer_lens(tr, -1)
    assert names[0] == "embed" and len(names) == 2 * tr.n_layers + 1
    np.testing.assert_allclose(rows[-1], lens[-1], atol=1e-6)


@pytest.mark.parametrize("final_norm", [True, False])
def test_the_lens_grid_is_the_lens_at_each_position(final_norm):
    lm = load_model("tinytales")
    tr = trace(lm, "Once upon a time there was a king.")
    names, grid = sublayer_lens_grid(tr, [0, 3, tr.n_tokens - 1], final_norm)  # (R, 3, V)
    assert grid.shape == (2 * tr.n_layers + 1, 3, tr.vocab_size)
    for c, position in enumerate([0, 3, tr.n_tokens - 1]):
        single_names, single = sublayer_lens(tr, position, final_norm)
        assert single_names == names
        np.testing.assert_allclose(grid[:, c], single, rtol=2e-5, atol=1e-5)  # float32 products, blocked otherwise
    assert not np.allclose(grid[:, 0], grid[:, 1])  # positions are not mixed up


@pytest.mark.parametrize("family", DECODERS)
def test_the_attribution_adds_up_to_the_models_own_logit(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    with torch.no_grad():
        logits = lm.model(input_ids=torch.tensor([tr.token_ids.tolist()])).logits[0]
    for position in (1, tr.n_tokens - 1):
        token = int(logits[position].argmax())
        parts = logit_attribution(lm, tr, position, token)
        assert parts[-1][0] == "bias"
        assert sum(v for _, v in parts) == pytest.approx(float(logits[position, token]), abs=1e-4)


@pytest.mark.parametrize("family", DECODERS)
def test_head_contributions_add_up_to_each_layers_attention_minus_its_bias(tiny, family):
    lm = tiny(family)
    tr = trace(lm, PROMPT)
    token, position = 5, tr.n_tokens - 1
    per_head = head_contributions(lm, tr, position, token)  # (L, H)
    per_layer = dict(logit_attribution(lm, tr, position, token))
    for layer, proj in enumerate(lm.parts.out_projs):
        bias = getattr(proj, "bias", None)
        if bias is None:
            expected = per_layer[f"L{layer} attn"]
        else:  # the projection's bias, through the frozen norm
            readout = tr.readout
            b = bias.detach().double().numpy()
            if readout.norm == "layer":
                b = b - b.mean()
            direction = readout.unembed[token].astype(np.float64) * (
                readout.norm_weight if readout.norm_weight is not None else 1
            )
            expected = per_layer[f"L{layer} attn"] - float(direction @ b / readout.scale(tr.resid[-1, position])[0])
        assert per_head[layer].sum() == pytest.approx(expected, abs=1e-4)


def test_an_encoder_without_an_lm_head_says_what_the_lens_needs(tiny):
    lm = tiny("bert")
    with pytest.raises(ValueError, match="language-model head"):
        logit_lens(lm, trace(lm, PROMPT), 0)


def test_the_blocks_lessons_try_this_happens_on_tinytales():
    """What lessons/blocks.py "blocks.try" tells the learner to look for."""
    from model.weights import vocabulary

    lm = load_model("tinytales")
    texts = vocabulary(lm)[1]
    tr = trace(lm, "The cat sat on the mat. The dog sat on the log. The cat sat on the")
    names, rows = sublayer_lens(tr, -1)
    top = [texts[int(r.argmax())] for r in rows]
    assert top[0] == " the" and np.exp(rows[0].max()) > 0.99
    assert top[-1] == " hearth" and names[top.index(" hearth")] == "L3 attn"
    assert {" same", " side", " table"} <= set(top[1:-2])
    _, raw = sublayer_lens(tr, -1, final_norm=False)
    assert [texts[int(r.argmax())] for r in raw][0] == " the" and np.exp(raw[0].max()) < 0.01


@pytest.mark.parametrize("family", DECODERS)
def test_neuron_pushes_add_up_to_the_mlps_contribution_minus_its_bias(tiny, family):
    from model.lens import neuron_promotes, neuron_pushes

    lm = tiny(family)
    tr = trace(lm, PROMPT, mlp_post=True)
    position, token, layer = tr.n_tokens - 1, 7, 1
    pushes = neuron_pushes(lm, tr, layer, position, token)  # (m,)
    mlp = dict(logit_attribution(lm, tr, position, token))[f"L{layer} mlp"]
    bias = getattr(lm.parts.mlp_downs[layer], "bias", None)
    readout = tr.readout
    through = 0.0
    if bias is not None:
        b = bias.detach().double().numpy()
        b = b - b.mean() if readout.norm == "layer" else b
        w = readout.norm_weight if readout.norm_weight is not None else 1.0
        through = float((readout.unembed[token] * w) @ b / readout.scale(tr.resid[-1, position])[0])
    assert pushes.sum() == pytest.approx(mlp - through, abs=1e-4)
    ids, scores = neuron_promotes(lm, layer, int(np.argmax(pushes)), k=5)
    assert len(ids) == 5 and np.all(np.diff(scores) <= 0)


def test_the_ledger_against_a_rival_adds_up_to_the_logit_difference():
    lm = load_model("tinytales")
    tr = trace(lm, "The cat sat on the mat. The dog sat on the log. The cat sat on the")
    logits = tr.logits_at(-1)
    answer, rival = np.argsort(-logits)[:2]
    parts = logit_attribution(lm, tr, tr.n_tokens - 1, int(answer), rival=int(rival))
    assert abs(sum(v for _, v in parts) - float(logits[answer] - logits[rival])) < 1e-3
    alone = dict(logit_attribution(lm, tr, tr.n_tokens - 1, int(answer)))
    assert any(abs(v - alone[name]) > 0.1 for name, v in parts)  # the rival's share really was taken off


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_blocks_page_ledger_against_a_rival_adds_up(lang):
    from tests.test_pages import charts, run_page

    prompt = "The cat sat on the mat. The dog sat on the log. The cat sat on the"
    at = run_page("pages/5_blocks.py", lang=lang, prompt=prompt, model="tinytales")
    at.selectbox(key="_blocks.rival").select_index(1).run()  # the lens' first runner-up
    assert not at.exception and not at.error
    lm = load_model("tinytales")
    tr = trace(lm, prompt)
    logits = tr.logits_at(-1)
    answer = int(np.argmax(logits))
    rival_id = int(at.selectbox(key="_blocks.rival").value)
    assert rival_id != answer and rival_id >= 0
    (rival_fig,) = [f for f in charts(at) if "−" in f["layout"]["title"]["text"]]
    bars = rival_fig["data"][0]["y"][:-1]
    assert abs(sum(bars) - float(logits[answer] - logits[rival_id])) < 1e-3
    check = "核对" if lang == "zh" else "Check"
    assert any(check in md.value and "−" not in md.value[:1] for md in at.markdown)


def test_a_tuned_lens_of_zero_maps_is_the_logit_lens_and_any_map_reads_like_torch(tiny):
    from model.lens import lens_states

    lm = tiny("gpt2")
    tr = trace(lm, PROMPT)
    names, raw = sublayer_lens_grid(tr, [1, 3])
    R, d = len(names), tr.d_model
    zero = (np.zeros((R - 1, d, d), np.float32), np.zeros((R - 1, d), np.float32))
    np.testing.assert_allclose(sublayer_lens_grid(tr, [1, 3], tuned=zero)[1], raw, atol=1e-6)
    rng = np.random.default_rng(0)
    A = rng.normal(scale=0.05, size=(R - 1, d, d)).astype(np.float32)
    b = rng.normal(scale=0.05, size=(R - 1, d)).astype(np.float32)
    got = sublayer_lens_grid(tr, [3], tuned=(A, b))[1][:, 0]  # (R, V)
    states = torch.tensor(np.stack([v for _, v in lens_states(tr, 3)]))  # (R, d)
    moved = [h + torch.tensor(A[r]) @ h + torch.tensor(b[r]) for r, h in enumerate(states[:-1])]  # h + A h + b
    moved = torch.stack([*moved, states[-1]])
    with torch.no_grad():
        expected = torch.log_softmax(lm.model.get_output_embeddings()(lm.parts.final_norm(moved)), -1).numpy()
    np.testing.assert_allclose(got, expected, atol=2e-4)


@pytest.mark.parametrize("name", ["tinytales", "tinytales-zh"])
def test_the_shipped_tuned_lens_reads_each_row_closer_to_the_output(name):
    """On text it was not trained on (the app's examples), every early row read through the tuned lens is
    closer, in KL, to the model's own output than the raw logit lens is."""
    from model.lens import tuned_lens
    from ui.state import EXAMPLES

    lm = load_model(name)
    A, b, record = tuned_lens(lm)
    tr = trace(lm, " ".join(EXAMPLES[lm.language]))
    positions = range(tr.n_tokens)
    final = np.exp(sublayer_lens_grid(tr, positions)[1][-1])  # (C, V) the model's output

    def row_kl(logp):  # (R, C, V) → (R,) mean KL(output ‖ row)
        return (final * (np.log(final + 1e-30) - logp)).sum(-1).mean(-1)

    raw = row_kl(sublayer_lens_grid(tr, positions)[1])
    tuned = row_kl(sublayer_lens_grid(tr, positions, tuned=(A, b))[1])
    assert (tuned[:-1] < raw[:-1]).all(), (raw, tuned)
    assert tuned[-1] == pytest.approx(0, abs=1e-4)  # the last row is the output itself
    assert all(a < r for a, r in zip(record["held_out_kl_tuned_lens"], record["held_out_kl_logit_lens"], strict=True))


def test_a_tuned_lens_is_read_only_with_the_weights_it_was_trained_for(tiny_folder):
    import json

    from safetensors.numpy import save_file

    from model.lens import TUNED_FILE, TUNED_RECORD, tuned_lens, weights_fingerprint

    folder = tiny_folder("gpt2")
    lm = load_model(str(folder))
    R, d = 2 * len(lm.parts.blocks), int(lm.config.hidden_size)
    save_file({"A": np.zeros((R, d, d), np.float32), "b": np.zeros((R, d), np.float32)}, str(folder / TUNED_FILE))
    try:
        (folder / TUNED_RECORD).write_text(json.dumps({"weights_sha256": "0" * 64}))
        assert tuned_lens(load_model(str(folder))) is None
        (folder / TUNED_RECORD).write_text(json.dumps({"weights_sha256": weights_fingerprint(folder)}))
        A, b, record = tuned_lens(load_model(str(folder)))
        assert A.shape == (R, d, d) and record["weights_sha256"] == weights_fingerprint(folder)
    finally:
        (folder / TUNED_FILE).unlink()
        (folder / TUNED_RECORD).unlink()
