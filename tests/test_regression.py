"""The fixed-seed run matches the stored summary (refresh: ``make regression-refresh``)."""

from __future__ import annotations

import json

import pytest

from tests.regression import STORED, current


def test_fixed_seed_run_matches_the_stored_baseline():
    stored = json.loads(STORED.read_text(encoding="utf-8"))["metrics"]
    now = current()
    assert now.keys() == stored.keys()
    for name, values in stored.items():
        assert now[name] == pytest.approx(values, rel=1e-9, abs=1e-12), name
