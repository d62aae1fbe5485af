"""The whole pipeline: repair → normalize → dedupe → translate, with a report of everything.

``Pipeline(**options).run(items)`` yields one :class:`Result` per item, lazily, so it can sit
inside a pandas or Hugging Face ``datasets`` map; the CLI's ``bilingual run`` is a thin
layer over it. Deduplication is across the whole run (a paragraph repeated in a later item
is a duplicate of the first), and happens before translation, so duplicates are never
translated. Removed paragraphs are in the report, never silently lost.
"""

from __future__ import annotations

import collections
import itertools
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from .dedupe import Deduper, Features, ItemDeduper
from .errors import BilingualError, ConfigError
from .glossary import Glossary
from .normalize import explain
from .segment import Segment, segment
from .translate import Memory, Translation, get_engine, translate

__all__ = ["STEPS", "Pipeline", "Report", "Result"]

Sentence = tuple[int, int, str, float | None]
"""(start, end, language, mixed) of a sentence: compact to send between processes."""

STEPS = ("repair", "normalize", "segment", "translate", "dedupe")
BUNDLED_GLOSSARIES = ("automotive", "battery-recycling", "nickel-stainless", "organisations")


@dataclass
class _Prepared:
    """An item between the stages (what crosses between worker processes)."""

    id: str
    text: str
    changes: Counter[str]
    units: list[tuple[int, int, Features | int | None]] | None = None
    """The paragraphs and their dedupe features, when a worker computed them."""
    kept: str = ""
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    translation: Translation | None = None
    error: str | None = None
    """An input the pipeline could not read (binary, undecodable): reported, not fatal."""


@dataclass
class Result:
    """One item after the pipeline."""

    id: str
    text: str
    """The output: kept paragraphs, translated."""
    source_text: str
    """The input, repaired and normalized."""
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    translation: Translation | None = None
    error: str | None = None
    """Set when the item could not be read; ``text`` is then empty."""
    clean: str = ""
    """``source_text`` without its duplicate paragraphs: what was translated."""
    sentences: list[Sentence] = field(default_factory=list, repr=False)

    @property
    def segments(self) -> list[Segment]:
        """The sentences of ``clean``, with their languages (empty without the segment step)."""
        return [Segment(self.clean[a:b], a, b, lang, mixed) for a, b, lang, mixed in self.sentences]


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
    _lists: Any = field(default=None, repr=False)

    def add(self, name: Literal["duplicates", "untranslated"], entry: dict[str, Any]) -> None:
        """Record one entry of a list; duplicates are counted by kind as they come."""
        if name == "duplicates":
            self.duplicate_kinds["summary" if entry["summary"] else entry["kind"]] += 1
        if self._lists is None:
            # Lives as long as the report; the file goes when it is garbage collected.
            self._lists = tempfile.SpooledTemporaryFile(16 << 20, "w+", encoding="utf-8")  # noqa: SIM115
        self._lists.write(json.dumps([name, entry], ensure_ascii=False, default=str) + "\n")

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
            f"term usage {rate:.0%}; issues: {issues}"
        )

    @property
    def strict_failures(self) -> int:
        """Number mismatches, lost terms and untranslated spans: what ``--strict`` refuses."""
        return sum(
            n
            for kind, n in self.issues.items()
            if kind.startswith("number-") or kind in ("term-lost", "untranslated")
        )


