"""A model-free engine for formulaic market-statistics sentences (Chinese → English).

CAAM, CPCA, customs, NBS, SMM and company releases are written in a few dozen clause
shapes, which general NMT models garble (万 and 亿, 同比/环比, 个百分点). This engine
translates them clause by clause from a grammar kept as data
(``bilingual/data/statistics.toml``), with numbers converted exactly by
:mod:`bilingual.numbers` and nouns from the grammar's tables and the glossary.

It never guesses. A clause it does not recognise is left byte-for-byte as it was, with
its own punctuation; so are the lead clauses (source, time) that lead it and the change
clauses that hang on it, because English for them alone would mislead. English and
Chinese parts are joined with the punctuation of the language that follows. No phrase
leaves its clause. :meth:`StatisticsEngine.clauses` says which clauses were translated,
for a fallback engine to translate only the rest. See ``docs/statistics-engine.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar

from ...errors import ConfigError
from ...glossary import Glossary
from ...numbers import MONTHS, chinese_value, format_number, guard
from ...options import TranslateOptions
from ...text.script import convert
from . import Capabilities
from .statistics_grammar import (
    MULT,
    NUM,
    alternation,
    compiled,
    glossary_nouns,
    grammar,
    noun_phrase,
    render_quantity,
    render_time,
)

__all__ = ["Clause", "StatisticsEngine", "render_quantity", "render_time"]


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: where it is, and its English when the engine covers it."""

    span: tuple[int, int]
    """Start and end in the sentence as given (the clause's text, without its marks)."""
    text: str
    english: str | None
    """None: not covered; the sentence keeps the Chinese."""
    role: str = ""
    """``lead``, ``main`` or ``change`` when the grammar recognised the clause."""


# Clause marks: ，；：, ASCII , ; that are no thousands separators, 、 before a change,
# a space after a percentage (headlines), an ideographic space.
_MARK = re.compile(
    r"\s*(?:[，；：]|(?<!\d),|,(?!\d{3}(?:\D|$))|;|　"
    r"|、(?=(?:同比|环比|比上年|较上年|增长|下降|增加|减少|上涨|下跌|持平|提高|回落))"
    r"|(?<=%)\s(?=[^\s\d%])|(?<=[辆吨元高低])\s+(?=[\u4e00-\u9fff]))\s*"
)
_END = "。.！!？?；;"
_SPACING = re.compile(
    r"(?<=[\u4e00-\u9fff])\s+(?=[\w%+-])|(?<=[\w%])\s+(?=[\u4e00-\u9fff])|(?<=\d)\s+(?=[%\d])"
)
_HAN = re.compile(r"[\u4e00-\u9fff]")


