"""Parameter sweeps that survive interruption: every finished run reaches disk at once.

A sweep folder is a results folder (``sim.results_folder``): ``manifest.json``
(the design, scenario, seeds and versions: enough to re-run it) is written
first, ``runs.jsonl`` (a journal: one line per finished run, appended and
synced as each run ends) grows as runs end and, when the sweep completes,
``runs.parquet`` holds the journal in design order in the common schema. If the
sweep is killed, at most the runs in flight are lost; ``resume`` reads the
journal, drops a torn last line, and runs only the keys it lacks. A run that
raises is a row with ``status = failed`` and its error, and the sweep goes on.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.design import Vary, design_points, parse_vary, point_seed, run_key
from sim.errors import UserError
from sim.executors import map_unordered, open_executor, window
from sim.metrics import METRICS
from sim.output import output_errors, replacing, write_json, write_text
from sim.results_folder import MANIFEST, NO_WORLD, RUNS, results_manifest, runs_frame
from sim.runner import RunSpec, execute
from sim.scenario import Scenario

JOURNAL, RESULTS, DESCRIPTION = "runs.jsonl", RUNS, MANIFEST
OLD_DESCRIPTION = "sweep.json"          # what sweeps wrote before the common results format
CHECKED = ("design", "scenarios", "reps", "seed", "common_random_numbers")
CHUNK_ROWS = 2000


@dataclass(frozen=True)
class SweepPlan:
    """Every run of a sweep, in design order, with its key."""

    scenario: Scenario
    varies: list[Vary]
    points: list[dict[str, Any]]
    reps: int
    seed: int
    common_random_numbers: bool
    sample: str
    n: int | None

    def runs(self) -> Iterator[tuple[int, dict[str, Any], RunSpec]]:
        for index, point in enumerate(self.points):
            scenario = self.scenario.updated(point, "--vary")
            seed = point_seed(self.seed, point, self.common_random_numbers)
            for rep in range(self.reps):
                yield index, point, RunSpec(scenario, seed, rep, run_key(scenario, seed, rep),
                                            point=index)

    @property
    def varied(self) -> list[str]:
        return [v.key for v in self.varies]

    def description(self) -> dict[str, Any]:
        """The manifest of the sweep's folder, written before any run."""
        return results_manifest("sweep", {self.scenario.name: self.scenario},
                                [RESULTS, JOURNAL], **self.facts())

    def facts(self) -> dict[str, Any]:
        return {
            "design": {"sample": self.sample, "n": self.n,
                       "vary": [_vary_text(v) for v in self.varies],
                       "points": self.points},
            "varied": self.varied,
            "reps": self.reps, "seed": self.seed, "replicates": list(range(self.reps)),
            "common_random_numbers": self.common_random_numbers,
            "seeding": "run seed = master seed (common random numbers) or "
                       "SeedSequence(master, spawn_key=(hash of point,)); replicate r draws "
                       "from SeedSequence(run seed, spawn_key=(r, ...))",
        }


def plan_sweep(scenario: Scenario, varies: list[Vary], *, sample: str = "grid",
               n: int | None = None, reps: int = 1, seed: int = 0,
               common_random_numbers: bool = True,
               points: list[dict[str, Any]] | None = None) -> SweepPlan:
    """The runs of a design: drawn from ``varies`` by ``sample``, or the given ``points``
    (a design made elsewhere, e.g. by a sensitivity-analysis sampler)."""
    if not varies:
        raise UserError("a sweep needs at least one --vary KEY=...")
    if points is None:
        points = design_points(varies, sample, n, seed)
    for point in points:                       # refuse bad combinations before running any
        scenario.updated(point, "--vary")
    return SweepPlan(scenario, varies, points, reps, seed, common_random_numbers, sample, n)


