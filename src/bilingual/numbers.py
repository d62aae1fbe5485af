"""Numbers: Chinese numerals and units to exact values, English formatting, the number guard.

Values are :class:`decimal.Decimal`, never floats, so ``14.7亿`` is exactly 1,470,000,000.

The guard compares the *quantities* of a source and its translation: every number with
its multiplier applied (``47.6万`` = 476,000 = ``476,000``; ``14.7亿美元`` = 1,470,000,000 =
``US$1.47 billion``), percentages as written, months as months (``12月`` = ``December``).
Years, ordinary integers and decimals count too; ``增长N倍`` (grew by N times) is the
increase N×100 (``增长1倍`` = up 100%), any other ``N倍`` is N (``是…的5.9倍`` = 5.9
times). Limits, stated honestly: single Chinese numerals without a multiplier or unit
(``一家``) are words, not quantities, and English number words (``two``) are not read;
signs are ignored (``下降30.4%`` = ``down 30.4%``).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["chinese_value", "format_number", "guard", "quantities"]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(1000),
    "百万": Decimal(10) ** 6,
}
_NUMERAL = "零〇○一二两兩三四五六七八九十拾百佰千仟万萬亿億点"
_TRADITIONAL = str.maketrans({"萬": "万", "億": "亿", "兩": "两"})


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
            raise ValueError(f"not a number: {text!r}")
    return total + (digit or 0)


def _integer(text: str) -> int:
    """A Chinese integer: 二〇二五 (digit by digit), 三亿五千万, 两万, 十五."""
    if len(text) > 1 and all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))  # 二〇二五, 一三五
    if "亿" in text:  # 一万亿: what stands before 亿 (a 万 included) counts 亿s
        head, tail = text.rsplit("亿", 1)
        return (_integer(head) if head else 1) * _BIG_UNITS["亿"] + (_integer(tail) if tail else 0)
    if "万" in text:
        head, tail = text.split("万", 1)
        return (_small(head) if head else 1) * _BIG_UNITS["万"] + (_small(tail) if tail else 0)
    return _small(text)


def chinese_value(text: str) -> Decimal:
    """The exact value of an Arabic or Chinese numeral with Chinese multipliers; the one
    parser of the guard, the statistics engine and dedupe.

    Arabic numbers with multipliers (``47.6万``, ``1.2万亿``, ``2,345万``), Chinese
    numerals (``七十二万``, ``两万``, ``三亿五千万``), digit strings (``二〇二五``), decimals
    with 点 (``三十二点四``, ``零点五``), percentages written out (``百分之三十二点四`` is
    32.4, the value of ``32.4%``) and tenths (``三成`` is 30, as ``30%``); full-width
    digits and the Traditional 萬 億 兩 too. The rules are those of the ``cn2an`` package,
    with :class:`~decimal.Decimal` instead of float so nothing is rounded. Limits:
    fractions (``三分之一``) and ranges are not numbers here; a sign is not read.

    >>> [str(chinese_value(t)) for t in ("3.0万", "47.6万", "14.7亿", "2,345万", "七十二万", "两")]
    ['30000', '476000', '1470000000', '23450000', '720000', '2']
    >>> texts = ("二〇二五", "百分之三十二点四", "零点五", "三成", "1.2万亿")
    >>> [str(chinese_value(t)) for t in texts]
    ['2025', '32.4', '0.5', '30', '1200000000000']
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRADITIONAL)
    text = text.replace(",", "").replace("，", "").replace("○", "〇").strip()
    m = re.fullmatch(r"([-+−]?)(\d+(?:\.\d+)?)(万亿|亿|万|千|百万)?", text)
    if m:
        value = plain(Decimal(m.group(2)) * (MULTIPLIERS[m.group(3)] if m.group(3) else 1))
        return -value if m.group(1) in ("-", "−") else value
    if text.startswith("百分之"):
        return chinese_value(text[3:])
    if m := re.fullmatch(r"([一二两三四五六七八九十])成([一二三四五六七八九])?", text):
        return Decimal(
            _DIGITS.get(m.group(1), 10) * 10 + (_DIGITS[m.group(2)] if m.group(2) else 0)
        )
    if m := re.fullmatch(r"(\d+(?:\.\d+)?)([十百千]?)(万亿|亿|万)", text):  # 3千万
        small = _SMALL_UNITS.get(m.group(2), 1)
        return plain(Decimal(m.group(1)) * small * MULTIPLIERS[m.group(3)])
    if not text or any(ch not in _NUMERAL for ch in text) or text.count("点") > 1:
        raise ValueError(f"not a number: {text!r}")
    whole, _, decimals = text.partition("点")
    scale = Decimal(1)
    if decimals and (m := re.search(r"(万亿|亿|万)$", decimals)):  # 一点二万亿
        scale, decimals = MULTIPLIERS[m.group(1)], decimals[: m.start()]
    if any(ch not in _DIGITS for ch in decimals) or not whole:
        raise ValueError(f"not a number: {text!r}")
    value = Decimal(_integer(whole))
    if decimals:
        value += Decimal("0." + "".join(str(_DIGITS[ch]) for ch in decimals))
    return plain(value * scale)


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
    rf"(?<![A-Za-z])(?P<ord>第)?(?:百分之)?"
    rf"(?P<num>\d{{1,3}}(?: \d{{3}})+(?![\d.])|\d[\d,]*(?:\.\d+)?|[{_NUMERAL}]+)\s*"
    r"(?P<mult>万亿|萬億|亿|億|万|萬|千|百万)?(?P<month>月)?(?P<unit>个百分点|个月|倍|成)?"
)  # spaces as normalize's pangu spacing leaves them: 进口 3.0 万辆, 12 月
_HALF_WIDTH = {0xFF10 + i: ord("0") + i for i in range(10)} | {0xFF0E: ord("."), 0xFF05: ord("%")}
_SHARED_MULT = re.compile(r"\s*[-–~至]\s*\d[\d,]*(?:\.\d+)?\s*(万亿|亿|万)")
_GROWTH_BEFORE = re.compile(r"(?:增长|增加|上涨|提高|上升|增)了?(?:近|约|超过|逾)?$")
_ZH_MONTH_RANGE = re.compile(r"(\d{1,2})\s*[-–—~至到]\s*(\d{1,2})\s*月")
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
    return Counter(q for q, _ in located(text, lang))


