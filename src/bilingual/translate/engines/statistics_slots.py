"""The statistics engine's slot values: what each slot of a matched clause renders as in
English (times, quantities, ranges, percentages, comparison words, owners, speakers, the
words of ``[words.*]``), for the templates of ``data/statistics.toml``. A value that
cannot be rendered exactly raises, and the engine tries the next clause shape; a noun
phrase it cannot read, or a site read as the thing counted, makes it return None.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Any

from ...numbers import MONTHS, chinese_value, format_number
from . import statistics_grammar
from .statistics_grammar import (
    MULT,
    NUM,
    alternation,
    grammar,
    lower_first,
    noun_phrase,
    possessive,
    render_quantity,
    render_time,
)

__all__ = ["possessive", "slot_values"]


def _percent(text: str) -> str:
    text = text.replace(" ", "")
    value = Decimal(text[:-1]) if text.endswith("%") else chinese_value(text)
    return format_number(value) + "%"


@cache
def _units() -> str:
    return alternation(grammar()["units"])


@cache
def _expressions() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A unit at the end; a quantity; a range (compiled once)."""
    units = _units()
    return (
        re.compile(rf"({units})$"),
        re.compile(rf"({NUM})\s*({MULT})?\s*({units})"),
        re.compile(
            rf"({NUM})\s*({MULT})?\s*({units})?\s*[-–~至]\s*({NUM})\s*({MULT})?\s*({units})"
        ),
    )


def _unit(text: str) -> str:
    m = _expressions()[0].search(text.replace(" ", ""))
    return m.group(1) if m else ""


def _quantity(text: str, noun: str | None) -> tuple[str, bool]:
    m = _expressions()[1].fullmatch(text.replace(" ", ""))
    if not m:
        raise ValueError(text)
    value = chinese_value(m.group(1) + (m.group(2) or ""))
    english, plural = render_quantity(abs(value), m.group(3), noun)
    return ("-" + english if value < 0 else english), plural  # 净利润-1856.09万元


