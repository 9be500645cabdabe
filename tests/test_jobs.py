"""The server-wide job queue: bounded concurrency, places in line, progress, cancel, sessions' own jobs."""

from __future__ import annotations

import threading
import time

from ui.jobs import JobQueue


def wait_for(condition, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def blocking_work(release: threading.Event, steps: int = 5):
    def work(ctx):
        for i in range(steps):
            release.wait()
            ctx.report((i + 1) / steps, f"step {i + 1}")
        return "finished"

    return work


def test_at_most_j_jobs_run_and_the_rest_see_their_place():
    queue, release = JobQueue(workers=2), threading.Event()
    jobs = [queue.submit(f"session-{i % 2}", f"job {i}", blocking_work(release)) for i in range(4)]
    assert wait_for(lambda: len(queue.running()) == 2)
    assert [j.state for j in jobs] == ["running", "running", "queued", "queued"]
    assert [queue.place(j) for j in jobs] == [0, 0, 1, 2]
    release.set()
    assert wait_for(lambda: all(j.state == "done" for j in jobs))
    assert all(j.result == "finished" and j.progress == 1.0 for j in jobs)
    queue.shutdown()


def test_progress_is_visible_while_running_and_cancel_stops_at_the_next_step():
    queue, gate = JobQueue(workers=1), threading.Semaphore(0)

    def work(ctx):
        for i in range(100):
            gate.acquire()
            ctx.report((i + 1) / 100, f"step {i + 1}")

    job = queue.submit("a", "train", work)
    gate.release()
    gate.release()
    assert wait_for(lambda: job.progress >= 0.02)
    assert job.message == "step 2" and job.state == "running"
    queue.cancel(job)
    gate.release()
    assert wait_for(lambda: job.state == "cancelled")
    assert job.progress < 0.1
    queue.shutdown()


def test_two_sessions_get_their_own_results_and_cancelling_one_leaves_the_other():
    queue, release = JobQueue(workers=2), threading.Event()
    a = queue.submit("alice", "sum", blocking_work(release, steps=2))
    b = queue.submit("bob", "long", blocking_work(release, steps=3))
    b2 = queue.submit("bob", "queued", lambda ctx: "never")
    assert wait_for(lambda: a.state == b.state == "running")
    assert queue.jobs_of("alice") == [a] and queue.jobs_of("bob") == [b, b2]
    assert queue.cancel_owner("bob") == 2
    release.set()
    assert wait_for(lambda: a.state == "done" and b.state == "cancelled" and b2.state == "cancelled")
    assert a.result == "finished" and b.result is None and b2.result is None
    queue.shutdown()


def test_a_job_whose_session_ended_is_cancelled():
    alive = {"alice": True, "bob": True}
    queue = JobQueue(workers=1, is_alive=lambda owner: alive[owner], reap_every=0.05)

    def slow(ctx):
        for i in range(1000):
            time.sleep(0.01)
            ctx.report(i / 1000)

    job = queue.submit("bob", "long", slow)
    assert wait_for(lambda: job.state == "running")
    alive["bob"] = False  # the browser tab closed
    assert wait_for(lambda: job.state == "cancelled")
    queue.shutdown()


def test_a_failing_job_keeps_its_error_and_the_queue_goes_on():
    queue = JobQueue(workers=1)

    def boom(ctx):
        raise ValueError("bad settings")

    bad, good = queue.submit("a", "boom", boom), queue.submit("a", "ok", lambda ctx: 1)
    assert wait_for(lambda: good.state == "done")
    assert bad.state == "failed" and isinstance(bad.error, ValueError)
    queue.shutdown()


def test_jobs_bound_torch_threads():
    import torch

    before = torch.get_num_threads()
    queue = JobQueue(workers=1, threads=1)
    job = queue.submit("a", "threads", lambda ctx: torch.get_num_threads())
    assert wait_for(lambda: job.state == "done")
    assert job.result == 1
    queue.shutdown()
    torch.set_num_threads(before)
