"""Lesson 8's live run: a tiny model of the session's own, trained through the job queue while the page watches.

The run (`training.live.LiveRun`) lives in session state under "live:run" with the text and tokenizer it was
built on; Train submits up to `SECONDS` of steps as a job, Pause cancels it (the steps done are kept), Step takes
one step at once, Start over builds a fresh model. While a job runs, a fragment redraws the loss every second.
"""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from lessons import t as lesson_text
from training.live import MAX_CHARS, RATES, LiveConfig, LiveRun, TextTooShort, passage
from ui.jobs import job_queue, session_id
from ui.lesson import chart
from ui.state import kept, t, t_model
from viz import heads as vh
from viz import learning as vl

SECONDS = 60  # one press of Train: about a minute on one core, as the class's queue allows
MOST_STEPS = 2_000  # and never more steps than this in one press
SOURCES = ("passage", "own")
RUN, JOB = "live:run", "job:live"


def _text() -> str:
    kept("_learning.live_text", "passage", lambda s: s in SOURCES)
    names = {s: t(f"learning.live.source.{s}") for s in SOURCES}  # fixed now: format_func must not read state later
    source = st.radio(
        t("learning.live.source"), SOURCES, key="_learning.live_text", horizontal=True, format_func=names.get
    )
    if source == "passage":
        return passage()
    own = st.text_area(t("learning.live.own"), key="live:own", height=120, max_chars=MAX_CHARS)
    return own


def _run_for(lm, text: str, rate: float) -> LiveRun | None:
    """The session's run on this text and tokenizer: kept while they stay, built afresh when they change (and
    no job is running). None, with a message, when the text is too short."""
    state = st.session_state
    digest = hashlib.sha1(f"{lm.name}\n{text}".encode()).hexdigest()
    run = state.get(RUN)
    job = state.get(JOB)
    busy = job is not None and job.active
    if run is not None and (getattr(run, "digest", None) == digest or busy):
        return run
    try:
        run = LiveRun(lm.tokenizer, text, LiveConfig(lr=rate))
    except TextTooShort as err:
        st.warning(t("learning.live.too_short", tokens=err.tokens, needed=err.needed), icon="✍️")
        return None
    run.digest = digest
    state[RUN] = run
    return run


def _set_rate(run: LiveRun, rate: float) -> None:
    """The rate applies from the next step on (the run's own warm-up still scales its first 20)."""
    if run.config.lr != rate:
        run.config = LiveConfig(**{**run.config.__dict__, "lr": rate})


def _train_job(run: LiveRun):
    def work(ctx):
        run.train(MOST_STEPS, SECONDS, progress=ctx.report)
        return run.step

    return work


def _view(run: LiveRun, L: str) -> None:
    history = run.history
    n = min(len(history.steps), len(history.loss))
    chart(
        vl.live_loss_figure(history.steps[:n], history.loss[:n], list(history.val), run.start_loss, L),
        key="learning_live_loss",
    )
    if n:
        best = min(history.val, key=lambda p: p[1]) if history.val else None
        st.caption(
            t(
                "learning.live.numbers",
                step=run.step,
                loss=history.loss[n - 1],
                start=run.start_loss,
                speed=run.steps_per_second,
            )
            + (" " + t("learning.live.best", step=best[0], loss=best[1]) if best else "")
        )
    if history.samples:
        step, sample = history.samples[-1]
        st.markdown(t("learning.live.sample", step=step, text=sample.replace("\n", " ⏎ ")))
    if history.heads:
        step, previous, induction = history.heads[-1]
        left, right = st.columns(2)
        for col, role, grid in ((left, "previous_token", previous), (right, "induction", induction)):
            title = t("learning.heads.title", role=lesson_text(f"heads.role.{role}", L), step=step)
            with col:
                chart(
                    vh.head_grid_figure(np.asarray(grid), title, t("heads.unit.share"), L, bound=1.0),
                    key=f"live_{role}",
                )


@st.fragment(run_every=1.0)
def _watch(L: str) -> None:
    """While the job waits or runs: its place or progress, Pause, and the loss so far; the page reruns at its end."""
    state = st.session_state
    job, run = state.get(JOB), state.get(RUN)
    if job is None or not job.active or run is None:
        st.rerun()
        return
    if job.state == "queued":
        st.info(t("jobs.waiting", place=job_queue().place(job)), icon="⏳")
    else:
        st.progress(job.progress, text=t("learning.live.running", step=run.step, seconds=SECONDS))
    if st.button(t("learning.live.pause"), key="live_pause", icon=":material/pause:"):
        job_queue().cancel(job)
    _view(run, L)


def live_section(lm, L: str) -> None:
    """The whole live-training section of lesson 8."""
    st.subheader(t("learning.live"))
    st.markdown(t("learning.live.explain", seconds=SECONDS))
    text = _text()
    kept("_learning.live_lr", 3e-3, lambda r: r in RATES)
    rate = st.select_slider(t("learning.live.rate"), RATES, key="_learning.live_lr", format_func=lambda r: f"{r:g}")
    if len(text) >= MAX_CHARS:
        st.caption(t("learning.live.cut", most=MAX_CHARS))
    run = _run_for(lm, text, rate)
    if run is None:
        return
    _set_rate(run, rate)
    state = st.session_state
    job = state.get(JOB)
    busy = job is not None and job.active
    st.caption(
        t(
            "learning.live.shape",
            tokens=run.tokens,
            vocab=len(run.vocab),
            held=0 if run.held_out is None else len(run.held_out),
        )
    )
    play, one, again = st.columns(3)
    if play.button(
        t("learning.live.train", seconds=SECONDS),
        key="live_train",
        type="primary",
        disabled=busy,
        icon=":material/play_arrow:",
    ):
        if job is not None:
            job_queue().forget(job)
        state[JOB] = job_queue().submit(session_id(), "live training", _train_job(run))
        busy = True
    if one.button(t("learning.live.step"), key="live_step", disabled=busy, icon=":material/skip_next:"):
        run.train(1)
    if again.button(t("learning.live.reset"), key="live_reset", disabled=busy, icon=":material/restart_alt:"):
        state.pop(RUN, None)
        run = _run_for(lm, text, rate)
        if run is None:
            return
    job = state.get(JOB)
    if busy:
        _watch(L)
        return
    if job is not None and job.state == "failed":
        st.error(t("jobs.failed", error=str(job.error)[:300]), icon="⚠️")
    if not run.step:
        st.info(t("learning.live.ready"))
        return
    _view(run, L)
    st.markdown(t_model("learning.live.try"))
