"""A short policy brief of a results folder: a typeset PDF to hand out, a Markdown twin to edit,
and a JSON twin holding the numbers its findings state.

A comparison's brief is built for a reader who opens only the first page. It opens with three
to five key findings written as sentences (analysis.findings: each with its number, interval,
price and robustness across plausible worlds), a note saying what the intervals cover, and one
summary table (per scenario: resident-facing hours gained, administrative share, overdue
rate, extra cost, cost per hour gained, robustness). Then the charts, with captions; then the
methods: model, design, what the intervals do and do not cover, and the assumptions the
conclusions hinge on (scenario discovery over the plausible worlds). An appendix keeps every
key metric by scenario with its paired difference. Robustness needs a robust comparison of the
same scenarios (``compare --ensemble ... --out DIR``, then ``brief --robust DIR``); without
one the brief says the findings were not tested across plausible worlds.

A run's or a sweep's brief has no reforms to state findings about: it opens with the table of
key results instead. Every brief is one ``analysis.typeset.Document``, typeset by Typst and
written as Markdown from the same blocks, so the PDF and its twin cannot disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import labels as lb
from analysis import numbers
from analysis.charts import DEFAULT_THRESHOLD, Drawing, available, breakdown_levels
from analysis.cost_effect import results_per_replicate, summarise
from analysis.findings import Effect, Finding, effects, key_findings, summary_table
from analysis.results import Results, load_results, row_at
from analysis.robust import RobustFolder, load_robust_folder, percent
from analysis.style import display_name, house_style, save, source_line
from analysis.summary import RANGE, T_LOG, T_LOGIT
from analysis.typeset import (
    Block,
    Document,
    Figure,
    Findings,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    to_markdown,
    write_pdf,
)
from sim.errors import UserError
from sim.languages import check_lang
from sim.metrics import KEY_METRICS, METRICS
from sim.output import check_writable, output_errors, write_text

MOST_CHARTS = 5
BRIEF_HINT = ("each file of the brief is written whole or not at all; free space or choose "
              "another --out, then run brief again")


@dataclass(frozen=True)
class Sources:
    """What a brief is written from: the results, their costs per hour gained (a
    comparison's; analysis.cost_effect), the robust comparison if given, and every reform's
    effect read from them once (analysis.findings.effects)."""

    results: Results
    cost: dict[str, Any] | None = None
    robust: RobustFolder | None = None
    effects: list[Effect] = field(default_factory=list)


# --- the tables ------------------------------------------------------------------------------

def band(metric: str, mean: float, low: float, high: float, lang: str,
         difference: bool = False) -> str:
    """'mean [low, high]' as shown: shares in percent, their differences in points."""
    share = lb.is_share(metric)
    unit = lb.text("diff.pp", lang) if difference and share else ""
    return numbers.band(mean, low, high, share=share, sign=difference, unit=unit)


def _band_of(metric: str, entry: pd.Series, lang: str) -> str:
    return band(metric, entry["mean"], entry["ci_low"], entry["ci_high"], lang)


def _run_table(results: Results, lang: str) -> Table:
    """Every metric: its mean [interval], and the interval's method in a column of its own."""
    summary = results.summary.set_index("metric")
    entries = {m: row_at(summary, m) for m in METRICS if m in summary.index}
    rows = [[lb.metric_label(m, lang), _band_of(m, entry, lang),
             lb.method_label(entry["method"], lang)] for m, entry in entries.items()]
    header = [lb.text(k, lang) for k in ("brief.metric", "brief.mean", "brief.interval")]
    return Table(header, rows, [False, True, False], widths=[0.45, 0.25, 0.3])


def _compare_table(results: Results, lang: str) -> Table:
    """A heading row per key metric, then each scenario's mean and difference from the
    baseline: the appendix of a comparison's brief."""
    summary = results.summary.set_index(["metric", "scenario"])
    rows: list[list[str]] = []
    for metric in KEY_METRICS:
        rows.append([_heading(results.summary, metric, lang)])
        for name in results.scenarios:
            entry = row_at(summary, (metric, name))
            diff = numbers.MISSING if name == results.baseline else band(
                metric, entry["diff"], entry["diff_low"], entry["diff_high"], lang, True)
            rows.append([display_name(results, name, lang), _band_of(metric, entry, lang),
                         diff])
    header = [lb.text(k, lang) for k in ("brief.scenario", "brief.mean", "brief.diff")]
    return Table(header, rows, [False, True, True], widths=[0.3, 0.3, 0.4])


def _heading(summary: pd.DataFrame, metric: str, lang: str) -> str:
    """A metric's group heading, naming the methods of its intervals and differences."""
    entries = summary[summary["metric"] == metric]
    return lb.text("brief.heading", lang, metric=lb.metric_label(metric, lang),
                   means=lb.methods_label(entries["method"], lang),
                   diffs=lb.methods_label(entries["diff_method"], lang))


def _column(summary: pd.DataFrame, metric: str, lang: str) -> str:
    """A metric's column heading, naming the methods of the intervals below it."""
    methods = summary.loc[summary["metric"] == metric, "method"]
    return lb.text("brief.column", lang, metric=lb.metric_label(metric, lang),
                   means=lb.methods_label(methods, lang))


def _sweep_table(results: Results, lang: str) -> Table:
    """One row per design point: the varied values, then the key metrics."""
    keys = results.keys[:3]
    summary = results.summary.set_index(["point", "metric"])
    rows = []
    for point, group in results.summary.groupby("point", sort=True):
        first = group.iloc[0]
        cells = [lb.value_label(k, first[k], lang) for k in keys]
        cells += [_band_of(m, row_at(summary, (point, m)), lang) for m in KEY_METRICS]
        rows.append(cells)
    header = [lb.key_label(k, lang) for k in keys] + [_column(results.summary, m, lang)
                                                      for m in KEY_METRICS]
    key_width = 0.1
    rest = (1 - key_width * len(keys)) / len(KEY_METRICS)
    return Table(header, rows, [False] * len(keys) + [True] * len(KEY_METRICS),
                 widths=[key_width] * len(keys) + [rest] * len(KEY_METRICS))


def findings_table(results: Results, lang: str) -> Table:
    """Every key metric, as fits the folder: by scenario, by design point, or one run."""
    builders = {"run": _run_table, "compare": _compare_table, "sweep": _sweep_table}
    return builders[results.kind](results, lang)


# --- the methods -----------------------------------------------------------------------------

def methods(results: Results, lang: str) -> str:
    """The methods paragraph: model, scenarios, replicates, seeds, version, folder."""
    names = [display_name(results, n, lang) for n in results.scenarios]
    facts = {"reps": results.reps, "seed": results.seed, "scenario": names[0],
             "days": results.days[results.baseline],
             "communities": results.communities_setting(results.baseline)}
    if results.kind == "compare":
        design = lb.text("brief.design.compare", lang, scenarios=lb.join(names, lang, most=99),
                         **facts)
    elif results.kind == "sweep":
        info = results.info["design"]
        design = lb.text("brief.design.sweep", lang, sample=lb.text(f"sample.{info['sample']}",
                                                                    lang),
                         keys=lb.join([lb.inline(lb.key_name(k, lang), lang)
                                       for k in results.keys], lang, most=99),
                         points=len(info["points"]), **facts)
    else:
        design = lb.text("brief.design.run", lang, **facts)
    model = lb.text("brief.model", lang, version=results.version, git=results.git)
    folder = lb.text("brief.folder", lang, folder=results.folder)
    parts = [model, design, *intervals(results, lang), *breakdown_note(results, lang), folder]
    return lb.sentences(parts, lang)


def breakdown_note(results: Results, lang: str) -> list[str]:
    """Why the brief has no chart by governance model or district although the folder has
    the breakdown table: every community shares one model and one district (the synthetic
    city), so there is nothing to set side by side. Empty otherwise."""
    if results.breakdown is None or breakdown_levels(results):
        return []
    return [lb.text("brief.no_breakdown", lang)]


def intervals(results: Results, lang: str) -> list[str]:
    """Sentences saying how the brief's intervals were made: the methods in its table, why
    shares and hours use other scales, and that two replicates give only their range."""
    summary = results.summary[results.summary["metric"].isin(
        KEY_METRICS if results.kind != "run" else METRICS)]
    methods = set(summary["method"]) | set(summary["diff_method"].dropna())
    sentences = [lb.text("brief.intervals", lang, means=lb.methods_label(summary["method"], lang))]
    if summary["diff_method"].notna().any():
        sentences.append(lb.text("brief.intervals.diff", lang,
                                 diffs=lb.methods_label(summary["diff_method"], lang)))
    if methods & {T_LOGIT, T_LOG}:
        sentences.append(lb.text("brief.intervals.scales", lang))
    if RANGE in methods:
        sentences.append(lb.text("brief.intervals.range", lang))
    return sentences


def coverage(sources: Sources, lang: str) -> str:
    """What the findings' intervals and robustness cover, and what they do not: read on the
    first page, beside the findings."""
    results, robust = sources.results, sources.robust
    noise = lb.text("brief.covers.noise", lang, reps=results.reps)
    if robust is None:
        worlds = lb.text("brief.covers.untested", lang)
    elif not robust.ensemble.get("targets"):
        worlds = lb.text("brief.covers.unrecorded", lang, worlds=robust.worlds,
                         keys=len(robust.keys), folder=robust.document["ensemble"]["folder"])
    else:
        record = robust.ensemble
        worlds = lb.text("brief.covers.worlds", lang, worlds=robust.worlds,
                         keys=len(record["priors"]), targets=len(record["targets"]),
                         drawn=_drawn(record), acceptance=_acceptance(record))
        rounds = record.get("round_list") or []
        if len(rounds) > 1:
            worlds = lb.sentences([worlds, lb.text(
                "brief.covers.narrowed", lang, rounds=len(rounds), first=rounds[0]["kept"],
                drawn=rounds[0]["worlds"])], lang)
    if robust is not None:
        reform_keys = len(robust.document.get("reform_priors", []))
        worlds = lb.sentences([worlds, lb.text("brief.covers.reforms", lang, keys=reform_keys)
                               if reform_keys else lb.text("brief.covers.no_reforms", lang)],
                              lang)
    return lb.sentences([noise, worlds, lb.text("brief.covers.not", lang)], lang)


def _drawn(record: dict[str, Any]) -> int:
    """Worlds drawn over every round of the ensemble."""
    rounds = record.get("round_list") or []
    return int(sum(r["worlds"] for r in rounds)) if rounds else int(record.get("n") or 0)


def _acceptance(record: dict[str, Any]) -> str:
    drawn = _drawn(record)
    return percent(record.get("kept", 0) / drawn) if drawn else numbers.MISSING


def hinges(sources: Sources, lang: str) -> list[str]:
    """The assumptions the conclusions hinge on: each reform whose improvement of the
    discovery metric (resident-facing hours by default) depends on a prior key, with the
    key, its threshold and the shares of worlds improving either side."""
    if sources.robust is None:
        return [lb.text("brief.hinges.untested", lang)]
    names = {n: display_name(sources.results, n, lang) for n in sources.results.scenarios}
    lines, unanimous = [], []
    for entry in sources.robust.discovery:
        if not entry.get("splits"):
            if entry.get("share_improving") in (0.0, 1.0):
                unanimous.append(entry)
            continue
        split = entry["splits"][0]
        lines.append(lb.text(
            "brief.hinges", lang, scenario=names.get(entry["scenario"], entry["scenario"]),
            metric=lb.inline(lb.metric_name(entry["metric"], lang), lang),
            key=lb.inline(lb.key_name(split["key"], lang), lang), raw=split["key"],
            threshold=numbers.number(split["threshold"],
                                     digits=numbers.digits_for(split["threshold"]) + 1),
            below=percent(split["improving_at_or_below"]), above=percent(split["improving_above"]),
            share=percent(entry["share_improving"])))
    for share in (1.0, 0.0):
        agreeing = [names.get(e["scenario"], e["scenario"]) for e in unanimous
                    if e["share_improving"] == share]
        if agreeing:
            lines.append(lb.text("brief.hinges.all" if share else "brief.hinges.never", lang,
                                 scenarios=lb.join(agreeing, lang, most=99),
                                 metric=lb.inline(lb.metric_name(unanimous[0]["metric"], lang),
                                                  lang), worlds=sources.robust.worlds))
    return lines or [lb.text("brief.hinges.none", lang, worlds=sources.robust.worlds)]


# --- the document ----------------------------------------------------------------------------

def brief_charts(results: Results, threshold: float) -> list[Drawing]:
    """Up to five of the folder's charts, in the order a reader needs them: those whose
    chart has a ``brief_rank`` (analysis.charts), lowest first."""
    ranked = [(d.chart.brief_rank, d) for d in available(results, threshold)
              if d.chart.brief_rank is not None]
    ranked.sort(key=lambda pair: pair[0])
    return [drawing for _, drawing in ranked[:MOST_CHARTS]]


def _opening(sources: Sources, findings: list[Finding], lang: str) -> list[Block]:
    """The first page: findings, what they cover, the summary table."""
    results = sources.results
    if results.kind != "compare":
        return [Heading(lb.text("brief.results", lang)), findings_table(results, lang)]
    assert sources.cost is not None
    table = summary_table(results, sources.effects, sources.cost, lang)
    return [Heading(lb.text("brief.findings", lang)), Findings([f.text for f in findings]),
            Paragraph(coverage(sources, lang), small=True),
            Heading(lb.text("brief.summary", lang)),
            Table(table.header, table.rows, table.numeric,
                  caption=lb.text("brief.summary.caption", lang,
                                  baseline=display_name(results, results.baseline, lang)),
                  widths=[1.4, 1.85, 0.8, 0.75, 1.05, 0.85, 1.3])]


def _methods(sources: Sources, lang: str) -> list[Block]:
    results = sources.results
    blocks: list[Block] = [Heading(lb.text("brief.methods", lang)),
                           Paragraph(methods(results, lang))]
    if results.kind == "compare":
        blocks += [Paragraph(coverage(sources, lang)),
                   Heading(lb.text("brief.hinges.heading", lang), level=2),
                   *(Paragraph(line) for line in hinges(sources, lang)),
                   PageBreak(), Heading(lb.text("brief.appendix", lang)),
                   findings_table(results, lang)]
    return blocks


def document(sources: Sources, lang: str, findings: list[Finding],
             images: list[tuple[Drawing, Path]]) -> Document:
    """The whole brief as one document; ``images`` are the charts drawn beside it."""
    results = sources.results
    blocks: list[Block] = [Paragraph(source_line(results, lang), small=True),
                           *_opening(sources, findings, lang)]
    if images:
        blocks += [PageBreak(), Heading(lb.text("brief.charts", lang))]
        blocks += [Figure(path, drawing.chart.caption.pick(lang)) for drawing, path in images]
    blocks += [PageBreak(), *_methods(sources, lang)]
    title = lb.text("brief.title", lang)
    return Document(title, lang, header=title,
                    footer=lb.text("brief.footer", lang, version=results.version,
                                   git=results.git, seed=results.seed),
                    page_label=lb.text("brief.page", lang, n="{n}", total="{total}"),
                    blocks=blocks)


def brief_findings(sources: Sources, lang: str) -> list[Finding]:
    """A comparison's key findings; none for a run or a sweep."""
    if sources.cost is None:
        return []
    return key_findings(sources.results, sources.effects, lang)


def findings_record(sources: Sources, lang: str, findings: list[Finding]) -> dict[str, Any]:
    """The brief's JSON twin: each finding's sentence and the numbers it states."""
    return {"folder": str(sources.results.folder), "lang": lang,
            "robust": None if sources.robust is None else str(sources.robust.folder),
            "findings": [{"text": f.text, "kind": f.kind, "numbers": f.numbers}
                         for f in findings]}


# --- writing it ------------------------------------------------------------------------------

def check_target(out: Path) -> Path:
    if out.suffix.lower() != ".pdf":
        raise UserError(f"--out {out}: the brief is a PDF; give a file name ending in .pdf "
                        "(the Markdown version is written beside it)")
    if out.exists() and out.is_dir():
        raise UserError(f"--out {out}: is a folder; give a file name ending in .pdf")
    return out


def load_sources(folder: Path, robust: Path | None = None) -> Sources:
    """The results folder and, if given, the robust comparison of the same scenarios."""
    results = load_results(folder)
    if results.kind != "compare":
        if robust is not None:
            raise UserError(f"--robust {robust}: robustness is for comparisons; {folder} "
                            f"holds a {results.kind}")
        return Sources(results)
    cost = summarise(results_per_replicate(results), results.scenarios)
    worlds = None
    if robust is not None:
        worlds = load_robust_folder(robust)
        worlds.check_covers(results.scenarios, "--robust")
    return Sources(results, cost, worlds, effects(results, cost, worlds))


def write_brief(folder: Path, out: Path, lang: str = "en",
                threshold: float = DEFAULT_THRESHOLD, robust: Path | None = None) -> list[Path]:
    """Write the PDF brief, its Markdown and JSON twins and the charts' images; return the
    PDF, the Markdown file and the images."""
    check_lang(lang)
    out = check_target(Path(out))
    sources = load_sources(folder, robust)
    check_writable(out, inside=False)
    markdown, image_dir = out.with_suffix(".md"), out.parent / f"{out.stem}_images"
    charts = brief_charts(sources.results, threshold)
    with house_style(), output_errors(out, hint=BRIEF_HINT):
        out.parent.mkdir(parents=True, exist_ok=True)
        images = [(drawing, save(drawing.draw(lang), image_dir / f"{drawing.name}_{lang}.png"))
                  for drawing in charts]
        findings = brief_findings(sources, lang)
        brief = document(sources, lang, findings, images)
        write_pdf(brief, out)
        write_text(markdown, to_markdown(brief, out.parent))
        write_text(out.with_suffix(".json"), json.dumps(
            findings_record(sources, lang, findings), indent=2, ensure_ascii=False))
    return [out, markdown, *(path for _, path in images)]
