"""Translation: Chinese ↔ English with enforced glossaries, exact numbers and a memory.

``translate(texts, source, target, glossary=, engine=, memory=)`` segments each text,
translates the sentences in the source language (Latin names inside them are kept as they
are) and the source-language phrases inside other sentences (``a 三元前驱体 workshop``),
and returns a :class:`Translation` per text with the terms it applied and
the issues a pipeline should see. Engines come from a registry of names
(:data:`ENGINES`), imported only when used: ``bilingual normalize`` never loads
CTranslate2.
"""

from __future__ import annotations

import importlib
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError
from ..glossary import Glossary
from ..segment import segment
from .memory import Memory, Unit, key_text
from .model import Engine, Issue, Translation
from .numbers import guard
from .terms import PLACEHOLDER, Protected, check, fix_article, protect, restore

__all__ = ["ENGINES", "Engine", "Issue", "Memory", "Translation", "get_engine", "translate"]

ENGINES: dict[str, str] = {
    "argos": "bilingual.translate.argos:ArgosEngine",
    "statistics": "bilingual.translate.statistics:StatisticsEngine",
}
"""Engine name → ``module:class``; the CLI's ``--engine`` choices are these and ``auto``."""


def get_engine(name: str, source: str, target: str, **options: Any) -> Engine:
    """An engine by registry name; ``auto`` is argos when a model for the pair is installed,
    else the model-free statistics engine (zh → en only)."""
    if name == "auto":
        from .argos import find

        name = "argos" if find(source, target) or (source, target) != ("zh", "en") else "statistics"
        if name == "statistics":
            options = {}  # argos options (beam size, device) do not apply
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; choose auto or one of {', '.join(ENGINES)}")
    module, cls = ENGINES[name].split(":")
    return getattr(importlib.import_module(module), cls)(source, target, **options)


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


def _units(text: str, source: str) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, language, inline?) of what to consider translating: sentences, and in a
    sentence of the other language the runs of the source language (``a 三元前驱体
    workshop``), except Latin names inside Chinese, which stay as they are."""
    for seg in segment(text, "sentence"):
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
    from ..glossary import Entry

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
    source: str = "zh",
    target: str = "en",
    *,
    glossary: Glossary | str | os.PathLike[str] | Sequence[str] | None = None,
    engine: str | Engine = "auto",
    memory: Memory | str | os.PathLike[str] | None = None,
    **engine_options: Any,
) -> list[Translation]:
    """Translate ``texts`` (one string or several); see the module docs.

    ``glossary``: a :class:`~bilingual.glossary.Glossary`, or names/paths to load.
    ``engine``: a registry name (``auto``, ``argos``, ``statistics``) or an engine object.
    ``memory``: a :class:`Memory` or the path of its SQLite file; None for no memory.
    """
    items = [texts] if isinstance(texts, str) else list(texts)
    if source not in ("zh", "en") or target not in ("zh", "en") or source == target:
        raise ConfigError(f"translate zh → en or en → zh, not {source} → {target}")
    if glossary is not None and not isinstance(glossary, Glossary):
        names = [glossary] if isinstance(glossary, (str, os.PathLike)) else list(glossary)
        glossary = Glossary.load(*names)
    tm = Memory(memory) if memory is not None and not isinstance(memory, Memory) else memory
    engine_obj = (
        get_engine(engine, source, target, **engine_options) if isinstance(engine, str) else engine
    )
    # Engines that apply the glossary themselves get sentences with the terms in place.
    whole_terms = getattr(engine_obj, "handles_terms", False)
    if whole_terms:
        engine_obj.use_glossary(glossary)  # type: ignore[attr-defined]
    jobs: list[_Job] = []
    layouts: list[list[tuple[int, int, bool]]] = []  # per text: (start, end, translate?)
    for index, text in enumerate(items):
        layout = []
        for start, end, lang, inline in _units(text, source):
            wanted = (lang.startswith("zh") if source == "zh" else lang == "en") and bool(
                text[start:end].strip()
            )
            layout.append((start, end, wanted))
            if not wanted:
                continue
            sentence = text[start:end].strip()
            protected = protect(sentence, glossary, source)
            direct = inline and not PLACEHOLDER.sub("", protected.text).strip(" ,、")
            if whole_terms and not direct:
                protected = Protected(sentence, protected.terms, placeholders=False)
            elif source == "zh" and not direct:
                protected = _protect_names(protected)
            jobs.append(_Job(index, start, end, sentence, protected, inline, direct))
        layouts.append(layout)
    outputs = _run(jobs, engine_obj, source, target, glossary, tm)
    return _assemble(items, layouts, jobs, outputs, engine_obj.name, glossary, source, target)


def _run(
    jobs: list[_Job],
    engine: Engine,
    source: str,
    target: str,
    glossary: Glossary | None,
    memory: Memory | None,
) -> list[tuple[str, bool]]:
    """(engine output with placeholders, from memory?) per job; each distinct sentence once.
    Direct jobs (glossary terms only) are their own output."""
    fingerprint = glossary.fingerprint if glossary is not None else ""
    keys = [key_text(job.protected.text) for job in jobs if not job.direct]
    stored: dict[str, str] = {}
    if memory is not None:
        stored = memory.get_many(
            keys, engine=engine.id, glossary=fingerprint, source_lang=source, target_lang=target
        )
    todo = list(dict.fromkeys(k for k in keys if k not in stored))
    fresh = dict(zip(todo, engine.translate_batch(todo, source, target), strict=True))
    if memory is not None and fresh:
        memory.put_many(
            Unit(k, v, source, target, engine.id, fingerprint) for k, v in fresh.items()
        )
    outputs = iter((stored[k], True) if k in stored else (fresh[k], False) for k in keys)
    return [(job.protected.text, False) if job.direct else next(outputs) for job in jobs]


def _assemble(
    items: list[str],
    layouts: list[list[tuple[int, int, bool]]],
    jobs: list[_Job],
    outputs: list[tuple[str, bool]],
    engine: str,
    glossary: Glossary | None,
    source: str,
    target: str,
) -> list[Translation]:
    results = [Translation(text, text, "none") for text in items]
    by_text: dict[int, list[tuple[_Job, tuple[str, bool]]]] = {}
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
            job, (raw, from_memory) = next(queue)
            rendered, applied, term_issues = restore(
                raw, job.protected, target, capitalise=not job.inline
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
                Issue(f"number-{n.kind}", str(n).split(": ", 1)[1], span)
                for n in guard(job.source, source, rendered, target)
            ]
            untranslated = _untranslated(rendered, source)
            result.issues += [Issue("untranslated", u, span) for u in untranslated]
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


def _shift_term(term: Any, offset: int) -> Any:
    from dataclasses import replace

    a, b = term.source_span
    return replace(term, source_span=(a + offset, b + offset))


_HAN_STRETCH = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d\s，、；：%.]*")


def _untranslated(rendered: str, source: str) -> list[str]:
    """Chinese left in an English translation (engines leave what they do not know)."""
    if source != "zh":
        return []
    return [m.group().strip() for m in _HAN_STRETCH.finditer(rendered)]
