"""A bundled model's training, replayed from what its run recorded every 100 steps.

    replay = load_replay("model/weights/tinytales")    # None for a model trained elsewhere
    replay.steps, replay.val, replay.induction.shape     # (S,), (S,), (S, L, H)
    replay.at(4000)                                      # index of the recorded step nearest 4,000
    phase_change(replay)                                 # first step whose best induction head scores ≥ 0.5

Read from the model folder: `training_record.json` (loss, sampled continuations, every head's previous-token
and induction score, S records) and `training_attention.npz` (the probe's attention at each record,
(L, H, T, T) per step), with `evaluation.json`'s bigram baseline. Numpy only: no model is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

INDUCTION_BAR = 0.5  # a head scoring this on repeated random tokens copies: the phase change has happened


@dataclass(frozen=True)
class Replay:
    steps: np.ndarray  # (S,) optimizer steps at which the run recorded
    tokens: np.ndarray  # (S,) training tokens seen by then
    train: np.ndarray  # (S,) training loss, nats per token
    val: np.ndarray  # (S,) validation loss on the held-out books
    bigram: float | None  # a bigram model's validation loss with the same tokenizer
    samples: list[list[dict]]  # (S,) per record: [{"prompt", "greedy", "sampled"}]
    previous: np.ndarray  # (S, L, H) previous-token score of every head
    induction: np.ndarray  # (S, L, H) induction score of every head
    probe: str  # the text whose attention was recorded
    attention: dict[int, np.ndarray]  # step → (L, H, T, T) the probe's attention then
    objective: str = "causal"  # "causal" (next token) or "masked" (TinyTales MLM)
    roles: tuple[str, ...] = ("previous_token", "induction")  # the head scores recorded, in the record's order
    next_token: np.ndarray | None = None  # (S, L, H) a masked model's heads: attention to the token after
    top1: np.ndarray | None = None  # (S,) a masked model's held-out top-1 accuracy at the masks
    baseline_top1: float | None = None  # always guessing the most frequent token: its top-1 accuracy

    def scores(self, role: str) -> np.ndarray:
        """(S, L, H) the recorded scores of heads of `role`."""
        return {"previous_token": self.previous, "induction": self.induction, "next_token": self.next_token}[role]

    def at(self, step: int) -> int:
        """The index of the recorded step nearest `step`."""
        return int(np.argmin(np.abs(self.steps - step)))


def load_replay(folder) -> Replay | None:
    """The replay of a model folder that holds a training record; None otherwise."""
    folder = Path(folder) if folder else None
    if folder is None or not (folder / "training_record.json").is_file():
        return None
    record = json.loads((folder / "training_record.json").read_text(encoding="utf-8"))
    loss = {entry["step"]: entry for entry in record["loss"]}
    heads = {entry["step"]: entry for entry in record["heads"]}
    samples = {entry["step"]: entry["samples"] for entry in record["samples"]}
    steps = sorted(set(loss) & set(heads) & set(samples))
    attention = {}
    if (folder / "training_attention.npz").is_file():
        with np.load(folder / "training_attention.npz") as stored:
            attention = {int(name.split("_")[1]): stored[name].astype(np.float32) for name in stored.files}
    evaluation = folder / "evaluation.json"
    bigram = json.loads(evaluation.read_text()).get("bigram_val_loss") if evaluation.is_file() else None
    masked = record.get("objective") == "masked"
    grid = np.array([heads[s]["previous_token"] for s in steps])  # (S, L, H)
    return Replay(
        steps=np.array(steps),
        tokens=np.array([loss[s]["tokens"] for s in steps]),
        train=np.array([loss[s]["train"] for s in steps]),
        val=np.array([loss[s]["val"] for s in steps]),
        bigram=bigram,
        samples=[samples[s] for s in steps],
        previous=np.array([heads[s]["previous_token"] for s in steps]),
        induction=np.zeros_like(grid) if masked else np.array([heads[s]["induction"] for s in steps]),
        probe=record.get("probe_prompt", ""),
        attention=attention,
        objective="masked" if masked else "causal",
        roles=("previous_token", "next_token") if masked else ("previous_token", "induction"),
        next_token=np.array([heads[s]["next_token"] for s in steps]) if masked else None,
        top1=np.array([loss[s]["top1"] for s in steps]) if masked else None,
        baseline_top1=float(loss[steps[-1]]["baseline_top1"]) if masked else None,
    )


def phase_change(replay: Replay, bar: float = INDUCTION_BAR) -> int | None:
    """The first recorded step at which some head's induction score reaches `bar`; None if none ever does (and
    for a masked model, whose record scores no induction)."""
    best = replay.induction.max(axis=(1, 2))  # (S,)
    reached = np.flatnonzero(best >= bar)
    return int(replay.steps[reached[0]]) if len(reached) else None


@dataclass(frozen=True)
class Alignment:
    """An encoder–decoder's cross-attention on one fixed probe, teacher-forced, at each recorded step of its run
    (TinyDates' record, training/train_dates.py)."""

    source: str  # the probe, e.g. "the 3rd of March, 1921"
    rows: list[str]  # (R,) decoder positions: "<s>", then the target's characters
    columns: list[str]  # (C,) the probe's characters, then "</s>"
    steps: np.ndarray  # (n,)
    patterns: np.ndarray  # (n, L, H, R, C)
    loss: np.ndarray  # (n,) training loss over the steps before (nan at step 0)
    exact: np.ndarray  # (n,) mean exact-match share over the forms, on held-out dates


def load_alignment(folder, probe: int = 0) -> Alignment | None:
    """The alignment history of probe `probe` in a model folder's record; None when it has none."""
    folder = Path(folder) if folder else None
    if folder is None or not (folder / "training_record.json").is_file():
        return None
    if not (folder / "training_attention.npz").is_file():
        return None
    record = json.loads((folder / "training_record.json").read_text(encoding="utf-8"))
    probes, history = record.get("probes"), record.get("history")
    if not probes or not history or not 0 <= probe < len(probes):
        return None
    with np.load(folder / "training_attention.npz") as stored:
        found = {int(k.split("_step_")[1]): k for k in stored.files if k.startswith(f"probe{probe}_step_")}
        entries = [h for h in history if h["step"] in found]
        patterns = np.stack([stored[found[h["step"]]].astype(np.float32) for h in entries])
    return Alignment(
        source=probes[probe]["source"],
        rows=list(probes[probe]["rows"]),
        columns=list(probes[probe]["columns"]),
        steps=np.array([h["step"] for h in entries]),
        patterns=patterns,
        loss=np.array([np.nan if h["train"] is None else h["train"] for h in entries], dtype=float),
        exact=np.array([np.mean(list(h["exact_match"].values())) for h in entries]),
    )
