"""Reading the CLI's inputs on the workers: JSON Lines in blocks of lines, other files whole.

The workers open the paths themselves (a cluster's workers need the same paths: a shared
filesystem, as for Dask's own readers). Numbers follow the single-process run: records
are numbered among the good ones, errors name their file and line.
"""

from __future__ import annotations

import io as _io
import os
from typing import Any

from .. import io
from ..errors import BilingualError, InputError

__all__ = ["Block", "blocks", "parse_block", "read_block", "read_files"]

Block = tuple[str, int, int]
"""A path and a byte range: the lines that start in it."""


def blocks(paths: list[str], workers: int) -> list[Block]:
    """Byte ranges of about equal size: sixteen a worker, from 256 KB to 64 MB."""
    sizes = {path: os.path.getsize(path) for path in paths}
    size = sum(sizes.values()) // max(1, 16 * workers)
    size = max(1 << 18, min(64 << 20, size))
    out = []
    for path in paths:
        total = sizes[path]
        out += [(path, start, min(total, start + size)) for start in range(0, total, size)]
        if not total:
            out.append((path, 0, 0))
    return out


def read_block(block: Block) -> tuple[bytes, int]:
    """The lines starting in the block (a line that began before it belongs to the block
    before), and how many there are."""
    path, start, end = block
    with io.open_binary(path) as stream:
        if start:
            stream.seek(start - 1)
            if stream.read(1) != b"\n":
                stream.readline()  # the rest of a line that started before
        position = stream.tell()
        data = stream.read(max(0, end - position)) if position < end else b""
        if data and not data.endswith(b"\n"):
            data += stream.readline()
    return data, data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def parse_block(
    read: tuple[bytes, int], source: str, first_line: int, field_name: str
) -> list[tuple[Any, Any]]:
    """``(context, record)`` per line: the context is ``(source, record)`` for a good record
    (with its text field a string) and the item an :class:`InputError` for a bad one."""
    data, _ = read
    out: list[tuple[Any, Any]] = []
    for number, obj in io.iter_jsonl(_io.BytesIO(data), source):
        line = number + first_line - 1
        if isinstance(obj, InputError):
            out.append((None, InputError(obj.reason, source=source, line=line)))
            continue
        value = obj.get(field_name)
        if not isinstance(value, str):
            problem = "no field" if value is None else "not a string: field"
            out.append((None, InputError(f"{problem} {field_name!r}", source=source, line=line)))
            continue
        out.append(((f"{source}:{line}", obj), obj))
    return out


def read_files(paths: list[str]) -> list[tuple[Any, Any]]:
    """Whole files as items (their bytes); an unreadable one as its error."""
    out: list[tuple[Any, Any]] = []
    for path in paths:
        try:
            out.append(((io.source_name(path), None), io.read_bytes(path)))
        except BilingualError as e:
            out.append((None, e))
    return out


def good(entries: list[tuple[Any, Any]]) -> int:
    """How many entries are items (not errors)."""
    return sum(1 for _, item in entries if not isinstance(item, BilingualError))
