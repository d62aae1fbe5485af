"""Changes as data: what a stage did to a text, in a form that can be replayed.

Every stage works in steps. A step looks at its input and proposes :class:`Edit`\\ s (spans
of that input and their replacements); :func:`apply_edits` applies them and, when asked,
records one :class:`Change` per edit. A change's ``start``/``end`` refer to the text as it
is just before that change is applied, so :func:`apply_changes` can replay a list of
changes one after the other on the original input and get the stage's output back. This
is the role ftfy's ``fix_and_explain``/``apply_plan`` pair plays for ftfy, at the level of
spans instead of whole-text steps.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from .errors import BilingualError


@dataclass(frozen=True)
class Change:
    """One replacement made by a stage.

    ``text[start:end] == before`` held in the text the change was applied to, and the
    change replaced it with ``after``.
    """

    stage: str
    start: int
    end: int
    before: str
    after: str
    reason: str


@dataclass(frozen=True)
class Edit:
    """A proposed replacement of ``text[start:end]`` by ``after``, in a step's input."""

    start: int
    end: int
    after: str
    reason: str


def apply_edits(text: str, edits: Iterable[Edit], stage: str, changes: list[Change] | None) -> str:
    """Apply non-overlapping ``edits`` (sorted by position) to ``text``.

    Edits that replace a span by itself are dropped. When ``changes`` is a list, one
    replayable :class:`Change` per applied edit is appended to it.
    """
    out: list[str] = []
    pos = 0
    shift = 0  # how much longer the output is than the input, up to ``pos``
    for edit in edits:
        if edit.start < pos:
            raise ValueError(f"overlapping edits at {edit.start} in stage {stage}")
        before = text[edit.start : edit.end]
        if before == edit.after:
            continue
        out.append(text[pos : edit.start])
        out.append(edit.after)
        if changes is not None:
            start = edit.start + shift
            changes.append(
                Change(stage, start, start + len(before), before, edit.after, edit.reason)
            )
        shift += len(edit.after) - len(before)
        pos = edit.end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def apply_changes(text: str, changes: Iterable[Change]) -> str:
    """Replay ``changes`` on ``text``, checking that each one still fits.

    Raises :class:`BilingualError` if a change's ``before`` is not found at its span,
    which means the changes do not belong to this text.
    """
    for c in changes:
        if text[c.start : c.end] != c.before:
            raise BilingualError(
                f"change {c.reason!r} of stage {c.stage!r} does not fit the text at {c.start}"
            )
        text = text[: c.start] + c.after + text[c.end :]
    return text


def diff_edits(before: str, after: str, reason: str) -> list[Edit]:
    """Edits turning ``before`` into ``after``, for steps done by other libraries.

    Compares line by line first and characters within changed lines, so that the cost
    stays close to linear for the usual case of small local fixes.
    """
    if before == after:
        return []
    edits: list[Edit] = []
    a_lines = before.splitlines(keepends=True)
    b_lines = after.splitlines(keepends=True)
    offsets = [0]
    for line in a_lines:
        offsets.append(offsets[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        a_text = "".join(a_lines[i1:i2])
        b_text = "".join(b_lines[j1:j2])
        base = offsets[i1]
        chars = difflib.SequenceMatcher(None, a_text, b_text, autojunk=False)
        for ctag, c1, c2, d1, d2 in chars.get_opcodes():
            if ctag != "equal":
                edits.append(Edit(base + c1, base + c2, b_text[d1:d2], reason))
    return edits
