"""Spacing between CJK and Latin text: pangu's rules, symmetric, with Markdown and Chinese
punctuation left tight.

A *token* is a run of characters that are neither spaces, nor CJK (Han, Kana, Bopomofo,
radicals, enclosed CJK), nor Chinese punctuation and quotes (full-width forms, ``“”‘’``,
``…``, ``—``, ``·``). Where a token touches CJK, a space goes between them when the token
is Latin text: words and figures (``Hadoop``, ``3.0``, ``β``, ``Ⅶ``, dingbats), paths
(``/usr/local/bin``, ``build/temp/``, ``./docs/API.md``), tags and mentions (``#tag``,
``@user``), names ending in a symbol (``C++``, ``C#``, ``A+``, ``Disney+``, ``U.S.A.``,
``Yahoo!``), flags and signed figures (``-m``, ``-5``, ``+886``, ``$100``), HTML tags and
generics (``<div>``, ``List<String>``), inline code, and quoted or bracketed Latin text
(``"We invited…"``, ``(Surname)``). Operators between CJK or Latin text get a space on
both sides (``前面 & 後面``, ``溫度 > 30``, ``你 + 我 = 我們``, ``作詞 | 林夕``, ``用 => 寫``).

Deliberately left tight, unlike pangu (tests/test_spacing_conformance.py lists the cases):
Chinese quotes and brackets (``“计算王牌”Blink``), quotes, brackets and Markdown emphasis
around Chinese text (``**粗体**``, ``(中文)``, ``"中文"``: normalize makes the ASCII ones
Chinese), ASCII punctuation right after Chinese (``前面,後面``: normalize makes it ``，``),
``-``, ``/`` and ``~`` joining words (``亚洲-太平洋``, ``公里/小時``, ``1~2``), the middle
dot of names (``喬治·R·R·馬丁``, kept as is). Other tidying: no space next to full-width
punctuation, repeated spaces collapsed, trailing spaces removed (pangu keeps them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..change import Edit
from ..chars import HAN, KANA_CLASS

__all__ = ["spacing_edits"]

CJK = f"{HAN}{KANA_CLASS}\u30fc\u3100-\u312f\u31a0-\u31bf\u2e80-\u2fdf\u3200-\u33ff"
# Not token characters: Chinese punctuation, full-width forms, curly quotes, dashes and
# dots of Chinese text, and symbols that sit tight in any text (★, emoji).
_TIGHT = (
    "\u3000-\u303f\uff00-\uffef\u2018\u2019\u201c\u201d\u2026\u2014\u2013\u00b7\u30fb"
    "\u2022\u2027\u00ab\u00bb\u2600-\u26ff\u2b00-\u2bff\U0001f000-\U0001faff"
)
ANS = (
    "A-Za-z0-9\u00b5\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
    "\u1e00-\u1eff\u2150-\u218f\u2700-\u27bf"
)
_IS_CJK = re.compile(f"[{CJK}]")
_IS_ANS = re.compile(f"[{ANS}]")
_TOKEN_CHARS = f"[^\\s{CJK}{_TIGHT}]*"
_CJK_RUN = re.compile(f"[{CJK}]+")
_TOKEN_AFTER = re.compile(_TOKEN_CHARS)
_EMPHASIS_THEN_LATIN = re.compile(f"[{CJK}](\\*{{1,3}}|~~)(?=[{ANS}])")
_LATIN_THEN_EMPHASIS = re.compile(f"[{ANS}](\\*{{1,3}}|~~)(?=[{CJK}])")
_NOT_TOKEN = re.compile(f"[\\s{CJK}{_TIGHT}]")

_SENTENCE_MARKS = ",.;:!?"
_OPERATORS = "&=|^\\%<>*+$"
_MULTI_OPERATORS = ("=>", "~=", "==", "!=", "<=", ">=", "&&", "||", "->", "<-", "+=")
_PAIRS = {"(": ")", "[": "]", "{": "}", "<": ">"}
_CLOSERS = {v: k for k, v in _PAIRS.items()}
_SAME = "\"'`*~"  # quotes, code and emphasis: the same mark opens and closes
_JOINERS = "-/_"  # join words without spaces

_PATH_CHARS = r"[A-Za-z0-9_.*@+~-]"
_PATH = re.compile(
    # Absolute: a known top-level folder, a dotfile, a glob, or two components and more.
    r"/(?:(?:bin|boot|dev|etc|home|lib|lib64|media|mnt|opt|proc|root|run|sbin|srv|sys|tmp"
    r"|usr|var|node_modules|Users|Library|Applications)\b|\.[A-Za-z0-9_]|\*(?:/|\Z)"
    rf"|[a-z0-9_.@*+~-]+/){_PATH_CHARS}*(?:/{_PATH_CHARS}*)*"
    # Relative: ./x, ../x, .git/hooks; or lower-case folders (build/temp/) or a file name
    # with an extension at the end (a/b.md). Capitalised names (Mollie/Vinta) are words.
    rf"|\.{{1,2}}/{_PATH_CHARS}+(?:/{_PATH_CHARS}*)*"
    rf"|\.[A-Za-z0-9_-]+(?:/{_PATH_CHARS}+)+/?"
    r"|[a-z0-9_-]+(?:/[a-z0-9_.-]+)*/(?:[a-z0-9_-]+/)*"
    r"|[A-Za-z0-9_-]+(?:/[A-Za-z0-9_-]+)*/[A-Za-z0-9_-]+\.[A-Za-z0-9]+"
)
_OPERATOR_TAIL = re.compile(r"[&=|^\\<>].*")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_ENTITY_END = re.compile(_ENTITY.pattern + r"\Z")
_FLAG_OR_SIGNED = re.compile(r"-{1,2}[A-Za-z]{1,2}(?![A-Za-z0-9])|[-+]\d|\$\d")
_GRADE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]-+\Z|[A-Za-z0-9]\++\Z")


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return start, len(text) if end < 0 else end


def _run(text: str, i: int, mark: str) -> int:
    """Length of the run of ``mark`` starting at ``i``."""
    j = i
    while j < len(text) and text[j] == mark:
        j += 1
    return j - i


def _content(text: str, i: int, opening: bool) -> str | None:
    """The text between the pair mark at ``i`` and its partner on the same line (None: no
    partner). ``opening``: ``i`` opens the pair (else it closes it)."""
    start, end = _line_bounds(text, i)
    mark = text[i]
    if mark in _SAME:
        k = i
        while k > start and text[k - 1] == mark:
            k -= 1
        size = _run(text, k, mark)
        if opening:
            close = text.find(mark * size, k + size, end)
            return None if close < 0 else text[k + size : close]
        open_ = text.rfind(mark * size, start, k)
        return None if open_ < 0 else text[open_ + size : k]
    if opening:
        close, depth = i + 1, 1
        partner = _PAIRS[mark]
        while close < end:
            depth += (text[close] == mark) - (text[close] == partner)
            if depth == 0:
                return text[i + 1 : close]
            close += 1
        return None
    partner = _CLOSERS[mark]
    open_, depth = i - 1, 1
    while open_ >= start:
        depth += (text[open_] == mark) - (text[open_] == partner)
        if depth == 0:
            if mark == ")" and open_ and text[open_ - 1] == "]":
                return _content(text, open_ - 1, False)  # a Markdown link: its text counts
            return text[open_ + 1 : i]
        open_ -= 1
    return None


def _pair(text: str, i: int) -> tuple[str, str | None]:
    """The role of the pair mark at ``i`` (``open``, ``close`` or ``none`` when unpaired on
    its line) and the text inside the pair. Brackets are told by their shape; quotes,
    backticks and emphasis by how many runs of the mark came before them on the line."""
    mark = text[i]
    if mark in _PAIRS:
        content = _content(text, i, True)
        return ("none", None) if content is None else ("open", content)
    if mark in _CLOSERS:
        content = _content(text, i, False)
        return ("none", None) if content is None else ("close", content)
    start, _ = _line_bounds(text, i)
    k = i
    while k > start and text[k - 1] == mark:
        k -= 1
    if len(re.findall(re.escape(mark) + "+", text[start:k])) % 2:
        return "close", _content(text, i, False)
    content = _content(text, i, True)
    return ("none", None) if content is None else ("open", content)


_TAG = re.compile(r"(/?)([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?\Z")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _is_markup(text: str, content: str | None) -> bool:
    """``<content>`` is HTML markup around text, which pangu and we leave tight: a closing
    tag, a void element (``<br>``, ``<hr />``), or an opening tag closed later in the text.
    A tag named in prose (``插入一個<div>標籤``) or a generic (``List<String>``) is not."""
    m = _TAG.match(content or "")
    if m is None:
        return False
    closing, name = m.groups()
    return bool(closing) or name.lower() in _VOID or f"</{name}>" in text


def _void(content: str | None) -> bool:
    m = _TAG.match(content or "")
    return m is not None and m.group(2).lower() in _VOID


_TAGS_AHEAD = re.compile(r"(?:<[^<>\n]*>)+")
_TAGS_BEHIND = re.compile(r"(?:<[^<>\n]*>)+\Z")


def _through_markup(text: str, i: int, forward: bool) -> str:
    """The character beyond the run of tags that starts (``forward``) or ends at ``i``:
    inline markup is transparent, so ``中文<b>GEM</b>中文`` is spaced outside the tags."""
    if forward:
        m = _TAGS_AHEAD.match(text, i)
        return text[m.end() : m.end() + 1] if m else ""
    m = _TAGS_BEHIND.search(text, max(0, i - 400), i)
    return text[m.start() - 1 : m.start()] if m and m.start() else ""


def _latin(content: str | None, code: bool) -> bool:
    """A pair's content is Latin text (or it is code, which always counts)."""
    if content is None:
        return False
    return code or (bool(_IS_ANS.search(content)) and not _IS_CJK.search(content))


