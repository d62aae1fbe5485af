"""Where each stretch of a source text went in its translation (:class:`Piece`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from .result import Piece, Translation

__all__ = ["Place", "align"]


@dataclass(frozen=True)
class Place:
    """Where a piece of the translation comes from: a stretch of the source, copied, or a
    sentence (``lead`` and ``body`` its offsets in the stretch) rendered with whitespace
    around it."""

    start: int
    end: int
    lead: int = 0
    body: int = 0
    trailing: str = ""
    how: str = "copy"
    terms: tuple[int, int] = (0, 0)


def align(result: Translation, pieces: list[str], places: list[Place]) -> list[Piece]:
    """The pieces of the translation with their sources (copies merged); term renderings
    placed in the whole translation. Done last: an article fixed before a phrase
    (``a`` → ``an``) changes the length of the piece before it."""
    out: list[Piece] = []

    def add(source: tuple[int, int], target: tuple[int, int], how: str) -> None:
        if out and how == "copy" == out[-1].how:
            last = out.pop()
            source, target = (last.source_span[0], source[1]), (last.target_span[0], target[1])
        if source[0] != source[1] or target[0] != target[1]:
            out.append(Piece(source, target, how))

    at = 0
    for text, place in zip(pieces, places, strict=True):
        if place.how == "copy":
            add((place.start, place.end), (at, at + len(text)), "copy")
            at += len(text)
            continue
        body = (at + place.lead, at + len(text) - len(place.trailing))
        add((place.start, place.start + place.lead), (at, body[0]), "copy")
        add((place.start + place.lead, place.start + place.body), body, place.how)
        add((place.start + place.body, place.end), (body[1], at + len(text)), "copy")
        for i in range(*place.terms):
            term = result.terms[i]
            if term.target_span is not None:
                a, b = term.target_span
                result.terms[i] = replace(term, target_span=(a + body[0], b + body[0]))
        at += len(text)
    return out
