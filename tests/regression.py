"""Fixed-seed regression baseline: a small city's metrics per scenario, stored to catch
unintended change.

The stored runs cover the model's layers: the baseline (two committees), the reform
package, the other governance models and a shortened campaign that starts early, is
renewed once and lapses (informal work, enforcement, assessment and regrowth). Each keeps
every metric of ``sim.metrics.METRICS`` per replicate.

Refresh after an intended change to the model with ``make regression-refresh``
(``python -m tests.regression --refresh``), which prints what changed, and commit
tests/data/regression.json with a message saying why the numbers moved.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from itertools import zip_longest
from pathlib import Path
from typing import Any, NamedTuple

from sim.design import model_version
from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SYNTHETIC

HERE = Path(__file__).resolve().parent
STORED = HERE / "data" / "regression.json"
SCENARIOS = HERE.parent / "scenarios"
SEED, REPS = 20261129, 2
REL, ABS = 1e-9, 1e-12     # deterministic on one machine: room for float noise only
CITY = (*SYNTHETIC, "city.communities=40", "city.street_offices=5", "city.zone_committees=1")
SHORT = (*CITY, "simulation.days=120")

Runs = dict[str, dict[str, list[float]]]     # scenario -> metric -> one value per replicate


class Case(NamedTuple):
    """One stored run: a shipped scenario file under overrides that keep it small."""

    name: str
    scenario: str
    overrides: tuple[str, ...]


CASES: tuple[Case, ...] = (
    Case("baseline", "baseline.toml", SHORT),
    # The shipped Hefei roster as it is (362 communities, three governance models by
    # district), cut to 60 days; and the reform package on it (splitting a rostered city).
    Case("hefei_mixed", "baseline.toml", ("simulation.days=60",)),
    Case("hefei_reform_package", "reform_package.toml", ("simulation.days=60",)),
    Case("reform_package", "reform_package.toml", SHORT),
    Case("workstation", "workstation.toml", SHORT),
    Case("zone_committee", "zone_committee.toml", SHORT),
    # Five years cut to 380 measured days: the campaign starts on day 60, is renewed once
    # 100 days later and then decays, long enough for struck types to come back relabelled.
    Case("campaign_lapses", "five_years_campaign_lapses.toml", (
        *CITY, "simulation.days=400", "simulation.warmup_days=20",
        "reforms.access_list.start_day=60", "reforms.protected_time.start_day=60",
        "reforms.enforcement.renew_every_days=100")),
)


class RunFailed(RuntimeError):
    """A case could not be run; the message names it and says why, on one line."""


def run_case(case: Case) -> dict[str, Any]:
    """One case's stored entry: how it was run and every metric per replicate."""
    try:
        scenario = load_scenario(SCENARIOS / case.scenario, case.overrides)
        metrics = run(scenario, seed=SEED, reps=REPS).metrics
    except Exception as err:     # whatever broke, the refresh must refuse, naming the case
        reason = " ".join(f"{type(err).__name__}: {err}".split())
        raise RunFailed(f"{case.name} ({case.scenario}) failed: {reason}") from err
    return {"scenario": case.scenario, "overrides": list(case.overrides), "seed": SEED,
            "reps": REPS,
            "metrics": {name: [float(v) for v in column] for name, column in metrics.items()}}


def current() -> dict[str, Any]:
    """The regression document as the current code produces it (runs every case)."""
    return {"version": model_version(),
            "scenarios": {case.name: run_case(case) for case in CASES}}


def load(path: Path = STORED) -> dict[str, Any]:
    """The stored regression document; an absent file counts as one without scenarios."""
    if not path.exists():
        return {"version": "none", "scenarios": {}}
    return json.loads(path.read_text(encoding="utf-8"))


def runs(document: dict[str, Any]) -> Runs:
    """A document's metrics, scenario by scenario (all a comparison needs)."""
    return {name: entry["metrics"] for name, entry in document.get("scenarios", {}).items()}


# --- comparison ---------------------------------------------------------------------------


class Change(NamedTuple):
    """One replicate's value of one metric that moved (``None``: no such replicate)."""

    scenario: str
    metric: str
    rep: int
    old: float | None
    new: float | None

    @property
    def relative(self) -> float:
        """(new - old) / |old|; infinite where that is undefined, so such rows sort first."""
        if self.old is None or self.new is None or self.old == 0 or not (
                math.isfinite(self.old) and math.isfinite(self.new)):
            return math.inf
        return (self.new - self.old) / abs(self.old)


