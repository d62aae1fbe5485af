"""Translating texts: sentences to jobs, the memory, the engine, then terms and checks.

:class:`Translator` holds a language pair's glossary, engine and memory; :func:`translate`
is the one-call form.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from ..errors import ConfigError, EngineError
from ..glossary import Entry, Glossary
from ..numbers import guard
from ..options import TranslateOptions, make
from ..text.segment import Segment, segment
from .chain import leaves, usage_delta, usage_of
from .engines import Engine, Revising, check_device, get_engine, plan
from .memory import HUMAN, Memory, Unit, key_text
from .resources import is_default as _is_default
from .resources import load_glossary, open_memory
from .result import AppliedTerm, Issue, IssueKind, Translation
from .review import Asked, revised
from .terms import PLACEHOLDER, Protected, check, fix_article, protect, restore

__all__ = ["DEFAULT", "Translator", "load_glossary", "open_memory", "translate"]

DEFAULT: Any = "default"
"""Take this argument from the options."""


@dataclass
class _Job:
    """One sentence to translate: where it is, and its protected form."""

    text_index: int
    start: int
    end: int
    source: str
    protected: Protected
    inline: bool = False
    """A Chinese phrase inside an English sentence (or the reverse), not a sentence."""
    direct: bool = False
    """An inline phrase of glossary terms only: their renderings are its translation."""


def _units(
    text: str, sentences: Sequence[Segment], source: str
) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, language, inline?) of what to consider translating: sentences, and in a
    sentence of the other language the runs of the source language (``a 三元前驱体
    workshop``), except Latin names inside Chinese, which stay as they are."""
    for seg in sentences:
        other = not (seg.lang.startswith("zh") if source == "zh" else seg.lang == "en")
        if other and seg.mixed and seg.lang not in ("ja", "ko"):
            for run in segment(seg.text, "run"):
                lang = "name" if run.name else run.lang
                yield seg.start + run.start, seg.start + run.end, lang, True
        else:
            yield seg.start, seg.end, seg.lang, False


_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z0-9&.'’-]*(?:\s+[A-Z][A-Za-z0-9&.'’-]*){0,2}")


def _protect_names(protected: Protected) -> Protected:
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


def translate(
    texts: str | Sequence[str],
    source: str | None = None,
    target: str | None = None,
    *,
    glossary: Glossary | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = DEFAULT,
    engine: str | Engine | None = None,
    memory: Memory | str | os.PathLike[str] | None = DEFAULT,
    options: TranslateOptions | None = None,
    **overrides: Any,
) -> list[Translation]:
    """Translate ``texts`` (one string or several); see the module docs.

    Defaults come from :class:`~bilingual.options.TranslateOptions` (``options``, then
    ``overrides`` such as ``beam_size=1``): every bundled glossary, the default memory, the
    ``auto`` engine, Chinese into English. ``glossary``: a loaded
    :class:`~bilingual.glossary.Glossary`, names or paths to load, or None for none.
    ``engine``: a registry name or an engine object. ``memory``: a :class:`Memory`, a path,
    ``"default"``, or None for none.
    """
    opts = make(TranslateOptions, options, **overrides)
    if target is not None:
        opts = make(TranslateOptions, opts, to=target)
    source = source or opts.source_lang
    target = opts.to
    items = [texts] if isinstance(texts, str) else list(texts)
    segmented = [(text, segment(text, "sentence")) for text in items]
    return Translator(
        source, target, glossary=glossary, engine=engine, memory=memory, options=opts
    )(segmented)


