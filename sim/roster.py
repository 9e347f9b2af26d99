"""Community rosters: a city as it is, one CSV row per real community.

A roster (``city.roster``) replaces the synthetic city: every row names a
community, its district, the street office or zone committee that relays work
to it, its households, its staff and its governance model. The file is read
once and checked cell by cell, like the task catalog (``sim.catalog``), so that
a mistake names the file, the row (the line number, header = row 1, as the
catalog's messages count), the column, the bad value and what is allowed,
instead of surfacing deep inside the model.

Empty cells that mean "use the scenario's rule": ``staff`` (empty or -1: the
staffing rule), ``governance`` (empty: ``governance.by_district`` for the
community's district, else ``governance.model``), ``district`` (no district),
``name`` (the id) and the optional numbers (NaN: not known). Relays are
numbered in order of first appearance.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from sim.city import RELAY_KINDS, USE_RULE, ZONE_COMMITTEE, CityLayout, build_city
from sim.csv_input import CsvFile, Fail, read_rows, row_cells
from sim.errors import UserError
from sim.governance import GOVERNANCE, assign_governance, street_models
from sim.scenario import Scenario
from sim.streams import Streams

REQUIRED = ("id", "name", "district", "relay", "relay_kind", "households", "staff",
            "governance")
OPTIONAL = ("grid_workers", "space_m2", "funds_yuan")
ROSTER_FILE = CsvFile("roster", "community", REQUIRED, OPTIONAL)
HOUSEHOLDS = (1.0, 1e6)        # the range city.households_max allows
MOST_STAFF = 10000
OPTIONAL_HIGH = 1e12


def city_of(scenario: Scenario, streams: Streams) -> CityLayout:
    """The scenario's city before reforms reshape it: its roster, or the synthetic draw
    (whose relays are all zone committees when ``governance.model`` says so), with every
    community's governance model assigned."""
    if scenario["city.roster"]:
        city = load_roster(scenario["city.roster"])
    else:
        zone_relays = GOVERNANCE[scenario["governance.model"]].zone_relays
        city = build_city(scenario, streams, zone_relays)
    return assign_governance(city, scenario)


def load_roster(path: str | Path) -> CityLayout:
    """Read and check a roster CSV; governance cells left empty stay "" (assigned later)."""
    path = Path(path)
    rows = read_rows(path, ROSTER_FILE, _check_row)
    _check_ids(path, rows)
    return _to_city(path, rows)


Row = tuple[int, dict]


def _check_row(path: Path, line: int, row: dict[str, str | None]) -> Row:
    """One data row as typed values; ``line`` is its line number in the file."""
    text, fail = row_cells(path, line, row, REQUIRED)
    for column in ("id", "relay"):
        if not text[column]:
            raise fail(column, "a non-empty text")
    if text["relay_kind"] not in RELAY_KINDS:
        raise fail("relay_kind", "one of " + ", ".join(RELAY_KINDS))
    if text["governance"] and text["governance"] not in GOVERNANCE:
        raise fail("governance", "one of " + ", ".join(GOVERNANCE) + ", or empty for "
                   "governance.by_district or governance.model")
    values = {**text, "name": text["name"] or text["id"],
              "relay_kind": RELAY_KINDS.index(text["relay_kind"]),
              "households": _number(text["households"], *HOUSEHOLDS, "households", fail),
              "staff": _staff(text["staff"], fail)}
    for column in OPTIONAL:
        cell = (row.get(column) or "").strip()
        values[column] = _number(cell, 0.0, OPTIONAL_HIGH, column, fail) if cell else math.nan
    return line, values


def _number(cell: str, low: float, high: float, column: str, fail: Fail) -> float:
    allowed = f"a finite number in [{low:g}, {high:g}]"
    try:
        value = float(cell)
    except ValueError:
        raise fail(column, allowed) from None
    if not low <= value <= high:                  # also refuses nan and inf, which float() reads
        raise fail(column, allowed)
    return value


def _staff(cell: str, fail: Fail) -> int:
    allowed = (f"a whole number in [0, {MOST_STAFF}], or empty or {USE_RULE} for the "
               "scenario's staffing rule")
    if not cell:
        return USE_RULE
    try:
        value = float(cell)
    except ValueError:
        raise fail("staff", allowed) from None
    if value == USE_RULE:
        return USE_RULE
    if not (value.is_integer() and 0 <= value <= MOST_STAFF):
        raise fail("staff", allowed)
    return int(value)


def _check_ids(path: Path, rows: list[Row]) -> None:
    """Ids are unique; a relay has one kind; a zone-committee community sits under a zone
    committee (its service centre is the relay's)."""
    seen: dict[str, int] = {}
    kinds: dict[str, tuple[int, int]] = {}
    for line, row in rows:
        if row["id"] in seen:
            raise UserError(f"{path}: row {line}, column 'id': duplicate id {row['id']!r} "
                            f"(first on row {seen[row['id']]}); every community needs its own")
        seen[row["id"]] = line
        first = kinds.setdefault(row["relay"], (row["relay_kind"], line))
        if first[0] != row["relay_kind"]:
            raise UserError(f"{path}: row {line}, column 'relay_kind': bad value "
                            f"{RELAY_KINDS[row['relay_kind']]!r} for relay {row['relay']!r}, "
                            f"which row {first[1]} lists as {RELAY_KINDS[first[0]]!r}; "
                            "expected one kind per relay")
        _check_zone(path, line, row)


def _check_zone(path: Path, line: int, row: dict) -> None:
    """A model whose centre is the relay's (the zone committee model) needs a zone committee
    as the community's relay."""
    model = GOVERNANCE.get(row["governance"])
    if model is not None and model.zone_relays and row["relay_kind"] != ZONE_COMMITTEE:
        raise UserError(f"{path}: row {line}, column 'governance': bad value "
                        f"{row['governance']!r} under relay {row['relay']!r}, a street_office; "
                        f"expected {street_models()}, or a zone_committee relay")


def _to_city(path: Path, rows: list[Row]) -> CityLayout:
    """The checked rows as a city; relays numbered in order of first appearance."""
    data = [row for _, row in rows]
    relays = {name: index for index, name in enumerate(dict.fromkeys(r["relay"] for r in data))}
    kind_of = {row["relay"]: row["relay_kind"] for row in data}

    def col(name: str, dtype: type) -> np.ndarray:
        return np.array([row[name] for row in data], dtype=dtype)

    return CityLayout(
        households=col("households", float),
        relay=np.array([relays[row["relay"]] for row in data], dtype=np.int64),
        relay_kind=np.array([kind_of[r] for r in relays], dtype=np.int8),
        origin=np.arange(len(data)), community_id=col("id", object), name=col("name", object),
        district=col("district", object), governance=col("governance", object),
        staff=col("staff", np.int64), grid_workers=col("grid_workers", float),
        space_m2=col("space_m2", float), funds_yuan=col("funds_yuan", float),
        relay_name=np.array(list(relays), dtype=object))
