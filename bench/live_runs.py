"""How fast the live runs are, on one core as the class's job queue runs them: lesson 8's tiny model (steps per
second) and lesson 9's fine-tuning at the page's defaults (seconds per run, LoRA and full), with what a run keeps
in memory per session.

    python bench/live_runs.py            # run it with nothing else busy; it prints one table
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from model.load import load_model  # noqa: E402
from training.finetune import finetune, world_examples  # noqa: E402
from training.live import LiveRun, passage  # noqa: E402


def mb(module: torch.nn.Module) -> float:
    return sum(p.numel() * p.element_size() for p in module.parameters()) / 2**20


def main() -> None:
    torch.set_num_threads(1)  # what a job gets (ui/jobs.py)
    lm = load_model("tinytales")
    run = LiveRun(lm.tokenizer, passage())
    run.train(20)  # warm
    began, steps = time.perf_counter(), run.step
    run.train(10_000, seconds=15)
    rate = (run.step - steps) / (time.perf_counter() - began)
    print("| run | measure | value |")
    print("|---|---|---:|")
    print(f"| lesson 8 live model (2 x 64, {len(run.vocab):,}-token vocabulary) | steps per second | {rate:.1f} |")
    print(f"| | a 60-second press | {rate * 60:,.0f} steps |")
    print(f"| | weights kept per session | {mb(run.model):.1f} MB |")
    facts = world_examples("en", "facts")
    for method in ("lora", "full"):
        tuned = finetune(lm, facts, method=method)
        kept = mb(tuned.model.model)
        print(f"| lesson 9, {method}, 60 steps, 8 examples | seconds | {tuned.seconds:.1f} |")
        print(f"| | story loss before → after | {tuned.held_out[0][1]:.2f} → {tuned.held_out[-1][1]:.2f} |")
        print(f"| | weights kept per session | {kept:.1f} MB |")


if __name__ == "__main__":
    main()