class StatisticsEngine:
    """Translates the statistics clauses it recognises; leaves the rest as it was."""

    name: ClassVar[str] = "statistics"
    capabilities: ClassVar[Capabilities] = Capabilities(
        handles_terms=True, max_batch=100_000, pairs=(("zh", "en"),)
    )
    """Gets sentences with glossary terms in place (it needs them as nouns)."""

    def __init__(
        self, source: str = "zh", target: str = "en", options: TranslateOptions | None = None
    ) -> None:
        if (source, target) != ("zh", "en"):
            raise ConfigError(
                f"the statistics engine translates zh → en only, not {source} → {target}"
            )
        self.id = f"statistics:{grammar()['_version']}"

    def translate_batch(self, sentences: Sequence[str], glossary: Glossary | None) -> list[str]:
        return [self.translate_sentence(s, glossary) for s in sentences]

    def translate_sentence(self, sentence: str, glossary: Glossary | None = None) -> str:
        """The sentence with the clauses it covers in English, the rest as it was."""
        clauses = self.clauses(sentence, glossary)
        if not any(c.english for c in clauses):
            return sentence.strip()
        body = sentence.strip()
        end = body[-1] if body and body[-1] in _END else ""
        out: list[str] = []
        previous_end: int | None = None
        english_run: list[Clause] = []

        def flush(following_chinese: bool) -> None:
            if english_run:
                out.append(_english(english_run, sentence, first=not out))
                english_run.clear()

        for clause in clauses:
            gap = sentence[previous_end : clause.span[0]] if previous_end is not None else ""
            if clause.english is None:
                flush(True)
                out.append(gap + clause.text if out else clause.text)
            else:
                if not english_run and out:
                    out.append(_english_mark(gap))
                english_run.append(clause)
            previous_end = clause.span[1]
        flush(False)
        text = "".join(out)
        if clauses[-1].english is not None:
            text += {"。": ".", "！": "!", "？": "?", "；": ";"}.get(end, end)
        else:
            text += end
        return text[:1].upper() + text[1:]

    def clauses(self, sentence: str, glossary: Glossary | None = None) -> list[Clause]:
        """The clauses of ``sentence``, each with its English or None: the clause-level
        interface for a hybrid chain (translate the clauses without English elsewhere and
        put them back in place; :meth:`translate_sentence` is this engine's own join)."""
        body = sentence.rstrip()
        if body and body[-1] in _END:
            body = body[:-1]
        pieces: list[tuple[int, int]] = []
        pos = len(sentence) - len(sentence.lstrip())
        for m in _MARK.finditer(body, pos):
            if _inside_brackets(body, m.start()):
                continue
            if m.start() > pos:
                pieces.append((pos, m.start()))
            pos = m.end()
        if pos < len(body.rstrip()):
            pieces.append((pos, len(body.rstrip())))
        g = grammar()
        actors = {k: _possessive(v) for k, v in g["actors"].items()}
        words = {**glossary_nouns(glossary), **g["nouns"], **actors, **g["notes"]}
        extra = frozenset(glossary_nouns(glossary))
        matched = [self._clause(sentence[a:b], words, extra) for a, b in pieces]
        covered = _covered([m[0] if m else None for m in matched])
        return [
            Clause((a, b), sentence[a:b], m[1] if m and ok else None, m[0] if m else "")
            for (a, b), m, ok in zip(pieces, matched, covered, strict=True)
        ]

    def _clause(
        self, clause: str, words: dict[str, str], extra: frozenset[str]
    ) -> tuple[str, str] | None:
        text = _reading(clause)
        but = re.match(r"但是?|而", text)
        if but and len(text) > 2:
            text = text[but.end() :]
        for spec, pattern in compiled(extra):
            m = pattern.fullmatch(text)
            if not m:
                continue
            try:
                values = _slots({k: v for k, v in m.groupdict().items() if v}, words)
            except (ValueError, KeyError, IndexError, ArithmeticError):
                continue
            if values is None:
                continue
            rendered = re.sub(r"\s+", " ", spec["template"].format(**values)).strip()
            if spec["role"] == "lead":
                rendered = rendered.rstrip(", ")
            if "qz" in m.groupdict() and m.group("qz"):
                rendered = "of this, " + rendered
            if but and len(clause.strip()) > 2:
                rendered = "but " + rendered
            rendered = rendered.replace(" ,", ",")
            if guard(text, "zh", rendered, "en"):
                continue  # a figure the template would lose or change: never written
            return spec["role"], rendered
        return None


def _reading(clause: str) -> str:
    """The clause as the grammar reads it: NFKC (full-width digits), Simplified script,
    no spaces between Han and Latin or digits (pangu spacing), no space in ``3 912``."""
    text = convert(unicodedata.normalize("NFKC", clause.strip()), "t2s")
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", text)
    return _SPACING.sub("", text)


def _inside_brackets(text: str, at: int) -> bool:
    """Whether position ``at`` is inside （…） or (…): （人民币，下同） is one note."""
    before = text[:at]
    return before.count("（") > before.count("）") or before.count("(") > before.count(")")


def _covered(roles: list[str | None]) -> list[bool]:
    """Which recognised clauses are kept in English: a main clause when recognised; a change
    when the clause before it is kept (it hangs on that clause's subject); a lead when the
    first clause after the leads is kept, or nothing follows."""
    keep = [role == "main" for role in roles]
    for i, role in enumerate(roles):
        if role == "change" and i and keep[i - 1] and roles[i - 1] in ("main", "change"):
            keep[i] = True
    for i in range(len(roles) - 1, -1, -1):
        if roles[i] == "lead":
            j = i + 1
            keep[i] = j == len(roles) or (keep[j] and roles[j] != "change")
    return keep


def _english_mark(gap: str) -> str:
    """The English joiner for a source gap before an English part: ``，`` → ``, ``."""
    mark = gap.strip()
    if mark in ("；", ";"):
        return "; "
    if mark in ("：", ":"):
        return ": "
    return ", "


