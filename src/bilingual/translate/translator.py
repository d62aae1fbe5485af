"""Translating texts: sentences to jobs, the memory, the engine, then terms and checks.

:class:`Translator` holds a language pair's glossary, engine and memory; :func:`translate`
is the one-call form.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import ConfigError
from ..glossary import Glossary
from ..numbers import guard
from ..options import TranslateOptions, make
from ..text.segment import Segment, segment
from .align import Place, align
from .chain import fill, leaves, uncovered, usage_delta, usage_of
from .engines import Engine, check_device, get_engine, plan
from .jobs import Job as _Job
from .jobs import Output
from .jobs import run_jobs as _run
from .jobs import units as _units
from .memory import Memory
from .resources import is_default as _is_default
from .resources import load_glossary, open_memory
from .result import AppliedTerm, Issue, IssueKind, Translation
from .terms import PLACEHOLDER, Protected, check, fix_article, protect, protect_names, restore

__all__ = ["DEFAULT", "Translator", "load_glossary", "open_memory", "translate"]

DEFAULT: Any = "default"
"""Take this argument from the options."""


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
        engine: str | Engine | tuple[Engine, Engine | None] | None = None,
        memory: Memory | str | os.PathLike[str] | None = DEFAULT,
        options: TranslateOptions | None = None,
    ) -> None:
        """``engine``: a registry name (``auto`` is the chain), an engine, or a chain of
        engines already made (first, fallback)."""
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
        elif isinstance(engine, tuple):
            self.engine, self.fallback = engine
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
            self._fall_back(self.fallback, jobs, outputs, used)
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

    def _fall_back(
        self, fallback: Engine, jobs: list[_Job], outputs: list[Output], used: list[str]
    ) -> None:
        """The chain's second step, in place: a sentence the first engine left wholly goes
        to ``fallback``; of one it covered in part, only the runs of clauses it left (the
        covered clauses keep its English, their figures exact)."""
        args = (fallback, self.source, self.target, self.glossary, self.memory)
        whole: list[int] = []
        parts: list[tuple[int, list[str], _Job]] = []
        for i, (job, out) in enumerate(zip(jobs, outputs, strict=True)):
            if leaves(job, out):
                left = uncovered(self.engine, job.source, out.text, self.glossary)
                whole += [] if left else [i]
                parts += [(i, left, self._job(*_where(job), p, True, fallback)) for p in left]
        again = [
            self._job(*_where(jobs[i]), jobs[i].source, jobs[i].inline, fallback) for i in whole
        ]
        for i, job, out in zip(whole, again, _run(again, *args), strict=True):
            jobs[i], outputs[i], used[i] = job, out, fallback.name
        done = _run([job for _, _, job in parts], *args)
        filled: dict[int, list[str]] = {}
        for (i, _, job), out in zip(parts, done, strict=True):
            final = Protected(job.source, [], placeholders=False) if out.final else job.protected
            filled.setdefault(i, []).append(
                restore(out.text, final, self.target, capitalise=False)[0]
            )
        for i, left in dict((i, left) for i, left, _ in parts).items():
            outputs[i] = outputs[i]._replace(text=fill(outputs[i].text, left, filled[i]))
            used[i] = f"{self.engine.name},{fallback.name}"

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
            protected = protect_names(protected)
        return _Job(index, start, end, sentence, protected, inline, direct)


def _where(job: _Job) -> tuple[int, int, int]:
    return job.text_index, job.start, job.end


def _by_text(used: list[str], jobs: list[_Job], count: int) -> list[list[str]]:
    names: list[list[str]] = [[] for _ in range(count)]
    for name, job in zip(used, jobs, strict=True):
        names[job.text_index] += name.split(",")
    return names


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
        places: list[Place] = []  # per piece: how it maps back to the source
        queue = iter(done)
        translated_chars = total_chars = 0
        for start, end, wanted in layouts[index]:
            original = text[start:end]
            if not wanted:
                pieces.append(original)
                places.append(Place(start, end))
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
            first_term = len(result.terms)
            result.terms += [_shift_term(a, offset) for a in applied if a.source_span != (-1, -1)]
            result.issues += [Issue(kind, detail, span) for kind, detail in term_issues]
            untranslated = _untranslated(rendered, source)
            # Figures inside text left as it was are the untranslated issue's, not the guard's.
            unchanged = [u for u in untranslated if u in job.source]
            numbers = (
                []
                if rendered == job.source
                else guard(job.source, source, rendered, target, unchanged)
            )
            result.issues += [
                Issue(
                    IssueKind.NUMBER_MISSING if n.kind == "missing" else IssueKind.NUMBER_ADDED,
                    n.detail,
                    (offset + n.span[0], offset + n.span[1])
                    if n.kind == "missing" and n.span
                    else span,
                )
                for n in numbers
            ]
            result.issues += [
                Issue(IssueKind.UNTRANSLATED, u, _located(u, job.source, offset) or span)
                for u in untranslated
            ]
            total_chars += len(job.source)
            translated_chars += len(job.source) - sum(len(u) for u in untranslated)
            result.memory_hits += from_memory
            result.sentences += 1
            if pieces and rendered == job.source and _HAN_STRETCH.match(rendered):
                pieces[-1] = _chinese_follows(pieces[-1], text[:start])
            if pieces and pieces[-1].rstrip().endswith((";", "；")):
                rendered = _continued(rendered)  # "…YoY; import value was…"
            if job.inline and target == "en" and pieces:
                pieces[-1] = fix_article(pieces[-1], rendered)  # "a NCM" → "an NCM"
            trailing = original[len(original.rstrip()) :]
            if target == "en" and not trailing and end < len(text) and _spaced(text[end]):
                trailing = " "  # Chinese sentences have no space between them; English does
            lead = original[: len(original) - len(original.lstrip())]
            pieces.append(lead + rendered + trailing)
            how = "human" if final else "memory" if from_memory else "engine"
            terms = (first_term, len(result.terms))
            body = len(original.rstrip())
            places.append(Place(start, end, len(lead), body, trailing, how, terms))
        result.text = "".join(pieces)
        result.alignment = align(result, pieces, places)
        result.coverage = translated_chars / total_chars if total_chars else 1.0
    return results


def _chinese_follows(previous: str, source_before: str) -> str:
    """The piece before a sentence left in Chinese ends with the source's own mark and no
    space (the punctuation of the language that follows): ``…YoY; `` → ``…YoY；``. A line
    break between them stays: the sentence starts a line or paragraph of its own."""
    gap = previous[len(previous.rstrip()) :]
    if gap and gap.splitlines() != [gap]:
        return previous
    mark = source_before.rstrip()[-1:]
    english = {"；": ";", "，": ",", "：": ":", "。": "."}.get(mark)
    if english and previous.rstrip().endswith(english):
        return previous.rstrip()[:-1] + mark
    return previous.rstrip() if mark in "；，：。" and mark else previous


def _continued(rendered: str) -> str:
    """A sentence that goes on after ``;``: its first word in lower case when it is a
    common word (``Import`` → ``import``), not when it is a name (``India's``, ``CATL``)."""
    first = re.match(r"[A-Za-z]+", rendered)
    if first is None or not rendered[1:2].islower():
        return rendered
    from ..dictionary import lowercase_words

    if first.group().lower() not in lowercase_words():
        return rendered
    return rendered[0].lower() + rendered[1:]


def _spaced(following: str) -> bool:
    """Whether English puts a space before this character (not before ``,`` or ``)``)."""
    return unicodedata.category(following) not in ("Po", "Pe", "Pf") or following in "\"'"


def _shift_term(term: AppliedTerm, offset: int) -> AppliedTerm:
    a, b = term.source_span
    return replace(term, source_span=(a + offset, b + offset))


_HAN_STRETCH = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d\s，、；：。！？（）“”%.]*")


def _located(piece: str, sentence: str, offset: int) -> tuple[int, int] | None:
    """Where ``piece`` stands in the text, when it is a piece of the sentence at ``offset``."""
    at = sentence.find(piece)
    return (offset + at, offset + at + len(piece)) if at >= 0 else None


def _untranslated(rendered: str, source: str) -> list[str]:
    """Chinese left in an English translation (engines leave what they do not know)."""
    if source != "zh":
        return []
    return [m.group().strip() for m in _HAN_STRETCH.finditer(rendered)]
