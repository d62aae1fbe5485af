"""Glossary enforcement: placeholders before the engine, approved renderings after it.

CTranslate2 has no constrained decoding, so a matched term is replaced by a placeholder
``⟦n⟧`` that engines pass through, and put back afterwards as the approved rendering
(``do-not-translate`` entries keep their source form). Around a restored English term the
article is fixed (``a``/``an``) and a sentence-initial term is capitalised. Then a check:
each term's rendering must be present and no forbidden rendering may be. A placeholder
the engine dropped is restored at the start or end of the sentence when that is where it
stood in the source, and reported either way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..glossary import Entry, Glossary
from .result import AppliedTerm, IssueKind

TermIssue = tuple[IssueKind, str]
"""(kind, detail) of a term problem in one sentence."""

PLACEHOLDER = re.compile(r"[⟦\[【]\s*(\d+)\s*[⟧\]】]")


def placeholder(n: int) -> str:
    return f"⟦{n}⟧"


@dataclass
class Protected:
    text: str
    """The source with placeholders (or, for engines that apply terms themselves, without)."""
    terms: list[tuple[str, str, Entry, tuple[int, int]]] = field(default_factory=list)
    """(source surface, rendering, entry, source span) per placeholder number - 1."""
    placeholders: bool = True
    """False when ``text`` holds the terms themselves: restore then only locates them."""


def protect(text: str, glossary: Glossary | None, source_lang: str) -> Protected:
    """Replace the glossary terms of ``text`` by placeholders."""
    if glossary is None or not len(glossary):
        return Protected(text)
    lang = "zh" if source_lang.startswith("zh") else "en"
    out: list[str] = []
    terms: list[tuple[str, str, Entry, tuple[int, int]]] = []
    pos = 0
    for m in glossary.match(text, lang):  # type: ignore[arg-type]
        entry = m.entry
        if entry.status == "do-not-translate":
            rendering = m.text
        elif lang == "zh":
            chosen = glossary.preferred(entry.zh) or entry
            rendering = chosen.en
            entry = chosen
        else:
            rendering = entry.zh
        out += [text[pos : m.start], placeholder(len(terms) + 1)]
        terms.append((m.text, rendering, entry, (m.start, m.end)))
        pos = m.end
    out.append(text[pos:])
    return Protected("".join(out), terms)


_VOWEL_SOUND = re.compile(
    r"[aeio]|u(?![nrs]i|ni|se|sa)|h(?=our|onest)|[AEIOFHLMNRSX](?=[A-Z0-9]|$)"
)


def restore(
    output: str, protected: Protected, target_lang: str, *, capitalise: bool = True
) -> tuple[str, list[AppliedTerm], list[TermIssue]]:
    """Put the renderings back into ``output``; returns (text, applied terms, issues), each
    issue a (kind, detail) pair. ``capitalise``: a sentence, so a term that starts it is
    capitalised (not for a phrase inside another sentence)."""
    if not protected.placeholders:
        return output, _locate(output, protected), []
    issues: list[TermIssue] = []
    english = target_lang == "en"
    parts: list[str] = []
    spans: dict[int, tuple[int, int]] = {}
    pos = 0
    length = 0
    for m in PLACEHOLDER.finditer(output):
        number = int(m.group(1))
        if not 1 <= number <= len(protected.terms) or number in spans:
            continue
        before = output[pos : m.start()]
        rendering = protected.terms[number - 1][1]
        if english:
            before = fix_article(before, rendering)
            if capitalise and not "".join(parts).strip() and not before.strip():
                rendering = _capitalise(rendering, protected.terms[number - 1][2])
        parts.append(before)
        length += len(before)
        spans[number] = (length, length + len(rendering))
        parts.append(rendering)
        length += len(rendering)
        pos = m.end()
    parts.append(output[pos:])
    text = "".join(parts)
    # Placeholders the engine lost: back at the edge where they stood, or reported.
    source = protected.text
    for number, (_, rendering, entry, _) in enumerate(protected.terms, start=1):
        if number in spans:
            continue
        mark = placeholder(number)
        if source.strip().startswith(mark):
            text = _capitalise(rendering, entry) + " " + text.lstrip()
            spans = {
                k: (a + len(rendering) + 1, b + len(rendering) + 1) for k, (a, b) in spans.items()
            }
            spans[number] = (0, len(rendering))
            issues.append((IssueKind.TERM_RESTORED, f"at the start: {entry.zh} → {rendering}"))
        elif re.search(re.escape(mark) + r"[\s\W]*$", source):
            stripped = text.rstrip()
            end = re.search(r"[.!?。！？]*$", stripped).start()  # type: ignore[union-attr]
            text = stripped[:end] + (" " if english else "") + rendering + stripped[end:]
            spans[number] = (end + int(english), end + int(english) + len(rendering))
            issues.append((IssueKind.TERM_RESTORED, f"at the end: {entry.zh} → {rendering}"))
        else:
            issues.append((IssueKind.TERM_LOST, f"{entry.zh} → {rendering}"))
    applied = [
        AppliedTerm(src, rendering, entry, span, spans.get(i))
        for i, (src, rendering, entry, span) in enumerate(protected.terms, start=1)
    ]
    return text, applied, issues


def _locate(output: str, protected: Protected) -> list[AppliedTerm]:
    """Where each term's rendering stands in an output the engine wrote itself."""
    folded = output.casefold()
    applied, pos = [], 0
    for src, rendering, entry, span in protected.terms:
        at = folded.find(rendering.casefold(), pos) if rendering else -1
        if at < 0:
            at = folded.find(rendering.casefold()) if rendering else -1
        target = (at, at + len(rendering)) if at >= 0 else None
        if at >= 0:
            pos = at + len(rendering)
        applied.append(AppliedTerm(src, rendering, entry, span, target))
    return applied


