"""Shared helpers: tiny hand-made catalogs and small scenarios, so each test sees one mechanism."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.catalog import COLUMNS
from sim.model import CommunityWorkloadModel
from sim.scenario import Scenario, default_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"

# The shipped scenarios run the Hefei roster (362 communities, three governance models by
# district). A test that wants a small city shrinks the synthetic one instead: these settings
# leave the roster, and with it the district table, before ``city.communities`` and the other
# synthetic keys (as override strings, and as --set options for the command line).
SYNTHETIC = ["city.roster=", "governance.by_district={}"]
SYNTHETIC_SET = [part for setting in SYNTHETIC for part in ("--set", setting)]

ROW_DEFAULTS = {
    "name_zh": "事项", "name_en": "item", "kind": "administrative", "category": "statistics_census",
    "department": "statistics", "arrival": "periodic", "period_days": "5",
    "rate_per_1000hh_year": "", "campaigns_per_year": "", "effort_hours": "4",
    "effort_spread": "0", "scales_with_size": "0", "deadline_days": "5",
    "assessment_weight": "0.5", "grid_eligible": "0", "digitisable": "0",
    "on_access_list": "1", "source": "test",
}


def write_catalog(path: Path, rows: list[dict]) -> Path:
    """A catalog CSV from partial rows (unspecified columns take ROW_DEFAULTS)."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({**ROW_DEFAULTS, "task_id": f"T{i:03d}", **row})
    return path


def quiet_scenario(catalog: Path, **values) -> Scenario:
    """A small, noise-free city: equal communities, no turnover, no new types, no switching,
    residents who do not respond (no volunteers or complaints), no street-office
    assessment."""
    base = {
        "tasks__catalog": str(catalog), "city__communities": 4, "city__street_offices": 2,
        "city__zone_committees": 0, "city__households_sigma": 0.0, "city__large_share": 0.0,
        "simulation__days": 20, "staffing__turnover__enabled": False,
        "tasks__new_per_year": 0.0, "staffing__switch_cost_hours": 0.0,
        "tasks__demand_scale": 1.0, "tasks__effort_scale": 1.0,
        "staffing__staff_per_community": 1.0,
        "residents__participation__enabled": False, "assessment__enabled": False,
    }
    base.update(values)
    return default_scenario().with_values(**base)


def run_model(scenario: Scenario, seed: int = 1, replicate: int = 0) -> CommunityWorkloadModel:
    model = CommunityWorkloadModel(scenario, seed=seed, replicate=replicate)
    model.run_to_end()
    return model


@pytest.fixture
def small_city() -> Scenario:
    """The real catalog in a 30-community city over 60 working days."""
    return default_scenario().with_values(city__communities=30, city__street_offices=4,
                                          city__zone_committees=1, simulation__days=60)


# --- fork safety ------------------------------------------------------------------------------
# Python 3.12+ warns (DeprecationWarning) when a multi-threaded process forks: the child may
# deadlock on a lock some other thread held. CPython clears that warning even under an 'error'
# filter, so a filterwarnings entry cannot fail a test; the suite collects it instead and fails
# the run at the end, naming the tests that forked.
FORK_FROM_THREADS = "is multi-threaded, use of fork"
_forked_from_threads: list[str] = []


def pytest_warning_recorded(warning_message, when, nodeid, location) -> None:
    if FORK_FROM_THREADS in str(warning_message.message):
        _forked_from_threads.append(f"{nodeid or when}: {warning_message.filename}:"
                                    f"{warning_message.lineno}")


def pytest_sessionfinish(session, exitstatus) -> None:
    if _forked_from_threads and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter) -> None:
    if _forked_from_threads:
        terminalreporter.section("forked from a multi-threaded process", red=True)
        for line in dict.fromkeys(_forked_from_threads):
            terminalreporter.line(line)
