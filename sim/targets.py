"""Observed values to calibrate against: one CSV row per metric of a group of communities.

A targets file (``commsim calibrate --targets-file``) holds what was measured in a
real city, at whatever level it was measured: the whole city, a district, a relay
(street office or zone committee), a governance model, or one community. Each row
is read and checked cell by cell, like the task catalog and the roster, so that a
mistake names the file, the row (the line number, header = row 1), the column,
the bad value and what is allowed. Group names can only be checked against a city,
so ``check_groups`` builds the scenario's model once (without running it: a few
milliseconds) and refuses an unknown id before any simulation starts.

Columns: ``metric``, ``level``, ``id``, ``value`` and the optional ``se`` (the
standard error of the observed value). docs/observed_data.md describes the format
and how rows are weighed in the fit.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.csv_input import CsvFile, read_rows, row_cells
from sim.errors import UserError
from sim.groups import CITY_LABEL, LEVELS, groups
from sim.metrics import METRICS
from sim.output import output_errors, write_text
from sim.scenario import Scenario

REQUIRED = ("metric", "level", "id", "value")
OPTIONAL = ("se",)
TARGETS_FILE = CsvFile("targets file", "observed value", REQUIRED, OPTIONAL)
# Assumption: an observed value given without a standard error is taken as known to 5% of
# itself (--default-relative-se), about the half-width of the field report's administrative-
# share band (0.80-0.90 around 0.85), the same figure as calibrate's default tolerance.
DEFAULT_RELATIVE_SE = 0.05
# A row with a standard error counts as missed when the achieved interval stays further than
# this many standard errors from it (about a 95% band of the observation's own error).
SE_MISS = 2.0
SHOWN_GROUPS = 12      # valid ids listed in an unknown-id message before "... (N in all)"
REPORT_COLUMNS = ("metric", "level", "id", "observed", "se", "simulated", "ci_low", "ci_high",
                  "interval", "residual", "standardized_residual", "missed")


@dataclass(frozen=True)
class Observed:
    """One observed value of a metric over a group of communities."""

    metric: str
    level: str
    id: str
    value: float
    se: float | None = None
    line: int = 0            # its row in the targets file (header = 1); 0 for a --target

    @property
    def group(self) -> tuple[str, str]:
        return self.level, self.id

    @property
    def label(self) -> str:
        """The metric and, below the city, its group: ``overdue_rate (relay S01)``."""
        return self.metric if self.level == "city" else f"{self.metric} ({self.level} {self.id})"

    def standardized(self, mean: float, relative_se: float) -> float:
        """(simulated - observed) over the row's standard error, or, without one, over
        ``relative_se`` x |observed| (the assumed error of a value given bare)."""
        scale = self.se if self.se is not None else relative_se * max(abs(self.value), 1e-9)
        return (mean - self.value) / scale

    def allowed_gap(self, tolerance: float) -> float:
        """How far the achieved interval may stay from the value before the row counts as
        missed: SE_MISS standard errors with an se, else tolerance x |value|."""
        return SE_MISS * self.se if self.se is not None else tolerance * abs(self.value)


def load_targets(path: str | Path) -> list[Observed]:
    """Read and check a targets file; every row is checked before any is used."""
    path = Path(path)
    rows = read_rows(path, TARGETS_FILE, _check_row)
    check_unique(rows, str(path))
    return rows


def _check_row(path: Path, line: int, row: dict[str, str | None]) -> Observed:
    """One data row as an Observed; ``line`` is its line number in the file."""
    text, fail = row_cells(path, line, row, (*REQUIRED, *OPTIONAL))
    if text["metric"] not in METRICS:
        raise fail("metric", "one of " + ", ".join(METRICS))
    if text["level"] not in LEVELS:
        raise fail("level", "one of " + ", ".join(LEVELS))
    label = _group_id(text["level"], text["id"], fail)
    value = _finite(text["value"], fail("value", "a finite number"))
    se = None
    if text["se"]:
        se = _finite(text["se"], fail("se", "empty, or a finite number above 0 (the observed "
                                            "value's standard error)"), positive=True)
    return Observed(text["metric"], text["level"], label, value, se, line)


def _group_id(level: str, cell: str, fail: Any) -> str:
    """The group's name: at level city empty or 'city'; below it, not empty."""
    if level == "city":
        if cell not in ("", CITY_LABEL):
            raise fail("id", f"empty or '{CITY_LABEL}' at level city")
        return CITY_LABEL
    if not cell:
        raise fail("id", f"the name of a {level} (empty only at level city)")
    return cell


