"""A class on one server: N simulated students open the link at once and walk every page.

    python bench/class_load.py [--students 30] [--think 8] [--port 8650] [--url ws://host:port]

Starts a fresh `streamlit run app.py` (unless --url names a running one), and as soon as it answers,
N students connect through Streamlit's own websocket protocol, within the same three seconds. Each
opens the link with a prompt of their own (every third student in Chinese, with `lang=zh`), then walks
every page of the walk in order, pausing about --think seconds (0.5× to 1.5×, at random) between
clicks, as a browser does: the client state it sends carries the query string the app last wrote.

A page's time is from the request to Streamlit's "script finished", measured at the student. Printed:
p50/p95/max over all page loads and per page, the errors any student saw (an exception or an error box
in the page), the sessions lost (closed or silent for --timeout seconds), and the server's peak memory
(resident set of the server and its children, sampled every 0.2 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import psutil
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ui.pages import WALK  # noqa: E402

EN = "Once upon a time a {who} found a small {thing} in the wood and took it home."
ZH = "从前有一个{who}，在森林里捡到一个{thing}，把它带回了家。"
WHO = (("girl", "小女孩"), ("boy", "小男孩"), ("king", "国王"), ("fox", "狐狸"), ("farmer", "农夫"))
THING = (("box", "盒子"), ("bird", "小鸟"), ("stone", "石头"), ("key", "钥匙"), ("cup", "杯子"), ("bell", "铃铛"))


def student_link(i: int) -> dict[str, str]:
    """Student i's own prompt: every third one in Chinese."""
    who, thing = WHO[i % len(WHO)], THING[(i // len(WHO)) % len(THING)]
    if i % 3 == 2:
        return {"lang": "zh", "prompt": ZH.format(who=who[1], thing=thing[1]) + f"（{i}）"}
    return {"prompt": EN.format(who=who[0], thing=thing[0]) + f" ({i})"}


@dataclass
class Student:
    index: int
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lost: str | None = None


class Page:
    """One page run as the student sees it: what came back until the script finished."""

    def __init__(self) -> None:
        self.query_string: str | None = None
        self.problems: list[str] = []


async def run_page(ws, query_string: str, page_name: str, timeout: float) -> tuple[Page, float]:
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_name = page_name
    page = Page()
    t0 = time.perf_counter()
    await ws.send(msg.SerializeToString())
    deadline = t0 + timeout
    while True:
        raw = await asyncio.wait_for(ws.recv(), timeout=max(0.1, deadline - time.perf_counter()))
        fwd = ForwardMsg()
        fwd.ParseFromString(raw)
        kind = fwd.WhichOneof("type")
        if kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
            element = fwd.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                page.problems.append(f"exception: {element.exception.type}: {element.exception.message[:120]}")
            elif which == "alert" and element.alert.format == 1:  # ERROR
                page.problems.append(f"error box: {element.alert.body[:120]}")
        elif kind == "page_info_changed":
            page.query_string = fwd.page_info_changed.query_string
        elif kind == "page_not_found":
            page.problems.append(f"page not found: {page_name}")
        elif kind == "script_finished":
            if fwd.script_finished == 1:  # FINISHED_WITH_COMPILE_ERROR
                page.problems.append("the script did not compile")
            if fwd.script_finished != 2:  # not "finished early for a rerun"
                return page, time.perf_counter() - t0


async def student(i: int, url: str, think: float, timeout: float, rng: random.Random) -> Student:
    me = Student(i)
    await asyncio.sleep(rng.uniform(0, 3))
    query_string = urlencode(student_link(i))
    try:
        async with websockets.connect(f"{url}/_stcore/stream", subprotocols=["streamlit"], max_size=None) as ws:
            for n, info in enumerate(WALK):
                if n:
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                page, seconds = await run_page(ws, query_string, "" if n == 0 else info.url_path, timeout)
                me.times.setdefault(info.key, []).append(seconds)
                me.errors += [f"{info.key}: {p}" for p in page.problems]
                if page.query_string is not None:
                    query_string = page.query_string
    except (TimeoutError, asyncio.TimeoutError):
        me.lost = f"no answer within {timeout:.0f} s"
    except websockets.ConnectionClosed as exc:
        me.lost = f"connection closed ({exc})"
    except OSError as exc:
        me.lost = f"could not connect ({exc})"
    return me


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and its children until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
            except psutil.Error:
                pass
            self.stop.wait(0.2)


def start_server(port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    cmd += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    server = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=os.environ.copy())
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(
                    "the server did not start:\n" + server.stderr.read().decode(errors="replace")
                ) from None
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not answer within 60 s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def walk_class(n: int, url: str, think: float, timeout: float, seed: int) -> list[Student]:
    rng = random.Random(seed)
    return await asyncio.gather(*(student(i, url, think, timeout, random.Random(rng.random())) for i in range(n)))


def report(students: list[Student], wall: float, peak: int | None) -> None:
    every = [t for s in students for ts in s.times.values() for t in ts]
    print(f"{len(students)} students, {len(every)} page loads in {wall:.0f} s")
    if every:
        print(
            f"page time  p50 {statistics.median(every):.2f} s   p95 {percentile(every, 0.95):.2f} s   max {max(every):.2f} s"
        )
    print(f"{'page':<12} {'p50 (s)':>8} {'p95 (s)':>8} {'max (s)':>8}")
    for info in WALK:
        ts = [t for s in students for t in s.times.get(info.key, [])]
        if ts:
            print(f"{info.key:<12} {statistics.median(ts):>8.2f} {percentile(ts, 0.95):>8.2f} {max(ts):>8.2f}")
    errors = [f"student {s.index}, {e}" for s in students for e in s.errors]
    lost = [f"student {s.index}: {s.lost}" for s in students if s.lost]
    print(f"errors shown: {len(errors)}   sessions lost: {len(lost)}")
    for line in (errors + lost)[:20]:
        print("  " + line)
    if peak is not None:
        print(f"server peak memory: {peak / 2**30:.2f} GB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--think", type=float, default=8.0, help="mean seconds between a student's clicks")
    parser.add_argument("--port", type=int, default=8650)
    parser.add_argument("--url", help="a running server, e.g. ws://127.0.0.1:8501 (memory is then not measured)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds without an answer = a lost session")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    server = None if args.url else start_server(args.port)
    memory = PeakMemory(server.pid) if server else None
    if memory:
        memory.start()
    url = args.url or f"ws://127.0.0.1:{args.port}"
    try:
        t0 = time.perf_counter()
        students = asyncio.run(walk_class(args.students, url, args.think, args.timeout, args.seed))
        wall = time.perf_counter() - t0
    finally:
        if memory:
            memory.stop.set()
            memory.join()
        if server:
            server.terminate()
            server.wait(timeout=30)
    report(students, wall, memory.peak if memory else None)


if __name__ == "__main__":
    main()
