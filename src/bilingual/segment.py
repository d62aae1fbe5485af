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
    ``GWh``, ``Ascend Elements``) is a *name* (``name=True``), not English prose.

Language (:func:`detect_language`) is decided by Unicode script first: Han vs Latin by
weight (a Han character counts one, a Latin word two, an acronym one), Kana makes
Japanese, Hangul Korean.
Han text is ``zh-Hans``/``zh-Hant``/``zh`` by :func:`bilingual.script.detect_script`
(never langdetect, which calls ``新能源汽车`` Korean). Latin text is English when it is
short, or has no sign of another language (its function words, diacritics) or more
English function words than such signs; only the rest goes to langdetect, with a fixed
seed so results never change (URLs and e-mail addresses are left out of the count).
Text without letters is ``und``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from .chars import HAN, HANGUL, KANA_CLASS
from .errors import ConfigError
from .script import detect_script

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

__all__ = ["LEVELS", "Segment", "detect_language", "iter_segments", "segment"]

Level = Literal["paragraph", "sentence", "run"]
LEVELS: tuple[Level, ...] = ("paragraph", "sentence", "run")

CHINESE = frozenset({"zh", "zh-Hans", "zh-Hant"})
CJK_LANGS = CHINESE | {"ja", "ko"}


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
        return asdict(self)


# --- letters and language ----------------------------------------------------------------

_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LETTER_GROUP = re.compile(
    f"(?P<han>[{HAN}]+)|(?P<latin>[{_LATIN}]+)|(?P<kana>[{KANA_CLASS}\u30fc]+)"
    f"|(?P<hangul>[{HANGUL}]+)|(?P<other>[^\\W\\d_]+)"
)
_LATIN_WORD = re.compile(f"[{_LATIN}]+(?:['’][{_LATIN}]+)?")
_HAN_CHAR = re.compile(f"[{HAN}]")
_KANA_CHAR = re.compile(f"[{KANA_CLASS}]")
_HANGUL_CHAR = re.compile(f"[{HANGUL}]")

# Function words tell English from other Latin-script languages without langdetect,
# which costs 1.6 to 3 ms a sentence: langdetect is asked only when a text has signs of
# another language (its function words, or letters with diacritics) and few English ones.
_ENGLISH_WORDS = frozenset(
    """about after and are be been but by can could did does for from had has have her
    his into it its more most not of or our over said she than that the their them then
    there these they this those to were what when which while who will with would you
    your""".split()
)  # words that are rare in other Latin-script languages (no "in", "is", "was", "a")
_FOREIGN_WORDS = frozenset(
    """le la les de des du et est une un pour dans sur avec au aux qui que ce cette sont
    der die das und ist nicht mit für von zu dem ein eine auf sich auch
    el los las del y es una por para con se su al il di che della delle gli sono
    os das dos não com uma são het een en niet voor zijn ook och att det som med är på av
    nie się jest że ve bir bu için ile dan yang untuk dengan ini dari""".split()
)
_DIACRITIC = re.compile("[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]")
_MIN_WORDS_FOR_LANGDETECT = 4
_LATIN_LANGS = frozenset(
    "af ca cs cy da de en es et fi fr hr hu id it lt lv nl no pl pt ro sk sl so sq sv sw "
    "tl tr vi".split()
)


