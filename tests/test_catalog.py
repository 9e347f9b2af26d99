"""The packaged task catalog meets the report's figures; bad catalogs get row-and-column errors."""

from __future__ import annotations

import numpy as np
import pytest

from sim.catalog import ADMIN, DEMAND, SELFGOV, SERVICE, load_catalog
from sim.errors import UserError
from tests.conftest import write_catalog

REPORT_CATEGORIES = (
    "public_security", "community_corrections", "public_health", "family_planning",
    "veterans_relief", "community_education", "employment", "social_insurance",
    "social_assistance", "housing_support", "consumer_rights", "rights_protection",
)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_catalog_has_160_plus_admin_and_10_odd_selfgov_types(catalog):
    assert np.count_nonzero(catalog.kind == ADMIN) >= 160
    assert 10 <= np.count_nonzero(catalog.kind == SELFGOV) <= 15
    assert np.count_nonzero(catalog.kind == SERVICE) >= 10


def test_every_category_of_the_report_has_admin_tasks(catalog):
    admin_categories = set(catalog.category[catalog.kind == ADMIN])
    assert set(REPORT_CATEGORIES) <= admin_categories


def test_admin_tasks_come_from_many_departments_and_residents_drive_the_rest(catalog):
    assert len(set(catalog.department[catalog.kind == ADMIN])) >= 20
    assert set(catalog.department[catalog.kind != ADMIN]) == {"residents"}
    assert np.all(catalog.arrival[catalog.kind != ADMIN] == DEMAND)


def test_every_row_says_where_its_numbers_come_from(catalog):
    assert all("numbers:" in s and "names:" in s for s in catalog.source)


def test_every_row_has_chinese_and_english_names(catalog):
    def has_cjk(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    assert all(has_cjk(name) for name in catalog.name_zh)
    assert not any(has_cjk(name) for name in catalog.name_en)


def test_a_user_catalog_is_read(tmp_path):
    path = write_catalog(tmp_path / "mine.csv", [{}, {"kind": "self_governance",
                                                      "department": "residents"}])
    catalog = load_catalog(path)
    assert list(catalog.task_id) == ["T000", "T001"]
    assert list(catalog.kind) == [ADMIN, SELFGOV]


@pytest.mark.parametrize("row, column, allowed", [
    ({"kind": "chores"}, "kind", "one of administrative"),
    ({"effort_hours": "-3"}, "effort_hours", "a finite number in"),
    ({"assessment_weight": "high"}, "assessment_weight", "a finite number in [0, 1]"),
    ({"grid_eligible": "yes"}, "grid_eligible", "0 or 1"),
    ({"arrival": "demand", "rate_per_1000hh_year": ""}, "rate_per_1000hh_year", "finite number"),
    ({"name_en": ""}, "name_en", "a non-empty text"),
])
def test_bad_cell_is_named_by_row_and_column(tmp_path, row, column, allowed):
    path = write_catalog(tmp_path / "bad.csv", [{}, row])
    with pytest.raises(UserError) as err:
        load_catalog(path)
    message = str(err.value)
    assert "bad.csv: row 3" in message and f"column '{column}'" in message
    assert allowed in message


@pytest.mark.parametrize("column, cell", [
    ("effort_hours", "nan"), ("deadline_days", "inf"), ("effort_spread", "-inf")])
def test_a_non_finite_cell_is_refused_by_row_column_value_and_range(tmp_path, column, cell):
    path = write_catalog(tmp_path / "odd.csv", [{column: cell}])
    with pytest.raises(UserError) as err:
        load_catalog(path)
    assert str(err.value).startswith(f"{path}: row 2, column '{column}': bad value '{cell}'; "
                                     "expected a finite number in [")


def test_duplicate_ids_are_refused(tmp_path):
    path = write_catalog(tmp_path / "dup.csv", [{"task_id": "X"}, {"task_id": "X"}])
    with pytest.raises(UserError, match=r"row 3, column 'task_id': duplicate id 'X'.*row 2"):
        load_catalog(path)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "cols.csv"
    path.write_text("task_id,name_zh\nA,甲\n", encoding="utf-8")
    with pytest.raises(UserError, match=r"missing column.*name_en"):
        load_catalog(path)


def test_missing_catalog_file_names_the_path(tmp_path):
    with pytest.raises(UserError, match=r"none\.csv: catalog file not found"):
        load_catalog(tmp_path / "none.csv")
