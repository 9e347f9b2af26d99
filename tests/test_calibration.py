"""The baseline reproduces the Hefei report and the Hubei work logs (docs/model.md, Calibration)."""

from __future__ import annotations

import pytest

from sim.runner import run
from sim.scenario import load_scenario
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def baseline():
    return run(load_scenario(SCENARIOS / "baseline.toml"), seed=2024, reps=3).metrics.mean()


def test_committees_spend_80_to_90_percent_of_worked_hours_on_admin(baseline):
    assert 0.80 <= baseline["admin_share"] <= 0.90


def test_a_community_handles_1800_to_1900_instances_a_year(baseline):
    assert 1800 <= baseline["task_instances_per_community_year"] <= 1900


def test_160_plus_admin_and_10_odd_self_governance_types_are_in_effect(baseline):
    assert baseline["admin_task_types"] >= 160
    assert 10 <= baseline["selfgov_task_types"] <= 15


def test_overtime_is_normal_but_bounded(baseline):
    # Ningbo 2010: 93% work 8+ hours a day, 31% over 9: about an hour a day or less
    assert 1.0 <= baseline["overtime_hours_per_staff_week"] <= 7.5
