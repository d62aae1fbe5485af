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

import hashlib
import itertools
import re
import sys
import unicodedata
import zlib
from array import array
from collections import Counter, defaultdict
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

__all__ = ["DedupeResult", "Deduper", "Duplicate", "Features", "ItemDeduper", "Unit", "dedupe"]

Kind = Literal["exact", "near", "cross-lingual"]

_MAX_POSTING = 1000  # figures or words in more units than this do not find candidates
_SEEN = 1 << 16  # exact keys a worker remembers, to skip features of repeated paragraphs
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


def _words(text: str, folded: str) -> tuple[set[str], list[str]]:
    """The Han character bigrams and the English words of a unit."""
    han = {run[i : i + 2] for run in _HAN_RUN.findall(text) for i in range(max(1, len(run) - 1))}
    return han, _english_words(text, _HAN_RUN.sub(" ", folded))


def shingles(
    text: str,
    figures: frozenset[Figure] | None = None,
    folded: str | None = None,
    words: tuple[set[str], list[str]] | None = None,
) -> set[str]:
    """Han character bigrams, English words and word bigrams, numbers as their values
    (``figures``, ``folded``, ``words``: :func:`numbers`, ``_fold`` and ``_words`` of the
    text, if known)."""
    folded = _fold(text) if folded is None else folded
    han, english = _words(text, folded) if words is None else words
    features = han | set(english)
    features.update(f"{a} {b}" for a, b in itertools.pairwise(english))
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
    """The MinHash signature (``num_perm`` uint32) of a feature set.

    Features are hashed with crc32, then permuted by multiply-shift hashing
    ``(a·x + b) mod 2^64 >> 32`` with random odd ``a`` (a universal family: one multiply
    per value, where the classic ``(a·x + b) mod (2^61 - 1)`` needs several).
    """
    hashes = np.fromiter((zlib.crc32(f.encode()) for f in features), dtype=np.uint64)
    if not len(hashes):
        return np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    a, b = _permutations(num_perm)
    with np.errstate(over="ignore"):
        values = (hashes[:, None] * a + b) >> np.uint64(32)
    return values.min(axis=0).astype(np.uint32)


@lru_cache(maxsize=4)
def _band_multipliers(rows: int) -> np.ndarray:
    return np.random.default_rng(2).integers(1, 1 << 63, rows, dtype=np.uint64) | np.uint64(1)


