"""Start-up stays fast: the CLI module loads only the standard library, click and light modules.

Every ``commsim`` call imports ``sim.cli``; anything it imports at module
level is paid on every start, ``--help`` included. The check is an allowlist,
so a new heavy dependency (plotting, Solara, EMA Workbench, NumPy) creeping
into start-up fails here instead of going unnoticed. Each probe runs in a
fresh interpreter, because this test process has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT, SCENARIOS

# Our own modules allowed at CLI import: each imports only the standard library and click.
LIGHT_MODULES = {"sim", "sim.cli", "sim.errors", "sim.languages", "sim.metrics", "sim.param",
                 "sim.parameters", "analysis", "analysis.commands", "analysis.labels",
                 "analysis.numbers"}
# Third-party top-level packages allowed at CLI import: click and its own dependencies.
LIGHT_PACKAGES = {"click", "colorama"}
# What the simulation and the charts need, and no light command should load.
HEAVY = {"mesa", "scipy", "matplotlib", "SALib", "networkx", "solara", "ema_workbench",
         "sklearn"}

PROBE = """
import atexit, json, sys
atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))
{code}
"""


def modules_loaded(code: str) -> set[str]:
    """The modules in sys.modules after ``code`` runs in a fresh interpreter (at exit)."""
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def added_by(code: str) -> set[str]:
    """Modules ``code`` loads beyond a bare interpreter (site hooks and .pth files included)."""
    return modules_loaded(code) - modules_loaded("pass")


def test_importing_the_cli_loads_only_the_standard_library_click_and_light_modules():
    added = added_by("import sim.cli")
    foreign = {m for m in added if m.split(".")[0] not in sys.stdlib_module_names
               and m.split(".")[0] not in LIGHT_PACKAGES and m not in LIGHT_MODULES}
    assert not foreign, f"importing sim.cli loads more than it may: {sorted(foreign)}"


def test_the_allowlist_would_catch_a_heavy_import():
    added = added_by("import sim.cli, numpy")
    assert "numpy" in added and "numpy" not in LIGHT_PACKAGES | LIGHT_MODULES


@pytest.mark.parametrize("args, needed", [
    (["--help"], set()),
    # Every reform declares its keys in its own module (sim.reforms), which needs NumPy.
    (["params", str(SCENARIOS / "workstation.toml")], {"numpy"}),
    (["validate", str(SCENARIOS / "baseline.toml")], {"numpy"}),
    (["tasks"], {"numpy"}),
])
def test_light_commands_import_only_what_they_need(args, needed):
    code = f"from sim.cli import main\nmain({args!r})"
    tops = {m.split(".")[0] for m in added_by(code)}
    assert needed <= tops
    assert not tops & HEAVY, f"commsim {args[0]} loads {sorted(tops & HEAVY)}"
    if not needed:
        assert "numpy" not in tops, f"commsim {args[0]} loads NumPy"
