"""Character classes shared by the stages, and a measure of how plausible Chinese text is.

The common-character sets are not shipped as data: they are the character tables of two
national standards, read back from Python's own codecs.

* GB 2312 holds the 6,763 hanzi of everyday Simplified Chinese (rows 16-87).
* Big5 level 1 holds the 5,401 "frequently used" Traditional characters (0xA440-0xC67E).

Correctly decoded Chinese text consists almost entirely of these characters; text that went
through the wrong codec (``姹借溅杩涘彛`` for ``汽车进口``) is full of rare ones. That contrast is
what :func:`plausibility` measures. It says nothing about Japanese or Korean text.
"""

from __future__ import annotations

import contextlib
import re
from functools import lru_cache

# Character classes as ranges, for the standard library's `re`, which is several times
# faster than `regex` on the simple patterns of the hot paths. `is_han` agrees with HAN.
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
KANA_CLASS = "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f"
HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7af"
HAN_RUN = re.compile(f"[{HAN}]+")
KANA = re.compile(f"[{KANA_CLASS}]")

# Punctuation that Chinese text uses in full width, and its ASCII counterpart.
FULLWIDTH_PUNCT = "，；：？！（）"
ASCII_PUNCT = ",;:?!()"
TO_FULLWIDTH = str.maketrans(ASCII_PUNCT, FULLWIDTH_PUNCT)
TO_ASCII = str.maketrans(FULLWIDTH_PUNCT + "。、", ASCII_PUNCT + ".,")

# Punctuation and symbols that correctly decoded Chinese text is made of besides hanzi.
_CJK_PUNCT = (
    "，。、；：？！（）《》〈〉「」『』【】〔〕“”‘’…—～·￥％＋－×÷＝＜＞／"
    "\u3000"
    "０１２３４５６７８９"
)


def is_han(ch: str) -> bool:
    """True for a CJK unified or compatibility ideograph."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or (0x20000 <= o <= 0x3134F)
    )


def letter_kind(ch: str) -> str | None:
    """Classify one character for context rules: ``"han"``, ``"latin"``, ``"other"`` or None.

    ``"other"`` is any other letter (Kana, Hangul, Cyrillic, ...); None is a non-letter
    (digit, space, punctuation, symbol).
    """
    if is_han(ch):
        return "han"
    if not ch.isalpha():
        return None
    if ch < "\u0250" or "\u1e00" <= ch <= "\u1eff":
        return "latin"
    return "other"


@lru_cache(maxsize=1)
def common_chars() -> frozenset[str]:
    """The hanzi of GB 2312 and Big5 level 1, plus common CJK punctuation."""
    chars: set[str] = set(_CJK_PUNCT)
    for hi in range(0xB0, 0xF8):  # GB 2312 hanzi rows
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((hi, lo)).decode("gb2312"))
    for hi in range(0xA4, 0xC7):  # Big5 frequently used characters
        for lo in [*range(0x40, 0x7F), *range(0xA1, 0xFF)]:
            if (hi, lo) > (0xC6, 0x7E):
                break
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((hi, lo)).decode("big5"))
    return frozenset(chars)


@lru_cache(maxsize=1)
def _uncommon_pattern() -> re.Pattern[str]:
    # The standard library's engine: with a class of 9,000 characters it is two orders of
    # magnitude faster than the regex module's.
    body = "".join(sorted(re.escape(c) for c in common_chars()))
    return re.compile(r"[^\x00-\x7f" + body + "]")


def has_uncommon(text: str) -> bool:
    """True when some character of ``text`` is neither ASCII nor common Chinese."""
    return _uncommon_pattern().search(text) is not None


def count_uncommon(text: str) -> int:
    """How many characters of ``text`` are neither ASCII nor common Chinese."""
    return len(_uncommon_pattern().findall(text))


def plausibility(text: str) -> float:
    """Share of the non-ASCII characters of ``text`` that are common Chinese, 0.0 to 1.0.

    Text without any non-ASCII character scores 1.0. The replacement character U+FFFD
    counts as uncommon.
    """
    non_ascii = sum(1 for ch in text if ch > "\x7f")
    if not non_ascii:
        return 1.0
    return 1.0 - count_uncommon(text) / non_ascii
