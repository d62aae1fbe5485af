"""Reading inputs and writing outputs: whole files, JSONL streams, atomic writes.

Every error names its source (a path or ``<stdin>``) and, for JSONL, the line number.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import InputError

__all__ = ["atomic_output", "iter_jsonl", "read_bytes"]

STDIN = "-"


def source_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def read_bytes(path: str) -> bytes:
    """The bytes of a file, or of standard input for ``-``."""
    if path == STDIN:
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except IsADirectoryError as e:
        raise InputError("is a directory", source=path) from e
    except OSError as e:
        raise InputError(e.strerror or str(e), source=path) from e


@contextlib.contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """A binary stream for a path or ``-``, with errors that name the path."""
    if path == STDIN:
        yield sys.stdin.buffer
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as e:
        raise InputError(e.strerror or str(e), source=path) from e
    with stream:
        yield stream


def iter_jsonl(stream: IO[bytes], source: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """``(line number, object)`` for each non-blank line; a bad line yields its error.

    Yielding the error instead of raising it lets the caller decide to stop or skip.
    """
    for number, raw in enumerate(stream, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield number, InputError("not UTF-8", source=source, line=number)
            continue
        except json.JSONDecodeError as e:
            yield number, InputError(f"invalid JSON: {e.msg}", source=source, line=number)
            continue
        if not isinstance(obj, dict):
            yield number, InputError("not a JSON object", source=source, line=number)
            continue
        yield number, obj


@contextlib.contextmanager
def atomic_output(path: str | None) -> Iterator[IO[str]]:
    """A text stream that becomes ``path`` only if the block finishes without error.

    Writes go to a temporary file beside ``path``, renamed over it at the end, so an
    interrupted or failed run never leaves a half-written file. ``None`` or ``-`` means
    standard output.
    """
    if path is None or path == STDIN:
        yield sys.stdout
        sys.stdout.flush()
        return
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise InputError(f"cannot write: {e.strerror}", source=path) from e
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
            yield stream
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
