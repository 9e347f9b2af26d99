"""The one number formatter: terminal tables, charts and briefs write numbers alike."""

from __future__ import annotations

import math

import pytest

from analysis.numbers import MINUS, band, digits_for, exact_digits, number, plain


@pytest.mark.parametrize("value, digits, shown", [
    (0.855, None, "86%"),                  # ten percent and more: whole percent
    (0.855, 1, "85.5%"),
    (0.034, None, "3.4%"),                 # under ten percent: a decimal
    (1.0, None, "100%"),
    (0.0, None, "0.0%"),
])
def test_shares_are_shown_in_percent(value, digits, shown):
    assert number(value, share=True, digits=digits) == shown


@pytest.mark.parametrize("value, shown", [
    (1234.5, "1,234"), (1_872_000.0, "1,872,000"), (123.4, "123"), (12.34, "12.3"),
    (4.98, "4.98"),
])
def test_hours_and_counts_get_separators_and_fewer_decimals_as_they_grow(value, shown):
    assert number(value) == shown


@pytest.mark.parametrize("value, shown", [
    (0.5, "0.50"), (0.0123, "0.012"), (0.00456, "0.0046"), (0.0, "0.00"), (1e-9, "0.000000"),
])
def test_small_numbers_keep_two_significant_digits(value, shown):
    assert number(value) == shown


def test_differences_carry_a_sign_and_a_true_minus():
    assert number(-10.3, sign=True) == f"{MINUS}10.3"
    assert number(2.5, sign=True) == "+2.50"
    assert number(-1234.0, sign=True, digits=0) == f"{MINUS}1,234"
    assert number(-0.103, share=True, sign=True, digits=1) == f"{MINUS}10.3"   # points: no %
    assert number(-0.2, digits=0) == "0" and number(-0.2, sign=True, digits=0) == "+0"
    assert "-" not in number(-5.0)


@pytest.mark.parametrize("value", [None, math.nan])
def test_a_missing_value_is_a_dash(value):
    assert number(value) == "—"


def test_a_band_shares_its_decimals_and_puts_the_unit_after_the_mean():
    assert band(0.855, 0.82, 0.89, share=True) == "85.5% [82.0, 89.0]"
    assert band(-0.103, -0.113, -0.092, share=True, sign=True, unit=" pp") == \
        f"{MINUS}10.3 pp [{MINUS}11.3, {MINUS}9.2]"
    assert band(1234.0, 1000.0, 1500.0) == "1,234 [1,000, 1,500]"
    assert band(4.98, None, None) == "4.98"
    assert band(4.98, math.nan, math.nan) == "4.98"
    assert band(310.0, -20.0, 650.0, sign=True, digits=0) == f"+310 [{MINUS}20, +650]"


def test_chosen_numbers_keep_their_own_decimals():
    assert [plain(v) for v in (1500.0, 2.5, 0.35, 8.0, 0.1 + 0.2)] == [
        "1,500", "2.5", "0.35", "8", "0.3"]
    assert plain(0.05, share=True) == "5%" and plain(0.025, share=True) == "2.5%"
    assert exact_digits(1 / 3) == 4


def test_digits_follow_the_size_of_the_value():
    assert [digits_for(v) for v in (1500, 50, 5, 0.5, 0.05)] == [0, 1, 2, 2, 3]
    assert [digits_for(v, share=True) for v in (0.5, 0.05)] == [0, 1]
