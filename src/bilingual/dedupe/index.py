"""The streaming index: each unit against the units kept before it.

Exact duplicates by digest of the canonical form; near duplicates by MinHash LSH buckets
salted with the figures, verified by the estimated Jaccard similarity; paraphrases by
content words among the units with the same figures; cross-lingual matches by
:class:`~bilingual.dedupe.crosslingual.CrossIndex`. Memory grows with the units kept.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..errors import ConfigError
from ..options import DEFAULTS
from .crosslingual import MAX_POSTING, CrossIndex, Translator
from .features import Features, Featurizer, canonical, digest, fold, jaccard

__all__ = ["Deduper", "Duplicate", "Kind"]

Kind = Literal["exact", "near", "cross-lingual"]


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

    def to_dict(self, units: list[Any]) -> dict[str, Any]:
        return {
            "unit": units[self.index].id,
            "duplicate_of": units[self.of].id,
            "kind": self.kind,
            "score": round(self.score, 3),
            "summary": self.summary,
            "paraphrase": self.paraphrase,
        }


class Deduper:
    """Compares each unit with the units kept so far; memory grows with what is kept."""

    def __init__(
        self,
        *,
        threshold: float = DEFAULTS.threshold,
        cross_lingual: bool = DEFAULTS.cross_lingual,
        num_perm: int = 128,
        min_features: int = 3,
        paraphrase: float | None = DEFAULTS.paraphrase,
        translator: Translator | None = None,
    ) -> None:
        """``paraphrase``: None or 0 turns the paraphrase check off; ``translator``: Chinese
        → English, for cross-lingual matching (without one, dictionary glosses only)."""
        paraphrase = paraphrase or None
        for name, value in (("threshold", threshold), ("paraphrase", paraphrase or 1)):
            if not 0 < value <= 1:
                raise ConfigError(f"{name} must be in (0, 1], not {value}")
        self.threshold = threshold
        self.paraphrase = paraphrase
        self.features = Featurizer(
            threshold=threshold,
            paraphrase=paraphrase,
            cross_lingual=cross_lingual,
            num_perm=num_perm,
            min_features=min_features,
        )
        """Computes what :meth:`add` compares: call it where the text is (a worker)."""
        self.cross = CrossIndex(translator) if cross_lingual else None
        self._exact: dict[int, int] = {}  # digest of the canonical form → unit
        self._buckets: list[dict[int, int | list[int]]] = [{} for _ in range(self.features.bands)]
        self._signatures: dict[int, bytes] = {}
        # Paraphrase candidates: units with the same two or more figures, and their words.
        self._by_fingerprint: dict[int, list[int]] = defaultdict(list)
        self._words: dict[int, tuple[bytes, tuple[str, ...]]] = {}

    def add(
        self, index: int, text: str, features: Features | int | None = None
    ) -> Duplicate | None:
        """Check unit ``index``; index it if it is not a duplicate (summaries are indexed).
        ``features``: :meth:`features` of ``text`` if known, or just its exact key (a worker
        saw that text before, so it is most likely an exact duplicate)."""
        if not isinstance(features, Features):  # an exact duplicate needs nothing else
            folded = fold(text) if features is None else None
            key = digest(canonical(text, folded)) if features is None else features
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
        found = None
        if self.cross is not None:
            match = self.cross.find(index, text, f)
            if match is not None:
                found = Duplicate(index, match[0], "cross-lingual", match[1], summary=match[2])
                if not found.summary:
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
        if self.cross is not None:
            self.cross.add(index, text, f)
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
        for other in self._by_fingerprint.get(fingerprint, ())[-MAX_POSTING:]:
            their_content, their_names = self._words[other]
            score = jaccard(content, their_content)
            conflict = set(names) - set(their_names) and set(their_names) - set(names)
            if score >= threshold and (best is None or score > best[1]) and not conflict:
                best = (other, score)
        return best
