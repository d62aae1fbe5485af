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
from collections.abc import Iterator, Mapping
from functools import lru_cache

import regex

from ..change import Change, Edit, apply_edits
from ..chars import HAN, HAN_RUN, KANA, TO_ASCII, TO_FULLWIDTH, is_han, letter_kind
from ..errors import ConfigError
from ..options import NormalizeOptions, make
from .protect import Protected
from .repair import RepairOptions, _repair
from .script import convert, load_overrides
from .spacing import spacing_edits

__all__ = ["NormalizeOptions", "explain", "normalize"]

# --- context -----------------------------------------------------------------------------

_SCAN = 80  # how far to look for the nearest letter, in characters
_PROSE = regex.compile(r"(?:\p{Latin}+[ '’-]+){2}\p{Latin}")


def _left_kind(text: str, i: int) -> str | None:
    """Kind of the nearest letter before position i on the same line."""
    for j in range(i - 1, max(i - _SCAN, 0) - 1, -1):
        ch = text[j]
        if ch == "\n":
            return None
        kind = letter_kind(ch)
        if kind:
            return kind
    return None


def _right_letter(text: str, i: int) -> int:
    """Index of the nearest letter at or after i on the same line, or -1."""
    for j in range(i, min(i + _SCAN, len(text))):
        ch = text[j]
        if ch == "\n":
            return -1
        if letter_kind(ch):
            return j
    return -1


def _right_kind(text: str, i: int) -> str | None:
    j = _right_letter(text, i)
    return letter_kind(text[j]) if j >= 0 else None


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


_ASCII_MARK = re.compile(r"[,;:?!]")
_FROM_FIRST_HAN = re.compile(f"[{HAN}][^\\n]*")
_WIDE_MARK = re.compile(r"[，；：？！。、]")
_BRACKETS = re.compile(r"[(（][^()（）\n]*[)）]")


def _chinese_after(text: str, j: int) -> bool:
    """The text after position j is not English prose."""
    k = _right_letter(text, j)
    if k < 0:
        return True
    kind = letter_kind(text[k])
    return kind == "han" or (kind == "latin" and not _PROSE.match(text, k))


def _punctuation_edits(text: str, protected: Protected) -> list[Edit]:
    edits: list[Edit] = []
    # Only a mark with Han before it on its line can be in a Chinese context.
    marks = (
        mark
        for line in _FROM_FIRST_HAN.finditer(text)
        for mark in _ASCII_MARK.finditer(text, line.start(), line.end())
    )
    for m in marks:
        i, ch = m.start(), m.group()
        if protected.inside(i, i + 1):
            continue
        if (
            ch in ",:"
            and 0 < i < len(text) - 1
            and text[i - 1].isdigit()
            and (text[i + 1].isdigit())
        ):
            continue  # 476,000 and 10:30
        if _left_kind(text, i) == "han" and _chinese_after(text, i + 1):
            edits.append(Edit(i, i + 1, ch.translate(TO_FULLWIDTH), "ASCII mark in Chinese"))
    for m in _WIDE_MARK.finditer(text):
        i = m.start()
        if i and is_han(text[i - 1]):
            continue  # the usual case, decided without a scan
        if _left_kind(text, i) == "latin" and _right_kind(text, i + 1) in ("latin", None):
            after = m.group().translate(TO_ASCII)
            if i + 1 < len(text) and text[i + 1].isalnum():
                after += " "
            edits.append(Edit(i, i + 1, after, "full-width mark in English"))
    for m in _BRACKETS.finditer(text):
        start, end = m.span()
        if protected.inside(start, end):
            continue
        kinds = (_left_kind(text, start), _right_kind(text, end))
        vote = kinds.count("han") - kinds.count("latin")
        if vote == 0:
            vote = 1 if HAN_RUN.search(m.group()) else -1
        if vote > 0:
            opening, closing = "（", "）"
        else:
            opening = " (" if start and text[start - 1].isalnum() else "("
            closing = ") " if end < len(text) and text[end].isalnum() else ")"
        reason = "brackets in Chinese" if vote > 0 else "brackets in English"
        edits.append(Edit(start, start + 1, opening, reason))
        edits.append(Edit(end - 1, end, closing, reason))
    return edits


_MISUSED_APOSTROPHE = regex.compile(r"(?<=\p{Latin})[‘`´](?=\p{Latin})")
_CLOSING_AS_OPENING = regex.compile(r"(?<=^|[\s(\[])”(?=[\p{Latin}\d])", regex.MULTILINE)
_OPENING_AS_CLOSING = regex.compile(r"(?<=[\p{Latin}\d.,!?;:])“(?=[\s.,;:!?)\]]|$)", regex.M)
_STRAIGHT_PAIR = re.compile(r'"([^"\n]{1,200})"')
_CURLY = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'"})
_CURLY_RUN = re.compile(r"[“”„‟‘’‚]")


