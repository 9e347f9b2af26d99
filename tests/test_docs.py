"""The documentation names every parameter, metric and catalog column the code has."""

from __future__ import annotations

import json
import re

from sim.catalog import COLUMNS
from sim.metrics import METRICS
from sim.parameters import PARAMETERS
from tests.conftest import ROOT

MODEL_DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
CATALOG_DOC = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")


def test_every_parameter_is_documented_in_the_model_description():
    missing = [p.key for p in PARAMETERS if f"`{p.key}`" not in MODEL_DOC]
    assert missing == []


def table_rows() -> dict[str, list[str]]:
    """Section 6's rows by key: default, unit, allowed, meaning, source."""
    rows = {}
    for line in MODEL_DOC.splitlines():
        match = re.match(r"\| `([a-z0-9_.]+)` \| `(.*?)` \| (.*) \|$", line)
        if match:
            rows[match[1]] = [match[2], *match[3].split(" | ")]
    return rows


def test_the_parameter_table_matches_the_registry():
    """Default, allowed values, meaning and source are copied from the code; only units are not."""
    rows = table_rows()
    stale = [p.key for p in PARAMETERS
             if p.key not in rows or len(rows[p.key]) != 5
             or [json.loads(rows[p.key][0]), *rows[p.key][2:]]
             != [p.default, p.allowed(), p.meaning, p.source]]
    assert stale == []


def test_every_metric_is_defined_in_the_model_description():
    assert [m for m in METRICS if f"`{m}`" not in MODEL_DOC] == []


def test_every_catalog_column_is_documented():
    assert [c for c in COLUMNS if f"`{c}`" not in CATALOG_DOC] == []


def test_the_model_description_follows_the_odd_protocol():
    for heading in ("Purpose", "Entities", "Process overview", "Design concepts",
                    "Initialisation", "Input data", "Submodels"):
        assert heading.lower() in MODEL_DOC.lower()