def sweep(scenario: Scenario, vary: list[str], out: Path, *, sample: str = "grid",
          n: int | None = None, reps: int = 1, seed: int = 0, common_random_numbers: bool = True,
          resume: bool = False, workers: int | None = None,
          scheduler: str | None = None) -> pd.DataFrame:
    """The whole sweep in one call (for notebooks): ``vary`` as on the command line."""
    plan = plan_sweep(scenario, [parse_vary(v) for v in vary], sample=sample, n=n, reps=reps,
                      seed=seed, common_random_numbers=common_random_numbers)
    return run_sweep(plan, out, resume=resume, workers=workers, scheduler=scheduler)


def run_sweep(plan: SweepPlan, out: Path, *, resume: bool = False, workers: int | None = None,
              scheduler: str | None = None, progress: Progress | None = None) -> pd.DataFrame:
    """Run every missing run of ``plan`` into ``out``; return the runs table."""
    out = Path(out)
    with output_errors(out, hint=resume_hint(out)):
        done = _prepare_folder(plan, out, resume)
        journal = (out / JOURNAL).open("ab", buffering=0)
    todo = (spec for _, _, spec in plan.runs() if spec.key not in done)
    progress = progress or Progress(0, enabled=False)
    progress.start(len(plan.points) * plan.reps - len(done), already=len(done))
    with journal, open_executor(workers, scheduler) as executor:
        for spec, record in map_unordered(executor, execute, todo, window(workers)):
            with output_errors(out, hint=resume_hint(out)):
                _append(journal, _row(plan, spec, record))
            progress.advance()
    progress.finish()
    with output_errors(out, hint=resume_hint(out)):
        _write_results(out, plan)
    return pd.read_parquet(out / RESULTS)


def resume_hint(out: Path, journal: Path | None = None) -> str:
    """What to do after a write failed mid-sweep: every finished run is in the journal."""
    return (f"the finished runs are kept in {journal or out / JOURNAL}; free space (or copy "
            f"{out} to a disk with room), then rerun the same command with --out on that "
            "folder and --resume")


def _prepare_folder(plan: SweepPlan, out: Path, resume: bool) -> set[str]:
    """Create or check the sweep folder; return the keys already on disk."""
    description = plan.description()
    if resume:
        stored_path = out / DESCRIPTION
        if not stored_path.is_file():
            older = (out / OLD_DESCRIPTION).is_file()
            raise UserError(f"--resume {out}: " + (
                f"written by an older commsim ({OLD_DESCRIPTION}, no {DESCRIPTION}); it "
                "cannot be resumed: rerun the sweep into a new folder" if older else
                f"no {DESCRIPTION} there; nothing to resume"))
        stored = _checked(json.loads(stored_path.read_text(encoding="utf-8")))
        for field, value in _checked(description).items():
            if json.dumps(stored.get(field), sort_keys=True, default=str) != json.dumps(
                    value, sort_keys=True, default=str):
                raise UserError(f"--resume {out}: the sweep there differs in '{field}'; "
                                "resume with the same scenario, --vary, --reps and --seed")
        return _clean_journal(out / JOURNAL)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UserError(f"--out {out}: not empty; pass --resume to continue the sweep there, "
                        "or choose a new folder")
    out.mkdir(parents=True, exist_ok=True)
    write_json(out / DESCRIPTION, description)
    (out / JOURNAL).touch()
    return set()


def _checked(description: dict[str, Any]) -> dict[str, Any]:
    """What must match for a sweep to be resumed: the design, seeds and the resolved
    scenario (not the path it was read from)."""
    checked = {field: description.get(field) for field in CHECKED}
    checked["scenarios"] = {name: entry.get("resolved") for name, entry in
                            (checked["scenarios"] or {}).items()}
    return checked


def _clean_journal(path: Path) -> set[str]:
    """Rewrite the journal without a torn last line; return the keys it holds."""
    keys: set[str] = set()
    lines: list[str] = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                keys.add(json.loads(line)["run_key"])
            except (json.JSONDecodeError, KeyError):
                continue                            # a line torn by a kill mid-write
            lines.append(line)
    write_text(path, "".join(line + "\n" for line in lines))
    return keys