@dataclass
class Diff:
    """What differs between two sets of runs: values, the metric registry, the scenarios."""

    changed: list[Change] = field(default_factory=list)   # largest |relative change| first
    added: list[str] = field(default_factory=list)        # metrics new to the registry
    removed: list[str] = field(default_factory=list)      # metrics gone from it
    new_scenarios: list[str] = field(default_factory=list)
    lost_scenarios: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any((self.changed, self.added, self.removed, self.new_scenarios,
                    self.lost_scenarios))

    def table(self) -> str:
        """The difference as text a reviewer reads: one row per changed value, then lists."""
        lines = _rows_text(self.changed) if self.changed else []
        for label, names in (("metrics added to the registry", self.added),
                             ("metrics removed from the registry", self.removed),
                             ("scenarios added", self.new_scenarios),
                             ("scenarios removed", self.lost_scenarios)):
            if names:
                lines.append(f"{label}: {', '.join(names)}")
        return "\n".join(lines) if lines else "no change"


def same(old: float, new: float) -> bool:
    """Whether a stored value still holds: within REL of it or ABS absolute (as
    ``pytest.approx`` judges), a NaN still NaN, an infinity the same infinity."""
    if math.isnan(old) or math.isnan(new):
        return math.isnan(old) and math.isnan(new)
    if math.isinf(old) or math.isinf(new):
        return old == new
    return abs(new - old) <= max(REL * abs(old), ABS)


def diff(stored: Runs, now: Runs) -> Diff:
    """Compare stored runs with current ones: every moved value of a scenario both hold
    (sorted by |relative change|), and the metrics and scenarios only one side has."""
    shared = [name for name in now if name in stored]
    changed = [change for name in shared for change in _changes(name, stored[name], now[name])]
    changed.sort(key=lambda c: (-abs(c.relative), c.scenario, c.metric, c.rep))
    return Diff(changed,
                added=_only_in(now, stored, shared), removed=_only_in(stored, now, shared),
                new_scenarios=[name for name in now if name not in stored],
                lost_scenarios=[name for name in stored if name not in now])


def _changes(scenario: str, old: dict[str, list[float]],
             new: dict[str, list[float]]) -> list[Change]:
    """The moved values of one scenario's metrics present on both sides, replicate by
    replicate (a replicate only one side has counts as moved)."""
    return [Change(scenario, metric, rep, a, b)
            for metric in new if metric in old
            for rep, (a, b) in enumerate(zip_longest(old[metric], new[metric]))
            if a is None or b is None or not same(a, b)]


def _only_in(these: Runs, those: Runs, shared: list[str]) -> list[str]:
    """Metrics some shared scenario has in ``these`` but not in ``those``, in order."""
    names = [metric for name in shared for metric in these[name] if metric not in those[name]]
    return list(dict.fromkeys(names))


def _rows_text(changes: list[Change]) -> list[str]:
    """The changed values as aligned columns: scenario, metric, rep, old, new, change."""
    header = ("scenario", "metric", "rep", "old", "new", "rel. change")
    body = [(c.scenario, c.metric, str(c.rep), _number(c.old), _number(c.new),
             f"{c.relative:+.3e}") for c in changes]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    return [" ".join(cell.ljust(w) if i < 2 else cell.rjust(w)
                     for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
            for row in [header, *body]]


def _number(value: float | None) -> str:
    """Enough digits to see a change at the comparison's tolerance; '-' for no value."""
    return "-" if value is None else f"{value:.12g}"


# --- refresh ------------------------------------------------------------------------------


def refresh(path: Path = STORED) -> int:
    """Rerun every case, print what moved against ``path`` and replace it atomically.

    A failing run leaves the stored file alone: a half-refreshed baseline would pass
    the test while hiding the missing scenario. Returns the exit status.
    """
    try:
        document = current()
    except RunFailed as err:
        print(f"regression-refresh: {err}; {path.name} left unchanged", file=sys.stderr)
        return 2
    print(diff(runs(load(path)), runs(document)).table())
    write_atomically(path, json.dumps(document, indent=2) + "\n")
    print(f"wrote {path}")
    return 0


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so an
    interrupted refresh leaves the old baseline, never a truncated one. The file keeps its
    permissions (a temporary file is created private)."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--refresh", action="store_true", help="rewrite the stored baseline")
    if parser.parse_args().refresh:
        raise SystemExit(refresh())


if __name__ == "__main__":
    main()
