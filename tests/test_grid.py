"""Grid personnel come in two kinds, both per 1,000 households (MECHANISMS.md section 8)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.model import CommunityWorkloadModel
from sim.reforms import GridDelegation
from sim.scenario import load_scenario
from sim.staff import GRID, WORKSTATION
from tests.conftest import SCENARIOS, SYNTHETIC, quiet_scenario, run_model, write_catalog

REPORT_GRID_PERSONNEL = 5716  # Hefei report: 5,716 grid workers (网格责任人)


def grid_reform(model: CommunityWorkloadModel) -> GridDelegation:
    return next(r for r in model.reforms if isinstance(r, GridDelegation))


def grid_counts(model: CommunityWorkloadModel) -> tuple[np.ndarray, np.ndarray]:
    """Dedicated grid workers and committee grid heads, per community."""
    workforce, n = model.workforce, model.city.n_communities
    grid = workforce.role == GRID
    dedicated = np.bincount(workforce.community[grid], workforce.staff[grid], minlength=n)
    own = workforce.is_community_staff
    heads = np.bincount(workforce.community[own],
                        grid_reform(model).heads(workforce)[own], minlength=n)
    return dedicated, heads


def test_grid_personnel_per_community_do_not_depend_on_the_number_of_communities(tmp_path):
    catalog = write_catalog(tmp_path / "c.csv", [{"grid_eligible": "1"}])
    counts = [grid_counts(CommunityWorkloadModel(quiet_scenario(
        catalog, city__communities=n, staffing__staff_per_community=15.0,
        reforms__grid_delegation__enabled=True))) for n in (40, 120)]
    (dedicated_40, heads_40), (dedicated_120, heads_120) = counts
    # 3.615 per 1,000 households x 4,000 households: 6 dedicated (0.43), 8 heads (0.57)
    assert set(dedicated_40) == set(dedicated_120) == {6}
    assert set(heads_40) == set(heads_120) == {8}


def test_the_report_city_gets_about_the_report_grid_personnel():
    scenario = load_scenario(SCENARIOS / "grid_delegation.toml")
    totals = [sum(c.sum() for c in grid_counts(CommunityWorkloadModel(scenario, seed=7,
                                                                      replicate=r)))
              for r in range(3)]
    assert np.mean(totals) == pytest.approx(REPORT_GRID_PERSONNEL, rel=0.03)


def test_grid_heads_never_outnumber_the_committee():
    scenario = load_scenario(SCENARIOS / "grid_delegation.toml",
                             [*SYNTHETIC, "city.communities=30", "city.grid_dedicated_share=0",
                              "city.grid_personnel_per_1000_households=20"])
    model = CommunityWorkloadModel(scenario, seed=2)
    _, heads = grid_counts(model)
    staff = np.bincount(model.workforce.community[model.workforce.is_community_staff],
                        model.workforce.staff[model.workforce.is_community_staff])
    assert np.array_equal(heads, staff)


def test_grid_heads_duties_take_exactly_their_hours_from_the_committee(tmp_path):
    """Two staff, one of them grid head for 3 hours a day, under more admin work than fits."""
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "40",
                                                  "deadline_days": "30"}])
    common = dict(staffing__staff_per_community=2.0, staffing__overtime_cap_hours=0.0)
    grid = dict(reforms__grid_delegation__enabled=True,
                city__grid_personnel_per_1000_households=0.5,  # 2 per 4,000 households
                city__grid_dedicated_share=0.5, reforms__grid_delegation__head_duty_hours=3.0)
    plain = run_model(quiet_scenario(catalog, **common)).ledger
    with_grid = run_model(quiet_scenario(catalog, **common, **grid)).ledger
    community_days = 4 * 20
    assert plain.total("hours_administrative") == pytest.approx(community_days * 16.0)
    assert with_grid.total("grid_duty_hours") == pytest.approx(community_days * 1 * 3.0)
    assert with_grid.total("hours_administrative") == pytest.approx(community_days * 13.0)


def test_under_the_workstation_model_the_workstation_staff_are_the_grid_heads(tmp_path):
    """Grid duty is administrative work: it falls on the pool that does a community's admin."""
    catalog = write_catalog(tmp_path / "c.csv", [{"grid_eligible": "1"}])
    model = CommunityWorkloadModel(quiet_scenario(
        catalog, staffing__staff_per_community=15.0, governance__model="workstation",
        reforms__grid_delegation__enabled=True))
    heads = grid_reform(model).heads(model.workforce)
    assert set(model.workforce.role[heads > 0]) == {WORKSTATION}
    assert np.all(heads[model.workforce.role == WORKSTATION] == 8)
