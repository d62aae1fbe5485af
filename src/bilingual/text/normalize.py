"""Normalize: width, punctuation, quotes, CJK–Latin spacing and script, by language context.

:func:`normalize` runs :func:`bilingual.repair.repair` first, then these steps (each
reports :class:`~bilingual.change.Change`\\ s under its own stage name):

``script``
    An OpenCC config (``t2s``, ``s2twp``, ...) applied to Han runs only, skipping lines that
    contain Kana (Japanese); user overrides win over OpenCC.
``width``
    Full-width letters, digits and symbols become ASCII everywhere (``ＡＢＣ１２３％`` →
    ``ABC123%``); the ideographic space, NBSP and the other Unicode spaces become spaces
    (NBSP after repair, which needs it: ``Ã\xa0`` is ``à``). ``，；：？！（）`` are left to
    the punctuation step (their form depends on the language around them); ``～`` is kept.
``punctuation``
    The *context* of a mark is the nearest letter on each side within the line, skipping
    digits, spaces and symbols. ASCII ``, ; : ? !`` become ``，；：？！`` when the letter before
    them is Han and the text after them is not English prose (three Latin words); full-width
    ``，；：？！。、`` become ASCII (and get a space after them) when both sides are Latin. A
    bracket pair takes the language of its outside (its content breaks a tie). ``,`` and
    ``:`` between two digits (``476,000``, ``10:30``) are never touched, nor is anything
    inside a URL, e-mail address, Markdown link target, path or inline code.
``quotes``
    ``"context"``: a left quote or accent used as an apostrophe (``SMM‘s``) becomes
    ``apostrophe``; English curly double quotes pointing the wrong way are turned; ASCII
    ``"…"`` around Chinese text in a Chinese context become ``“…”``. ``"straight"``: all
    curly quotes become ASCII. ``"keep"``: nothing.
``spacing``
    A space between Han and Latin letters or digits, in both directions (pangu's rule:
    ``进口3.0万辆`` → ``进口 3.0 万辆``); no space next to full-width punctuation; repeated
    spaces inside a line collapsed; trailing spaces removed. Line breaks are kept.

``normalize`` is idempotent. Limits: context is decided per mark from nearby letters, so
a mark between a Chinese and an English sentence can go either way; missing spaces in
English (``obtainthe``) are not restored.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from ..change import Change, Edit, apply_edits
from ..chars import HAN_RUN, KANA
from ..errors import ConfigError
from ..options import NormalizeOptions, make
from .decode import decode
from .markup import normalize_document, resolve_format
from .protect import Protected
from .punctuation import punctuation_edits, quote_edits
from .repair import RepairOptions, _repair
from .script import convert, load_overrides
from .spacing import spacing_edits

__all__ = ["NormalizeOptions", "explain", "normalize"]

# --- steps -------------------------------------------------------------------------------


def _script_edits(text: str, config: str, overrides: Mapping[str, str]) -> list[Edit]:
    runs: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if not KANA.search(line):  # Japanese: leave its kanji alone
            runs += [(pos + m.start(), pos + m.end()) for m in HAN_RUN.finditer(line)]
        pos += len(line)
    if not runs:
        return []
    sources = [text[s:e] for s, e in runs]
    targets = _convert_runs(sources, config, overrides)
    edits: list[Edit] = []
    reason = f"OpenCC {config}"
    for (start, end), source, target in zip(runs, sources, targets, strict=True):
        if source == target:
            continue
        if len(source) != len(target):
            edits.append(Edit(start, end, target, reason))
            continue
        i = 0
        while i < len(source):  # one edit per stretch of changed characters
            if source[i] == target[i]:
                i += 1
                continue
            j = i
            while j < len(source) and source[j] != target[j]:
                j += 1
            edits.append(Edit(start + i, start + j, target[i:j], reason))
            i = j
    return edits


def _convert_runs(sources: list[str], config: str, overrides: Mapping[str, str]) -> list[str]:
    if overrides:
        keys = sorted(overrides, key=len, reverse=True)
        pattern = re.compile("|".join(re.escape(k) for k in keys))
        return [_convert_with_overrides(s, config, pattern, overrides) for s in sources]
    joined = convert("\n".join(sources), config).split("\n")  # one call into OpenCC
    if len(joined) == len(sources):
        return joined
    return [convert(s, config) for s in sources]


def _convert_with_overrides(
    text: str, config: str, pattern: re.Pattern[str], overrides: Mapping[str, str]
) -> str:
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out += [convert(text[pos : m.start()], config), overrides[m.group()]]
        pos = m.end()
    out.append(convert(text[pos:], config))
    return "".join(out)


# Full-width forms FF01-FF5E, without the marks whose width depends on context.
_FULLWIDTH = re.compile(r"[\uff01-\uff5e\u3000]+")
_KEEP_WIDE = set("，；：？！（）～")


def _width_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    for m in _FULLWIDTH.finditer(text):
        start = m.start()
        for k, ch in enumerate(m.group()):
            if ch in _KEEP_WIDE:
                continue
            narrow = " " if ch == "\u3000" else chr(ord(ch) - 0xFEE0)
            edits.append(Edit(start + k, start + k + 1, narrow, "full-width form"))
    return edits


# NBSP and the other Unicode spaces (not the ideographic space, which is full width).
_UNICODE_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f]")


def _unicode_space_edits(text: str) -> list[Edit]:
    return [Edit(m.start(), m.end(), " ", "Unicode space") for m in _UNICODE_SPACE.finditer(text)]


def _masked(text: str, protected: Protected, keep: Sequence[tuple[int, int]]) -> str:
    """``text`` with the spans a markup parser found opaque blanked out (same length)."""
    if not keep:
        return text
    out, pos = [], 0
    for start, end in zip(protected.starts, protected.ends, strict=True):
        out += [text[pos:start], " " * (end - start)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _without_overlaps(edits: list[Edit]) -> Iterator[Edit]:
    """Sorted edits; of two overlapping ones the first (removals before spaces) wins."""
    end = -1
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.after)):
        if e.start < end or (e.start == end == e.end):
            continue
        end = e.end
        yield e


@lru_cache(maxsize=16)
def _file_overrides(path: str, mtime: float) -> dict[str, str]:
    return load_overrides(path)


def _overrides(options: NormalizeOptions) -> Mapping[str, str]:
    source = options.overrides
    if source is None:
        return {}
    if isinstance(source, Mapping):
        return source
    try:
        mtime = os.stat(source).st_mtime
    except OSError as e:
        raise ConfigError(f"{os.fspath(source)}: cannot read overrides: {e.strerror}") from e
    return _file_overrides(os.fspath(source), mtime)


def _normalize(
    text: str | bytes,
    options: NormalizeOptions,
    changes: list[Change] | None,
    keep: Sequence[tuple[int, int]] = (),
) -> str:
    repair = RepairOptions() if options.repair else _NO_REPAIR
    if keep:
        assert isinstance(text, str)
        if options.repair:
            text, keep = _repair_around(text, keep, repair, changes)
    elif options.repair or isinstance(text, bytes):
        text = _repair(text, repair, changes)
    # Found once; the steps never edit inside a span, so later they are only shifted.
    protected = Protected(text, keep)
    if options.width:
        # After repair, which needs NBSP (`Ã\xa0` is à); a space can join mojibake that
        # NBSP split, so repair looks again (normalize stays idempotent).
        spaces = protected.keep_out(_unicode_space_edits(text))
        if spaces:
            text = apply_edits(text, spaces, "width", changes)
            if not keep and options.repair:
                text = _repair(text, repair, changes)
                protected = Protected(text)
    if options.script:
        edits = protected.keep_out(_script_edits(text, options.script, _overrides(options)))
        text = apply_edits(text, edits, "script", changes)
        protected = protected.shifted(edits)
    if options.width:
        text = apply_edits(text, protected.keep_out(_width_edits(text)), "width", changes)
    # Markup (tags, entities) is not context: the marks around it are judged without it.
    if options.punctuation:
        context = _masked(text, protected, keep)
        edits = list(_without_overlaps(punctuation_edits(context, protected)))
        text = apply_edits(text, edits, "punctuation", changes)
        protected = protected.shifted(edits)
    if options.quotes != "keep":
        context = _masked(text, protected, keep)
        edits = quote_edits(context, protected, options.quotes, options.apostrophe)
        text = apply_edits(text, edits, "quotes", changes)
        protected = protected.shifted(edits)
    if options.spacing:
        edits = spacing_edits(text, protected.inside)
        text = apply_edits(text, _without_overlaps(edits), "spacing", changes)
    return text


_NO_REPAIR = RepairOptions(ftfy=False, mojibake=False, invisible=False)


def _repair_around(
    text: str,
    keep: Sequence[tuple[int, int]],
    options: RepairOptions,
    changes: list[Change] | None,
) -> tuple[str, list[tuple[int, int]]]:
    """``text`` repaired outside the ``keep`` spans (sorted, not overlapping), which are
    left as they are; and where they are now."""
    out: list[str] = []
    moved: list[tuple[int, int]] = []
    pos = here = 0
    for start, end in [*keep, (len(text), len(text))]:
        if start > pos:
            piece_changes: list[Change] | None = [] if changes is not None else None
            fixed = _repair(text[pos:start], options, piece_changes)
            if changes is not None and piece_changes:
                changes += [
                    replace(c, start=c.start + here, end=c.end + here) for c in piece_changes
                ]
            out.append(fixed)
            here += len(fixed)
        if end > max(start, pos):
            start = max(start, pos)
            moved.append((here, here + end - start))
            out.append(text[start:end])
            here += end - start
        pos = max(pos, end)
    return "".join(out), moved


def normalize_keeping(
    text: str,
    options: NormalizeOptions,
    keep: Sequence[tuple[int, int]] = (),
    changes: list[Change] | None = None,
) -> str:
    """:func:`normalize` with the ``keep`` spans of ``text`` (sorted) left exactly as they
    are by every step: what :mod:`bilingual.text.markup` found opaque."""
    return _normalize(text, options, changes, keep)


def _markup(
    text: str | bytes, options: NormalizeOptions, changes: list[Change] | None
) -> str | None:
    """``text`` normalized as a Markdown or HTML document, or None for plain text."""
    if options.input_format == "text":
        return None
    document = decode(text)[0] if isinstance(text, bytes) else text
    fmt = resolve_format(options.input_format, document)
    if fmt == "text":
        return None
    if changes is not None and isinstance(text, bytes):
        changes.clear()
    return normalize_document(document, fmt, options, normalize_keeping, changes)


def normalize(text: str | bytes, options: NormalizeOptions | None = None, **kwargs: object) -> str:
    """Repair and normalize ``text``; options as keywords or a :class:`NormalizeOptions`.

    >>> normalize("数据显示,2025年12月,汽车整车进口3.0万辆")
    '数据显示，2025 年 12 月，汽车整车进口 3.0 万辆'
    """
    opts = _options(options, kwargs)
    document = _markup(text, opts, None)
    return document if document is not None else _normalize(text, opts, None)


def explain(
    text: str | bytes, options: NormalizeOptions | None = None, **kwargs: object
) -> tuple[str, list[Change]]:
    """Like :func:`normalize`, and return the changes in the order they were made.

    :func:`bilingual.change.apply_changes` replays them on the (decoded) input.
    """
    changes: list[Change] = []
    opts = _options(options, kwargs)
    document = _markup(text, opts, changes)
    if document is not None:
        return document, changes
    return _normalize(text, opts, changes), changes


def _options(options: NormalizeOptions | None, kwargs: dict[str, object]) -> NormalizeOptions:
    if options is not None and not kwargs:
        return options
    return make(NormalizeOptions, options, **kwargs)
