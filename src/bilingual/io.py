"""Reading inputs and writing outputs: whole files, JSONL streams, atomic writes.

Every error names its source (a path or ``<stdin>``) and, for JSONL, the line number.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .errors import BilingualError, InputError
from .repair import decode

__all__ = ["atomic_output", "iter_jsonl", "iter_text_lines", "read_bytes"]

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


_CHUNK = 1 << 16


def iter_text_lines(path: str) -> Iterator[str]:
    """The decoded lines of a file (or ``-``), with their line ends, in bounded memory.

    The encoding is found from the first 64 KiB (cut at a line end) by
    :func:`bilingual.repair.decode`; the rest is decoded incrementally with it.
    """
    source = source_name(path)
    with open_binary(path) as stream:
        head = stream.read(_CHUNK)
        rest = stream.read(1)
        sample = head
        if rest and b"\n" in head:  # don't let a cut character mislead the guess
            sample = head[: head.rindex(b"\n") + 1]
        try:
            _, encoding = decode(sample)
        except BilingualError as e:
            raise InputError(str(e), source=source) from e
        decoder = codecs.getincrementaldecoder(encoding)()
        partial = ""
        data = head + rest
        while data:
            try:
                text = partial + decoder.decode(data)
            except UnicodeDecodeError as e:
                raise InputError(
                    f"not valid {encoding} after the start: {e.reason}", source=source
                ) from e
            lines = text.splitlines(keepends=True)
            partial = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
            yield from lines
            data = stream.read(_CHUNK)
        tail = partial + decoder.decode(b"", final=True)
        if tail:
            yield tail


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
