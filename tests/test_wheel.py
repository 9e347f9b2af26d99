"""The built wheel works on its own: installed into a fresh venv, run from an empty folder.

A checkout hides packaging mistakes (a data file left out of the wheel is
still found beside the code), so this builds the wheel from a copy of the
sources, installs it with ``--no-deps`` into a new venv and runs shipped
scenarios by name from an empty folder. The dependencies come from this test
environment through a ``.pth`` line, so nothing is downloaded; the checks
make sure the wheel's ``sim`` and ``scenarios`` are what runs, not the
checkout's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.slow      # every test builds or installs the wheel

BIN = "Scripts" if os.name == "nt" else "bin"
SOURCES = ("pyproject.toml", "README.md", "sim", "analysis", "scenarios")
# Scenario files, rosters and the kept worlds of scenarios/ensembles/ (`make worlds`).
SHIPPED_DATA = (".toml", ".csv", ".parquet", ".json", ".png")
# The shipped baseline as installed, its Hefei roster included, for a few days.
TINY = ["--set", "simulation.days=5", "--reps", "1"]


def call(*argv: str | Path, cwd: Path) -> str:
    """Run a command with a clean environment; its stdout, or a failure showing its stderr."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run([str(a) for a in argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{argv}: {done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with only the commsim wheel in it (dependencies lent by this one)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source, dist, venv = tmp / "source", tmp / "dist", tmp / "venv"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    call(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--disable-pip-version-check", "-w", dist, source, cwd=tmp)
    call(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp)
    python = venv / BIN / "python"
    site = Path(call(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp).strip())
    lent = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (site / "lent-dependencies.pth").write_text("\n".join(sorted(lent)) + "\n",
                                                encoding="utf-8")
    call(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
         "--no-index", "--disable-pip-version-check", *dist.glob("commsim-*.whl"), cwd=tmp)
    return venv


def test_the_wheel_carries_every_shipped_scenario(installed):
    wheel = next((installed.parent / "dist").glob("commsim-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        shipped = {n.removeprefix("scenarios/") for n in archive.namelist()
                   if n.startswith("scenarios/")}
    wanted = {p.relative_to(ROOT / "scenarios").as_posix()
              for p in (ROOT / "scenarios").rglob("*") if p.suffix in SHIPPED_DATA}
    assert wanted | {"__init__.py", "rosters/make_hefei.py"} <= shipped


def test_the_installed_command_runs_a_shipped_scenario_from_an_empty_folder(installed,
                                                                             tmp_path):
    where = call(installed / BIN / "python", "-c",
                 "import sim, scenarios; print(sim.__file__); print(scenarios.folder())",
                 cwd=tmp_path)
    assert all(Path(line).is_relative_to(installed) for line in where.split()), where
    output = call(installed / BIN / "commsim", "run", "baseline", *TINY, "--format", "json",
                  cwd=tmp_path)
    result = json.loads(output)
    assert result["scenario"] == "baseline"
    assert 0 < result["metrics"]["admin_share"]["mean"] < 1
    assert not list(tmp_path.iterdir())


def test_a_copied_scenario_runs_with_its_shipped_parent(installed, tmp_path):
    commsim = installed / BIN / "commsim"
    call(commsim, "scenarios", "copy", "access_list", "mine", cwd=tmp_path)
    output = call(commsim, "run", "mine/access_list.toml", *TINY, "--format", "json",
                  cwd=tmp_path)
    assert json.loads(output)["scenario"] == "access_list"
