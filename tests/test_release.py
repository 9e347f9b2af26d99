"""The changelog and the citation name the version the package carries.

Results are cited and compared by version (a results folder's manifest records it, and a
sweep's run keys include it), so a change that alters results has to bump the version in
pyproject.toml and describe itself under that version in CHANGELOG.md. These tests make
the version and the changelog move together, and keep results-altering entries out of
*Unreleased*.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from tests.conftest import ROOT

HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$",
                     re.MULTILINE)
ALTERS = "Alters results"


def package_version() -> str:
    """The version in pyproject.toml, the one a build and an editable install report."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def sections() -> dict[str, str]:
    """CHANGELOG.md's level-2 sections, by the name in their brackets, in file order."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    found = list(HEADING.finditer(text))
    ends = [m.start() for m in found[1:]] + [len(text)]
    return {m["name"]: text[m.end():end] for m, end in zip(found, ends, strict=True)}


def released() -> list[str]:
    """Version headings, newest first (anything but Unreleased)."""
    return [name for name in sections() if name != "Unreleased"]


def test_the_latest_changelog_version_is_the_package_version():
    assert released()[0] == package_version(), (
        "bump pyproject.toml's version and CHANGELOG.md's latest heading together")


def test_versions_are_listed_newest_first_with_a_date():
    versions = released()
    numbers = [tuple(map(int, v.split("."))) for v in versions]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) == len(numbers)
    dated = {m["name"]: m["date"] for m in HEADING.finditer(
        (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))}
    assert all(dated[v] for v in versions), "every released version needs a date"


def test_results_altering_changes_are_never_left_unreleased():
    unreleased = sections().get("Unreleased", "")
    assert ALTERS.lower() not in unreleased.lower(), (
        "a change that alters results bumps the version: move its entry under a new heading")


def test_citation_loads_and_names_the_package_version():
    yaml = pytest.importorskip("yaml")        # comes with dask; not a dependency of its own
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert str(citation["version"]) == package_version()
    assert {"title", "message", "authors", "date-released"} <= set(citation)
