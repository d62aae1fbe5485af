"""The whole pipeline: repair → normalize → dedupe → translate, with a report of everything.

``Pipeline(**options).run(items)`` yields one :class:`Result` per item, lazily, so it can sit
inside a pandas or Hugging Face ``datasets`` map; the CLI's ``bilingual run`` is a thin
layer over it. Deduplication is across the whole run (a paragraph repeated in a later item
is a duplicate of the first), and happens before translation, so duplicates are never
translated. Removed paragraphs are in the report, never silently lost.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..dedupe import Deduper, ItemDeduper
from ..dedupe.stream import UnitFeatures
from ..document import Document
from ..errors import BilingualError, InputError
from ..options import PipelineOptions, make, memory_budget
from ..text.decode import decode
from ..text.markup import resolve_format, text_only
from ..text.normalize import explain
from ..text.segment import Segment
from ..translate import Translation, Translator
from ..translate.markup import translate_markup
from .report import Report

__all__ = ["Item", "Pipeline", "Result"]

Item = str | bytes | dict[str, Any] | None
"""What :meth:`Pipeline.run` takes: a text, bytes of any supported encoding, or a dict with
the text field (a missing value, None or NaN, passes through as an empty item, reported)."""


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
    error: BilingualError | None = None
    """Set when the item could not be read; ``text`` is then empty."""
    clean: str = ""
    """``source_text`` without its duplicate paragraphs: what was translated."""
    segments: list[Segment] = field(default_factory=list, repr=False)
    """The sentences of ``clean``, with their languages (empty without the segment step)."""
    units: list[tuple[str, int, int]] = field(default_factory=list, repr=False)
    """The kept paragraphs: their unit ids (as duplicates name them) and spans in ``clean``."""


@dataclass
class Prepared:
    """An item between the stages (what crosses between worker processes)."""

    doc: Document
    features: list[UnitFeatures] | None = None
    """Its units' dedupe features, when a worker computed them."""
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[Segment] = field(default_factory=list)
    translation: Translation | None = None
    error: BilingualError | None = None
    """An input the pipeline could not read (binary, undecodable): reported, not fatal."""


