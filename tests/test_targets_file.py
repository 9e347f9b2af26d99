"""Observed values as calibration targets: the file, its checks, the fit over groups, the
report, and recovery of a known parameter from per-relay and city observations."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from click.testing import CliRunner

from sim import calibration
from sim.calibration import Calibration, Free, calibrate, missed_rows, parse_target
from sim.cli import main
from sim.errors import UserError
from sim.groups import members
from sim.metrics import compute_metrics
from sim.runner import RunSpec, execute, simulate
from sim.scenario import load_scenario
from sim.targets import Observed, check_groups, load_targets
from tests.conftest import ROOT, SCENARIOS, SYNTHETIC

BASELINE = SCENARIOS / "baseline.toml"
SMALL = [*SYNTHETIC, "city.communities=12", "city.street_offices=2", "city.zone_committees=0",
         "simulation.days=60"]
SET_SMALL = [arg for setting in SMALL for arg in ("--set", setting)]
HEADER = "metric,level,id,value,se\n"


def small(*extra: str):
    return load_scenario(BASELINE, [*SMALL, *extra])


def write(tmp_path, text: str, name: str = "observed.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_read_row_by_row(tmp_path):
    path = write(tmp_path, HEADER + "admin_share,city,,0.85,\n"
                 "overdue_rate,relay,S01,0.08,0.02\n"
                 "backlog_hours_per_community,community,C001,200,80\n")
    assert load_targets(path) == [
        Observed("admin_share", "city", "city", 0.85, None, 2),
        Observed("overdue_rate", "relay", "S01", 0.08, 0.02, 3),
        Observed("backlog_hours_per_community", "community", "C001", 200.0, 80.0, 4)]


def test_the_se_column_may_be_left_out(tmp_path):
    path = write(tmp_path, "metric,level,id,value\nadmin_share,city,city,0.8\n")
    assert load_targets(path) == [Observed("admin_share", "city", "city", 0.8, None, 2)]


GOOD = "admin_share,city,,0.85,\n"


@pytest.mark.parametrize("row, column, value, allowed", [
    ("happiness,city,,1,", "metric", "happiness", "one of admin_share, service_share"),
    ("admin_share,street,S01,0.8,", "level", "street",
     "one of city, district, relay, governance, community"),
    ("admin_share,relay,,0.8,", "id", "", "the name of a relay (empty only at level city)"),
    ("admin_share,city,S01,0.8,", "id", "S01", "empty or 'city' at level city"),
    ("admin_share,relay,S01,high,", "value", "high", "a finite number"),
    ("admin_share,relay,S01,nan,", "value", "nan", "a finite number"),
    ("admin_share,relay,S01,inf,", "value", "inf", "a finite number"),
    ("admin_share,relay,S01,0.8,0", "se", "0", "a finite number above 0"),
    ("admin_share,relay,S01,0.8,-0.1", "se", "-0.1", "a finite number above 0"),
    ("admin_share,relay,S01,0.8,many", "se", "many", "a finite number above 0"),
    ("admin_share,city,city,0.8,", "id", "city", "one value per metric and group"),
])
def test_a_bad_row_is_named_with_its_column_value_and_what_is_allowed(tmp_path, row, column,
                                                                      value, allowed):
    path = write(tmp_path, HEADER + GOOD + row + "\n")
    with pytest.raises(UserError) as caught:
        load_targets(path)
    message = str(caught.value)
    for part in (str(path), "row 3", f"column '{column}'", f"bad value {value!r}", allowed):
        assert part in message, message


@pytest.mark.parametrize("text, expected", [
    (None, "targets file not found; expected a CSV with columns metric, level, id, value"),
    ("", "the targets file is empty; it needs a header (metric, level, id, value)"),
    (HEADER, "the targets file has no observed value rows"),
    ("metric,level,value\nadmin_share,city,0.8\n",
     "missing column(s) id; a targets file needs metric, level, id, value (optional: se)"),
    ("metric,level,id,value,source\nadmin_share,city,,0.8,x\n",
     "unknown column(s) 'source'; a targets file has metric, level, id, value and optionally "
     "se"),
    (HEADER + "admin_share,city,,0.8,,extra\n", "row 2: more cells than the header has columns"),
])
def test_a_bad_file_is_named_with_what_is_allowed(tmp_path, text, expected):
    path = tmp_path / "observed.csv"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError) as caught:
        load_targets(path)
    assert str(caught.value).startswith(f"{path}: ") and expected in str(caught.value)


def test_a_target_and_a_file_row_for_the_same_thing_are_refused(tmp_path):
    rows = load_targets(write(tmp_path, HEADER + GOOD))
    with pytest.raises(UserError, match=r"row 2, column 'id': bad value 'city'; expected one "
                                        r"value per metric and group.*--target admin_share"):
        calibrate(small(), [parse_target("admin_share=0.8")],
                  [Free("tasks.effort_scale", 0.8, 1.2)], observed=rows, workers=1)


def test_an_unknown_group_is_refused_before_anything_runs(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(calibration, "execute", lambda spec: ran.append(spec))
    rows = load_targets(write(tmp_path, HEADER + "overdue_rate,relay,S09,0.1,\n"))
    with pytest.raises(UserError) as caught:
        calibrate(small(), [], [Free("tasks.effort_scale", 0.8, 1.2)], observed=rows,
                  workers=1, where="observed.csv")
    assert ran == []
    assert str(caught.value) == ("observed.csv: row 2, column 'id': bad value 'S09'; expected "
                                 "a relay of the scenario's city: 'S01', 'S02'")


def test_a_long_list_of_valid_groups_is_cut_short(tmp_path):
    rows = load_targets(write(tmp_path, HEADER + "overdue_rate,community,C999,0.1,\n"))
    with pytest.raises(UserError, match=r"'C001', 'C002'.*'C012', \.\.\. \(362 in all\)$"):
        calibrate(load_scenario(BASELINE, SYNTHETIC), [], [Free("tasks.effort_scale", 0.8, 1.2)],
                  observed=rows, workers=1)


def test_a_bad_file_exits_2_with_one_message_and_no_traceback(tmp_path):
    path = write(tmp_path, HEADER + "admin_share,city,,lots,\n")
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), "--targets-file", str(path),
                                       "--free", "tasks.effort_scale=0.8:1.2",
                                       "--out", str(tmp_path / "fit.toml")])
    assert result.exit_code == 2
    assert f"{path}: row 2, column 'value': bad value 'lots'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "fit.toml").exists()


def test_calibrate_without_any_target_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["calibrate", str(BASELINE), "--free",
                                       "tasks.effort_scale=0.8:1.2",
                                       "--out", str(tmp_path / "fit.toml")])
    assert result.exit_code == 2
    assert "needs at least one --target METRIC=VALUE or a --targets-file" in result.output


def test_a_run_carries_the_metrics_of_the_groups_asked_for():
    scenario = small()
    record = execute(RunSpec(scenario, 3, 0, groups=(("relay", "S02"), ("community", "C004"))))
    model = simulate(scenario, 3, 0)
    for found, (level, label) in zip(record["groups"], [("relay", "S02"), ("community", "C004")],
                                     strict=True):
        assert (found["level"], found["id"]) == (level, label)
        assert found["metrics"] == compute_metrics(model, members=members(model, level, label))


def test_a_run_asked_for_no_group_carries_none():
    assert "groups" not in execute(RunSpec(small(), 3, 0))


def test_a_value_with_an_se_of_5_percent_weighs_as_a_bare_value():
    bare = Observed("admin_share", "city", "city", 0.8)
    with_se = Observed("admin_share", "city", "city", 0.8, se=0.04)
    assert calibration._loss([bare], [[0.9, 0.7, 0.9]], 0.05) == pytest.approx(
        calibration._loss([with_se], [[0.9, 0.7, 0.9]], 0.05))
    assert calibration._loss([bare], [[0.88]], 0.05) == pytest.approx(0.01)


def fit_at(rows: list[Observed], means: list[float]) -> Calibration:
    return Calibration({}, {}, 0.0, 1, {}, rows, [[m] for m in means],
                       [(m, m) for m in means])


def test_a_value_with_an_se_is_missed_beyond_two_se_not_beyond_the_tolerance():
    rows = [Observed("overdue_rate", "relay", "S01", 0.10, se=0.01),
            Observed("overdue_rate", "relay", "S02", 0.10, se=0.01),
            Observed("admin_share", "city", "city", 0.80)]
    summaries = [{"mean": m, "ci_low": None, "ci_high": None} for m in (0.119, 0.121, 0.83)]
    missed = missed_rows(fit_at(rows, [0.119, 0.121, 0.83]), summaries, tolerance=0.05)
    assert [(m.level, m.id) for m in missed] == [("relay", "S02")]


@pytest.fixture(scope="module")
def reported(tmp_path_factory):
    """A short fit to three observed values, in both formats."""
    folder = tmp_path_factory.mktemp("report")
    path = write(folder, HEADER + "admin_share,city,,0.8,\noverdue_rate,relay,S01,0.05,0.02\n"
                 "backlog_hours_per_community,community,C003,100,\n")
    result = CliRunner().invoke(main, [
        "calibrate", str(BASELINE), *SET_SMALL, "--targets-file", str(path), "--free",
        "tasks.effort_scale=0.8:1.2", "--reps", "2", "--seed", "3", "--workers", "1",
        "--max-evaluations", "4", "--out", str(folder / "fit.toml"), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout), folder / "fit_targets.csv"


def test_the_report_has_one_row_per_observed_value(reported):
    output, report = reported
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["metric"], r["level"], r["id"], float(r["observed"])) for r in rows] == [
        ("admin_share", "city", "city", 0.8), ("overdue_rate", "relay", "S01", 0.05),
        ("backlog_hours_per_community", "community", "C003", 100.0)]
    for row in rows:
        assert float(row["residual"]) == pytest.approx(float(row["simulated"])
                                                       - float(row["observed"]))
    assert [r["standardized_residual"] != "" for r in rows] == [False, True, False]
    assert output["targets_report"] == str(report)


def test_the_json_output_carries_the_same_report(reported):
    output, report = reported
    with report.open(encoding="utf-8") as handle:
        simulated = [float(r["simulated"]) for r in csv.DictReader(handle)]
    assert [r["simulated"] for r in output["targets"]] == pytest.approx(simulated)
    relay = output["targets"][1]
    assert relay["standardized_residual"] == pytest.approx(relay["residual"] / 0.02)


def test_the_shipped_example_names_groups_of_the_baseline_city():
    rows = load_targets(ROOT / "docs" / "examples" / "observed_example.csv")
    check_groups(rows, load_scenario(BASELINE), 0, "example")
    assert {row.level for row in rows} >= {"city", "district", "relay", "community", "governance"}


def observed_at(effort_scale: float, path) -> None:
    """An observed file from a run's replicates: overtime of both relays, the admin share."""
    models = [simulate(small(f"tasks.effort_scale={effort_scale}"), 3, rep) for rep in range(2)]

    def mean(metric: str, relay: str = "city") -> float:
        level = "city" if relay == "city" else "relay"
        return float(np.mean([compute_metrics(m, members=members(m, level, relay))[metric]
                              for m in models]))

    overtime = "overtime_hours_per_staff_week"
    path.write_text(HEADER + f"{overtime},relay,S01,{mean(overtime, 'S01')},\n"
                    f"{overtime},relay,S02,{mean(overtime, 'S02')},0.5\n"
                    f"admin_share,city,,{mean('admin_share')},0.02\n", encoding="utf-8")


def test_per_relay_and_city_observations_recover_a_known_effort_scale(tmp_path):
    observed_at(1.1, tmp_path / "observed.csv")
    result = CliRunner().invoke(main, [
        "calibrate", str(BASELINE), *SET_SMALL, "--targets-file", str(tmp_path / "observed.csv"),
        "--free", "tasks.effort_scale=0.8:1.3", "--reps", "2", "--seed", "3", "--workers", "1",
        "--max-evaluations", "30", "--out", str(tmp_path / "fit.toml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    fit = json.loads(result.stdout)
    assert fit["free"]["tasks.effort_scale"] == pytest.approx(1.1, abs=0.01)
    assert all(abs(r["residual"]) < 0.01 * r["observed"] for r in fit["targets"])