def _digest(text: str) -> int:
    """A 64-bit digest, the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


# --- the streaming deduper ---------------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """What :class:`Deduper` needs of a unit (:meth:`Deduper.features`): small, picklable."""

    key: int
    """Digest of the exact-duplicate key (:func:`canonical`)."""
    figures: frozenset[str]
    """The numeric fingerprint (:func:`numbers`) as ``number:4.76E+5`` strings."""
    fingerprint: int
    """Digest of the figures and labels: near duplicates must agree on it."""
    signature: bytes | None
    """The low 16 bits of each MinHash value (b-bit MinHash: two unequal values agree by
    chance once in 65,536, negligible next to the 0.8 threshold), None for units with too
    few shingles."""
    bands: tuple[int, ...]
    """LSH band keys, salted with ``fingerprint``."""
    words: tuple[bytes, tuple[str, ...]] | None
    """Content words (hashed) and names, for the paraphrase check (two or more figures)."""
    chinese: bool
    bridge: frozenset[str]
    """Cross-lingual bridge words, for units without figures."""


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
        self._exact: dict[int, int] = {}  # digest of the canonical form → unit
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(self.bands)]
        self._signatures: dict[int, bytes] = {}
        self._numbers: dict[int, tuple[str, ...]] = {}  # interned: one string per figure
        # Paraphrase candidates: units with the same two or more figures, and their words.
        self._by_fingerprint: dict[int, list[int]] = defaultdict(list)
        self._words: dict[int, tuple[bytes, tuple[str, ...]]] = {}
        self._texts: dict[int, str] = {}  # units a cross-lingual match may point to
        self._english_by_number: dict[str, list[int]] = defaultdict(list)
        self._chinese_by_number: dict[str, list[int]] = defaultdict(list)
        # Cross-lingual units without figures: inverted indexes over the bridge vocabulary.
        self._bridge_zh: dict[str, list[int]] = defaultdict(list)
        self._bridge_en: dict[str, list[int]] = defaultdict(list)

    def features(self, text: str, folded: str | None = None, key: int | None = None) -> Features:
        """Everything the index needs of a unit: computed apart from the index, so that
        worker processes can do it (``bilingual run --jobs``). ``folded`` and ``key``: its
        ``_fold`` and exact key, when the caller has them."""
        folded = _fold(text) if folded is None else folded
        quantities = numbers(text)
        figures = frozenset(f"{kind}:{value.normalize()}" for kind, value in quantities)
        fingerprint = _digest("|".join(sorted(figures)) + "|" + "|".join(sorted(labels(folded))))
        words = _words(text, folded)
        shingled = shingles(text, quantities, folded, words)
        signature, bands = None, ()
        if len(shingled) >= self.min_features:
            values = minhash(shingled, self.num_perm)
            signature = values.astype(np.uint16).tobytes()  # b-bit MinHash, b = 16
            # Each band's rows to one int, salted with the figures: units whose figures
            # differ never share a bucket, so they are never even candidates.
            rows = values[: self.bands * self.rows].reshape(self.bands, self.rows)
            with np.errstate(over="ignore"):
                keys = (rows.astype(np.uint64) * _band_multipliers(self.rows)).sum(axis=1)
            bands = tuple((keys ^ np.uint64(fingerprint)).tolist())
        paraphrase = None
        if self.paraphrase is not None and len(figures) >= 2:
            paraphrase = (_content_words(*words), _names(text))
        chinese = self.cross_lingual and _han_share(text) > 0.3
        bridge = _bridge(text, chinese) if self.cross_lingual and not figures else frozenset()
        return Features(
            _digest(canonical(text, folded)) if key is None else key,
            figures,
            fingerprint,
            signature,
            bands,
            paraphrase,
            chinese,
            bridge,
        )

    def add(
        self, index: int, text: str, features: Features | int | None = None
    ) -> Duplicate | None:
        """Check unit ``index``; index it if it is not a duplicate (summaries are indexed).
        ``features``: :meth:`features` of ``text`` if known, or just its exact key (a worker
        saw that text before, so it is most likely an exact duplicate)."""
        if not isinstance(features, Features):  # an exact duplicate needs nothing else
            folded = _fold(text) if features is None else None
            key = _digest(canonical(text, folded)) if features is None else features
            if key in self._exact:
                return Duplicate(index, self._exact[key], "exact", 1.0)
            features = self.features(text, folded, key)
        f = features
        if f.key in self._exact:
            return Duplicate(index, self._exact[f.key], "exact", 1.0)
        if f.signature is not None:
            near = self._near(f.signature, f.bands)
            if near is not None:
                return Duplicate(index, near[0], "near", near[1])
        if f.words is not None:
            same = self._paraphrase(f.words, f.fingerprint)
            if same is not None:
                return Duplicate(index, same[0], "near", same[1], paraphrase=True)
        found = self._cross(index, text, f) if self.cross_lingual else None
        if found is not None and not found.summary:
            return found
        # Not a duplicate (or a summary, kept): index it. Memory follows what is kept.
        self._exact[f.key] = index
        if f.signature is not None:
            self._signatures[index] = f.signature
            for bucket, band_key in zip(self._buckets, f.bands, strict=True):
                # One int per bucket until a second unit shares it: far less memory.
                held = bucket.setdefault(band_key, index)
                if isinstance(held, list):
                    held.append(index)
                elif held != index:
                    bucket[band_key] = [held, index]
        if f.words is not None:
            self._words[index] = f.words
            self._by_fingerprint[f.fingerprint].append(index)
        if self.cross_lingual and (f.figures or len(f.bridge) >= 2):
            self._texts[index] = text
            figures = tuple(sys.intern(figure) for figure in f.figures)
            self._numbers[index] = figures
            if figures:
                postings = self._chinese_by_number if f.chinese else self._english_by_number
                for figure in figures:
                    postings[figure].append(index)
            else:
                bridges = self._bridge_zh if f.chinese else self._bridge_en
                for stem in f.bridge:
                    bridges[stem].append(index)
        return found

    def _near(self, signature: bytes, bands: tuple[int, ...]) -> tuple[int, float] | None:
        candidates: set[int] = set()
        for bucket, band_key in zip(self._buckets, bands, strict=True):
            held = bucket.get(band_key)
            if isinstance(held, list):
                candidates.update(held)
            elif held is not None:
                candidates.add(held)
        best: tuple[int, float] | None = None
        ours = np.frombuffer(signature, dtype=np.uint16)
        for other in sorted(candidates):
            score = float(np.mean(np.frombuffer(self._signatures[other], np.uint16) == ours))
            if score >= self.threshold and (best is None or score > best[1]):
                best = (other, score)
        return best

    def _paraphrase(
        self, words: tuple[bytes, tuple[str, ...]], fingerprint: int
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
            score = _jaccard(content, their_content)
            conflict = set(names) - set(their_names) and set(their_names) - set(names)
            if score >= threshold and (best is None or score > best[1]) and not conflict:
                best = (other, score)
        return best

    def _cross(self, index: int, text: str, f: Features) -> Duplicate | None:
        """A unit of the other language that shares two or more figures, or without figures
        two or more words of the bridge vocabulary (English stems, and the stems of the
        CC-CEDICT glosses of the Chinese words), and whose words agree. With figures, the
        English ones must be those of the Chinese (a full match) or a subset (a summary)."""
        if f.figures:
            keys, threshold = f.figures, 0.5
            postings = self._english_by_number if f.chinese else self._chinese_by_number
        else:
            keys, threshold = f.bridge, 0.6
            postings = self._bridge_en if f.chinese else self._bridge_zh
        counts: Counter[int] = Counter()
        for key in keys:
            posting = postings.get(key, ())
            if len(posting) <= _MAX_POSTING:  # a figure or word in more points nowhere
                counts.update(posting)
        best: Duplicate | None = None
        for other, shared in sorted(counts.items()):
            theirs = frozenset(self._numbers[other])
            zh_figures, en_figures = (f.figures, theirs) if f.chinese else (theirs, f.figures)
            if shared < 2 or not en_figures <= zh_figures:
                continue
            zh_text, en_text = (
                (text, self._texts[other]) if f.chinese else (self._texts[other], text)
            )
            score = _word_agreement(zh_text, en_text)
            if score >= threshold and (best is None or score > best.score):
                best = Duplicate(index, other, "cross-lingual", score, en_figures < zh_figures)
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


def _content_words(han: set[str], english: list[str]) -> bytes:
    """Stems of the English words and the Han character bigrams, what a paraphrase keeps, as
    sorted crc32 values (uint32 bytes: a tenth of the memory of a set of strings)."""
    words = han | {_stem(w.removesuffix("’s").removesuffix("'s")) for w in english}
    return array("I", sorted({zlib.crc32(w.encode()) for w in words})).tobytes()


def _jaccard(ours: bytes, theirs: bytes) -> float:
    a, b = np.frombuffer(ours, np.uint32), np.frombuffer(theirs, np.uint32)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared) if len(a) + len(b) else 0.0


_NAME = re.compile(
    r"\b[A-Z][A-Z&]+\b(?![’'][a-z]{2})"  # acronyms anywhere: GEM, CATL, SMM's
    r"|(?<![.!?:]\s)(?<![.!?:])(?<!^)\b[A-Z][a-z]+(?:[’'-][A-Za-z]+)*"  # not sentence-initial
)


def _names(text: str) -> tuple[str, ...]:
    """Acronyms and capitalised words that do not start a sentence, case-folded, without a
    possessive, cut to five letters (``Europe`` and ``European`` are one name): the
    entities a paraphrase must keep. Months are not names here."""
    found = (m.group().casefold() for m in _NAME.finditer(text.replace("U.S.", "US")))
    return tuple(
        sorted(
            {
                name.removesuffix("’s").removesuffix("'s")[:5]
                for name in found
                if name not in _MONTHS and name not in _STOP
            }
        )
    )


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
        self._seen: set[int] = set()  # exact keys :meth:`features` has computed

    def _spans(self, text: str) -> list[tuple[int, int]]:
        spans = paragraph_spans(text) if self.level == "paragraph" else [(0, len(text))]
        return spans or [(0, 0)]

    def features(self, text: str) -> list[tuple[int, int, Features | int | None]]:
        """(start, end, :meth:`Deduper.features`) of each unit of ``text``, None for blank
        units: the part of :meth:`item` that worker processes can do. A unit this object
        has seen before gets only its exact key: it will be an exact duplicate."""
        units: list[tuple[int, int, Features | int | None]] = []
        for a, b in self._spans(text):
            folded = _fold(text[a:b])
            key = canonical(text[a:b], folded)
            if self.deduper is None or not key:
                units.append((a, b, None))
                continue
            digest = _digest(key)
            if digest in self._seen:
                units.append((a, b, digest))
                continue
            if len(self._seen) >= _SEEN:
                self._seen.clear()  # a bounded memory of recent keys
            self._seen.add(digest)
            units.append((a, b, self.deduper.features(text[a:b], folded, digest)))
        return units

    def item(
        self,
        text: str,
        item_id: str,
        *,
        keep_duplicates: bool = False,
        units: list[tuple[int, int, Features | int | None]] | None = None,
    ) -> tuple[str, list[dict[str, Any]]]:
        """The item's text without its duplicate units (all of them with
        ``keep_duplicates``), and one report entry per duplicate. Summaries are kept.
        ``units``: :meth:`features` of ``text``, if already computed."""
        kept: list[str] = []
        found: list[dict[str, Any]] = []
        computed = units is not None
        if units is None:
            units = [(start, end, None) for start, end in self._spans(text)]
        for k, (start, end, features) in enumerate(units):
            unit_text = text[start:end]
            unit_id = item_id if self.level == "document" else f"{item_id}#{k}"
            index = self.units
            self.units += 1
            dup = None
            if self.deduper is not None and (
                features is not None if computed else bool(canonical(unit_text))
            ):
                dup = self.deduper.add(index, unit_text, features)
            if dup is None or dup.summary:
                self._ids[index] = unit_id
            if dup is not None:
                found.append(
                    {
                        "unit": unit_id,
                        "duplicate_of": self._ids[dup.of],
                        "kind": dup.kind,
                        "score": round(dup.score, 3),
                        "summary": dup.summary,
                        "paraphrase": dup.paraphrase,
                        "text": unit_text.strip(),
                    }
                )
                if not dup.summary and not keep_duplicates:
                    continue
            kept.append(unit_text)
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
