"""Result folders written atomically, each with a manifest of what produced it.

Files are written into a hidden temporary folder beside the target and moved
into place with one rename, so a crash or Ctrl-C never leaves a half-written
folder, and an existing folder is replaced only when asked to, in one step.
"""

from __future__ import annotations

import errno
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
from typing import Any

from sim.errors import UserError

PACKAGES = ("commsim", "mesa", "numpy", "pandas", "pyarrow", "scipy", "click")


RERUN_HINT = "nothing was written there; free space or choose another --out, then run again"


@contextmanager
def output_errors(target: Path, option: str = "--out", hint: str = "") -> Iterator[None]:
    """Turn an OSError raised while writing ``target`` (disk full, read-only file system,
    permission) into one UserError naming the target, the reason and what to do next.

    Wrap only code that writes: an OSError from elsewhere (a Dask connection, say)
    must not be reported as an output problem.
    """
    try:
        yield
    except OSError as err:
        after = f"; {hint}" if hint else ""
        raise UserError(f"{option} {target}: cannot write there: {_reason(err)}{after}") from None


def _reason(err: OSError) -> str:
    """The operating system's words for ``err``'s errno (pyarrow puts its own longer text in
    ``strerror``), or the error's text when it has no errno."""
    return os.strerror(err.errno) if err.errno else (err.strerror or str(err))


def check_writable(path: Path, option: str = "--out", inside: bool = True) -> None:
    """Refuse, before any long computation, a ``path`` under which nothing can be created:
    a hidden folder is made (and removed at once) in the nearest existing folder at or
    above ``path`` (above it when not ``inside``: a file, or a folder replaced by a rename).

    Asking the file system is the only reliable test: permission bits say nothing to
    root, and /proc or /sys refuse new entries with ENOENT or EPERM although they
    look writable.
    """
    base = Path(path) if inside else Path(path).parent
    while not base.exists() and base != base.parent:
        base = base.parent
    if not base.is_dir():
        raise UserError(f"{option} {path}: cannot create anything under {base}: "
                        f"{os.strerror(errno.ENOTDIR)} (it is a file)")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".commsim-probe-", dir=base))
    except OSError as err:
        raise UserError(f"{option} {path}: cannot create anything in {base}: "
                        f"{_reason(err)}") from None


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse early a target that holds files, unless overwriting was asked for, or one
    whose folder cannot be created."""
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise UserError(f"--out {out}: folder exists and is not empty; choose another folder "
                        "or pass --overwrite to replace it")
    check_writable(out, inside=False)


def write_folder(out: Path, write: Callable[[Path], None], overwrite: bool = False) -> None:
    """Call ``write(tmp)`` to fill a temporary folder, then move it to ``out`` atomically.

    If writing fails (a full disk, say) the temporary folder goes and ``out`` is as it was.
    """
    out = Path(out)
    check_target(out, overwrite)
    with output_errors(out, hint=RERUN_HINT):
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
        try:
            write(tmp)
            _move_into_place(tmp, out)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)


def _move_into_place(tmp: Path, out: Path) -> None:
    """Rename ``tmp`` to ``out``; an existing ``out`` is set aside first and put back if the
    rename fails, so the user's folder is never lost."""
    if not out.is_dir():
        os.replace(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.replace(out, old / "previous")
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old / "previous", out)
        old.rmdir()
        raise
    shutil.rmtree(old)


def manifest(**facts: Any) -> dict:
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