def _range(text: str) -> str:
    """``7.38-7.59万元/吨`` → ``73,800-75,900 yuan/mt``: a multiplier or unit written once
    applies to both ends."""
    m = _expressions()[2].fullmatch(text.replace(" ", ""))
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
    values: dict[str, Any] = dict(_defaults())
    noun = None
    if "np4" in groups:  # 比亚迪刀片电池今年出货量: a time inside the subject goes after it
        groups = {**groups, "np": groups["np"] + groups.pop("np4")}
    for key in ("np", "np2", "np3"):
        if key in groups:
            english = noun_phrase(groups[key], words)
            if english is None:
                return None  # an unknown noun: never guess
            values[key] = english
            noun = noun or english
    if "actor" in groups:
        values["actor"], values["actor_s"] = owner(groups["actor"])
        adjective = not values["actor_s"].endswith(("'s", "'"))
        if values.get("np", "").startswith("the "):  # the global average price of …
            rest = values["np"][4:]  # Shanghai's average price of rebar
            values["np"] = f"the {values['actor_s']} {rest}" if adjective else rest
            values["actor_s"] = "" if adjective else values["actor_s"]
    words_of = g["words"]
    for key in groups.keys() & words_of.keys():
        values.update({f"{key}_{k}": v for k, v in words_of[key][groups[key]].items()})
        values[key] = groups[key]
    values["mverb_en"] = values["mverb_en"] or "be"
    head = re.split(r" (?:of|in|at|from|after|for|to) ", noun or "", maxsplit=1)[0]
    if head.endswith("s") and not head.endswith(("ss", "us", "is")):
        values["was"] = "were"  # sales were; the trade surplus was; value added of … was
    for key in ("time", "time2", "time3", "time4"):
        if key in groups:
            values[key] = render_time(groups[key]) + ", "
            values[key + "_in"] = " " + lower_first(render_time(groups[key]))
            values[key + "_for"] = re.sub(r"^ (?:in|on|at) ", " for ", values[key + "_in"])
            values[key + "_bare"] = re.sub(r"^ (?:in|on|at) ", "", values[key + "_in"]).strip()
    for key in ("src", "src2"):
        if key in groups:
            values[key] = g["sources"][groups[key]]
            values[key + "_name"] = g["sources"][groups[key]].removesuffix(" data")
    for key in ("dir", "dir2", "dir3"):
        if key in groups:
            values[key] = g["directions"][groups[key]]
            values[key + "_moved"] = "rose" if values[key] == "up" else "fell"
            values[key + "_ing"] = "rising" if values[key] == "up" else "falling"
            values[key + "_base"] = "rise" if values[key] == "up" else "fall"
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
    for key in ("pct", "pct2", "pct3", "pct4", "pct5"):
        if key in groups:
            values[key] = _percent(groups[key])
    if "pct3" in groups:
        values["pct3_and"] = f" and {values['pct3']}"
    values["pct_list"] = _listed([values[k] for k in _PCTS if k in groups])
    values["dir2_pct2"] = f", {values['dir2']} {values['pct2']}" if "dir2" in groups else ""
    for key in ("pp", "pp2"):
        if key in groups:
            points = abs(chinese_value(re.sub(r"个百分点|pct|pp", "", groups[key]).strip()))
            unit = "percentage point" + ("" if points == 1 else "s")
            values[key] = f"{format_number(points)} {unit}"
    for key in ("count", "count2"):
        if key in groups:
            n = chinese_value(groups[key])
            # 三年: a word for the guard, so "three"; 三个月 is a figure for it, so "3"
            # (第三个月 is an ordinal for it: "third")
            chinese = not groups[key][0].isdigit() and (
                f"{groups[key]}个月" not in text or f"第{groups[key]}个月" in text
            )
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
            english = lower_first(re.sub(r"^(?:In|On|At) ", "", render_time(base)))
        values["cmp"] = f"from {english}"
        values["cmp_space"] = f" from {english}"
        values["than"] = f" than {english}"
    if "who" in groups:
        who = groups["who"]
        if who not in g["names"] and (who in words or who in g["units"] or who in g["notes"]):
            return None  # CPI数据显示: a Latin noun, not a speaker
        values["who"] = g["names"].get(who, who)  # a Latin name as written: IDC, Canalys
        values["who_lower"] = _lower_name(values["who"])
    if "agent" in groups:
        values["agent"], values["agent_s"] = owner(groups["agent"])
    values |= _speaker_values(groups, values)
    if "title" in groups:  # 一位车企高管: an automaker executive (a modifier is singular)
        role = f"{_singular(values['np'])} {values['title']}" if "np" in groups else values["title"]
        values["a_speaker"] = f"{_article(role)} {role}"
    if "money" in groups:
        values["money"] = _quantity(groups["money"], None)[0]
    if "range" in groups:
        values["range"] = _range(groups["range"])
    if "base" in groups:
        base = g["bases"].get(groups["base"])
        values["base"] = base if base is not None else lower_first(render_time(groups["base"]))
    if "note" in groups:  # a known note, or a Latin one as it is: (VDA)
        values["note"] = " " + g["notes"].get(groups["note"], groups["note"])
    counted = values.get("np2") or noun
    goods = groups.get("np2") or groups.get("np") or ""
    if "verb" in groups and goods.endswith(tuple(g["sites"])):
        return None  # 特斯拉上海超级工厂交付6.1万辆: the plant delivers, it is not delivered
    values["of_np"] = f" of {counted}" if counted else ""
    values["np2_of"] = f" of {values['np2']}" if values.get("np2") else ""
    values["in_np"] = f" in {noun}" if noun else ""
    values["a_np"] = f"{_article(noun)} {noun}" if noun else ""
    values["np2_in"] = f" in {values['np2']}" if values.get("np2") else ""
    for key in ("qty", "qty2", "qty3", "qty4", "qty5"):
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
    np = values.get("np", "")
    head = np.rsplit(" ", 1)[-1].lower()
    counts = "qty" in groups and g["units"].get(_unit(groups["qty"]), [""])[0] == "count"
    if counts and "verb" not in groups and np and head not in g["measures"]:
        # 其中电动车约80万辆: EVs were about 800,000 units
        values["np"], values["was"] = statistics_grammar.plural(np), "were"
    if "verb" in groups:
        verb = g["verbs"][groups["verb"]]
        values["verb"], values["verb_active"], values["verb_noun"], values["verb_prep"] = verb
        values["verb_noun_was"] = "were" if values["verb_noun"].endswith("s") else "was"
        values["verb_base"] = _BASE.get(values["verb_active"], values["verb_active"])
    values["qty_list"] = _listed([values[k] for k in _QTYS if k in groups])
    if "per" in groups and "num" in groups:  # 每吨722美元: US$722/mt; 每瓦时0.1元: RMB 0.1 per Wh
        per, pre, num = values["per_en"], values["cur_pre"], values["num"]
        values["price_per"] = (
            (f"{num} yuan/mt" if pre == "RMB " else f"{pre}{num}/mt")
            if per == "mt"
            else f"{pre}{num} per {per}"
        )
    values["is"] = "are" if values["was"] == "were" else "is"
    close = values["close_en"]  # 收于: closed at; 多在: was mostly
    values["close_en"] = f"{values['was']} {close}" if close == "mostly" else close or values["was"]
    values["still_en"] = values["still_en"] or "ranked"
    values["reach_or_was"] = values["reach_en"] or values["was"]
    planned = f"{values['plan_en']} {values['adj_base']}"  # 拟下调: plans to cut
    values["adj_verb"] = planned if values["plan_en"] else values["adj_en"]
    if "modal" in groups:
        values["modal"] = g["modals"][groups["modal"]].replace("{is}", values["is"])
    if "frac" in groups:
        values["frac"] = g["fractions"][groups["frac"]]
    return values


