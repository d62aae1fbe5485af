"""Deduplication: exact, near-duplicate and cross-lingual, reported and never silently lost.

Items (strings, or dicts with a text field) are split into *units* — paragraphs, or whole
documents — and each unit is compared with the units kept before it:

``exact``
    the same canonical form: normalized, width- and case-folded, without whitespace and
    punctuation but with decimal points (``GEM signed.`` = ``gem  signed``; ``3443.8万吨`` ≠
    ``34438万吨``).
``near``
    the same text once boilerplate is removed (a dateline ``6月11日消息，``, a site suffix
    ``… - 【中国汽车报】`` or ``… | Reuters``, a prefix ``【快讯】``: ``boilerplate`` in the
    report lists them); or MinHash over shingles (Han character bigrams, English words and
    word bigrams, of the text without its figures and relative dates, plus the quantities),
    LSH banding chosen from the threshold, every candidate verified by its estimated
    Jaccard similarity and the figures rule (:mod:`bilingual.dedupe.figures`): quantities
    and labels equal, units included, while dates may be added (a republished copy adds a
    dateline and writes ``今年`` as ``2025年``).

    Paraphrases (``paraphrase=True`` in the report): two units with the same two or more
    figures whose content words reach a lower Jaccard similarity, 0.45 by default, whose
    names do not conflict (``CPCA`` / ``CAAM``) and whose words do not contradict
    (``rose`` / ``fell``, ``进口`` / ``出口``: :mod:`bilingual.dedupe.polarity`).
``cross-lingual``
    a Chinese and an English unit whose figures agree (quantities after unit conversion:
    ``47.6万`` = 476,000) and whose words agree: the English against the Chinese unit's
    translation by the statistics engine where it translates, and against CC-CEDICT glosses
    of its words otherwise. When the English carries a strict subset of the figures (a
    headline and its paragraph) the match is a ``summary``: reported, kept.
``figures-differ``
    the same text around its figures with one or two figures different (``8.2万吨`` /
    ``8.2吨``, ``3.5%`` / ``3.6%``, ``GWh`` / ``MWh``): reported with the figures, kept.

With ``semantic=True`` (the ``[semantic]`` extra) a multilingual sentence embedding finds
paraphrases and translations, with and without figures (:mod:`bilingual.dedupe.semantic`);
the figures rule and the polarity guard still decide.

The index grows with the units kept, not with the input, and past ``memory_budget`` bytes
it moves to a temporary SQLite file (:mod:`bilingual.dedupe.store`). Limits: English
paraphrases without figures need ``semantic``; a contradiction the polarity guard has no
word for (``Washington`` / ``Brussels`` in lower case, a changed subject in Chinese) can
still be taken for a paraphrase.
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
    semantic: bool = DEFAULTS.semantic,
    translator: Translator | None = None,
    keep: str = "first",
    field_name: str = DEFAULTS.field_name,
    id_field: str | None = None,
    memory_budget: int | None = None,
) -> DedupeResult:
    """Find duplicates among the units of ``items``; see the module docs. ``threshold`` is
    the near-duplicate Jaccard similarity; ``paraphrase`` the content-word similarity for
    units with the same figures (``None``: no paraphrase check); ``semantic`` sentence
    embeddings (the ``[semantic]`` extra); ``translator`` Chinese →
    English for cross-lingual matching (:func:`bilingual.dedupe` passes the statistics
    engine's; without one, dictionary glosses only).

    ``memory_budget``: bytes the index may hold in memory (None: no limit).

    ``keep="first"`` keeps the first of each cluster (the only policy so far). Units with
    no letters or digits (blank paragraphs) are never duplicates. Summaries and
    figures-differ pairs are in ``duplicates`` but not removed.

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
        semantic=semantic,
        memory_budget=memory_budget,
    )
    units = list(iter_units(items, level=level, field_name=field_name, id_field=id_field))
    duplicates, removed = [], set()
    batch = 256  # units featurized together (one embedding batch with semantic)
    for start in range(0, len(units), batch):
        chunk = [u for u in units[start : start + batch] if canonical(u.text)]
        for unit, features in zip(
            chunk, deduper.features.many([u.text for u in chunk]), strict=True
        ):
            found = deduper.add(unit.index, unit.text, features)
            if found is not None:
                duplicates.append(found)
                if not found.kept:
                    removed.add(unit.index)
    return DedupeResult(units, duplicates, removed)
