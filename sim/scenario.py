"""Scenario files: TOML that extends a parent, flattened to dotted keys and validated.

A scenario file holds tables whose dotted paths are the keys of
``sim.parameters``; ``extends = "other.toml"`` inherits everything from a parent
file first. ``--set KEY=VALUE`` overrides are applied last. Beside the values a
file has meta keys, its own and never inherited: ``name``, ``description``,
``label_en``/``label_zh``, the display name charts and briefs show (a file
without them is shown by its name), and ``flagship_order``, the place of a
shipped scenario in the flagship comparison ``make run`` draws (see
``flagship_scenarios``). Validation happens here, once, so the
model can trust every value it reads.

A scenario can also be named: ``baseline`` (or ``baseline.toml``) is the file
shipped in the ``scenarios`` package when no local file has that path, and an
``extends`` parent missing beside its child is looked up there too, so a
shipped scenario copied elsewhere still finds its parent.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import tomllib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import scenarios as shipped
import sim.parameters as parameters  # its registry is read when used: it is assembled then
from sim.errors import UserError
from sim.languages import LABEL_KEYS, LANGS, Bilingual, label_key
from sim.param import GIVEN
from sim.parameters import DAYS_PER_WEEK, RETIRED, Param, defaults

FLAGSHIP_ORDER = "flagship_order"
META_KEYS = ("name", "description", *LABEL_KEYS, "extends", FLAGSHIP_ORDER)
RELAY_STRICTNESS = "reforms.enforcement.relay_strictness"
GOVERNANCE_MODEL, BY_DISTRICT = "governance.model", "governance.by_district"
PATH_KEYS = ("tasks.catalog", "city.roster")


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every parameter resolved to a value."""

    name: str
    values: dict[str, Any]
    path: Path | None = None
    description: str = ""
    overrides: tuple[str, ...] = field(default=())
    label: Bilingual[str] | None = None       # display name (label_en, ...); None: show name

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def with_values(self, **changes: Any) -> Scenario:
        """A copy with some keys changed, written with '__' for '.' (``city__communities=4``)."""
        return self.updated({key.replace("__", "."): value for key, value in changes.items()},
                            "with_values")

    def updated(self, changes: dict[str, Any], where: str) -> Scenario:
        """A copy with the dotted keys in ``changes`` set, each value validated."""
        values = dict(self.values)
        for key, value in changes.items():
            value = validate_value(param_for(key, where), value, f"{where}: key '{key}'")
            if key in PATH_KEYS and value:
                value = str(Path(value).resolve())
            values[key] = value
        check_consistency(values, where)
        return replace(self, values=values)

    @property
    def override_keys(self) -> list[str]:
        """The keys given with ``--set``, in order."""
        return [text.split("=", 1)[0].strip() for text in self.overrides]

    @property
    def inert_settings(self) -> list[str]:
        """Settings that change nothing: see ``inert_with``."""
        return self.inert_with()

    def inert_with(self, varied: Collection[str] = ()) -> list[str]:
        """One sentence for each setting the model will not read because the switch it
        needs (``Param.needs``) is off, e.g. an access-list size without the access list.

        A key counts as set when it differs from its default (a file that writes out
        defaults is not flagged) or is in ``varied`` (swept or fitted); a switch in
        ``varied`` may be on at some points, so nothing depending on it is flagged.
        """
        notes = []
        for param in parameters.PARAMETERS:
            if param.needs is None:
                continue
            switch, wanted = param.needs
            if switch in varied or self._may_be(switch, wanted):
                continue
            if param.key in varied or self[param.key] != param.default:
                wish = (f"set {switch}" if wanted == GIVEN
                        else f"set {switch} = {json.dumps(wanted)}")
                notes.append(f"{self._origin(param.key, varied)} has no effect while "
                             f"{switch} = {json.dumps(self[switch])}; {wish} to make it count")
        return notes

    def may_count(self, key: str) -> bool:
        """Whether the model may read ``key`` here: the switch it needs (``Param.needs``), if
        any, is on, or may be for some community. Ensembles sample only keys that do."""
        needs = parameters.BY_KEY[key].needs
        return needs is None or self._may_be(*needs)

    def _may_be(self, switch: str, wanted: Any) -> bool:
        """Whether ``switch`` has the value ``wanted`` for some community. Only the governance
        model differs between communities, and only in a rostered city: a district's entry
        or the roster's governance column (not read here) may give any model."""
        if self[switch] == wanted or (wanted == GIVEN and self[switch]):
            return True
        if switch != GOVERNANCE_MODEL:
            return False
        return bool(self["city.roster"])

    def _origin(self, key: str, varied: Collection[str]) -> str:
        """Where a setting came from, as the start of a message about it."""
        if key in varied:
            return f"{key} (varied)"
        value = json.dumps(self[key], ensure_ascii=False)
        if key in self.override_keys:
            return f"--set {key}={value}"
        return f"{self.path or self.name}: {key} = {value}"

    def nested(self) -> dict[str, Any]:
        """The resolved values as nested tables, as a TOML file would hold them: a file
        path relative to the scenario file's folder (as the file reads it), so that a
        record of the scenario (a results manifest, an ensemble's provenance) names its
        inputs the same way on every machine the project is checked out on."""
        tree: dict[str, Any] = {"name": self.name, "description": self.description}
        if self.label is not None:
            tree.update({label_key(lang): self.label.pick(lang) for lang in LANGS})
        for key, value in self.values.items():
            node = tree
            *parents, leaf = key.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = self._as_written(value) if key in PATH_KEYS and value else value
        return tree

    def _as_written(self, path: str) -> str:
        """``path`` relative to the scenario file's folder (POSIX separators), or as it is
        where there is no such folder or no relative way there (another drive)."""
        if self.path is None:
            return path
        try:
            return Path(os.path.relpath(path, self.path.parent)).as_posix()
        except ValueError:
            return path


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Read, merge, override and validate a scenario file (a path or a shipped name)."""
    path = find_scenario(path)
    raw, meta = _read_chain(path, seen=())
    values = defaults()
    values.update(raw)
    for text in overrides:
        key, value = parse_override(text)
        values[key] = value
    check_consistency(values, str(path))
    flagship_order(meta, path)
    name = str(meta.get("name") or path.stem)
    return Scenario(name, values, path.resolve(), str(meta.get("description", "")),
                    tuple(overrides), display_label(meta, path))


def display_label(meta: dict[str, Any], path: Path) -> Bilingual[str] | None:
    """The file's own display name in every language, or None when it gives none (charts
    then show its name). Half a set is refused: a chart in the missing language would
    otherwise have to borrow another language's name."""
    given = [key for key in LABEL_KEYS if key in meta]
    if not given:
        return None
    for key in given:
        if not isinstance(meta[key], str) or not meta[key].strip():
            raise UserError(f"{path}: key '{key}' must be a non-empty string, got "
                            f"{meta[key]!r}")
    missing = [key for key in LABEL_KEYS if key not in meta]
    if missing:
        raise UserError(f"{path}: gives {', '.join(given)} but not {', '.join(missing)}; a "
                        f"display name needs every language ({', '.join(LANGS)}) or none")
    return Bilingual(**{lang: meta[label_key(lang)].strip() for lang in LANGS})