@lru_cache(maxsize=1)
def _langdetect() -> DetectorFactory:
    """Our own seeded langdetect factory: no global state of langdetect is touched."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


@lru_cache(maxsize=4096)  # boilerplate repeats across a corpus
def _langdetect_code(text: str) -> str | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect().create()
    detector.append(text[:5000])
    try:
        code = detector.detect()
    except LangDetectException:
        return None
    return {"zh-cn": "zh-Hans", "zh-tw": "zh-Hant"}.get(code, code)


# Addresses are not prose: their parts (`service.en@smm.cn`) would read as words.
_ADDRESS = re.compile(r"\S+@\S+|(?:https?|ftp)://\S+|www\.\S+")


def _latin_language(text: str) -> str:
    text = _ADDRESS.sub(" ", text)
    words = [w.lower() for w in _LATIN_WORD.findall(text) if not w.isupper()]
    if len(words) < _MIN_WORDS_FOR_LANGDETECT:
        return "en"  # names, tickers, a few words: too short to tell; our texts are English
    foreign = sum(1 for w in words if w in _FOREIGN_WORDS) + bool(_DIACRITIC.search(text))
    english = sum(1 for w in words if w in _ENGLISH_WORDS)
    if not foreign or english >= 2 * foreign:
        return "en"
    code = _langdetect_code(" ".join(_LATIN_WORD.findall(text)))
    return code if code in _LATIN_LANGS else "en"


@dataclass
class _Weights:
    han: int = 0
    latin: int = 0  # two per word, one per acronym
    kana: int = 0
    hangul: int = 0
    other: int = 0

    @classmethod
    def of(cls, text: str) -> _Weights:
        w = cls()
        for m in _LETTER_GROUP.finditer(text):
            kind = m.lastgroup
            if kind == "latin":
                w.latin += 1 if m.group().isupper() else 2  # acronyms are names, not prose
            elif kind == "other":
                w.other += 1
            else:
                setattr(w, kind, getattr(w, kind) + len(m.group()))  # type: ignore[arg-type]
        return w

    def total(self) -> int:
        return self.han + self.latin + self.kana + self.hangul + self.other

    def script(self) -> str | None:
        """The dominant script: han, latin, kana (Japanese), hangul, other; None if no letters."""
        if not self.total():
            return None
        if self.kana and self.kana * 20 >= self.han + self.kana:
            return "kana"
        best = max(
            ("han", self.han),
            ("latin", self.latin),
            ("hangul", self.hangul),
            ("other", self.other),
            key=lambda kv: kv[1],
        )
        return best[0]

    def share_not(self, script: str) -> float:
        main = self.han + self.kana if script == "kana" else getattr(self, script)
        total = self.total()
        return round((total - main) / total, 3) if total else 0.0


def _language(text: str, script: str | None) -> str:
    if script is None:
        return "und"
    if script == "han":
        return detect_script(text) or "zh"
    if script == "kana":
        return "ja"
    if script == "hangul":
        return "ko"
    if script == "latin":
        return _latin_language(text)
    return _langdetect_code(text) or "und"


def detect_language(text: str) -> str:
    """The language of ``text``: ``zh-Hans``, ``zh-Hant``, ``zh``, ``en``, another ISO 639-1
    code, or ``und`` (no letters). See the module docs for how it decides.

    >>> [detect_language(t) for t in ("新能源汽车", "電動車", "GEM signed", "東京の電池", "2025")]
    ['zh-Hans', 'zh-Hant', 'en', 'ja', 'und']
    """
    return _language(text, _Weights.of(text).script())


def _labelled(text: str, start: int, end: int) -> Segment:
    part = text[start:end]
    weights = _Weights.of(part)
    script = weights.script()
    mixed = weights.share_not(script) if script else 0.0
    return Segment(part, start, end, _language(part, script), mixed)


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
    words = _LATIN_WORD.findall(run)
    return 0 < len(words) <= _MAX_NAME_WORDS and all(
        w[0].isupper() or any(c.isdigit() or c.isupper() for c in w[1:]) for w in words
    )


def _runs(text: str, start: int, end: int, sentence: Segment) -> list[Segment]:
    japanese = sentence.lang == "ja"
    groups: list[tuple[str, int, int]] = []  # (script, start, end) of letter groups, merged
    for m in _LETTER_GROUP.finditer(text, start, end):
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
        lang = _language(part, kind)
        if lang == "zh" and host in CHINESE:
            lang = host  # a short run that reads the same in both scripts
        name = kind == "latin" and host in CJK_LANGS and _is_name(part)
        runs.append(Segment(part, r_start, r_end, "en" if name else lang, name=name))
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
    for p_start, p_end in paragraph_spans(text):
        if level == "paragraph":
            yield _shift(_labelled(text, p_start, p_end), offset)
            continue
        for s_start, s_end in sentence_spans(text, p_start, p_end):
            sentence = _labelled(text, s_start, s_end)
            if level == "sentence":
                yield _shift(sentence, offset)
            else:
                for run in _runs(text, s_start, s_end, sentence):
                    yield _shift(run, offset)


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
