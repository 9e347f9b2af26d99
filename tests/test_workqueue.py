"""The work queue hands out each pool's hours in priority order; policies set that order."""

from __future__ import annotations

import numpy as np

from sim.policies import POLICIES
from sim.workqueue import WorkQueue


def columns(policy, pool, weight, due, arrival, effort, first_task=0):
    pool, due, arrival = (np.asarray(x, dtype=np.int64) for x in (pool, due, arrival))
    effort = np.asarray(effort, dtype=float)
    n = len(pool)
    return dict(key=POLICIES[policy].key(pool, np.asarray(weight, dtype=float), due, arrival),
                pool=pool, community=pool, task=np.arange(first_task, first_task + n,
                                                          dtype=np.int32),
                kind=np.zeros(n, dtype=np.int8), due=due.astype(np.int32),
                arrival=arrival.astype(np.int32), remaining=effort.copy(), effort=effort)


def queue_of(*args):
    queue = WorkQueue()
    queue.add(**columns(*args))
    return queue


def worked_by_task(queue, worked):
    return dict(zip(queue.task.tolist(), worked.tolist(), strict=True))


def test_allocation_never_exceeds_a_pool_capacity():
    queue = queue_of("fifo", [0, 0, 1, 1], [0] * 4, [5] * 4, [0, 1, 0, 1], [3, 3, 3, 3])
    worked = queue.allocate(np.array([4.0, 10.0]))
    assert np.bincount(queue.pool, worked).tolist() == [4.0, 6.0]


def test_work_is_partial_for_the_last_instance_reached():
    queue = queue_of("fifo", [0, 0, 0], [0] * 3, [5] * 3, [0, 1, 2], [3, 3, 3])
    worked = worked_by_task(queue, queue.allocate(np.array([4.0])))
    assert worked == {0: 3.0, 1: 1.0, 2: 0.0}
    assert queue.finished().tolist() == [True, False, False]


def test_assessment_weighted_serves_the_most_assessed_first():
    queue = queue_of("assessment_weighted", [0, 0], [0.1, 0.9], [3, 9], [0, 1], [5, 5])
    assert worked_by_task(queue, queue.allocate(np.array([5.0]))) == {0: 0.0, 1: 5.0}


def test_earliest_deadline_serves_the_nearest_deadline_first():
    queue = queue_of("earliest_deadline", [0, 0], [0.1, 0.9], [3, 9], [0, 1], [5, 5])
    assert worked_by_task(queue, queue.allocate(np.array([5.0]))) == {0: 5.0, 1: 0.0}


def test_fifo_serves_the_oldest_first():
    queue = queue_of("fifo", [0, 0], [0.9, 0.1], [9, 3], [4, 2], [5, 5])
    assert worked_by_task(queue, queue.allocate(np.array([5.0]))) == {0: 0.0, 1: 5.0}


def test_equal_keys_keep_arrival_order_across_additions():
    queue = queue_of("fifo", [0], [0], [5], [1], [2])
    queue.add(**columns("fifo", [0], [0], [5], [1], [2], first_task=7))
    worked = worked_by_task(queue, queue.allocate(np.array([2.0])))
    assert worked == {0: 2.0, 7: 0.0}


def test_ineligible_work_is_skipped_but_keeps_its_place():
    queue = queue_of("fifo", [0, 0], [0, 0], [5, 5], [0, 1], [3, 3])
    worked = queue.allocate(np.array([3.0]), eligible=np.array([False, True]))
    assert worked.tolist() == [0.0, 3.0]


def test_removing_finished_work_returns_it():
    queue = queue_of("fifo", [0, 0], [0, 0], [5, 5], [0, 1], [3, 3])
    queue.allocate(np.array([3.0]))
    taken = queue.remove(queue.finished())
    assert taken["task"].tolist() == [0] and queue.task.tolist() == [1]


def test_changes_waiting_for_a_read_give_the_queue_made_one_change_at_a_time():
    def changed(together):
        queue = queue_of("fifo", [0, 0, 1, 1], [0] * 4, [5] * 4, [0, 1, 2, 3], [3, 2, 1, 4])
        moved = queue.where(np.array([False, True, False, False]))
        moved["key"] = moved["key"] + 10
        drop = np.array([True, True, False, False])
        arrivals = columns("fifo", [1, 0], [0, 0], [5, 5], [4, 5], [6, 7], first_task=4)
        if together:
            queue.update(drop, moved)
            queue.add(**arrivals)
        else:
            queue.update(drop, moved)
            _ = queue.key                      # a read applies the first change alone
            queue.add(**arrivals)
        return {name: queue.where(np.ones(len(queue), dtype=bool))[name].tolist()
                for name in ("key", "pool", "task", "remaining")}

    assert changed(together=True) == changed(together=False)


def test_a_merge_puts_new_work_after_kept_work_of_equal_key_in_the_order_it_came():
    queue = queue_of("fifo", [0, 0, 0], [0] * 3, [5] * 3, [1, 1, 1], [3, 3, 3])
    queue.update(np.array([False, True, False]), None)
    queue.add(**columns("fifo", [0, 0, 0], [0] * 3, [5] * 3, [1, 0, 1], [2, 2, 2],
                        first_task=7))
    assert queue.task.tolist() == [8, 0, 2, 7, 9]


def test_a_pass_over_listed_items_works_as_a_pass_over_a_mask_of_them():
    masked = queue_of("fifo", [0, 0, 0, 1, 1], [0] * 5, [5] * 5, [0, 1, 2, 3, 4], [3, 2, 4, 1, 5])
    listed = queue_of("fifo", [0, 0, 0, 1, 1], [0] * 5, [5] * 5, [0, 1, 2, 3, 4], [3, 2, 4, 1, 5])
    eligible = np.array([True, False, True, False, True])
    capacity = np.array([5.0, 2.0])
    worked = masked.allocate(capacity, eligible)
    share = np.zeros(5)
    listed.work(eligible.nonzero()[0], capacity, share)
    share = share[eligible]
    assert worked[eligible].tolist() == share.tolist()
    assert masked.remaining.tolist() == listed.remaining.tolist()


def test_reading_listed_items_gives_copies_of_the_named_columns_only():
    queue = queue_of("fifo", [0, 0, 1], [0] * 3, [5] * 3, [0, 1, 2], [3, 2, 1])
    taken = queue.at(np.array([0, 2]), ("task", "remaining"))
    taken["remaining"][:] = 0.0
    assert list(taken) == ["task", "remaining"] and taken["task"].tolist() == [0, 2]
    assert queue.remaining.tolist() == [3.0, 2.0, 1.0]