def _finite(cell: str, error: UserError, positive: bool = False) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise error from None
    if not math.isfinite(value) or (positive and value <= 0):
        raise error
    return value


def check_unique(rows: Sequence[Observed], where: str) -> None:
    """One row per (metric, level, id): two observations of the same thing would be
    weighed twice, and the report could not tell them apart."""
    seen: dict[tuple[str, str, str], Observed] = {}
    for row in rows:
        key = (row.metric, row.level, row.id)
        if key in seen:
            raise UserError(f"{where}: {_place(row)}, column 'id': bad value {row.id!r}; "
                            f"expected one value per metric and group, and {row.metric} of "
                            f"{row.level} {row.id!r} is given by {_place(seen[key])} already")
        seen[key] = row


def _place(row: Observed) -> str:
    return f"row {row.line}" if row.line else f"--target {row.metric}={row.value:g}"


def check_groups(rows: Sequence[Observed], scenario: Scenario, seed: int, where: str) -> None:
    """Refuse, before anything runs, a row whose id names no group of the scenario's city.

    The city is read from the scenario's model as built (not run), so a roster's and the
    synthetic city's names are found the same way.
    """
    from sim.model import CommunityWorkloadModel

    if all(row.level == "city" for row in rows):
        return
    model = CommunityWorkloadModel(scenario, seed=seed)
    known = {level: list(groups(model, level)) for level in {row.level for row in rows}}
    for row in rows:
        if row.id not in known[row.level]:
            names = known[row.level]
            shown = ", ".join(map(repr, names[:SHOWN_GROUPS]))
            more = f", ... ({len(names)} in all)" if len(names) > SHOWN_GROUPS else ""
            raise UserError(f"{where}: row {row.line}, column 'id': bad value {row.id!r}; "
                            f"expected a {row.level} of the scenario's city: {shown}{more}")


def report_rows(rows: Sequence[Observed], summaries: Sequence[dict],
                missed: Sequence[bool]) -> list[dict[str, Any]]:
    """One plain record per observed value: observed, simulated mean and interval, residual
    (simulated - observed), standardized residual (with an se only) and whether it missed."""
    records = []
    for row, summary, miss in zip(rows, summaries, missed, strict=True):
        residual = summary["mean"] - row.value
        records.append({
            "metric": row.metric, "level": row.level, "id": row.id, "observed": row.value,
            "se": row.se, "simulated": summary["mean"], "ci_low": summary["ci_low"],
            "ci_high": summary["ci_high"], "interval": summary["method"],
            "residual": residual,
            "standardized_residual": None if row.se is None else residual / row.se,
            "missed": bool(miss)})
    return records


def write_report(path: Path, records: Sequence[dict[str, Any]]) -> None:
    """The report as CSV (empty cells for a missing se, interval or standardized residual)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: ("" if v is None else v) for k, v in r.items()} for r in records)
    with output_errors(path, hint="the calibrated scenario was written; the report is also "
                                  "in --format json"):
        write_text(path, buffer.getvalue())


def report_path(out: Path) -> Path:
    """Where the per-row report of a calibrated scenario goes: beside it, ``<stem>_targets``."""
    return out.with_name(f"{out.stem}_targets.csv")
