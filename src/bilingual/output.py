"""Writing outputs safely: atomically where that is possible, and never to the wrong place.

:func:`atomic_output` writes a regular file (new or existing) through a temporary file
beside it, renamed over it only when everything was written: an interrupted or failed run
never leaves a half-written file. A symbolic link is followed and its target replaced (the
link stays a link); a device or a FIFO (``/dev/null``, a named pipe) is written directly,
since it cannot be replaced. A new file gets the mode the umask allows; an existing one
keeps its mode. :func:`check_paths` refuses, before any work, an output that is also an
input or another output.

Temporary files are named ``.NAME.bilingual-PID-XXXX.tmp``. A process killed with
``SIGKILL`` cannot remove its own; the next write to the same path removes those whose
process is gone.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError

__all__ = ["atomic_output", "check_paths"]

STDOUT = "-"
_TEMP = re.compile(r"\.(?P<name>.+)\.bilingual-(?P<pid>\d+)-\w+\.tmp")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(folder: Path, name: str) -> None:
    """Temporary files of ours for ``name`` left by a process that no longer runs."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            m = _TEMP.fullmatch(entry.name)
            if m and m["name"] == name and not _alive(int(m["pid"])):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _target(path: str) -> tuple[Path, os.stat_result | None]:
    """The file to write (a symbolic link resolved) and its status, if it exists."""
    target = Path(os.path.realpath(path))
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror}") from e
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputError(f"{path}: is a folder; give a file name")
    if info is None and not target.parent.is_dir():
        raise OutputError(f"{path}: the folder {target.parent} does not exist")
    return target, info


@contextlib.contextmanager
def atomic_output(path: str | None) -> Iterator[IO[str]]:
    """A text stream (UTF-8) that becomes ``path`` only if the block finishes without
    error. ``None`` or ``-`` is standard output; see the module docs for the rest."""
    if path is None or path == STDOUT:
        yield sys.stdout
        sys.stdout.flush()
        return
    target, info = _target(path)
    if info is not None and not stat.S_ISREG(info.st_mode):  # a device or a FIFO
        try:
            stream = open(target, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as e:
            raise OutputError(f"{path}: cannot write: {e.strerror}") from e
        with _write_errors(path), stream:
            yield stream
        return
    _remove_stale(target.parent, target.name)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.bilingual-{os.getpid()}-", suffix=".tmp", dir=target.parent
        )
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {e.strerror}") from e
    try:
        with _write_errors(path), os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _write_errors(path: str) -> Iterator[None]:
    """A full disk or a file-size limit while writing: one line naming the output."""
    try:
        yield
    except OSError as e:
        if isinstance(e, BrokenPipeError) or e.errno is None:
            raise
        raise OutputError(f"{path}: cannot write: {e.strerror}") from e


def check_paths(inputs: Iterable[str], outputs: Iterable[str | None]) -> None:
    """Refuse an output that is an input or another output (the same file by path or by
    inode, through links too): it would be destroyed or overwritten by the run."""
    seen: dict[tuple[int, int] | str, str] = {}
    for source in inputs:
        key = _identity(source)
        if key is not None:
            seen[key] = f"an input ({source})"
    for name in outputs:
        key = _identity(name)
        if key is None:
            continue
        if key in seen:
            raise OutputError(f"{name}: is also {seen[key]} of this run; choose another path")
        seen[key] = f"an output ({name})"


def _identity(name: str | None) -> tuple[int, int] | str | None:
    """What makes a path the same file as another; None for streams (stdin/stdout, devices,
    FIFOs), which can be named twice."""
    if name is None or name == STDOUT:
        return None
    try:
        info = os.stat(name)
    except OSError:
        return os.path.realpath(name)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return None
    return (info.st_dev, info.st_ino)
