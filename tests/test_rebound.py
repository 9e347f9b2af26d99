"""Burden rebound (减负反弹) end to end: an access list from year 2 cuts formal administrative
hours, and regrowth brings them back as enforcement lapses."""

from __future__ import annotations

import pytest

from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS, SYNTHETIC

pytestmark = pytest.mark.slow      # three five-year runs of the access list

SMALL = [*SYNTHETIC, "city.communities=40", "city.street_offices=4", "city.zone_committees=1"]
EXPLICIT = ["reforms.enforcement.decay_per_year=0.3", "reforms.enforcement.strictness=1",
            "reforms.enforcement.renew_every_days=0", "departments.substitution.elasticity=0.3"]
REGROWTH_ON = ["tasks.new_per_year=8", "departments.regrowth.relabel_per_year=0.25"]
REGROWTH_OFF = ["tasks.new_per_year=0", "departments.regrowth.relabel_per_year=0"]


def formal_admin_by_year(*overrides: str) -> list[float]:
    scenario = load_scenario(SCENARIOS / "five_years_access_list.toml", [*SMALL, *overrides])
    yearly = run(scenario, seed=11).yearly
    return yearly["formal_admin_hours_per_community_year"].tolist()


@pytest.fixture(scope="module")
def regrowing() -> list[float]:
    return formal_admin_by_year(*EXPLICIT, *REGROWTH_ON)


def test_the_access_list_cuts_formal_admin_hours_in_its_first_year(regrowing):
    assert regrowing[1] < 0.85 * regrowing[0]


def test_with_regrowth_admin_hours_in_year_5_are_above_year_2(regrowing):
    assert regrowing[4] > 1.05 * regrowing[1]


def test_without_regrowth_admin_hours_in_year_5_are_not_above_year_2():
    steady = formal_admin_by_year(*EXPLICIT, *REGROWTH_OFF)
    assert steady[1] < 0.85 * steady[0]
    assert steady[4] <= steady[1]


def test_with_default_settings_burden_rebounds_too():
    defaults = formal_admin_by_year()
    assert defaults[4] > defaults[1]
