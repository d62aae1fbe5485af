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

import itertools
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

import numpy as np

from .chars import HAN
from .errors import ConfigError, InputError
from .segment import paragraph_spans
from .translate.numbers import MONTHS

__all__ = ["DedupeResult", "Deduper", "Duplicate", "ItemDeduper", "Unit", "dedupe"]

Kind = Literal["exact", "near", "cross-lingual"]

_MAX_POSTING = 1000  # bridge words in more units than this are ignored as candidates
_HAN_RUN = re.compile(f"[{HAN}]+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’.-]*[a-z0-9]|[a-z0-9]")
_PUNCT_SPACE = re.compile(r"[\W_]+", re.UNICODE)
_MONTHS = tuple(m.lower() for m in MONTHS)
_DATE_DMY = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
_DATE_MDY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),?\s+(\d{4})\b")
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_PERIOD = re.compile(r"\b(?:(first|second|third|fourth) (q)uarter|(first|second) (h)alf)\b")
_STOP = frozenset(
    "a an the of in on at to for from by with and or as is are was were be been it its this "
    "that these those which who will would has have had".split()
)


@dataclass(frozen=True)
class Unit:
    """A paragraph (or document) of an item: ``text`` is ``item_text[start:end]``."""

    index: int
    item: int
    start: int
    end: int
    text: str
    id: str


@dataclass(frozen=True)
class Duplicate:
    """Unit ``index`` duplicates unit ``of``."""

    index: int
    of: int
    kind: Kind
    score: float
    summary: bool = False
    """Cross-lingual only: the English unit carries a subset of the figures (a headline
    against its paragraph). Summaries are reported but kept."""
    paraphrase: bool = False
    """Near only: found by the paraphrase check (same figures, fewer shared words)."""

    def to_dict(self, units: list[Unit]) -> dict[str, Any]:
        return {
            "unit": units[self.index].id,
            "duplicate_of": units[self.of].id,
            "kind": self.kind,
            "score": round(self.score, 3),
            "summary": self.summary,
            "paraphrase": self.paraphrase,
        }


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


# --- features ----------------------------------------------------------------------------


def _fold(text: str) -> str:
    """NFKC, case-folded, ``U.S.`` → ``us``, dates as ``2025-september-17``, ``second
    quarter`` → ``q2`` and ``first half`` → ``h1``."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("u.s.", "us").replace("u.k.", "uk")
    if "quarter" in folded or "half" in folded:
        folded = _PERIOD.sub(lambda m: (m[2] or m[4]) + _ORDINALS[m[1] or m[3]], folded)
    if any(month in folded for month in _MONTHS):
        folded = _DATE_DMY.sub(lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}", folded)
        folded = _DATE_MDY.sub(lambda m: f"{m.group(3)}-{m.group(1)}-{m.group(2)}", folded)
    return folded


def canonical(text: str, folded: str | None = None) -> str:
    """The exact-duplicate key: folded (see ``_fold``), without spaces or punctuation."""
    return _PUNCT_SPACE.sub("", _fold(text) if folded is None else folded)


def _english_words(text: str, folded: str | None = None) -> list[str]:
    folded = _fold(text) if folded is None else folded
    return [w.replace(",", "") for w in _WORD.findall(folded) if w not in _STOP]


def shingles(
    text: str, figures: frozenset[Figure] | None = None, folded: str | None = None
) -> set[str]:
    """Han character bigrams, English words and word bigrams, numbers as their values
    (``figures`` and ``folded``: :func:`numbers` and ``_fold`` of the text, if known)."""
    features: set[str] = set()
    for run in _HAN_RUN.findall(text):
        features.update(run[i : i + 2] for i in range(max(1, len(run) - 1)))
    folded = _fold(text) if folded is None else folded
    words = _english_words(text, _HAN_RUN.sub(" ", folded))
    features.update(words)
    features.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    figures = numbers(text) if figures is None else figures
    features.update(f"#{kind}:{value}" for kind, value in figures)
    return features


Figure = tuple[str, Decimal]


def numbers(text: str) -> frozenset[Figure]:
    """The numeric fingerprint: every quantity after unit conversion, and every month, as
    ``("number", 476000)`` or ``("month", 12)``: comparable across the two languages."""
    from .translate.numbers import quantities

    return frozenset(quantities(text, "zh" if _HAN_RUN.search(text) else "en"))


_LABELS = re.compile(r"\b[A-Za-z]+\d[A-Za-z\d]*\b|第[一二三四五六七八九十百]+")


def labels(text: str) -> frozenset[str]:
    """Figures that name rather than count (``Q1``, ``H2``, ``NCM811``, ``第一``): two units of
    one language that differ in them are different statistics too."""
    return frozenset(m.group().lower() for m in _LABELS.finditer(text))


# --- MinHash and LSH ---------------------------------------------------------------------


def lsh_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus false negatives around ``threshold``,
    by numeric integration of the LSH S-curve (the approach datasketch documents)."""
    xs = np.linspace(0, 1, 201)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if rows == 0:
            break
        probability = 1 - (1 - xs**rows) ** bands
        false_positive = np.trapezoid(probability[xs < threshold], xs[xs < threshold])
        false_negative = np.trapezoid(1 - probability[xs >= threshold], xs[xs >= threshold])
        if false_positive + false_negative < best_error:
            best, best_error = (bands, rows), false_positive + false_negative
    return best


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, num_perm, dtype=np.uint64) | np.uint64(1)  # odd multipliers
    b = rng.integers(0, 1 << 63, num_perm, dtype=np.uint64)
    return a, b


