"""A real browser walk: Playwright drives Debian's Chromium against `streamlit run app.py`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ui.pages import WALK

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium; .ci/run installs it)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    port = free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("streamlit did not start: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        yield page
        browser.close()


def wait_for_charts(page, at_least: int = 1) -> int:
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {at_least}", timeout=90_000
    )
    return page.locator(".js-plotly-plot").count()


def assert_no_error(page):
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0


def test_a_fresh_servers_first_deep_link_shows_the_walks_own_navigation(server, page):
    """First in this file: the server has not yet run app.py's st.navigation (Streamlit's legacy pages mode)."""
    page.goto(f"{server}/attention?lang=zh")
    wait_for_charts(page)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0  # Streamlit's list of files never shows
    links = page.locator("[data-testid='stPageLink']").all_inner_texts()
    assert any("注意力" in text for text in links) and len(links) >= len(WALK)
    assert_no_error(page)


def test_walk_every_page_and_type_a_prompt(server, page):
    page.goto(server)
    page.wait_for_selector("[role=figure]", timeout=90_000)  # the overview's pipeline (HTML boxes)
    assert_no_error(page)
    for lesson in WALK[1:]:
        page.goto(f"{server}/{lesson.url_path}")
        if lesson.key == "finetune":  # its charts come from a run: start one, as a student would
            page.get_by_role("button", name="Fine-tune").click(timeout=90_000)
        wait_for_charts(page)
        assert_no_error(page)
    box = page.locator("textarea").first
    box.fill("The king said to the dragon")
    box.press("Control+Enter")
    page.wait_for_function("window.location.search.includes('dragon')", timeout=60_000)
    wait_for_charts(page)
    assert_no_error(page)


def test_a_shared_link_opens_the_same_view_in_chinese(server, page):
    page.goto(f"{server}/attention?lang=zh&prompt=从前有一个小女孩&layer=1&head=2")
    wait_for_charts(page, 2)
    assert_no_error(page)
    assert "注意力" in page.locator("h1").first.inner_text()


OVERFLOW = """() => {
  const width = window.innerWidth;
  const main = document.querySelector("[data-testid='stMain']");
  const wide = [...main.querySelectorAll(".js-plotly-plot, [role=figure], [data-testid='stMarkdownContainer']")]
    .map(el => el.getBoundingClientRect()).filter(r => r.width > 0 && (r.right > width + 1 || r.left < -1));
  return {page: document.scrollingElement.scrollWidth - width, main: main.scrollWidth - main.clientWidth,
          wide: wide.length};
}"""


@pytest.mark.parametrize("width", [420, 1024, 1280, 1920])
def test_the_overview_and_a_lesson_fit_every_screen_width(server, page, width):
    """A phone, a 1024-px projector, a laptop, a wide monitor: nothing runs off the side of the window."""
    page.set_viewport_size({"width": width, "height": 1400})
    paths = [("?lang=zh", 0), ("/attention?lang=en", 2)] + ([("/blocks?lang=zh", 3)] if width == 1024 else [])
    for path, charts in paths:
        page.goto(f"{server}/{path.lstrip('/')}")
        if charts:
            wait_for_charts(page, charts)
        else:
            page.wait_for_selector("[role=figure]", timeout=90_000)
        page.wait_for_timeout(300)  # Plotly's resize to the column
        assert_no_error(page)
        overflow = page.evaluate(OVERFLOW)
        assert overflow == {"page": 0, "main": 0, "wide": 0}, (width, path, overflow)
