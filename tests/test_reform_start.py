"""Reforms that start later: the run is the baseline until the start day, the reform after."""

from __future__ import annotations

import numpy as np
import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.ledger import DAYS_PER_WEEK, FIELDS
from sim.model import CommunityWorkloadModel
from tests.conftest import SCENARIOS, quiet_scenario, run_model, write_catalog

START = 30                              # a week boundary in the 60-day small city
BEFORE = slice(0, START // DAYS_PER_WEEK)
AFTER = slice(START // DAYS_PER_WEEK, None)


def weekly(model, field: str) -> np.ndarray:
    return model.ledger.weekly[:, FIELDS.index(field)].sum(axis=1)


SOONER = {"funding": {"reforms__funding__lag_days": 5}}   # money must arrive within the run


@pytest.mark.parametrize("reform", ["access_list", "grid_delegation", "digital", "funding",
                                    "protected_time", "fewer_assessments"])
def test_until_its_start_day_a_reform_leaves_the_run_as_the_baseline(small_city, reform):
    baseline = run_model(small_city)
    later = run_model(small_city.with_values(**{f"reforms__{reform}__enabled": True,
                                                f"reforms__{reform}__start_day": START},
                                             **SOONER.get(reform, {})))
    assert np.array_equal(baseline.ledger.weekly[BEFORE], later.ledger.weekly[BEFORE])
    assert not np.array_equal(baseline.ledger.weekly[AFTER], later.ledger.weekly[AFTER])


def test_the_access_list_refuses_work_only_from_its_start_day(small_city):
    model = run_model(small_city.with_values(reforms__access_list__enabled=True,
                                             reforms__access_list__start_day=START))
    refused = weekly(model, "refused")
    assert refused[BEFORE].sum() == 0 and refused[AFTER].sum() > 0


def test_grid_workers_take_work_only_from_the_start_day(small_city):
    model = run_model(small_city.with_values(reforms__grid_delegation__enabled=True,
                                             reforms__grid_delegation__start_day=START))
    grid = weekly(model, "grid_hours")
    assert grid[BEFORE].sum() == 0 and grid[AFTER].sum() > 0


def test_digital_service_cuts_efforts_from_its_start_day(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_spread": "0",
                                                  "digitisable": "1"}])
    scenario = quiet_scenario(catalog, reforms__digital__enabled=True,
                              reforms__digital__effort_cut=0.25, reforms__digital__start_day=10)
    department = CommunityWorkloadModel(scenario).departments.members[0]
    assert np.allclose(department.issue(9).effort, 4.0)
    assert np.allclose(department.issue(10).effort, 3.0)


def test_starting_on_day_0_is_the_reform_from_the_start(small_city):
    plain = run_model(small_city.with_values(reforms__access_list__enabled=True))
    at_zero = run_model(small_city.with_values(reforms__access_list__enabled=True,
                                               reforms__access_list__start_day=0))
    assert np.array_equal(plain.ledger.weekly, at_zero.ledger.weekly)


def test_a_start_day_after_the_run_is_refused():
    result = CliRunner().invoke(main, ["validate", str(SCENARIOS / "access_list.toml"),
                                       "--set", "reforms.access_list.start_day=250"])
    assert result.exit_code == 2
    assert "reforms.access_list.start_day" in result.output
    assert "before simulation.days (250)" in result.output