def minhash(features: Iterable[str], num_perm: int = 128) -> np.ndarray:
    """The MinHash signature (``num_perm`` uint64) of a feature set.

    Features are hashed with crc32, then permuted by multiply-shift hashing
    ``(a·x + b) mod 2^64 >> 32`` with random odd ``a`` (a universal family: one multiply
    per value, where the classic ``(a·x + b) mod (2^61 - 1)`` needs several).
    """
    hashes = np.fromiter((zlib.crc32(f.encode()) for f in features), dtype=np.uint64)
    if not len(hashes):
        return np.full(num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
    a, b = _permutations(num_perm)
    with np.errstate(over="ignore"):
        values = (hashes[:, None] * a + b) >> np.uint64(32)
    return values.min(axis=0)


# --- the streaming deduper ---------------------------------------------------------------


class Deduper:
    """Compares each unit with the units kept so far; memory grows with what is kept."""

    def __init__(
        self,
        *,
        threshold: float = 0.8,
        cross_lingual: bool = True,
        num_perm: int = 128,
        min_features: int = 3,
        paraphrase: float | None = 0.45,
    ) -> None:
        for name, value in (("threshold", threshold), ("paraphrase", paraphrase or 1)):
            if not 0 < value <= 1:
                raise ConfigError(f"{name} must be in (0, 1], not {value}")
        self.threshold = threshold
        self.paraphrase = paraphrase
        self.cross_lingual = cross_lingual
        self.num_perm = num_perm
        self.bands, self.rows = lsh_bands(threshold, num_perm)
        self.min_features = min_features
        self._exact: dict[str, int] = {}
        self._buckets: list[dict[int, list[int]]] = [defaultdict(list) for _ in range(self.bands)]
        self._signatures: dict[int, np.ndarray] = {}
        self._numbers: dict[int, frozenset[Figure]] = {}
        self._fingerprints: dict[int, tuple[frozenset[Figure], frozenset[str]]] = {}
        # Paraphrase candidates: units with the same two or more figures, and their words.
        self._by_fingerprint: dict[tuple[frozenset[Figure], frozenset[str]], list[int]] = (
            defaultdict(list)
        )
        self._words: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._texts: dict[int, str] = {}  # units a cross-lingual match may point to
        self._english_by_number: dict[Figure, list[int]] = defaultdict(list)
        self._chinese_by_number: dict[Figure, list[int]] = defaultdict(list)
        # Cross-lingual units without figures: inverted indexes over the bridge vocabulary.
        self._bridge_zh: dict[str, list[int]] = defaultdict(list)
        self._bridge_en: dict[str, list[int]] = defaultdict(list)

    def add(self, index: int, text: str) -> Duplicate | None:
        """Check unit ``index``; index it if it is not a duplicate (summaries are indexed)."""
        folded = _fold(text)
        key = canonical(text, folded)
        if key in self._exact:
            return Duplicate(index, self._exact[key], "exact", 1.0)
        figures = numbers(text)
        features = shingles(text, figures, folded)
        fingerprint = (figures, labels(folded))
        bands: list[int] = []
        if len(features) >= self.min_features:
            signature = minhash(features, self.num_perm)
            # Each band's rows hashed to one int: smaller keys than the bytes themselves.
            rows = signature[: self.bands * self.rows].reshape(self.bands, self.rows)
            bands = [hash(row.tobytes()) for row in rows]
            near = self._near(signature, bands, fingerprint)
            if near is not None:
                return Duplicate(index, near[0], "near", near[1])
        words: tuple[frozenset[str], frozenset[str]] | None = None
        if self.paraphrase is not None and len(figures) >= 2:
            words = (_content_words(text, folded), _names(text))
            same = self._paraphrase(words, fingerprint)
            if same is not None:
                return Duplicate(index, same[0], "near", same[1], paraphrase=True)
        chinese = self.cross_lingual and _han_share(text) > 0.3
        bridge: frozenset[str] = frozenset()
        found = None
        if self.cross_lingual and figures:
            found = self._cross(index, text, figures, chinese)
        elif self.cross_lingual:
            bridge = _bridge(text, chinese)
            found = self._cross_words(index, text, bridge, chinese)
        if found is not None and not found.summary:
            return found
        # Not a duplicate (or a summary, kept): index it. Memory follows what is kept.
        self._exact[key] = index
        self._fingerprints[index] = fingerprint
        if bands:
            self._signatures[index] = signature
            for bucket, band_key in zip(self._buckets, bands, strict=True):
                bucket[band_key].append(index)
        if words:
            self._words[index] = words
            self._by_fingerprint[fingerprint].append(index)
        if self.cross_lingual and (figures or len(bridge) >= 2):
            self._texts[index] = text
            self._numbers[index] = figures
            postings = ((self._chinese_by_number if chinese else self._english_by_number), figures)
            if not figures:
                postings = (self._bridge_zh if chinese else self._bridge_en, bridge)
            for feature in postings[1]:
                postings[0][feature].append(index)
        return found

    def _near(
        self,
        signature: np.ndarray,
        bands: list[int],
        fingerprint: tuple[frozenset[Figure], frozenset[str]],
    ) -> tuple[int, float] | None:
        candidates: set[int] = set()
        for bucket, band_key in zip(self._buckets, bands, strict=True):
            candidates.update(bucket.get(band_key, ()))
        best: tuple[int, float] | None = None
        for other in sorted(candidates):
            if self._fingerprints[other] != fingerprint:
                continue  # figures differ: never the same paragraph
            score = float(np.mean(self._signatures[other] == signature))
            if score >= self.threshold and (best is None or score > best[1]):
                best = (other, score)
        return best

    def _paraphrase(
        self,
        words: tuple[frozenset[str], frozenset[str]],
        fingerprint: tuple[frozenset[Figure], frozenset[str]],
    ) -> tuple[int, float] | None:
        """The kept unit with exactly these figures (two or more: a date is three) whose
        content words overlap most, if their Jaccard similarity reaches ``paraphrase`` and
        their names do not conflict: ``drew significant attention`` / ``sent ripples
        through`` around the same facts, but not ``CPCA`` / ``CAAM`` with the same figures.
        """
        best: tuple[int, float] | None = None
        threshold = self.paraphrase or 1
        content, names = words
        for other in self._by_fingerprint.get(fingerprint, ())[-_MAX_POSTING:]:
            their_content, their_names = self._words[other]
            score = len(content & their_content) / len(content | their_content)
            if (
                score >= threshold
                and (best is None or score > best[1])
                and not _names_conflict(names, their_names)
            ):
                best = (other, score)
        return best

    def _cross(
        self, index: int, text: str, figures: frozenset[Figure], chinese: bool
    ) -> Duplicate | None:
        """Units with figures: candidates share two or more; the English figures must be
        those of the Chinese (a full match) or a subset (a summary); words must agree."""
        pool = self._english_by_number if chinese else self._chinese_by_number
        counts: dict[int, int] = defaultdict(int)
        for value in figures:
            for other in pool.get(value, ()):
                counts[other] += 1
        best: Duplicate | None = None
        for other, shared in counts.items():
            zh_figures, en_figures = (
                (figures, self._numbers[other]) if chinese else (self._numbers[other], figures)
            )
            if shared < 2 or not en_figures <= zh_figures:
                continue
            zh_text, en_text = (text, self._texts[other]) if chinese else (self._texts[other], text)
            score = _word_agreement(zh_text, en_text)
            if score >= 0.5 and (best is None or score > best.score):
                best = Duplicate(index, other, "cross-lingual", score, en_figures < zh_figures)
        return best

    def _cross_words(
        self, index: int, text: str, bridge: frozenset[str], chinese: bool
    ) -> Duplicate | None:
        """Units without figures: candidates share words of a bridge vocabulary (English
        stems, and the stems of CC-CEDICT glosses of the Chinese words), then verified by
        word agreement."""
        if len(bridge) < 2:
            return None
        postings = self._bridge_en if chinese else self._bridge_zh
        counts: dict[int, int] = defaultdict(int)
        for stem in bridge:
            posting = postings.get(stem, ())
            if len(posting) > _MAX_POSTING:
                continue  # a word too common to point anywhere
            for other in posting:
                counts[other] += 1
        best: Duplicate | None = None
        for other, shared in sorted(counts.items()):
            if shared < 2:
                continue
            zh_text, en_text = (text, self._texts[other]) if chinese else (self._texts[other], text)
            score = _word_agreement(zh_text, en_text)
            if score >= 0.6 and (best is None or score > best.score):
                best = Duplicate(index, other, "cross-lingual", score)
        return best


_LETTER = re.compile(r"[^\W\d_]")


def _han_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return sum(len(r) for r in _HAN_RUN.findall(text)) / letters if letters else 0.0


def _word_agreement(chinese: str, english: str) -> float:
    """Share of the English unit's content words found in the Chinese unit's translation
    (statistics engine) or, failing that, in the CC-CEDICT glosses of its words."""
    en_words = {w for w in _english_words(english) if not w[0].isdigit()}
    if not en_words:
        return 0.0
    target = set(_english_words(_translation(chinese))) if numbers(chinese) else set()
    glosses = _gloss_words(chinese)
    found = sum(1 for w in en_words if w in target or _stem(w) in glosses)
    return found / len(en_words)


@lru_cache(maxsize=1024)
def _translation(chinese: str) -> str:
    from .glossary import Glossary
    from .translate import translate

    glossary = Glossary.load("automotive", "battery-recycling", "nickel-stainless", "organisations")
    return translate(chinese, engine="statistics", glossary=glossary)[0].text


def _bridge(text: str, chinese: bool) -> frozenset[str]:
    """The unit's words in the bridge vocabulary (English stems): for Chinese, the glosses."""
    if chinese:
        return _gloss_words(text)
    return frozenset(_stem(w) for w in _english_words(text) if not w[0].isdigit())


def _content_words(text: str, folded: str) -> frozenset[str]:
    """Stems of the English words and the Han character bigrams: what a paraphrase keeps."""
    han = {run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(max(1, len(run) - 1))}
    english = _english_words(text, _HAN_RUN.sub(" ", folded))
    return frozenset(han | {_stem(w.removesuffix("’s").removesuffix("'s")) for w in english})


_NAME = re.compile(
    r"\b[A-Z][A-Z&]+\b(?![’'][a-z]{2})"  # acronyms anywhere: GEM, CATL, SMM's
    r"|(?<![.!?:]\s)(?<![.!?:])(?<!^)\b[A-Z][a-z]+(?:[’'-][A-Za-z]+)*"  # not sentence-initial
)


def _names(text: str) -> frozenset[str]:
    """Acronyms and capitalised words that do not start a sentence, case-folded, without a
    possessive: the entities a paraphrase must keep. Months are not names here."""
    found = (m.group().casefold() for m in _NAME.finditer(text.replace("U.S.", "US")))
    return frozenset(
        name.removesuffix("’s").removesuffix("'s")
        for name in found
        if name not in _MONTHS and name not in _STOP
    )


def _names_conflict(ours: frozenset[str], theirs: frozenset[str]) -> bool:
    """Both sides name something the other does not (``CPCA`` / ``CAAM``). Names sharing
    their first five letters count as one (``Europe`` / ``European``)."""

    def alone(names: frozenset[str], others: frozenset[str]) -> bool:
        return any(all(a[:5] != b[:5] for b in others) for a in names)

    return alone(ours, theirs) and alone(theirs, ours)


def _stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=1024)
def _gloss_words(chinese: str) -> frozenset[str]:
    from .glossary.mine import _words, glosses

    words: set[str] = set()
    for run in _words(chinese):
        for word in run:
            for gloss in glosses(word, limit=4):
                words.update(_stem(w) for w in _english_words(gloss))
    return frozenset(words)