def _capitalise(rendering: str, entry: Entry) -> str:
    if entry.case == "sensitive" or not rendering[:1].islower():
        return rendering
    return rendering[0].upper() + rendering[1:]


def fix_article(before: str, rendering: str) -> str:
    m = re.search(r"\b([Aa])(n?)(\s+)$", before)
    if not m:
        return before
    wants_an = bool(_VOWEL_SOUND.match(rendering))
    article = m.group(1) + ("n" if wants_an else "")
    return before[: m.start()] + article + m.group(3)


def check(
    text: str, applied: list[AppliedTerm], glossary: Glossary | None, target_lang: str
) -> list[TermIssue]:
    """Issues for terms none of whose approved renderings is in ``text``, and for forbidden
    renderings present in it."""
    if glossary is None:
        return []
    issues: list[TermIssue] = []
    folded = text.casefold()
    for term in applied:
        accepted = {term.target.casefold()} | glossary.renderings.get(term.entry.zh, frozenset())
        if term.target and not any(r and r in folded for r in accepted):
            issues.append((IssueKind.TERM_MISSING, f"{term.entry.zh} → {term.target}"))
    if target_lang == "en":
        for zh in dict.fromkeys(t.entry.zh for t in applied):
            issues += [
                (IssueKind.FORBIDDEN_TERM, f"{zh} → {en}")
                for en in glossary.forbidden.get(zh, ())
                if re.search(rf"\b{re.escape(en)}\b", folded)
            ]
    return issues


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.'’-]*(?:\s+[A-Z][A-Za-z0-9&.'’-]*){0,2}")


def protect_names(protected: Protected) -> Protected:
    """Latin names left in a Chinese sentence pass through as placeholders of themselves."""
    out, pos, terms = [], 0, list(protected.terms)
    text = protected.text
    for m in _LATIN_NAME.finditer(text):
        name = m.group()
        if not any(c.isupper() or c.isdigit() for c in name):
            continue
        out += [text[pos : m.start()], f"⟦{len(terms) + 1}⟧"]
        terms.append((name, name, Entry(name, name, "do-not-translate", "sensitive"), (-1, -1)))
        pos = m.end()
    out.append(text[pos:])
    return Protected("".join(out), terms)
