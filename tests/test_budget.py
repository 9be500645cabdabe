"""The memory budget: a trace's size is checked before the forward, and a long prompt is cut to fit."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from model import PromptOverBudget, trace
from model.budget import set_trace_budget, trace_budget
from model.tracing import shape_of, token_limit
from tests.conftest import FAMILIES


@pytest.fixture
def small_budget():
    before = trace_budget()
    set_trace_budget(0.25)  # MB: a few dozen tokens on the tiny models
    yield
    set_trace_budget(before / 2**20)


@pytest.mark.parametrize("family", FAMILIES)
def test_the_estimate_is_the_traces_own_size(tiny, family):
    lm = tiny(family)
    tr = trace(lm, "Once upon a time the king said to Alice")
    assert shape_of(lm).trace_bytes(tr.n_tokens) == tr.nbytes
    with_neurons = trace(lm, "Once upon a time the king said to Alice", mlp_post=True)
    assert shape_of(lm).trace_bytes(tr.n_tokens, mlp_post=True) == with_neurons.nbytes


def test_over_budget_the_prompt_is_cut_to_what_fits(tiny, small_budget):
    lm = tiny("llama")
    limit = token_limit(lm)
    assert 0 < limit < lm.context_size
    tr = trace(lm, "the king and the queen " * 40)
    assert tr.n_tokens == limit == tr.token_limit and tr.dropped_tokens > 0
    assert shape_of(lm).peak_bytes(tr.n_tokens) <= trace_budget()
    with pytest.raises(PromptOverBudget, match="MB"):
        trace(lm, "the king and the queen " * 40, truncate=False)


def test_offsets_index_the_kept_text_after_a_cut(tiny):
    lm = tiny("gpt2")
    prompt = "The king and the queen. " * 20
    tr = trace(lm, prompt)
    assert tr.dropped_tokens > 0 and prompt.endswith(tr.prompt)
    for token, (start, end) in zip(tr.token_bytes, tr.offsets, strict=True):
        assert tr.prompt[start:end].encode() == token


SCRIPT = textwrap.dedent(
    """
    import json, resource, sys
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM
    from model import load_model, trace
    from model.budget import trace_budget
    folder = sys.argv[1]
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=320, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=32768, bos_token_id=0, eos_token_id=0)
    LlamaForCausalLM(config).save_pretrained(folder)
    sys.path.insert(0, sys.argv[2])
    from conftest_tokenizer import tokenizer
    tokenizer().save_pretrained(folder)
    lm = load_model(folder)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tr = trace(lm, ("Once upon a time there was a little girl. " * 1200)[:50000])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"n_tokens": tr.n_tokens, "dropped": tr.dropped_tokens, "trace": tr.nbytes,
        "budget": trace_budget(), "growth": peak - base}))
    """
)


def test_a_32k_context_model_and_a_50000_character_prompt_stay_within_budget(tmp_path):
    """In a fresh process: the prompt is cut, the trace fits the budget, the process grows by about that much."""
    helper = tmp_path / "helpers"
    helper.mkdir()
    (helper / "conftest_tokenizer.py").write_text(
        textwrap.dedent(
            """
            from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
            from transformers import PreTrainedTokenizerFast
            def tokenizer():
                tok = Tokenizer(models.BPE())
                tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
                tok.decoder = decoders.ByteLevel()
                trainer = trainers.BpeTrainer(vocab_size=300, special_tokens=["<|endoftext|>"],
                    initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
                tok.train_from_iterator(["a little girl"] * 10, trainer=trainer)
                return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|endoftext|>", eos_token="<|endoftext|>")
            """
        )
    )
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "llama32k"), str(helper)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(result)
    assert result["dropped"] > 0 and 1000 < result["n_tokens"] < 32768
    assert result["trace"] <= result["budget"]
    assert result["growth"] <= result["budget"] + 300 * 2**20  # within a few hundred MB of the budget


def test_viz_imports_neither_torch_nor_streamlit():
    code = "import sys, viz.pipeline, viz.next_token, viz.embeddings, viz.positions, viz.attention, viz.tokens, model.types;"
    code += "print(sorted(m for m in ('torch', 'streamlit', 'transformers') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_trace_is_shared_read_only_not_copied():
    from tests.synthetic import synthetic_trace
    from ui.cache import TraceCache

    cache, made = TraceCache(max_bytes=10**6), []

    def make():
        made.append(1)
        return synthetic_trace()

    first, again = cache.get("k", make), cache.get("k", make)
    assert first is again and made == [1]
    assert cache.nbytes == first.nbytes


def test_the_cache_is_bounded_by_bytes():
    from tests.synthetic import synthetic_trace
    from ui.cache import TraceCache

    one = synthetic_trace().nbytes
    cache = TraceCache(max_bytes=int(2.5 * one))
    for i in range(5):
        cache.get(i, lambda i=i: synthetic_trace(seed=i))
    assert len(cache) == 2 and cache.nbytes <= cache.max_bytes