class ItemDeduper:
    """Item after item, the units of each against every unit kept before: what a stream
    (``bilingual dedupe``, ``bilingual run``) needs. Only the ids of kept units are
    remembered, so memory follows the index, not the input."""

    def __init__(self, deduper: Deduper | None, *, level: str = "paragraph") -> None:
        self.deduper = deduper
        self.level = level
        self.units = 0
        """Units seen so far, in all items."""
        self._ids: dict[int, str] = {}

    def item(
        self, text: str, item_id: str, *, keep_duplicates: bool = False
    ) -> tuple[str, list[dict[str, Any]]]:
        """The item's text without its duplicate units (all of them with
        ``keep_duplicates``), and one report entry per duplicate. Summaries are kept."""
        kept: list[str] = []
        found: list[dict[str, Any]] = []
        for unit in iter_units([{"text": text, "id": item_id}], level=self.level, id_field="id"):
            index = self.units
            self.units += 1
            dup = (
                self.deduper.add(index, unit.text)
                if self.deduper is not None and canonical(unit.text)
                else None
            )
            if dup is None or dup.summary:
                self._ids[index] = unit.id
            if dup is not None:
                found.append(
                    {
                        "unit": unit.id,
                        "duplicate_of": self._ids[dup.of],
                        "kind": dup.kind,
                        "score": round(dup.score, 3),
                        "summary": dup.summary,
                        "paraphrase": dup.paraphrase,
                        "text": unit.text.strip(),
                    }
                )
                if not dup.summary and not keep_duplicates:
                    continue
            kept.append(unit.text)
        return "".join(kept), found


# --- the public function -----------------------------------------------------------------


def iter_units(
    items: Iterable[str | dict[str, Any]],
    *,
    level: str = "paragraph",
    field_name: str = "text",
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
    level: str = "paragraph",
    threshold: float = 0.8,
    paraphrase: float | None = 0.45,
    cross_lingual: bool = True,
    keep: str = "first",
    field_name: str = "text",
    id_field: str | None = None,
) -> DedupeResult:
    """Find duplicates among the units of ``items``; see the module docs. ``threshold`` is
    the near-duplicate Jaccard similarity; ``paraphrase`` the content-word similarity for
    units with the same figures (``None``: no paraphrase check).

    ``keep="first"`` keeps the first of each cluster (the only policy so far). Units with
    no letters or digits (blank paragraphs) are never duplicates.

    >>> r = dedupe(["GEM signed.\\n", "gem  signed\\n", "Other news.\\n"])
    >>> [(d.index, d.of, d.kind) for d in r.duplicates], len(r.kept)
    ([(1, 0, 'exact')], 2)
    """
    if keep != "first":
        raise ConfigError(f"keep must be 'first', not {keep!r}")
    deduper = Deduper(threshold=threshold, paraphrase=paraphrase, cross_lingual=cross_lingual)
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
