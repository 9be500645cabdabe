"""How much slower, and how much larger, is trace() than a plain forward pass? Ratios from one run.

    python bench/trace_overhead.py                 # both shapes (the 0.5B one takes minutes on 2 cores)
    python bench/trace_overhead.py --shape gpt2-small --runs 5

Shapes, random weights, on the CPU:
- gpt2-small: 12 layers, 12 heads, 768 wide, 50,257 tokens (124 M parameters), at 128 and 512 tokens;
- qwen2.5-0.5b: Qwen2.5-0.5B's shape — 24 layers, 896 wide, 14 query / 2 key-value heads, 151,936 tokens —
  at 1,024 and 4,096 tokens, under the default 512 MB trace budget (the prompt is cut to what fits) and,
  at 1,024 tokens, with the budget raised to hold the whole prompt.
Plain: the same weights with transformers' default (sdpa) attention, no hooks, under no_grad, on the tokens
the trace kept. Traced: `trace_ids()` — recording eager attention, hooks, every array copied to numpy.
Each case runs in a fresh process, so "peak MB" is that process's peak resident memory after loading.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = {  # shape → [(tokens asked, budget MB or None for the default)]
    "gpt2-small": [(128, None), (512, None)],
    "qwen2.5-0.5b": [(1024, None), (1024, 4096), (4096, None)],
}


def build(shape: str):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, Qwen2Config, Qwen2ForCausalLM

    torch.manual_seed(0)
    if shape == "gpt2-small":
        config = GPT2Config(n_layer=12, n_head=12, n_embd=768, vocab_size=50257, n_positions=1024)
        return GPT2LMHeadModel(config).eval()
    config = Qwen2Config(
        hidden_size=896,
        intermediate_size=4864,
        num_hidden_layers=24,
        num_attention_heads=14,
        num_key_value_heads=2,
        vocab_size=151936,
        max_position_embeddings=32768,
        tie_word_embeddings=True,
    )
    return Qwen2ForCausalLM(config).eval()


def tiny_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE(vocab={chr(33 + i): i for i in range(90)}, merges=[]))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    return PreTrainedTokenizerFast(tokenizer_object=tok)


def timed(fn, runs: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run_case(shape: str, n_tokens: int, budget_mb: float | None, runs: int) -> dict:
    import copy

    import torch

    from model import from_model, trace_ids
    from model.budget import set_trace_budget

    if budget_mb:
        set_trace_budget(budget_mb)
    plain = build(shape)
    plain.set_attn_implementation("sdpa")
    lm = from_model(copy.deepcopy(plain), tiny_tokenizer(), name=shape)
    loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ids = torch.randint(0, plain.config.vocab_size, (1, n_tokens))
    tr = trace_ids(lm, ids[0].tolist())
    kept = ids[:, -tr.n_tokens :]

    def run_plain():
        with torch.no_grad():
            plain(input_ids=kept, use_cache=False)

    t_plain = timed(run_plain, runs)
    t_trace = timed(lambda: trace_ids(lm, ids[0].tolist()), runs)
    return {
        "shape": shape,
        "asked": n_tokens,
        "traced": tr.n_tokens,
        "budget_mb": budget_mb or 512,
        "plain_s": t_plain,
        "trace_s": t_trace,
        "ratio": t_trace / t_plain,
        "trace_mb": tr.nbytes / 2**20,
        "peak_over_load_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - loaded,
        "threads": torch.get_num_threads(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shape", choices=[*CASES, "all"], default="all")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: one case, in this process
    args = parser.parse_args()
    if args.case:
        shape, n, budget = json.loads(args.case)
        print(json.dumps(run_case(shape, n, budget, args.runs)))
        return
    shapes = list(CASES) if args.shape == "all" else [args.shape]
    print(f"{'shape':>13} {'asked':>6} {'traced':>6} {'budget':>7} {'plain s':>8} {'trace s':>8} {'ratio':>6}", end="")
    print(f" {'trace MB':>9} {'peak MB':>8}")
    for shape in shapes:
        for n, budget in CASES[shape]:
            case = json.dumps([shape, n, budget])
            out = subprocess.run(
                [sys.executable, __file__, "--case", case, "--runs", str(args.runs)],
                capture_output=True,
                text=True,
                check=True,
            )
            r = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{r['shape']:>13} {r['asked']:>6} {r['traced']:>6} {r['budget_mb']:>5.0f}MB {r['plain_s']:>8.3f}"
                f" {r['trace_s']:>8.3f} {r['ratio']:>6.2f} {r['trace_mb']:>9.0f} {r['peak_over_load_mb']:>8.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
