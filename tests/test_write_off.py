"""Departments stop chasing administrative work after ``departments.chase_limit_days``.

Without a limit an overloaded community's administrative queue grows for ever
(docs/model.md 4.9): the item is written off undone, booked apart from the
resident requests that lapse, and counts as fallen overdue.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.catalog import ADMIN
from sim.ledger import FIELDS
from sim.metrics import compute_metrics
from tests.conftest import quiet_scenario, run_model, write_catalog

LIMIT = 5


def total(model, field: str) -> float:
    return float(model.ledger.weekly[:, FIELDS.index(field)].sum())


@pytest.fixture
def overloaded(tmp_path):
    """One item of 6 hours a day against 8 hours of one staff member, every 1st day, due
    in 2: half of the work can never be done."""
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "16",
                                                   "deadline_days": "2"}])
    return lambda limit: run_model(quiet_scenario(catalog, simulation__days=60,
                                                  staffing__overtime_cap_hours=0.0,
                                                  departments__chase_limit_days=limit))


def test_no_administrative_item_stays_open_beyond_the_limit(overloaded):
    model = overloaded(LIMIT)
    queue = model.queue
    last_day = model.days - 1
    assert np.all(queue.due[queue.kind == ADMIN] > last_day - LIMIT)


def test_written_off_work_is_booked_with_its_remaining_hours(overloaded):
    model = overloaded(LIMIT)
    assert total(model, "written_off") > 0
    assert total(model, "written_off_hours") > 0
    assert total(model, "lapsed") == 0


def test_a_longer_limit_writes_off_less_and_leaves_more_open(overloaded):
    short, long = overloaded(LIMIT), overloaded(30)
    assert total(long, "written_off") < total(short, "written_off")
    assert len(long.queue) > len(short.queue)


def test_written_off_items_count_as_fallen_overdue(overloaded):
    model = overloaded(LIMIT)
    metrics = compute_metrics(model)
    assert metrics["written_off_share"] > 0
    assert metrics["overdue_rate"] >= metrics["written_off_share"]


def test_the_default_limit_leaves_a_one_year_run_untouched(tmp_path):
    """Queues start empty, so nothing is a working year past its deadline within a year."""
    catalog = write_catalog(tmp_path / "c.csv", [{"period_days": "1", "effort_hours": "16",
                                                   "deadline_days": "2"}])
    year = {"simulation__days": 250, "staffing__overtime_cap_hours": 0.0}
    default = run_model(quiet_scenario(catalog, **year))
    never = run_model(quiet_scenario(catalog, departments__chase_limit_days=100000, **year))
    assert np.array_equal(default.ledger.weekly, never.ledger.weekly)


def test_written_off_hours_close_the_books(overloaded):
    model = overloaded(LIMIT)
    worked = sum(total(model, f) for f in ("hours_administrative", "hours_service",
                                            "hours_self_governance"))
    unworked = sum(total(model, f) for f in ("written_off_hours", "perfunctory_hours",
                                              "lapsed_hours"))
    backlog = float(model.queue.remaining.sum())
    assert worked + unworked + backlog == pytest.approx(total(model, "effort_accepted"))