def flagship_order(meta: dict[str, Any], path: Path) -> int | None:
    """The file's place in the flagship comparison (1 first after the baseline), or None
    when it is not one of the flagship scenarios."""
    order = meta.get(FLAGSHIP_ORDER)
    if order is None:
        return None
    if isinstance(order, bool) or not isinstance(order, int) or order < 1:
        raise UserError(f"{path}: bad value {order!r} for '{FLAGSHIP_ORDER}'; expected an "
                        "integer >= 1 (the scenario's place in the flagship comparison), or "
                        "no such key")
    return order


def flagship_scenarios() -> list[str]:
    """The shipped scenarios ``make run`` compares with the baseline: those whose file sets
    ``flagship_order``, in that order. Two files claiming one place is an error, since
    the comparison's order (its tables and charts) would then depend on file names."""
    places: dict[int, str] = {}
    for name in shipped.names():
        path = shipped_scenario(name)
        order = flagship_order(read_meta(path), path)
        if order is None:
            continue
        if order in places:
            raise UserError(f"{path}: '{FLAGSHIP_ORDER}' = {order} is already the place of "
                            f"{places[order]}; give each flagship scenario its own place")
        places[order] = name
    return [places[order] for order in sorted(places)]


def default_scenario() -> Scenario:
    """The model defaults (the Hefei baseline) without any file."""
    return Scenario("defaults", defaults())


def find_scenario(path: str | Path) -> Path:
    """The file a scenario argument means: a local file of that path, else a shipped one."""
    path = Path(path)
    if path.is_file():
        return path
    found = shipped.locate(str(path))
    if found is None:
        raise UserError(f"{path}: scenario file not found, and no shipped scenario has that "
                        f"name{_shipped_hint()}")
    return found