def _token_after(text: str, p: int) -> str:
    m = _TOKEN_AFTER.match(text, p)
    return m.group() if m else ""


def _token_before(text: str, p: int) -> str:
    i = p
    while i > 0 and p - i < 200 and not _NOT_TOKEN.match(text, i - 1):
        i -= 1
    return text[i:p]


def _operator_at(text: str, p: int) -> int:
    """Length of the operator starting at ``p`` (0: none)."""
    for op in _MULTI_OPERATORS:
        if text.startswith(op, p):
            return len(op)
    return 1 if text[p] in _OPERATORS else 0


def _operator_split(text: str, p: int, size: int) -> list[int]:
    """An operator at [p, p + size) also gets a space from Latin text on its other side."""
    out = []
    if p > 0 and _IS_ANS.match(text[p - 1]):
        out.append(p)
    if p + size < len(text) and _IS_ANS.match(text[p + size]):
        out.append(p + size)
    return out


def _after_cjk(text: str, p: int) -> list[int]:
    """Where spaces go for the token starting at ``p``, right after a CJK character."""
    c = text[p]
    token = _token_after(text, p)
    if c == "&" and _ENTITY.match(text, p):
        return []  # an HTML entity stands for a character of the text: &nbsp;, &amp;
    if "/" in token and _PATH.fullmatch(_OPERATOR_TAIL.sub("", token)):
        return [p]  # a path, also when an operator that gets spaced follows it
    if c in _SENTENCE_MARKS:
        return []  # Chinese punctuation typed in ASCII: normalize makes it full width
    if c in _JOINERS:
        if c == "-" and (_FLAG_OR_SIGNED.match(text, p) or text[p + 1 : p + 2] == " "):
            return [p]  # -m, -5; or a dash spaced on its other side only
        if c == "/" and text[p + 1 : p + 2] == " ":
            return [p]
        return []  # joins words: 亚洲-太平洋, 公里/小時, 陳上進_Mollie
    if c == "~" and not text.startswith("~~", p):
        return [p, *_operator_split(text, p, 2)] if text.startswith("~=", p) else []
    if c in _SAME or c in _PAIRS or c in _CLOSERS:
        role, content = _pair(text, p)
        if role == "close":
            return []  # the closing mark of a pair around CJK text: inside it
        if role == "open":
            if c == "<" and _is_markup(text, content):
                beyond = _through_markup(text, p, True)
                return [p] if not _void(content) and _IS_ANS.match(beyond or " ") else []
            return [p] if _latin(content, c == "`") else []
        if c == '"':  # unpaired: a quote that opens Latin text
            return [p] if _IS_ANS.match(text[p + 1 : p + 2] or " ") else []
        if c == "*" and text[p + 1 : p + 2] == ".":
            return [p]  # *.log
        if c not in "<>*":
            return []  # a stray bracket, or an apostrophe ('s)
    elif c in "#@":
        nxt = text[p + 1 : p + 2]
        return [p] if nxt and (_IS_ANS.match(nxt) or _IS_CJK.match(nxt) or nxt == "_") else []
    elif c in "+$" and _FLAG_OR_SIGNED.match(text, p):
        return [p]
    size = _operator_at(text, p)
    if size:
        return [p, *_operator_split(text, p, size)]
    return [p] if _IS_ANS.search(token) else []


