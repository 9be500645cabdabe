"""A heavy computation on a page, through the server's job queue: a button, the place in line or the progress
with a Cancel button while it waits or runs, then the result.

    result = job_panel("sweep", t("heads.sweep.run"), lambda ctx: ablation_sweep(..., progress=ctx.report))
    if result is not None: draw(result)

The job and its result live in session state under "job:<key>" (not a page key: buttons cannot be re-assigned), so they survive reruns; a new start replaces
the old job. While it is active a fragment polls twice a second and reruns the page once it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from ui.jobs import JobContext, job_queue, session_id
from ui.state import t


def job_panel(key: str, start_label: str, work: Callable[[JobContext], Any], label: str = "") -> Any | None:
    """The result of `work` once its job is done (None before, or when it failed or was cancelled, with a
    message saying so). `key` names this panel on the page; `label` the job in the queue."""
    state = st.session_state
    job = state.get(f"job:{key}")
    busy = job is not None and job.active
    if st.button(start_label, key=f"job_start:{key}", disabled=busy, type="primary"):
        if job is not None:
            job_queue().forget(job)
        job = job_queue().submit(session_id(), label or key, work)
        state[f"job:{key}"] = job
    if job is None:
        return None
    if job.active:
        _progress(key)
        return None
    if job.state == "done":
        return job.result
    if job.state == "failed":
        st.error(t("jobs.failed", error=str(job.error)[:300]), icon="⚠️")
    else:
        st.info(t("jobs.cancelled"))
    return None


@st.fragment(run_every=0.5)
def _progress(key: str) -> None:
    job = st.session_state.get(f"job:{key}")
    if job is None or not job.active:
        st.rerun()  # the whole page, to draw the result
        return
    place = job_queue().place(job)
    if job.state == "queued":
        st.info(t("jobs.waiting", place=place), icon="⏳")
    else:
        st.progress(job.progress, text=job.message or t("jobs.running"))
    if st.button(t("jobs.cancel"), key=f"job_cancel:{key}"):
        job_queue().cancel(job)
