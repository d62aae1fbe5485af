"""Figures for deduplication: quantities with their units, dates, labels, and the text
around them.

A republished copy may add or drop *dates* (a dateline ``6月11日消息，``, ``今年`` written as
``2025年``, ``本周``), but its *quantities* and *labels* are those of the original. So the
figures of a unit are three sets:

``quantities``
    every number with its multiplier and scale applied and its unit as a tag, comparable
    across the languages: ``47.6万辆`` and ``476,000 vehicles`` are ``476000``, ``3.5%`` is
    ``3.5|%``, ``0.5个百分点`` and ``50 basis points`` are ``0.5|pp``, ``410亿港元`` is
    ``41000000000|hkd``, ``57.1GWh`` is ``57100000|kwh`` (so ``57.1MWh`` differs), ``$9,650 a
    tonne`` is ``9650|usd/t``.
``dates``
    years, months, days, quarters, halves and weeks: ``y2025``, ``m5``, ``d12``, ``q1``;
    ``1-5月``, ``前5个月``, ``first five months`` and ``January-May`` are all ``m1 m5``.
``labels``
    figures that name rather than count: ``NCM811``, ``M8``, ``第一`` (within one language).

Two units agree (:func:`agree`) when their quantities are equal, their labels are equal
(same language) and the dates of one are a subset of the other's. A pair whose text is
the same apart from one or two figures is a *figures-differ* pair (:func:`slightly_different`):
reported, never merged.

The masked text (every figure replaced by ``#``) is the *skeleton* of a unit: copies whose
figures differ by a typo or a unit share it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from ..numbers import MONTHS, chinese_value, plain

__all__ = ["Figures", "agree", "extract", "slightly_different"]

_ZH_NUM = "零〇一二两三四五六七八九十百千"
_MONTHS = [m.lower() for m in MONTHS]
_MONTH_RE = "|".join(
    _MONTHS
    + [m[:3] + r"\." for m in _MONTHS]
    + ["sept\\.?", "jan", "feb", "mar", "aug", "oct", "nov", "dec"]
)
_WORDS = "one two three four five six seven eight nine ten eleven twelve".split()
_WORD_VALUE = {w: i + 1 for i, w in enumerate(_WORDS)}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6}
_ZH_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}

_SCALE = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "thousand": Decimal(1000),
    "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}
# unit → (tag, factor): energy in kWh and power in kW, so GWh and MWh differ by value.
_UNITS: dict[str, tuple[str, Decimal]] = {
    "%": ("%", Decimal(1)),
    "percent": ("%", Decimal(1)),
    "per cent": ("%", Decimal(1)),
    "个百分点": ("pp", Decimal(1)),
    "百分点": ("pp", Decimal(1)),
    "percentage points": ("pp", Decimal(1)),
    "percentage point": ("pp", Decimal(1)),
    "basis points": ("pp", Decimal("0.01")),
    "bps": ("pp", Decimal("0.01")),
    "个基点": ("pp", Decimal("0.01")),
    "基点": ("pp", Decimal("0.01")),
    "gwh": ("kwh", Decimal(10) ** 6),
    "mwh": ("kwh", Decimal(1000)),
    "kwh": ("kwh", Decimal(1)),
    "千瓦时": ("kwh", Decimal(1)),
    "度": ("kwh", Decimal(1)),
    "gw": ("kw", Decimal(10) ** 6),
    "mw": ("kw", Decimal(1000)),
    "kw": ("kw", Decimal(1)),
    "千瓦": ("kw", Decimal(1)),
    "kilowatts": ("kw", Decimal(1)),
    "吨": ("t", Decimal(1)),
    "tonnes": ("t", Decimal(1)),
    "tonne": ("t", Decimal(1)),
    "tons": ("t", Decimal(1)),
    "mt": ("t", Decimal(1)),
    "公斤": ("kg", Decimal(1)),
    "千克": ("kg", Decimal(1)),
    "kg": ("kg", Decimal(1)),
    "kilograms": ("kg", Decimal(1)),
    "港元": ("hkd", Decimal(1)),
    "港币": ("hkd", Decimal(1)),
    "美元": ("usd", Decimal(1)),
    "dollars": ("usd", Decimal(1)),
    "欧元": ("eur", Decimal(1)),
    "euros": ("eur", Decimal(1)),
    "日元": ("jpy", Decimal(1)),
    "yen": ("jpy", Decimal(1)),
    "英镑": ("gbp", Decimal(1)),
    "元": ("cny", Decimal(1)),
    "人民币": ("cny", Decimal(1)),
    "yuan": ("cny", Decimal(1)),
    "倍": ("x", Decimal(1)),
    "个月": ("mo", Decimal(1)),
    "months": ("mo", Decimal(1)),
    "month": ("mo", Decimal(1)),
}
_CURRENCY_PREFIX = {
    "us$": "usd",
    "$": "usd",
    "hk$": "hkd",
    "rmb": "cny",
    "cny": "cny",
    "¥": "cny",
    "€": "eur",
    "£": "gbp",
}
_PER = {
    "吨": "t",
    "t": "t",
    "tonne": "t",
    "ton": "t",
    "mt": "t",
    "公斤": "kg",
    "千克": "kg",
    "kg": "kg",
    "kilogram": "kg",
    "股": "share",
    "share": "share",
    "桶": "bbl",
    "barrel": "bbl",
    "盎司": "oz",
    "ounce": "oz",
}
STRONG = frozenset({"%", "pp", "hkd", "usd", "eur", "jpy", "gbp", "cny"})
"""Tags a translation always keeps: across languages they must agree when both have one."""


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NOT_INSIDE = r"(?<![a-z\d.])(?<!\d,)"  # not the middle of 1,200 or 3.5, nor of NCM811
_QUANTITY = re.compile(
    rf"(?:每\s?(?P<per0>{_alt(_PER)})\s?)?"
    rf"(?:{_NOT_INSIDE}(?:(?P<cur>{_alt(_CURRENCY_PREFIX)})\s?)?(?P<num>{_DIGITS}|{_alt(_WORDS)})"
    rf"|(?P<zh>[{_ZH_NUM}]+))"
    rf"(?:\s?(?P<scale>{_alt(_SCALE)})(?![a-z]))?(?:[\s-]?(?P<unit>{_alt(_UNITS)})(?![a-z]))?"
    rf"(?:\s?(?:/|a|per)\s?(?P<per>{_alt(_PER)})(?![a-z]))?"
)
_RANGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[int, int]]]] = [
    (
        re.compile(r"(?<!\d)(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*月份?"),
        lambda m: (int(m[1]), int(m[2])),
    ),
    (
        re.compile(rf"前\s*(\d{{1,2}}|[{_ZH_NUM}]{{1,2}})\s*个?月"),
        lambda m: (1, _small_int(m[1])),
    ),
    (
        re.compile(rf"\bfirst\s+(\d{{1,2}}|{_alt(_WORDS)})\s+months\b"),
        lambda m: (1, _small_int(m[1])),
    ),
    (
        re.compile(rf"\b({_MONTH_RE})\s*(?:-|–|—|to|through)\s*({_MONTH_RE})\b"),
        lambda m: (_month(m[1]), _month(m[2])),
    ),
]
_ZH_DATE = re.compile(
    r"(?<![\d.])(?:(?P<y>(?:19|20)\d\d)\s*年(?:\s*(?P<ym>\d{1,2})\s*月份?)?"
    r"(?:\s*(?P<yd>\d{1,2})\s*[日号](?!元))?"
    r"|(?P<m>\d{1,2})\s*月份?(?:\s*(?P<md>\d{1,2})\s*[日号](?!元))?"
    r"|(?P<d>\d{1,2})\s*[日号](?!元))"
)
_EN_DATE = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+)?(?P<m>{_MONTH_RE})(?![a-z])(?:\s+(?P<d2>\d{{1,2}})(?![\d,.]\d)"
    r"(?:\s*(?:-|–|to|and)\s*(?P<d3>\d{1,2})(?![\d,.]\d))?)?"
    r"(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?"
)
_PERIOD = re.compile(
    rf"(?:第)?(?P<zq>[一二三四1-4])\s*季度|(?P<zh>[上下])半年|第(?P<zw>[一二三四五])周"
    rf"|(?<![a-z\d])q(?P<q>[1-4])(?![a-z\d])|(?<![a-z\d])h(?P<h>[12])(?![a-z\d])|\b(?P<eq>{_alt(_ORDINALS)})[\s-](?P<ep>quarter|half)\b"
)
_LABEL = re.compile(rf"(?<![a-z\d])(?:[a-z]+\d[a-z\d]*|\d+[a-z]+)(?![a-z\d])|第[{_ZH_NUM}]+")
_YEAR = re.compile(rf"{_NOT_INSIDE}(?<!\$)(?:19|20)\d\d(?![\d%]|\.\d|,\d)")
_BARE = re.compile(rf"{_NOT_INSIDE}(?:{_DIGITS})")
_DIGIT = re.compile(r"\d")
_MONTH_HINT = re.compile("jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")
_MONTH_NUMBER = (
    {m: i + 1 for i, m in enumerate(_MONTHS)}
    | {m[:3]: i + 1 for i, m in enumerate(_MONTHS)}
    | {"sept": 9}
)
_PERIOD_HINT = re.compile(r"季度|半年|周|q[1-4]|h[12]|quarter|half")
_NUMBER_HINT = re.compile(rf"[\d{_ZH_NUM}]|{_alt(_WORDS)}")
_LABEL_HINT = re.compile(r"[a-z]\d|\d[a-z]|第")


def _small_int(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _WORD_VALUE:
        return _WORD_VALUE[text]
    return int(chinese_value(text))


def _month(word: str) -> int:
    return _MONTH_NUMBER[word.rstrip(".")]


class Figures(NamedTuple):
    """A unit's figures (see the module docs), as sorted tuples of short strings. A tuple
    of tuples of strings: the index keeps one per unit, and the garbage collector does not
    track such tuples (at 200,000 units, tracked objects cost 16% of the run)."""

    quantities: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()

    @property
    def all(self) -> frozenset[str]:
        """Every figure: quantities, dates and labels."""
        return frozenset(self.quantities + self.dates + self.labels)

    def size(self) -> int:
        """How many figures (a quantity, a date and a label never coincide)."""
        return len(self.quantities) + len(self.dates) + len(self.labels)

    def __bool__(self) -> bool:
        return bool(self.quantities or self.dates or self.labels)


def extract(text: str) -> tuple[Figures, str]:
    """The figures of ``text`` (NFKC, case-folded) and its skeleton: the text with every
    figure replaced by ``#``."""
    quantities: set[str] = set()
    dates: set[str] = set()
    labels: set[str] = set()

    def month_range(bounds: tuple[int, int]) -> str:
        a, b = bounds
        if 1 <= a <= 12 and 1 <= b <= 12:
            dates.update((f"m{a}", f"m{b}"))
        return " # "

    english_month = _MONTH_HINT.search(text) is not None
    chinese_date = "月" in text
    for pattern, bounds in _RANGES:
        if (english_month or chinese_date or "months" in text) and pattern.search(text):
            text = pattern.sub(lambda m, b=bounds: month_range(b(m)), text)  # type: ignore[misc]
    if chinese_date or "年" in text or "日" in text or "号" in text:
        text = _ZH_DATE.sub(lambda m: _zh_date(m, dates), text)
    if english_month:
        text = _EN_DATE.sub(lambda m: _en_date(m, dates), text)
    if _PERIOD_HINT.search(text):
        text = _PERIOD.sub(lambda m: _period(m, dates), text)
    if _NUMBER_HINT.search(text):
        text = _QUANTITY.sub(lambda m: _quantity(m, quantities), text)
    if _LABEL_HINT.search(text):
        text = _LABEL.sub(lambda m: labels.add(m[0]) or " # ", text)  # type: ignore[func-returns-value]
    if _DIGIT.search(text):
        text = _YEAR.sub(lambda m: dates.add(f"y{m[0]}") or " # ", text)  # type: ignore[func-returns-value]
        text = _BARE.sub(lambda m: _bare(m, quantities), text)
    return Figures(tuple(sorted(quantities)), tuple(sorted(dates)), tuple(sorted(labels))), text