_CHANGE = re.compile(r"^(up|down) (\S+) (YoY|MoM|QoQ|WoW)$")


def _english(run: list[Clause], sentence: str, first: bool) -> str:
    """A run of covered clauses in English: leads before the clause they lead, changes
    merged after their main clause, parts joined as the source joins them (``；`` → ``;``)."""
    text, changes, leads = "", list[str](), list[str]()
    gap_before_leads = ""
    previous: Clause | None = None
    for clause in run:
        gap = sentence[previous.span[1] : clause.span[0]] if previous else ""
        previous = clause
        english = clause.english or ""
        if clause.role == "change":
            changes.append(english)
            continue
        if changes:
            text += ", " + _join_changes(changes)
            changes = []
        if clause.role == "lead":
            if not leads:
                gap_before_leads = gap
            leads.append(english)
            continue
        if text:
            text += _english_mark(gap_before_leads if leads else gap)
            english = _lower(english) if not leads else english
        text += _with_leads(leads, english) if leads else english
        leads = []
    if changes:
        text += ", " + _join_changes(changes)
    if leads:
        text += (_english_mark(gap_before_leads) if text else "") + _with_leads(leads, "")
    text = re.sub(r"\s+", " ", text).strip().rstrip(",")
    return text if first else _lower(text)


def _with_leads(leads: list[str], main: str) -> str:
    """``According to …``, ``in December`` + main: each lead before the next, "that"
    leads (``Customs said on Friday that``) without a comma."""
    out = ""
    for lead in [*leads, main]:
        if not lead:
            continue
        if out:
            out += " " if out.endswith(" that") else ", "
            lead = _lower(lead)
        out += lead
    return out


def _lower(text: str) -> str:
    """``In December`` → ``in December`` inside a sentence; names keep their capital."""
    first = text.split(" ", 1)[0]
    if first in grammar()["sentence_words"]:
        return text[0].lower() + text[1:]
    return text


def _join_changes(changes: list[str]) -> str:
    """``down 30.4% MoM`` + ``down 56.1% YoY`` → ``down 30.4% MoM and 56.1% YoY`` (``down …
    and up …`` when they differ); other additions (``accounting for 93%``) follow commas."""
    groups: list[list[str]] = []
    last_dir = None
    for text in changes:
        m = _CHANGE.match(text)
        if m and last_dir is not None and groups:
            groups[-1].append(f"{m.group(2)} {m.group(3)}" if m.group(1) == last_dir else text)
        else:
            groups.append([text])
        last_dir = m.group(1) if m else None
    return ", ".join(" and ".join(g) for g in groups)


# --- slots -------------------------------------------------------------------------------


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


def _slots(groups: dict[str, str], words: dict[str, str]) -> dict[str, Any] | None:
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
        values["actor_s"] = _possessive(actor)
    for key, table in _WORDS.items():
        if key in groups:
            values.update({f"{key}_{k}": v for k, v in table[groups[key]].items()})
            values[key] = groups[key]
    head = re.split(r" (?:of|in|at|from|after|for) ", noun or "", maxsplit=1)[0]
    if head.endswith("s") and not head.endswith(("ss", "us", "is")):
        values["was"] = "were"  # sales were; the trade surplus was; value added of … was
    for key in ("time", "time2", "time3"):
        if key in groups:
            values[key] = render_time(groups[key]) + ", "
            values[key + "_in"] = " " + _lower(render_time(groups[key]))
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
            chinese = not groups[key][0].isdigit()  # 三: a word for the guard, so "three"
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
    if "agent" in groups:
        values["agent"] = g["actors"][groups["agent"]]
    if "money" in groups:
        values["money"] = _quantity(groups["money"], None)[0]
    if "range" in groups:
        values["range"] = _range(groups["range"])
    if "base" in groups:
        base = g["bases"].get(groups["base"])
        values["base"] = base if base is not None else _lower(render_time(groups["base"]))
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


def _possessive(actor: str) -> str:
    """``China`` → ``China's``; adjectives (``national``) and possessives stay."""
    if actor.endswith("'s") or (actor[:1].islower() and actor != "the company"):
        return actor
    return actor + "'s"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
