"""What deduplication compares: canonical forms, shingles, figures, MinHash, words.

Everything here is a pure function of one unit's text, so worker processes can compute it
and send the small :class:`Features` to the process that holds the index.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np

from ..chars import HAN_RUN
from ..dictionary import dictionary_words, glosses
from ..numbers import MONTHS, quantities

__all__ = [
    "Features",
    "Featurizer",
    "canonical",
    "fold",
    "labels",
    "minhash",
    "numbers",
    "shingles",
]

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


def fold(text: str) -> str:
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
    """The exact-duplicate key: folded (see ``fold``), without spaces or punctuation."""
    return _PUNCT_SPACE.sub("", fold(text) if folded is None else folded)


def english_words(text: str, folded: str | None = None) -> list[str]:
    folded = fold(text) if folded is None else folded
    return [w.replace(",", "") for w in _WORD.findall(folded) if w not in _STOP]


def _words(text: str, folded: str) -> tuple[set[str], list[str]]:
    """The Han character bigrams and the English words of a unit."""
    han = {run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(max(1, len(run) - 1))}
    return han, english_words(text, HAN_RUN.sub(" ", folded))


def shingles(
    text: str,
    figures: frozenset[Figure] | None = None,
    folded: str | None = None,
    words: tuple[set[str], list[str]] | None = None,
) -> set[str]:
    """Han character bigrams, English words and word bigrams, numbers as their values
    (``figures``, ``folded``, ``words``: :func:`numbers`, ``fold`` and ``_words`` of the
    text, if known)."""
    folded = fold(text) if folded is None else folded
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
    return frozenset(quantities(text, "zh" if HAN_RUN.search(text) else "en"))


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
        false_positive = float(np.trapezoid(probability[xs < threshold], xs[xs < threshold]))
        false_negative = float(np.trapezoid(1 - probability[xs >= threshold], xs[xs >= threshold]))
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
    signature: np.ndarray = values.min(axis=0).astype(np.uint32)
    return signature


@lru_cache(maxsize=4)
def _band_multipliers(rows: int) -> np.ndarray:
    return np.random.default_rng(2).integers(1, 1 << 63, rows, dtype=np.uint64) | np.uint64(1)


def digest(text: str) -> int:
    """A 64-bit digest, the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


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


def content_words(han: set[str], english: list[str]) -> bytes:
    """Stems of the English words and the Han character bigrams, what a paraphrase keeps, as
    sorted crc32 values (uint32 bytes: a tenth of the memory of a set of strings)."""
    words = han | {stem(w.removesuffix("’s").removesuffix("'s")) for w in english}
    return array("I", sorted({zlib.crc32(w.encode()) for w in words})).tobytes()


def jaccard(ours: bytes, theirs: bytes) -> float:
    a, b = np.frombuffer(ours, np.uint32), np.frombuffer(theirs, np.uint32)
    shared = len(np.intersect1d(a, b, assume_unique=True))
    return shared / (len(a) + len(b) - shared) if len(a) + len(b) else 0.0


_NAME = re.compile(
    r"\b[A-Z][A-Z&]+\b(?![’'][a-z]{2})"  # acronyms anywhere: GEM, CATL, SMM's
    r"|(?<![.!?:]\s)(?<![.!?:])(?<!^)\b[A-Z][a-z]+(?:[’'-][A-Za-z]+)*"  # not sentence-initial
)


def names(text: str) -> tuple[str, ...]:
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


def stem(word: str) -> str:
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word


_LETTER = re.compile(r"[^\W\d_]")


def han_share(text: str) -> float:
    letters = len(_LETTER.findall(text))
    return sum(len(r) for r in HAN_RUN.findall(text)) / letters if letters else 0.0


def bridge(text: str, chinese: bool) -> frozenset[str]:
    """The unit's words in the bridge vocabulary (English stems): for Chinese, the glosses."""
    if chinese:
        return gloss_words(text)
    return frozenset(stem(w) for w in english_words(text) if not w[0].isdigit())


@lru_cache(maxsize=1024)
def gloss_words(chinese: str) -> frozenset[str]:
    """Stems of the CC-CEDICT glosses of the Chinese words: the bridge vocabulary."""
    words: set[str] = set()
    for word in dictionary_words(chinese):
        for gloss in glosses(word, limit=4):
            words.update(stem(w) for w in english_words(gloss))
    return frozenset(words)


class Featurizer:
    """Computes :class:`Features` for one configuration (threshold, permutations): apart
    from the index, so that worker processes can do it (``bilingual run --jobs``)."""

    def __init__(
        self,
        *,
        threshold: float,
        paraphrase: float | None,
        cross_lingual: bool,
        num_perm: int = 128,
        min_features: int = 3,
    ) -> None:
        self.paraphrase = paraphrase
        self.cross_lingual = cross_lingual
        self.num_perm = num_perm
        self.min_features = min_features
        self.bands, self.rows = lsh_bands(threshold, num_perm)

    def __call__(self, text: str, folded: str | None = None, key: int | None = None) -> Features:
        """Everything the index needs of a unit. ``folded`` and ``key``: its ``fold`` and
        exact key, when the caller has them."""
        folded = fold(text) if folded is None else folded
        quantities = numbers(text)
        figures = frozenset(f"{kind}:{value.normalize()}" for kind, value in quantities)
        fingerprint = digest("|".join(sorted(figures)) + "|" + "|".join(sorted(labels(folded))))
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
            paraphrase = (content_words(*words), names(text))
        chinese = self.cross_lingual and han_share(text) > 0.3
        bridging = bridge(text, chinese) if self.cross_lingual and not figures else frozenset()
        return Features(
            digest(canonical(text, folded)) if key is None else key,
            figures,
            fingerprint,
            signature,
            bands,
            paraphrase,
            chinese,
            bridging,
        )
