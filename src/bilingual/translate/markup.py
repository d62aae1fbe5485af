"""Translating a Markdown or HTML document: its text runs only, one Translation for all.

:func:`bilingual.text.markup.translate_runs` finds the runs and writes them back; this puts
the runs through a :class:`~bilingual.translate.Translator` in one batch and merges their
translations into one for the document, with the spans of terms and issues moved to where
the runs stand in the source and in the result.
"""

from __future__ import annotations

from dataclasses import replace

from ..text.markup import translate_runs
from ..text.segment import segment
from .result import Translation
from .translator import Translator

__all__ = ["translate_markup"]


def _moved(span: tuple[int, int] | None, by: int) -> tuple[int, int] | None:
    return None if span is None else (span[0] + by, span[1] + by)


def translate_markup(translator: Translator, document: str, fmt: str) -> Translation:
    """Translate the text runs of ``document`` (``markdown`` or ``html``); code, tags,
    attributes, URLs and structure stay as they are."""
    results: list[Translation] = []

    def run(texts: list[str]) -> list[str]:
        results.extend(translator([(text, segment(text, "sentence")) for text in texts]))
        return [r.text for r in results]

    text, placed = translate_runs(document, fmt, run)
    engines = dict.fromkeys(e for r in results if r.engine != "none" for e in r.engine.split(","))
    merged = Translation(text, document, ",".join(engines) or "none")
    weight = 0
    coverage = 0.0
    for result, ((source_start, _), (target_start, _)) in zip(results, placed, strict=True):
        merged.terms += [
            replace(
                t,
                source_span=_moved(t.source_span, source_start) or t.source_span,
                target_span=_moved(t.target_span, target_start),
            )
            for t in result.terms
        ]
        merged.issues += [replace(i, span=_moved(i.span, source_start)) for i in result.issues]
        merged.memory_hits += result.memory_hits
        for key, value in result.usage.items():  # engines that call a server
            merged.usage[key] = merged.usage.get(key, 0) + value
        merged.sentences += result.sentences
        size = len(result.source_text)
        coverage += result.coverage * size
        weight += size
    merged.coverage = coverage / weight if weight else 1.0
    return merged
