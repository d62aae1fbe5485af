"""Sentences to jobs, and what each job became: the memory, the engine, and (for engines
that can be asked again) one revision. :class:`~bilingual.translate.Translator` builds the
jobs and assembles the results."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from ..errors import EngineError
from ..glossary import Glossary
from ..text.segment import Segment, segment
from .engines import Engine, Revising
from .memory import HUMAN, Memory, Unit, key_text
from .review import Asked, revised
from .terms import Protected

__all__ = ["Job", "Output", "run_jobs", "units"]


@dataclass
class Job:
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


def units(
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


def batched(engine: Engine, sentences: list[str], glossary: Glossary | None) -> list[str]:
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


def run_jobs(
    jobs: list[Job],
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
    fresh = dict(zip(todo, batched(engine, todo, glossary), strict=True))
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
