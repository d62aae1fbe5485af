"""The data of translation: engines' interface, translations and their issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from .terms import AppliedTerm


@runtime_checkable
class Engine(Protocol):
    """What every translation engine offers."""

    name: str
    """The registry name: ``argos``, ``statistics``."""
    id: str
    """Changes whenever the engine's output could change (model, version): memory key."""

    def translate_batch(self, sentences: list[str], source: str, target: str) -> list[str]:
        """One translation per sentence, in order. Placeholders ``⟦n⟧`` pass through."""
        ...


@dataclass(frozen=True)
class Issue:
    """Something a pipeline should know before trusting a translation.

    ``kind`` is one of ``untranslated``, ``term-lost``, ``term-restored``, ``term-missing``,
    ``forbidden-term``, ``number-missing``, ``number-added``.
    """

    kind: str
    detail: str
    span: tuple[int, int] | None = None
    """Where in the source text, when known."""

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


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

    @property
    def term_rate(self) -> float:
        """Share of matched glossary terms whose rendering is in the translation."""
        if not self.terms:
            return 1.0
        return sum(t.target_span is not None for t in self.terms) / len(self.terms)

    def to_dict(self) -> dict[str, object]:
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
        }