_BASE = {  # 计划生产: plans to produce
    "imported": "import",
    "exported": "export",
    "produced": "produce",
    "sold": "sell",
    "delivered": "deliver",
    "retailed": "sell at retail",
    "wholesaled": "wholesale",
    "traded": "trade",
    "installed": "install",
    "shipped": "ship",
}
_PCTS = ("pct", "pct2", "pct3", "pct4", "pct5")
_QTYS = ("qty", "qty2", "qty3", "qty4", "qty5")


@cache
def _defaults() -> dict[str, str]:
    """The values of slots a match may leave out: empty (``adv_by`` … of every word group
    of the grammar, too: an optional word left out has no English); ``was``."""
    words = grammar()["words"]
    out = dict.fromkeys(_OPTIONAL, "")
    out |= {f"{key}_{k}": "" for key, table in words.items() for k in next(iter(table.values()))}
    return out | {"was": "was", "were": "was"}


def _singular(noun: str) -> str:
    """A noun phrase as a modifier: its last word singular (automakers → automaker)."""
    head, _, last = noun.rpartition(" ")
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is", "ics")):
        last = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    return f"{head} {last}" if head else last


def _article(noun: str) -> str:
    """``a`` or ``an`` before ``noun``: an energy storage base, an LFP plant, a battery."""
    first = noun.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # an acronym: by how its letter sounds
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return (
        ", ".join(items[:-1]) + (" and " if len(items) > 1 else "") + (items[-1] if items else "")
    )


def owner(word: str) -> tuple[str, str]:
    """Who a figure belongs to, and the possessive: 我国 China, China's; 德国 Germany,
    Germany's; 美国 the US, US; 比亚迪 BYD, BYD's."""
    g = grammar()
    if word in g["actors"]:
        return g["actors"][word], possessive(g["actors"][word])
    if word in g["owners"]:
        plain, whose = g["owners"][word]
        return plain, whose
    name = _lower_name(g["names"][word])
    return name, name + "'s"


def _speaker_values(groups: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    """Who said it, their title, how, where; the document that shows it."""
    g = grammar()
    out: dict[str, Any] = {}
    for key, table in (
        ("person", "people"),
        ("title", "titles"),
        ("say", "says"),
        ("site", "sites"),
    ):
        if key in groups:
            out[key] = g[table][groups[key]]
    out["event"] = " " + g["events"][groups["event"]] if "event" in groups else ""
    if "report" in groups:
        out["report"] = g["reports"][groups["report"]]
    who = values.get("who_lower")
    out["whose"] = (who + ("' " if who.endswith("s") else "'s ")) if who else "the "
    for key in ("year", "since"):
        if key in groups:
            out[key] = groups[key] + (" " if key == "year" else "")
    return out


_OPTIONAL = (
    "actor actor_s time time2 time3 time_in time2_in time3_in time_than approx approx2 after"
    " cmp cmp_space cmp2 cmp2_space day count_years where_en qz note than yoy_en pct3_and"
    " count_months year adv_by time_for time2_for time3_for qty pct range frac since time_bare"
    " time4_in in_np"
).split()
_WORDS_EN = "zero one two three four five six seven eight nine ten".split()
_ORDINALS = "zeroth first second third fourth fifth sixth seventh eighth ninth tenth".split()


def _lower_name(name: str) -> str:
    """``Analysts`` → ``analysts`` after "according to"; names keep their capital."""
    if name.split(" ")[0] in ("Analysts", "Industry", "Market", "People", "A", "Foreign", "The"):
        return name[0].lower() + name[1:]
    return name


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