class Pipeline:
    """``Pipeline(to="en", glossaries=..., engine="auto", memory=None, steps=STEPS)``."""

    def __init__(
        self,
        *,
        to: Literal["en", "zh", "none"] = "en",
        glossaries: Iterable[str | os.PathLike[str]] = BUNDLED_GLOSSARIES,
        engine: str = "auto",
        memory: str | os.PathLike[str] | None = None,
        steps: Iterable[str] = STEPS,
        threshold: float = 0.8,
        paraphrase: float | None = 0.45,
        field_name: str = "text",
        id_field: str | None = None,
    ) -> None:
        self.steps = tuple(steps)
        unknown = set(self.steps) - set(STEPS)
        if unknown:
            raise ConfigError(
                f"unknown step(s) {', '.join(sorted(unknown))}; choose from {', '.join(STEPS)}"
            )
        if to not in ("en", "zh", "none"):
            raise ConfigError(f"to must be en, zh or none, not {to!r}")
        self.to = to
        self.glossary = Glossary.load(*glossaries, checked=True) if glossaries else None
        self.engine_name = engine
        self._engine: Any = None
        self.memory = Memory(memory) if memory is not None else None
        self._items = ItemDeduper(
            Deduper(threshold=threshold, paraphrase=paraphrase) if "dedupe" in self.steps else None
        )
        self.field_name = field_name
        self.id_field = id_field
        self.report = Report()
        self._options = dict(
            to=to,
            glossaries=tuple(glossaries),
            engine=engine,
            memory=memory,
            steps=self.steps,
            threshold=threshold,
            paraphrase=paraphrase,
            field_name=field_name,
            id_field=id_field,
        )

    def __reduce__(self) -> tuple[Any, tuple[dict[str, Any]]]:
        """A pipeline pickles as its options: unpickled, it is a fresh one (no index, an empty
        report). This is what lets Hugging Face ``datasets`` hash a generator that uses it."""
        return _from_options, (self._options,)

    def _translator(self) -> Any:
        if self._engine is None:
            source = "zh" if self.to == "en" else "en"
            self._engine = get_engine(self.engine_name, source, self.to)
        return self._engine

    def run(
        self, items: Iterable[str | bytes | dict[str, Any]], *, jobs: int = 1
    ) -> Iterator[Result]:
        """Process ``items`` (texts, bytes of any supported encoding, or dicts with the text
        field), yielding results in input order; ``self.report`` accumulates as they go.

        With ``jobs > 1``, repair/normalize, the features deduplication compares (MinHash
        signatures, figures, words) and translation run in that many worker processes (each
        loads the glossary and engine once; they share the memory file), while the
        deduplication index stays in this process, so it is exact across the whole input.
        """
        if jobs <= 1:
            for number, item in enumerate(items):
                prepared = self._dedupe_step(self._safe_prepare(number, item))
                yield self._finish(self._translate(prepared))
            return
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs, initializer=_start_worker, initargs=(self._options,)) as pool:
            yield from self._run_parallel(pool, items, jobs)

    def _run_parallel(
        self, pool: Any, items: Iterable[str | bytes | dict[str, Any]], jobs: int
    ) -> Iterator[Result]:
        """Batches through two pool stages, a few batches in flight so that the workers stay
        busy while this process deduplicates, and memory stays bounded whatever the input."""
        batch_size = 256 * jobs  # 20,000 documents, 2 jobs: 14.6 s at 32, 12.0 at 256, 11.7 at 1024

        def chunksize(batch: list[Any]) -> int:
            return max(1, len(batch) // (4 * jobs))  # four tasks a worker

        numbered = enumerate(items)
        batches = iter(lambda: list(itertools.islice(numbered, batch_size)), [])
        preparing: collections.deque[Any] = collections.deque()
        translating: collections.deque[Any] = collections.deque()

        def dedupe_oldest() -> None:
            deduped = [self._dedupe_step(p) for p in preparing.popleft().get()]
            texts = [None if p.error else p.kept for p in deduped]  # only what workers need
            translated = pool.map_async(_worker_translate, texts, chunksize(texts))
            translating.append((deduped, translated))

        def finish_oldest() -> Iterator[Result]:
            deduped, translated = translating.popleft()
            for prepared, done in zip(deduped, translated.get(), strict=True):
                if done is not None:
                    prepared.sentences, prepared.translation = done
                yield self._finish(prepared)

        for batch in batches:
            preparing.append(pool.map_async(_worker_prepare, batch, chunksize(batch)))
            if len(preparing) > 2:
                dedupe_oldest()
            if len(translating) > 1:
                yield from finish_oldest()
        while preparing:
            dedupe_oldest()
        while translating:
            yield from finish_oldest()

    def _safe_prepare(self, number: int, item: str | bytes | dict[str, Any]) -> _Prepared:
        try:
            return self._prepare(number, item)
        except BilingualError as e:
            return _Prepared(str(number), "", Counter(), error=str(e))

    def _prepare(self, number: int, item: str | bytes | dict[str, Any]) -> _Prepared:
        if isinstance(item, dict):
            raw = item.get(self.field_name)
            if not isinstance(raw, str):
                raise ConfigError(f"item {number}: no string field {self.field_name!r}")
            item_id = str(item.get(self.id_field, number)) if self.id_field else str(number)
        else:
            raw, item_id = item, str(number)
        text = raw
        changes: Counter[str] = Counter()
        if "repair" in self.steps or "normalize" in self.steps:
            text, found = explain(
                raw,
                repair="repair" in self.steps,
                **({} if "normalize" in self.steps else _REPAIR_ONLY),
            )
            changes.update(c.stage for c in found)
        elif isinstance(raw, bytes):
            from .repair import decode

            text = decode(raw)[0]
        return _Prepared(item_id, text, changes)

    def _dedupe_step(self, prepared: _Prepared) -> _Prepared:
        if prepared.error:
            return prepared
        self.report.items += 1
        self.report.changes.update(prepared.changes)
        prepared.kept, prepared.duplicates = self._items.item(
            prepared.text, prepared.id, units=prepared.units
        )
        prepared.units = None  # not needed any more
        self.report.paragraphs = self._items.units
        for duplicate in prepared.duplicates:
            self.report.add("duplicates", duplicate)
        return prepared

    def _translate(self, prepared: _Prepared) -> _Prepared:
        if not prepared.error:
            prepared.sentences, prepared.translation = self._translate_text(prepared.kept)
        return prepared

    def _translate_text(self, text: str) -> tuple[list[Sentence], Translation | None]:
        """The sentences (empty without the segment step), and the translation (None
        without the translate step)."""
        sentences: list[Sentence] = []
        if "segment" in self.steps:
            sentences = [(s.start, s.end, s.lang, s.mixed) for s in segment(text, "sentence")]
        if "translate" not in self.steps or self.to == "none":
            return sentences, None
        source = "zh" if self.to == "en" else "en"
        (translation,) = translate(
            text,
            source,
            self.to,
            glossary=self.glossary,
            engine=self._translator(),
            memory=self.memory,
        )
        return sentences, translation

    def _finish(self, prepared: _Prepared) -> Result:
        result = Result(
            prepared.id,
            prepared.kept,
            prepared.text,
            prepared.duplicates,
            error=prepared.error,
            clean=prepared.kept,
            sentences=prepared.sentences,
        )
        self.report.segments.update(lang for _, _, lang, _ in prepared.sentences)
        if prepared.translation is not None:
            result.text = prepared.translation.text
            result.translation = prepared.translation
            self._count(prepared.translation, prepared.id)
        return result

    def _count(self, translation: Translation, item_id: str) -> None:
        if translation.engine != "none":
            self.report.engines[translation.engine] += translation.sentences
        self.report.sentences_translated += translation.sentences
        self.report.memory_hits += translation.memory_hits
        self.report.terms_applied += len(translation.terms)
        self.report.terms_rendered += sum(t.target_span is not None for t in translation.terms)
        for issue in translation.issues:
            self.report.issues[issue.kind] += 1
            if issue.kind == "untranslated":
                self.report.add(
                    "untranslated", {"item": item_id, "span": issue.span, "text": issue.detail}
                )


def _from_options(options: dict[str, Any]) -> Pipeline:
    return Pipeline(**options)


_REPAIR_ONLY = {"width": False, "punctuation": False, "spacing": False, "quotes": "keep"}

_WORKER: Pipeline | None = None


def _start_worker(options: dict[str, Any]) -> None:
    """Each worker builds its own pipeline once: glossary and engine loaded per process.
    Its deduper only computes features; the index is the main process's."""
    global _WORKER
    _WORKER = Pipeline(**options)


def _worker_prepare(job: tuple[int, str | bytes | dict[str, Any]]) -> _Prepared:
    assert _WORKER is not None
    prepared = _WORKER._safe_prepare(*job)
    if not prepared.error and _WORKER._items.deduper is not None:
        prepared.units = _WORKER._items.features(prepared.text)
    return prepared


def _worker_translate(text: str | None) -> tuple[Counter[str], Translation | None] | None:
    assert _WORKER is not None
    return None if text is None else _WORKER._translate_text(text)
