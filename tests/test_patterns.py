"""The pattern registry behind the calibration: well-formed bands, honest measurements."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analysis.patterns import FREE, PATTERNS, loaded_tenth_quits
from sim.metrics import METRICS
from sim.parameters import BY_KEY


def test_every_fitted_pattern_targets_a_registered_metric_inside_its_band():
    for pattern in PATTERNS:
        assert pattern.low < pattern.high and pattern.source
        if pattern.fitted:
            assert pattern.metric in METRICS
            assert pattern.low < pattern.target < pattern.high


def test_some_patterns_are_kept_out_of_the_fit_as_validation():
    assert any(p.fitted for p in PATTERNS) and any(not p.fitted for p in PATTERNS)


def test_the_free_keys_are_numeric_assumptions_searched_within_their_bounds():
    for text in FREE:
        key, bounds = text.split("=")
        low, high = (float(v) for v in bounds.split(":"))
        param = BY_KEY[key]
        assert param.kind is float and param.low <= low < high <= param.high


def test_the_loaded_tenth_is_the_tenth_with_most_overtime_per_staff_member():
    # Ten communities of 10 staff over 250 measured days; only the one with the most overtime
    # per person loses staff (5 quits), so the loaded tenth quits 5 per 10 staff-years.
    rows = [{"rep": 0, "week": w, "community": c, "warmup": False, "staff_days": 50.0,
             "overtime_hours": float(c), "quits": 5.0 / 50 if c == 9 else 0.0}
            for w in range(50) for c in range(10)]
    result = SimpleNamespace(weekly=pd.DataFrame(rows),
                             scenario={"simulation.working_days_per_year": 250})
    assert loaded_tenth_quits(result) == pytest.approx([0.5])
