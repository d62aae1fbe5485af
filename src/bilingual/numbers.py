"""Numbers: Chinese numerals and units to exact values, English formatting, the number guard.

Values are :class:`decimal.Decimal`, never floats, so ``14.7亿`` is exactly 1,470,000,000.

The guard compares the *quantities* of a source and its translation: every number with
its multiplier applied (``47.6万`` = 476,000 = ``476,000``; ``14.7亿美元`` = 1,470,000,000 =
``US$1.47 billion``), percentages as written, months as months (``12月`` = ``December``).
Years, ordinary integers and decimals count too. Limits, stated honestly: single Chinese
numerals without a multiplier or unit (``一家``) are words, not quantities, and English
number words (``two``) are not read; signs are ignored (``下降30.4%`` = ``down 30.4%``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["chinese_value", "format_number", "guard", "quantities"]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "百万": Decimal(10) ** 6,
}
_NUMERAL = "零〇一二两三四五六七八九十百千万亿"


def _small(text: str) -> int:
    """A numeral below 10,000: 七十二, 三千零五, 十五."""
    total, digit = 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            total += (1 if digit is None else digit) * _SMALL_UNITS[ch]
            digit = None
        else:
            raise ValueError(ch)
    return total + (digit or 0)


def chinese_value(text: str) -> Decimal:
    """The value of an Arabic or Chinese numeral with Chinese multipliers.

    >>> [str(chinese_value(t)) for t in ("3.0万", "47.6万", "14.7亿", "2,345万", "七十二万", "两")]
    ['30000', '476000', '1470000000', '23450000', '720000', '2']
    """
    text = text.replace(",", "").replace("，", "").strip()
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万亿|亿|万|千|百万)?", text)
    if m:
        return plain(Decimal(m.group(1)) * (MULTIPLIERS[m.group(2)] if m.group(2) else 1))
    if not text or any(ch not in _NUMERAL for ch in text):
        raise ValueError(f"not a number: {text!r}")
    total = 0
    for unit in ("亿", "万"):
        if unit in text:
            head, text = text.split(unit, 1)
            total += (_small(head) if head else 1) * _BIG_UNITS[unit]
    return Decimal(total + _small(text))


def format_number(value: Decimal, decimals: int | None = None) -> str:
    """English digits with thousands separators: 476000 → ``476,000``; 32.40 → ``32.4``."""
    if decimals is not None:
        value = round(value, decimals)
    text = f"{value:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def scaled(value: Decimal) -> tuple[Decimal, str]:
    """``value`` as (mantissa, word) in millions or billions when it is that large."""
    for word, size in (
        ("trillion", Decimal(10) ** 12),
        ("billion", Decimal(10) ** 9),
        ("million", Decimal(10) ** 6),
    ):
        if abs(value) >= size:
            return value / size, word
    return value, ""


# --- quantities and the guard --------------------------------------------------------------

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
"""English month names, January first: shared by the guard, the statistics engine, dedupe."""
_MONTHS = [m.lower() for m in MONTHS]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}

_ZH_QUANTITY = re.compile(
    rf"(?P<ord>第)?(?P<num>\d[\d,]*(?:\.\d+)?|[{_NUMERAL}]+)\s*"
    r"(?P<mult>万亿|亿|万|千|百万)?(?P<month>月(?!份?[底初末]?\d))?(?P<unit>个百分点|个月|倍|成)?"
)  # spaces as normalize's pangu spacing leaves them: 进口 3.0 万辆, 12 月
_ZH_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-–~至到]\s*(\d{1,2})\s*月")
_EN_QUANTITY = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?:\s*(thousand|million|billion|trillion)\b)?"
)
_EN_MONTH = re.compile(r"\b(" + "|".join(_MONTHS + list(_MONTH_ABBR)) + r")\b\.?", re.I)
_EN_SCALE = {
    "thousand": Decimal(1000),
    "million": Decimal(10) ** 6,
    "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}


Quantity = tuple[str, Decimal]
"""("number", value) or ("month", 1-12)."""


def plain(value: Decimal) -> Decimal:
    """``value`` without exponent or trailing zeros: 3.0E+4 → 30000, 32.40 → 32.4."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return Decimal(format(value.normalize(), "f"))


def quantities(text: str, lang: str) -> Counter[Quantity]:
    """The quantities of ``text`` (``lang`` ``zh`` or ``en``), as a multiset."""
    found: Counter[Quantity] = Counter()
    if lang.startswith("zh"):
        for m in _ZH_QUANTITY.finditer(text):
            num, mult, ordinal = m.group("num"), m.group("mult"), m.group("ord")
            is_digit = num[0].isdigit()
            if not is_digit and (ordinal or (len(num) == 1 and not mult and not m.group("unit"))):
                continue  # 第一 (an ordinal) and 一家 (a word), not quantities; 两个百分点 is
            try:
                value = chinese_value(num + (mult or ""))
            except (ValueError, InvalidOperation):
                continue
            if m.group("month") and not mult and 1 <= value <= 12:
                found[("month", value)] += 1
            else:
                found[("number", plain(abs(value)))] += 1
        for m in _ZH_MONTH_RANGE.finditer(text):  # 1-11月: the 1 is a month too
            found[("number", plain(Decimal(m.group(1))))] -= 1
            found[("month", Decimal(m.group(1)))] += 1
    else:
        for m in _EN_QUANTITY.finditer(text):
            value = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
            if m.group(3):
                value *= _EN_SCALE[m.group(3).lower()]
            found[("number", plain(abs(value)))] += 1
        lowered = text.lower()
        months = _EN_MONTH.finditer(text) if any(a in lowered for a in _MONTH_ABBR) else ()
        for m in months:
            word = m.group(1).lower()
            if word == "may" and not (
                re.match(r"\s*\d", text[m.end() :])
                or (
                    m.group(1) == "May"
                    and re.search(
                        r"\b(?:in|of|since|until|by|from|to|through|and)\s+$|\d\s*$",
                        text[: m.start()],
                        re.I,
                    )
                )
            ):
                continue  # "may" the verb; "in May", "May 5" and "5 May" are the month
            month = _MONTHS.index(word) + 1 if word in _MONTHS else _MONTH_ABBR[word]
            found[("month", Decimal(month))] += 1
    return +found  # drop zero and negative counts


@dataclass(frozen=True)
class NumberIssue:
    """A quantity of the source missing from the translation, or one the translation added."""

    kind: str  # "missing" or "added"
    quantity: Quantity

    @property
    def detail(self) -> str:
        what, value = self.quantity
        return f"{what} {format_number(value)}"

    def __str__(self) -> str:
        return f"number {self.kind}: {self.detail}"


def guard(source: str, source_lang: str, target: str, target_lang: str) -> list[NumberIssue]:
    """Differences between the quantities of ``source`` and ``target``: empty when equal."""
    src, tgt = quantities(source, source_lang), quantities(target, target_lang)
    issues = [NumberIssue("missing", q) for q in sorted((src - tgt).elements())]
    issues += [NumberIssue("added", q) for q in sorted((tgt - src).elements())]
    return issues