def _before_cjk(text: str, p: int) -> list[int]:
    """Where spaces go for the token ending at ``p``, right before a CJK character."""
    c = text[p - 1]
    token = _token_before(text, p)
    if c == ";" and _ENTITY_END.search(token):
        return []
    if "/" in token and _PATH.fullmatch(token):
        return [p]
    if c in _JOINERS:
        if c == "-" and _GRADE.search(token):
            return [p]  # D-, D--
        return [p] if p >= 2 and text[p - 2] == " " and c in "-/" else []
    if c == "~" and text[p - 2 : p] != "~~":
        return []  # joins: 1~2
    if c in _SAME or c in _CLOSERS or c in _PAIRS:
        role, content = _pair(text, p - 1)
        if role == "open":
            return []  # the opening mark of a pair: inside it
        if role == "close":
            if c == ">" and _is_markup(text, content):
                beyond = _through_markup(text, p, False)
                return [p] if not _void(content) and _IS_ANS.match(beyond or " ") else []
            return [p] if _latin(content, c == "`") else []
        if c in "\"'":  # unpaired: an apostrophe or a quote closing Latin text
            return [p] if _IS_ANS.match(text[p - 2 : p - 1] or " ") else []
        if c not in "<>*":
            return []
    elif c in _SENTENCE_MARKS:
        # After Latin text (Mr., Party!, discord:), as in English; after CJK it is Chinese.
        return [p] if _IS_ANS.search(token) else []
    elif c == "+" and _GRADE.search(token):
        return [p]  # C++, A+, 100+, Disney+
    elif c == "#":
        return [p] if p >= 2 and _IS_ANS.match(text[p - 2]) else []  # C#; a lone # tags
    elif c in "@%":
        return [p] if c == "%" else []
    if c in _OPERATORS:
        size = 2 if p >= 2 and text[p - 2 : p] in _MULTI_OPERATORS else 1
        return [p, *_operator_split(text, p - size, size)]
    return [p] if _IS_ANS.search(token) else []


