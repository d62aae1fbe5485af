"""Changing a glossary file in place: rewritten in its own format (a TSV keeps its leading
comments), and an entry added only when the file still lints without a new error."""

from __future__ import annotations

from pathlib import Path

from ..output import atomic_output
from .entry import Entry
from .formats import read_glossary, tsv_text, write_glossary
from .lint import Finding, lint

__all__ = ["add_entry", "rewrite"]


def _comments(path: Path) -> list[str]:
    """The comment lines at the top of a TSV glossary, kept when it is rewritten."""
    if path.suffix.lower() != ".tsv" or not path.exists():
        return []
    comments = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        comments.append(line[1:].strip())
    return comments


def rewrite(path: Path, entries: list[Entry]) -> None:
    """Write a glossary back in its own format, keeping a TSV's leading comments."""
    if path.suffix.lower() == ".tsv":
        with atomic_output(str(path)) as out:
            out.write(tsv_text(entries, _comments(path)))
    else:
        write_glossary(path, entries)


def add_entry(path: Path, entry: Entry) -> list[Finding]:
    """Add ``entry`` to the glossary at ``path`` (made if missing) unless lint finds an
    error in it with the file's entries: those errors are returned, and nothing is written."""
    entries = read_glossary(path) if path.exists() else []
    problems = [f for f in lint([*entries, entry]) if f.severity == "error" and f.entry is entry]
    if not problems:
        rewrite(path, [*entries, entry])
    return problems