class Pipeline:
    """``Pipeline(options, **overrides)``: the options of :class:`PipelineOptions` (``to``,
    ``glossaries``, ``engine``, ``memory``, ``steps``, ``threshold``, ...), checked here, so a
    bad value fails before any work. Glossaries with lint errors are refused."""

    def __init__(self, options: PipelineOptions | None = None, **overrides: Any) -> None:
        self.options = make(PipelineOptions, options, **overrides)
        steps = self.options.steps
        self.translating = "translate" in steps and self.options.to != "none"
        self._deduper = ItemDeduper(self.new_deduper() if "dedupe" in steps else None)
        normalize = "normalize" in steps
        self._normalize = make(
            PipelineOptions,
            self.options,
            repair="repair" in steps,
            **({} if normalize else {"width": False, "punctuation": False, "spacing": False}),
            **({} if normalize else {"quotes": "keep"}),
        )
        if self.translating or "dedupe" in steps:
            _ = self.translator  # glossary, memory and engine errors surface here, not later
        self.report = Report()

    def new_deduper(self) -> Deduper:
        """An empty index with the run's options (and the statistics engine's English for
        cross-lingual matching)."""
        o = self.options
        return Deduper(
            threshold=o.threshold,
            paraphrase=o.paraphrase,
            cross_lingual=o.cross_lingual,
            translator=self._dedupe_translator,
            semantic=o.semantic,
            memory_budget=memory_budget(o.memory_budget),
        )

    def __reduce__(self) -> tuple[Any, tuple[PipelineOptions]]:
        """A pipeline pickles as its options: unpickled, it is a fresh one (no index, an empty
        report). This is what lets Hugging Face ``datasets`` hash a generator that uses it."""
        return Pipeline, (self.options,)

    @cached_property
    def translator(self) -> Translator:
        """The pair's glossary, memory and engine, loaded once. Without translation (``to``
        none), the statistics engine: deduplication compares its English with English."""
        o = self.options
        if not self.translating:  # no fallback or GPU for what only dedupe compares
            plain = o.with_(fallback=None, device="cpu")
            return Translator("zh", "en", engine="statistics", memory=None, options=plain)
        return Translator(o.source_lang, o.to, options=o)

    def _dedupe_translator(self, chinese: str) -> str:
        """Chinese → English for cross-lingual matching: the statistics engine, exact or
        nothing, with the run's glossary."""
        (result,) = self._statistics([(chinese, Document("", chinese).sentences)])
        return result.text

    @cached_property
    def _statistics(self) -> Translator:
        t = self.translator
        engine = t.engine if t.engine.name == "statistics" else "statistics"
        return Translator("zh", "en", glossary=t.glossary, engine=engine, memory=None)

    def run(self, items: Iterable[Item], *, jobs: int | None = None) -> Iterator[Result]:
        """Process ``items``, yielding results in input order; ``self.report`` accumulates as
        they go. ``jobs`` (default: the ``jobs`` option): with more than one, repair,
        normalize, the dedupe features and translation run in that many worker processes,
        while the deduplication index stays in this process, exact across the whole input."""
        jobs = self.options.jobs if jobs is None else jobs
        if jobs <= 1:
            for number, item in enumerate(items):
                prepared = self.dedupe(self.prepare(number, item))
                yield self.finish(self.translate(prepared))
            return
        from .parallel import run_parallel

        yield from run_parallel(self, items, jobs)

    def prepare(self, number: int, item: Item) -> Prepared:
        """Repair and normalize one item into a :class:`Document`; errors are kept, not raised."""
        try:
            return Prepared(self._document(number, item))
        except BilingualError as e:
            return Prepared(Document(str(number), ""), error=e)

    def _document(self, number: int, item: Item) -> Document:
        o = self.options
        raw: Any = item
        item_id = str(number)
        if isinstance(item, dict):
            raw = item.get(o.field_name)
            if o.id_field and item.get(o.id_field) is not None:
                item_id = str(item[o.id_field])
        if raw is None or (isinstance(raw, float) and math.isnan(raw)):
            raise InputError(f"item {item_id}: no text in field {o.field_name!r} (missing value)")
        if not isinstance(raw, (str, bytes)):
            raise InputError(f"item {item_id}: field {o.field_name!r} is not text")
        if "repair" in o.steps or "normalize" in o.steps:
            text, changes = explain(raw, self._normalize)
            return Document(item_id, text, changes)
        return Document(item_id, decode(raw)[0] if isinstance(raw, bytes) else raw)

    def dedupe_view(self, doc: Document) -> Document:
        """What deduplication compares: ``doc``, or for a Markdown or HTML document its text
        alone (markup blanked out, paragraphs in place), so tags and code never count."""
        fmt = resolve_format(self.options.input_format, doc.text)
        if fmt == "text":
            return doc
        return Document(doc.id, text_only(doc.text, fmt), spans=doc.paragraphs)

    def dedupe(self, prepared: Prepared) -> Prepared:
        """Compare the item's paragraphs with everything kept before (in this process)."""
        if prepared.error:
            return prepared
        doc = prepared.doc
        self.report.items += 1
        self.report.changes.update(doc.change_counts)
        view = self.dedupe_view(doc)
        prepared.duplicates = self._deduper.add(view, features=prepared.features)
        doc.removed |= view.removed
        prepared.features = None  # not needed any more
        self.report.paragraphs = self._deduper.units
        for duplicate in prepared.duplicates:
            self.report.add("duplicates", duplicate)
        deduper = self._deduper.deduper
        if deduper is not None:
            self.report.boilerplate = deduper.boilerplate
        return prepared

    def translate(self, prepared: Prepared) -> Prepared:
        if not prepared.error:
            prepared.sentences, prepared.translation = self.translate_document(prepared.doc)
        return prepared

    def translate_document(self, doc: Document) -> tuple[list[Segment], Translation | None]:
        """The kept text's sentences (empty without the segment step) and its translation
        (None without the translate step)."""
        steps = self.options.steps
        sentences = doc.sentences if "segment" in steps or self.translating else []
        translation = None
        if self.translating:
            fmt = resolve_format(self.options.input_format, doc.kept)
            if fmt != "text":  # a Markdown or HTML document: only its text runs
                translation = translate_markup(self.translator, doc.kept, fmt)
            else:
                (translation,) = self.translator([(doc.kept, sentences)])
        return (sentences if "segment" in steps else []), translation

    def finish(self, prepared: Prepared) -> Result:
        doc = prepared.doc
        result = Result(
            doc.id,
            doc.kept,
            doc.text,
            prepared.duplicates,
            error=prepared.error,
            clean=doc.kept,
            segments=prepared.sentences,
            units=[(f"{doc.id}#{k}", a, b) for k, a, b in doc.kept_units],
        )
        self.report.segments.update(s.lang for s in prepared.sentences)
        if prepared.translation is not None:
            result.text = prepared.translation.text
            result.translation = prepared.translation
            self.report.count(prepared.translation, doc.id)
        return result
