"""Import direction between the layers: the model never imports what runs or reads it.

The model (agents, catalog, scenario, reforms, governance, ledger, metrics) must stay
usable on its own: a worker process that runs one replicate should load nothing of the
experiments, the command line or the charts, and a change to how results are written or
plotted must never be able to change a number the model produces. The experiments
(replicates, comparisons, sweeps, designs, calibration, workers, result folders) may use
the model but not the command line or analysis, so that the command line stays a thin layer
over them. Layers are listed here once, as data, and every module of ``sim`` must be in
exactly one of them, so that a new module has to be placed before the suite passes.

Imports are read with ``ast`` (module-level, function-level and ``TYPE_CHECKING`` imports
all count, since any of them couples the layers), relative names are resolved, and
``from sim import x`` counts as importing ``sim.x`` when that is a module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

MODEL = ("sim.model", "sim.departments", "sim.street_offices", "sim.communities", "sim.roster",
         "sim.residents", "sim.staff", "sim.governance", "sim.city", "sim.catalog",
         "sim.scenario", "sim.param", "sim.parameters", "sim.reforms", "sim.enforcement",
         "sim.documentation", "sim.instances", "sim.ledger", "sim.workqueue", "sim.policies",
         "sim.streams", "sim.draws", "sim.metrics", "sim.errors", "sim.languages", "sim.groups",
         "sim.csv_input", "sim.costs", "sim.kernels")
EXPERIMENTS = ("sim.runner", "sim.batch", "sim.compare", "sim.sweep", "sim.design",
               "sim.calibration",
               "sim.ensemble", "sim.bands",
               "sim.executors", "sim.output", "sim.freed", "sim.results_folder",
               "sim.targets", "sim.budget", "sim.robust", "sim.worker_start")
CLI = ("sim.cli",)
ANALYSIS = ("analysis",)               # the whole package
# `sim/__init__.py` is the public API: it re-exports from the model and the experiments (run,
# compare, sweep), so importing it from inside the model would reach the experiments too.
API = ("sim",)

LAYERS = {"model": MODEL, "experiments": EXPERIMENTS, "cli": CLI, "analysis": ANALYSIS,
          "api": API}
FORBIDDEN = {"model": ("experiments", "cli", "analysis", "api"),
             "experiments": ("cli", "analysis", "api")}
# Imports that break the rule today, each with why it stays for now. A fixed one must leave
# this list (test_known_exceptions_still_exist), so the list can only shrink.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


class Import:
    """One import statement's target module, where it is, and how it was written."""

    def __init__(self, path: Path, line: int, target: str) -> None:
        self.path, self.line, self.target = path, line, target

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    """Dotted name of a source file under the repository root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """Whether a dotted name is a module or package of this repository."""
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def resolve(node: ast.ImportFrom, path: Path) -> str:
    """The absolute module a ``from ... import`` names, relative dots resolved against the
    file's package."""
    if not node.level:
        return node.module or ""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    package = package[:len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports(path: Path) -> Iterator[Import]:
    """Every module one file imports, wherever in the file the import stands."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(path, node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = resolve(node, path)
            for alias in node.names:
                name = f"{base}.{alias.name}"
                yield Import(path, node.lineno, name if is_module(name) else base)


def layer_of(module: str) -> str | None:
    """The layer a module belongs to: the longest listed name that it is or lies under."""
    matches = [(len(listed), layer) for layer, names in LAYERS.items() for listed in names
               if module == listed or module.startswith(listed + ".")]
    return max(matches)[1] if matches else None


def files(names: tuple[str, ...]) -> list[Path]:
    """The source files of listed modules (a package stands for all of its files)."""
    found = []
    for name in names:
        base = ROOT.joinpath(*name.split("."))
        found += sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]
    return found


def violations(layer: str) -> list[Import]:
    """Imports from a layer's files into a layer it must not import."""
    return [found for path in files(LAYERS[layer]) for found in imports(path)
            if layer_of(found.target) in FORBIDDEN[layer]]


def known(found: Import) -> bool:
    """Whether an import is one of the listed exceptions."""
    return (found.path.relative_to(ROOT).as_posix(), found.target) in KNOWN_EXCEPTIONS


def test_every_sim_module_is_in_one_layer():
    listed = [name for names in LAYERS.values() for name in names]
    assert len(listed) == len(set(listed))
    unplaced = [module_name(p) for p in sorted((ROOT / "sim").rglob("*.py"))
                if layer_of(module_name(p)) is None]
    assert not unplaced, f"put these in a layer in tests/test_layers.py: {unplaced}"
    missing = [name for name in listed if not is_module(name)]
    assert not missing, f"listed in tests/test_layers.py but not found: {missing}"


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer):
    bad = [found for found in violations(layer) if not known(found)]
    assert not bad, (f"the {layer} layer must not import {', '.join(FORBIDDEN[layer])}:\n"
                     + "\n".join(map(str, bad)))


def test_known_exceptions_still_exist():
    found = {(i.path.relative_to(ROOT).as_posix(), i.target)
             for layer in FORBIDDEN for i in violations(layer)}
    fixed = KNOWN_EXCEPTIONS - found
    assert not fixed, f"fixed; remove from KNOWN_EXCEPTIONS in tests/test_layers.py: {fixed}"


def test_the_checker_sees_function_level_and_relative_imports(tmp_path, monkeypatch):
    """The rule is only as good as the parser: a nested import and a relative one are found
    and resolved."""
    package = tmp_path / "sim"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "runner.py").write_text("")
    (package / "model.py").write_text(
        "def f():\n    from . import runner\n    import analysis.charts\n"
        "from .runner import x\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    found = sorted((i.line, i.target) for i in imports(package / "model.py"))
    assert found == [(2, "sim.runner"), (3, "analysis.charts"), (4, "sim.runner")]
    assert [layer_of(target) for _, target in found] == ["experiments", "analysis",
                                                          "experiments"]
