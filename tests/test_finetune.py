"""Lesson 9's fine-tuning: new facts become likely, the shared model stays bit-for-bit the same, counts agree
with peft's own, LoRA's update has its rank, two sessions tune at once, and the page runs in both languages."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest
import torch

from lessons import t
from tests.test_pages import charts, run_page, visible_text
from training.finetune import (
    TargetsNotFound,
    adapter_bytes,
    change_ratios,
    completion_probability,
    finetune,
    lora_parameter_count,
    singular_values,
    world_examples,
)

PAGE = "pages/9_finetune.py"
PROBE = torch.tensor([[464, 3290, 373, 257, 1310, 262]])  # any ids: the base model's logits on them are compared


@pytest.fixture(scope="module")
def tinytales():
    from ui.state import cached_model

    return cached_model("tinytales")


def _logits(lm) -> torch.Tensor:
    with torch.no_grad():
        return lm.model(input_ids=PROBE).logits.clone()


@pytest.mark.parametrize("method", ["lora", "full"])
def test_tuning_makes_the_facts_likely_and_leaves_the_shared_model_alone(tinytales, method):
    facts = world_examples("en", "facts")[:3]
    before_logits = _logits(tinytales)
    before = [completion_probability(tinytales, p, c) for p, c in facts]
    tuned = finetune(tinytales, facts, method=method, steps=20)
    after = [completion_probability(tuned.model, p, c) for p, c in facts]
    assert all(b < 0.01 for b in before) and all(a > 0.5 for a in after)
    assert torch.equal(_logits(tinytales), before_logits)  # bit for bit
    assert len(tuned.losses) == 20 and tuned.losses[-1] < tuned.losses[0] / 4
    assert tuned.held_out[0][0] == 0 and tuned.held_out[-1][0] == 20


@pytest.mark.parametrize(
    ("model", "lora", "full"), [("tinytales", (4.2, 4.5), (5.5, 5.8)), ("tinytales-zh", (8.0, 8.35), (11.4, 11.8))]
)
def test_the_try_this_forgetting_happens_at_the_default_settings(model, lora, full):
    """The try-this texts: the held-out story's loss after LoRA and after full tuning at each method's default
    learning rate (English: 3.42 → 4.35 and → 5.65; Chinese: 6.09 → 8.17 and → 11.58)."""
    from ui.state import cached_model

    lm = cached_model(model)
    facts = world_examples(lm.language, "facts")
    after_lora = finetune(lm, facts, method="lora").held_out[-1][1]
    after_full = finetune(lm, facts, method="full").held_out[-1][1]
    assert lora[0] < after_lora < lora[1] and full[0] < after_full < full[1]


def test_lora_counts_match_peft_and_its_update_has_its_rank(tinytales):
    tuned = finetune(tinytales, world_examples("en", "facts")[:2], method="lora", steps=5, rank=2)
    trainable, total = tuned.peft_model.get_nb_trainable_parameters()
    assert tuned.trainable_params == trainable == lora_parameter_count(tinytales, 2)
    assert tuned.total_params == total == sum(p.numel() for p in tinytales.model.parameters()) + trainable
    deltas = tuned.delta_weights()
    assert len(deltas) == 4 * 4  # four matrices in each of four blocks
    fused = deltas["transformer.h.1.attn.c_attn"]
    assert fused.shape == (768, 256)  # (out, in)
    values = singular_values(fused, 6)
    assert values[1] > 0 and values[2:].max() < 1e-5 * values[0]  # rank 2: two directions, the rest ~0
    ratios = change_ratios(tuned)
    assert set(ratios) == set(deltas) and all(0 < r < 1 for r in ratios.values())


def test_the_delta_is_what_peft_merges_into_the_weight(tinytales):
    tuned = finetune(tinytales, world_examples("en", "facts")[:2], method="lora", steps=5)
    delta = tuned.delta_weights()["transformer.h.0.mlp.c_fc"]  # (out, in)
    merged = tuned.peft_model.merge_and_unload()  # peft's own merge (consumes the adapter)
    base = tinytales.model.transformer.h[0].mlp.c_fc.weight.detach().T.numpy()  # Conv1D (in, out) → (out, in)
    new = merged.transformer.h[0].mlp.c_fc.weight.detach().T.numpy()
    assert np.abs(delta).max() > 0 and np.allclose(new - base, delta, atol=1e-6)


def test_switching_the_adapter_off_gives_the_base_models_numbers(tinytales):
    tuned = finetune(tinytales, world_examples("en", "qa")[:2], method="lora", steps=10)
    with torch.no_grad():
        on = tuned.model.model(input_ids=PROBE).logits
    with tuned.adapter_off() as off, torch.no_grad():
        off_logits = off.model(input_ids=PROBE).logits
    assert not torch.allclose(on, _logits(tinytales))
    assert torch.allclose(off_logits, _logits(tinytales), atol=1e-6)
    from safetensors.torch import load

    weights = load(adapter_bytes(tuned))
    assert len(weights) == 2 * 16 and all("lora_" in k for k in weights)  # A and B of 16 matrices


def test_full_tuning_counts_every_weight_and_has_no_adapter(tinytales):
    tuned = finetune(tinytales, world_examples("en", "facts")[:2], method="full", steps=3)
    assert tuned.trainable_params == tuned.total_params == sum(p.numel() for p in tinytales.model.parameters())
    with pytest.raises(ValueError):
        adapter_bytes(tuned)
    assert "transformer.h.3.attn.c_proj" in tuned.delta_weights()


def test_two_sessions_tune_at_once_and_get_their_own_results(tinytales):
    facts = world_examples("en", "facts")
    results = {}

    def tune(name, examples):
        results[name] = finetune(tinytales, examples, method="lora", steps=20)

    threads = [
        threading.Thread(target=tune, args=("a", facts[:2])),
        threading.Thread(target=tune, args=("b", facts[2:4])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    a, b = results["a"].model, results["b"].model
    assert completion_probability(a, *facts[0]) > 0.5 > completion_probability(b, *facts[0])
    assert completion_probability(b, *facts[2]) > 0.5 > completion_probability(a, *facts[2])


def test_a_target_that_matches_nothing_is_named(tinytales):
    with pytest.raises(TargetsNotFound) as err:
        finetune(tinytales, world_examples("en", "facts")[:1], targets=("attn.c_attn", "q_proj"), steps=1)
    assert err.value.missing == ["q_proj"]


def test_bad_examples_get_clear_messages(tinytales):
    with pytest.raises(ValueError, match="at least one example"):
        finetune(tinytales, [], steps=1)
    with pytest.raises(ValueError, match="no completion"):
        finetune(tinytales, [("The lighthouse is", "  ")], steps=1)


@pytest.mark.parametrize(("lang", "model"), [("en", "tinytales"), ("zh", "tinytales-zh")])
def test_the_page_tunes_and_shows_before_and_after(lang, model):
    at = run_page(PAGE, lang=lang, model=model, tune_steps="10")
    assert not at.exception and not at.error
    assert at.slider(key="_finetune.steps").value == 10
    at.button(key="finetune_run").click().run()
    job = at.session_state["job:finetune"]
    deadline = time.time() + 60
    while job.active and time.time() < deadline:
        time.sleep(0.1)
    assert job.state == "done"
    at.run()
    assert not at.exception and not at.error
    titles = [f["layout"]["title"]["text"] for f in charts(at)]
    assert t("finetune.loss.title", lang) in titles and t("finetune.change.title", lang) in titles
    assert t("finetune.result", lang) in visible_text(at)
    at.toggle(key="_finetune.adapter").set_value(False).run()
    assert not at.exception
    at.radio(key="_finetune.method").set_value("full").run()
    at.button(key="finetune_run").click().run()
    job = at.session_state["job:finetune"]
    while job.active and time.time() < deadline + 60:
        time.sleep(0.1)
    at.run()
    assert not at.exception and len(at.session_state["finetune:history"]) == 2  # both runs, side by side
    assert t("finetune.history.story", lang) in [c for d in at.dataframe for c in d.value.columns]


def test_switching_method_brings_its_own_learning_rate():
    at = run_page(PAGE, model="tinytales")
    assert at.select_slider(key="_finetune.lr").value == 3e-3
    at.radio(key="_finetune.method").set_value("full").run()
    assert at.select_slider(key="_finetune.lr").value == 1e-3 and at.query_params["tune"] == "full"


def test_an_encoder_is_told_why_not():
    at = run_page(PAGE, lang="zh", model="minilm")
    assert not at.exception
    assert any("编码器" in i.value for i in at.info)


def test_the_tuned_model_goes_through_the_other_lessons_of_this_session_only():
    prompt = "The lighthouse of Pell is painted"
    at = run_page(PAGE, model="tinytales", tune_steps="30", prompt=prompt)
    at.button(key="finetune_run").click().run()
    job = at.session_state["job:finetune"]
    deadline = time.time() + 90
    while job.active and time.time() < deadline:
        time.sleep(0.1)
    at.run()
    at.toggle(key="_finetune.everywhere").set_value(True).run()
    assert not at.exception
    at.switch_page("pages/6_next_token.py").run()
    assert not at.exception and not at.error
    assert "green" in visible_text(at)  # the notice names the favourite: the tuned copy's " green"
    assert any("🎯" in (i.icon or "") for i in at.sidebar.info)
    other = run_page("pages/6_next_token.py", model="tinytales", prompt=prompt)  # another session
    assert "green" not in visible_text(other).split("Try this")[0]
    from ui.pages import WALK

    for page in WALK:  # every lesson reads the tuned copy without a complaint
        at.switch_page(page.file).run()
        assert not at.exception and not at.error, (page.key, [e.value for e in at.error])
    at.switch_page(PAGE).run()
    at.toggle(key="_finetune.everywhere").set_value(False).run()
    at.switch_page("pages/6_next_token.py").run()
    assert "green" not in visible_text(at).split("Try this")[0]


def test_a_bundled_model_shows_no_custom_model_box():
    """The sidebar's "your own model" box appears only when that choice is made (the tuned-copy notice sits
    beside the model choice, not in its place)."""
    at = run_page("pages/10_rag.py", model="tinytales")
    assert not [box for box in at.sidebar.text_input if box.key == "_model_id"]
    at.sidebar.selectbox(key="_model_choice").set_value("custom").run()
    assert [box for box in at.sidebar.text_input if box.key == "_model_id"]
