"""Every community has a label at every level of breakdown; groups partition the city."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sim.groups import LEVELS, groups, labels, members, size_band


@pytest.fixture
def model():
    city = SimpleNamespace(n_communities=4, district=np.array(["A", "B", "A", "B"]),
                           relay=np.array([0, 0, 1, 1]), relay_name=np.array(["S1", "S2"]),
                           governance=np.array(["workstation", "two_committees",
                                                "workstation", "workstation"]),
                           community_id=np.array(["c1", "c2", "c3", "c4"]))
    return SimpleNamespace(city=city)


@pytest.mark.parametrize("level", LEVELS)
def test_the_groups_of_a_level_partition_the_city(model, level):
    found = np.sort(np.concatenate(list(groups(model, level).values())))
    assert np.array_equal(found, np.arange(4))


def test_a_relay_label_is_its_relays_name(model):
    assert labels(model, "relay").tolist() == ["S1", "S1", "S2", "S2"]


def test_members_of_a_district(model):
    assert members(model, "district", "A").tolist() == [0, 2]


def test_an_unknown_level_is_refused(model):
    with pytest.raises(ValueError, match="one of city"):
        labels(model, "province")


def test_size_bands_include_their_lower_edge():
    assert size_band(np.array([2999, 3000, 5000, 15000])).tolist() == [
        "0-3000", "3000-5000", "5000-8000", "8000+"]