def shipped_scenario(name: str) -> Path:
    """The shipped scenario file called ``name`` (or ``name.toml``)."""
    found = shipped.locate(name)
    if found is None:
        raise UserError(f"{name}: no shipped scenario has that name{_shipped_hint()}")
    return found


def extends_reference(parent: Path, folder: Path) -> str:
    """What a file in ``folder`` writes as ``extends`` to inherit the file ``parent``.

    A shipped scenario is named by its file name when nothing of that name lies
    in ``folder``: it then resolves wherever commsim is installed, where a
    relative path into site-packages would break with the next upgrade.
    """
    found = shipped.locate(parent.name)
    if found is not None and found.resolve() == parent.resolve() \
            and not (folder / parent.name).exists():
        return parent.name
    return os.path.relpath(parent, folder)


def read_meta(path: Path) -> dict[str, Any]:
    """The meta keys (name, description, labels, extends) of one scenario file, without its
    parents."""
    document = _parse(path)
    return {k: document[k] for k in META_KEYS if k in document}


def _shipped_hint() -> str:
    return f"; shipped: {', '.join(shipped.names())} (see 'commsim scenarios')"


def _parse(path: Path) -> dict[str, Any]:
    """One scenario file as a TOML document; every way of failing names the file."""
    if not path.is_file():
        raise UserError(f"{path}: scenario file not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise UserError(f"{path}: TOML syntax error: {err}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path}: not UTF-8 text") from None


def _parent_file(path: Path, parent: Any) -> Path:
    """The file ``extends = parent`` in ``path`` names: beside ``path``, else a shipped one."""
    if not isinstance(parent, str):
        raise UserError(f"{path}: key 'extends' must be a file name string, got {parent!r}")
    beside = path.parent / parent
    found = beside if beside.is_file() else shipped.locate(parent)
    if found is None:
        raise UserError(f"{beside}: scenario file not found (named by 'extends' in {path}), "
                        f"and no shipped scenario has that name{_shipped_hint()}")
    return found


def _read_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Values of a file merged over those of its ``extends`` ancestors, and its own meta keys."""
    resolved = path.resolve()
    if resolved in seen:
        chain = " -> ".join(str(p) for p in (*seen, resolved))
        raise UserError(f"{path}: 'extends' forms a cycle: {chain}")
    document = _parse(path)
    meta = {k: document.pop(k) for k in META_KEYS if k in document}
    values: dict[str, Any] = {}
    if "extends" in meta:
        values, _ = _read_chain(_parent_file(path, meta["extends"]), (*seen, resolved))
    for key, value in _flatten(document):
        param = param_for(key, f"{path}")
        value = validate_value(param, value, f"{path}: key '{key}'")
        if key in PATH_KEYS and value:
            value = str((path.parent / value).resolve())
        values[key] = value
    return values, meta


def _flatten(table: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Dotted keys and their values; a key whose value is itself a table (``dict`` kind,
    e.g. governance.by_district) keeps its table whole."""
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        param = parameters.BY_KEY.get(dotted)
        if isinstance(value, dict) and (param is None or param.kind is not dict):
            yield from _flatten(value, dotted + ".")
        else:
            yield dotted, value


