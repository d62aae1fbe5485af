"""Glossary entries, their combination, and term matching in both directions."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Literal

from ..errors import ConfigError, GlossaryError
from .bundled import expand, resolve
from .entry import Entry, english_forms
from .formats import read_glossary
from .lint import lint

if TYPE_CHECKING:
    import ahocorasick


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() and not ("\u3400" <= ch <= "\u9fff")


def _lower_same_length(text: str) -> str:
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


@dataclass(frozen=True)
class Match:
    """A glossary term found in a text: ``text[start:end]`` is a form of ``entry``'s term."""

    start: int
    end: int
    text: str
    entry: Entry
    lang: Literal["zh", "en"]


@dataclass
class Glossary:
    """A list of entries with matchers built on first use.

    >>> g = Glossary([Entry("新能源汽车", "new energy vehicle"), Entry("NEV", "NEV")])
    >>> [m.entry.en for m in g.match("新能源汽車销量")]
    ['new energy vehicle']
    >>> [(m.text, m.entry.zh) for m in g.match("NEVs and new energy vehicles", lang="en")]
    [('NEVs', 'NEV'), ('new energy vehicles', '新能源汽车')]
    """

    entries: list[Entry] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    """Entries of a later glossary that replaced an earlier one's rendering."""

    @classmethod
    def load(cls, *sources: str | os.PathLike[str], checked: bool = False) -> Glossary:
        """Load glossary files (TSV, CSV or TBX) or bundled names (``"automotive"``).

        Later sources win: an approved rendering of a Chinese term replaces an earlier
        glossary's, and each replacement is listed in ``conflicts``. ``checked``: refuse a
        source with lint errors (what translation wants: an ambiguous term has no single
        rendering to enforce); maintainers load them unchecked to fix them.
        """
        glossary = cls()
        for source in expand(sources):
            entries = read_glossary(resolve(source))
            if checked:
                for finding in lint(entries):
                    if finding.severity == "error":
                        raise GlossaryError(
                            f"{finding.entry.where}: {finding.message}"
                            " (bilingual glossary lint lists every problem)"
                        )
            glossary = glossary.combined(entries)
        return glossary

    def combined(self, later: Sequence[Entry]) -> Glossary:
        """This glossary with ``later`` entries added; they win over ours."""
        later_approved: dict[str, Entry] = {}
        for e in later:
            if e.status == "approved" and (e.preferred or e.zh not in later_approved):
                later_approved[e.zh] = e
        kept: list[Entry] = []
        conflicts = list(self.conflicts)
        for e in self.entries:
            new = later_approved.get(e.zh)
            if new is not None and e.status == "approved" and new.en != e.en:
                conflicts.append(f"{new.where}: {e.zh} → {new.en!r} replaces {e.en!r} ({e.where})")
                continue
            kept.append(e)
        seen = {(e.zh, e.en, e.status) for e in kept}
        kept += [e for e in later if (e.zh, e.en, e.status) not in seen]
        return Glossary(kept, conflicts)

    def __len__(self) -> int:
        return len(self.entries)

    @cached_property
    def fingerprint(self) -> str:
        """Changes whenever an entry changes: part of the translation memory's key."""
        digest = hashlib.sha1()
        for e in self.entries:
            digest.update("\t".join((e.zh, e.en, e.status, e.case, str(e.preferred))).encode())
            digest.update(b"\n")
        return digest.hexdigest()[:16]

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def preferred(self, zh: str) -> Entry | None:
        """The approved entry to use for ``zh``: the preferred one, else the only one."""
        return self._approved.get(zh)

    @cached_property
    def renderings(self) -> dict[str, frozenset[str]]:
        """Chinese term → every accepted English rendering, case-folded (not forbidden)."""
        found: dict[str, set[str]] = {}
        for e in self.entries:
            if e.status != "forbidden":
                found.setdefault(e.zh, set()).add(e.en.casefold())
        return {zh: frozenset(ens) for zh, ens in found.items()}

    @cached_property
    def forbidden(self) -> dict[str, list[str]]:
        """Chinese term → its forbidden English renderings, case-folded."""
        found: dict[str, list[str]] = {}
        for e in self.entries:
            if e.status == "forbidden":
                found.setdefault(e.zh, []).append(e.en.casefold())
        return found

    @cached_property
    def _approved(self) -> dict[str, Entry]:
        best: dict[str, Entry] = {}
        for e in self.entries:
            if e.status != "forbidden" and (e.preferred or e.zh not in best):
                best[e.zh] = e
        return best

    def match(self, text: str, lang: Literal["zh", "en"] = "zh") -> list[Match]:
        """Terms of ``lang`` found in ``text``: leftmost-longest, not overlapping.

        Chinese terms also match their Traditional (Taiwan, Hong Kong) forms; English
        terms match at word boundaries, in their case when ``case`` is ``sensitive``, and
        with a simple plural or possessive.
        """
        if lang == "zh":
            automaton, haystack = self._zh_automaton, text
        elif lang == "en":
            automaton, haystack = self._en_automaton, _lower_same_length(text)
        else:
            raise ConfigError(f"lang must be zh or en, not {lang!r}")
        if len(automaton) == 0:
            return []
        # Every candidate, then leftmost-longest here: a candidate that fails a word
        # boundary must not hide a shorter one (and `iter` is faster than `iter_long`).
        found: list[tuple[int, int, Entry]] = []
        for end_index, (form, entries, edges) in automaton.iter(haystack):
            end = end_index + 1
            start = end - len(form)
            if edges and (
                (start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]))
                or (end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]))
            ):
                continue  # inside a word
            surface = text[start:end]
            for entry, exact in entries:
                if exact is None or surface in exact:
                    found.append((start, end, entry))
                    break
        found.sort(key=lambda f: (f[0], f[0] - f[1]))
        matches: list[Match] = []
        pos = 0
        for start, end, entry in found:
            if start >= pos:
                matches.append(Match(start, end, text[start:end], entry, lang))
                pos = end
        return matches

    @cached_property
    def _zh_automaton(self) -> ahocorasick.Automaton:
        usable = [e for e in self.entries if e.status != "forbidden" and e.zh]
        keys: dict[str, list[tuple[Entry, frozenset[str] | None]]] = {}
        for entry, forms in zip(usable, chinese_forms([e.zh for e in usable]), strict=True):
            for form in forms:
                keys.setdefault(form, []).append((entry, None))
        return _automaton(keys)

    @cached_property
    def _en_automaton(self) -> ahocorasick.Automaton:
        keys: dict[str, list[tuple[Entry, frozenset[str] | None]]] = {}
        for entry in self.entries:
            if entry.status == "forbidden" or not entry.en:
                continue
            forms = english_forms(entry.en)
            exact = frozenset(forms) if entry.case == "sensitive" else None
            for form in forms:
                keys.setdefault(_lower_same_length(form), []).append((entry, exact))
        return _automaton(keys)


def chinese_forms(terms: list[str]) -> list[set[str]]:
    """Each term with its Traditional, Taiwan, Hong Kong and Simplified forms (OpenCC),
    converted in one call per config rather than stored in the glossary."""
    from ..text.script import convert

    joined = "\n".join(terms)
    variants = [convert(joined, config).split("\n") for config in ("s2t", "s2tw", "s2hk", "t2s")]
    return [
        {term} | {v[i] for v in variants if len(v) == len(terms)} for i, term in enumerate(terms)
    ]


def _automaton(keys: dict[str, list[tuple[Entry, frozenset[str] | None]]]) -> ahocorasick.Automaton:
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for form, entries in keys.items():
        # Whether the form starts or ends with a letter or digit that needs a word boundary.
        edges = _is_word_char(form[0]) or _is_word_char(form[-1])
        automaton.add_word(form, (form, entries, edges))
    if keys:
        automaton.make_automaton()
    return automaton
