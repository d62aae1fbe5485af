"""The statistics grammar's clause shapes as compiled regular expressions, ready in
milliseconds.

A shape's slots draw on word tables (about 900 nouns with a glossary, units, comparison
words, names …), on the time expression and on Chinese numerals. Written out as
alternations inside each pattern they made 255,000 characters of regular expressions for
115 shapes: half a second to compile in every process (each `run`, each `--jobs`
worker). Here a word slot is a *lookup*: it takes a candidate stretch of the clause
(longest first, as the length-sorted alternation did) and accepts it only if the clause's
own list of the table's words holds it. The lists follow the clause after a private-use
end mark, each between its own marks: the table's words that occur in the clause (found
once with one Aho–Corasick automaton), every stretch the time expression matches, every
run of Chinese numerals the numeral expressions match. A word that does not occur in the
clause could never have matched, so a pattern accepts exactly what it accepted with the
alternations, in the same order (a test compares every development clause and random
ones); the time slot tries its stretches longest first, the time expression's own greedy
order. A candidate is tried only where a listed word starts with the character there, and
long nouns have a list of their own, so few candidates are checked.

Each shape states what its matches contain (:mod:`.statistics_needs`); a clause without
it skips the shape, and a shape's pattern is compiled the first time a clause may fill
it: a one-line run compiles a handful, all 170-odd take some 50-60 ms.

Limits: a clause containing a private-use character (U+E000–U+E0FF) is not read (never
in real text); a time phrase or Chinese numeral longer than 32 characters is not read as
one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import ahocorasick

from .statistics_grammar import grammar, time_regex
from .statistics_needs import needs

__all__ = ["Reading", "Shape", "matches", "read", "shapes"]

_PUA = "\ue000-\ue0ff"
# A speaker or source written in Latin letters (IDC, Canalys, Pilbara Minerals), kept as
# written; one that is a known noun or unit (CPI, GWh) is refused when it is rendered.
# A count of what a figure is measured over, before the noun phrase: 247家钢厂高炉开工率
# ("blast furnace operating rate at 247 steel mills"), 国内45港 (45 domestic ports).
_COUNTED = r"(?:全国|国内|全球)?\d{1,4}(?:家|个|座|种|港)"
_LATIN_NAME = r"[A-Z][A-Za-z&.'-]*[A-Za-z](?: [A-Z][A-Za-z&.'-]*[A-Za-z]){0,3}"
_END = "\ue000"  # end of the clause; the word lists follow, each between its marks
_MAX_TIME = 32

# Slot word lists, each with its own delimiter. "nouns" is the noun lexicon: the grammar's
# nouns, actors and names and the glossary's nouns. The computed lists hold stretches of
# the clause an expression matches (time phrases, Chinese numerals) or a union of word
# lists ("npwords": nouns and notes, the words of a noun phrase): one mark each, so no
# pattern holds a class of marks or of Chinese characters (slow to compile).
_WORD_TABLES = (
    "nouns notes units bases days money_units agents names actors sources directions"
    " comparisons verbs approx approx_after perspectives people titles says events reports"
    " modals sites"
).split()
_COMPUTED = ["npwords", "time", "cnnum", "cnpct", "cncount"]
_TABLES = [*_WORD_TABLES, *_COMPUTED]
_CN = {  # the Chinese numeral parts of {num}, {pct} and {count}
    "cnnum": r"[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?",
    "cnpct": r"百分之[零一二两三四五六七八九十点]+|[一二两三四五六七八九]成",
    "cncount": r"[一二两三四五六七八九十]{1,3}",
}
_MARK = {table: chr(0xE001 + i) for i, table in enumerate(_TABLES)}
# Words longer than _SHORT have lists of their own: a slot tries the long list's few
# candidates (only where a long word starts) before the short list's.
_SHORT = 6
_SPLIT = {"npwords"}  # the list tried most often
_LONG = {table: chr(0xE001 + len(_TABLES) + i) for i, table in enumerate(_TABLES)}


def _table_words(table: str) -> list[str]:
    g = grammar()
    if table == "nouns":
        return [*g["nouns"], *g["actors"], *g["names"]]
    if table in ("actors", "agents"):  # who owns or does it: owners and companies too
        return list(dict.fromkeys([*g[table], *g["owners"], *owner_names()]))
    return list(g[table])


def owner_names() -> list[str]:
    """The [names] that own figures (companies, bodies): all but ``not_owners``."""
    g = grammar()
    return [name for name in g["names"] if name not in g["not_owners"]]


def computed_regex(table: str) -> str:
    """The expression whose stretches a computed list holds."""
    return time_regex() if table == "time" else _CN[table]


def _longest(table: str) -> int:
    if table == "npwords":
        return max(_longest("nouns"), _longest("notes"))
    if table in _COMPUTED:
        return _MAX_TIME
    longest = max(len(w) for w in _table_words(table))
    return max(longest, 16) if table == "nouns" else longest  # glossary nouns: ≤ 16


def _lookup(table: str) -> str:
    """A slot of the table's words: a candidate stretch (longest first) that the clause's
    list of the table's words holds, tried only where a listed word starts with the
    character there. Words never contain the marks, so a candidate cannot straddle two
    lists; notes (all in brackets) never start where a noun does, so the noun phrase's
    one list of both tries them as the alternation of one table after the other did.
    Group names ``_@f``, ``_@w`` are made unique when a shape is expanded; shapes are
    compiled with DOTALL (a clause may hold a line break)."""
    longest = _longest(table)
    if table not in _SPLIT:
        return _part(_MARK[table], 1, longest)
    long = _part(_LONG[table], _SHORT + 1, longest)
    return f"(?:{long}|{_part(_MARK[table], 1, _SHORT)})"


def _part(mark: str, shortest: int, longest: int) -> str:
    """A lookup in the list marked by ``mark`` of words of these lengths."""
    gate = rf"(?=(?P<_@f>.).*?{mark}(?P=_@f))" if longest > 4 else ""
    return rf"{gate}(?P<_@w>[^{_END}]{{{shortest},{longest}}})(?=.*?{mark}(?P=_@w){mark})"


@lru_cache(maxsize=1)
def _slot_table() -> dict[str, str]:
    return slot_table(_lookup)


def _names(pattern: str) -> str:
    """``pattern`` with each lookup group ``_@x`` (and its references) uniquely named."""
    count, current = 0, {}

    def name(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(1) == "<":
            count += 1
            current[m.group(2)] = f"_{count}"
        return f"(?P{m.group(1)}{current[m.group(2)]}"

    return re.sub(r"\(\?P([<=])_@(\w)", name, pattern)


def slot_table(words: Callable[..., str]) -> dict[str, str]:
    """Slot name → regular expression, with ``words(*tables)`` the expression of a slot
    of the tables' words (named groups are added when a shape is expanded)."""
    unit = words("units")
    number = rf"(?:[-+]?\d[\d,]*(?:\.\d+)?|{words('cnnum')})"  # NUM
    mult = r"(?:万亿|亿|万|千(?!瓦)(?!克))"  # MULT
    quantity = rf"{number}\s*{mult}?\s*{unit}"
    time = words("time")
    noun_word = rf"(?:{words('npwords')}|[A-Z][A-Za-z0-9#]*|\([A-Z][A-Za-z0-9&.-]{{1,15}}\))"
    return {
        "time": time,
        "qty": quantity,
        "num": rf"{number}\s*{mult}?",
        "range": rf"{number}\s*{mult}?\s*(?:{unit})?\s*[-–~至]\s*{quantity}",
        "base": rf"(?:{words('bases')}|{time})",
        "note": rf"(?:{words('notes')}|\([A-Z][A-Za-z0-9&.-]{{1,15}}\))",
        "money": rf"{number}\s*{mult}?\s*{words('money_units')}",
        "vs": rf"(?:较|比|与)(?:{words('bases')}|{time}|\d{{1,2}}日|{words('days')})(?:相比)?",
        "agent": words("agents"),
        "who": rf"(?:{words('names')}|{_LATIN_NAME})",
        "pct": rf"[-+]?\d+(?:\.\d+)?\s*%|{words('cnpct')}",
        "pp": rf"{number}\s*(?:个百分点|pct|pp)",
        "np": rf"(?:{_COUNTED})?{noun_word}{{1,7}}",
        "actor": words("actors"),
        "src": words("sources"),
        "dir": words("directions"),
        "cmp": words("comparisons"),
        "verb": words("verbs"),
        "approx": words("approx"),
        "after": words("approx_after"),
        "count": rf"(?:\d{{1,3}}(?:\.\d+)?|{words('cncount')})",
        "view": words("perspectives"),
        "person": words("people"),
        "title": words("titles"),
        "say": words("says"),
        "event": words("events"),
        "report": words("reports"),
        "modal": words("modals"),
        "site": words("sites"),
        "frac": r"(?:[二三四五六七八九十]分之[一二三四五六七八九]|一半|半数|过半)",
        "day": rf"(?:{words('days')}|\d{{1,2}}日|\d{{1,2}}月\d{{1,2}}日)",
    }


