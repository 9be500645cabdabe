"""How much slower is trace() than a plain forward pass? Prints ratios measured in one run.

    python bench/trace_overhead.py [--runs 5]

Model: a GPT-2-small-sized random config (12 layers, 12 heads, 768 wide, 50,257 tokens), on the CPU.
Plain: the same weights with transformers' default (sdpa) attention, no hooks, under no_grad.
Traced: `trace()` — recording eager attention, hooks, and the copy of every array to numpy.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast  # noqa: E402

from model import from_model, trace_ids  # noqa: E402


def tiny_tokenizer() -> PreTrainedTokenizerFast:
    from tokenizers import Tokenizer, models, pre_tokenizers

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


def trace_megabytes(tr) -> float:
    arrays = [v for v in vars(tr).values() if isinstance(v, np.ndarray)]
    return sum(a.nbytes for a in arrays) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    torch.manual_seed(0)
    config = GPT2Config(n_layer=12, n_head=12, n_embd=768, vocab_size=50257, n_positions=1024)
    plain = GPT2LMHeadModel(config).eval()
    plain.set_attn_implementation("sdpa")
    lm = from_model(copy.deepcopy(plain), tiny_tokenizer(), name="gpt2-small-random")
    print(
        f"torch {torch.__version__}, {torch.get_num_threads()} threads, {sum(p.numel() for p in plain.parameters()) / 1e6:.0f}M parameters"
    )
    print(f"{'tokens':>6} {'plain (s)':>10} {'trace (s)':>10} {'ratio':>6} {'trace MB':>9}")
    for n in (128, 512):
        ids = torch.randint(0, config.vocab_size, (1, n))

        def run_plain(ids=ids):
            with torch.no_grad():
                plain(input_ids=ids)

        def run_trace(ids=ids):
            return trace_ids(lm, ids[0].tolist())

        t_plain, t_trace = timed(run_plain, args.runs), timed(run_trace, args.runs)
        print(
            f"{n:>6} {t_plain:>10.3f} {t_trace:>10.3f} {t_trace / t_plain:>6.2f} {trace_megabytes(run_trace()):>9.0f}"
        )


if __name__ == "__main__":
    main()
