"""Server-side time of a rerun after a prompt change, on every page (Streamlit's AppTest).

    python bench/page_times.py [--runs 3]

For TinyTales at about 32 and about 256 tokens: each page is opened once (model loaded, caches warm),
then the prompt is changed and the rerun timed — the trace for the new prompt is computed inside
that rerun, as when a user edits the prompt. Prints the median over --runs different prompts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from ui.pages import WALK  # noqa: E402

SENTENCE = "Once upon a time there was a little girl who lived in a wood with her old grandmother. "


def prompt_of(tokens: int, variant: int) -> str:
    """A prompt of roughly `tokens` TinyTales tokens (about 19 per sentence), different per variant."""
    sentences = max(1, round(tokens / 19))
    return f"Story {variant}. " + SENTENCE * sentences


def rerun_seconds(page: str, tokens: int, runs: int) -> float:
    at = AppTest.from_file(str(ROOT / "walk.py"), default_timeout=120)
    at.query_params = {"prompt": prompt_of(tokens, 0)}
    at.run()
    if page != WALK[0].file:
        at.switch_page(page).run()
    times = []
    for variant in range(1, runs + 1):
        at.text_area(key="prompt").set_value(prompt_of(tokens, variant))
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
        assert page == WALK[0].file or at.get("plotly_chart"), f"{page}: no chart after the rerun"  # overview: HTML
        assert f"Story {variant}." in str(at.query_params.get("prompt")), "the rerun did not take the new prompt"
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'page':<12} {'~32 tokens (s)':>15} {'~256 tokens (s)':>16} {'ratio':>6}")
    for page in WALK:
        short = rerun_seconds(page.file, 32, args.runs)
        long = rerun_seconds(page.file, 250, args.runs)
        print(f"{page.key:<12} {short:>15.2f} {long:>16.2f} {long / short:>6.1f}")


if __name__ == "__main__":
    main()
