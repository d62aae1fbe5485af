"""A run's result as the review page shows it: documents with source and translation side
by side, sentence by sentence, with glossary terms and issues placed by span, duplicates
linked to the paragraph kept, and people's translations from the memory in place.

Everything comes from ``bilingual run --format jsonl``: ``<field>_clean`` (what was
translated), ``<field>_en`` or ``<field>_zh``, ``paragraphs`` (kept paragraphs by unit id),
``duplicates`` and ``translation`` (terms, issues and the alignment, by span).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from ... import io
from ...errors import InputError

Span = tuple[int, int]


@dataclass
class Sentence:
    """A translated sentence: where it is on both sides, and how it was translated."""

    source: Span
    target: Span
    how: str


@dataclass
class Record:
    """One document of the result."""

    index: int
    id: str
    source: str
    target: str
    pieces: list[tuple[Span, Span, str]]
    units: list[tuple[str, int, int]]
    duplicates: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    issues: list[dict[str, Any]]
    sentences: list[Sentence] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.sentences = [Sentence(s, t, how) for s, t, how in self.pieces if how != "copy"]

    def sentence_text(self, n: int) -> str:
        a, b = self.sentences[n].source
        return self.source[a:b]


def read_result(path: str | os.PathLike[str], field_name: str) -> tuple[list[Record], str, str]:
    """The documents of a ``bilingual run --format jsonl`` result, and its language pair."""
    name = os.fspath(path)
    records: list[Record] = []
    pair = ("zh", "en")
    with BytesIO(io.read_file(name, MAX_RESULT_BYTES)) as stream:
        for number, obj in io.iter_jsonl(stream, name):
            if isinstance(obj, InputError):
                raise obj
            clean = obj.get(f"{field_name}_clean")
            target_field = next((f for f in ("en", "zh") if f"{field_name}_{f}" in obj), None)
            if not isinstance(clean, str) or "translation" not in obj or target_field is None:
                raise InputError(
                    f"not a translated `bilingual run --format jsonl` result of this version "
                    f"(no {field_name}_clean, {field_name}_en or translation field)",
                    source=name,
                    line=number,
                )
            pair = ("en", "zh") if target_field == "zh" else ("zh", "en")
            try:
                records.append(_record(obj, len(records), number, clean, field_name, target_field))
            except (KeyError, TypeError, ValueError) as e:
                raise InputError(
                    f"not a `bilingual run --format jsonl` result: a field of the wrong shape "
                    f"({type(e).__name__}: {str(e)[:60]})",
                    source=name,
                    line=number,
                ) from e
    if not records:
        raise InputError("no documents in the result", source=name)
    return records, *pair


MAX_RESULT_BYTES = 1024**3
"""The largest result reviewed (1 GiB)."""


def _record(
    obj: dict[str, Any], index: int, number: int, clean: str, field_name: str, target: str
) -> Record:
    """One document of a result; a field of the wrong shape is a KeyError, TypeError or
    ValueError (the caller names the line)."""
    translation = obj["translation"]
    text = obj[f"{field_name}_{target}"]
    if not isinstance(text, str):
        raise TypeError(f"{field_name}_{target} is not a string")
    pieces = [((a, b), (c, d), how) for a, b, c, d, how in translation["alignment"]]
    units = [(u, a, b) for u, a, b in obj.get("paragraphs") or []]
    lists = [obj.get("duplicates"), translation.get("terms"), translation.get("issues")]
    for value in lists:
        if not isinstance(value or [], list) or not all(isinstance(v, dict) for v in value or []):
            raise TypeError("duplicates, terms and issues are lists of objects")
    if not all(isinstance(n, int) for piece in pieces for span in piece[:2] for n in span):
        raise ValueError("the alignment holds spans of numbers")
    duplicates, terms, issues = (list(value or []) for value in lists)
    return Record(
        index=index,
        id=str(obj.get("id", number)),
        source=clean,
        target=text,
        pieces=pieces,
        units=units,
        duplicates=duplicates,
        terms=terms,
        issues=issues,
    )


def read_report(path: str | os.PathLike[str] | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(io.read_file(path).decode("utf-8"), parse_constant=io.no_constant)
    except InputError:
        raise
    except (UnicodeDecodeError, ValueError, RecursionError) as e:  # NaN, 5,000 digits, [[[…
        problem = "nested too deeply" if isinstance(e, RecursionError) else str(e)[:80]
        raise InputError(
            f"not a report of `bilingual run --report`: {problem}", source=str(path)
        ) from e
    if not isinstance(data, dict):
        raise InputError("not a report of `bilingual run --report`", source=str(path))
    return {k: v for k, v in data.items() if k not in ("duplicates", "untranslated")}


def _find(text: str, needle: str, span: Span) -> Span | None:
    """Where ``needle`` is inside ``span`` of ``text`` (case-insensitive), if it is."""
    if not needle:
        return None
    at = text.casefold().find(needle.casefold(), span[0], span[1])
    return (at, at + len(needle)) if at >= 0 else None


def document(record: Record, human: dict[str, str], unit_docs: dict[str, int]) -> dict[str, Any]:
    """The page's model of one document; ``human``: people's translations from the memory
    by source sentence (they replace what the run wrote)."""
    from ...translate.memory import key_text

    target_parts: list[str] = []
    moved: list[tuple[Span, Span, str]] = []  # pieces with their new target spans
    at = 0
    for source, target, how in record.pieces:
        text = record.target[target[0] : target[1]]
        if how != "copy":
            person = human.get(key_text(record.source[source[0] : source[1]]))
            if person is not None:
                text, how = person, "human"
        target_parts.append(text)
        moved.append((source, (at, at + len(text)), how))
        at += len(text)
    target_text = "".join(target_parts) if record.pieces else record.target

    def to_target(pos: int, end: bool = False) -> int:
        """A source offset's place in the translation (the end of a span with ``end``)."""
        for (a, b), (c, d), _ in moved:
            if (a < pos <= b) if end else (a <= pos < b):
                return d if pos == b else c + min(pos - a, d - c)
        return len(target_text) if end or pos >= len(record.source) else 0

    sentences: list[dict[str, Any]] = []
    before: list[Span] = []  # each sentence's span in the run's translation
    for (source, target, how), (_, old, was) in zip(moved, record.pieces, strict=True):
        if was == "copy":
            continue
        sentences.append(
            {"n": len(sentences), "source": list(source), "target": list(target), "how": how}
        )
        sentences[-1]["issues"] = []
        before.append(old)
    marks: list[dict[str, Any]] = []
    for term in record.terms:
        a, b = term["source_span"]
        title = f"glossary: {record.source[a:b]} → {term['target']}"
        owner = next(
            (i for i, s in enumerate(sentences) if s["source"][0] <= a < s["source"][1]), None
        )
        found: Span | None = None
        if owner is not None and sentences[owner]["how"] == "human":  # where a person put it
            sentence = sentences[owner]
            found = _find(
                target_text, term["target"], (sentence["target"][0], sentence["target"][1])
            )
        elif owner is not None and term["target_span"] is not None:
            shift = sentences[owner]["target"][0] - before[owner][0]
            found = (term["target_span"][0] + shift, term["target_span"][1] + shift)
        marks.append(_mark("source", a, b, "term" if found else "term-lost", title))
        if found:
            marks.append(_mark("target", *found, "term", title))
    for issue in record.issues:
        _place_issue(issue, record, sentences, target_text, marks)
    return {
        "index": record.index,
        "id": record.id,
        "source": record.source,
        "target": target_text,
        "sentences": sentences,
        "marks": marks,
        "rows": _rows(record, to_target, unit_docs),
    }


