"""Mesa's own tools on the model: batch_run, DataCollector, the agents' state (sim/batch.py).

A Mesa user reaches for ``mesa.batch_run`` and a DataCollector first; what they get must be
the numbers ``commsim run`` prints for the same scenario, seed and replicate, and runs that
differ only in a reform must stay paired (common random numbers).
"""

from __future__ import annotations

import inspect
import math

import mesa
import numpy as np
import pandas as pd
import pytest

from sim.batch import CommunityBatchModel
from sim.communities import COMMUNITY_STATE, Community
from sim.errors import UserError
from sim.metrics import METRICS
from sim.model import CommunityWorkloadModel
from sim.parameters import DAYS_PER_WEEK
from sim.runner import run_replicate
from sim.scenario import load_scenario

# A small synthetic city with a warm-up that is not a multiple of the run, so measuring starts
# mid-run and the last week is short (62 days: 12 weeks and 2 days).
SMALL = {"city.roster": "", "governance.by_district": {}, "city.communities": 12,
         "simulation.days": 62, "simulation.warmup_days": 20}


def _same(left: float, right: float) -> bool:
    return left == right or (math.isnan(left) and math.isnan(right))


def _finished(model: CommunityBatchModel) -> CommunityBatchModel:
    while model.running:
        model.step()
    return model


def test_the_adapter_records_the_numbers_of_commsim_run():
    model = _finished(CommunityBatchModel("baseline", seed=4, replicate=2, **SMALL))
    expected = run_replicate(load_scenario("baseline").updated(SMALL, "test"), 4, 2).metrics
    recorded = model.datacollector.get_model_vars_dataframe().iloc[-1]
    assert all(_same(recorded[name], value) for name, value in expected.items())
    assert set(METRICS) <= set(recorded.index)