class Translator:
    """A language pair with its glossary, engine and memory, loaded once; called with
    texts and their sentences (:attr:`bilingual.document.Document.sentences`), it returns
    their translations. :func:`translate` and the pipeline share it."""

    def __init__(
        self,
        source: str,
        target: str,
        *,
        glossary: Glossary
        | str
        | os.PathLike[str]
        | Sequence[str | os.PathLike[str]]
        | None = DEFAULT,
        engine: str | Engine | None = None,
        memory: Memory | str | os.PathLike[str] | None = DEFAULT,
        options: TranslateOptions | None = None,
    ) -> None:
        opts = options or TranslateOptions()
        if source not in ("zh", "en") or target not in ("zh", "en") or source == target:
            raise ConfigError(f"translate zh → en or en → zh, not {source} → {target}")
        self.source, self.target = source, target
        self.glossary = load_glossary(opts.glossaries if _is_default(glossary) else glossary)
        self.memory = open_memory(opts.memory if _is_default(memory) else memory)
        engine = opts.engine if engine is None else engine
        self.fallback: Engine | None = None
        """The chain's second engine, for what the first leaves (``auto``, ``--fallback``)."""
        if isinstance(engine, str):
            first, second = plan(engine, opts.fallback, source, target)
            self.engine = get_engine(first, source, target, opts)
            if second is not None:
                self.fallback = get_engine(second, source, target, opts)
        else:
            self.engine = engine
        check_device(opts.device, self.engines)

    @property
    def engines(self) -> list[Engine]:
        """The engines in the order they are asked."""
        return [self.engine] if self.fallback is None else [self.engine, self.fallback]

    def __call__(self, items: Sequence[tuple[str, Sequence[Segment]]]) -> list[Translation]:
        source, target, glossary = self.source, self.target, self.glossary
        before = [usage_of(e) for e in self.engines]
        jobs: list[_Job] = []
        layouts: list[list[tuple[int, int, bool]]] = []  # per text: (start, end, translate?)
        for index, (text, sentences) in enumerate(items):
            layout = []
            for start, end, lang, inline in _units(text, sentences, source):
                wanted = (lang.startswith("zh") if source == "zh" else lang == "en") and bool(
                    text[start:end].strip()
                )
                layout.append((start, end, wanted))
                if wanted:
                    sentence = text[start:end].strip()
                    jobs.append(self._job(index, start, end, sentence, inline, self.engine))
            layouts.append(layout)
        outputs = _run(jobs, self.engine, source, target, glossary, self.memory)
        used = [self.engine.name] * len(jobs)
        if self.fallback is not None:  # the chain: what the first engine left goes on
            rest = [i for i, (j, o) in enumerate(zip(jobs, outputs, strict=True)) if leaves(j, o)]
            again = [
                self._job(j.text_index, j.start, j.end, j.source, j.inline, self.fallback)
                for j in (jobs[i] for i in rest)
            ]
            redone = _run(again, self.fallback, source, target, glossary, self.memory)
            for i, job, out in zip(rest, again, redone, strict=True):
                jobs[i], outputs[i], used[i] = job, out, self.fallback.name
        texts = [text for text, _ in items]
        results = _assemble(
            texts, layouts, jobs, outputs, self.engine.name, glossary, source, target
        )
        for result, names in zip(results, _by_text(used, jobs, len(results)), strict=True):
            if names:
                result.engine = ",".join(dict.fromkeys(names))
        if results:
            results[0].usage = usage_delta(before, [usage_of(e) for e in self.engines])
        return results

    def _job(
        self, index: int, start: int, end: int, sentence: str, inline: bool, engine: Engine
    ) -> _Job:
        """A sentence protected for ``engine``: glossary terms as placeholders, or in place
        for engines that render them (``handles_terms``); Latin names in Chinese as
        placeholders of themselves."""
        protected = protect(sentence, self.glossary, self.source)
        direct = inline and not PLACEHOLDER.sub("", protected.text).strip(" ,、")
        if engine.capabilities.handles_terms and not direct:
            protected = Protected(sentence, protected.terms, placeholders=False)
        elif self.source == "zh" and not direct:
            protected = _protect_names(protected)
        return _Job(index, start, end, sentence, protected, inline, direct)


def _by_text(used: list[str], jobs: list[_Job], count: int) -> list[list[str]]:
    names: list[list[str]] = [[] for _ in range(count)]
    for name, job in zip(used, jobs, strict=True):
        names[job.text_index].append(name)
    return names


def _batched(engine: Engine, sentences: list[str], glossary: Glossary | None) -> list[str]:
    """The engine's translations, in batches of at most its ``max_batch`` sentences."""
    size = engine.capabilities.max_batch
    out: list[str] = []
    for i in range(0, len(sentences), size):
        chunk = sentences[i : i + size]
        translated = engine.translate_batch(chunk, glossary)
        if len(translated) != len(chunk):
            raise EngineError(
                f"the {engine.name} engine returned {len(translated)} translations "
                f"for {len(chunk)} sentences"
            )
        out += translated
    return out


class Output(NamedTuple):
    """What a job became."""

    text: str
    """The engine's output (with placeholders), or a person's translation."""
    from_memory: bool
    final: bool
    """A person's translation: used as it is, its terms only located."""


