"""A campaign's enforcement: strictness per relay, decay as inspections lapse, renewals."""

from __future__ import annotations

import numpy as np
import pytest

from sim.enforcement import Enforcement, relay_strictness
from sim.errors import UserError
from sim.scenario import default_scenario


def campaign(**changes):
    settings = dict(strictness=np.array([1.0, 0.5]), start_day=100, decay_per_year=0.5,
                    renew_every_days=0, renewals=0, days_per_year=250)
    return Enforcement(**{**settings, **changes})


def test_nothing_is_enforced_before_the_campaign_starts():
    assert np.all(campaign().level(99) == 0.0)


def test_enforcement_starts_at_each_relays_strictness_and_decays_yearly():
    enforcement = campaign()
    assert enforcement.level(100).tolist() == [1.0, 0.5]
    assert enforcement.level(350).tolist() == pytest.approx([0.5, 0.25])


def test_a_renewal_restores_full_strictness_then_it_decays_again():
    enforcement = campaign(renew_every_days=250, renewals=1)
    assert enforcement.level(349)[0] == pytest.approx(0.5 ** (249 / 250))
    assert enforcement.level(350)[0] == 1.0
    assert enforcement.level(850)[0] == pytest.approx(0.25)   # no second renewal


def test_strictness_spread_draws_uneven_relays_around_the_mean():
    scenario = default_scenario().with_values(reforms__enforcement__strictness=0.7,
                                              reforms__enforcement__strictness_spread=0.2)
    drawn = relay_strictness(scenario, 2000, np.random.default_rng(1))
    assert drawn.mean() == pytest.approx(0.7, abs=0.02)
    assert drawn.std() == pytest.approx(0.2, abs=0.02)
    assert drawn.min() >= 0 and drawn.max() <= 1


def test_strictness_can_be_set_relay_by_relay():
    scenario = default_scenario().with_values(
        city__street_offices=2, city__zone_committees=1,
        reforms__enforcement__relay_strictness=["1", "0.5", "0"])
    assert relay_strictness(scenario, 3, np.random.default_rng(1)).tolist() == [1.0, 0.5, 0.0]


def test_a_bad_relay_strictness_is_refused_with_its_position():
    with pytest.raises(UserError, match=r"'high' at position 2; expected a number in \[0, 1\]"):
        default_scenario().with_values(city__street_offices=2, city__zone_committees=0,
                                       reforms__enforcement__relay_strictness=["1", "high"])


def test_one_strictness_per_relay_is_required():
    with pytest.raises(UserError, match="2 values given, the city has 3 relays"):
        default_scenario().with_values(city__street_offices=2, city__zone_committees=1,
                                       reforms__enforcement__relay_strictness=["1", "0"])


def test_a_retired_key_says_what_replaced_it():
    with pytest.raises(UserError, match=r"retired: .*departments\.substitution\.elasticity"):
        default_scenario().with_values(reforms__access_list__leakage=0.1)