def _quote_edits(text: str, protected: Protected, mode: str, apostrophe: str) -> list[Edit]:
    edits = _all_quote_edits(text, mode, apostrophe)
    return [e for e in edits if not protected.inside(e.start, e.end)]


def _all_quote_edits(text: str, mode: str, apostrophe: str) -> list[Edit]:
    if mode == "keep":
        return []
    if mode == "straight":
        return [
            Edit(m.start(), m.end(), m.group().translate(_CURLY), "straight quotes")
            for m in _CURLY_RUN.finditer(text)
        ]
    edits = [
        Edit(m.start(), m.end(), apostrophe, "quote used as apostrophe")
        for m in _MISUSED_APOSTROPHE.finditer(text)
    ]
    # Direction is fixed only in English: next to Chinese, “” mark a quotation as they are.
    edits += [
        Edit(m.start(), m.end(), "“", "closing quote used to open")
        for m in _CLOSING_AS_OPENING.finditer(text)
        if "han" not in (_left_kind(text, m.start()), _right_kind(text, m.end()))
    ]
    edits += [
        Edit(m.start(), m.end(), "”", "opening quote used to close")
        for m in _OPENING_AS_CLOSING.finditer(text)
        if "han" not in (_left_kind(text, m.start()), _right_kind(text, m.end()))
    ]
    for m in _STRAIGHT_PAIR.finditer(text):
        start, end = m.span()
        if (
            HAN_RUN.search(m.group(1))
            and _left_kind(text, start) in ("han", None)
            and (_right_kind(text, end) in ("han", None))
        ):
            edits.append(Edit(start, start + 1, "“", "straight quotes in Chinese"))
            edits.append(Edit(end - 1, end, "”", "straight quotes in Chinese"))
    edits.sort(key=lambda e: e.start)
    return edits


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


def _normalize(text: str | bytes, options: NormalizeOptions, changes: list[Change] | None) -> str:
    repair = RepairOptions() if options.repair else _NO_REPAIR
    if options.repair or isinstance(text, bytes):
        text = _repair(text, repair, changes)
    if options.width:
        # After repair, which needs NBSP (`Ã\xa0` is à); a space can join mojibake that
        # NBSP split, so repair looks again (normalize stays idempotent).
        spaces = _unicode_space_edits(text)
        if spaces:
            text = _repair(apply_edits(text, spaces, "width", changes), repair, changes)
    # Found once; the steps never edit inside a span, so later they are only shifted.
    protected = Protected(text)
    if options.script:
        edits = protected.keep_out(_script_edits(text, options.script, _overrides(options)))
        text = apply_edits(text, edits, "script", changes)
        protected = protected.shifted(edits)
    if options.width:
        text = apply_edits(text, protected.keep_out(_width_edits(text)), "width", changes)
    if options.punctuation:
        edits = list(_without_overlaps(_punctuation_edits(text, protected)))
        text = apply_edits(text, edits, "punctuation", changes)
        protected = protected.shifted(edits)
    if options.quotes != "keep":
        edits = _quote_edits(text, protected, options.quotes, options.apostrophe)
        text = apply_edits(text, edits, "quotes", changes)
        protected = protected.shifted(edits)
    if options.spacing:
        edits = spacing_edits(text, protected.inside)
        text = apply_edits(text, _without_overlaps(edits), "spacing", changes)
    return text


_NO_REPAIR = RepairOptions(ftfy=False, mojibake=False, invisible=False)


def normalize(text: str | bytes, options: NormalizeOptions | None = None, **kwargs: object) -> str:
    """Repair and normalize ``text``; options as keywords or a :class:`NormalizeOptions`.

    >>> normalize("数据显示,2025年12月,汽车整车进口3.0万辆")
    '数据显示，2025 年 12 月，汽车整车进口 3.0 万辆'
    """
    return _normalize(text, _options(options, kwargs), None)


def explain(
    text: str | bytes, options: NormalizeOptions | None = None, **kwargs: object
) -> tuple[str, list[Change]]:
    """Like :func:`normalize`, and return the changes in the order they were made.

    :func:`bilingual.change.apply_changes` replays them on the (decoded) input.
    """
    changes: list[Change] = []
    return _normalize(text, _options(options, kwargs), changes), changes


def _options(options: NormalizeOptions | None, kwargs: dict[str, object]) -> NormalizeOptions:
    if options is not None and not kwargs:
        return options
    return make(NormalizeOptions, options, **kwargs)
