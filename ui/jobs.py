"""One server-wide queue for heavy work (live training, fine-tuning, sweeps), so one student cannot starve the class.

    job = job_queue().submit(owner=session_id(), label="train", work=train_steps)
    job.state, job.progress, job.message, job_queue().place(job)      # 0 = running, 1 = next, …
    job_queue().cancel(job)

At most `workers` jobs run at once (default: the core count); the rest wait in order and can see their
place. A job belongs to the session that submitted it: it is cancelled when that session ends (checked by
`is_alive`) or when the session asks. `work(ctx)` reports progress with `ctx.report(fraction, message)`,
which also raises `Cancelled` once the job is cancelled, so a long loop stops at its next step. Jobs run
with torch limited to `threads` intra-op threads, so two jobs on two cores do not fight over them.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

State = Literal["queued", "running", "done", "failed", "cancelled"]


class Cancelled(Exception):
    """Raised inside a job's work when it has been cancelled."""


@dataclass(eq=False)
class Job:
    id: int
    owner: str  # the session that submitted it
    label: str
    work: Callable[[JobContext], Any]
    state: State = "queued"
    progress: float = 0.0  # in [0, 1]
    message: str = ""
    result: Any = None
    error: BaseException | None = None
    started: float | None = None
    finished: float | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


class JobContext:
    """What a running job sees: report progress, and learn that it was cancelled."""

    def __init__(self, job: Job):
        self.job = job

    @property
    def cancelled(self) -> bool:
        return self.job.cancel_requested.is_set()

    def report(self, progress: float, message: str = "") -> None:
        self.job.progress = min(1.0, max(0.0, float(progress)))
        self.job.message = message
        if self.cancelled:
            raise Cancelled()


class JobQueue:
    def __init__(
        self,
        workers: int | None = None,
        threads: int = 1,
        is_alive: Callable[[str], bool] | None = None,
        reap_every: float = 2.0,
    ):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.threads = threads
        self.is_alive = is_alive
        self._jobs: list[Job] = []  # every job not yet forgotten, in submission order
        self._ids = itertools.count(1)
        self._cond = threading.Condition()
        self._stopped = False
        self._threads = [
            threading.Thread(target=self._worker, daemon=True, name=f"job-{i}") for i in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()
        if is_alive is not None:
            threading.Thread(target=self._reaper, args=(reap_every,), daemon=True, name="job-reaper").start()

    # --- what sessions call
    def submit(self, owner: str, label: str, work: Callable[[JobContext], Any]) -> Job:
        job = Job(id=next(self._ids), owner=owner, label=label, work=work)
        with self._cond:
            self._jobs.append(job)
            self._cond.notify()
        return job

    def place(self, job: Job) -> int:
        """0 while running (or finished); n: n-th in line to start."""
        with self._cond:
            waiting = [j for j in self._jobs if j.state == "queued"]
        return waiting.index(job) + 1 if job in waiting else 0

    def cancel(self, job: Job) -> None:
        job.cancel_requested.set()
        with self._cond:
            if job.state == "queued":
                job.state, job.finished = "cancelled", time.time()

    def cancel_owner(self, owner: str) -> int:
        """Cancel every active job of a session (it ended); returns how many."""
        mine = self.jobs_of(owner)
        for job in mine:
            self.cancel(job)
        return len(mine)

    def jobs_of(self, owner: str, active_only: bool = True) -> list[Job]:
        with self._cond:
            return [j for j in self._jobs if j.owner == owner and (j.active or not active_only)]

    def running(self) -> list[Job]:
        with self._cond:
            return [j for j in self._jobs if j.state == "running"]

    def forget(self, job: Job) -> None:
        with self._cond:
            if not job.active and job in self._jobs:
                self._jobs.remove(job)

    def shutdown(self) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify_all()
        for job in list(self._jobs):
            self.cancel(job)

    # --- inside
    def _next(self) -> Job | None:
        with self._cond:
            while not self._stopped:
                for job in self._jobs:
                    if job.state == "queued":
                        job.state, job.started = "running", time.time()
                        return job
                self._cond.wait()
        return None

    def _worker(self) -> None:
        while (job := self._next()) is not None:
            self._run(job)

    def _run(self, job: Job) -> None:
        try:
            import torch

            torch.set_num_threads(self.threads)  # process-wide: bounds every job alike
        except ImportError:
            pass
        try:
            if job.cancel_requested.is_set():
                raise Cancelled()
            job.result = job.work(JobContext(job))
            job.state, job.progress = "done", 1.0
        except Cancelled:
            job.state = "cancelled"
        except Exception as err:  # noqa: BLE001 — kept on the job, shown to its session as a message
            job.error, job.state = err, "failed"
        finally:
            job.finished = time.time()

    def _reaper(self, every: float) -> None:
        while not self._stopped:
            time.sleep(every)
            with self._cond:
                owners = {j.owner for j in self._jobs if j.active}
            for owner in owners:
                try:
                    alive = self.is_alive(owner)
                except Exception:  # noqa: BLE001 — a failing check never kills the reaper
                    alive = True
                if not alive:
                    self.cancel_owner(owner)


# --- Streamlit glue (imported lazily: the queue above is plain Python, tested without a server)


def session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx else "no-session"


def _session_alive(owner: str) -> bool:
    """Whether the session still has a browser; without a server runtime (AppTest, a script) there is nobody
    to ask, and every session counts as alive."""
    from streamlit.runtime import Runtime

    return not Runtime.exists() or Runtime.instance().is_active_session(owner)


def job_queue() -> JobQueue:
    """The server's queue (one per process), created on first use."""
    import streamlit as st

    @st.cache_resource(show_spinner=False)
    def _queue() -> JobQueue:
        workers = int(os.environ.get("WALKTHROUGH_JOBS", "0")) or None
        return JobQueue(workers=workers, threads=1, is_alive=_session_alive)

    return _queue()