def _zh_date(m: re.Match[str], dates: set[str]) -> str:
    month, day = m["ym"] or m["m"], m["yd"] or m["md"] or m["d"]
    if (month and not 1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
        return m[0]
    if m["y"]:
        dates.add(f"y{m['y']}")
    if month:
        dates.add(f"m{int(month)}")
    if day:
        dates.add(f"d{int(day)}")
    return " # "


def _en_date(m: re.Match[str], dates: set[str]) -> str:
    if m["m"] == "may" and not (m["d1"] or m["d2"] or m["y"]):
        # "may" the verb; "in May" and "May 5" are the month
        before = m.string[max(0, m.start() - 8) : m.start()]
        if not re.search(r"\b(in|of|since|until|by|from|to|through|and|end)\s+$", before):
            return m[0]
    dates.add(f"m{_month(m['m'])}")
    for day in (m["d1"] or m["d2"], m["d3"]):
        if day and 1 <= int(day) <= 31:
            dates.add(f"d{int(day)}")
    if m["y"]:
        dates.add(f"y{m['y']}")
    return " # "


def _period(m: re.Match[str], dates: set[str]) -> str:
    if m["zq"]:
        q = m["zq"]
        dates.add(f"q{_ZH_DIGIT.get(q, 0) or int(q)}")
    elif m["zh"]:
        dates.add("h1" if m["zh"] == "上" else "h2")
    elif m["zw"]:
        dates.add(f"w{_ZH_DIGIT[m['zw']]}")
    elif m["q"] or m["h"]:
        dates.add(f"q{m['q']}" if m["q"] else f"h{m['h']}")
    else:
        dates.add(("q" if m["ep"] == "quarter" else "h") + str(_ORDINALS[m["eq"]]))
    return " # "


def _quantity(m: re.Match[str], quantities: set[str]) -> str:
    num, scale, unit, cur = m["num"] or m["zh"], m["scale"], m["unit"], m["cur"]
    per = m["per"] or m["per0"]
    if not (scale or unit or cur or per):
        return m[0]  # a bare number: years and labels first (see extract)
    word = num in _WORD_VALUE
    if (word or not num[0].isdigit()) and not (scale or unit):
        return m[0]
    try:
        if word:
            value = Decimal(_WORD_VALUE[num])
        elif num[0].isdigit():
            value = Decimal(num.replace(",", ""))
        else:
            value = chinese_value(num)
    except (ValueError, InvalidOperation):
        return m[0]
    if not num[0].isdigit() and len(num) == 1 and not scale and unit not in ("个月", "个百分点"):
        return m[0]  # 一家, 两国: words
    tag = ""
    if scale:
        value *= _SCALE[scale]
    if unit:
        tag, factor = _UNITS[unit]
        value *= factor
    if cur:
        tag = _CURRENCY_PREFIX[cur]
    if per:
        tag = f"{tag}/{_PER[per]}"
    quantities.add(f"{plain(value)}|{tag}" if tag else str(plain(value)))
    return " # "


def _bare(m: re.Match[str], quantities: set[str]) -> str:
    quantities.add(str(plain(Decimal(m[0].replace(",", "")))))
    return " # "


def agree(a: Figures, b: Figures, same_language: bool = True) -> bool:
    """Whether two units' figures allow them to be one text: equal quantities (units
    included; across languages only the tags of :data:`STRONG` are compared), equal labels
    within a language, and the dates of one a subset of the other's."""
    if same_language:
        if a.quantities != b.quantities or a.labels != b.labels:
            return False
    elif not _cross_equal(a.quantities, b.quantities):
        return False
    da, db = set(a.dates), set(b.dates)
    return da <= db or db <= da


def _cross_equal(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    tags_a, tags_b = _by_value(a), _by_value(b)
    if tags_a.keys() != tags_b.keys():
        return False
    for value, ours in tags_a.items():
        theirs = tags_b[value]
        if ours and theirs and not ours & theirs:
            return False
    return True


def _by_value(quantities: tuple[str, ...]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in quantities:
        value, _, tag = q.partition("|")
        tags = out.setdefault(value, set())
        base = tag.partition("/")[0]  # "a tonne" is often left out of a translation
        if base in STRONG:
            tags.add(base)
    return out


def slightly_different(a: Figures, b: Figures, long: bool = True) -> bool:
    """Whether figures that do not :func:`agree` differ in just one figure on each side: a
    typo or a unit, which the report must show (a template filled with other figures, or
    another month and another amount, is not; nor are bare counters with nothing else in
    common in a short text (``long`` false): ``Headline 1`` / ``Headline 2``)."""
    fa, fb = a.all, b.all
    only_a, only_b = fa - fb, fb - fa
    if not (only_a or only_b) or len(only_a) > 1 or len(only_b) > 1:
        return False
    return long or bool(fa & fb) or any("|" in x or not x[0].isdigit() for x in only_a | only_b)
