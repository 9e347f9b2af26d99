"""The shipped Hefei roster is what its script writes and holds the report's counts."""

from __future__ import annotations

import collections

from scenarios.rosters import make_hefei
from sim.roster import load_roster
from tests.conftest import SCENARIOS

ROSTER = SCENARIOS / "rosters" / "hefei.csv"


def test_the_shipped_roster_is_what_the_script_writes():
    assert ROSTER.read_text(encoding="utf-8") == make_hefei.render()


def test_it_has_the_reports_communities_street_offices_and_zone_committees():
    city = load_roster(ROSTER)
    kinds = collections.Counter(city.relay_kind.tolist())
    assert city.n_communities == 362
    assert kinds == {0: 38, 1: 13}


def test_shushan_has_52_communities_under_street_offices():
    city = load_roster(ROSTER)
    shushan = city.district == "Shushan"
    assert shushan.sum() == 52
    assert (city.relay_kind[city.relay[shushan]] == 0).all()


def test_the_zones_have_5_3_and_5_committees():
    city = load_roster(ROSTER)
    relays = {d: len(set(city.relay[city.district == d].tolist()))
              for d in ("Jingkai", "Gaoxin", "Xinzhan")}
    assert relays == {"Jingkai": 5, "Gaoxin": 3, "Xinzhan": 5}