def test_one_step_per_week_and_a_closing_step():
    model = _finished(CommunityBatchModel("baseline", **SMALL))
    weeks = -(-SMALL["simulation.days"] // DAYS_PER_WEEK)
    assert model.steps == weeks + 1 and model.closed and model.day == model.days
    frame = model.datacollector.get_model_vars_dataframe()
    assert len(frame) == weeks + 2            # the initial state, every week, the closing step
    assert frame["admin_share"].iloc[: 20 // DAYS_PER_WEEK + 1].isna().all()   # the warm-up
    assert frame["admin_share"].iloc[-1] == frame["admin_share"].iloc[-2]


def test_a_five_year_run_fits_in_batch_runs_default_steps():
    model = CommunityBatchModel("five_years", collect=False, **{"city.roster": "",
                                "governance.by_district": {}, "city.communities": 2})
    assert model.weeks + 1 < 1000


def test_batch_run_over_a_reform_switch_gives_paired_runs_of_the_clis_numbers():
    start = 30          # the access list comes into force after six weeks: until then, the same
    settings = {**SMALL, "reforms.access_list.start_day": start,
                "governance.by_district": [{}]}    # batch_run would iterate over a dict's keys
    rows = pd.DataFrame(mesa.batch_run(
        CommunityBatchModel,
        {"scenario": "baseline", "seed": 7, "replicate": range(2),
         "reforms.access_list.enabled": [False, True], **settings},
        data_collection_period=1, display_progress=False))
    final = rows[rows["Step"] == rows.groupby("RunId")["Step"].transform("max")]
    base = load_scenario("baseline").updated({**SMALL, "reforms.access_list.start_day": start},
                                             "test")
    for (rep, enabled), row in final.set_index(["replicate", "reforms.access_list.enabled"]
                                               ).iterrows():
        scenario = base.updated({"reforms.access_list.enabled": bool(enabled)}, "test")
        expected = run_replicate(scenario, 7, int(rep)).metrics
        assert all(_same(row[name], value) for name, value in expected.items())
    before = rows[rows["Step"] <= start // DAYS_PER_WEEK].pivot_table(
        index=["replicate", "Step"], columns="reforms.access_list.enabled",
        values="admin_share", dropna=False)
    measured = before.dropna()
    assert len(measured) and (measured[False] == measured[True]).all()
    after = final.pivot_table(index="replicate", columns="reforms.access_list.enabled",
                              values="admin_share")
    assert (after[True] < after[False]).all()


def test_the_seed_comes_as_a_setting_or_as_mesas_rng():
    """Mesa 3.5's batch_run passes its ``rng=`` values as the model's ``rng`` (None unless
    given), so the seed cannot be a named argument it would overwrite."""
    by_seed = _finished(CommunityBatchModel("baseline", seed=5, collect=False, **SMALL))
    by_rng = _finished(CommunityBatchModel("baseline", rng=5, collect=False, **SMALL))
    assert by_seed.seed == by_rng.seed == 5
    assert (by_seed.ledger.weekly == by_rng.ledger.weekly).all()
    with pytest.raises(UserError, match=r"rng=.*whole number"):
        CommunityBatchModel("baseline", rng=np.random.default_rng(1), **SMALL)


@pytest.mark.skipif("rng" not in inspect.signature(mesa.batch_run).parameters,
                    reason="this Mesa's batch_run takes no rng (before 3.4)")
def test_batch_run_rng_seeds_every_combination_alike():
    rows = pd.DataFrame(mesa.batch_run(
        CommunityBatchModel, {"reforms.access_list.enabled": [False, True], **SMALL,
                              "governance.by_district": [{}]},
        rng=[9], display_progress=False))
    expected = run_replicate(load_scenario("baseline").updated(SMALL, "test"), 9, 0).metrics
    plain = rows[~rows["reforms.access_list.enabled"]].iloc[-1]
    assert _same(plain["admin_share"], expected["admin_share"])


def test_settings_take_dotted_keys_or_double_underscores():
    dotted = CommunityBatchModel("baseline", collect=False, **SMALL)
    spelled = CommunityBatchModel("baseline", collect=False, city__roster="",
                                  governance__by_district={}, city__communities=12)
    assert dotted.city.n_communities == spelled.city.n_communities == 12


@pytest.mark.parametrize(("settings", "message"), [
    ({"staffing.staff_per_communty": 3}, "staffing.staff_per_communty"),
    ({"staffing.staff_per_community": -1}, "staffing.staff_per_community"),
])
def test_bad_settings_raise_the_clis_message(settings, message):
    with pytest.raises(UserError, match=message.replace(".", r"\.")):
        CommunityBatchModel("baseline", collect=False, **settings)


def test_the_datacollector_is_opt_in():
    scenario = load_scenario("baseline").updated(SMALL, "test")
    assert not hasattr(CommunityWorkloadModel(scenario), "datacollector")
    assert not hasattr(CommunityBatchModel(scenario, collect=False), "datacollector")


def test_agent_reporters_read_every_communitys_state():
    model = CommunityBatchModel("baseline", agents=True, seed=1, **SMALL)
    for _ in range(6):
        model.step()
    frame = model.datacollector.get_agent_vars_dataframe()
    last = frame.xs(model.steps, level="Step").dropna(subset=["community_id"])
    assert len(last) == 12 and set(COMMUNITY_STATE) <= set(frame.columns)
    communities = list(model.agents_by_type[Community])
    assert sorted(last["staff"]) == sorted(agent.staff for agent in communities)
    assert ((last["admin_share"] > 0) & (last["admin_share"] < 1)).all()
    assert (last["overdue_items"] <= last["open_items"]).all()


def test_a_mesa_datacollector_with_community_reporters_works_on_the_cli_model():
    """What a Mesa user writes without the adapter: agent-type reporters on communities."""
    model = CommunityWorkloadModel(load_scenario("baseline").updated(SMALL, "test"))
    collector = mesa.DataCollector(agenttype_reporters={
        Community: {"backlog": "backlog_hours", "score": "assessment_score"}})
    for _ in range(5):
        model.step()
    collector.collect(model)
    frame = collector.get_agenttype_vars_dataframe(Community)
    assert len(frame) == 12 and (frame["backlog"] >= 0).all()
