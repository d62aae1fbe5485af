"""The statistics engine's slot values: what each slot of a matched clause renders as in
English (times, quantities, ranges, percentages, comparison words), for the templates of
``data/statistics.toml``. A value that cannot be rendered exactly raises, and the engine
tries the next clause shape.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ...numbers import MONTHS, chinese_value, format_number
from .statistics_grammar import (
    MULT,
    NUM,
    alternation,
    grammar,
    lower_first,
    noun_phrase,
    render_quantity,
    render_time,
)

__all__ = ["possessive", "slot_values"]


def _percent(text: str) -> str:
    text = text.replace(" ", "")
    value = Decimal(text[:-1]) if text.endswith("%") else chinese_value(text)
    return format_number(value) + "%"


def _unit(text: str) -> str:
    units = alternation(grammar()["units"])
    m = re.search(rf"({units})$", text.replace(" ", ""))
    return m.group(1) if m else ""


def _quantity(text: str, noun: str | None) -> tuple[str, bool]:
    units = alternation(grammar()["units"])
    m = re.fullmatch(rf"({NUM})\s*({MULT})?\s*({units})", text.replace(" ", ""))
    if not m:
        raise ValueError(text)
    value = chinese_value(m.group(1) + (m.group(2) or ""))
    english, plural = render_quantity(abs(value), m.group(3), noun)
    return ("-" + english if value < 0 else english), plural  # 净利润-1856.09万元


def _range(text: str) -> str:
    """``7.38-7.59万元/吨`` → ``73,800-75,900 yuan/mt``: a multiplier or unit written once
    applies to both ends."""
    units = alternation(grammar()["units"])
    m = re.fullmatch(
        rf"({NUM})\s*({MULT})?\s*({units})?\s*[-–~至]\s*({NUM})\s*({MULT})?\s*({units})",
        text.replace(" ", ""),
    )
    if not m:
        raise ValueError(text)
    low_num, low_mult, low_unit, high_num, high_mult, unit = m.groups()
    if low_unit is None and low_mult is None:
        low_mult = high_mult
    low = render_quantity(abs(chinese_value(low_num + (low_mult or ""))), unit, None)[0]
    high = render_quantity(abs(chinese_value(high_num + (high_mult or ""))), unit, None)[0]
    kind = grammar()["units"][unit][0]
    if kind in ("plain", "count") and low.split(" ", 1)[1:] == high.split(" ", 1)[1:]:
        low = low.split(" ", 1)[0]  # 10-11万辆: 100,000-110,000 units
    elif kind == "price":
        low = low.replace(" yuan/mt", "").replace("/mt", "")
    return f"{low}-{high}"


def slot_values(
    groups: dict[str, str], words: dict[str, str], text: str = ""
) -> dict[str, Any] | None:
    """The template values of a match's ``groups``; None when a noun phrase is unknown."""
    g = grammar()
    values: dict[str, Any] = dict.fromkeys(_OPTIONAL, "")
    values |= {"was": "was", "were": "was"}
    noun = None
    for key in ("np", "np2", "np3"):
        if key in groups:
            english = noun_phrase(groups[key], words)
            if english is None:
                return None  # an unknown noun: never guess
            values[key] = english
            noun = noun or english
    if "actor" in groups:
        actor = values["actor"] = g["actors"][groups["actor"]]
        values["actor_s"] = possessive(actor)
    for key, table in _WORDS.items():
        if key in groups:
            values.update({f"{key}_{k}": v for k, v in table[groups[key]].items()})
            values[key] = groups[key]
    head = re.split(r" (?:of|in|at|from|after|for|to) ", noun or "", maxsplit=1)[0]
    if head.endswith("s") and not head.endswith(("ss", "us", "is")):
        values["was"] = "were"  # sales were; the trade surplus was; value added of … was
    for key in ("time", "time2", "time3"):
        if key in groups:
            values[key] = render_time(groups[key]) + ", "
            values[key + "_in"] = " " + lower_first(render_time(groups[key]))
    for key in ("src", "src2"):
        if key in groups:
            values[key] = g["sources"][groups[key]]
            values[key + "_name"] = g["sources"][groups[key]].removesuffix(" data")
    for key in ("dir", "dir2"):
        if key in groups:
            values[key] = g["directions"][groups[key]]
            values[key + "_moved"] = "rose" if values[key] == "up" else "fell"
            values[key + "_ing"] = "rising" if values[key] == "up" else "falling"
    for key in ("cmp", "cmp2"):
        english = g["comparisons"][groups[key]] if key in groups else ""
        values[key] = english
        values[key + "_space"] = f" {english}" if english else ""
        values[key + "_than"] = {"YoY": "a year earlier", "MoM": "the previous month"}.get(
            english, english.removeprefix("from ")
        )
        if key == "cmp" and english:
            values["than"] = " than " + values["cmp_than"]
    if "time" in groups:
        values["time_than"] = " than " + values["time_in"].strip().removeprefix("in ")
        values["time_than"] = values["time_than"].replace("than the", "than in the")
    for key in ("approx", "approx2"):
        values[key] = g["approx"][groups[key]] + " " if key in groups else ""
    values["after"] = " " + g["approx_after"][groups["after"]] if "after" in groups else ""
    for key in ("view", "day"):
        if key in groups:
            values[key] = g["perspectives" if key == "view" else "days"].get(groups[key])
            if values[key] is None:
                numbers = [int(n) for n in re.findall(r"\d+", groups[key])]
                values[key] = (
                    f"on {MONTHS[numbers[0] - 1]} {numbers[1]}"
                    if len(numbers) == 2
                    else f"on the {_ordinal(numbers[0])}"
                )
    for key in ("pct", "pct2", "pct3"):
        if key in groups:
            values[key] = _percent(groups[key])
    if "pct3" in groups:
        values["pct3_and"] = f" and {values['pct3']}"
    for key in ("pp", "pp2"):
        if key in groups:
            points = abs(chinese_value(re.sub(r"个百分点|pct|pp", "", groups[key]).strip()))
            unit = "percentage point" + ("" if points == 1 else "s")
            values[key] = f"{format_number(points)} {unit}"
    for key in ("count", "count2"):
        if key in groups:
            n = chinese_value(groups[key])
            # 三年: a word for the guard, so "three"; 三个月 is a figure for it, so "3"
            chinese = not groups[key][0].isdigit() and f"{groups[key]}个月" not in text
            values[key] = _WORDS_EN[int(n)] if chinese and n <= 10 else format_number(n)
            values[key + "_years"] = f" for {values[key]} consecutive years"
            values[key + "_months"] = f" for {values[key]} consecutive months"
            values[key + "_ordinal"] = (
                _ORDINALS[int(n)] if chinese and n <= 10 else _ordinal(int(n))
            )
            values[key + "_times100"] = format_number(n * 100)
    for key in ("num", "num2"):
        if key in groups:
            values[key] = format_number(abs(chinese_value(groups[key].replace(" ", ""))))
    if "vs" in groups:  # 较2010年, 较上月, 较1日: stands where a comparison word would
        base = re.sub(r"^(?:较|比|与)|相比$", "", groups["vs"])
        english = g["bases"].get(base) or g["days"].get(base, "").removeprefix("on ")
        if not english and re.fullmatch(r"\d{1,2}日", base):
            english = f"the {_ordinal(int(base[:-1]))}"
        if not english:
            english = re.sub(r"^(?:In|On|At) ", "", render_time(base))
        values["cmp"] = f"from {english}"
        values["cmp_space"] = f" from {english}"
        values["than"] = f" than {english}"
    if "who" in groups:
        values["who"] = g["names"][groups["who"]]
        values["who_lower"] = _lower_name(values["who"])
    if "agent" in groups:
        values["agent"] = g["actors"][groups["agent"]]
    if "money" in groups:
        values["money"] = _quantity(groups["money"], None)[0]
    if "range" in groups:
        values["range"] = _range(groups["range"])
    if "base" in groups:
        base = g["bases"].get(groups["base"])
        values["base"] = base if base is not None else lower_first(render_time(groups["base"]))
    if "note" in groups:
        values["note"] = " " + g["notes"][groups["note"]]
    counted = values.get("np2") or noun
    values["of_np"] = f" of {counted}" if counted else ""
    for key in ("qty", "qty2", "qty3"):
        if key in groups:
            values[key], plural = _quantity(groups[key], counted if "verb" in groups else None)
            if key == "qty" and "verb" in groups:
                values["were"] = "were" if plural else "was"
                if (
                    plural
                    and counted
                    and grammar()["units"].get(_unit(groups[key]), [""])[0] == "count"
                ):
                    values["of_np"] = ""
    if "verb" in groups:
        verb = g["verbs"][groups["verb"]]
        values["verb"], values["verb_active"], values["verb_noun"], values["verb_prep"] = verb
    return values


