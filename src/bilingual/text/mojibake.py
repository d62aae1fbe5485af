"""Chinese mojibake: UTF-8 read as GBK/GB18030/Big5, and GBK/Big5 read as Latin-1/cp1252.

ftfy repairs UTF-8 read as Latin-1 or cp1252 (in many layers); it does not repair Chinese
that went through a Chinese codec, nor Chinese codecs read as Latin-1. This module does:

* UTF-8 read as GBK, GB18030 or Big5 (``姹借溅杩涘彛`` → ``汽车进口``): the span is
  encoded back with the wrong codec and decoded as UTF-8. Bytes the wrong decoder dropped
  (U+FFFD) are filled in by :mod:`bilingual.text.lossy` where the bytes that are left and
  a dictionary word allow, and stay U+FFFD otherwise; decoding goes on after each one.
* GBK or Big5 read as Latin-1 or cp1252 (``Æû³µ½ø¿Ú`` → ``汽车进口``), unless ftfy
  repairs the span cleanly as UTF-8 mojibake (``æ\xad£é«”ä¸\xadæ–‡`` is 正體中文, not
  GBK): ftfy's case comes first.

A span is replaced only when the result is clearly more plausible Chinese
(:func:`bilingual.chars.plausibility`), so clean text is never changed. Limits: spans
shorter than two Chinese characters are left alone (too little evidence), and so is
mojibake of Japanese or Korean text.
"""

from __future__ import annotations

import bisect
import re

import ftfy

from ..change import Edit
from ..chars import HAN, HANGUL, KANA_CLASS, count_uncommon, has_uncommon, plausibility
from .decode import CHINESE_THRESHOLD as _CHINESE_THRESHOLD
from .lossy import fill

__all__ = ["mojibake_edits"]


# UTF-8 read as GBK/GB18030/Big5 gives runs of rare hanzi, private-use characters, Kana,
# Hangul, CJK symbols and U+FFFD where bytes were lost.
_HANLIKE = (
    f"[{HAN}{KANA_CLASS}{HANGUL}\ue000-\uf8ff\u3100-\u312f\u31a0-\u31bf"
    "\u3000-\u303f\u3200-\u33ff\ufe10-\ufe6f\uff00-\uffef\ufffd\u2460-\u24ff\u2500-\u257f"
    "\u0391-\u03c9\u0401-\u0451"
    # the symbols of GBK's and Big5's symbol rows: ′ ※ ℃ № → ∑ ■ ★ ° ± · × ÷ ˇ
    "\u2010-\u203f\u2100-\u22ff\u2312\u25a0-\u25ff\u2605\u2606\u2640\u2642"
    "\u00a4\u00a7\u00a8\u00b0\u00b1\u00b7\u00d7\u00f7\u02c7\u02c9-\u02cb\u02d9"
    # and its pinyin letters: ā á ǎ à ...
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêɑńňɡ]"
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


# UTF-8 characters in which 0xFF stands for a byte the wrong decoder dropped (0xFF is never
# a byte of UTF-8); three-byte characters first, the usual length of Chinese. Stretches
# found here are decoded exactly by :func:`bilingual.text.lossy.fill`.
# A character cut short at the end of the span (the text was cut, or its last bytes lost
# without a trace) is one lost character.
_CUT_SHORT = rb"(?:[\xc2-\xdf]|[\xe0-\xef][\x80-\xbf]?|[\xf0-\xf4][\x80-\xbf]{0,2})\Z"
_UTF8_WITH_LOST = re.compile(
    rb"(?:[\x00-\x7f]|[\xe0-\xef\xff][\x80-\xbf\xff]{2}|[\xc2-\xdf\xff][\x80-\xbf\xff]"
    rb"|[\xf0-\xf4\xff][\x80-\xbf\xff]{3}|\xff|%s)+" % _CUT_SHORT
)
_CUT_SHORT_END = re.compile(_CUT_SHORT)


def _decode_stretch(data: bytes, codec: str) -> str:
    """UTF-8 ``data`` with 0xFF for each lost byte: lost bytes filled in where the bytes left
    and a dictionary word allow (:mod:`bilingual.text.lossy`), U+FFFD where not."""
    cut = _CUT_SHORT_END.search(data)
    if cut and cut.start():
        return _decode_stretch(data[: cut.start()], codec) + "\ufffd"
    if b"\xff" not in data:
        return data.decode("utf-8", "replace")
    filled = fill([None if b == 0xFF else b for b in data], codec)
    if filled is not None:
        return filled
    return data.replace(b"\xff", b"\xef\xbf\xbd").decode("utf-8", "replace")


def _utf8_read_as_cjk(span: str) -> list[tuple[int, int, str]]:
    """Undo UTF-8 bytes decoded as GBK/GB18030/Big5 inside ``span``.

    Returns ``(start, end, repaired)`` for each stretch of ``span`` whose bytes in the
    wrong codec are UTF-8 of plausible Chinese. Each U+FFFD is one byte the wrong decoder
    dropped: decoding goes on after it, and its character is recovered when the bytes
    left allow, else stays U+FFFD.
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
        for m in _UTF8_WITH_LOST.finditer(data):
            lo = next((b for b in range(m.start(), m.end()) if b in bounds), None)
            hi = next((b for b in range(m.end(), m.start(), -1) if b in bounds), None)
            if lo is None or hi is None or hi <= lo:
                continue
            start, end = bounds[lo], bounds[hi]
            fixed = _decode_stretch(data[lo:hi], codec)
            if _clearly_better(span[start:end], fixed):
                found.append((start, end, fixed))
        if found:
            return found
    return []


_LATIN1_LETTER = re.compile(r"[\xc0-\xff]")


def _ftfy_fixes_cleanly(span: str) -> bool:
    """ftfy repairs ``span`` (multi-layer, sloppy or lossy UTF-8 mojibake) into text with no
    Latin-1 letters left and nothing it still finds suspicious: leave it to ftfy.

    ftfy's attempt on GBK-as-Latin-1 (``ÖÐ¹ú``, 中国) changes it too, into ``Öйú``: such
    attempts keep Latin-1 letters, or still look bad to ftfy.
    """
    fixed = ftfy.fix_encoding(span)
    return fixed != span and not _LATIN1_LETTER.search(fixed) and not ftfy.is_bad(fixed)


_WORD_CHAR = re.compile(r"\S")


def _words_around(text: str, start: int, end: int, reach: int = 24) -> str:
    """``text[start:end]`` with the rest of the words it touches (what ftfy should see:
    ``âš ï¸�`` is ⚠ and a lost byte, ``âš ï¸`` alone is nothing to ftfy)."""
    while start > 0 and reach and _WORD_CHAR.match(text[start - 1]):
        start, reach = start - 1, reach - 1
    while end < len(text) and reach and _WORD_CHAR.match(text[end]):
        end, reach = end + 1, reach - 1
    return text[start:end]


def _cjk_read_as_latin1(span: str) -> str | None:
    """Undo GBK/Big5 bytes decoded as Latin-1 or cp1252 (not UTF-8 mojibake: ftfy's)."""
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
    if han < 2 or lost > han:
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


def mojibake_edits(text: str) -> list[Edit]:
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
        if repaired is not None and not (
            _ftfy_fixes_cleanly(m.group())
            or _ftfy_fixes_cleanly(_words_around(text, m.start(), m.end()))
        ):
            edits.append(Edit(m.start(), m.end(), repaired, "mojibake: GBK/Big5 read as Latin-1"))
    edits.sort(key=lambda e: e.start)
    return edits
