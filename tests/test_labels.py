"""Every label comes in English and Chinese, by name: metrics, parameters, reforms, shipped
scenarios, charts and every word table; an unknown language is an error, never a fallback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import scenarios as shipped
from analysis import charts
from analysis import labels as lb
from analysis.commands import brief_command, plot_command
from sim.cli import main
from sim.errors import UserError
from sim.languages import LABEL_KEYS, LANGS, Bilingual, Label, check_lang
from sim.metrics import METRICS
from sim.parameters import BY_KEY, PARAMETERS
from sim.reforms import REFORMS
from sim.scenario import META_KEYS, load_scenario, read_meta

CJK = re.compile(r"[\u4e00-\u9fff]")
UNKNOWN = "unknown language 'fr'; expected one of en, zh"


def missing_language(label: Bilingual) -> list[str]:
    """What is wrong with a label: an empty language, or a Chinese one without Chinese."""
    names = {lang: getattr(label.pick(lang), "name", label.pick(lang)) for lang in LANGS}
    problems = [lang for lang, name in names.items() if not str(name).strip()]
    if not CJK.search(str(names["zh"])):
        problems.append("zh without Chinese characters")
    return problems


def test_the_languages_are_the_fields_of_a_label_and_the_cli_offers_them():
    assert LANGS == ("en", "zh")
    assert LABEL_KEYS == ("label_en", "label_zh") and set(LABEL_KEYS) <= set(META_KEYS)
    for command in (plot_command, brief_command, main.commands["sensitivity"]):
        lang = next(p for p in command.params if p.name == "lang")
        assert tuple(lang.type.choices) == LANGS, command.name


@pytest.mark.parametrize("name", list(METRICS))
def test_every_metric_is_labelled_in_both_languages_by_the_registry(name):
    metric = METRICS[name]
    assert missing_language(Bilingual(en=metric.en, zh=metric.zh)) == []
    assert metric.en.unit and metric.zh.unit
    assert [metric.label(lang) for lang in LANGS] == [metric.en, metric.zh]
    assert lb.metric_label(name, "zh").startswith(metric.zh.name)


def test_analysis_keeps_no_copy_of_a_metric_label():
    """Metric names are read from sim.metrics, never spelled again in a word table."""
    metric_names = {m.en.name for m in METRICS.values()} | {m.zh.name for m in METRICS.values()}
    copies = [(table, key) for table, entries in word_tables().items()
              for key, label in entries.items()
              if {str(label.en), str(label.zh)} & metric_names]
    assert copies == []


def word_tables() -> dict[str, dict[str, Bilingual]]:
    """Every table of labels in analysis.labels, whatever it is called."""
    return {name: value for name, value in vars(lb).items()
            if isinstance(value, dict) and value
            and all(isinstance(label, Bilingual) for label in value.values())}


def test_every_word_table_has_both_languages_in_every_entry():
    tables = word_tables()
    assert {"KEY_LABELS", "VALUE_LABELS", "_TEXT"} <= set(tables)
    empty = [(table, key, lang) for table, entries in tables.items()
             for key, label in entries.items() for lang in LANGS
             if not str(getattr(label.pick(lang), "name", label.pick(lang))).strip()
             and key != "sentence.sep"]
    assert empty == []


@pytest.mark.parametrize("key", list(lb.key_labels()))
def test_every_labelled_parameter_exists_and_has_both_languages(key):
    assert key in BY_KEY
    label = lb.key_labels()[key]
    assert missing_language(label) == []
    assert isinstance(label.en, Label) and isinstance(label.zh, Label)
    assert not label.en.unit or label.zh.unit          # no unit missing in Chinese
    for choice in BY_KEY[key].choices or ():
        assert missing_language(lb.VALUE_LABELS[choice]) == [], choice


def test_a_key_is_labelled_in_one_place_only():
    """A key's label lives either in the core table or on its declaration, never both."""
    assert [p.key for p in PARAMETERS if p.label is not None and p.key in lb.KEY_LABELS] == []


def test_every_reform_has_both_labels():
    reforms = {key.split(".")[1] for key in BY_KEY
               if key.startswith("reforms.") and key.endswith(".enabled")}
    assert reforms <= set(REFORMS)
    assert [r for r in reforms if missing_language(REFORMS[r].label)] == []
    assert [lb.reform_label("access_list", lang) for lang in LANGS] == ["Access list", "事项准入"]


