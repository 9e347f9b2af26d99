"""The languages commsim's labels come in, and the one way to choose one of them.

A label in every language is a ``Bilingual`` with a field per language, so a
Chinese label can never be read as the English one (positional pairs could be)
and a language nobody wrote is an error, never a quiet fallback to another.
``LANGS`` is read off the fields, so the command line's ``--lang`` choices, the
scenario files' ``label_en``/``label_zh`` keys and the labels cannot disagree.
The module imports only the standard library: the command line reads it on
every start.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Generic, NamedTuple, TypeVar

from sim.errors import UserError

T = TypeVar("T")


@dataclass(frozen=True)
class Bilingual(Generic[T]):
    """One label (a text, or a name with its unit) in each language, by name."""

    en: T
    zh: T

    def pick(self, lang: str) -> T:
        """The label in ``lang``; an unknown language is the caller's mistake, said so."""
        return getattr(self, check_lang(lang))


class Label(NamedTuple):
    """A name and its unit as one language shows them (the unit may be empty)."""

    name: str
    unit: str


LANGS: tuple[str, ...] = tuple(field.name for field in fields(Bilingual))


def check_lang(lang: str) -> str:
    """``lang`` if commsim speaks it: the check behind every label, CLI or library call."""
    if lang not in LANGS:
        raise UserError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    return lang


def label_key(lang: str) -> str:
    """The scenario-file key holding a scenario's display name in ``lang``: label_en, ..."""
    return f"label_{check_lang(lang)}"


LABEL_KEYS: tuple[str, ...] = tuple(label_key(lang) for lang in LANGS)
