"""The key findings a brief opens with: their wording, choice, order and robustness."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from analysis import findings as f
from analysis.cost_effect import results_per_replicate, summarise
from analysis.results import load_results
from analysis.robust import RobustFolder
from sim.cli import main
from tests.conftest import SCENARIOS, SYNTHETIC_SET

HOURS, ADMIN, OVERDUE = (f.MEASURES[m] for m in ("resident_hours", "admin_share",
                                                  "overdue_rate"))
PRICED = {"mean": 13.3, "ci_low": 12.4, "ci_high": 14.3, "method": "t", "status": "priced"}


def effect(mean: float, low: float | None, high: float | None, *, measure: f.Measure = HOURS,
           scenario: str = "digital", size: float = 0.3, method: str = "t",
           robustness: f.Robustness | None = None, price: dict | None = None) -> f.Effect:
    return f.Effect(scenario, measure, mean, low, high, method, size, robustness, price)


def sentence(e: f.Effect, lang: str = "en") -> str:
    return f.effect_sentence(e, "Digital one-stop", lang)


# --- wording by sign and interval --------------------------------------------------------------

def test_a_gain_whose_interval_excludes_zero_raises():
    text = sentence(effect(1500.2, 1393.4, 1607.0, price=PRICED))
    assert text == ("Digital one-stop raises resident-facing working time by 1,500 hours per "
                    "community-year (95% interval 1,393 to 1,607), at 13 yuan per hour "
                    "gained; not tested across plausible worlds.")


def test_a_fall_whose_interval_excludes_zero_cuts_with_magnitudes_in_order():
    text = sentence(effect(-0.064, -0.077, -0.051, measure=OVERDUE))
    assert "cuts the share of administrative items finished late by 6.4 percentage points " \
           "(95% interval 5.1 to 7.7)" in text


def test_an_interval_spanning_zero_makes_no_clear_difference_and_shows_signs():
    text = sentence(effect(-0.002, -0.009, 0.005, measure=ADMIN))
    assert "makes no clear difference to the administrative share of working time " \
           "(\u22120.2 percentage points; 95% interval \u22120.9 to +0.5)" in text


def test_one_replicate_only_appears_to_change_and_says_it_has_no_interval():
    text = sentence(effect(-800.0, None, None, method="none"))
    assert "appears to cut resident-facing working time by 800 hours per community-year " \
           "(one replicate, no interval)" in text


def test_two_replicates_state_their_range_not_a_95_percent_interval():
    text = sentence(effect(900.0, 850.0, 950.0, method="replicate range"))
    assert "(replicate range 850 to 950)" in text and "95%" not in text


def test_chinese_wording_follows_the_same_rules():
    assert sentence(effect(1500.2, 1393.4, 1607.0, price=PRICED), "zh") == (
        "Digital one-stop使每个社区每年面向居民的工作时间增加1,500小时（95%区间1,393至1,607），"
        "每增加1小时花费13元；尚未在可信世界中检验。")
    assert "没有明显影响" in sentence(effect(-0.002, -0.009, 0.005, measure=ADMIN), "zh")


def test_a_gain_at_no_extra_cost_says_so():
    free = {"mean": None, "ci_low": None, "ci_high": None, "method": None,
            "status": "no extra cost"}
    assert ", at no extra cost;" in sentence(effect(1116.0, 1110.0, 1122.0, price=free))


# --- robustness ----------------------------------------------------------------------------------

def test_robustness_is_the_share_of_worlds_going_the_stated_way():
    tested = f.Robustness(worlds=20, rising=0.85, falling=0.15)
    text = sentence(effect(1500.0, 1400.0, 1600.0, robustness=tested))
    assert text.endswith("it does so in 85% of 20 plausible worlds.")
    cut = effect(-1500.0, -1600.0, -1400.0, robustness=tested)
    assert cut.agreeing == pytest.approx(0.15)


def test_a_less_robust_effect_scores_lower_than_an_equal_robust_one():
    sure = effect(100.0, 90.0, 110.0, robustness=f.Robustness(20, 1.0, 0.0))
    unsure = effect(100.0, 90.0, 110.0, robustness=f.Robustness(20, 0.55, 0.45))
    assert unsure.score == pytest.approx(0.55 * sure.score)


def test_world_effects_give_the_robustness_of_each_finding(tmp_path):
    table = pd.DataFrame({"world": [0, 1, 2, 3], "scenario": "digital",
                          "metric": "resident_hours_per_1000_households",
                          "effect": [5.0, 3.0, -1.0, 2.0]})
    folder = RobustFolder(tmp_path, table, {"scenarios": ["baseline", "digital"]})
    tested = f._with_robustness(effect(1500.0, 1400.0, 1600.0), folder)
    assert tested.robustness == f.Robustness(4, 0.75, 0.25)


# --- choosing and ordering -----------------------------------------------------------------------

def test_findings_are_ordered_by_score_one_per_reform_at_most_four():
    found = [effect(100.0, 90.0, 110.0, scenario=name, size=size)
             for name, size in [("a", 0.2), ("b", 0.9), ("c", 0.5), ("d", 0.1), ("e", 0.3)]]
    found.append(effect(-0.1, -0.12, -0.08, measure=OVERDUE, scenario="b", size=1.6))
    chosen = f.choose(found)
    assert [(e.scenario, e.measure.name) for e in chosen] == [
        ("b", "resident_hours"), ("c", "resident_hours"), ("e", "resident_hours"),
        ("a", "resident_hours")]


def test_a_harm_outranks_an_equal_improvement_in_a_secondary_measure():
    harm = effect(0.05, 0.04, 0.06, measure=OVERDUE, scenario="grid", size=0.4)
    help_ = effect(-0.05, -0.06, -0.04, measure=OVERDUE, scenario="digital", size=0.4)
    assert harm.improves is False and help_.improves is True
    assert harm.score == pytest.approx(2 * help_.score)


def test_no_clear_difference_fills_up_to_three_findings():
    found = [effect(100.0, 90.0, 110.0, scenario="a"),
             effect(1.0, -5.0, 7.0, scenario="b"), effect(0.0, 0.0, 0.0, scenario="c"),
             effect(2.0, -1.0, 3.0, scenario="d")]
    chosen = f.choose(found)
    assert [e.scenario for e in chosen] == ["a", "b", "c"]
    assert [e.direction for e in chosen] == [1, 0, 0]


def test_the_cost_finding_names_the_cheapest_and_dearest_hour():
    cheap = effect(2940.0, 2893.0, 2987.0, scenario="access_list",
                   price={**PRICED, "mean": 1.63, "ci_low": 1.61, "ci_high": 1.66})
    dear = effect(280.0, 206.0, 353.0, scenario="grid", price={**PRICED, "mean": 1189.3})
    middle = effect(1500.0, 1393.0, 1607.0, price=PRICED)
    pair = f.cheapest_and_dearest([middle, dear, cheap])
    assert pair == (cheap, dear)
    names = {"access_list": "Access list", "grid": "Grid delegation"}
    assert f.cost_sentence(*pair, names, "en") == (
        "Per hour of resident-facing time gained, Access list costs least, 1.6 yuan (95% "
        "interval 1.6 to 1.7), and Grid delegation most, 1,189 yuan.")


# --- from a real comparison --------------------------------------------------------------------

SMALL = [*SYNTHETIC_SET, "--set", "city.communities=16", "--set", "city.street_offices=2",
         "--set", "simulation.days=50", "--reps", "3", "--seed", "3"]


@pytest.fixture(scope="module")
def constructed(tmp_path_factory) -> Path:
    """Baseline, a scenario with far fewer staff (worse) and the baseline again (no effect)."""
    base = tmp_path_factory.mktemp("findings")
    fewer = base / "fewer_staff.toml"
    fewer.write_text(f'extends = "{(SCENARIOS / "baseline.toml").as_posix()}"\n'
                     'name = "fewer_staff"\nstaffing.staff_per_community = 9\n',
                     encoding="utf-8")
    out = base / "results"
    args = ["compare", SCENARIOS / "baseline.toml", fewer, SCENARIOS / "baseline.toml",
            *SMALL, "--out", out]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return out


def test_a_scenario_that_makes_things_worse_is_reported_as_worse(constructed):
    results = load_results(constructed)
    cost = summarise(results_per_replicate(results), results.scenarios)
    texts = [x.text for x in f.key_findings(results, f.effects(results, cost), "en")]
    worse = [t for t in texts if t.startswith("fewer_staff")]
    assert any("cuts resident-facing working time by" in t for t in worse), texts
    assert any("raises the share of administrative items finished late" in t for t in worse)


def test_a_scenario_with_no_effect_makes_no_clear_difference(constructed):
    results = load_results(constructed)
    cost = summarise(results_per_replicate(results), results.scenarios)
    texts = [x.text for x in f.key_findings(results, f.effects(results, cost), "zh")]
    same = [t for t in texts if t.startswith("基准情景 #2")]
    assert same and all("没有明显影响" in t for t in same), texts


def test_findings_state_the_numbers_of_the_results(constructed):
    results = load_results(constructed)
    cost = summarise(results_per_replicate(results), results.scenarios)
    hours = next(e for e in cost["scenarios"] if e["name"] == "fewer_staff")["resident_hours"]
    found = {(x.numbers["scenario"], x.numbers["measure"]): x
             for x in f.key_findings(results, f.effects(results, cost), "en")}
    stated = found[("fewer_staff", "resident_hours")]
    assert stated.numbers["mean"] == hours["mean"] and stated.numbers["low"] == hours["ci_low"]
    assert f"by {abs(hours['mean']):,.0f} hours" in stated.text
    assert np.sign(stated.numbers["mean"]) == -1
