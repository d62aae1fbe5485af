"""The pipeline: :class:`Pipeline` runs the stages over items and keeps a :class:`Report`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..dedupe import DedupeResult
from ..dedupe import dedupe as _dedupe
from .pipeline import Pipeline, Result
from .report import Report

__all__ = ["Pipeline", "Report", "Result", "dedupe"]


def dedupe(items: Iterable[str | dict[str, Any]], **options: Any) -> DedupeResult:
    """:func:`bilingual.dedupe.dedupe` with the statistics engine as the translator for
    cross-lingual matching (and the bundled glossaries), as ``bilingual run`` does.

    >>> r = dedupe(["GEM signed.\\n", "gem  signed\\n", "Other news.\\n"])
    >>> [(d.index, d.of, d.kind) for d in r.duplicates], len(r.kept)
    ([(1, 0, 'exact')], 2)
    """
    if "translator" not in options:
        options["translator"] = Pipeline(steps=("dedupe",), to="none")._dedupe_translator
    return _dedupe(items, **options)