def _mark(side: str, start: int, end: int, kind: str, title: str) -> dict[str, Any]:
    return {"side": side, "start": start, "end": end, "kind": kind, "title": title}


def _place_issue(
    issue: dict[str, Any],
    record: Record,
    sentences: list[dict[str, Any]],
    target_text: str,
    marks: list[dict[str, Any]],
) -> None:
    """An issue marked where it is: the untranslated words, the term concerned, or the
    sentence (numbers); listed with its sentence."""
    kind, detail = issue["kind"], issue["detail"]
    span: Span = (
        (issue["span"][0], issue["span"][1]) if issue.get("span") else (0, len(record.source))
    )
    inside = [s for s in sentences if span[0] <= s["source"][0] and s["source"][1] <= span[1]]
    sentence = inside[0] if inside else None
    if sentence is not None:
        sentence["issues"].append({"kind": kind, "detail": detail})
    where: Span = (sentence["source"][0], sentence["source"][1]) if sentence else span
    title = f"{kind}: {detail}"
    zh, _, en = detail.partition(" → ")
    found: Span | None = None
    if kind == "untranslated":
        found = _find(record.source, detail, where)
    elif kind.startswith("term") or kind == "forbidden-term":
        for term in record.terms:
            a, b = term["source_span"]
            if where[0] <= a and b <= where[1] and term["target"].casefold() == en.casefold():
                found = (a, b)
                break
        found = found or _find(record.source, zh, where)
    a, b = found or where
    marks.append(_mark("source", a, b, "issue", title))
    if sentence is None or sentence["how"] == "human":
        return
    target_span: Span = (sentence["target"][0], sentence["target"][1])
    on_target: Span | None = None
    if kind == "untranslated":
        on_target = _find(target_text, detail, target_span)
    elif kind == "forbidden-term":
        on_target = _find(target_text, en, target_span)
    a, b = on_target or target_span
    marks.append(_mark("target", a, b, "issue", title))


def _rows(record: Record, to_target: Any, unit_docs: dict[str, int]) -> list[dict[str, Any]]:
    """The document's paragraphs in their original order: kept ones with both sides, the
    duplicates removed in their place, linked to the paragraph kept."""
    rows: list[tuple[int, dict[str, Any]]] = []
    summaries: dict[str, list[dict[str, Any]]] = {}
    for dup in record.duplicates:
        link = {
            "unit": dup["unit"],
            "of": dup["duplicate_of"],
            "of_document": unit_docs.get(dup["duplicate_of"]),
            "kind": dup["kind"],
            "score": dup["score"],
            "paraphrase": dup.get("paraphrase", False),
        }
        if dup.get("summary"):
            summaries.setdefault(dup["unit"], []).append(link)
            continue
        rows.append((_order(dup["unit"]), {"removed": True, "text": dup["text"], **link}))
    for unit, a, b in record.units:
        row = {
            "removed": False,
            "unit": unit,
            "source": [a, b],
            "target": [to_target(a), to_target(b, end=True)],
            "summary_of": summaries.get(unit, []),
        }
        rows.append((_order(unit), row))
    rows.sort(key=lambda r: r[0])
    return [row for _, row in rows]


def _order(unit: str) -> int:
    tail = unit.rpartition("#")[2]
    return int(tail) if tail.isdigit() else 0
