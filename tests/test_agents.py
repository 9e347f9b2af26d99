"""The Mesa agents: one per department, relay and community, each a handle on its own state."""

from __future__ import annotations

import numpy as np

from sim.communities import Community
from sim.departments import Department
from sim.street_offices import StreetOffice, ZoneCommittee
from tests.conftest import run_model


def test_the_city_has_an_agent_per_department_relay_and_community(small_city):
    model = run_model(small_city.with_values(simulation__days=10))
    assert len(model.agents_by_type[Community]) == 30
    assert len(model.agents_by_type[StreetOffice]) == 4
    assert len(model.agents_by_type[ZoneCommittee]) == 1
    assert {d.name for d in model.agents_by_type[Department]} == set(model.catalog.departments())


def test_a_community_agent_reports_its_own_staff_and_open_work(small_city):
    model = run_model(small_city.with_values(simulation__days=30))
    workforce = model.workforce
    for community in model.agents_by_type[Community]:
        mine = model.queue.community == community.index
        assert community.open_items == np.count_nonzero(mine)
        assert community.backlog_hours == model.queue.remaining[mine].sum()
        own = (workforce.community == community.index) & workforce.is_community_staff
        assert community.staff == workforce.staff[own].sum() > 0


def test_every_community_is_led_by_exactly_one_relay(small_city):
    model = run_model(small_city.with_values(simulation__days=5))
    relays = list(model.agents_by_type[StreetOffice]) + list(model.agents_by_type[ZoneCommittee])
    led = np.concatenate([relay.communities for relay in relays])
    assert sorted(led.tolist()) == list(range(30))
