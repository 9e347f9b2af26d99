"""The fixed-seed runs match the stored baseline (refresh: ``make regression-refresh``), and
the comparison reports what moved in a form a reviewer can read."""

from __future__ import annotations

import math

import pytest

from tests.regression import CASES, Change, current, diff, load, runs, write_atomically

STORED_RUNS = {"baseline": {"admin_share": [0.8, 0.5], "overdue_rate": [0.1, 0.2],
                            "quits_per_staff_year": [0.0, float("nan")]}}


def moved(**values: list[float]) -> dict[str, dict[str, list[float]]]:
    """STORED_RUNS with some of the baseline's metrics replaced (or added)."""
    return {"baseline": {**STORED_RUNS["baseline"], **values}}


def test_identical_runs_differ_in_nothing():
    found = diff(STORED_RUNS, moved(quits_per_staff_year=[0.0, float("nan")]))
    assert not found
    assert found.table() == "no change"


def test_a_change_within_the_tolerance_is_no_change():
    assert not diff(STORED_RUNS, moved(admin_share=[0.8 * (1 + 1e-12), 0.5]))


def test_a_changed_metric_is_reported_with_old_new_and_relative_change():
    found = diff(STORED_RUNS, moved(admin_share=[0.8, 0.55], overdue_rate=[0.3, 0.2]))
    assert found.changed == [Change("baseline", "overdue_rate", 0, 0.1, 0.3),
                             Change("baseline", "admin_share", 1, 0.5, 0.55)]
    assert found.changed[0].relative == pytest.approx(2.0)
    assert found.changed[1].relative == pytest.approx(0.1)
    header, first, second = found.table().splitlines()
    assert header.split() == ["scenario", "metric", "rep", "old", "new", "rel.", "change"]
    assert first.split() == ["baseline", "overdue_rate", "0", "0.1", "0.3", "+2.000e+00"]
    assert second.split() == ["baseline", "admin_share", "1", "0.5", "0.55", "+1.000e-01"]


def test_a_value_leaving_zero_or_nan_sorts_first():
    found = diff(STORED_RUNS, moved(admin_share=[0.4, 0.5], quits_per_staff_year=[0.1, 0.2]))
    assert [c.rep for c in found.changed[:2]] == [0, 1]
    assert all(math.isinf(c.relative) for c in found.changed[:2])
    assert found.changed[2].metric == "admin_share"


def test_metrics_added_to_and_removed_from_the_registry_are_listed():
    now = {"baseline": {"admin_share": [0.8, 0.5], "overdue_rate": [0.1, 0.2],
                        "enforcement": [1.0, 1.0]}}
    found = diff(STORED_RUNS, now)
    assert (found.changed, found.added, found.removed) == ([], ["enforcement"],
                                                           ["quits_per_staff_year"])
    assert found.table().splitlines() == [
        "metrics added to the registry: enforcement",
        "metrics removed from the registry: quits_per_staff_year"]


def test_scenarios_and_replicates_only_one_side_has_are_reported():
    found = diff({**STORED_RUNS, "gone": {}}, {**moved(overdue_rate=[0.1, 0.2, 0.3]), "new": {}})
    assert found.changed == [Change("baseline", "overdue_rate", 2, None, 0.3)]
    assert (found.new_scenarios, found.lost_scenarios) == (["new"], ["gone"])


def test_the_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "regression.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o644)
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["regression.json"]


def test_the_stored_baseline_was_made_with_the_current_cases():
    stored = load()["scenarios"]
    assert list(stored) == [case.name for case in CASES]
    for case in CASES:
        entry = stored[case.name]
        assert (entry["scenario"], tuple(entry["overrides"])) == (case.scenario, case.overrides)


@pytest.mark.slow
def test_fixed_seed_runs_match_the_stored_baseline():
    found = diff(runs(load()), runs(current()))
    assert not found, "regression baseline moved (make regression-refresh if intended):\n" + \
        found.table()