def _run(
    jobs: list[_Job],
    engine: Engine,
    source: str,
    target: str,
    glossary: Glossary | None,
    memory: Memory | None,
) -> list[Output]:
    """What each job became; each distinct sentence is translated once. A person's
    translation in the memory (accepted in review, imported from TMX) wins over everything;
    then the engine's stored output; then the engine. Direct jobs (glossary terms only)
    are their own output."""
    fingerprint = glossary.fingerprint if glossary is not None else ""
    work = [job for job in jobs if not job.direct]
    human: dict[str, str] = {}
    stored: dict[str, str] = {}
    if memory is not None:
        human = memory.get_many(
            [job.source for job in work],
            engine=HUMAN,
            glossary="",
            source_lang=source,
            target_lang=target,
        )
        stored = memory.get_many(
            [job.protected.text for job in work if key_text(job.source) not in human],
            engine=engine.id,
            glossary=fingerprint,
            source_lang=source,
            target_lang=target,
        )
    keys = [key_text(job.protected.text) for job in work]
    todo = list(
        dict.fromkeys(
            k
            for k, job in zip(keys, work, strict=True)
            if k not in stored and key_text(job.source) not in human
        )
    )
    fresh = dict(zip(todo, _batched(engine, todo, glossary), strict=True))
    if isinstance(engine, Revising) and fresh:  # asked once more about what failed a check
        asked = {k: Asked(j.source, j.protected, j.inline) for k, j in zip(keys, work, strict=True)}
        fresh = revised(engine, fresh, asked, glossary, source, target)
    if memory is not None and fresh:
        memory.put_many(
            Unit(k, v, source, target, engine.id, fingerprint) for k, v in fresh.items()
        )
    outputs: list[Output] = []
    found = iter(keys)
    for job in jobs:
        if job.direct:
            outputs.append(Output(job.protected.text, False, False))
            continue
        key = next(found)
        if key_text(job.source) in human:
            outputs.append(Output(human[key_text(job.source)], True, True))
        elif key in stored:
            outputs.append(Output(stored[key], True, False))
        else:
            outputs.append(Output(fresh[key], False, False))
    return outputs


def _assemble(
    items: list[str],
    layouts: list[list[tuple[int, int, bool]]],
    jobs: list[_Job],
    outputs: list[Output],
    engine: str,
    glossary: Glossary | None,
    source: str,
    target: str,
) -> list[Translation]:
    results = [Translation(text, text, "none") for text in items]
    by_text: dict[int, list[tuple[_Job, Output]]] = {}
    for job, out in zip(jobs, outputs, strict=True):
        by_text.setdefault(job.text_index, []).append((job, out))
    for index, text in enumerate(items):
        done = by_text.get(index, [])
        if not done:
            continue
        result = results[index]
        result.engine = engine
        pieces: list[str] = []
        queue = iter(done)
        translated_chars = total_chars = 0
        for start, end, wanted in layouts[index]:
            original = text[start:end]
            if not wanted:
                pieces.append(original)
                continue
            job, (raw, from_memory, final) = next(queue)
            protected = job.protected
            if final:  # a person's translation: terms are only located
                protected = Protected(job.source, protected.terms, placeholders=False)
            rendered, applied, term_issues = restore(
                raw, protected, target, capitalise=not job.inline
            )
            term_issues += check(
                rendered, [a for a in applied if a.source_span != (-1, -1)], glossary, target
            )
            offset = start + (len(original) - len(original.lstrip()))
            span = (start, end)
            # Spans of the sentence become spans of the text (names have no glossary entry).
            result.terms += [_shift_term(a, offset) for a in applied if a.source_span != (-1, -1)]
            result.issues += [Issue(kind, detail, span) for kind, detail in term_issues]
            result.issues += [
                Issue(
                    IssueKind.NUMBER_MISSING if n.kind == "missing" else IssueKind.NUMBER_ADDED,
                    n.detail,
                    span,
                )
                for n in guard(job.source, source, rendered, target)
            ]
            untranslated = _untranslated(rendered, source)
            result.issues += [Issue(IssueKind.UNTRANSLATED, u, span) for u in untranslated]
            total_chars += len(job.source)
            translated_chars += len(job.source) - sum(len(u) for u in untranslated)
            result.memory_hits += from_memory
            result.sentences += 1
            if pieces and pieces[-1].rstrip().endswith(";") and rendered[1:2].islower():
                rendered = rendered[0].lower() + rendered[1:]  # "…YoY; import value was…"
            if job.inline and target == "en" and pieces:
                pieces[-1] = fix_article(pieces[-1], rendered)  # "a NCM" → "an NCM"
            trailing = original[len(original.rstrip()) :]
            if target == "en" and not trailing and end < len(text) and _spaced(text[end]):
                trailing = " "  # Chinese sentences have no space between them; English does
            pieces.append(original[: len(original) - len(original.lstrip())] + rendered + trailing)
        result.text = "".join(pieces)
        result.coverage = translated_chars / total_chars if total_chars else 1.0
    return results


def _spaced(following: str) -> bool:
    """Whether English puts a space before this character (not before ``,`` or ``)``)."""
    return unicodedata.category(following) not in ("Po", "Pe", "Pf") or following in "\"'"


def _shift_term(term: AppliedTerm, offset: int) -> AppliedTerm:
    a, b = term.source_span
    return replace(term, source_span=(a + offset, b + offset))


_HAN_STRETCH = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d\s，、；：%.]*")


def _untranslated(rendered: str, source: str) -> list[str]:
    """Chinese left in an English translation (engines leave what they do not know)."""
    if source != "zh":
        return []
    return [m.group().strip() for m in _HAN_STRETCH.finditer(rendered)]
