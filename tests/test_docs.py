"""The documentation names every parameter, metric and catalog column the code has."""

from __future__ import annotations

from sim.catalog import COLUMNS
from sim.metrics import METRICS
from sim.parameters import PARAMETERS
from tests.conftest import ROOT

MODEL_DOC = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
CATALOG_DOC = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")


def test_every_parameter_is_documented_in_the_model_description():
    missing = [p.key for p in PARAMETERS if f"`{p.key}`" not in MODEL_DOC]
    assert missing == []


def test_every_metric_is_defined_in_the_model_description():
    assert [m for m in METRICS if f"`{m}`" not in MODEL_DOC] == []


def test_every_catalog_column_is_documented():
    assert [c for c in COLUMNS if f"`{c}`" not in CATALOG_DOC] == []


def test_the_model_description_follows_the_odd_protocol():
    for heading in ("Purpose", "Entities", "Process overview", "Design concepts",
                    "Initialisation", "Input data", "Submodels"):
        assert heading.lower() in MODEL_DOC.lower()
