"""Industry glossaries: the format, loading and combining, matching, lint, and mining.

See ``docs/glossary-format.md`` for the file format. The modules depend on each other one
way only: ``entry`` ← ``formats``, ``lint`` ← ``model`` ← ``mine``; ``bundled`` knows the
shipped files.
"""

from __future__ import annotations

from .bundled import BUNDLED, bundled_names, resolve
from .entry import Entry
from .formats import FORMATS, read_glossary, write_glossary
from .lint import Finding, fix, lint
from .model import Glossary, Match

__all__ = [
    "BUNDLED",
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
