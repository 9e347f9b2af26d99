"""Result folders written atomically, each with a manifest of what produced it.

Files are written into a hidden temporary folder beside the target and moved
into place with one rename, so a crash or Ctrl-C never leaves a half-written
folder, and an existing folder is replaced only when asked to, in one step.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from sim.errors import UserError

PACKAGES = ("commsim", "mesa", "numpy", "pandas", "pyarrow", "scipy", "click")


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse early a target that holds files, unless overwriting was asked for."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise UserError(f"--out {out}: folder exists and is not empty; choose another folder "
                        "or pass --overwrite to replace it")


def write_folder(out: Path, write: Callable[[Path], None], overwrite: bool = False) -> None:
    """Call ``write(tmp)`` to fill a temporary folder, then move it to ``out`` atomically."""
    out = Path(out)
    check_target(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        write(tmp)
        if out.is_dir():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / "previous")
            os.replace(tmp, out)
            shutil.rmtree(old)
        else:
            os.replace(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def manifest(**facts) -> dict:
    """What produced a result: the given facts plus versions, git revision and platform."""
    return {
        **facts,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": {name: _version(name) for name in PACKAGES},
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_revision": git_revision(),
    }


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A hidden temporary path beside ``path``; whatever is written there replaces ``path``
    in one rename when the block ends, and is thrown away if the block fails."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_text(path: Path, text: str) -> None:
    """Write a text file atomically."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: Path, data: dict) -> None:
    write_text(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def git_revision() -> str:
    """The source tree's commit (with '+dirty' if it has changes), or 'unknown'."""
    here = Path(__file__).resolve().parent
    try:
        head = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain"],
                               capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"
