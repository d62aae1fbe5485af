"""The hybrid chain (``--engine auto``): memory, then the exact statistics engine for the
clauses it covers, then a fallback engine (``--fallback``, or argos when a model is
installed) for the rest; and the usage counts of engines that call a server.

A sentence the statistics engine covers wholly is done: its figures never pass through a
neural model. One it covers in part keeps the English of its covered clauses, and only
the runs of clauses it left (:meth:`StatisticsEngine.clauses
<bilingual.translate.engines.statistics.StatisticsEngine.clauses>`, which the statistics
engine leaves byte for byte in its output) go to the fallback, as phrases; their
translations are put back in place (:func:`fill`). A sentence it does not cover at all
goes to the fallback whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

__all__ = ["fill", "leaves", "uncovered", "usage_delta", "usage_of"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_MARKS = {"，": ", ", "、": ", ", "；": "; ", "：": ": ", "（": " (", "）": ") ", "。": ". "}


class _Job(Protocol):
    @property
    def direct(self) -> bool: ...


class _Output(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def final(self) -> bool: ...


def leaves(job: _Job, output: _Output) -> bool:
    """Whether the first engine of a chain left this sentence (or part of it) untranslated,
    so that the fallback should translate it. People's translations and glossary-only
    phrases stay as they are."""
    return not job.direct and not output.final and bool(_HAN.search(output.text))


def uncovered(engine: Any, sentence: str, output: str, glossary: Any) -> list[str]:
    """The runs of clauses ``engine`` (the statistics engine) left in Chinese in
    ``output``, as they stand in ``sentence``; empty when it covered none of the sentence
    (the whole of it goes on) or when a run is not found as it was (the same)."""
    clauses = getattr(engine, "clauses", None)
    if clauses is None:
        return []
    found = clauses(sentence, glossary)
    if not any(c.english for c in found):
        return []
    runs: list[tuple[int, int]] = []
    for before, clause in zip([None, *found], found, strict=False):
        if clause.english is not None:
            continue
        if before is not None and before.english is None:
            runs[-1] = (runs[-1][0], clause.span[1])
        else:
            runs.append(clause.span)
    parts = [sentence[a:b] for a, b in runs]
    pos = 0
    for part in parts:  # in the output, in order, as they were
        pos = output.find(part, pos)
        if pos < 0:
            return []
        pos += len(part)
    return parts


def fill(output: str, parts: Sequence[str], translations: Sequence[str]) -> str:
    """``output`` with each of ``parts`` (in order) replaced by its translation; with no
    Chinese left, the Chinese marks that joined the parts become English ones."""
    pieces: list[str] = []
    pos = 0
    for part, english in zip(parts, translations, strict=True):
        at = output.find(part, pos)
        english = english.strip()
        before = output[pos:at]
        if before.strip() or pieces:  # inside the sentence: a phrase, not a sentence start
            if english[:1].isupper() and english[1:2].islower():
                english = english[0].lower() + english[1:]
            english = english.rstrip("。.")
        pieces += [before, english]
        pos = at + len(part)
    pieces.append(output[pos:])
    text = "".join(pieces)
    if _HAN.search(text):
        return text
    for mark, english in _MARKS.items():
        text = text.replace(mark, english)
    text = re.sub(r"\s+([,.;:)])", r"\1", re.sub(r"[ \t]{2,}", " ", text)).strip()
    text = re.sub(r"([,.;:])\1+", r"\1", text)
    return text[:1].upper() + text[1:]


def usage_of(engine: Any) -> dict[str, float]:
    """An engine's usage counts so far (engines that call a server have ``usage``)."""
    usage = getattr(engine, "usage", None)
    return {f"{engine.name}.{k}": v for k, v in usage.snapshot().items()} if usage else {}


def usage_delta(
    before: Sequence[dict[str, float]], after: Sequence[dict[str, float]]
) -> dict[str, float]:
    """What the engines used between two snapshots (zero counts left out)."""
    delta: dict[str, float] = {}
    for old, new in zip(before, after, strict=True):
        for key, value in new.items():
            if value - old.get(key, 0):
                delta[key] = value - old.get(key, 0)
    return delta