def _row(plan: SweepPlan, spec: RunSpec, record: dict[str, Any]) -> dict[str, Any]:
    """One journal line: the run's keys, seed, varied values, metrics and outcome."""
    metrics = {name: record.get(name) for name in METRICS}
    return {"scenario": plan.scenario.name, "point": spec.point, "world": NO_WORLD,
            "rep": spec.replicate, "seed": spec.seed, **plan.points[spec.point], **metrics,
            "status": record["status"], "error": record["error"],
            "seconds": record["seconds"], "run_key": spec.key}


def _append(journal: BinaryIO, row: dict[str, Any]) -> None:
    """Write one line to the unbuffered journal and sync it. A full disk stops this at the
    line it tore (resume drops it), and nothing is left buffered to fail again on close."""
    line = memoryview((json.dumps(row, default=str) + "\n").encode("utf-8"))
    while line:
        line = line[journal.write(line):]
    os.fsync(journal.fileno())


def _write_results(out: Path, plan: SweepPlan) -> None:
    """The journal as a Parquet table in design order, written in chunks, then renamed."""
    journal = out / JOURNAL
    order = []
    with journal.open("rb") as handle:
        offset = 0
        for line in handle:
            row = json.loads(line)
            order.append((row["point"], row["rep"], offset))
            offset += len(line)
    order.sort()
    with replacing(out / RESULTS) as tmp, journal.open("rb") as handle:
        writer = None
        for start in range(0, len(order), CHUNK_ROWS):
            rows = []
            for _, _, position in order[start:start + CHUNK_ROWS]:
                handle.seek(position)
                rows.append(json.loads(handle.readline()))
            table = _arrow_table(pd.DataFrame(rows), plan.varied)
            writer = writer or pq.ParquetWriter(tmp, table.schema)
            writer.write_table(table)
        if writer is None:
            writer = pq.ParquetWriter(tmp, _arrow_table(pd.DataFrame(
                columns=["scenario", "point", "world", "rep", "seed", *plan.varied]),
                plan.varied).schema)
        writer.close()


def _arrow_table(frame: pd.DataFrame, varied: list[str]) -> pa.Table:
    """Journal rows as an Arrow table in the common runs schema."""
    return pa.Table.from_pandas(runs_frame(frame, varied), preserve_index=False)


def _vary_text(vary: Vary) -> str:
    if vary.is_range:
        step = "" if vary.step is None else f":{vary.step:g}"
        return f"{vary.key}={vary.low:g}:{vary.high:g}{step}"
    return f"{vary.key}=" + ",".join(json.dumps(v) for v in vary.values)


class _Line:
    """The file object tqdm writes to, forwarding to a ``write`` callable (stderr by
    default, a list in tests)."""

    def __init__(self, write: Callable[[str], Any]):
        self.write = write

    def flush(self) -> None:
        """tqdm flushes after each update; a callable needs nothing flushed."""


class Progress:
    """Runs done, rate and ETA on one stderr line (tqdm); silent unless enabled."""

    def __init__(self, total: int = 0, enabled: bool = True,
                 write: Callable[[str], Any] = sys.stderr.write):
        self.total, self.enabled, self._file = total, enabled, _Line(write)
        self._bar: Any = None

    def start(self, total: int, already: int = 0) -> None:
        """Open the bar for ``total`` runs still to do (``already`` are on disk)."""
        self.total = total
        if not self.enabled:
            return
        from tqdm import tqdm  # comes with Mesa; loaded only when a bar is shown

        resumed = f" (+{already} on disk)" if already else ""
        self._bar = tqdm(total=total, file=self._file, unit=" runs", dynamic_ncols=False,
                         ncols=100, mininterval=0,
                         bar_format="{n_fmt}/{total_fmt} runs" + resumed
                         + "  {rate_fmt}  ETA {remaining}")
        self._bar.refresh()

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.update(1)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
