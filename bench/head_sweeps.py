"""How long the head lab's sweeps take on TinyTales, against one forward pass (one run, printed as ratios).

    python bench/head_sweeps.py [--model tinytales] [--threads 1]

Times, on the lesson's repeated random probe and its first ready prompt pair: one traced forward, the
ablation sweep (one forward per head), and the patching sweep (one forward per layer × position for three
sites, and per head). Run it with nothing else on the machine: two cores are easily shared into noise.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402

from model import load_model, trace_ids  # noqa: E402
from model.headlab import (  # noqa: E402
    READY_PAIRS,
    ablation_sweep,
    induction_probe,
    logit_diff,
    mean_loss,
    pair_ids,
    patch_sweep,
    second_copy_start,
)


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="tinytales")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (a job on the queue gets 1)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    lm = load_model(args.model)
    probe = induction_probe(lm)
    trace_ids(lm, probe)  # warm
    forward = min(timed(lambda: trace_ids(lm, probe)) for _ in range(5))
    metric = mean_loss(probe, start=second_copy_start(lm))
    ablation = timed(lambda: ablation_sweep(lm, probe, metric))
    pair = next(p for p in READY_PAIRS if p.model == args.model)
    clean, corrupt, answer, foil = pair_ids(lm, pair)
    pair_forward = min(timed(lambda: trace_ids(lm, corrupt)) for _ in range(5))
    patching = timed(lambda: patch_sweep(lm, clean, corrupt, logit_diff(-1, answer, foil)))
    heads = len(lm.parts.blocks) * int(lm.config.num_attention_heads)
    runs = len(lm.parts.blocks) * (3 * len(corrupt)) + heads
    print(f"{lm.display_name}, {args.threads} torch thread(s)")
    print(f"one traced forward, probe ({len(probe)} tokens):   {forward * 1000:7.1f} ms")
    print(f"ablation sweep ({heads} heads):              {ablation:7.2f} s  = {ablation / forward:5.1f} forwards")
    print(f"one traced forward, pair ({len(corrupt)} tokens):     {pair_forward * 1000:7.1f} ms")
    print(f"patch sweep ({runs} patched runs):           {patching:7.2f} s  = {patching / pair_forward:5.1f} forwards")


if __name__ == "__main__":
    main()
