"""A glossary entry and the word forms both sides match in."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

__all__ = ["CASES", "COLUMNS", "STATUSES", "Case", "Entry", "Status", "english_forms"]

Status = Literal["approved", "forbidden", "do-not-translate"]
Case = Literal["sensitive", "insensitive"]
STATUSES: tuple[Status, ...] = ("approved", "forbidden", "do-not-translate")
CASES: tuple[Case, ...] = ("sensitive", "insensitive")
COLUMNS = ("zh", "en", "status", "case", "preferred", "domain", "note")
"""The TSV columns, in the order we write them; see docs/glossary-format.md."""


@dataclass(frozen=True)
class Entry:
    """One glossary row: a Chinese term and its English rendering."""

    zh: str
    en: str
    status: Status = "approved"
    """``approved``: use ``en`` for ``zh``. ``forbidden``: never render ``zh`` as ``en``.
    ``do-not-translate``: keep the source form as it is (brand names)."""
    case: Case = "insensitive"
    """Whether the English side matches only in the case written."""
    preferred: bool = False
    """Among several approved renderings of one ``zh``, the one to use."""
    domain: str = ""
    note: str = ""
    source: str = ""
    """The file the entry came from (not written back)."""
    line: int = 0
    """Its line in that file, 1-based (not written back)."""

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.source else "<glossary>"


def english_forms(term: str) -> set[str]:
    """The term with a simple plural and possessive of its last word (``NEV`` → ``NEVs``,
    ``CAAM's``; ``battery`` → ``batteries``)."""
    forms = {term}
    if not term or not term[-1].isalpha():
        return forms
    if term[-1] in "sxz" or term.endswith(("ch", "sh")):
        plural = term + "es"
    elif term[-1] == "y" and len(term) > 1 and term[-2] not in "aeiou":
        plural = term[:-1] + "ies"
    else:
        plural = term + "s"
    if term[-1] == "s":
        plural = term  # already plural, or a name like "Ascend Elements"
    forms |= {plural, term + "'s", term + "’s", plural + "'", plural + "’"}
    return forms


def fold_width(text: str) -> str:
    """Full-width ASCII forms to ASCII, leaving everything else."""
    return "".join(
        unicodedata.normalize("NFKC", c) if "\uff01" <= c <= "\uff5e" or c == "\u3000" else c
        for c in text
    )
