"""The explore page's logic without a browser (analysis/explore): same model, same numbers,
same messages as the CLI; the scenario file it writes runs as it was explored."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sim.cli import main
from sim.errors import UserError
from sim.metrics import KEY_METRICS
from sim.runner import run_replicate
from sim.scenario import load_scenario

pytest.importorskip("solara", reason="the [explore] extra is not installed")

from analysis.explore.session import (
    SMALL_CITY,
    Choices,
    Session,
    load_base,
    percent_out_of_range,
    scenario_toml,
    shown,
)

# The page's defaults with one control changed: a shorter year keeps the test quick.
SHORT = {"simulation.working_days_per_year": 200}
CHOICES = Choices(values={"staffing.staff_per_community": 12.0, **SHORT}, seed=3)


def cli_settings(choices: Choices) -> list[str]:
    """The page's settings as the CLI's --set options."""
    return [part for option in choices.set_options(load_base("baseline"))
            for part in ("--set", option)]


def test_the_page_ends_on_the_numbers_of_commsim_run():
    session = Session(load_base("baseline"), CHOICES)
    session.run_to_end()
    result = CliRunner().invoke(main, ["run", "baseline", "--reps", "1", "--seed", "3",
                                       "--format", "json", *cli_settings(CHOICES)])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)["metrics"]
    shown_page = {name: shown(name, value) for name, value in session.findings().items()}
    assert shown_page == {name: shown(name, printed[name]["mean"]) for name in KEY_METRICS}


def test_the_page_steps_a_week_and_starts_small():
    session = Session(load_base("baseline"), Choices())
    assert session.model.city.n_communities == SMALL_CITY["city.communities"]
    session.step()
    assert session.model.day == 5 and not session.finished
    assert len(session.weekly()["week"]) == 1


def test_once_paused_the_play_loop_steps_no_further_until_resumed():
    session = Session(load_base("baseline"), Choices())
    assert session.play_week() and session.model.day == 5
    session.pause()
    assert not session.play_week() and session.model.day == 5
    session.paused.clear()
    assert session.play_week() and session.model.day == 10


def test_a_comparison_is_paired_with_the_baseline():
    choices = Choices(values={"reforms.protected_time.enabled": True, **SHORT}, compare=True)
    session = Session(load_base("baseline"), choices)
    session.run_to_end()
    rows = session.differences()
    assert rows is not None
    base = load_base("baseline")
    expected = run_replicate(choices.baseline(base), 0, 0).metrics
    assert all(rows[name][1] == expected[name] for name in KEY_METRICS)
    assert all(rows[name][2] == rows[name][0] - rows[name][1] for name in KEY_METRICS)


def test_a_bad_combination_gets_the_clis_message():
    choices = Choices(values={"staffing.staff_per_community": -3.0})
    with pytest.raises(UserError, match=r"staffing\.staff_per_community"):
        Session(load_base("baseline"), choices)


def test_a_share_out_of_range_is_named_in_percent_as_it_was_typed():
    """The page shows shares in percent, so its message does too (the CLI's would say the
    bounds are 0 and 1); a share within bounds gets none."""
    high = Choices(values={"residents.participation.volunteer_share": 1.5})
    assert percent_out_of_range(high, "en").endswith("150% is outside what the model "
                                                     "accepts, 0% to 100%")
    assert "150%" in percent_out_of_range(high, "zh") and "0%至100%" in percent_out_of_range(
        high, "zh")
    assert percent_out_of_range(Choices(values={
        "residents.participation.volunteer_share": 0.5}), "en") is None


def test_the_written_scenario_runs_as_explored(tmp_path):
    path = tmp_path / "mine.toml"
    base = load_base("baseline")
    path.write_text(scenario_toml(base, CHOICES, path), encoding="utf-8")
    written = load_scenario(path)
    assert written.values == CHOICES.scenario(base).values
    assert f"--seed {CHOICES.seed}" in path.read_text(encoding="utf-8")


def test_a_community_reports_its_agent_state():
    session = Session(load_base("baseline"), Choices())
    session.step()
    state = session.community(0)
    assert state["staff"] > 0 and state["households"] > 0
    assert 0 <= state["admin_share"] <= 1


# --- the command ---------------------------------------------------------------------------
def test_a_bad_scenario_gets_run_s_message_before_any_server():
    ran = CliRunner().invoke(main, ["run", "nowhere.toml"])
    explored = CliRunner().invoke(main, ["explore", "nowhere.toml", "--no-browser"])
    assert explored.exit_code == ran.exit_code == 2
    assert explored.output == ran.output and "nowhere.toml: scenario file not found" in ran.output


def test_a_port_in_use_is_named_with_exit_status_2():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["explore", "--no-browser", "--port", str(port)])
    assert result.exit_code == 2
    assert f"--port {port}: cannot listen there (already in use)" in result.output
    assert "Traceback" not in result.output


def test_without_the_extra_the_command_says_how_to_install_it():
    """A core install: solara missing (hidden here), a one-line message and exit status 2."""
    code = ("import sys; sys.modules['solara'] = None\n"
            "from sim.cli import main\n"
            "main(['explore', '--no-browser'])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).parent.parent, timeout=120)
    assert done.returncode == 2
    assert "pip install 'commsim[explore]' or make explore" in done.stderr
    assert "Traceback" not in done.stderr
