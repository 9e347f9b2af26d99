"""The one way commsim writes a number for people: terminal tables, charts and briefs.

A share is stored as a fraction and shown in percent; a difference carries its
sign; a minus is a true minus sign (−), which lines up with the plus sign and
cannot be taken for a hyphen; thousands are separated by commas; and a value
gets as many decimals as its size is worth, so that 1,234 hours and 0.012
quits per staff-year both read at a glance. JSON and CSV files keep full
precision: this is only for reading. The module imports only the standard
library, so the command line may use it without loading the analysis stack.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
MISSING = "—"
MOST_DIGITS = 6          # decimals for the tiniest values; below that a value reads as zero
TICK_DIGITS = 4          # decimals a round number (a tick, a setting) may need at most


def digits_for(value: float, share: bool = False) -> int:
    """Decimals worth showing for a measured ``value`` (a share: in percent).

    None for large numbers, more for small ones; below 1, two significant digits,
    so 0.012 does not collapse to 0.01.
    """
    size = abs(value) * (100 if share else 1)
    if share:
        return 0 if size >= 10 else 1
    if size >= 100:
        return 0
    if size >= 10:
        return 1
    if size >= 1 or size == 0 or not math.isfinite(size):
        return 2
    return min(1 - math.floor(math.log10(size)), MOST_DIGITS)


def exact_digits(value: float, most: int = TICK_DIGITS) -> int:
    """The fewest decimals that write ``value`` exactly (up to ``most``): for numbers that
    are round by choice, an axis tick or a swept setting, where 2.50 would add noise."""
    for digits in range(most + 1):
        if math.isclose(round(value, digits), value, rel_tol=1e-9, abs_tol=1e-12):
            return digits
    return most


def number(value: float | None, *, share: bool = False, sign: bool = False,
           digits: int | None = None) -> str:
    """``value`` as people read it: '1,234', '0.012', '85.5%', '+3.2', '−10.3'.

    ``share``: the value is a fraction, shown in percent ('%' added unless ``sign``
    makes it a difference in percentage points, whose unit the caller names).
    ``digits``: decimals, by default as ``digits_for`` finds them. None or NaN: '—'.
    """
    if value is None or value != value:
        return MISSING
    shown = value * 100 if share else value
    digits = digits_for(value, share) if digits is None else digits
    text = f"{shown:+,.{digits}f}" if sign else f"{shown:,.{digits}f}"
    if text.lstrip("+-").strip("0.,") == "":          # rounds to zero: no sign left on it
        text = f"{0:+.{digits}f}" if sign else f"{0:.{digits}f}"
    return text.replace("-", MINUS) + ("%" if share and not sign else "")


def plain(value: float, *, share: bool = False) -> str:
    """A number someone chose, an axis tick, a threshold or a target, with every decimal it
    has and no other: '1,500', '2.5', '5%' (a share), where ``number`` would write 2.50."""
    return number(value, share=share, digits=exact_digits(value * 100 if share else value))


def band(mean: float, low: float | None, high: float | None, *, share: bool = False,
         sign: bool = False, digits: int | None = None, unit: str = "") -> str:
    """'mean [low, high]' with one number of decimals for all three, ``unit`` after the
    mean (e.g. ' pp'); without an interval, just the mean. Shares are shown with a
    decimal, so narrow intervals around large shares stay readable."""
    if digits is None:
        digits = 1 if share else digits_for(mean)
    shown = number(mean, share=share, sign=sign, digits=digits) + unit
    if low is None or high is None or low != low or high != high:
        return shown
    bounds = (number(v, share=share, sign=sign, digits=digits).removesuffix("%")
              for v in (low, high))
    return f"{shown} [{', '.join(bounds)}]"
