"""A model-free engine for formulaic market-statistics sentences (Chinese → English).

CAAM, CPCA, customs and SMM releases are written in a handful of sentence shapes, which
general NMT models garble (万 and 亿, 同比/环比, 个百分点). This engine translates them
clause by clause from a grammar kept as data (``bilingual/data/statistics.toml``), with
numbers converted exactly by :mod:`bilingual.translate.numbers` and nouns from the
glossaries. It never guesses: a clause it does not recognise stays in Chinese in the
output, and :func:`bilingual.translate.translate` reports it as ``untranslated`` and
lowers ``coverage``. See ``docs/statistics-engine.md`` for adding a sentence shape.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

from ...errors import ConfigError
from ...glossary import Glossary
from ...glossary.entry import english_forms
from ...numbers import MONTHS, chinese_value, format_number, scaled
from ...options import TranslateOptions
from . import Capabilities

_NUM = r"\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+"
_MULT = r"万亿|亿|万|千"
_UNITS = r"万吨|吨|辆|台|件|个|家|GWh|MWh|kWh|元/吨|美元/吨|美元|欧元|元|亿元"
_TIME = (
    r"(?:今年|去年|(?:\d{4})年)?(?:\d{1,2}\s*[-–~至]\s*\d{1,2}月|\d{1,2}月(?:份)?|前[一二三]季度"
    r"|[上下]半年|第[一二三四]季度|[一二三四]季度|全年|前\d{1,2}个月)|\d{4}年|当月|去年同期|今年以来"
    r"|本周|上周|本月|上月|今年|去年"
)


@lru_cache(maxsize=1)
def grammar() -> dict[str, Any]:
    """The grammar file, parsed once."""
    data = (resources.files("bilingual") / "data" / "statistics.toml").read_bytes()
    parsed = tomllib.loads(data.decode("utf-8"))
    parsed["_version"] = hashlib.sha1(data).hexdigest()[:12]
    return parsed


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    g = grammar()
    slots = {
        "time": rf"(?P<time>{_TIME})",
        "qty": rf"(?P<num>{_NUM})\s*(?P<mult>{_MULT})?(?P<unit>{_UNITS})",
        "num": rf"(?P<num>{_NUM})\s*(?P<mult>{_MULT})?",
        "pct": r"(?P<pct>\d+(?:\.\d+)?)\s*%",
        "pp": rf"(?P<pp>{_NUM})个百分点",
        "np": r"(?P<np>[\u4e00-\u9fff⟦⟧\dA-Za-z]{1,16}?)",
        "src": rf"(?P<src>{_alternation(list(g['sources']))})",
        "dir": rf"(?P<dir>{_alternation(list(g['directions']))})",
        "cmp": rf"(?P<cmp>{_alternation(list(g['comparisons']))})",
        "verb": rf"(?P<verb>{_alternation(list(g['verbs']))})",
        "approx": rf"(?P<approx>{_alternation(list(g['approx']))})",
        "count": rf"(?P<count>{_NUM})",
    }
    compiled = []
    for clause in g["clause"]:
        pattern = re.sub(r"\{(\w+)\}", lambda m: slots[m.group(1)], clause["pattern"])
        compiled.append((clause, re.compile(pattern)))
    return compiled


def _plural(noun: str) -> str:
    if noun[-1:].isupper():  # NEV → NEVs
        return noun + "s"
    last = noun.rsplit(" ", 1)[-1]
    forms = english_forms(last) - {last}
    plural = next((f for f in sorted(forms, key=len) if "'" not in f and "’" not in f), last + "s")
    return noun[: len(noun) - len(last)] + plural


def render_time(text: str) -> str:
    """``2025年12月`` → ``In December 2025``; ``1-11月`` → ``In January-November``."""
    text = text.replace(" ", "")
    this_year = text.startswith("今年")
    year = re.match(r"(\d{4})年", text)
    suffix = f" {year.group(1)}" if year else ""
    body = text[year.end() :] if year else text.removeprefix("今年").removeprefix("去年")
    if m := re.fullmatch(r"(\d{1,2})[-–~至](\d{1,2})月", body):
        return f"In {MONTHS[int(m.group(1)) - 1]}-{MONTHS[int(m.group(2)) - 1]}{suffix}"
    if m := re.fullmatch(r"(\d{1,2})月份?", body):
        return f"In {MONTHS[int(m.group(1)) - 1]}{suffix}"
    named = {
        "前三季度": "the first three quarters",
        "前二季度": "the first two quarters",
        "上半年": "H1",
        "下半年": "H2",
        "全年": "the full year",
        "当月": "the month",
        "去年同期": "the same period last year",
        "今年以来": "the year to date",
        "本周": "this week",
        "上周": "last week",
        "本月": "this month",
        "上月": "last month",
    }
    if text in ("今年", "去年"):
        return "This year" if text == "今年" else "Last year"
    quarters = {"一": "Q1", "二": "Q2", "三": "Q3", "四": "Q4"}
    if m := re.fullmatch(r"第?([一二三四])季度", body):
        words = quarters[m.group(1)]
    elif m := re.fullmatch(r"前(\d{1,2})个月", body):
        words = f"the first {m.group(1)} months"
    elif body in named:
        words = named[body]
    elif not body and year:
        return f"In {year.group(1)}"
    else:
        raise ValueError(text)
    if this_year and words.startswith("the "):
        words += " of this year"
    if words.startswith(("this ", "last ")):
        return words[0].upper() + words[1:]
    return f"In {words}{suffix}"


def render_quantity(value: Decimal, unit: str, noun: str | None) -> tuple[str, bool]:
    """English for a quantity; and whether it is a plural count ("were")."""
    if unit == "万吨":
        value, unit = value * 10_000, "吨"
    if unit == "亿元":
        value, unit = value * 100_000_000, "元"
    mantissa, word = scaled(value)
    big = f"{format_number(mantissa, 4)} {word}" if word else format_number(value)
    if unit in ("辆", "台", "件", "个", "家"):
        if noun is None:
            return f"{big} units", True
        return f"{big} {noun if value == 1 else _plural(noun)}", value != 1
    if unit == "吨":
        return f"{big} mt", False
    if unit == "美元":
        return f"US${big}", False
    if unit == "欧元":
        return f"€{big}", False
    if unit == "元":
        return f"RMB {big}", False
    if unit == "元/吨":
        return f"{format_number(value)} yuan/mt", False
    if unit == "美元/吨":
        return f"US${format_number(value)}/mt", False
    return f"{big} {unit}", False


@dataclass
class _Part:
    """A main clause and the change clauses that attach to it."""

    text: str
    changes: list[tuple[str, str]] = field(default_factory=list)  # (kind, text) pairs


class StatisticsEngine:
    """Translates the statistics sentences it recognises; leaves the rest in Chinese."""

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

    def _word(self, text: str, glossary: Glossary | None) -> str | None:
        if glossary is not None:  # the user's terms win over the grammar's own nouns
            entry = glossary.preferred(text)
            if entry is not None and entry.status != "forbidden":
                return entry.en
        nouns: dict[str, str] = grammar()["nouns"]
        if text in nouns:
            return nouns[text]
        if re.fullmatch(r"[A-Za-z][\w&.-]*", text):
            return text  # a Latin name passes through
        return None

    def _noun(self, np: str | None, glossary: Glossary | None) -> str | None:
        """A known noun, or a compound of two known nouns (新能源乘用车 + 批发销量)."""
        if not np:
            return None
        word = self._word(np, glossary)
        if word is not None:
            return word
        for cut in range(len(np) - 1, 0, -1):  # the longest known head first
            head, tail = self._word(np[:cut], glossary), self._word(np[cut:], glossary)
            if head is not None and tail is not None:
                if tail in _OF_NOUNS:  # 硫酸镍均价: the average price of nickel sulphate
                    return f"the {tail} of {head}"
                return f"{head} {tail}"
        return None

    def translate_sentence(self, sentence: str, glossary: Glossary | None = None) -> str:
        # Spaces between Han and Latin or digits (pangu spacing from normalize) carry
        # nothing for the grammar: 进口 3.0 万辆 reads as 进口3.0万辆.
        stripped = _SPACING.sub("", sentence.strip())
        end = ""
        if stripped and stripped[-1] in "。.！!？?；;":
            end, stripped = stripped[-1], stripped[:-1]
        # Split at clause marks; a comma between digits is a thousands separator.
        clauses = re.split(r"([，；;]|(?<!\d),|,(?!\d{3}(?:\D|$)))", stripped)
        leads: list[str] = []
        parts: list[_Part] = []
        joiners: list[str] = []  # the mark before each part
        subject: str | None = None
        previous_mark = ""
        for i in range(0, len(clauses), 2):
            clause = clauses[i].strip()
            mark = clauses[i + 1] if i + 1 < len(clauses) else ""
            if not clause:
                continue
            rendered = self._clause(clause, subject, glossary)
            if rendered is None:
                parts.append(_Part(clause))  # not recognised: stays in Chinese
                joiners.append(previous_mark)
            else:
                role, text, noun = rendered
                if role == "lead":
                    leads.append(text.rstrip(", "))
                elif role == "change" and parts:
                    parts[-1].changes.append(("change", text))
                else:
                    parts.append(_Part(text))
                    joiners.append(previous_mark)
                    subject = noun or subject
            previous_mark = mark
        if not leads and all(_HAN_TEXT.search(p.text) and not p.changes for p in parts):
            return sentence.strip()  # nothing recognised: leave the sentence exactly as it is
        pieces = []
        for k, part in enumerate(parts):
            piece = part.text
            if part.changes:
                piece += ", " + _join_changes([t for _, t in part.changes])
            if k:
                piece = ("; " if joiners[k] in "；;" else ", ") + piece
            pieces.append(piece)
        body = "".join(pieces)
        if leads:
            lead = ", ".join([leads[0], *(_lower_first(x) for x in leads[1:])])
            body = f"{lead}, {_lower_first(body)}" if body else lead
        out = body[:1].upper() + body[1:]
        return out + {"。": ".", "！": "!", "？": "?", "；": ";"}.get(end, end)

    def _clause(
        self, clause: str, subject: str | None, glossary: Glossary | None
    ) -> tuple[str, str, str | None] | None:
        for spec, pattern in _compiled():
            m = pattern.fullmatch(clause)
            if not m:
                continue
            try:
                groups = {k: v for k, v in m.groupdict().items() if v is not None}
                values = self._slots(groups, subject, glossary)
            except (ValueError, KeyError):
                continue
            if values is None:
                continue
            text = spec["template"].format(**values)
            text = re.sub(r"\s+", " ", text).strip()
            return spec["role"], text, values.get("_noun")
        return None

    def _slots(
        self, groups: dict[str, str], subject: str | None, glossary: Glossary | None
    ) -> dict[str, Any] | None:
        g = grammar()
        values: dict[str, Any] = {"time": "", "approx": "", "were": "was", "was": "was"}
        np = groups.get("np")
        noun = self._noun(np, glossary) if np else None
        if np and noun is None:
            return None  # an unknown noun: never guess
        values["np"] = noun or ""
        values["_noun"] = noun
        if noun and not groups.get("verb") and (noun.endswith("s") and not noun.endswith("ss")):
            values["was"] = "were"  # "sales were", "imports were"
        if groups.get("time"):
            values["time"] = render_time(groups["time"]) + ", "
        if groups.get("src"):
            values["src"] = g["sources"][groups["src"]]
        if groups.get("dir"):
            values["dir"] = g["directions"][groups["dir"]]
            values["moved"] = "rose" if values["dir"] == "up" else "fell"
        if groups.get("cmp"):
            values["cmp"] = g["comparisons"][groups["cmp"]]
            values["cmp_space"] = " " + values["cmp"]
        else:
            values["cmp"] = values["cmp_space"] = ""
        if groups.get("verb"):
            values["verb"] = g["verbs"][groups["verb"]]
        if groups.get("approx"):
            values["approx"] = g["approx"][groups["approx"]] + " "
        if groups.get("pct"):
            values["pct"] = format_number(Decimal(groups["pct"])) + "%"
        if groups.get("pp"):
            points = chinese_value(groups["pp"])
            values["pp"] = f"{format_number(points)} percentage point" + (
                "" if points == 1 else "s"
            )
        if groups.get("count"):
            n = int(chinese_value(groups["count"]))
            values["count"] = str(n)
            values["ordinal"] = _ordinal(n)
        if groups.get("num") and groups.get("unit"):
            value = chinese_value(groups["num"] + (groups.get("mult") or ""))
            counted = noun if groups.get("verb") else None
            if groups.get("verb") and counted is None:
                counted = subject
            values["qty"], plural = render_quantity(value, groups["unit"], counted)
            values["were"] = "were" if plural else "was"
        return values


_HAN_TEXT = re.compile(r"[\u4e00-\u9fff]")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


_CHANGE = re.compile(r"^(up|down) (\S+) (YoY|MoM)$")
_OF_NOUNS = frozenset({"average price", "price", "quotation"})
_SPACING = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\w%])|(?<=[\w%])\s+(?=[\u4e00-\u9fff])")


def _join_changes(changes: list[str]) -> str:
    """``down 30.4% MoM`` + ``down 56.1% YoY`` → ``down 30.4% MoM and 56.1% YoY`` (``down …
    and up …`` when they differ); other additions (``accounting for 93%``) follow commas."""
    groups: list[list[str]] = []
    last_dir = None
    for text in changes:
        m = _CHANGE.match(text)
        if m and last_dir is not None and groups:  # another percent change: "and"
            groups[-1].append(f"{m.group(2)} {m.group(3)}" if m.group(1) == last_dir else text)
        else:
            groups.append([text])
        last_dir = m.group(1) if m else None
    return ", ".join(" and ".join(g) for g in groups)
