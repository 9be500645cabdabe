"""Lesson 9's run: the session's fine-tuning job, through the class's queue, and the tuned copy it leaves.

One run per session lives in session state under "finetune:run" (a holder the job fills: the worker thread
never touches session state); a new run replaces it, so a session holds at most one tuned copy (~22 MB for
TinyTales with its optimizer gone). Nobody else's model changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import streamlit as st

from model.load import LoadedModel
from training.finetune import Tuned, completion_probability, finetune
from ui.jobs import Job, job_queue, session_id
from ui.lesson import chart
from ui.state import t
from viz import finetune as vf
from viz.labels import pct

RUN, JOB = "finetune:run", "job:finetune"


@dataclass(eq=False)
class Run:
    """What one press of Fine-tune asked for, and the tuned copy once the job has begun filling it."""

    model: str  # the base model's name
    examples: tuple[tuple[str, str], ...]
    method: str
    steps: int
    lr: float
    rank: int
    tuned: Tuned | None = field(default=None)


def current_run() -> Run | None:
    return st.session_state.get(RUN)


def job() -> Job | None:
    return st.session_state.get(JOB)


def busy() -> bool:
    running = job()
    return running is not None and running.active


def start(lm: LoadedModel, examples: list[tuple[str, str]], method: str, steps: int, lr: float, rank: int) -> None:
    """Submit the run to the queue; its result replaces the session's last one."""
    old = job()
    if old is not None:
        job_queue().forget(old)
    run = Run(lm.name, tuple(examples), method, steps, lr, rank)

    def work(ctx):
        def keep(tuned: Tuned) -> None:
            run.tuned = tuned

        finetune(lm, list(examples), method, steps, lr, rank, progress=ctx.report, into=keep)
        return run

    st.session_state[RUN] = run
    st.session_state[JOB] = job_queue().submit(session_id(), "fine-tuning", work)


@st.fragment(run_every=0.7)
def watch(L: str) -> None:
    """While the job waits or runs: its place or progress and the losses so far; the page reruns at its end."""
    running, run = job(), current_run()
    if running is None or not running.active or run is None:
        st.rerun()
        return
    if running.state == "queued":
        st.info(t("jobs.waiting", place=job_queue().place(running)), icon="⏳")
        return
    tuned = run.tuned
    done = len(tuned.losses) if tuned is not None else 0
    st.progress(running.progress, text=t("finetune.running", step=done, steps=run.steps))
    if st.button(t("jobs.cancel"), key="finetune_cancel"):
        job_queue().cancel(running)
    if tuned is not None:
        chart(vf.loss_figure(list(tuned.losses), list(tuned.held_out), L), key="finetune_live_loss")


def summary(run: Run, before: float) -> dict:
    """One finished run in a line: its settings, how likely its examples became, and what it forgot."""
    tuned = run.tuned
    probability = [completion_probability(tuned.model, p, c) for p, c in run.examples]
    return {
        "method": run.method,
        "rank": run.rank if run.method == "lora" else None,
        "lr": run.lr,
        "steps": len(tuned.losses),
        "facts": float(sum(probability) / len(probability)),
        "story": (before, tuned.held_out[-1][1]),
    }


def history_rows(history: list[dict], methods: dict[str, str]) -> dict[str, list]:
    """This session's runs side by side, to compare forgetting across methods and learning rates."""
    return {
        t("finetune.history.method"): [
            methods[h["method"]] + (f", r = {h['rank']}" if h["rank"] else "") for h in history
        ],
        t("finetune.lr"): [f"{h['lr']:g}" for h in history],
        t("finetune.steps"): [h["steps"] for h in history],
        t("finetune.history.facts"): [pct(h["facts"]) for h in history],
        t("finetune.history.story"): [f"{h['story'][0]:.2f} → {h['story'][1]:.2f}" for h in history],
    }