_WIDE_PUNCT = "，。；：？！、（）《》「」『』【】"
# Spaces next to full-width punctuation (checked: not next to a Latin letter), and runs of
# spaces (checked: inside a line). A literal first lets `re` skip ahead fast.
_WIDE_GAP = re.compile(rf"[{_WIDE_PUNCT}][ \t]+|[ \t]+(?=[{_WIDE_PUNCT}])")
_SPACES = re.compile(r"  +")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def spacing_edits(text: str, inside: Callable[[int, int], bool]) -> list[Edit]:
    """The spacing step's edits; ``inside(start, end)`` says a span is protected."""
    positions: set[int] = set()
    size = len(text)
    for m in _CJK_RUN.finditer(text):  # the gaps at both ends of each run of CJK
        start, end = m.span()
        if end < size and not _NOT_TOKEN.match(text, end):
            # The usual gap, CJK then a letter or digit, needs no look at the token.
            if (text[end].isascii() and text[end].isalnum()) or _IS_ANS.match(text, end):
                positions.add(end)
            else:
                positions.update(_after_cjk(text, end))
        if start and not _NOT_TOKEN.match(text, start - 1):
            c = text[start - 1]
            if (c.isascii() and c.isalnum()) or _IS_ANS.match(c):
                positions.add(start)
            else:
                positions.update(_before_cjk(text, start))
    # Emphasis marks are transparent: *斜体*Text and Text**粗体** are spaced outside them.
    for m in _EMPHASIS_THEN_LATIN.finditer(text):
        if _pair(text, m.start(1))[0] == "close":
            positions.add(m.end(1))
    for m in _LATIN_THEN_EMPHASIS.finditer(text):
        if _pair(text, m.start(1))[0] == "open":
            positions.add(m.start(1))
    edits = [
        Edit(p, p, " ", "space between CJK and Latin")
        for p in sorted(positions)
        if 0 < p < len(text)
        and not text[p - 1].isspace()
        and not text[p].isspace()
        and text[p - 1] not in "ÂÃ"  # `Â ` and `Ã ` are NBSP and à to ftfy: no space after
        and not inside(p, p)
    ]
    for start, end, other in _wide_gaps(text):
        latin = "A" <= other <= "Z" or "a" <= other <= "z"
        if not other.isspace() and not latin and not inside(start, end):
            edits.append(Edit(start, end, "", "space next to full-width punctuation"))
    for m in _SPACES.finditer(text):
        start, end = m.span()
        within = start and end < len(text) and not text[start - 1].isspace()
        if within and not text[end].isspace() and not inside(start, end):
            edits.append(Edit(start, end, " ", "repeated spaces"))
    edits += [
        Edit(m.start(), m.end(), "", "trailing spaces")
        for m in _TRAILING_SPACE.finditer(text)
        if not inside(m.start(), m.end())
    ]
    return edits


def _wide_gaps(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the character on the other side) of spaces next to full-width marks."""
    gaps = []
    for m in _WIDE_GAP.finditer(text):
        start, end = m.span()
        if text[start] in _WIDE_PUNCT:  # after the mark: the other side is what follows
            if end < len(text):
                gaps.append((start + 1, end, text[end]))
        elif start:  # before the mark
            gaps.append((start, end, text[start - 1]))
    return gaps
