"""Deduplicating a stream of documents: each one's units against every unit kept before."""

from __future__ import annotations

from typing import Any

from ..document import Document
from .features import Features, canonical, keyed
from .index import Deduper

__all__ = ["ItemDeduper", "UnitFeatures"]

UnitFeatures = Features | int | None
"""Per unit: its features, only its exact key (seen before), or None (a blank unit)."""

_SEEN = 1 << 16  # exact keys a worker remembers, to skip features of repeated paragraphs


class ItemDeduper:
    """Document after document, the units of each against every unit kept before: what a
    stream (``bilingual dedupe``, ``bilingual run``) needs. Units are the document's
    paragraphs, or the whole document (``level="document"``). Only the ids of kept units
    are remembered, so memory follows the index, not the input."""

    def __init__(self, deduper: Deduper | None, *, level: str = "paragraph") -> None:
        self.deduper = deduper
        self.level = level
        self.units = 0
        """Units seen so far, in all documents."""
        # Unit number → id of the units kept: in the index's budget when there is one.
        self._ids: Any = deduper.spill.table("unit_ids") if deduper is not None else {}
        self._seen: set[int] = set()  # exact keys :meth:`features` has computed

    def _spans(self, doc: Document) -> list[tuple[int, int]]:
        return doc.paragraphs if self.level == "paragraph" else [(0, len(doc.text))]

    def features(self, doc: Document) -> list[UnitFeatures]:
        """What :meth:`add` compares, per unit: the part worker processes can do. A unit
        this object has seen before gets only its exact key: it will be an exact duplicate."""
        units: list[UnitFeatures] = []
        todo: list[tuple[int, str, str, int]] = []  # unit, text, folded, exact key
        for a, b in self._spans(doc):
            text = doc.text[a:b]
            found = keyed(text)
            if self.deduper is None or found is None:
                units.append(None)
                continue
            folded, exact = found
            if exact in self._seen:
                units.append(exact)
                continue
            if len(self._seen) >= _SEEN:
                self._seen.clear()  # a bounded memory of recent keys
            self._seen.add(exact)
            todo.append((len(units), text, folded, exact))
            units.append(None)
        if todo and self.deduper is not None:  # one batch: embeddings are faster so
            _, texts, folds, keys = zip(*todo, strict=True)
            computed = self.deduper.features.many(list(texts), list(folds), list(keys))
            for (k, *_), features in zip(todo, computed, strict=True):
                units[k] = features
        return units

    def add(
        self,
        doc: Document,
        *,
        keep_duplicates: bool = False,
        features: list[UnitFeatures] | None = None,
    ) -> list[dict[str, Any]]:
        """Mark ``doc``'s duplicate units removed (none with ``keep_duplicates``; summaries
        and figures-differ pairs are kept) and return one report entry per duplicate.
        ``features``: what :meth:`features` gave for ``doc``, if a worker computed it."""
        found: list[dict[str, Any]] = []
        spans = self._spans(doc)
        for k, (start, end) in enumerate(spans):
            unit_text = doc.text[start:end]
            unit_id = doc.id if self.level == "document" else f"{doc.id}#{k}"
            index = self.units
            self.units += 1
            dup = None
            unit = features[k] if features is not None else None
            if self.deduper is not None and (
                unit is not None if features is not None else bool(canonical(unit_text))
            ):
                dup = self.deduper.add(index, unit_text, unit)
            if dup is None or dup.kept:
                self._ids[index] = unit_id
            if dup is None:
                continue
            found.append(
                {"unit": unit_id, "duplicate_of": self._ids[dup.of]}
                | dup.details()
                | {"text": unit_text.strip()}
            )
            if not dup.kept and not keep_duplicates:
                doc.removed.update(range(len(doc.paragraphs)) if self.level == "document" else [k])
        return found
