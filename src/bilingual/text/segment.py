"""Segment: paragraphs, sentences and language runs, losslessly, with offsets.

Every level covers the text exactly: ``"".join(s.text for s in segments) == text`` and
``text[s.start:s.end] == s.text``. Whitespace between units belongs to the unit before it
(leading whitespace of the text to the first unit).

Paragraphs
    end at blank lines, and at line breaks too (scraped pages put a headline, a date or a
    caption on a line of its own), except where the line looks hard-wrapped: it is long,
    does not end a sentence, and the next line goes on in lowercase (or, in Chinese, goes
    on after a Han character).
Sentences
    end after ``。！？；`` and ``…`` (with the closing quotes and brackets after them), and
    after English ``.!?`` followed by a space and a capital, digit, quote or Han, or by the
    end of the paragraph. Abbreviations (``U.S.``, ``Jan.``, ``No.``, ``Inc.``), initials
    and decimals do not end sentences; ``!``/``?`` directly before a capital do
    (``products!To order``, common in scraped text). A sentence that mixes languages is
    one sentence, with ``mixed`` set.
Runs
    maximal spans of one language inside a sentence (runs never cross sentence ends).
    Letters decide: Han, Latin, Kana, Hangul, other scripts; digits, punctuation and
    spaces join the run before them (at the start of a sentence, the run after them).
    In a sentence with Kana, Han is Japanese. A short Latin run inside a Chinese, Japanese
    or Korean sentence (at most three words, capitalised or with digits: ``GEM``, ``NEV``,
    ``GWh``, ``Ascend Elements``) is a *name* (``name=True``, ``en``), not English prose.

Languages come from :mod:`bilingual.text.language`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from ..chars import HAN, HANGUL, KANA_CLASS
from ..errors import ConfigError
from .language import (
    CHINESE,
    CJK_LANGS,
    LATIN_WORD,
    LETTER_GROUP,
    Weights,
    detect_language,
    language_of,
)

__all__ = [
    "LEVELS",
    "Segment",
    "detect_language",
    "iter_segments",
    "paragraph_spans",
    "segment",
    "sentences_of",
]

Level = Literal["paragraph", "sentence", "run"]
LEVELS: tuple[Level, ...] = ("paragraph", "sentence", "run")


@dataclass(frozen=True)
class Segment:
    """A span of the input: ``text == input[start:end]``."""

    text: str
    start: int
    end: int
    lang: str
    """``zh-Hans``, ``zh-Hant``, ``zh``, ``en``, another ISO 639-1 code, or ``und``."""
    mixed: float | None = None
    """Paragraphs and sentences: the share of letters in other languages, 0.0 to 1.0."""
    name: bool = False
    """Runs: a short Latin name, ticker or unit inside another language's sentence."""

    def to_dict(self) -> dict[str, Any]:
        # Written out: dataclasses.asdict deep-copies each field, a third of the time the
        # main process of `run --jobs` spent writing JSON Lines.
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "lang": self.lang,
            "mixed": self.mixed,
            "name": self.name,
        }


def _labelled(text: str, start: int, end: int) -> Segment:
    part = text[start:end]
    weights = Weights.of(part)
    script = weights.script()
    mixed = weights.share_not(script) if script else 0.0
    return Segment(part, start, end, language_of(part, script), mixed)


_HAN_CHAR = re.compile(f"[{HAN}]")

# --- paragraphs --------------------------------------------------------------------------

_LINE = re.compile(r"[^\n]*\n|[^\n]+")
_SENTENCE_END_CHARS = tuple(".!?。！？；…:：\"'”’」』）)】》")
_WRAP_MIN_LATIN = 60  # a Latin line at least this long may be hard-wrapped
_WRAP_MIN_HAN = 20  # the same for a line of Chinese, whose characters are twice as wide


