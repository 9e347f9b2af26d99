"""Reading a user's CSV file: one reader for the catalog, the roster and observed targets.

Each file type states its columns once (``CsvFile``) and checks its own rows; this
module does what they share, so that every file answers the same mistakes (a missing
file, not UTF-8, a broken quote, missing or unknown columns, no rows) with the same
kind of message, naming the file and what is expected. Rows are numbered by their
line in the file, the header being row 1.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sim.errors import UserError

Row = TypeVar("Row")
Fail = Callable[[str, str], UserError]


@dataclass(frozen=True)
class CsvFile:
    """What a kind of file holds: its name in messages, what one row is, its columns."""

    kind: str                           # "roster", "targets file", "catalog"
    row: str                            # "community", "observed value", "task"
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    strict: bool = True                 # refuse columns it does not know

    @property
    def file_noun(self) -> str:
        """'roster file', 'targets file': the kind as a file."""
        return self.kind if self.kind.endswith("file") else f"{self.kind} file"

    def columns(self) -> str:
        """The columns, for messages."""
        listed = ", ".join(self.required)
        return f"{listed} (optional: {', '.join(self.optional)})" if self.optional else listed

    def expected(self) -> str:
        return f"it needs a header ({', '.join(self.required)}) and one row per {self.row}"


def read_rows(path: Path, spec: CsvFile,
              check_row: Callable[[Path, int, dict[str, Any]], Row]) -> list[Row]:
    """Every data row of ``path`` checked by ``check_row(path, line, cells)``; a file with
    none is refused."""
    if not path.is_file():
        raise UserError(f"{path}: {spec.file_noun} not found; expected a CSV with columns "
                        f"{spec.columns()}")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            check_header(path, spec, reader.fieldnames or [])
            rows = [check_row(path, reader.line_num, row) for row in reader]
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None
    except csv.Error as err:
        raise UserError(f"{path}: CSV error: {err}") from None
    if not rows:
        raise UserError(f"{path}: the {spec.kind} has no {spec.row} rows; {spec.expected()}")
    return rows


def check_header(path: Path, spec: CsvFile, header: Sequence[str]) -> None:
    """The header names every required column and, in a strict file, nothing else."""
    if not header:
        raise UserError(f"{path}: the {spec.kind} is empty; {spec.expected()}")
    missing = [c for c in spec.required if c not in header]
    if missing:
        raise UserError(f"{path}: missing column(s) {', '.join(missing)}; a {spec.kind} needs "
                        f"{spec.columns()}")
    unknown = [c for c in header if c not in spec.required + spec.optional]
    if spec.strict and unknown:
        optional = f" and optionally {', '.join(spec.optional)}" if spec.optional else ""
        raise UserError(f"{path}: unknown column(s) {', '.join(map(repr, unknown))}; a "
                        f"{spec.kind} has {', '.join(spec.required)}{optional}")


def row_cells(path: Path, line: int, row: dict[str, str | None],
              columns: Sequence[str]) -> tuple[dict[str, str], Fail]:
    """A data row's ``columns`` as stripped text (empty where blank), and the maker of its
    messages: ``fail(column, allowed)`` names the file, row, column, bad value and what is
    allowed. A row with more cells than the header is refused here."""
    if None in row:     # DictReader's key for cells beyond the header
        raise UserError(f"{path}: row {line}: more cells than the header has columns "
                        f"({len(row) - 1})")
    return {c: (row.get(c) or "").strip() for c in columns}, row_failure(path, line, row)


def row_failure(path: Path, line: int, row: dict[str, Any]) -> Fail:
    """``fail(column, allowed)``: the message for a bad cell of this row, naming the file,
    row, column, bad value and what is allowed."""
    def fail(column: str, allowed: str) -> UserError:
        return UserError(f"{path}: row {line}, column '{column}': bad value "
                         f"{row.get(column)!r}; expected {allowed}")

    return fail
