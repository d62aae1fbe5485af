"""The run report: counts of everything the pipeline did, every duplicate and every
untranslated span."""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from ..translate.result import IssueKind, Translation

__all__ = ["Report", "boilerplate_counts"]


def boilerplate_counts(seen: Counter[str], limit: int = 50) -> dict[str, int]:
    """The affixes seen on two units or more, most frequent first (of equal counts, in
    character order: the same whatever order the counts were added up in)."""
    ranked = sorted((item for item in seen.items() if item[1] >= 2), key=lambda i: (-i[1], i[0]))
    return dict(ranked[:limit])


@dataclass
class Report:
    """Counts of everything the pipeline did, and every duplicate and untranslated span.

    The lists can grow with the input (a corpus with boilerplate has a duplicate in every
    document), so they wait in a temporary file, in memory up to 16 MB and on disk beyond:
    :meth:`write_json` streams them out, ``duplicates`` and ``untranslated`` read them back.
    """

    items: int = 0
    paragraphs: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    segments: Counter[str] = field(default_factory=Counter)
    engines: Counter[str] = field(default_factory=Counter)
    sentences_translated: int = 0
    memory_hits: int = 0
    terms_applied: int = 0
    terms_rendered: int = 0
    issues: Counter[str] = field(default_factory=Counter)
    duplicate_kinds: Counter[str] = field(default_factory=Counter)
    usage: Counter[str] = field(default_factory=Counter)
    """Requests, characters, tokens and estimated cost of engines that call a server."""
    boilerplate: Counter[str] = field(default_factory=Counter)
    """Datelines and site affixes that deduplication ignored, with how many units had them."""
    _lists: Any = field(default=None, repr=False)

    def add(self, name: Literal["duplicates", "untranslated"], entry: dict[str, Any]) -> None:
        """Record one entry of a list; duplicates are counted by kind as they come."""
        if name == "duplicates":
            self.duplicate_kinds["summary" if entry["summary"] else entry["kind"]] += 1
        if self._lists is None:
            # Lives as long as the report; the file goes when it is garbage collected.
            self._lists = tempfile.SpooledTemporaryFile(16 << 20, "w+", encoding="utf-8")  # noqa: SIM115
        self._lists.write(json.dumps([name, entry], ensure_ascii=False, default=str) + "\n")

    def __getstate__(self) -> dict[str, Any]:
        """A report pickles with its lists (a Dask partition's report goes to the client)."""
        state = dict(self.__dict__)
        state["_lists"] = list(self._lines())
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        lines = state.pop("_lists")
        self.__dict__.update(state, _lists=None)
        self._extend(lines)

    def _lines(self) -> Iterator[str]:
        if self._lists is None:
            return
        self._lists.seek(0)
        try:
            yield from self._lists
        finally:
            self._lists.seek(0, os.SEEK_END)

    def _extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            if self._lists is None:
                self._lists = tempfile.SpooledTemporaryFile(16 << 20, "w+", encoding="utf-8")  # noqa: SIM115
            self._lists.write(line)

    def merge(self, other: Report) -> None:
        """Add ``other``'s counts and lists (a later part of the same run) to this one."""
        for name in ("items", "paragraphs", "sentences_translated", "memory_hits"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.terms_applied += other.terms_applied
        self.terms_rendered += other.terms_rendered
        for name in ("changes", "segments", "engines", "issues", "duplicate_kinds", "usage"):
            getattr(self, name).update(getattr(other, name))
        self.boilerplate.update(other.boilerplate)
        self._extend(other._lines())

    def _entries(self, name: str) -> Iterator[dict[str, Any]]:
        if self._lists is None:
            return
        self._lists.seek(0)
        try:
            for line in self._lists:
                kind, entry = json.loads(line)
                if kind == name:
                    yield entry
        finally:
            self._lists.seek(0, os.SEEK_END)

    @property
    def duplicates(self) -> list[dict[str, Any]]:
        return list(self._entries("duplicates"))

    @property
    def untranslated(self) -> list[dict[str, Any]]:
        return list(self._entries("untranslated"))

    def counts(self) -> dict[str, Any]:
        """Everything but the lists."""
        return {
            "items": self.items,
            "paragraphs": self.paragraphs,
            "changes_by_stage": dict(self.changes),
            "segments_by_language": dict(self.segments),
            "translations_by_engine": dict(self.engines),
            "sentences_translated": self.sentences_translated,
            "memory_hits": self.memory_hits,
            "glossary_terms_applied": self.terms_applied,
            "term_usage_rate": round(self.terms_rendered / self.terms_applied, 3)
            if self.terms_applied
            else 1.0,
            "issues_by_kind": dict(self.issues),
            "duplicates_by_kind": dict(self.duplicate_kinds),
            "engine_usage": dict(self.usage),
            "boilerplate": boilerplate_counts(self.boilerplate),
        }

    def to_dict(self) -> dict[str, Any]:
        return self.counts() | {"duplicates": self.duplicates, "untranslated": self.untranslated}

    def write_json(self, out: IO[str], **extra: Any) -> None:
        """The report as one JSON object, the lists streamed from their temporary file."""
        head = json.dumps(self.counts() | extra, ensure_ascii=False, indent=1, default=str)
        out.write(head[:-2])  # without the closing "\n}"
        for name in ("duplicates", "untranslated"):
            out.write(f',\n "{name}": [')
            for n, entry in enumerate(self._entries(name)):
                out.write(("," if n else "") + "\n  " + json.dumps(entry, ensure_ascii=False))
            out.write("\n ]")
        out.write("\n}\n")

    def summary(self) -> str:
        dups = ", ".join(f"{n} {k}" for k, n in sorted(self.duplicate_kinds.items())) or "none"
        issues = ", ".join(f"{n} {k}" for k, n in sorted(self.issues.items())) or "none"
        rate = self.terms_rendered / self.terms_applied if self.terms_applied else 1.0
        return (
            f"{self.items} item(s), {self.paragraphs} paragraphs; changes: "
            f"{sum(self.changes.values())}; duplicates: {dups}; sentences translated: "
            f"{self.sentences_translated} ({self.memory_hits} from memory); "
            f"term usage {rate:.0%}; issues: {issues}" + usage_summary(self.usage)
        )

    @property
    def strict_failures(self) -> int:
        """Number mismatches, lost terms and untranslated spans: what ``--strict`` refuses."""
        return sum(n for kind, n in self.issues.items() if IssueKind(kind).strict)

    def count(self, translation: Translation, item_id: str) -> None:
        """Add one item's translation: engines, memory hits, terms, issues."""
        if translation.engine != "none":
            self.engines[translation.engine] += translation.sentences
        self.sentences_translated += translation.sentences
        self.memory_hits += translation.memory_hits
        self.usage.update(translation.usage)
        self.terms_applied += len(translation.terms)
        self.terms_rendered += sum(t.target_span is not None for t in translation.terms)
        for issue in translation.issues:
            self.issues[issue.kind] += 1
            if issue.kind == IssueKind.UNTRANSLATED:
                self.add(
                    "untranslated", {"item": item_id, "span": issue.span, "text": issue.detail}
                )


def usage_summary(usage: Counter[str] | dict[str, float]) -> str:
    """``; openai: 3 requests, 1,204 tokens, est. cost 0.0021`` for engines that called a
    server; empty otherwise."""
    parts = []
    for engine in dict.fromkeys(key.split(".")[0] for key in usage):
        n = {k.split(".", 1)[1]: v for k, v in usage.items() if k.startswith(engine + ".")}
        if not n.get("requests"):
            continue
        tokens = n.get("input_tokens", 0) + n.get("output_tokens", 0)
        billed = f"{tokens:,.0f} tokens" if tokens else f"{n.get('characters', 0):,.0f} characters"
        requests = f"{n['requests']:,.0f} request" + ("s" if n["requests"] != 1 else "")
        text = f"{engine}: {requests}, {billed}"
        if n.get("retries"):
            text += f", {n['retries']:,.0f} retried"
        if "cost" in n:
            text += f", est. cost {n['cost']:.4g}"
        parts.append(text)
    return "".join(f"; {p}" for p in parts)
