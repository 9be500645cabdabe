"""Hooks stay inside trace(), under the lock; bad input raises errors that say what to do."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from model import (
    EmptyPrompt,
    ModelNotFound,
    NoSafetensors,
    PromptTooLong,
    UnsupportedArchitecture,
    load_model,
    trace,
)

PROMPTS = [f"Prompt number {i}: the king said to Alice {'and the queen ' * i}" for i in range(8)]


def hook_count(model) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())


def test_eight_threads_on_one_model_match_single_threaded_traces(tiny):
    lm = tiny("llama")
    before = hook_count(lm.model)
    alone = [trace(lm, p) for p in PROMPTS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda p: trace(lm, p), PROMPTS * 3))
    for i, tr in enumerate(together):
        ref = alone[i % len(PROMPTS)]
        assert tr.tokens == ref.tokens
        np.testing.assert_array_equal(tr.pattern, ref.pattern)
        np.testing.assert_array_equal(tr.resid, ref.resid)
        np.testing.assert_array_equal(tr.logits, ref.logits)
    assert hook_count(lm.model) == before


def test_hooks_are_removed_after_an_exception_mid_forward(tiny, monkeypatch):
    lm = tiny("gpt2")
    before = hook_count(lm.model)

    def boom(*args, **kwargs):
        raise RuntimeError("mid-forward failure")

    monkeypatch.setattr(lm.parts.mlp_downs[1], "forward", boom)
    with pytest.raises(RuntimeError, match="mid-forward"):
        trace(lm, "The king")
    assert hook_count(lm.model) == before
    free = []
    probe = threading.Thread(target=lambda: free.append(lm.lock.acquire(blocking=False) and (lm.lock.release() or 1)))
    probe.start()
    probe.join()
    assert free == [1]  # another thread can take the lock: it was released
    monkeypatch.undo()
    assert trace(lm, "The king").n_tokens > 0


@pytest.mark.parametrize("prompt", ["", "   ", "\n\t "])
def test_empty_prompt(tiny, prompt):
    with pytest.raises(EmptyPrompt, match="Type a sentence"):
        trace(tiny("gpt2"), prompt)


def test_long_prompt_is_cut_or_refused_with_the_numbers(tiny):
    lm = tiny("gpt2")  # context 64
    prompt = "the king said to the queen " * 40
    with pytest.raises(PromptTooLong) as err:
        trace(lm, prompt, truncate=False)
    n = err.value.params["n_tokens"]
    assert n > 64 and "64" in str(err.value) and str(n) in str(err.value)
    tr = trace(lm, prompt)
    assert tr.n_tokens == 64 and tr.dropped_tokens == n - 64
    full = lm.tokenizer(prompt)["input_ids"]
    assert tr.token_ids.tolist() == full[-64:]  # a decoder keeps the most recent tokens


def test_unknown_model_names(tmp_path):
    for name in ["no-such-org/no-such-model-xyz", "../../etc/passwd", "a b c", "", str(tmp_path / "missing")]:
        with pytest.raises(ModelNotFound, match="on this computer"):
            load_model(name)


def test_folder_without_safetensors(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    (tmp_path / "pytorch_model.bin").write_bytes(b"not really")
    with pytest.raises(NoSafetensors, match="pytorch_model.bin"):
        load_model(str(tmp_path))


def test_unsupported_architecture_names_the_families(tmp_path):
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "t5"}))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(UnsupportedArchitecture) as err:
        load_model(str(tmp_path))
    for family in ["GPT-2", "Llama", "GPT-NeoX", "BERT"]:
        assert family in str(err.value)


def test_an_allowed_download_that_cannot_happen_fails_fast_and_says_why(monkeypatch):
    import time

    import model.load as load
    from model.errors import HubUnreachable

    monkeypatch.setattr(load, "hub_reachable", lambda timeout=3.0: False)
    t0 = time.perf_counter()
    with pytest.raises(HubUnreachable, match="cannot reach the Hugging Face Hub"):
        load.load_model("nonexistent-org/no-such-model-xyz", allow_download=True)
    assert time.perf_counter() - t0 < 5  # not huggingface_hub's 25 s of retries


def test_a_very_long_model_name_is_a_clear_error():
    from model import ModelNotFound, load_model

    with pytest.raises(ModelNotFound):
        load_model("a" * 500)
    with pytest.raises(ModelNotFound):
        load_model("b" * 280)  # under the length cap, but a path component the file system refuses
