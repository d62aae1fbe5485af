"""Repair: bytes of unknown encoding to clean text.

Steps, in order (each can be turned off in :class:`RepairOptions`):

1. bytes are decoded by :func:`bilingual.text.decode.decode` (byte-order marks, UTF-8,
   UTF-16, GB18030 or Big5 by plausibility, charset-normalizer); binary data is refused
   with :class:`~bilingual.errors.DecodeError`.
2. ``ftfy``: ftfy's encoding, HTML-entity, control-character, line-break and surrogate
   fixes, with ``fix_character_width`` and ``uncurl_quotes`` off because they damage
   Chinese (``你好，世界！`` would become ``你好,世界!``). Width and quotes are handled by
   :mod:`bilingual.text.normalize`, by language context.
3. ``mojibake``: Chinese that went through the wrong codec, which ftfy does not repair:
   UTF-8 read as GBK, GB18030 or Big5 (``姹借溅杩涘彛`` → ``汽车进口``), and GBK or Big5
   read as Latin-1/cp1252 (``Æû³µ½ø¿Ú`` → ``汽车进口``). A span is replaced only when the
   result is clearly more plausible Chinese (:func:`bilingual.chars.plausibility`). Spans
   that already lost bytes (U+FFFD) are repaired around the loss, which stays U+FFFD.
4. ``invisible``: zero-width characters, stray byte-order marks, soft hyphens and
   control characters are removed; NBSP and the other Unicode spaces become ASCII spaces
   (the ideographic space U+3000 is left to normalize).

Limits: mojibake spans shorter than two Chinese characters are left alone (too little
evidence), and so is mojibake of Japanese or Korean text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import ftfy

from ..change import Change, Edit, apply_edits, diff_edits
from ..chars import HAN, HANGUL, KANA_CLASS, count_uncommon, has_uncommon, plausibility
from .decode import CHINESE_THRESHOLD as _CHINESE_THRESHOLD
from .decode import decode

__all__ = ["RepairOptions", "decode", "repair", "repair_and_explain"]


@dataclass(frozen=True)
class RepairOptions:
    """Which repair steps run. All default to on."""

    ftfy: bool = True
    """Run ftfy with CJK-safe settings (no width folding, no quote straightening)."""
    mojibake: bool = True
    """Repair Chinese decoded with the wrong codec."""
    invisible: bool = True
    """Remove zero-width and control characters; make Unicode spaces ASCII spaces."""


_FTFY_CONFIG = ftfy.TextFixerConfig(fix_character_width=False, uncurl_quotes=False, explain=False)


def _ftfy_edits(text: str, explain: bool) -> tuple[str, list[Edit]]:
    fixed = ftfy.fix_text(text, _FTFY_CONFIG)
    return fixed, (diff_edits(text, fixed, "ftfy") if explain else [])


# --- CJK mojibake ----------------------------------------------------------------------

# UTF-8 read as GBK/GB18030/Big5 gives runs of rare hanzi, private-use characters, Kana,
# Hangul, CJK symbols and U+FFFD where bytes were lost.
_HANLIKE = (
    f"[{HAN}{KANA_CLASS}{HANGUL}\ue000-\uf8ff\u3100-\u312f\u31a0-\u31bf"
    "\u3000-\u303f\u3200-\u33ff\ufe10-\ufe6f\uff00-\uffef\ufffd\u2460-\u24ff\u2500-\u257f"
    "\u0391-\u03c9\u0401-\u0451]"
)
_HANLIKE_RUN = re.compile(_HANLIKE + "{2,}")
# Runs joined by short ASCII stretches (figures, names): ASCII survives the wrong codec.
_HANLIKE_REGION = re.compile(rf"{_HANLIKE}+(?:[\x20-\x7e]{{1,12}}{_HANLIKE}+)+")
# GBK/Big5 read as Latin-1/cp1252 gives runs of Latin-1 letters and cp1252 symbols; Big5
# trail bytes (and a few GBK ones) fall in the ASCII range 0x40-0x7E.
_LATIN1_HIGH = (
    r"[\x80-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
    r"\u2039\u203a\u20ac\u2122]"
)
_LATIN1_PAIRS = rf"(?:{_LATIN1_HIGH}{{2}}|{_LATIN1_HIGH}[\x40-\x7e])+"
_LATIN1_REGION = re.compile(rf"{_LATIN1_PAIRS}(?:[\x20-\x3f]{{1,12}}{_LATIN1_PAIRS})*")
# Latin-1 symbols (not letters) that GBK and Big5 lead bytes turn into: real European
# words do not contain them, and a few Chinese characters always do.
_LATIN1_SYMBOL = re.compile(r"[\xa1-\xbf\xd7\xf7]")

_WRONG_CJK_CODECS = ("gbk", "gb18030", "big5")


# Well-formed UTF-8 (ASCII included), and 0xFF standing for a byte the wrong decoder
# already dropped, with the truncated sequence it leaves behind (or a sequence cut short
# at the end of the span).
_TRUNCATED = rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]?|[\xf0-\xf4][\x80-\xbf]{0,2})"
_LOST = re.compile(rb"%s?\xff|%s\Z" % (_TRUNCATED, _TRUNCATED))
_UTF8_BYTES = re.compile(
    rb"(?:[\x00-\x7f]|[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}|%s)+" % _LOST.pattern
)


def _decode_lossy(data: bytes) -> str:
    """UTF-8 ``data`` in which each 0xFF (with its truncated sequence) is one lost character."""
    return "\ufffd".join(part.decode("utf-8", "replace") for part in _LOST.split(data))


def _utf8_read_as_cjk(span: str) -> list[tuple[int, int, str]]:
    """Undo UTF-8 bytes decoded as GBK/GB18030/Big5 inside ``span``.

    Returns ``(start, end, repaired)`` for each stretch of ``span`` whose bytes in the
    wrong codec are UTF-8 of plausible Chinese; U+FFFD (bytes already lost) stays U+FFFD.
    """
    for codec in _WRONG_CJK_CODECS:
        try:
            pieces = [b"\xff" if ch == "\ufffd" else ch.encode(codec) for ch in span]
        except UnicodeEncodeError:
            continue
        data = b"".join(pieces)
        bounds = {0: 0}  # byte offset -> character offset, at character boundaries
        offset = 0
        for i, piece in enumerate(pieces, start=1):
            offset += len(piece)
            bounds[offset] = i
        found = []
        for m in _UTF8_BYTES.finditer(data):
            lo = next((b for b in range(m.start(), m.end()) if b in bounds), None)
            hi = next((b for b in range(m.end(), m.start(), -1) if b in bounds), None)
            if lo is None or hi is None or hi <= lo:
                continue
            start, end = bounds[lo], bounds[hi]
            fixed = _decode_lossy(data[lo:hi])
            if _clearly_better(span[start:end], fixed):
                found.append((start, end, fixed))
        if found:
            return found
    return []


def _cjk_read_as_latin1(span: str) -> str | None:
    """Undo GBK/Big5 bytes decoded as Latin-1 or cp1252."""
    for wrong in ("latin-1", "cp1252"):
        try:
            data = span.encode(wrong)
        except UnicodeEncodeError:
            continue
        try:
            data.decode("utf-8")
            return None  # UTF-8 read as Latin-1: ftfy's case
        except UnicodeDecodeError:
            pass
        for codec in ("gbk", "big5"):
            try:
                fixed = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if _LATIN1_SYMBOL.search(span) and _clearly_better(span, fixed):
                return fixed
    return None


def _clearly_better(span: str, fixed: str) -> bool:
    """The repaired span must be Chinese, almost all common characters, and beat the span.

    Callers only pass decodings that were valid in the codec they undo, which is already
    strong evidence; this checks the result reads as Chinese.
    """
    if fixed == span:
        return False
    han = sum(1 for ch in fixed if "\u3400" <= ch <= "\u9fff")
    lost = fixed.count("\ufffd")
    if han < 2 or lost * 4 > han:
        return False
    kept = fixed.replace("\ufffd", "")
    score = plausibility(kept)
    return (
        score >= _CHINESE_THRESHOLD
        and count_uncommon(kept) < count_uncommon(span)
        and score > plausibility(span)
    )


def _holds_suspect(
    start: int, end: int, starts: list[int], suspects: list[tuple[int, int]]
) -> bool:
    i = bisect.bisect_left(starts, start)
    return i < len(suspects) and suspects[i][1] <= end


def _mojibake_edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    # Only runs with an uncommon character can be mojibake; clean text stops here.
    suspects = [m.span() for m in _HANLIKE_RUN.finditer(text) if has_uncommon(m.group())]
    if suspects:
        # Largest spans first: a region that repairs as a whole beats its runs one by one.
        starts = [start for start, _ in suspects]
        regions = [
            m
            for m in _HANLIKE_REGION.finditer(text)
            if _holds_suspect(m.start(), m.end(), starts, suspects)
        ]
        for start, end in [m.span() for m in regions] + suspects:
            if any(e.start < end and start < e.end for e in edits):
                continue  # already repaired
            for s, e, fixed in _utf8_read_as_cjk(text[start:end]):
                edits.append(Edit(start + s, start + e, fixed, "mojibake: UTF-8 read as CJK"))
    for m in _LATIN1_REGION.finditer(text):
        repaired = _cjk_read_as_latin1(m.group())
        if repaired is not None:
            edits.append(Edit(m.start(), m.end(), repaired, "mojibake: GBK/Big5 read as Latin-1"))
    edits.sort(key=lambda e: e.start)
    return edits


# --- invisible characters --------------------------------------------------------------

_INVISIBLE = re.compile(
    r"[\u200b\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
_ODD_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f]")


def _invisible_edits(text: str) -> list[Edit]:
    edits = [Edit(m.start(), m.end(), "", "invisible character") for m in _INVISIBLE.finditer(text)]
    edits += [Edit(m.start(), m.end(), " ", "unusual space") for m in _ODD_SPACE.finditer(text)]
    edits.sort(key=lambda e: e.start)
    return edits


_MAX_ROUNDS = 3


def _repair(data: str | bytes, options: RepairOptions, changes: list[Change] | None) -> str:
    text = decode(data)[0] if isinstance(data, bytes) else data
    # Mojibake first: ftfy would "fix" GBK-read-as-Latin-1 pairs such as `Òµ` as UTF-8.
    # Invisible characters go before ftfy too, since ftfy judges a span by its neighbours,
    # and after it, since its fixes can produce some (NBSP). A fix can uncover another
    # (a removed control character joins a mojibake span), so a round is repeated while
    # the mojibake step finds something or ftfy left invisible characters: this makes
    # repair idempotent (hypothesis found both cases).
    again = True
    for round_number in range(_MAX_ROUNDS):
        edits = _mojibake_edits(text) if options.mojibake else []
        if round_number and not edits and not again:
            break
        text = apply_edits(text, edits, "repair", changes)
        if options.invisible:
            text = apply_edits(text, _invisible_edits(text), "repair", changes)
        if options.ftfy:
            fixed, ftfy_edits = _ftfy_edits(text, changes is not None)
            if changes is not None:
                fixed = apply_edits(text, ftfy_edits, "repair", changes)
            text = fixed
        again = False
        if options.invisible:
            leftover = _invisible_edits(text)
            again = bool(leftover)
            text = apply_edits(text, leftover, "repair", changes)
    return text


def repair(data: str | bytes, options: RepairOptions | None = None) -> str:
    """Decode ``data`` if it is bytes and repair encoding damage; see the module docs.

    >>> repair("姹借溅杩涘彛 rose")
    '汽车进口 rose'
    """
    return _repair(data, options or RepairOptions(), None)


def repair_and_explain(
    data: str | bytes, options: RepairOptions | None = None
) -> tuple[str, list[Change]]:
    """Like :func:`repair`, and return the changes made after decoding."""
    changes: list[Change] = []
    return _repair(data, options or RepairOptions(), changes), changes
