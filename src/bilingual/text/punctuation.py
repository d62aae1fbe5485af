"""The punctuation and quotes steps of normalize: by the language of the letters around.

The *context* of a mark is the nearest letter on each side within the line, skipping
digits, spaces and symbols (see :mod:`bilingual.text.normalize` for the rules).
"""

from __future__ import annotations

import re

import regex

from ..change import Edit
from ..chars import HAN, HAN_RUN, TO_ASCII, TO_FULLWIDTH, is_han, letter_kind
from .protect import Protected

__all__ = ["punctuation_edits", "quote_edits"]

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


# --- steps ---------------------------------------------------------------------------

_ASCII_MARK = re.compile(r"[,;:?!]")
_FROM_FIRST_HAN = re.compile(f"[{HAN}][^\\n]*")
_WIDE_MARK = re.compile(r"[，；：？！。、]")
# Han earlier on the line (within _SCAN): a Chinese sentence that ends in Latin
# (据报道，这是GEM。), whose marks stay Chinese. (Only a line break bounds it: a sentence end
# that this step may rewrite would make it depend on its own output.)
_HAN_IN_SENTENCE = re.compile(f"[{HAN}][^\\n]*\\Z")
_BRACKETS = re.compile(r"[(（][^()（）\n]*[)）]")


def _chinese_after(text: str, j: int) -> bool:
    """The text after position j is not English prose."""
    k = _right_letter(text, j)
    if k < 0:
        return True
    kind = letter_kind(text[k])
    return kind == "han" or (kind == "latin" and not _PROSE.match(text, k))


def punctuation_edits(text: str, protected: Protected) -> list[Edit]:
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
        if (
            _left_kind(text, i) == "latin"
            and _right_kind(text, i + 1) in ("latin", None)
            and not _HAN_IN_SENTENCE.search(text, max(0, i - _SCAN), i)
        ):
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


def quote_edits(text: str, protected: Protected, mode: str, apostrophe: str) -> list[Edit]:
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