def param_for(key: str, where: str) -> Param:
    by_key = parameters.BY_KEY
    if key in by_key:
        return by_key[key]
    if key in RETIRED:
        raise UserError(f"{where}: key '{key}' is retired: {RETIRED[key]}")
    close = difflib.get_close_matches(key, by_key.keys(), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else "; run 'commsim params' for the list"
    raise UserError(f"{where}: unknown key '{key}'{hint}")


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``KEY=VALUE`` override; VALUE is a TOML literal (bare words allowed)."""
    where = f"--set {text}"
    if "=" not in text:
        raise UserError(f"{where}: expected KEY=VALUE, e.g. city.communities=40")
    key, literal = (part.strip() for part in text.split("=", 1))
    param = param_for(key, where)
    try:
        value = tomllib.loads(f"v = {literal}")["v"]
    except tomllib.TOMLDecodeError:
        if param.kind is str:
            value = literal
        elif param.kind is list:
            value = [item.strip() for item in literal.split(",") if item.strip()]
        else:
            raise UserError(f"{where}: '{literal}' is not a value; expected "
                            f"{param.allowed()}") from None
    value = validate_value(param, value, where)
    if key in PATH_KEYS and value:
        value = str(Path(value).resolve())
    return key, value


def require_finite(value: float, where: str, allowed: str = "a finite number") -> float:
    """``value`` if it is finite: Python's float() accepts 'nan' and 'inf', no option does."""
    if not math.isfinite(value):
        raise UserError(f"{where}: bad value {value}; expected {allowed}")
    return value


def check_consistency(values: dict[str, Any], where: str) -> None:
    """Rules that tie several keys together (single keys are checked on their own)."""
    low, high = values["city.households_min"], values["city.households_max"]
    median = values["city.households_median"]
    if not low <= median <= high:
        raise UserError(f"{where}: city.households_median = {median:g} must lie between "
                        f"city.households_min ({low:g}) and city.households_max ({high:g})")
    ceiling = values["staffing.turnover.max_quit_rate"]
    for anchor in ("base_quit_rate", "overload_quit_rate"):
        if values[f"staffing.turnover.{anchor}"] > ceiling:
            raise UserError(f"{where}: staffing.turnover.{anchor} = "
                            f"{values[f'staffing.turnover.{anchor}']:g} must not exceed "
                            f"staffing.turnover.max_quit_rate ({ceiling:g})")
    check_warmup(values, where)
    check_start_days(values, where)
    if values["city.roster"]:
        return      # the roster's relays are known once it is read (the model checks them)
    relays = values["city.street_offices"] + values["city.zone_committees"]
    if relays < 1:
        raise UserError(f"{where}: city.street_offices + city.zone_committees must be at least "
                        f"1 (got {relays})")
    if values[RELAY_STRICTNESS]:
        from sim.enforcement import parse_relay_strictness  # NumPy only when it is needed
        parse_relay_strictness(values[RELAY_STRICTNESS], relays, f"{where}: {RELAY_STRICTNESS}")


def check_start_days(values: dict[str, Any], where: str) -> None:
    """A reform switched on must come into force within the run (every reform that can
    start later has a key ``reforms.NAME.start_day``)."""
    days = values["simulation.days"]
    for key in parameters.BY_KEY:
        if not (key.startswith("reforms.") and key.endswith(".start_day")):
            continue
        start = values[key]
        if values[key.removesuffix("start_day") + "enabled"] and start >= days:
            raise UserError(f"{where}: bad value {start} for '{key}'; expected a day before "
                            f"simulation.days ({days}), or the reform never comes into force")


def check_warmup(values: dict[str, Any], where: str) -> None:
    """The warm-up is whole weeks (the ledger's unit, so no week is half measured) and
    leaves at least one day to measure."""
    warmup, days = values["simulation.warmup_days"], values["simulation.days"]
    if warmup % DAYS_PER_WEEK:
        raise UserError(f"{where}: bad value {warmup} for 'simulation.warmup_days'; expected "
                        f"a multiple of {DAYS_PER_WEEK} (whole working weeks), e.g. "
                        f"{warmup - warmup % DAYS_PER_WEEK or DAYS_PER_WEEK}")
    if warmup >= days:
        raise UserError(f"{where}: bad value {warmup} for 'simulation.warmup_days'; expected "
                        f"fewer than simulation.days ({days}), which counts the warm-up too")


def validate_value(param: Param, value: Any, where: str) -> Any:
    """Check one value against its parameter; return it in canonical type."""
    def fail() -> UserError:
        return UserError(f"{where}: bad value {value!r} for '{param.key}'; "
                         f"expected {param.allowed()}")

    if param.kind is bool:
        if not isinstance(value, bool):
            raise fail()
        return value
    if param.kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail()
        return list(value)
    if param.kind is dict:
        return validate_table(param, value, where)
    if param.kind is str:
        if not isinstance(value, str) or (param.choices and value not in param.choices):
            raise fail()
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):          # TOML allows nan and inf; no key does
        raise fail()
    if param.kind is int:
        if isinstance(value, float) and not value.is_integer():
            raise fail()
        value = int(value)
    else:
        value = float(value)
    if (param.low is not None and value < param.low) or (
            param.high is not None and value > param.high):
        raise fail()
    return value


def validate_table(param: Param, value: Any, where: str) -> dict[str, str]:
    """A table from names to strings (each one of ``param.choices`` when it has any); the
    message names the entry at fault."""
    if not isinstance(value, dict):
        raise UserError(f"{where}: bad value {value!r} for '{param.key}'; expected "
                        f"{param.allowed()}, e.g. {{ Shushan = \"workstation\" }}")
    for name, entry in value.items():
        if not isinstance(entry, str) or (param.choices and entry not in param.choices):
            allowed = ("one of " + ", ".join(repr(c) for c in param.choices)
                       if param.choices else "a string")
            raise UserError(f"{where}: bad value {entry!r} for '{param.key}.{name}'; "
                            f"expected {allowed}")
    return dict(value)
