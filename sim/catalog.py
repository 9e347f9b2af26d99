"""The task catalog: every task type a community can be handed, as columns of arrays.

The packaged catalog (``sim/data/task_catalog.csv``, documented in
docs/catalog.md) is read once and checked cell by cell, so that an error in a
user's own catalog names its row and column instead of surfacing as a crash
deep inside the model.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from numpy.typing import DTypeLike

from sim.csv_input import CsvFile, Fail, read_rows, row_failure
from sim.errors import UserError

PACKAGED_CATALOG = Path(__file__).parent / "data" / "task_catalog.csv"

KINDS = ("administrative", "service", "self_governance")
ADMIN, SERVICE, SELFGOV = range(3)
ARRIVALS = ("periodic", "demand", "campaign")
PERIODIC, DEMAND, CAMPAIGN = range(3)

TEXT_COLUMNS = ("task_id", "name_zh", "name_en", "category", "department", "source")
COLUMNS = (
    "task_id", "name_zh", "name_en", "kind", "category", "department", "arrival",
    "period_days", "rate_per_1000hh_year", "campaigns_per_year", "effort_hours",
    "effort_spread", "scales_with_size", "deadline_days", "assessment_weight",
    "grid_eligible", "digitisable", "on_access_list", "source",
)
CATALOG_FILE = CsvFile("catalog", "task", COLUMNS, strict=False)   # extra columns: notes
FLAG_COLUMNS = ("scales_with_size", "grid_eligible", "digitisable", "on_access_list")
# column -> (low, high) for numbers every row must have
NUMBER_RANGES = {
    "effort_hours": (1e-6, 10000.0),
    "effort_spread": (0.0, 3.0),
    "deadline_days": (1.0, 1000.0),
    "assessment_weight": (0.0, 1.0),
}
# the number each arrival process needs, and its allowed range
ARRIVAL_NUMBER = {
    "periodic": ("period_days", 1.0, 10000.0),
    "demand": ("rate_per_1000hh_year", 0.0, 1e6),
    "campaign": ("campaigns_per_year", 0.0, 1000.0),
}


@dataclass(frozen=True)
class TaskCatalog:
    """Task types as parallel arrays, one entry per type (the hot path indexes them)."""

    task_id: np.ndarray
    name_zh: np.ndarray
    name_en: np.ndarray
    category: np.ndarray
    department: np.ndarray
    source: np.ndarray
    kind: np.ndarray            # ADMIN / SERVICE / SELFGOV
    arrival: np.ndarray         # PERIODIC / DEMAND / CAMPAIGN
    period_days: np.ndarray
    rate_per_1000hh_year: np.ndarray
    campaigns_per_year: np.ndarray
    effort_hours: np.ndarray
    effort_spread: np.ndarray
    scales_with_size: np.ndarray
    deadline_days: np.ndarray
    assessment_weight: np.ndarray
    grid_eligible: np.ndarray
    digitisable: np.ndarray
    on_access_list: np.ndarray
    start_day: np.ndarray       # day the type comes into being (0 for catalog rows)
    path: str = ""

    def __len__(self) -> int:
        return len(self.task_id)

    def departments(self) -> list[str]:
        """Issuing departments in order of first appearance."""
        return list(dict.fromkeys(self.department.tolist()))

    def append(self, other: TaskCatalog) -> TaskCatalog:
        """A catalog holding this one's types followed by ``other``'s."""
        merged = {f.name: np.concatenate([getattr(self, f.name), getattr(other, f.name)])
                  for f in fields(self) if f.name != "path"}
        return TaskCatalog(**merged, path=self.path)

    def take(self, index: np.ndarray) -> TaskCatalog:
        """The types at ``index`` (copies of rows, e.g. templates for new types)."""
        return TaskCatalog(**{f.name: getattr(self, f.name)[index]
                              for f in fields(self) if f.name != "path"}, path=self.path)

    def with_columns(self, **columns: np.ndarray) -> TaskCatalog:
        # Only array columns are passed; mypy checks ** values against every field, ``path`` too.
        return replace(self, **cast(dict[str, Any], columns))

    def table(self) -> pd.DataFrame:
        """The catalog as a DataFrame in the CSV's own columns and codes (it round-trips)."""
        frame = pd.DataFrame({c: getattr(self, c) for c in COLUMNS if c not in ("kind", "arrival")})
        frame[list(FLAG_COLUMNS)] = frame[list(FLAG_COLUMNS)].astype(int)
        frame.insert(3, "kind", np.array(KINDS)[self.kind])
        frame.insert(6, "arrival", np.array(ARRIVALS)[self.arrival])
        return frame