class Shape:
    """A clause shape of the grammar: its entry, its needs, its pattern compiled on first
    use (a shape whose needs a clause does not meet is never compiled for it)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.needs = needs(spec["pattern"])

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        table = _slot_table()

        def expand(m: re.Match[str]) -> str:
            base, index = m.group(1), m.group(2)
            return f"(?P<{base}{index}>{table[base]})"

        pattern = _names(re.sub(r"\{([a-z]+)(\d?)\}", expand, self.spec["pattern"]))
        return re.compile(f"(?:{pattern}){_END}", re.DOTALL)

    def match(self, reading: Reading) -> re.Match[str] | None:
        """The match of the whole clause, or None."""
        return self.pattern.match(reading.target) if self.needs.met(reading) else None


@lru_cache(maxsize=1)
def shapes() -> list[Shape]:
    """The grammar's clause shapes, in order."""
    return [Shape(spec) for spec in grammar()["clause"]]


def matches(reading: Reading) -> Iterator[tuple[Shape, re.Match[str]]]:
    """The shapes that match the clause, in the grammar's order, with their matches."""
    for shape in _candidates(reading.slots):
        if shape.needs.met(reading) and (m := shape.pattern.match(reading.target)):
            yield shape, m


@lru_cache(maxsize=512)
def _candidates(slots: frozenset[str]) -> list[Shape]:
    """The shapes whose slots are all among ``slots``."""
    return [shape for shape in shapes() if shape.needs.slots <= slots]


