"""UTF-8 that went through a lossy GBK, GB18030 or Big5 decoder: filling in lost bytes.

Python's CJK decoders (``errors="replace"``) turn a byte that cannot start a character
into U+FFFD and go on at the very next byte, so each U+FFFD stands for exactly one lost
byte and every other byte is exact. :func:`fill` takes those bytes, with ``None`` for each
lost one, and decodes them as UTF-8:

* the lengths of the characters follow from the bytes that are left (a lead byte gives its
  length, a continuation byte cannot start a character);
* a character with lost bytes has a short list of candidates: the common characters
  (:func:`bilingual.chars.common_chars`) whose UTF-8 matches the bytes that are left, and
  whose lost bytes the codec would indeed have refused (a lost byte ``h`` followed by
  ``n`` means the codec has no character ``h n``);
* a beam search over the sentence finds the character lengths and a first choice, by how
  common the candidates are (GB 2312 level 1 first) and whether they make a word of
  jieba's dictionary with the character before;
* each guess is then chosen again by the likelihood of the two characters on each side
  with it, cut into jieba's dictionary words (word frequencies as a unigram model).

A guess is kept only when it is at least ten times likelier than the next candidate;
otherwise the character stays U+FFFD.

Limits: a character that lost two or three of its bytes (common with Big5,
whose decoder also refuses most lead bytes of UTF-8) has hundreds of candidates and is
usually left as U+FFFD; a decoder that drops two bytes per error (WHATWG's) breaks the
byte alignment this relies on.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from functools import lru_cache

from ..chars import common_chars
from .script import convert

__all__ = ["fill"]

Bytes = Sequence[int | None]
"""Bytes of a span, ``None`` for a byte the wrong decoder dropped."""

_BEAM = 12
_WORD_BONUS = 2.0  # a dictionary word with a neighbour
_MARGIN = 1.0  # a guess must be 10 times likelier than the next one, or it stays U+FFFD
_MARGIN_MANY = 1.5  # the same when two or three bytes of the character were lost
_CONTEXT = 3  # characters each side that judge a guess
_LOST_CHAR = -1.5  # score of a character given up as U+FFFD
_MAX_CANDIDATES = 250  # more matching characters than this: not worth a guess


@lru_cache(maxsize=1)
def _tiers() -> dict[str, float]:
    """Common characters → how common: GB 2312 level 1 and CJK punctuation 2, others 1."""
    tiers = dict.fromkeys(common_chars(), 1.0)
    for hi in range(0xB0, 0xD8):  # GB 2312 level 1: the 3,755 most used hanzi
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                tiers[bytes((hi, lo)).decode("gb2312")] = 2.0
    for ch in "，。、；：？！（）《》“”‘’…—·":
        tiers[ch] = 2.0
    return tiers


@lru_cache(maxsize=1)
def _candidates_index() -> dict[tuple[int | None, ...], tuple[str, ...]]:
    """UTF-8 pattern with lost bytes (None) → the common characters that match it."""
    index: dict[tuple[int | None, ...], list[str]] = {}
    for ch in _tiers():
        data = ch.encode("utf-8")
        if len(data) != 3:
            continue  # Chinese and its punctuation: a guessed `×` or `·` is noise
        for mask in range(1, 1 << len(data)):
            key = tuple(None if mask >> k & 1 else b for k, b in enumerate(data))
            index.setdefault(key, []).append(ch)
    return {key: tuple(chars) for key, chars in index.items()}


@lru_cache(maxsize=4)
def _pairs(codec: str) -> frozenset[int]:
    """Two-byte sequences (``lead << 8 | trail``) that ``codec`` decodes to one character."""
    pairs = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                if len(bytes((lead, trail)).decode(codec)) == 1:
                    pairs.add(lead << 8 | trail)
            except UnicodeDecodeError:
                continue
    return frozenset(pairs)


def _refused(codec: str, lost: int, after: int | None) -> bool:
    """Whether ``codec`` drops byte ``lost`` when ``after`` follows it (None: unknown)."""
    if after is None or lost < 0x81:
        return True
    if codec == "gb18030" and 0x30 <= after <= 0x39:
        return True  # a four-byte sequence, which the rest of it decides
    return (lost << 8 | after) not in _pairs(codec)


def _length(lead: int) -> int:
    return 1 if lead < 0x80 else 2 if 0xC2 <= lead <= 0xDF else 3 if lead < 0xF0 else 4


def _is_word(text: str) -> bool:
    import rjieba  # jieba's dictionary, in Rust; loaded only when bytes were lost

    return bool(rjieba.has_word(text))


def _options(data: Bytes, i: int, codec: str) -> list[tuple[int, str | None, bool]]:
    """(length, character or None for U+FFFD, guessed) for a character starting at ``i``."""
    first = data[i]
    if first is not None and first < 0x80:
        return [(1, chr(first), False)]
    if first is not None and not 0xC2 <= first <= 0xF4:
        return []  # a continuation byte (or 0xC0, 0xC1, 0xF5-0xFF) starts nothing
    lengths = (_length(first),) if first is not None else (3, 2, 4)
    found: list[tuple[int, str | None, bool]] = []
    for size in lengths:
        window = tuple(data[i : i + size])
        if len(window) < size or any(b is not None and not 0x80 <= b <= 0xBF for b in window[1:]):
            continue
        if None not in window:
            with contextlib.suppress(UnicodeDecodeError):
                found.append((size, bytes(window).decode("utf-8"), False))  # type: ignore[arg-type]
            continue
        after = data[i + size] if i + size < len(data) else None
        candidates = _candidates_index().get(window, ())
        if len(candidates) > _MAX_CANDIDATES:
            candidates = ()  # two or three bytes lost: too many to choose from
        for ch in candidates:
            raw = ch.encode("utf-8")
            following = [*raw[1:], after]
            if all(_refused(codec, raw[k], following[k]) for k in range(size) if window[k] is None):
                found.append((size, ch, True))
        found.append((size, None, True))
    return found


_LOG_TOTAL = 7.78  # log10 of the sum of jieba's dictionary frequencies (about 6e7)


# jieba's dictionary has no punctuation: rough log10 shares of Chinese news text's tokens,
# and at the end of a text (``_FINAL``) the marks that end sentences.
_PUNCTUATION = {
    **dict.fromkeys("「」『』【】〔〕〈〉·", -3.8),
    **dict.fromkeys("“”（）：", -2.6),
    **dict.fromkeys("《》；—？！…", -3.0),
    "，": -1.3,
    "。": -1.6,
    "、": -2.1,
}
_FINAL = {"。": -0.3, "！": -2.0, "？": -2.0, "”": -2.0, "）": -2.5, "》": -3.0}


def _likelihood(text: str, final: bool = False) -> float:
    """log10 probability of ``text`` (in Simplified characters) as jieba's best cut of it
    into dictionary words (``final``: ``text`` ends the span, where sentence-ending marks
    are likely)."""
    import rjieba

    words = rjieba.cut(convert(text, "t2s"), False)  # jieba's words are Simplified
    total = 0.0
    for k, word in enumerate(words):
        if final and k == len(words) - 1 and word in _FINAL:
            total += _FINAL[word]
        elif word in _PUNCTUATION:
            total += _PUNCTUATION[word]
        else:
            total += math.log10(max(rjieba.suggest_freq(word), 1)) - _LOG_TOTAL
    return total


def fill(data: Bytes, codec: str) -> str | None:
    """UTF-8 ``data`` with lost bytes (None) decoded: lost characters that a dictionary word
    singles out are filled in, the others are U+FFFD. None when ``data`` is not UTF-8 even
    with its lost bytes, or nothing was lost."""
    if None not in data:
        return None
    # Beam search: position → {last character: (score, path)}; a path is a tuple of
    # (character or None, guessed, start, size).
    Path = tuple[tuple[str | None, bool, int, int], ...]
    beams: dict[int, dict[str, tuple[float, Path]]] = {0: {"": (0.0, ())}}
    for i in range(len(data)):
        states = beams.pop(i, None)
        if not states:
            continue
        best = sorted(states.items(), key=lambda kv: -kv[1][0])[:_BEAM]
        for size, ch, guessed in _options(data, i, codec):
            for last, (score, path) in best:
                if ch is None:
                    gain = _LOST_CHAR
                else:
                    gain = _tiers().get(ch, 0.0) * (0.5 if not guessed else 1.0)
                    if last and _is_word(last + ch):
                        gain += _WORD_BONUS
                key = ch or ""
                total = score + gain
                target = beams.setdefault(i + size, {})
                if key not in target or target[key][0] < total:
                    target[key] = (total, (*path, (ch, guessed, i, size)))
    final = beams.get(len(data))
    if not final:
        return None
    path = max(final.values(), key=lambda v: v[0])[1]
    return "".join(_settle(path, data, codec))


def _settle(
    path: tuple[tuple[str | None, bool, int, int], ...], data: Bytes, codec: str
) -> list[str]:
    """Choose each guessed character again by how likely it makes the words around it
    (``_CONTEXT`` characters each side): a first pass takes the likeliest everywhere, so
    that damaged neighbours judge each other; the second keeps a guess only when it is
    clearly the likeliest, else U+FFFD."""
    chars = [ch or "\ufffd" for ch, _, _, _ in path]
    chosen = list(chars)
    for strict in (False, True):
        for k, (ch, guessed, start, size) in enumerate(path):
            if not guessed or ch is None:
                continue
            left = "".join(chosen[max(0, k - _CONTEXT) : k])
            right = "".join(chosen[k + 1 : k + 1 + _CONTEXT])
            scored = sorted(
                (
                    (_likelihood(left + option + right, final=k == len(path) - 1), option)
                    for length, option, _ in _options(data, start, codec)
                    if option is not None and length == size
                ),
                reverse=True,
            )
            chosen[k] = scored[0][1]
            if strict:
                holes = sum(b is None for b in data[start : start + size])
                margin = _MARGIN if holes == 1 else _MARGIN_MANY
                clear = len(scored) == 1 or scored[0][0] - scored[1][0] >= margin
                chars[k] = scored[0][1] if clear else "\ufffd"
    return chars
