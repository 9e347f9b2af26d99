"""The metric registry: one declaration per metric, and everything else reads it."""

from __future__ import annotations

import pytest

from analysis import labels as lb
from sim.metrics import KEY_METRICS, METRICS, Bounds, compute_metrics
from sim.scenario import default_scenario
from tests.conftest import run_model


@pytest.fixture(scope="module")
def computed() -> dict[str, float]:
    """Every metric of one small real run."""
    return compute_metrics(run_model(default_scenario().with_values(
        city__communities=12, city__street_offices=2, city__zone_committees=0,
        simulation__days=30)))


def test_every_computed_metric_is_declared_and_every_declared_one_computed(computed):
    assert list(computed) == list(METRICS)


def test_every_metric_computes_a_plain_number(computed):
    assert [name for name, value in computed.items()
            if not isinstance(value, int | float)] == []


@pytest.mark.parametrize("name", list(METRICS))
def test_every_metric_has_labels_a_unit_and_bounds_in_both_languages(name):
    metric = METRICS[name]
    assert metric.name == name and metric.meaning
    assert isinstance(metric.bounds, Bounds)
    for label in (metric.en, metric.zh):
        assert label.name and label.unit
    assert lb.metric_name(name, "en") == metric.en.name != name
    assert lb.metric_name(name, "zh") == metric.zh.name
    assert lb.metric_unit(name, "zh") == metric.zh.unit


def test_shares_and_only_shares_are_shown_in_percent():
    percent = {name for name, m in METRICS.items() if m.en.unit == "%" and m.zh.unit == "%"}
    assert percent == {name for name in METRICS if lb.is_share(name)}
    assert percent == {name for name, m in METRICS.items() if m.bounds == Bounds.SHARE}


def test_key_metrics_are_the_flagged_ones_in_registry_order():
    assert tuple(name for name, m in METRICS.items() if m.key) == KEY_METRICS
    assert "admin_share" in KEY_METRICS


def test_every_bounded_metric_respects_its_bounds_on_a_real_run(computed):
    low = {name: v for name, v in computed.items() if METRICS[name].bounds != Bounds.UNBOUNDED
           and v < 0}
    high = {name: v for name, v in computed.items() if METRICS[name].bounds == Bounds.SHARE
            and v > 1}
    assert (low, high) == ({}, {})


def test_an_unknown_metric_keeps_its_raw_name_and_no_unit():
    assert lb.metric_name("my_metric", "en") == "my_metric"
    assert lb.metric_unit("my_metric", "zh") == ""
    assert not lb.is_share("my_metric")



@pytest.mark.parametrize("name", list(METRICS))
def test_every_direction_of_improvement_is_higher_lower_or_none(name):
    assert METRICS[name].better in ("higher", "lower", None)


def test_the_key_metrics_that_measure_a_burden_or_a_gain_say_which_way_is_better():
    assert METRICS["admin_share"].better == "lower"
    assert METRICS["resident_hours_per_1000_households"].better == "higher"
    assert METRICS["utilisation"].better is None