@lru_cache(maxsize=1)
def _time() -> tuple[re.Pattern[str], re.Pattern[str], frozenset[str]]:
    """Where a time stretch can start; the time expression; the characters it can end
    with (the last of each of its alternatives: 2025年, 12月份, 年度, 上旬, 季度, 单季, 月末,
    当周, 以来, Q1, 25H1, and the named times)."""
    last = set("年度月份日旬季末底初周来1234") | {w[-1] for w in grammar()["times"]}
    return re.compile(f"(?=(?:{time_regex()}))"), re.compile(time_regex()), frozenset(last)


@lru_cache(maxsize=8)
def _finder(extra_nouns: frozenset[str]) -> Any:
    """One Aho–Corasick automaton for every table's words (and the glossary's nouns)."""
    tables: dict[str, list[str]] = {}
    for name in _WORD_TABLES:
        for word in _table_words(name):
            tables.setdefault(word, []).append(name)
    for word in extra_nouns:
        tables.setdefault(word, []).append("nouns")
    automaton = ahocorasick.Automaton()
    for word, names in tables.items():
        automaton.add_word(word, (word, tuple(dict.fromkeys(names))))
    automaton.make_automaton()
    return automaton


@dataclass(frozen=True)
class Reading:
    """A clause as the shapes match it."""

    text: str
    target: str
    """The text, the end mark, and per table the table's words found in the text (and the
    text's time stretches), each list between its table's marks."""
    slots: frozenset[str]
    """The slots the text could fill (a necessary condition: their words occur in it)."""
    ends: frozenset[str] = frozenset()
    """The slots of ``_ENDS`` the text could end with."""


def read(text: str, extra_nouns: frozenset[str]) -> Reading | None:
    """The clause ``text`` ready for :meth:`Shape.match` (``extra_nouns``: the glossary's);
    None when it contains a private-use character."""
    if _FOREIGN.search(text):
        return None
    found: dict[str, set[str]] = {}
    for _, (word, tables) in _finder(extra_nouns).iter(text):
        for table in tables:
            found.setdefault(table, set()).add(word)
    if spans := time_spans(text):
        found["time"] = spans
    for run in _NUMERALS.finditer(text):
        for table, expression in _cn().items():
            if spans := _spans(expression, text, run.span()):
                found.setdefault(table, set()).update(spans)
    nouns = found.pop("nouns", set())  # the noun phrase's words: with the notes, one list
    if nouns or "notes" in found:
        found["npwords"] = nouns | found.get("notes", set())
    lists = "".join(_list(t, words) for t, words in found.items())
    present = {slot for table in found for slot in _TABLE_SLOTS.get(table, ())}
    present.update(slot for slot, test in _SLOT_TESTS.items() if test.search(text))
    if "num" in present and _POINTS.search(text):
        present.add("pp")
    if "range" in present and not _DASH.search(text):
        present.discard("range")  # a range has units and a dash (or 至)
    ends = {slot for slot, test in _ENDS.items() if test(text, found)}
    return Reading(text, text + _END + lists, frozenset(present), frozenset(ends))