_OPTIONAL = (
    "actor actor_s time time2 time3 time_in time2_in time3_in time_than approx approx2 after"
    " cmp cmp_space cmp2 cmp2_space day count_years where_en qz note than yoy_en pct3_and"
    " count_months"
).split()
_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "period": {
        "月": {"en": "month"},
        "周": {"en": "week"},
        "年": {"en": "year"},
        "季度": {"en": "quarter"},
    },
    "speed": {
        w: {"en": "faster" if w in ("加快", "提高", "提升", "上升", "回升") else "slower"}
        for w in ("加快", "提高", "提升", "上升", "回升", "回落", "放缓", "下降")
    },
    "fall": {
        w: {"dir": "down" if w in ("降幅", "跌幅") else "up"}
        for w in ("降幅", "跌幅", "涨幅", "升幅", "增幅")
    },
    "narrow": {
        "收窄": {"en": "narrowing", "past": "narrowed"},
        "扩大": {"en": "widening", "past": "widened"},
    },
    "yoy": {"同比": {"en": "YoY "}},
    "bal": {"贸易顺差": {"en": "surplus"}, "贸易逆差": {"en": "deficit"}},
    "zone": {
        w: {"en": e}
        for w, e in (
            ("位于扩张区间", "in expansion territory"),
            ("处于扩张区间", "in expansion territory"),
            ("重返扩张区间", "back in expansion territory"),
            ("位于收缩区间", "in contraction territory"),
            ("低于临界点", "below the threshold"),
            ("高于临界点", "above the threshold"),
            ("位于临界点以上", "above the threshold"),
            ("位于临界点以下", "below the threshold"),
            ("位于荣枯线以上", "above the boom-bust line"),
            ("位于荣枯线之上", "above the boom-bust line"),
            ("位于荣枯线以下", "below the boom-bust line"),
            ("位于警戒线以下", "below the warning line"),
            ("位于警戒线以上", "above the warning line"),
        )
    },
    "above": {"高于": {"en": "above", "word": "higher"}, "低于": {"en": "below", "word": "lower"}},
    "hl": {
        "高": {"en": "a record high", "word": "highest"},
        "低": {"en": "a record low", "word": "lowest"},
    },
    "where": {
        "全球": {"en": " in the world"},
        "世界": {"en": " in the world"},
        "全国": {"en": " in China"},
    },
}


_WORDS_EN = "zero one two three four five six seven eight nine ten".split()
_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()


def _lower_name(name: str) -> str:
    """``Analysts`` → ``analysts`` after "according to"; names keep their capital."""
    if name.split(" ")[0] in ("Analysts", "Industry", "Market", "People", "A", "Foreign", "The"):
        return name[0].lower() + name[1:]
    return name


def possessive(actor: str) -> str:
    """``China`` → ``China's``; adjectives (``national``) and possessives stay."""
    if actor.endswith("'s") or (actor[:1].islower() and actor != "the company"):
        return actor
    return actor + "'s"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
