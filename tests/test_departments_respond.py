"""Departments pursue reach: refused work moves to informal channels, and new task types
come back as a campaign's enforcement lapses."""

from __future__ import annotations

import numpy as np

from sim.catalog import ADMIN
from sim.instances import INFORMAL
from sim.model import CommunityWorkloadModel
from tests.conftest import quiet_scenario, run_model, write_catalog

DAILY = {"period_days": "1", "effort_spread": "0"}


def listed_and_unlisted(tmp_path, n_listed=2, n_unlisted=3, **row):
    rows = [{**DAILY, **row, "on_access_list": "1"} for _ in range(n_listed)]
    rows += [{**DAILY, **row, "on_access_list": "0"} for _ in range(n_unlisted)]
    return write_catalog(tmp_path / "c.csv", rows)


def access_list(catalog, **values):
    return quiet_scenario(catalog, reforms__access_list__enabled=True,
                          departments__regrowth__relabel_per_year=0.0, **values)


def test_without_substitution_refused_work_disappears(tmp_path):
    model = run_model(access_list(listed_and_unlisted(tmp_path),
                                  departments__substitution__elasticity=0.0))
    ledger = model.ledger
    assert ledger.total("refused") == 4 * 20 * 3
    assert ledger.total("informal_items") == 0
    assert ledger.total("accepted") == ledger.total("issued") - ledger.total("refused")


def test_with_full_substitution_reach_is_unchanged_and_only_the_channel_moves(tmp_path):
    catalog = listed_and_unlisted(tmp_path)
    free = run_model(quiet_scenario(catalog))
    listed = run_model(access_list(catalog, departments__substitution__elasticity=1.0))
    assert listed.ledger.total("accepted") == free.ledger.total("accepted")
    assert listed.ledger.total("informal_items") == listed.ledger.total("refused") == 4 * 20 * 3


def test_partial_substitution_pushes_down_about_that_share(tmp_path):
    model = run_model(access_list(listed_and_unlisted(tmp_path), city__communities=40,
                                  departments__substitution__elasticity=0.3))
    share = model.ledger.total("informal_items") / model.ledger.total("refused")
    assert 0.25 < share < 0.35


def test_informal_work_allows_the_informal_deadline_and_is_booked_apart(tmp_path):
    catalog = listed_and_unlisted(tmp_path, n_listed=0, n_unlisted=1, deadline_days="10")
    model = CommunityWorkloadModel(access_list(
        catalog, departments__substitution__elasticity=1.0,
        departments__substitution__deadline_days=2, staffing__staff_per_community=0.0))
    model.step()
    queue = model.queue
    assert np.all(queue.channel == INFORMAL) and np.all(queue.due == 1)
    model.run_to_end()
    assert model.ledger.total("informal_admin_hours") == 0.0   # nobody to work it
    worked = run_model(access_list(catalog, departments__substitution__elasticity=1.0))
    assert worked.ledger.total("informal_admin_hours") == worked.ledger.total(
        "hours_administrative") > 0


def test_informal_work_brings_no_funding(tmp_path):
    catalog = listed_and_unlisted(tmp_path, n_listed=0, n_unlisted=1)
    model = run_model(access_list(catalog, departments__substitution__elasticity=1.0,
                                  reforms__funding__enabled=True,
                                  reforms__funding__compliance=1.0,
                                  reforms__funding__lag_days=0))
    assert model.ledger.total("informal_items") > 0
    assert model.ledger.total("funding_yuan") == 0.0


def new_types(tmp_path, **values):
    """A city where departments create many new types; none is ever approved."""
    catalog = write_catalog(tmp_path / "c.csv", [{**DAILY, "on_access_list": "1"}])
    return access_list(catalog, tasks__new_per_year=100.0, simulation__days=250,
                       reforms__access_list__approval_rate=0.0,
                       departments__substitution__elasticity=0.0, **values)


def reached_formally(model):
    """Instances of types created during the run that reached communities formally."""
    new = model.catalog.start_day > 0
    issued, refused = model.ledger.by_task[0], model.ledger.by_task[1]
    return float((issued - refused)[new].sum())


def test_enforcement_that_holds_deters_new_types(tmp_path):
    held = CommunityWorkloadModel(new_types(tmp_path, reforms__enforcement__decay_per_year=0.0))
    free = CommunityWorkloadModel(quiet_scenario(tmp_path / "c.csv", tasks__new_per_year=100.0,
                                                 simulation__days=250))
    assert np.count_nonzero(free.catalog.start_day > 0) > 50
    assert np.count_nonzero(held.catalog.start_day > 0) == 0


def test_enforcement_that_decays_brings_new_types_back(tmp_path):
    held = run_model(new_types(tmp_path, reforms__enforcement__decay_per_year=0.0))
    decaying = run_model(new_types(tmp_path, reforms__enforcement__decay_per_year=0.9))
    assert reached_formally(held) == 0
    assert reached_formally(decaying) > 0
    assert decaying.ledger.final("admin_types_in_force").mean() > \
        held.ledger.final("admin_types_in_force").mean() == 1


def test_struck_types_come_back_in_a_new_coat_only_after_the_list_starts(tmp_path):
    catalog = listed_and_unlisted(tmp_path, n_listed=1, n_unlisted=20)
    common = dict(simulation__days=250, reforms__access_list__start_day=100,
                  reforms__enforcement__decay_per_year=0.9)
    none = CommunityWorkloadModel(access_list(catalog, **common))
    relabelled = CommunityWorkloadModel(access_list(
        catalog, **common).with_values(departments__regrowth__relabel_per_year=5.0))
    coats = np.char.find(relabelled.catalog.task_id.astype(str), "+coat") >= 0
    assert not (np.char.find(none.catalog.task_id.astype(str), "+coat") >= 0).any()
    assert coats.sum() > 5
    assert np.all(relabelled.catalog.start_day[coats] >= 100)
    assert np.all(relabelled.catalog.kind[coats] == ADMIN)
    assert not relabelled.catalog.on_access_list[coats].any()