def time_spans(text: str) -> set[str]:
    """Every stretch of ``text`` the time expression matches (up to _MAX_TIME long)."""
    starts, time, last = _time()
    spans = set()
    for start in starts.finditer(text):
        i = start.start()
        for j in range(i + 1, min(len(text), i + _MAX_TIME) + 1):
            if text[j - 1] in last and time.fullmatch(text, i, j):
                spans.add(text[i:j])
    return spans


@lru_cache(maxsize=1)
def _cn() -> dict[str, re.Pattern[str]]:
    return {table: re.compile(expression) for table, expression in _CN.items()}


def _spans(expression: re.Pattern[str], text: str, run: tuple[int, int]) -> set[str]:
    """Every stretch of ``text`` inside ``run`` (a run of the characters Chinese numerals
    are written with) that ``expression`` matches."""
    a, b = run
    return {
        text[i:j]
        for i in range(a, b)
        for j in range(i + 1, b + 1)
        if expression.fullmatch(text, i, j)
    }


_NUMERALS = re.compile("[零〇一二两三四五六七八九十百千点分之成]+")


def _list(table: str, words: set[str]) -> str:
    """The table's words in the clause: the short ones, then the long ones, each list
    between its marks."""
    out = ""
    if table not in _SPLIT:
        mark = _MARK[table]
        return mark + mark.join(words) + mark
    for mark, part in (
        (_MARK[table], [w for w in words if len(w) <= _SHORT]),
        (_LONG[table], [w for w in words if len(w) > _SHORT]),
    ):
        out += mark + mark.join(part) + mark if part else ""
    return out


_FOREIGN = re.compile(f"[{_PUA}]")
_POINTS = re.compile("个百分点|pct|pp")
_DASH = re.compile("[-–~至]")
# Slots that can match only where these match (the others: _SLOT_TABLES).
_SLOT_TESTS = {
    "num": re.compile(r"[\d零〇一二两三四五六七八九十百千]"),
    "count": re.compile(r"[\d一二两三四五六七八九十]"),
    "pct": re.compile(r"%|百分之|[一二两三四五六七八九]成"),
    "vs": re.compile("[较比与]"),
    "np": re.compile("[A-Z]"),
    "day": re.compile("日"),
    "frac": re.compile("分之|一半|半数|过半"),
    "who": re.compile("[A-Z]"),
}
# A slot can match only when one of these tables has a word in the clause.
_SLOT_TABLES = {
    "time": ("time",),
    "qty": ("units",),
    "range": ("units",),
    "base": ("bases", "time"),
    "note": ("notes",),
    "money": ("money_units",),
    "agent": ("agents",),
    "who": ("names",),
    "actor": ("actors",),
    "src": ("sources",),
    "dir": ("directions",),
    "cmp": ("comparisons",),
    "verb": ("verbs",),
    "approx": ("approx",),
    "after": ("approx_after",),
    "view": ("perspectives",),
    "person": ("people",),
    "title": ("titles",),
    "say": ("says",),
    "event": ("events",),
    "report": ("reports",),
    "modal": ("modals",),
    "site": ("sites",),
    "np": ("npwords",),
    "day": ("days",),
}
_TABLE_SLOTS: dict[str, list[str]] = {}
for _slot, _tables in _SLOT_TABLES.items():
    for _table in _tables:
        _TABLE_SLOTS.setdefault(_table, []).append(_slot)


def _ends_with(text: str, words: set[str] | None) -> bool:
    return any(text.endswith(w) for w in words or ())


# Slots whose last character a clause must end with when a shape ends in the slot.
_ENDS: dict[str, Callable[[str, dict[str, set[str]]], bool]] = {  # keys: END_SLOTS
    "num": lambda text, _: text[-1:] in "0123456789零〇一二两三四五六七八九十百千万亿",
    "count": lambda text, _: text[-1:] in "0123456789一二两三四五六七八九十",
    "pct": lambda text, _: text[-1:] in "%成零〇一二两三四五六七八九十",
    "pp": lambda text, _: text.endswith(("个百分点", "pct", "pp")),
    "qty": lambda text, found: _ends_with(text, found.get("units")),
    "range": lambda text, found: _ends_with(text, found.get("units")),
    "money": lambda text, found: _ends_with(text, found.get("money_units")),
}
