"""What translation returns: translations, the terms applied, and typed issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..glossary import Entry

__all__ = ["AppliedTerm", "Issue", "IssueKind", "Piece", "Translation"]


class IssueKind(StrEnum):
    """What a pipeline should know before trusting a translation."""

    UNTRANSLATED = "untranslated"
    """Source-language text left in the output."""
    TERM_LOST = "term-lost"
    """A glossary term the engine dropped and that could not be put back."""
    TERM_RESTORED = "term-restored"
    """A glossary term the engine dropped, put back at the sentence's start or end."""
    TERM_MISSING = "term-missing"
    """No approved rendering of a matched term is in the output."""
    FORBIDDEN_TERM = "forbidden-term"
    """A forbidden rendering is in the output."""
    NUMBER_MISSING = "number-missing"
    """A quantity of the source is not in the output."""
    NUMBER_ADDED = "number-added"
    """The output has a quantity the source has not."""

    @property
    def strict(self) -> bool:
        """Whether ``--strict`` refuses output with this issue."""
        return self in (
            IssueKind.UNTRANSLATED,
            IssueKind.TERM_LOST,
            IssueKind.NUMBER_MISSING,
            IssueKind.NUMBER_ADDED,
        )


@dataclass(frozen=True)
class Issue:
    """An issue of one translation: its kind, a detail for people, and where it is."""

    kind: IssueKind
    detail: str
    span: tuple[int, int] | None = None
    """Where in the source text, when known."""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True)
class AppliedTerm:
    """A glossary term of the source and how it was rendered in the translation."""

    source: str
    target: str
    entry: Entry
    source_span: tuple[int, int]
    target_span: tuple[int, int] | None
    """Where the rendering stands in the translation (in :attr:`Translation.text` once
    :class:`~bilingual.translate.Translator` returns it); None when it was lost."""


@dataclass(frozen=True)
class Piece:
    """A stretch of the source and what it is in the translation: the pieces of a
    :class:`Translation` tile both texts in order, so every source offset has its place in
    the translation (a review page sets them side by side)."""

    source_span: tuple[int, int]
    target_span: tuple[int, int]
    how: str
    """``copy`` (kept as it is, or whitespace and articles around a translation), or how a
    sentence was translated: ``engine``, ``memory`` (the engine's stored output) or
    ``human`` (a person's translation from the memory)."""

    def to_list(self) -> list[Any]:
        return [*self.source_span, *self.target_span, self.how]


@dataclass
class Translation:
    """The translation of one input text."""

    text: str
    source_text: str
    engine: str
    """The engine(s) used, comma-separated, or ``none`` when nothing needed translating."""
    terms: list[AppliedTerm] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    memory_hits: int = 0
    """Sentences taken from the translation memory."""
    sentences: int = 0
    """Sentences translated (from the engine or the memory)."""
    coverage: float = 1.0
    """Share of the source characters to translate that were translated (engines that
    translate only what they recognise report less than 1.0)."""
    alignment: list[Piece] = field(default_factory=list)
    """Where each stretch of the source went; empty when nothing was translated (the
    translation is then the source)."""
    usage: dict[str, float] = field(default_factory=dict)
    """What engines that call a server used (``openai.requests``, ``deepl.characters``,
    ``openai.input_tokens``, ``openai.cost``, ...), on the first translation of a call."""

    @property
    def term_rate(self) -> float:
        """Share of matched glossary terms whose rendering is in the translation."""
        if not self.terms:
            return 1.0
        return sum(t.target_span is not None for t in self.terms) / len(self.terms)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "engine": self.engine,
            "coverage": round(self.coverage, 3),
            "memory_hits": self.memory_hits,
            "sentences": self.sentences,
            "terms": [
                {
                    "source": t.source,
                    "target": t.target,
                    "source_span": t.source_span,
                    "target_span": t.target_span,
                }
                for t in self.terms
            ],
            "issues": [{"kind": i.kind, "detail": i.detail, "span": i.span} for i in self.issues],
            "alignment": [p.to_list() for p in self.alignment],
        } | ({"usage": self.usage} if self.usage else {})
