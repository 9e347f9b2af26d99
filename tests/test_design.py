"""Sweep designs: parsing --vary, grids, Latin hypercubes, seeds and run keys."""

from __future__ import annotations

import numpy as np
import pytest

from sim.design import design_points, parse_vary, point_seed, run_key
from sim.errors import UserError
from sim.scenario import default_scenario


def test_a_list_varies_any_key_categorical_included():
    vary = parse_vary("governance.model=two_committees,workstation")
    assert vary.grid_values() == ("two_committees", "workstation")


def test_an_integer_range_is_inclusive_and_stays_integer():
    assert parse_vary("city.communities=10:20:5").grid_values() == (10, 15, 20)


def test_a_float_range_keeps_clean_values():
    assert parse_vary("tasks.effort_scale=0.8:1.2:0.1").grid_values() == (
        0.8, 0.9, 1.0, 1.1, 1.2)


def test_the_grid_crosses_every_varied_key():
    points = design_points([parse_vary("city.communities=10:20:10"),
                            parse_vary("governance.model=workstation,zone_committee")],
                           "grid", None, seed=0)
    assert points == [
        {"city.communities": 10, "governance.model": "workstation"},
        {"city.communities": 10, "governance.model": "zone_committee"},
        {"city.communities": 20, "governance.model": "workstation"},
        {"city.communities": 20, "governance.model": "zone_committee"},
    ]


def test_latin_hypercube_puts_one_point_in_every_stratum_of_every_range():
    n = 20
    points = design_points([parse_vary("tasks.effort_scale=0.5:1.5"),
                            parse_vary("staffing.overtime_cap_hours=0:4")], "lhs", n, seed=3)
    for key, low, high in (("tasks.effort_scale", 0.5, 1.5),
                           ("staffing.overtime_cap_hours", 0, 4)):
        values = np.array([p[key] for p in points])
        assert values.min() >= low and values.max() <= high
        strata = np.floor((values - low) / (high - low) * n).astype(int)
        assert sorted(strata) == list(range(n))


def test_latin_hypercube_visits_every_listed_value():
    points = design_points([parse_vary("policy.priority=fifo,earliest_deadline,"
                                       "assessment_weighted")], "lhs", 9, seed=1)
    assert {p["policy.priority"] for p in points} == {"fifo", "earliest_deadline",
                                                      "assessment_weighted"}


@pytest.mark.parametrize("text, message", [
    ("city.comunities=1,2", "did you mean 'city.communities'"),
    ("city.communities=20:10:5", "empty or reversed range"),
    ("city.communities=10:10:5", "empty or reversed range"),
    ("city.communities=10:20:0", "the step must be positive"),
    ("city.communities=10:20:-5", "the step must be positive"),
    ("city.communities=0,5", "bad value 0"),
    ("governance.model=anarchy", "one of 'two_committees'"),
    ("city.communities", "expected KEY=V1,V2"),
    ("city.communities=3,3", "listed twice"),
    ("tasks.effort_scale=0.5,nan", r"bad value nan .*a finite number in \[0, 100\]"),
    ("tasks.effort_scale=0.5:inf:0.1", "bad value inf; expected finite bounds and step"),
    ("city.communities=nan:20:5", "bad value nan; expected finite bounds"),
    ("city.communities=10:20:inf", "bad value inf; expected finite bounds and step"),
])
def test_bad_vary_gets_a_clear_message(text, message):
    with pytest.raises(UserError, match=message):
        parse_vary(text)


def test_n_is_only_for_latin_hypercubes():
    with pytest.raises(UserError, match="--n is only for --sample lhs"):
        design_points([parse_vary("city.communities=5,6")], "grid", 4, seed=0)
    with pytest.raises(UserError, match="needs --n"):
        design_points([parse_vary("city.communities=5:9")], "lhs", None, seed=0)


def test_a_grid_range_needs_a_step():
    with pytest.raises(UserError, match="needs a step"):
        design_points([parse_vary("city.communities=5:9")], "grid", None, seed=0)


def test_common_random_numbers_give_every_point_the_master_seed():
    assert point_seed(7, {"city.communities": 5}, common=True) == 7


def test_independent_seeds_depend_on_the_point_not_its_position():
    a = point_seed(7, {"city.communities": 5}, common=False)
    assert a == point_seed(7, {"city.communities": 5}, common=False)
    assert a != point_seed(7, {"city.communities": 6}, common=False)
    assert a != point_seed(8, {"city.communities": 5}, common=False)


def test_run_keys_name_parameters_seed_and_replicate():
    base = default_scenario()
    key = run_key(base, 1, 0)
    assert key == run_key(default_scenario(), 1, 0)
    assert len({key, run_key(base, 2, 0), run_key(base, 1, 1),
                run_key(base.with_values(city__communities=5), 1, 0)}) == 4
