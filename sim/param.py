"""``Param``, one settable value of a scenario, on its own so that anyone can declare one.

The core keys are declared in ``sim.parameters``; every reform declares its own
``reforms.NAME.*`` keys on its class (``sim.reforms``), and ``sim.enforcement``
the ``reforms.enforcement.*`` ones. They all need ``Param``, while
``sim.parameters`` needs them (to assemble the full registry): keeping ``Param``
here, importing nothing of the model, breaks that cycle. Like ``sim.parameters``
the module imports only the standard library and ``sim.languages``, so the
command line can read it on every start.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sim.languages import Bilingual, Label

ASSUMPTION = "assumption (docs/model.md)"


@dataclass(frozen=True)
class Param:
    """One settable value. ``kind`` is int, float, bool, str, list (of str) or dict (a table
    from str to str; ``choices``, if given, are the values it may map to).

    ``needs`` is ``(switch key, value)`` when the model reads this key only while the
    switch has that value, so that a setting which cannot count is reported, not
    silently ignored. Keys under a group with an ``enabled`` switch get it filled in.

    ``plausible`` is the ``(low, high)`` range the value could reasonably take in a
    real city, narrower than the bounds, which only say what the code accepts; it is
    where sensitivity analyses and ensembles should look. ``None``: not yet given.

    ``label`` is the key's name and unit on charts and briefs when it is swept or
    screened, in every language (``analysis.labels.key_label``); ``None``: shown as
    the raw key.
    """

    key: str
    default: Any
    kind: type
    meaning: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    needs: tuple[str, Any] | None = None
    plausible: tuple[float, float] | None = None
    label: Bilingual[Label] | None = None

    def allowed(self) -> str:
        """Human-readable statement of what this parameter accepts."""
        if self.kind is dict:
            values = ("one of " + ", ".join(repr(c) for c in self.choices)
                      if self.choices else "a string")
            return f"a table from names to {values}"
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is list:
            return "a list of strings"
        if self.kind is str:
            return "a string"
        noun = "an integer" if self.kind is int else "a finite number"
        if self.low is None and self.high is None:
            return f"any {noun.split(' ', 1)[1]}"
        if self.high is None:
            return f"{noun} >= {self.low:g}"
        if self.low is None:
            return f"{noun} <= {self.high:g}"
        return f"{noun} in [{self.low:g}, {self.high:g}]"