def located(text: str, lang: str) -> list[tuple[Quantity, tuple[int, int]]]:
    """The quantities of ``text`` with where each stands (start, end) in it."""
    found: list[tuple[Quantity, tuple[int, int]]] = []
    text = text.translate(_HALF_WIDTH)  # ４８．６％: one character for one, spans unchanged
    if lang.startswith("zh"):
        ranges = {m.start(1) for m in _ZH_MONTH_RANGE.finditer(text)}  # 1-11月: 1 is a month
        for m in _ZH_QUANTITY.finditer(text):
            num, mult, ordinal = m.group("num"), m.group("mult"), m.group("ord")
            is_digit = num[0].isdigit()
            if not is_digit and (ordinal or (len(num) == 1 and not mult and not m.group("unit"))):
                continue  # 第一 (an ordinal) and 一家 (a word), not quantities; 两个百分点 is
            try:
                value = chinese_value(num.replace(" ", "") + (mult or ""))  # 3 912万t
            except (ValueError, InvalidOperation):
                continue
            if not mult and (shared := _SHARED_MULT.match(text, m.end())):
                value *= MULTIPLIERS[shared.group(1)]  # 7.38-7.59万: both ends in 万
            if m.group("unit") == "成":
                value *= 10  # 三成: 30%
            if m.group("unit") == "倍" and _GROWTH_BEFORE.search(text[: m.start()]):
                value *= 100  # 增长1倍: up 100% (增长N倍 is the increase, N×100%)
            span = (m.start("num"), m.end())
            first_n = text[max(0, m.start() - 1) : m.start()] in ("前", "首")  # 前5月: 5 months
            if not first_n and (
                m.start("num") in ranges or (m.group("month") and not mult and 1 <= value <= 12)
            ):
                found.append((("month", value), span))
            else:
                found.append((("number", plain(abs(value))), span))
    else:
        for m in _EN_QUANTITY.finditer(text):
            value = Decimal(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
            if m.group(3):
                value *= _EN_SCALE[m.group(3).lower()]
            found.append((("number", plain(abs(value))), m.span()))
        lowered = text.lower()
        months = _EN_MONTH.finditer(text) if any(a in lowered for a in _MONTH_ABBR) else ()
        for m in months:
            word = m.group(1).lower()
            if word == "may" and not (
                re.match(r"\s*\d", text[m.end() :])
                or (
                    m.group(1) == "May"
                    and re.search(
                        r"\b(?:in|of|since|until|by|from|to|through|and)\s+$|\d\s*$|[a-z][-–]$",
                        text[: m.start()],
                        re.I,
                    )
                )
            ):
                continue  # "may" the verb; "in May", "May 5" and "5 May" are the month
            month = _MONTHS.index(word) + 1 if word in _MONTHS else _MONTH_ABBR[word]
            found.append((("month", Decimal(month)), m.span()))
    return found


@dataclass(frozen=True)
class NumberIssue:
    """A quantity of the source missing from the translation, or one the translation added:
    the figure as written and where (in the source for ``missing``, in the translation for
    ``added``)."""

    kind: str  # "missing" or "added"
    quantity: Quantity
    text: str = ""
    """The figure as written: ``3.0万``, ``3,000``."""
    span: tuple[int, int] | None = None

    @property
    def detail(self) -> str:
        what, value = self.quantity
        where = " in the translation" if self.kind == "added" else ""
        written = f" ({self.text!r}{where})" if self.text else ""
        return f"{what} {format_number(value)}{written}"

    def __str__(self) -> str:
        return f"number {self.kind}: {self.detail}"


def _outside(
    text: str, lang: str, unchanged: Sequence[str]
) -> list[tuple[Quantity, tuple[int, int]]]:
    """The located quantities of ``text`` outside the pieces of ``unchanged`` (each taken at
    its first occurrence after the previous one)."""
    skip, pos = [], 0
    for piece in unchanged:
        at = text.find(piece, pos)
        if at >= 0:
            skip.append((at, at + len(piece)))
            pos = at + len(piece)
    return [(q, sp) for q, sp in located(text, lang) if not any(a <= sp[0] < b for a, b in skip)]


def guard(
    source: str,
    source_lang: str,
    target: str,
    target_lang: str,
    unchanged: Sequence[str] = (),
) -> list[NumberIssue]:
    """Differences between the quantities of ``source`` and ``target``: empty when equal.

    ``unchanged``: pieces of the source left as they are in the target, in order (text an
    engine did not translate); their figures are neither missing nor added.
    """
    src, tgt = _outside(source, source_lang, unchanged), _outside(target, target_lang, unchanged)
    missing = Counter(q for q, _ in src) - Counter(q for q, _ in tgt)
    added = Counter(q for q, _ in tgt) - Counter(q for q, _ in src)
    issues = []
    for kind, extra, where, text in (
        ("missing", missing, src, source),
        ("added", added, tgt, target),
    ):
        for q, (a, b) in where:
            if extra[q] > 0:
                extra[q] -= 1
                issues.append(NumberIssue(kind, q, text[a:b].strip(), (a, b)))
    return sorted(issues, key=lambda i: (i.kind != "missing", i.quantity))
