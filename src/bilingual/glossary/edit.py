"""Changing a glossary file in place: rewritten in its own format (a TSV keeps its leading
comments), and an entry added only when the file still lints without a new error."""

from __future__ import annotations

from pathlib import Path

from ..output import atomic_output
from .entry import Entry
from .formats import read_glossary, tsv_text, write_glossary
from .lint import Finding, lint

__all__ = ["add_entry", "rewrite"]


def _comments(path: Path) -> tuple[list[str], dict[int, list[str]]]:
    """The comment lines of a TSV glossary: those at the top, and those inside it by the
    line of the entry they stand before (``-1``: after the last entry)."""
    if path.suffix.lower() != ".tsv" or not path.exists():
        return [], {}
    top: list[str] = []
    inside: dict[int, list[str]] = {}
    pending: list[str] = []
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.startswith("#"):
            (pending if header_seen else top).append(line[1:].strip())
        elif line.strip():
            if header_seen and pending:
                inside[number], pending = pending, []
            header_seen = True
    if pending:
        inside[-1] = pending
    return top, inside


def rewrite(path: Path, entries: list[Entry]) -> None:
    """Write a glossary back in its own format. A TSV keeps its comments: each one inside
    stays before the entry it stood before (or, that entry gone, moves to the end)."""
    if path.suffix.lower() != ".tsv":
        write_glossary(path, entries)
        return
    top, inside = _comments(path)
    lines = tsv_text(entries, top).split("\n")[: len(top) + 1]  # comments and header
    own = any(e.source == str(path) for e in entries)
    for e in entries:
        if own and e.source == str(path):
            lines += [f"# {c}" for c in inside.pop(e.line, [])]
        lines.append(tsv_text([e]).split("\n")[1])
    if own:
        lines += [f"# {c}" for block in inside.values() for c in block]
    with atomic_output(str(path)) as out:
        out.write("\n".join(lines) + "\n")


def add_entry(path: Path, entry: Entry) -> list[Finding]:
    """Add ``entry`` to the glossary at ``path`` (made if missing) unless lint finds an
    error in it with the file's entries: those errors are returned, and nothing is written."""
    entries = read_glossary(path) if path.exists() else []
    problems = [f for f in lint([*entries, entry]) if f.severity == "error" and f.entry is entry]
    if not problems:
        rewrite(path, [*entries, entry])
    return problems