@pytest.mark.parametrize("name", shipped.names())
def test_every_shipped_scenario_names_itself_in_both_languages(name):
    scenario = load_scenario(name)
    assert scenario.label is not None and missing_language(scenario.label) == []
    assert set(LABEL_KEYS) <= set(read_meta(shipped.locate(name)))
    meta = scenario.nested()
    assert [lb.scenario_label(name, lang, meta) for lang in LANGS] == [
        scenario.label.en, scenario.label.zh]


@pytest.mark.parametrize("chart", list(charts.CHARTS.values()), ids=list(charts.CHARTS))
def test_every_chart_has_its_title_subtitle_and_caption_in_both_languages(chart):
    for words in (chart.title, chart.subtitle, chart.caption):
        assert missing_language(words) == []
        placeholders = [set(re.findall(r"{(\w+)}", words.pick(lang))) for lang in LANGS]
        assert placeholders[0] == placeholders[1], words     # both fill the same facts
    assert chart.brief_rank is None or isinstance(chart.brief_rank, int)


def test_brief_places_are_distinct():
    ranks = [c.brief_rank for c in charts.CHARTS.values() if c.brief_rank is not None]
    assert len(ranks) == len(set(ranks))


def test_a_user_scenario_without_labels_is_shown_by_its_name_in_every_language(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('extends = "baseline.toml"\nname = "mine"\n', encoding="utf-8")
    scenario = load_scenario(path)
    assert scenario.label is None and not set(LABEL_KEYS) & set(scenario.nested())
    assert [lb.scenario_label("mine", lang, scenario.nested()) for lang in LANGS] == [
        "mine", "mine"]
    assert lb.scenario_label("mine#2", "zh", scenario.nested()) == "mine #2"


def test_labels_belong_to_their_own_file_not_to_children(tmp_path):
    child = tmp_path / "child.toml"
    child.write_text('extends = "access_list.toml"\n', encoding="utf-8")
    assert load_scenario(child).label is None
    assert load_scenario("access_list").label == Bilingual(en="Access list", zh="事项准入")


@pytest.mark.parametrize("meta, message", [
    ('label_en = "Mine"', "gives label_en but not label_zh"),
    ('label_en = "Mine"\nlabel_zh = 3', "key 'label_zh' must be a non-empty string"),
    ('label_en = ""\nlabel_zh = "我的"', "key 'label_en' must be a non-empty string"),
])
def test_half_a_display_name_is_refused(tmp_path, meta, message):
    path = tmp_path / "mine.toml"
    path.write_text(f'extends = "baseline.toml"\n{meta}\n', encoding="utf-8")
    with pytest.raises(UserError, match=message):
        load_scenario(path)


@pytest.mark.parametrize("ask", [
    lambda lang: check_lang(lang),
    lambda lang: lb.text("brief.title", lang),
    lambda lang: lb.metric_name("admin_share", lang),
    lambda lang: lb.metric_name("my_own_metric", lang),
    lambda lang: METRICS["admin_share"].label(lang),
    lambda lang: lb.key_label("staffing.staff_per_community", lang),
    lambda lang: lb.key_name("my.own.key", lang),
    lambda lang: lb.value_label("staffing.staff_per_community", 8, lang),
    lambda lang: lb.category_label("my_category", lang),
    lambda lang: lb.reform_label("access_list", lang),
    lambda lang: lb.scenario_label("baseline", lang, {"label_en": "Baseline"}),
    lambda lang: lb.inline("Staff", lang),
    lambda lang: charts.CHARTS["hours"].caption.pick(lang),
    lambda lang: charts.CHARTS["hours"].title.pick(lang),
], ids=["check", "text", "metric", "own metric", "registry", "key", "own key", "value",
        "own category", "reform", "scenario", "inline", "caption", "title"])
def test_an_unknown_language_is_an_error_not_a_fallback(ask):
    with pytest.raises(UserError, match=re.escape(UNKNOWN)):
        ask("fr")


def test_nothing_in_analysis_branches_on_a_language_name():
    """Language-specific words and punctuation live in labels, so a new language cannot
    silently take another's: no ``lang == "en"`` (or "zh") test anywhere in analysis."""
    folder = Path(lb.__file__).parent
    branches = [f"{path.name}:{n}" for path in sorted(folder.glob("*.py"))
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if re.search(r"lang\s*[!=]=\s*[\"'](en|zh)[\"']", line)]
    assert branches == []
