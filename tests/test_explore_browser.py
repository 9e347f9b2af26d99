"""The explore page in a real headless Chromium: start it as a user does, turn a control, run
the year, and read the numbers off the page; they must be ``commsim run``'s.

Debian's ``chromium`` is driven through Playwright (no browser download). Without it the test
skips locally, but fails under CI (``CI=true``, set by .ci/run, which installs Chromium). Every
request to a host other than the page's is refused and counted: the page must work with no
network. The screenshot and the time from start to first view are left in tests/artifacts/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.metrics import KEY_METRICS
from sim.scenario import load_scenario

ARTIFACTS = Path(__file__).parent / "artifacts"
COPY_FOR_PEOPLE = Path("/tmp/explore.png")
STAFF = 12.0


def _missing(why: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: the browser test must run in CI (.ci/run installs chromium)")
    pytest.skip(why)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    _missing("no chromium on PATH (apt-get install chromium)")
    raise AssertionError("unreachable")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str], float]]:
    """``commsim explore`` as a user starts it, without a display: its address, what it
    printed and when it was started. Skips (fails in CI) without what the test needs."""
    try:
        import playwright  # noqa: F401
        import solara  # noqa: F401  (the page's own dependency)
    except ImportError as err:
        _missing(f"{err.name} is not installed (pip install -e '.[dev,explore]')")
    _chromium()
    from analysis.explore.server import free_port

    port = free_port("127.0.0.1")
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    started = time.perf_counter()
    process = subprocess.Popen([str(Path(sys.executable).with_name("commsim")), "explore",
                                "--port", str(port)], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, text=True)
    printed: list[str] = []
    try:
        assert process.stdout is not None
        while len(printed) < 2:               # the address, then "no browser could be opened"
            line = process.stdout.readline()
            if not line:
                pytest.fail(f"commsim explore ended: {printed}")
            printed.append(line.strip())
        yield f"http://127.0.0.1:{port}/", printed, started
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _set_field(page, selector: str, value: str, done: str, attempts: int = 3) -> None:
    """Type ``value`` into a field and press Enter until the page shows ``done``. On a loaded
    machine a re-render may replace the field between typing and Enter, losing the value; a
    person would type it again, and so does this."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        field = page.locator(selector)
        field.fill(value)
        field.press("Enter")
        try:
            page.wait_for_function(done, timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def _cli_numbers(tmp_path: Path) -> dict[str, float]:
    from analysis.explore.session import Choices, load_base

    choices = Choices(values={"staffing.staff_per_community": STAFF})
    options = [part for option in choices.set_options(load_base("baseline"))
               for part in ("--set", option)]
    result = CliRunner().invoke(main, ["run", "baseline", "--reps", "1", "--seed", "0",
                                       "--format", "json", *options])
    assert result.exit_code == 0, result.output
    return {name: value["mean"] for name, value in json.loads(result.output)["metrics"].items()}


def test_the_page_shows_the_clis_numbers(server, tmp_path):
    from playwright.sync_api import sync_playwright

    from analysis.explore.session import shown

    browser_path = _chromium()
    url, printed, started = server
    assert printed[0].startswith(f"commsim explore: {url}")
    assert "no browser could be opened" in printed[1]
    elsewhere: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path,
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1500, "height": 1300})

        def local_only(route) -> None:
            if route.request.url.startswith(url):
                route.continue_()
            else:
                elsewhere.append(route.request.url)
                route.abort()

        page.route("**/*", local_only)
        page.goto(url)
        page.wait_for_selector(".commsim-metric-admin_share", timeout=120_000)
        first_view = time.perf_counter() - started
        (ARTIFACTS / "explore_first_view.txt").write_text(f"{first_view:.1f} s\n")

        day = "document.querySelector('.commsim-day').innerText"
        page.click(".commsim-play")
        page.wait_for_function(f"!{day}.startsWith('Working day 0 of')")
        page.click(".commsim-pause")
        page.wait_for_selector(".commsim-play:not([disabled])")
        paused = page.inner_text(".commsim-day")
        page.wait_for_timeout(500)
        assert page.inner_text(".commsim-day") == paused
        page.click(".commsim-reset")
        page.wait_for_function(f"{day}.startsWith('Working day 0 of')")
        page.click(".commsim-step")
        page.wait_for_function(f"{day}.startsWith('Working day 5 of')")
        page.wait_for_selector(".commsim-play:not([disabled])", timeout=60_000)  # settled
        _set_field(page, ".commsim-control-staffing-staff_per_community input", str(STAFF),
                   f"{day}.startsWith('Working day 0 of')")   # a new setting: back to day 0
        page.click(".commsim-to-end")
        page.wait_for_function(
            f"{day}.startsWith('Working day 250 of')"
            " && document.querySelector('.commsim-metric-admin_share').innerText !== '—'")
        on_page = {name: page.inner_text(f".commsim-metric-{name}") for name in KEY_METRICS}

        page.click(".commsim-community-7")
        page.wait_for_selector(".commsim-community-state:has-text('C008')")
        page.click(".commsim-language")
        page.wait_for_selector("text=第250个工作日")
        page.wait_for_timeout(1000)      # the charts' images arrive after the text
        page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
        shutil.copyfile(ARTIFACTS / "explore.png", COPY_FOR_PEOPLE)

        page.click(".commsim-save")
        page.wait_for_selector(".commsim-saved")
        browser.close()
    expected = _cli_numbers(tmp_path)
    assert on_page == {name: shown(name, expected[name]) for name in KEY_METRICS}
    assert not elsewhere, f"the page asked other hosts for {elsewhere}"
    written = load_scenario(tmp_path / "explore_scenario.toml")
    assert written["staffing.staff_per_community"] == STAFF
