"""Local worker processes: started safely, whatever threads this process runs."""

from __future__ import annotations

import os
import sys

import pytest

from sim import executors
from sim.executors import WORKER_MODULES, open_executor


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux")
def test_workers_are_not_forked_from_this_process():
    # This process runs threads (NumPy's BLAS pool at least); a fork of it could deadlock.
    with open_executor(workers=2) as executor:
        parents = {executor.submit(os.getppid).result() for _ in range(4)}
    assert os.getpid() not in parents


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux")
def test_workers_start_with_the_worker_modules_imported():
    with open_executor(workers=2) as executor:
        loaded = executor.submit(_loaded, WORKER_MODULES).result()
    assert loaded == list(WORKER_MODULES)


def _loaded(names: tuple[str, ...]) -> list[str]:
    return [name for name in names if name in sys.modules]


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux")
def test_the_fork_server_runs_a_single_thread_so_its_forks_are_safe():
    # NumPy's BLAS pool and pyarrow's jemalloc thread would start there with the worker modules.
    with open_executor(workers=2) as executor:
        server = executor.submit(os.getppid).result()
        threads = os.listdir(f"/proc/{server}/task")
    assert len(threads) == 1


@pytest.mark.skipif(sys.platform != "linux", reason="the fork server is used on Linux")
def test_starting_workers_leaves_this_process_environment_alone(monkeypatch):
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    with open_executor(workers=2) as executor:
        executor.submit(os.getpid).result()
    assert "OPENBLAS_NUM_THREADS" not in os.environ


@pytest.mark.parametrize("workers, scheduler, started", [
    (2, None, True), (None, None, (os.cpu_count() or 1) > 1), (1, None, False),
    (2, "tcp://scheduler:8786", False),
])
def test_commands_start_the_fork_server_early_only_for_local_worker_processes(
        monkeypatch, workers, scheduler, started):
    calls = []
    monkeypatch.setattr(executors, "_worker_context", lambda: calls.append(True))
    monkeypatch.setattr(executors.sys, "platform", "linux")
    executors.start_early(workers, scheduler)
    assert bool(calls) == started
