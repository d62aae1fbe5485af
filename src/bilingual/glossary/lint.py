"""Checks that keep a glossary clean, each finding naming the file and line.

Errors make ``bilingual glossary lint`` exit 1; warnings are for a reviewer. ``fix``
applies the safe repairs (whitespace, full-width letters, exact and script duplicates).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..text.script import convert
from .entry import Entry, fold_width

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem of one entry."""

    entry: Entry
    severity: Severity
    code: str
    message: str
    fixable: bool = False

    def __str__(self) -> str:
        return f"{self.entry.where}: {self.severity}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return {
            "where": self.entry.source,
            "line": self.entry.line,
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "fixable": self.fixable,
        }


_FIELDS = ("zh", "en", "domain", "note")


def _stray_space(value: str) -> bool:
    return value != value.strip() or "  " in value


def lint(entries: Sequence[Entry]) -> list[Finding]:
    """All findings for ``entries`` (one glossary or several combined), in file order."""
    findings: list[Finding] = []
    for e in entries:
        for name in ("zh", "en"):
            if not getattr(e, name).strip():
                findings.append(Finding(e, "error", "empty-field", f"the {name} column is empty"))
        for name in _FIELDS:
            if _stray_space(getattr(e, name)):
                findings.append(
                    Finding(e, "error", "whitespace", f"stray whitespace in {name}", True)
                )
        if fold_width(e.en) != e.en:
            findings.append(
                Finding(e, "error", "full-width", f"full-width characters in en: {e.en!r}", True)
            )
    findings += _duplicates(entries)
    findings += _conflicts(entries)
    findings += _script_twins(entries)
    findings += _shadowed(entries)
    order = {id(e): i for i, e in enumerate(entries)}
    findings.sort(key=lambda f: order[id(f.entry)])
    return findings


def _duplicates(entries: Sequence[Entry]) -> list[Finding]:
    first: dict[tuple[str, str, str], Entry] = {}
    findings = []
    for e in entries:
        key = (e.zh.strip(), e.en.strip(), e.status)
        if key in first:
            findings.append(Finding(e, "error", "duplicate", f"same as {first[key].where}", True))
        else:
            first[key] = e
    return findings


def _conflicts(entries: Sequence[Entry]) -> list[Finding]:
    by_zh: dict[str, list[Entry]] = defaultdict(list)
    by_en: dict[str, set[str]] = defaultdict(set)
    en_first: dict[str, Entry] = {}
    for e in entries:
        if e.status == "approved":
            by_zh[e.zh.strip()].append(e)
            key = e.en.strip().casefold()
            by_en[key].add(e.zh.strip())
            en_first.setdefault(key, e)
    findings = []
    for zh, group in by_zh.items():
        renderings = {e.en.strip() for e in group}
        preferred = [e for e in group if e.preferred]
        if len(renderings) > 1 and len(preferred) != 1:
            others = ", ".join(repr(e.en) for e in group)
            findings.append(
                Finding(
                    group[-1],
                    "error",
                    "conflict",
                    f"{zh} has {len(renderings)} approved renderings ({others});"
                    " mark exactly one preferred",
                )
            )
    for en, zhs in by_en.items():
        if len(zhs) > 1:
            findings.append(
                Finding(
                    en_first[en],
                    "warning",
                    "same-english",
                    f"{en_first[en].en!r} renders {len(zhs)} Chinese terms: "
                    f"{', '.join(sorted(zhs))}",
                )
            )
    return findings


def _script_twins(entries: Sequence[Entry]) -> list[Finding]:
    """Traditional and Simplified forms of one term stored twice (matching derives them)."""
    terms = [e.zh.strip() for e in entries]
    simplified = convert("\n".join(terms), "t2s").split("\n")
    if len(simplified) != len(terms):
        return []
    first: dict[tuple[str, str], Entry] = {}
    findings = []
    for e, zh, simple in zip(entries, terms, simplified, strict=True):
        key = (simple, e.status)
        other = first.setdefault(key, e)
        if other is not e and other.zh.strip() != zh:
            same = other.en.strip() == e.en.strip()
            findings.append(
                Finding(
                    e,
                    "error" if same else "warning",
                    "script-twin",
                    f"{zh} is another script's form of {other.zh} ({other.where});"
                    " Traditional forms are matched without their own entry",
                    fixable=same,
                )
            )
    return findings


def _shadowed(entries: Sequence[Entry]) -> list[Finding]:
    """A term inside a longer term whose rendering does not contain its own: where the
    longer one matches, the shorter one's rendering is not used. Worth a reviewer's look."""
    approved = [e for e in entries if e.status == "approved" and e.zh.strip()]
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for e in approved:
        automaton.add_word(e.zh.strip(), e)
    if not approved:
        return []
    automaton.make_automaton()
    findings = []
    for longer in approved:
        for _, shorter in automaton.iter(longer.zh.strip()):
            if len(shorter.zh.strip()) < len(longer.zh.strip()) and (
                shorter.en.strip().casefold() not in longer.en.casefold()
            ):
                findings.append(
                    Finding(
                        shorter,
                        "warning",
                        "shadowed",
                        f"inside {longer.zh} ({longer.where}) it is rendered "
                        f"{longer.en!r}, not {shorter.en!r}",
                    )
                )
    return findings


def fix(entries: Sequence[Entry]) -> tuple[list[Entry], int]:
    """``entries`` with the safe fixes applied, and how many findings were fixed."""
    cleaned = [
        replace(
            e,
            zh=" ".join(e.zh.split()),
            en=" ".join(fold_width(e.en).split()),
            domain=" ".join(e.domain.split()),
            note=" ".join(e.note.split()),
        )
        for e in entries
    ]
    drop = {
        id(f.entry) for f in lint(cleaned) if f.fixable and f.code in ("duplicate", "script-twin")
    }
    kept = [e for e in cleaned if id(e) not in drop]
    fixed = sum(1 for f in lint(entries) if f.fixable)
    return kept, fixed
