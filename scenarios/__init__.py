"""The scenario files shipped with commsim, found wherever commsim is installed.

The TOML files sit in the top-level ``scenarios/`` folder of the source tree,
where readers of the design look for them; making the folder a package lets a
wheel carry them as package data, so ``commsim run baseline`` works from any
folder after ``pip install commsim``, not only in a checkout. This module
imports only the standard library: the CLI may use it on every start.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

SUFFIX = ".toml"


def folder() -> Path:
    """The folder holding the shipped scenario files (in the checkout or the install)."""
    return Path(str(resources.files(__name__)))


def names() -> list[str]:
    """Names of the shipped scenarios (file names without .toml), sorted."""
    return sorted(path.stem for path in folder().glob(f"*{SUFFIX}"))


def locate(name: str) -> Path | None:
    """The shipped file called ``name`` or ``name.toml``, or None if there is none.

    Only a bare file name can be shipped: anything with a folder in it is a
    path the user meant, and must not silently resolve to a shipped file.
    """
    if not name or Path(name).name != name:
        return None
    stem = name.removesuffix(SUFFIX)
    path = folder() / f"{stem}{SUFFIX}"
    return path if path.is_file() else None
