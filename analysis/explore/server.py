"""Start the explore page: check everything a user can get wrong first, then run Solara.

The scenario is loaded and the page's default settings validated before any server starts,
so a bad scenario gives ``commsim run``'s message; a port already taken is named with a
free one to try; the page is served from this machine only (Solara's front end comes from
the ``solara-assets`` package of the [explore] extra, never a CDN). With no display, the
address is printed and the user is told to open it; nothing crashes.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from collections.abc import Callable
from pathlib import Path

from sim.errors import UserError

PAGE = "analysis.explore.page:Page"
ENV_SCENARIO = "COMMSIM_EXPLORE_SCENARIO"   # names the page's scenario file to the page
START_TIMEOUT_SECONDS = 120
# Solara settings that keep the page on this machine: assets through Solara's own server (its
# "proxy", which serves them from the solara-assets package; without the proxy the browser
# would fetch them from a CDN), no usage telemetry; quiet about the session cookie on a
# plain-http loopback.
OFFLINE = {"SOLARA_ASSETS_PROXY": "true", "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false",
           "PYTHONWARNINGS": "ignore:Cookies with samesite"}
INSTALL_HINT = "install with pip install 'commsim[explore]' or make explore"


def require_page_dependencies() -> None:
    """Solara and its local assets, or a UserError saying how to install them."""
    for module in ("solara", "solara_assets"):
        try:
            __import__(module)
        except ImportError:
            raise UserError(f"commsim explore needs the {module.replace('_', '-')} package: "
                            f"{INSTALL_HINT}") from None


def check_scenario(scenario: str | Path) -> Path:
    """Load the scenario and build the page's default settings from it: a UserError, the
    same as ``commsim run``'s, before anything starts. Returns the scenario file."""
    from analysis.explore.session import Choices, load_base

    base = load_base(scenario)
    Choices().scenario(base)
    assert base.path is not None
    return base.path


def check_port(host: str, port: int) -> None:
    """A UserError naming host and port when nothing can listen there."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as err:
            reason = ("already in use" if err.errno == errno.EADDRINUSE
                      else err.strerror or str(err))
            raise UserError(f"--host {host} --port {port}: cannot listen there ({reason}); "
                            f"choose another --port, e.g. --port {free_port(host)}") from None


def free_port(host: str) -> int:
    """A port nothing listens on now."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def has_display() -> bool:
    """Whether a graphical browser could open here: on Linux only with a display (without
    one, ``webbrowser`` might start a text browser inside this terminal)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def start(scenario_file: Path, host: str, port: int) -> subprocess.Popen[bytes]:
    """Solara serving the page, in its own process (Ctrl+C stops both)."""
    from analysis.style import font_path

    env = {**os.environ, **OFFLINE, ENV_SCENARIO: str(scenario_file),
           "SOLARA_ASSETS_EXTRA_LOCATIONS": str(font_path().parent)}
    command = [sys.executable, "-m", "solara", "run", PAGE, "--host", host,
               "--port", str(port), "--production", "--no-open", "--no-check-version",
               "--log-level", "warning"]
    # Solara's own lines go to stderr: stdout carries only commsim's (the address).
    return subprocess.Popen(command, env=env, cwd=os.getcwd(), stdout=sys.stderr)


def wait_until_up(process: subprocess.Popen[bytes], url: str) -> None:
    """Return once the page answers; a UserError if the server exits or never answers."""
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UserError(f"the page's server stopped (exit status {process.returncode}) "
                            "before serving; its messages are above")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.terminate()
    raise UserError(f"the page did not answer at {url} within {START_TIMEOUT_SECONDS} s")


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def explore(scenario: str | Path, host: str, port: int, open_browser: bool,
            say: Callable[[str], None]) -> None:
    """Check, start, print the address, open a browser if one can be, serve until stopped."""
    require_page_dependencies()
    scenario_file = check_scenario(scenario)
    check_port(host, port)
    started = time.perf_counter()
    signal.signal(signal.SIGTERM, _stop)     # a terminated command takes its server along
    process = start(scenario_file, host, port)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/"
    try:
        wait_until_up(process, url)
        say(f"commsim explore: {url} (ready in {time.perf_counter() - started:.1f} s; "
            "Ctrl+C stops it)")
        if open_browser:
            opened = has_display() and webbrowser.open(url)
            if not opened:
                say("commsim explore: no browser could be opened here (no display); open "
                    "the address above in a browser on this machine")
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=10)
