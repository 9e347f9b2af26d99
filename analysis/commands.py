"""The ``commsim plot`` and ``commsim brief`` commands.

Matplotlib and the chart modules are imported inside the commands, never at
the top of this module: the CLI imports it on every start, and the
simulation (and its workers) must not pay for, or depend on, charting code.
User mistakes raise ``UserError``, which the main group prints as one line
with exit status 2.
"""

from __future__ import annotations

from pathlib import Path

import click

from analysis.labels import FORMATS
from sim.languages import LANGS

results_argument = click.argument("results_dir", metavar="RESULTS_DIR",
                                  type=click.Path(file_okay=True, path_type=Path))
lang_option = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True,
                           help="Language of every label, title and legend.")
threshold_option = click.option(
    "--overdue-threshold", "threshold", type=click.FloatRange(0, 1), default=0.05,
    show_default=True, help="Staffing frontier: the overdue rate a community must stay under.")


@click.command("plot")
@results_argument
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the charts (default: RESULTS_DIR/charts).")
@lang_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="png", show_default=True)
@threshold_option
def plot_command(results_dir: Path, out: Path | None, lang: str, fmt: str,
                 threshold: float) -> None:
    """Draw every chart that fits RESULTS_DIR (written by run, compare or sweep --out)."""
    from analysis.charts import plot_results

    paths = plot_results(results_dir, out or results_dir / "charts", lang, fmt, threshold)
    for path in paths:
        click.echo(str(path))
    click.echo(f"{len(paths)} chart(s) written to {out or results_dir / 'charts'}")


@click.command("brief")
@results_argument
@lang_option
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write (default: RESULTS_DIR/brief_LANG.pdf); the Markdown "
                   "version and its images go beside it.")
@threshold_option
@click.option("--robust", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="The folder of 'compare ... --ensemble ... --out DIR' for the same "
                   "scenarios: each finding then says in how many plausible worlds it holds.")
def brief_command(results_dir: Path, lang: str, out: Path | None, threshold: float,
                  robust: Path | None) -> None:
    """Write a short policy brief of RESULTS_DIR: key findings, summary table, charts,
    methods (a typeset PDF, a Markdown twin and a JSON twin of the findings' numbers)."""
    from analysis.brief import write_brief

    pdf, markdown, *images = write_brief(results_dir, out or results_dir / f"brief_{lang}.pdf",
                                         lang, threshold, robust)
    click.echo(f"brief written to {pdf}")
    click.echo(f"editable version: {markdown} with {len(images)} image(s) beside it")
