"""Deduplication: exact, near-duplicate and cross-lingual, reported and never silently lost.

Items (strings, or dicts with a text field) are split into *units* — paragraphs, or whole
documents — and each unit is compared with the units kept before it:

``exact``
    the same canonical form: normalized, width- and case-folded, without whitespace and
    punctuation (``GEM signed.`` = ``gem  signed``).
``near``
    MinHash over shingles (Han text by character bigrams, English by word unigrams and
    bigrams after canonicalising dates and ``U.S.`` → ``us``), LSH banding chosen from the
    threshold, every candidate verified by its estimated Jaccard similarity. Numbers are
    features *and* a constraint: two units whose numbers differ are never near duplicates,
    so statistics paragraphs that differ only in their figures stay apart.

    Paraphrases (``paraphrase=True`` in the report): two units with the same two or more
    figures (a date is three: day, month, year) whose content words (stems, Han bigrams)
    reach a lower Jaccard similarity, 0.45 by default, and whose names do not conflict
    (both naming something the other does not: ``CPCA`` / ``CAAM``). This catches two
    translations of one news paragraph (the seed page opens with such a pair, 0.53).
``cross-lingual``
    a Chinese and an English unit whose numeric fingerprints (quantities after unit
    conversion: ``47.6万`` = 476,000) agree and whose words agree: the English against the
    Chinese unit's translation by the statistics engine where it translates, and against
    CC-CEDICT glosses of its words otherwise. When the English carries a strict subset of
    the figures (a headline and its paragraph) the match is a ``summary``: reported, kept.

Memory grows with the units kept in the index, not with the input. Limits: paraphrases
without figures are only found when they reach the near threshold; Chinese has no names
to check, so two Chinese statistics with the same figures and one changed subject
(``整车进口`` / ``新能源汽车出口``) can be taken for paraphrases (see
``tests/cases/paraphrase.json``); cross-lingual matching of text without numbers relies on
dictionary glosses and is weak.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigError, InputError
from ..options import DEFAULTS
from ..text.segment import paragraph_spans
from .crosslingual import Translator
from .features import Features, canonical, numbers, shingles
from .index import Deduper, Duplicate
from .stream import ItemDeduper

__all__ = [
    "DedupeResult",
    "Deduper",
    "Duplicate",
    "Features",
    "ItemDeduper",
    "Translator",
    "Unit",
    "dedupe",
    "numbers",
    "shingles",
]


@dataclass(frozen=True)
class Unit:
    """A paragraph (or document) of an item: ``text`` is ``item_text[start:end]``."""

    index: int
    item: int
    start: int
    end: int
    text: str
    id: str


@dataclass
class DedupeResult:
    """Every unit, the duplicates found, and which units are kept."""

    units: list[Unit]
    duplicates: list[Duplicate]
    removed: set[int] = field(default_factory=set)

    @property
    def kept(self) -> list[Unit]:
        return [u for u in self.units if u.index not in self.removed]

    def duplicate_of(self, index: int) -> Duplicate | None:
        return next((d for d in self.duplicates if d.index == index), None)

    def reproduce(self) -> list[str]:
        """The text of every item, rebuilt from all units: nothing is lost."""
        texts: dict[int, list[str]] = defaultdict(list)
        for u in self.units:
            texts[u.item].append(u.text)
        return ["".join(texts[i]) for i in sorted(texts)]


def iter_units(
    items: Iterable[str | dict[str, Any]],
    *,
    level: str = DEFAULTS.dedupe_level,
    field_name: str = DEFAULTS.field_name,
    id_field: str | None = None,
) -> Iterator[Unit]:
    """The units of ``items``, numbered in order; ids are ``<item id>#<paragraph>``."""
    if level not in ("paragraph", "document"):
        raise ConfigError(f"level must be paragraph or document, not {level!r}")
    n = 0
    seen_ids: set[str] = set()
    for i, item in enumerate(items):
        if isinstance(item, dict):
            text = item.get(field_name)
            if not isinstance(text, str):
                raise InputError(f"item {i}: no string field {field_name!r}")
            item_id = str(item.get(id_field, i)) if id_field else str(i)
        else:
            text, item_id = item, str(i)
        if item_id in seen_ids:
            item_id = f"{item_id}~{i}"  # duplicate ids stay distinguishable
        seen_ids.add(item_id)
        spans = paragraph_spans(text) if level == "paragraph" else [(0, len(text))]
        for k, (start, end) in enumerate(spans or [(0, 0)]):
            yield Unit(
                n,
                i,
                start,
                end,
                text[start:end],
                f"{item_id}#{k}" if level == "paragraph" else item_id,
            )
            n += 1


def dedupe(
    items: Iterable[str | dict[str, Any]],
    *,
    level: str = DEFAULTS.dedupe_level,
    threshold: float = DEFAULTS.threshold,
    paraphrase: float | None = DEFAULTS.paraphrase,
    cross_lingual: bool = DEFAULTS.cross_lingual,
    translator: Translator | None = None,
    keep: str = "first",
    field_name: str = DEFAULTS.field_name,
    id_field: str | None = None,
) -> DedupeResult:
    """Find duplicates among the units of ``items``; see the module docs. ``threshold`` is
    the near-duplicate Jaccard similarity; ``paraphrase`` the content-word similarity for
    units with the same figures (``None``: no paraphrase check); ``translator`` Chinese →
    English for cross-lingual matching (:func:`bilingual.dedupe` passes the statistics
    engine's; without one, dictionary glosses only).

    ``keep="first"`` keeps the first of each cluster (the only policy so far). Units with
    no letters or digits (blank paragraphs) are never duplicates.

    >>> r = dedupe(["GEM signed.\\n", "gem  signed\\n", "Other news.\\n"])
    >>> [(d.index, d.of, d.kind) for d in r.duplicates], len(r.kept)
    ([(1, 0, 'exact')], 2)
    """
    if keep != "first":
        raise ConfigError(f"keep must be 'first', not {keep!r}")
    deduper = Deduper(
        threshold=threshold,
        paraphrase=paraphrase,
        cross_lingual=cross_lingual,
        translator=translator,
    )
    units = list(iter_units(items, level=level, field_name=field_name, id_field=id_field))
    duplicates, removed = [], set()
    for unit in units:
        if not canonical(unit.text):
            continue
        found = deduper.add(unit.index, unit.text)
        if found is not None:
            duplicates.append(found)
            if not found.summary:
                removed.add(unit.index)
    return DedupeResult(units, duplicates, removed)
