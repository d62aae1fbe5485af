"""Industry glossaries: the format, loading and combining, matching, lint, and mining.

See ``docs/glossary-format.md`` for the file format.
"""

from __future__ import annotations

from .formats import FORMATS, read_glossary, write_glossary
from .lint import Finding, fix, lint
from .model import Entry, Glossary, Match, bundled_names, resolve

__all__ = [
    "FORMATS",
    "Entry",
    "Finding",
    "Glossary",
    "Match",
    "bundled_names",
    "fix",
    "lint",
    "read_glossary",
    "resolve",
    "write_glossary",
]