def _continues(previous: str, line: str) -> bool:
    """``line`` goes on the paragraph of ``previous`` (the text was hard-wrapped)."""
    prev = previous.rstrip()
    cur = line.lstrip(" \t")
    if not prev or not cur.strip() or prev.endswith(_SENTENCE_END_CHARS):
        return False
    if cur[0].islower():
        return len(prev) >= _WRAP_MIN_LATIN
    return len(prev) >= _WRAP_MIN_HAN and bool(
        _HAN_CHAR.match(cur[0]) and _HAN_CHAR.match(prev[-1])
    )


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each paragraph, covering ``text`` with no gap."""
    spans: list[tuple[int, int]] = []
    start = 0
    previous: str | None = None  # the last non-blank line of the open paragraph
    blank_after = False
    for m in _LINE.finditer(text):
        line = m.group()
        if not line.strip():
            blank_after = previous is not None
            continue
        if previous is not None and (blank_after or not _continues(previous, line)):
            spans.append((start, m.start()))
            start = m.start()
        previous, blank_after = line, False
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# --- sentences ---------------------------------------------------------------------------

_CLOSERS = "”’」』）》】\"')\\]"
_TERMINAL = re.compile(f"(?:[。！？；]+|[!?]+|…+|\\.{{3,}}|\\.)[{_CLOSERS}]*")
_SPACE_AFTER = re.compile(r"\s*")
_STARTS_SENTENCE = re.compile(f"[A-Z0-9\"'“‘(\\[{HAN}{KANA_CLASS}{HANGUL}]")
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt no nos vol fig figs pp p ed eds approx est dept
    inc ltd co corp plc llc bros vs etc cf al jan feb mar apr jun jul aug sep sept oct nov
    dec mon tue wed thu fri sat sun gov gen col lt sgt rep sen u.s u.k e.u e.g i.e
    a.m p.m""".split()
)
_TOKEN_BEFORE = re.compile(r"(\S+)$")


