"""Same seed, same numbers; and common random numbers across scenarios."""

from __future__ import annotations

import numpy as np

from sim.catalog import load_catalog
from sim.model import CommunityWorkloadModel
from sim.runner import run, run_replicate


def issued(model, days):
    """Each department's instances on each of the first ``days`` days."""
    by_day = [{d.name: d.issue(day) for d in model.departments.members} for day in range(days)]
    return {d.name: [today[d.name] for today in by_day] for d in model.departments.members}


def same_arrivals(a, b, types=None):
    """The same instances every day (of task types below ``types`` only, if given)."""
    def of(batch):
        keep = slice(None) if types is None else batch.task < types
        return batch.community[keep], batch.task[keep]

    return all(all(np.array_equal(u, v) for u, v in zip(of(x), of(y), strict=True))
               for x, y in zip(a, b, strict=True))


def test_same_seed_gives_identical_results(small_city):
    first, second = run(small_city, seed=9, reps=2), run(small_city, seed=9, reps=2)
    assert first.metrics.equals(second.metrics)
    assert first.weekly.equals(second.weekly)


def test_replicates_differ_and_each_can_be_rerun_alone(small_city):
    both = run(small_city, seed=9, reps=2).metrics
    assert not both.loc[0].equals(both.loc[1])
    alone = run_replicate(small_city, seed=9, replicate=1).metrics
    assert alone == both.loc[1].to_dict()


def test_different_seeds_differ(small_city):
    assert not run(small_city, seed=1).metrics.equals(run(small_city, seed=2).metrics)


def test_reforms_leave_every_departments_arrivals_of_catalog_types_unchanged(small_city):
    """Only the new types departments create respond to a campaign's enforcement."""
    reformed = small_city.with_values(reforms__access_list__enabled=True,
                                      reforms__digital__enabled=True,
                                      reforms__grid_delegation__enabled=True,
                                      policy__priority="fifo")
    plain = issued(CommunityWorkloadModel(small_city, seed=5), 30)
    other = issued(CommunityWorkloadModel(reformed, seed=5), 30)
    assert set(other) - set(plain) == {"digital_platforms"}   # the reform's own apps
    catalog_types = len(load_catalog())
    assert all(same_arrivals(plain[name], other[name], catalog_types) for name in plain)


def test_a_change_to_one_department_leaves_the_others_arrivals_identical(tmp_path, small_city):
    table = load_catalog().table()
    police = table["department"] == "public_security"
    table.loc[police & (table["arrival"] == "demand"), "rate_per_1000hh_year"] *= 3
    changed = tmp_path / "changed.csv"
    table.to_csv(changed, index=False)
    plain = issued(CommunityWorkloadModel(small_city, seed=5), 30)
    other = issued(CommunityWorkloadModel(small_city.with_values(tasks__catalog=str(changed)),
                                          seed=5), 30)
    assert not same_arrivals(plain["public_security"], other["public_security"])
    assert all(same_arrivals(plain[name], other[name]) for name in plain
               if name != "public_security")


def test_replicates_in_parallel_give_the_same_numbers(small_city):
    one = run(small_city, seed=9, reps=3)
    two = run(small_city, seed=9, reps=3, workers=2)
    assert one.metrics.equals(two.metrics)
    assert one.weekly.equals(two.weekly)
