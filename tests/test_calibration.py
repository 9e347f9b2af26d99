"""The baseline reproduces its patterns together on the calibration city (docs/model.md 1.2, 8).

The fitted patterns are the calibration's targets; the others were kept out of the fit, so
their holding is validation, not construction.
"""

from __future__ import annotations

import pytest

from analysis.patterns import PATTERNS, calibration_scenario, check

pytestmark = pytest.mark.slow      # every test shares a run of the calibration city


@pytest.fixture(scope="module")
def patterns():
    return check(calibration_scenario()).set_index("pattern")


@pytest.mark.parametrize("name", [p.name for p in PATTERNS if p.fitted])
def test_the_baseline_lies_in_every_fitted_band(patterns, name):
    row = patterns.loc[name]
    assert row["low"] <= row["mean"] <= row["high"], f"{name} = {row['mean']:.4g}"


@pytest.mark.parametrize("name", [p.name for p in PATTERNS if not p.fitted])
def test_patterns_kept_out_of_the_fit_hold_as_well(patterns, name):
    row = patterns.loc[name]
    assert row["low"] <= row["mean"] <= row["high"], f"{name} = {row['mean']:.4g}"
