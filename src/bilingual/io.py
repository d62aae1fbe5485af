"""Reading inputs: files, folders and standard input, whole or line by line, and JSON Lines.

Every error names its source (a path or ``<stdin>``) and, for JSON Lines, the line. One
decoding path serves every command (:func:`bilingual.text.decode.decode`, judged on the
first 64 KiB cut on a character boundary). Reads are bounded: an item (a text read whole,
or one JSON Lines record) larger than :data:`MAX_ITEM_BYTES` is refused with one line,
whatever the source (a regular file, a pipe, ``/dev/zero``); commands that stream
(``segment``, ``detect``) read files of any size line by line.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .errors import BilingualError, InputError
from .text.decode import decode

__all__ = [
    "MAX_ITEM_BYTES",
    "STDIN",
    "iter_files",
    "iter_jsonl",
    "iter_text_lines",
    "no_constant",
    "open_binary",
    "read_bytes",
    "read_file",
    "source_name",
]

STDIN = "-"
MAX_ITEM_BYTES = 64 * 1024**2
"""The largest item read whole (64 MiB): a text file or one JSON Lines record. Larger
ones are refused with one line; split them (or stream with ``segment``/``detect``)."""
_CHUNK = 1 << 16


def source_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def iter_files(inputs: Iterable[str], pattern: str) -> Iterator[str]:
    """The inputs, with each folder replaced by its files matching ``pattern``
    (recursively, sorted); ``-`` (standard input) when there are none."""
    names = list(inputs) or [STDIN]
    for name in names:
        path = Path(name)
        if name != STDIN and path.is_dir():
            yield from (str(p) for p in sorted(path.rglob(pattern)) if p.is_file())
        else:
            yield name


def read_bytes(path: str, limit: int = MAX_ITEM_BYTES) -> bytes:
    """The bytes of a file, or of standard input for ``-``, at most ``limit``."""
    with open_binary(path) as stream:
        size = _size(stream)
        data = stream.read(limit + 1)
        if len(data) <= limit:
            _check_complete(stream, source_name(path), size)
    if len(data) > limit:
        raise InputError(
            f"larger than {limit // 1024**2} MiB: split it into smaller items",
            source=source_name(path),
        )
    return data


def read_file(path: str | os.PathLike[str], limit: int = MAX_ITEM_BYTES) -> bytes:
    """The bytes of a regular file read whole before any work (a config, glossary, key or
    overrides file, a TMX, a report), at most ``limit``. A FIFO or a device is refused,
    never waited on or read forever: an InputError naming the path."""
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO without a writer: no wait
    except OSError as e:
        raise InputError(e.strerror or str(e), source=name) from e
    except ValueError as e:  # a NUL in the path
        raise InputError("not a valid path", source=name.replace("\0", "\\0")) from e
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise InputError("is a folder" if stat.S_ISDIR(mode) else "not a regular file", source=name)
    with os.fdopen(fd, "rb") as stream:
        try:
            data = stream.read(limit + 1)
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror or e}", source=name) from e
    if len(data) > limit:
        raise InputError(f"larger than {limit // 1024**2} MiB", source=name)
    return data


@contextlib.contextmanager
def open_binary(path: str) -> Iterator[IO[bytes]]:
    """A binary stream for a path or ``-``, with errors that name the path. Folders are
    refused; pipes and devices are allowed (reads of them are bounded by the caller)."""
    if path == STDIN:
        yield sys.stdin.buffer
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
        mode = os.fstat(stream.fileno()).st_mode
    except IsADirectoryError as e:
        raise InputError(
            "is a folder (give files, or a folder to run/normalize)", source=path
        ) from e
    except OSError as e:
        raise InputError(e.strerror or str(e), source=path) from e
    with stream:
        if stat.S_ISDIR(mode):
            raise InputError("is a folder", source=path)
        try:
            yield stream
        except OSError as e:
            raise InputError(f"cannot read: {e.strerror or e}", source=path) from e


def _size(stream: IO[bytes]) -> int | None:
    """The size of a regular file, None for pipes, devices and other streams."""
    try:
        info = os.fstat(stream.fileno())
    except (OSError, ValueError, AttributeError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _check_complete(stream: IO[bytes], source: str, size: int | None) -> None:
    """A regular file that ended before the size it had when opened was truncated while
    it was read: refuse rather than give output for part of it."""
    if size is not None and (stream.tell() < size or (_size(stream) or 0) < size):
        raise InputError("the file changed while it was read (truncated)", source=source)


def iter_text_lines(path: str) -> Iterator[str]:
    """The decoded lines of a file (or ``-``), with their line ends, in bounded memory.

    The encoding is found from the first 64 KiB, cut at a line end or, without one, at a
    character boundary; the rest is decoded incrementally with it.
    """
    source = source_name(path)
    with open_binary(path) as stream:
        size = _size(stream)
        head = stream.read(_CHUNK)
        rest = stream.read(1)
        sample = head
        if rest and b"\n" in head:  # a whole line: the guess sees no cut character
            sample = head[: head.rindex(b"\n") + 1]
        try:
            _, encoding = decode(sample, partial=bool(rest))
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
            if len(partial) > MAX_ITEM_BYTES:
                raise InputError(
                    f"a line longer than {MAX_ITEM_BYTES // 1024**2} MiB", source=source
                )
            yield from lines
            data = stream.read(_CHUNK)
        _check_complete(stream, source, size)
        try:
            tail = partial + decoder.decode(b"", final=True)
        except UnicodeDecodeError as e:
            raise InputError(f"not valid {encoding} at the end: {e.reason}", source=source) from e
        if tail:
            yield tail


def no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (write null)")


def iter_jsonl(stream: IO[bytes], source: str) -> Iterator[tuple[int, dict[str, Any] | InputError]]:
    """``(line number, object)`` for each non-blank line; a bad line yields its error.

    Yielding the error instead of raising it lets the caller decide to stop or skip. A
    UTF-8 byte-order mark at the start is accepted; ``NaN``/``Infinity``, nesting deeper
    than Python can follow, and lines over :data:`MAX_ITEM_BYTES` are bad lines (one that
    does not end within 16 times as much is the last one read: its end may never come).
    """
    number = 0
    size = _size(stream)
    while True:
        raw = stream.readline(MAX_ITEM_BYTES + 1)
        if not raw:
            _check_complete(stream, source, size)
            return
        number += 1
        if len(raw) > MAX_ITEM_BYTES and not raw.endswith(b"\n"):
            limit = MAX_ITEM_BYTES // 1024**2
            problem = f"a line longer than {limit} MiB"
            # Skipped up to its end, so that the next lines are read (--on-error skip);
            # a line that does not end within 16 times as much (/dev/zero) ends the input.
            for _ in range(16 * MAX_ITEM_BYTES // _CHUNK):
                if (more := stream.readline(_CHUNK)).endswith(b"\n") or not more:
                    break
            else:
                problem += "; the rest of the input is not read"
                yield number, InputError(problem, source=source, line=number)
                return
            yield number, InputError(problem, source=source, line=number)
            continue
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw.decode("utf-8"), parse_constant=no_constant)
        except UnicodeDecodeError:
            yield number, InputError("not UTF-8", source=source, line=number)
            continue
        except json.JSONDecodeError as e:
            yield number, InputError(f"invalid JSON: {e.msg}", source=source, line=number)
            continue
        except RecursionError:
            yield number, InputError("invalid JSON: nested too deeply", source=source, line=number)
            continue
        except ValueError as e:  # NaN, or an integer too long to convert
            problem = "a number with too many digits" if "digits" in str(e) else str(e)
            yield number, InputError(f"invalid JSON: {problem}", source=source, line=number)
            continue
        if not isinstance(obj, dict):
            yield number, InputError("not a JSON object", source=source, line=number)
            continue
        yield number, obj