def _ends_sentence(text: str, m: re.Match[str], end: int) -> bool:
    """Whether the terminal punctuation ``m`` ends a sentence (paragraph ends at ``end``)."""
    mark = m.group()
    after = m.end()
    spaced = _SPACE_AFTER.match(text, after, end).end()  # type: ignore[union-attr]
    if spaced >= end:
        return True
    nxt = text[spaced]
    if mark[0] in "。！？；":
        return True
    before = text[m.start() - 1] if m.start() else ""
    if mark[0] == "…" or mark.startswith("..."):
        return bool(_HAN_CHAR.match(before)) or (spaced > after and nxt.isupper())
    if mark[0] in "!?":
        return spaced > after or nxt.isupper() or bool(_HAN_CHAR.match(nxt))
    # A period: needs a space (or Han) after it, and not an abbreviation or initial before.
    if _HAN_CHAR.match(before) or (spaced == after and _HAN_CHAR.match(nxt)):
        return True
    if spaced == after or not _STARTS_SENTENCE.match(nxt):
        return False
    token = _TOKEN_BEFORE.search(text, max(0, m.start() - 40), m.start())
    word = token.group(1).lstrip("(\"'“‘[").lower() if token else ""
    return not (word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]``, covering it with no gap."""
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _TERMINAL.finditer(text, start, end):
        if m.end() <= pos or not _ends_sentence(text, m, end):
            continue
        stop = _SPACE_AFTER.match(text, m.end(), end).end()  # type: ignore[union-attr]
        if stop >= end:
            break
        spans.append((pos, stop))
        pos = stop
    if pos < end or not spans:
        spans.append((pos, end))
    return spans


# --- runs --------------------------------------------------------------------------------

_NAME_WORD = re.compile(
    r"[A-Z][A-Za-z0-9&.'’-]*|[A-Za-z]*[A-Z0-9][A-Za-z0-9]*|[a-z]?[A-Z][a-zA-Z]*"
)
_MAX_NAME_WORDS = 3


def _is_name(run: str) -> bool:
    words = LATIN_WORD.findall(run)
    return 0 < len(words) <= _MAX_NAME_WORDS and all(
        w[0].isupper() or any(c.isdigit() or c.isupper() for c in w[1:]) for w in words
    )


def _runs(text: str, start: int, end: int, sentence: Segment) -> list[Segment]:
    japanese = sentence.lang == "ja"
    groups: list[tuple[str, int, int]] = []  # (script, start, end) of letter groups, merged
    for m in LETTER_GROUP.finditer(text, start, end):
        kind = m.lastgroup or "other"
        if kind == "han" and japanese:
            kind = "kana"
        if groups and groups[-1][0] == kind:
            groups[-1] = (kind, groups[-1][1], m.end())
        else:
            groups.append((kind, m.start(), m.end()))
    if not groups:
        return [Segment(text[start:end], start, end, "und")]
    runs: list[Segment] = []
    host = sentence.lang
    for i, (kind, g_start, _) in enumerate(groups):
        r_start = start if i == 0 else g_start
        r_end = groups[i + 1][1] if i + 1 < len(groups) else end
        part = text[r_start:r_end]
        # A name is decided first: it never needs a detector (Ascend Elements in Chinese).
        name = kind == "latin" and host in CJK_LANGS and _is_name(part)
        lang = "en" if name else language_of(part, kind)
        if lang == "zh" and host in CHINESE:
            lang = host  # a short run that reads the same in both scripts
        runs.append(Segment(part, r_start, r_end, lang, name=name))
    return runs


# --- the public functions ----------------------------------------------------------------


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ConfigError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")


def segment(text: str, level: Level = "sentence") -> list[Segment]:
    """Split ``text`` into segments of ``level``: ``paragraph``, ``sentence`` or ``run``.

    >>> [(s.text, s.lang) for s in segment("GEM与AE签署协议。The deal is done.")]
    [('GEM与AE签署协议。', 'zh-Hans'), ('The deal is done.', 'en')]
    """
    _check_level(level)
    return list(_segments(text, level, 0))


def _segments(text: str, level: Level, offset: int) -> Iterator[Segment]:
    spans = paragraph_spans(text)
    if level == "paragraph":
        segments = [_labelled(text, start, end) for start, end in spans]
    elif level == "sentence":
        segments = sentences_of(text, spans)
    else:
        segments = [
            run
            for sentence in sentences_of(text, spans)
            for run in _runs(text, sentence.start, sentence.end, sentence)
        ]
    for seg in segments:
        yield _shift(seg, offset)


def sentences_of(text: str, paragraphs: Iterable[tuple[int, int]]) -> list[Segment]:
    """The sentences of ``text``, whose paragraphs (:func:`paragraph_spans`) are known."""
    return [
        _labelled(text, start, end)
        for p_start, p_end in paragraphs
        for start, end in sentence_spans(text, p_start, p_end)
    ]


def _shift(seg: Segment, offset: int) -> Segment:
    if not offset:
        return seg
    return Segment(seg.text, seg.start + offset, seg.end + offset, seg.lang, seg.mixed, seg.name)


_CHUNK_CHARS = 1 << 20  # a paragraph longer than this is cut at a line break when streaming


def iter_segments(lines: Iterable[str], level: Level = "sentence") -> Iterator[Segment]:
    """Segment a stream of lines (with their line ends) in bounded memory.

    The text is cut at blank lines, which always end a paragraph, so the result equals
    :func:`segment` on the joined text, except that a paragraph of more than about a
    million characters without a blank line is also cut at a line break.
    """
    _check_level(level)
    buffer: list[str] = []
    size = offset = 0
    blank_seen = False
    for line in lines:
        is_blank = not line.strip()
        if buffer and ((blank_seen and not is_blank) or size >= _CHUNK_CHARS):
            chunk = "".join(buffer)
            yield from _segments(chunk, level, offset)
            offset += len(chunk)
            buffer, size = [], 0
        buffer.append(line)
        size += len(line)
        blank_seen = is_blank and any(part.strip() for part in buffer)
    if buffer:
        yield from _segments("".join(buffer), level, offset)
