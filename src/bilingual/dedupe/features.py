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
from functools import lru_cache
from typing import Any, NamedTuple

import numpy as np

from ..chars import HAN_RUN
from ..dictionary import dictionary_words, glosses
from ..numbers import MONTHS
from .boilerplate import loose_affix, strip
from .figures import Figures, extract
from .polarity import signature as polarity_order
from .polarity import stem

__all__ = [
    "Features",
    "Featurizer",
    "band_keys",
    "canonical",
    "fold",
    "keyed",
    "lsh_bands",
    "numbers",
    "shingles",
    "similarity",
]

_WORD = re.compile(r"[a-z0-9][a-z0-9'’.-]*[a-z0-9]|[a-z0-9]")
_PUNCT_SPACE = re.compile(r"[\W_]+", re.UNICODE)
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_MONTHS = tuple(m.lower() for m in MONTHS)
_DATE_DMY = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b")
_DATE_MDY = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),?\s+(\d{4})\b")
_ANY_MONTH = re.compile("|".join(_MONTHS))
_ORDINALS = {"first": "1", "second": "2", "third": "3", "fourth": "4"}
_PERIOD = re.compile(r"\b(?:(first|second|third|fourth) (q)uarter|(first|second) (h)alf)\b")
_RELATIVE_DATE = re.compile(
    r"今年|去年|明年|本年|本月|上月|下月|当月|本周|上周|下周|今日|昨日|近日"
    r"|\b(?:this|last|next) (?:year|month|week)\b|\b(?:today|yesterday)\b"
)
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
    if _ANY_MONTH.search(folded):
        folded = _DATE_DMY.sub(lambda m: f"{m.group(3)}-{m.group(2)}-{m.group(1)}", folded)
        folded = _DATE_MDY.sub(lambda m: f"{m.group(3)}-{m.group(1)}-{m.group(2)}", folded)
    return folded


def canonical(text: str, folded: str | None = None) -> str:
    """The exact-duplicate key: folded (see ``fold``), without spaces or punctuation, but
    with decimal points (``3443.8万吨`` is not ``34438万吨``)."""
    folded = fold(text) if folded is None else folded
    return _PUNCT_SPACE.sub("", _DECIMAL.sub("ǂ", folded) if "." in folded else folded)


def english_words(text: str, folded: str | None = None) -> list[str]:
    folded = fold(text) if folded is None else folded
    return [w.replace(",", "") for w in _WORD.findall(folded) if w not in _STOP]


def _bigrams(masked: str) -> list[str]:
    return [run[i : i + 2] for run in HAN_RUN.findall(masked) for i in range(len(run) - 1)]


def _words(masked: str) -> tuple[set[str], list[str]]:
    """The Han character bigrams and the English words of a masked, folded text."""
    han = {run[i : i + 2] for run in HAN_RUN.findall(masked) for i in range(max(1, len(run) - 1))}
    return han, english_words(masked, HAN_RUN.sub(" ", masked))


class Analysis(NamedTuple):
    """A unit's text read once: what every comparison starts from."""

    core: str
    """The text (NFKC) without its boilerplate: dateline, site prefix, site suffix."""
    affixes: tuple[str, ...]
    """The boilerplate removed."""
    figures: Figures
    masked: str
    """The core, case-folded, with every figure and relative date (``今年``, ``last
    month``) replaced by ``#``: what shingles and the figures-differ skeleton are made of."""


def analyse(text: str) -> Analysis:
    core, affixes = strip(unicodedata.normalize("NFKC", text))
    figures, masked = extract(core.casefold().replace("u.s.", "us").replace("u.k.", "uk"))
    if "#" not in masked or _RELATIVE_DATE.search(masked):
        masked = _RELATIVE_DATE.sub(" # ", masked)
    return Analysis(core, affixes, figures, masked)


def shingles(
    text: str,
    analysis: Analysis | None = None,
    words: tuple[set[str], list[str]] | None = None,
) -> set[str]:
    """Han character bigrams, English words and word bigrams of the text without its
    boilerplate, figures and relative dates, and the figures as features of their own
    (``#476000``, ``#3.5|%``, ``#m5``): a copy that adds a dateline or writes ``今年`` as
    ``2025年`` loses at most a feature or two. (``analysis``, ``words``: :func:`analyse` of
    the text and ``_words`` of its masked form, if known.)"""
    a = analyse(text) if analysis is None else analysis
    han, english = _words(a.masked) if words is None else words
    features = han | set(english)
    features.update(f"{x} {y}" for x, y in itertools.pairwise(english))
    f = a.figures
    features.update("#" + figure for figure in f.quantities + f.dates + f.labels)
    return features


def numbers(text: str) -> Figures:
    """The figures of a unit (see :mod:`bilingual.dedupe.figures`), boilerplate excluded."""
    return analyse(text).figures


# --- MinHash and LSH ---------------------------------------------------------------------