def load_catalog(path: str | Path | None = None) -> TaskCatalog:
    """Read and check a catalog CSV (the packaged one when ``path`` is empty)."""
    path = Path(path) if path else PACKAGED_CATALOG
    rows = read_rows(path, CATALOG_FILE, _check_row)
    seen: dict[str, int] = {}
    for line, row in rows:
        if row["task_id"] in seen:
            raise UserError(f"{path}: row {line}, column 'task_id': duplicate id "
                            f"'{row['task_id']}' (first on row {seen[row['task_id']]})")
        seen[row["task_id"]] = line
    return _to_arrays([row for _, row in rows], str(path))


def _check_row(path: Path, line: int, row: dict[str, str]) -> tuple[int, dict]:
    fail = row_failure(path, line, row)
    out: dict = {}
    for column in TEXT_COLUMNS:
        value = (row.get(column) or "").strip()
        if not value and column != "source":
            raise fail(column, "a non-empty text")
        out[column] = value
    for column, choices in (("kind", KINDS), ("arrival", ARRIVALS)):
        value = (row.get(column) or "").strip()
        if value not in choices:
            raise fail(column, "one of " + ", ".join(choices))
        out[column] = choices.index(value)
    for column, (low, high) in NUMBER_RANGES.items():
        out[column] = _number(row, column, low, high, fail)
    for column in FLAG_COLUMNS:
        value = (row.get(column) or "").strip()
        if value not in ("0", "1"):
            raise fail(column, "0 or 1")
        out[column] = value == "1"
    for arrival, (column, low, high) in ARRIVAL_NUMBER.items():
        if ARRIVALS[out["arrival"]] == arrival:
            out[column] = _number(row, column, low, high, fail)
        else:
            out[column] = 0.0
    return line, out


def _number(row: dict[str, str], column: str, low: float, high: float,
            fail: Fail) -> float:
    allowed = f"a finite number in [{low:g}, {high:g}]"
    try:
        value = float((row.get(column) or "").strip())
    except ValueError:
        raise fail(column, allowed) from None
    if not low <= value <= high:                  # also refuses nan and inf, which float() reads
        raise fail(column, allowed)
    return value


def _to_arrays(rows: list[dict], path: str) -> TaskCatalog:
    def col(name: str, dtype: DTypeLike) -> np.ndarray:
        return np.array([r[name] for r in rows], dtype=dtype)

    return TaskCatalog(
        **{c: col(c, object) for c in TEXT_COLUMNS},
        kind=col("kind", np.int8),
        arrival=col("arrival", np.int8),
        period_days=col("period_days", float),
        rate_per_1000hh_year=col("rate_per_1000hh_year", float),
        campaigns_per_year=col("campaigns_per_year", float),
        effort_hours=col("effort_hours", float),
        effort_spread=col("effort_spread", float),
        scales_with_size=col("scales_with_size", bool),
        deadline_days=col("deadline_days", float).round().astype(np.int32),
        assessment_weight=col("assessment_weight", float),
        grid_eligible=col("grid_eligible", bool),
        digitisable=col("digitisable", bool),
        on_access_list=col("on_access_list", bool),
        start_day=np.zeros(len(rows), dtype=np.int32),
        path=path,
    )
