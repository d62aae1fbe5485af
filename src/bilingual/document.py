"""A document on its way through the pipeline: its text, spans computed once, its changes.

Repair and normalize give the text and the changes they made; paragraphs are found once
(deduplication compares them and removes some); sentences, with their languages, are
found once for the paragraphs that are kept, and translation and the writers use those.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from .change import Change
from .text.segment import Segment, paragraph_spans, sentences_of

__all__ = ["Document"]

_TRAILING_BLANK = re.compile(r"\n[ \t]*\n\s*\Z")


@dataclass
class Document:
    """One item: ``text`` after repair and normalize, and what was done to it."""

    id: str
    text: str
    changes: list[Change] = field(default_factory=list)
    """Every change repair and normalize made, replayable on the input."""
    removed: set[int] = field(default_factory=set)
    """Paragraphs (by index) that deduplication removed."""
    spans: list[tuple[int, int]] | None = field(default=None, repr=False)
    """The paragraphs, when they are already known (see :attr:`paragraphs`)."""

    @property
    def paragraphs(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each paragraph, covering the text with no gap."""
        if self.spans is None:
            self.spans = paragraph_spans(self.text) or [(0, 0)]
        return self.spans

    @property
    def change_counts(self) -> Counter[str]:
        return Counter(c.stage for c in self.changes)

    @property
    def kept(self) -> str:
        """The text without the removed paragraphs."""
        return self._kept[0]

    @cached_property
    def _kept(self) -> tuple[str, list[tuple[int, int]]]:
        """The kept text and its paragraphs' spans. A removed paragraph that carried the
        blank line separating its neighbours leaves that blank line behind, so the
        paragraphs around it never run together."""
        pieces: list[str] = []
        spans: list[tuple[int, int]] = []
        size = 0
        if not self.removed:
            return self.text, self.paragraphs
        for index, (start, end) in enumerate(self.paragraphs):
            part = self.text[start:end]
            if index not in self.removed:
                pieces.append(part)
                spans.append((size, size + len(part)))
                size += len(part)
            elif pieces and _TRAILING_BLANK.search(part) and not _TRAILING_BLANK.search(pieces[-1]):
                grown = pieces[-1].rstrip("\n") + "\n\n"
                size += len(grown) - len(pieces[-1])
                pieces[-1] = grown
                spans[-1] = (spans[-1][0], size)
        return "".join(pieces), spans

    @property
    def kept_units(self) -> list[tuple[int, int, int]]:
        """``(paragraph index, start, end)`` of each kept paragraph in :attr:`kept`."""
        indices = [k for k in range(len(self.paragraphs)) if k not in self.removed]
        return [(k, a, b) for k, (a, b) in zip(indices, self._kept[1], strict=True)]

    def kept_document(self) -> Document:
        """The kept text as a document of its own, its paragraphs known (what a worker
        process needs to translate it)."""
        text, spans = self._kept
        return Document(self.id, text, spans=spans)

    @cached_property
    def sentences(self) -> list[Segment]:
        """The sentences of :attr:`kept`, with their languages and offsets into it."""
        text, spans = self._kept
        return sentences_of(text, spans)