@lru_cache(maxsize=64)
def lsh_bands(threshold: float, num_perm: int, miss_weight: float = 6.0) -> tuple[int, int]:
    """(bands, rows) minimising false positives plus ``miss_weight`` times false negatives
    around ``threshold``, by numeric integration of the LSH S-curve (the approach datasketch
    documents, which weighs both alike). A false positive costs one Jaccard check, a false
    negative a missed duplicate: with equal weights, 0.8 gave 9 bands of 14 rows, which
    make a pair at Jaccard 0.8 a candidate one time in three and at 0.9 nine in ten; with
    6, 14 bands of 9 rows: 0.87 at 0.8, 0.999 at 0.9."""
    xs = np.linspace(0, 1, 201)
    best, best_error = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        rows = num_perm // bands
        if rows == 0:
            break
        probability = 1 - (1 - xs**rows) ** bands
        false_positive = float(np.trapezoid(probability[xs < threshold], xs[xs < threshold]))
        false_negative = float(np.trapezoid(1 - probability[xs >= threshold], xs[xs >= threshold]))
        error = false_positive + miss_weight * false_negative
        if error < best_error:
            best, best_error = (bands, rows), error
    return best


def digest(text: str) -> int:
    """A 64-bit digest, the same in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


def keyed(text: str) -> tuple[str, int] | None:
    """A unit's ``fold`` and exact key (the digest of its ``canonical`` form), or None when
    nothing is left to compare (punctuation and spaces only): how every stream of units
    (one process, a Dask partition) keys them alike."""
    folded = fold(text)
    key = canonical(text, folded)
    return (folded, digest(key)) if key else None


SEED = 1
"""The MinHash seed (rensa's permutations): signatures of one seed compare."""

_BAND_MULTIPLIERS = np.array(
    [(0x9E3779B97F4A7C15 * (2 * i + 1)) & ((1 << 64) - 1) for i in range(64)], dtype=np.uint64
)


def band_keys(values: np.ndarray, bands: int, fingerprint: int) -> tuple[int, ...]:
    """One 64-bit key per LSH band of a MinHash (``values``: uint32, bands × rows), with
    the band's number and the figures' fingerprint mixed in: two units are near-duplicate
    candidates when they share a key, which needs the same figures (the same in every
    process, and a plain integer to shuffle on in Dask)."""
    rows = values.astype(np.uint64).reshape(bands, -1)
    mixed = (rows * _BAND_MULTIPLIERS[: rows.shape[1]]).sum(axis=1)
    mixed ^= np.uint64(fingerprint & ((1 << 64) - 1))
    mixed += np.arange(bands, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    return tuple(mixed.tolist())


def similarity(a: bytes, b: bytes) -> float:
    """The MinHash estimate of the Jaccard similarity of two signatures (as rensa's
    ``jaccard``: the share of equal values)."""
    x, y = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    return int(np.count_nonzero(x == y)) / len(x)


class Features(NamedTuple):
    """What :class:`Deduper` needs of a unit (:meth:`Deduper.features`): small, picklable
    (a named tuple: made for every unit, and far cheaper to make than a frozen dataclass)."""

    key: int
    """Digest of the exact-duplicate key (:func:`canonical`)."""
    core: int | None
    """Digest of the exact key without the boilerplate, when there was some."""
    affixes: tuple[str, ...]
    loose: tuple[str, int] | None
    """A weaker affix candidate and the digest of the key without it (learned when the
    input repeats it)."""
    figures: Figures
    fingerprint: int
    """Digest of the quantities and labels: near duplicates must agree on them."""
    skeleton: int | None
    """Digest of the masked text, for units with figures: figures-differ pairs share it."""
    signature: bytes | None
    """The MinHash of the shingles (rensa's ``RMinHash`` values as uint32 bytes), None for
    units with too few."""
    chinese: bool
    bridge: frozenset[str]
    """Cross-lingual bridge words, for units without quantities."""
    bands: tuple[int, ...] = ()
    """The LSH band keys of the signature (:func:`band_keys`), with the fingerprint in them."""
    masked: str = ""
    """The text without boilerplate, figures masked (:attr:`Analysis.masked`), for
    :func:`words`."""
    embedding: bytes | None = None
    """The sentence embedding (float16), with ``semantic``."""


Words = tuple[frozenset[int], tuple[str, ...], tuple[int, ...]]
"""Content words (hashed: :func:`content_words`), names (:func:`names`) and the opposites'
directions in order (:func:`bilingual.dedupe.polarity.signature`)."""


@lru_cache(maxsize=4096)
def words(text: str, masked: str, figures: Figures) -> Words:
    """What the paraphrase check and ``semantic`` compare besides figures (``masked``: the
    unit's :attr:`Analysis.masked`): computed when a candidate needs them, not for every
    unit."""
    han, english = _words(masked)
    stems = [stem(w.removesuffix("’s").removesuffix("'s")) for w in english]
    order = polarity_order(stems + _bigrams(masked))
    return content_words(han, stems, figures.all), names(text), order


def content_words(han: set[str], stems: list[str], figures: frozenset[str]) -> frozenset[int]:
    """The Han character bigrams, the English stems and the figures, what a paraphrase
    keeps, as crc32 values."""
    return frozenset(zlib.crc32(w.encode()) for w in itertools.chain(han, stems, figures))


def jaccard(ours: frozenset[int], theirs: frozenset[int]) -> float:
    shared = len(ours & theirs)
    return shared / (len(ours) + len(theirs) - shared) if ours or theirs else 0.0


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
        semantic: bool = False,
    ) -> None:
        self.paraphrase = paraphrase
        self.cross_lingual = cross_lingual
        self.min_features = min_features
        self.bands, rows = lsh_bands(threshold, num_perm)
        self.num_perm = self.bands * rows  # rensa's LSH needs a multiple of the bands
        self.semantic = semantic
        self._encoder: Any = None
        self._templates: dict[str, tuple[frozenset[str], int | None]] = {}

    def _masked(self, masked: str) -> tuple[frozenset[str], int | None]:
        """The shingles of the words (:func:`shingles` without the figures) and the
        skeleton digest of a masked text: a template's copies share them, so they are
        remembered (statistics releases are templates filled with figures)."""
        known = self._templates.get(masked)
        if known is None:
            han, english = _words(masked)
            words = han | set(english)
            words.update(f"{x} {y}" for x, y in itertools.pairwise(english))
            skeleton_text = _PUNCT_SPACE.sub("", masked)
            skeleton = digest(skeleton_text) if len(skeleton_text) >= 6 else None
            if len(self._templates) >= 4096:
                self._templates.clear()
            known = self._templates[masked] = (frozenset(words), skeleton)
        return known

    def embed(self, texts: list[str]) -> list[bytes]:
        """Sentence embeddings of ``texts`` (float16 bytes), in one batch."""
        if self._encoder is None:
            from .semantic import Encoder

            self._encoder = Encoder()
        vectors = self._encoder.encode(texts)
        return [v.tobytes() for v in vectors.astype(np.float16)]

    def many(
        self, texts: list[str], folded: list[str] | None = None, keys: list[int] | None = None
    ) -> list[Features]:
        """:meth:`__call__` for several units, their embeddings computed in one batch."""
        folds: list[str | None] = list(folded) if folded is not None else [None] * len(texts)
        exact: list[int | None] = list(keys) if keys is not None else [None] * len(texts)
        if not self.semantic:
            return [self(*unit) for unit in zip(texts, folds, exact, strict=True)]
        analyses = [analyse(t) for t in texts]
        vectors = self.embed([a.core for a in analyses]) if texts else []
        return [
            self(t, f, k, analysis=a, embedding=v)
            for t, f, k, a, v in zip(texts, folds, exact, analyses, vectors, strict=True)
        ]

    def __call__(
        self,
        text: str,
        folded: str | None = None,
        key: int | None = None,
        *,
        analysis: Analysis | None = None,
        embedding: bytes | None = None,
    ) -> Features:
        """Everything the index needs of a unit. ``folded`` and ``key``: its ``fold`` and
        exact key, when the caller has them."""
        from rensa import RMinHash

        a = analyse(text) if analysis is None else analysis
        figures = a.figures
        if key is None:
            key = digest(canonical(text, folded))
        core = digest(canonical(a.core)) if a.affixes else None
        loose = loose_affix(a.core)
        loose_key = (loose[0], digest(canonical(loose[1]))) if loose else None
        fingerprint = digest("|".join(figures.quantities) + "/" + "|".join(figures.labels))
        text_shingles, skeleton = self._masked(a.masked)
        shingled = list(text_shingles)
        shingled += ["#" + figure for figure in figures.quantities + figures.dates + figures.labels]
        signature: bytes | None = None
        bands: tuple[int, ...] = ()
        if len(shingled) >= self.min_features:
            minhash = RMinHash(self.num_perm, SEED)
            minhash.update(shingled)
            values = np.array(minhash.digest(), dtype=np.uint32)
            signature = values.tobytes()
            bands = band_keys(values, self.bands, fingerprint)
        chinese = (self.cross_lingual or self.semantic) and han_share(a.core) > 0.3
        bridging: frozenset[str] = frozenset()
        if self.cross_lingual and not figures.quantities:
            bridging = bridge(a.core, chinese)
        if self.semantic and embedding is None:
            (embedding,) = self.embed([a.core])
        return Features(
            key,
            core,
            a.affixes,
            loose_key,
            figures,
            fingerprint,
            skeleton if figures else None,
            signature,
            chinese,
            bridging,
            bands,
            a.masked,
            embedding,
        )
