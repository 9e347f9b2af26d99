"""Where runs execute: in this process, a local process pool, or a Dask cluster.

All three are ``concurrent.futures`` executors, so the sweep and comparison
code has one path whatever the parallelism; results do not depend on it
because every run carries its own seed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from typing import Any

from sim.errors import UserError

SCHEDULER_TIMEOUT_S = 5
# What the fork server imports once before forking local workers: the runs' modules and the
# compiled loops, loaded (sim/worker_start.py).
WORKER_MODULES = ("sim.worker_start",)
# Background threads the worker modules' imports would start in the fork server, switched off
# there: NumPy's BLAS pool (OpenBLAS, OpenMP or MKL) and the jemalloc purging thread of pyarrow,
# which pandas imports. With them the server would fork its workers from a multi-threaded
# process after all. Workers inherit the settings; a run does no large linear algebra.
SINGLE_THREAD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                     "MKL_NUM_THREADS": "1", "JE_ARROW_MALLOC_CONF": "background_thread:false"}


class InlineExecutor(Executor):
    """Runs each call at submit time in this process (``--workers 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:
            future.set_exception(err)
        return future


def start_early(workers: int | None, scheduler: str | None) -> None:
    """Start the local fork server now, if runs will go to local worker processes.

    The server imports the model (about a second: Mesa brings SciPy, pandas and
    networkx) while this process is still importing its own modules and reading its
    scenarios, so a command's first worker starts without that wait. Commands call it
    first thing; a pool opened later finds the server running.
    """
    if scheduler or (workers or os.cpu_count() or 1) == 1 or sys.platform != "linux":
        return
    _worker_context()


@contextmanager
def open_executor(workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[Executor]:
    """An executor for ``workers`` local processes (default: all cores) or a Dask scheduler."""
    if scheduler:
        with _dask_executor(scheduler) as executor:
            yield executor
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        yield InlineExecutor()
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_worker_context())
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Workers forked by a fork server on Linux, spawned ones elsewhere.

    Forking this process is unsafe: by the time a pool starts it runs threads
    (NumPy's BLAS pool, pyarrow's, a Dask client's), and a child forked from a
    multi-threaded process can deadlock on a lock another thread held (Python
    3.12+ warns about it). Spawning is safe but re-imports NumPy, Mesa and the
    model in every worker, which costs a two-worker sweep a tenth of its
    speed. A fork server is a fresh process started once (by fork and exec),
    which imports the worker modules up front and forks each worker from
    itself, so workers start ready to run, without a thread of this process;
    the server itself is kept single-threaded (SINGLE_THREAD_ENV).
    """
    if sys.platform != "linux":
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_MODULES))
    _start_single_threaded_fork_server()
    return context


def _start_single_threaded_fork_server() -> None:
    """Start the fork server (once per process) with SINGLE_THREAD_ENV in its environment,
    leaving this process's own environment as it was."""
    from multiprocessing import forkserver

    saved = {name: os.environ.get(name) for name in SINGLE_THREAD_ENV}
    os.environ.update(SINGLE_THREAD_ENV)
    try:
        forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def _dask_executor(address: str) -> Iterator[Executor]:
    try:
        from dask.distributed import Client
    except ImportError:
        raise UserError("--scheduler needs Dask: pip install 'commsim[dask]'") from None
    try:
        client = Client(address, timeout=f"{SCHEDULER_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as err:
        raise UserError(f"--scheduler {address}: cannot reach the Dask scheduler within "
                        f"{SCHEDULER_TIMEOUT_S} s ({type(err).__name__}: {err})") from None
    try:
        yield client.get_executor(pure=False)
    finally:
        client.close()


def window(workers: int | None) -> int:
    """Runs kept submitted at once: two per worker keeps every worker busy between results."""
    return 2 * (workers or os.cpu_count() or 1)


def map_unordered(executor: Executor, fn: Callable[[Any], Any], items: Iterable[Any],
                  in_flight: int) -> Iterator[tuple[Any, Any]]:
    """Yield (item, result) as runs finish, keeping at most ``in_flight`` submitted at once.

    Bounding the queue keeps memory flat however many runs a sweep has.
    """
    pending: dict[Future, Any] = {}
    iterator = iter(items)
    try:
        while True:
            while len(pending) < in_flight:
                item = next(iterator, None)
                if item is None:
                    break
                pending[executor.submit(fn, item)] = item
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield pending.pop(future), future.result()
    finally:
        for future in pending:
            future.cancel()
