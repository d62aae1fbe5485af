"""Asking an engine once more: the problems of a fresh translation, stated for the engine.

Engines that can be asked again (:class:`~bilingual.translate.engines.Revising`, such as
``openai``) get, once, every fresh translation whose number guard or term check failed,
with the problems in words. The better of the two answers (fewer problems; the new one on
a tie) is kept and goes to the memory; whatever is still wrong is reported as usual.
Never more than one round.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from ..glossary import Glossary
from ..numbers import guard
from .engines import Engine, Revising, Revision
from .result import IssueKind
from .terms import Protected, check, restore

__all__ = ["Asked", "problems", "revised"]

_HAN = re.compile(r"[\u3400-\u9fff][\u3400-\u9fff\d\s，、；：%.]*")


class Asked(NamedTuple):
    """A sentence as translated: the source, its protected form, an inline phrase?"""

    source: str
    protected: Protected
    inline: bool


def problems(
    asked: Asked, raw: str, glossary: Glossary | None, source: str, target: str
) -> list[str]:
    """What is wrong with ``raw`` (the engine's output for ``asked``), in words."""
    rendered, applied, term_issues = restore(
        raw, asked.protected, target, capitalise=not asked.inline
    )
    term_issues += check(
        rendered, [a for a in applied if a.source_span != (-1, -1)], glossary, target
    )
    found: list[str] = []
    for kind, detail in term_issues:
        zh, _, en = detail.partition(" → ")
        zh = zh.removeprefix("at the start: ").removeprefix("at the end: ")
        if kind == IssueKind.FORBIDDEN_TERM:
            found.append(f"'{en}' is a forbidden rendering of {zh}")
        elif kind in (IssueKind.TERM_MISSING, IssueKind.TERM_LOST, IssueKind.TERM_RESTORED):
            found.append(f"{zh} must be rendered as '{en}'")
    for issue in guard(asked.source, source, rendered, target):
        if issue.kind == "missing":
            found.append(f"the {issue.detail} of the source is missing or wrong")
        else:
            found.append(f"the {issue.detail} is not in the source")
    if source == "zh":
        found += [f"'{m.group().strip()}' was left untranslated" for m in _HAN.finditer(rendered)]
    return found


def revised(
    engine: Engine,
    fresh: Mapping[str, str],
    asked: Mapping[str, Asked],
    glossary: Glossary | None,
    source: str,
    target: str,
) -> dict[str, str]:
    """``fresh`` (key → the engine's output), with the failing ones asked once more when
    the engine can be asked."""
    out = dict(fresh)
    if not isinstance(engine, Revising):
        return out
    wrong = {}
    for key, raw in fresh.items():
        found = problems(asked[key], raw, glossary, source, target)
        if found:
            wrong[key] = found
    if not wrong:
        return out
    revisions = [
        Revision(asked[key].protected.text, fresh[key], tuple(found))
        for key, found in wrong.items()
    ]
    answers = engine.revise(revisions, glossary)
    for (key, found), answer in zip(wrong.items(), answers, strict=True):
        if len(problems(asked[key], answer, glossary, source, target)) <= len(found):
            out[key] = answer
    return out
