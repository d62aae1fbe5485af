"""The statistics engine's grammar: loading ``data/statistics.toml``, its time expression,
and rendering what the slots matched (times, quantities, noun phrases) in English.
:mod:`.statistics_patterns` turns the clause shapes into regular expressions;
:mod:`.statistics` splits sentences and assembles the output.

Limits, stated honestly: a noun phrase is translated only when it is a sequence of known
words (the grammar's ``[nouns]``, its actors, the glossary in force, Latin names); its
English is the words' English in order (``粗钢`` + ``产量`` → "crude steel output"),
with "the … of …" for the heads listed in ``of_heads`` and commas in lists (``东盟、欧盟和
日本`` → "ASEAN, the EU and Japan"). Word order that English changes more than that
(``规模以上工业增加值``) needs its own entry.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from decimal import Decimal
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ...glossary import Glossary
from ...glossary.entry import english_forms
from ...numbers import MONTHS, chinese_value, format_number, scaled

NUM = r"[-+]?\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
MULT = r"万亿|亿|万|千(?![瓦克])"


@lru_cache(maxsize=1)
def grammar() -> dict[str, Any]:
    """The grammar file, parsed once (``_version``: a hash of its bytes)."""
    data = (resources.files("bilingual") / "data" / "statistics.toml").read_bytes()
    parsed = tomllib.loads(data.decode("utf-8"))
    parsed["_version"] = hashlib.sha1(data).hexdigest()[:12]
    return parsed


def alternation(words: list[str] | dict[str, Any]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def time_regex() -> str:
    """The time expression: 2025年12月, 1-11月, 前三季度, 12月上旬, 截至12月5日当周 …"""
    g = grammar()
    named = "|".join(re.escape(w) for w in sorted(g["times"], key=len, reverse=True))
    month = r"\d{1,2}月份?"
    month_range = r"\d{1,2}月?\s*[-–—~至到]\s*\d{1,2}月份?"
    day = r"\d{1,2}月\d{1,2}(?:[-–—~至]\d{1,2})?日"
    quarter = r"(?:第|前|首)?[一二三四1-4]季度?(?:单季)?|[QH][1-4]"
    first_n = r"(?:前|首)(?:\d{1,2}|[一二两三四五六七八九十]{1,2})个?月"
    ten_day = rf"(?:{month})?[上中下]旬"
    year = r"(?:\d{4}|二〇[一二三〇][〇一二三四五六七八九])(?:年度?|财年)"
    year_range = r"\d{4}\s*[-–—~至]\s*\d{4}年|\d{2}[QH][1-4]"
    body = f"{day}|{month_range}|{ten_day}|{month}|{quarter}|{first_n}|{named}"
    end = r"(?:末|底|初)?"
    return (
        rf"(?:截至)?(?:{year_range}|(?:{year}|今年|去年|明年|上年)?单?(?:{body}){end}(?:当周|当月)?"
        rf"|{year}{end}|今年|去年|明年)|自?(?:{year}|今年)?{month}以来"
    )


def glossary_nouns(glossary: Glossary | None) -> dict[str, str]:
    """Chinese term → preferred English of the glossary in force (forbidden ones left out)."""
    if glossary is None:
        return {}
    cached = _GLOSSARY_NOUNS.get(glossary.fingerprint)
    if cached is not None:
        return cached
    g = grammar()
    reserved = {"累计", "百分点", "个百分点", *g["function_words"]}
    for table in ("sources", "comparisons", "directions", "approx", "approx_after", "verbs"):
        reserved |= set(g[table])
    reserved |= set(g["times"]) | set(g["perspectives"]) | set(g["days"])
    words: dict[str, str] = {}
    for entry in glossary.entries:
        if entry.status == "forbidden" or not re.fullmatch(
            r"(?=.*[\u4e00-\u9fff])[\u4e00-\u9fff\w]{2,16}", entry.zh
        ):
            continue
        if entry.zh in reserved or _time().fullmatch(entry.zh):
            continue  # 同比, 累计, 前三季度: words the grammar reads itself, never nouns
        preferred = glossary.preferred(entry.zh)
        if preferred is not None:
            words.setdefault(entry.zh, preferred.en)
    if len(_GLOSSARY_NOUNS) > 8:
        _GLOSSARY_NOUNS.clear()
    _GLOSSARY_NOUNS[glossary.fingerprint] = words
    return words


_GLOSSARY_NOUNS: dict[str, dict[str, str]] = {}


@cache
def _time() -> re.Pattern[str]:
    return re.compile(time_regex())


# --- rendering ------------------------------------------------------------------------------


def plural(noun: str) -> str:
    """``vehicle`` → ``vehicles``; ``NEV`` → ``NEVs``; the last word of a phrase."""
    if noun.endswith(")") and " (" in noun:  # vehicle (including chassis)
        head, _, note = noun.partition(" (")
        return f"{plural(head)} ({note}"
    if noun[-1:].isupper():
        return noun + "s"
    last = noun.rsplit(" ", 1)[-1]
    if last.endswith("s"):
        return noun
    forms = english_forms(last) - {last}
    many = next((f for f in sorted(forms, key=len) if "'" not in f and "’" not in f), last + "s")
    return noun[: len(noun) - len(last)] + many


# A Latin name, or an abbreviation in brackets after a noun: 波罗的海干散货指数(BDI).
_LATIN = r"[A-Z][A-Za-z0-9#]*|\([A-Z][A-Za-z0-9&.-]{1,15}\)"


def noun_phrase(text: str, words: dict[str, str]) -> str | None:
    """The English of a noun phrase made of known words, or None (never a guess)."""
    text = text.replace(" ", "")
    if counted := _COUNTED.fullmatch(text):
        return _counted(counted, words)
    g = grammar()
    of_heads: list[str] = g["of_heads"]

    @cache
    def best(i: int) -> tuple[str, ...] | None:
        if i == len(text):
            return ()
        options = []
        for j in range(len(text), i, -1):
            piece = text[i:j]
            english = words.get(piece)
            if english is None and re.fullmatch(_LATIN, piece):
                english = piece
            if english is None:
                continue
            rest = best(j)
            if rest is not None:
                options.append((english, *rest))
        return min(options, key=len) if options else None

    parts = best(0)
    if not parts:
        return None
    parts = tuple(p for p in parts if p)
    actors = _actor_words()
    if all(p.endswith("'s") or p in actors for p in parts) or text in g["bound_nouns"]:
        return None  # 我国, 集团 alone are actors, 增速 alone a change: not noun phrases
    whose = [p for p in parts if p.endswith("'s")]
    rest = _listed_words([p for p in parts if not p.endswith("'s")])
    if rest and rest[-1] in of_heads and len(rest) > 1:  # 硫酸镍均价: the average price of …
        phrase = f"the {rest[-1]} of {' '.join(rest[:-1])}"
    else:
        phrase = " ".join(rest)
    return " ".join([*whose, phrase]).replace(" ,", ",").strip() or None


_COUNTED = re.compile(r"(全国|国内|全球)?(\d{1,4})(家|个|座|种|港)(\D.*)")
_SCOPE = {"全国": ("", " nationwide"), "国内": ("domestic ", ""), "全球": ("", " worldwide")}


def _counted(m: re.Match[str], words: dict[str, str]) -> str | None:
    """``247家钢厂高炉开工率`` → "blast furnace operating rate at 247 steel mills": the
    counted noun (the shortest known one) and the measure after it, both known words."""
    before, after = _SCOPE.get(m.group(1) or "", ("", ""))
    rest = m.group(4)
    if m.group(3) == "港":  # 45港: 45 ports
        head = noun_phrase(rest, words)
        return f"{head} at {m.group(2)} {before}ports{after}" if head else None
    for k in range(1, len(rest)):
        group = noun_phrase(rest[:k], words)
        head = noun_phrase(rest[k:], words) if group else None
        if group and head and not group.startswith("the ") and not head.endswith("'s"):
            return f"{head} at {m.group(2)} {before}{_plural(group)}{after}"
    return None


def _plural(noun: str) -> str:
    """steel mill → steel mills, company → companies; a plural noun stays."""
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


@cache
def _actor_words() -> frozenset[str]:
    return frozenset(possessive(v) for v in grammar()["actors"].values())


def _listed_words(parts: list[str]) -> list[str]:
    """``A and B and C`` (from 、 and 和) → ``A, B and C``; ``the US`` before another word
    is attributive: ``US tariffs``, ``Netherlands plant``."""
    joins = [i for i, p in enumerate(parts) if p == "and"]
    out = [("," if i in joins[:-1] else p) for i, p in enumerate(parts)]
    for i, p in enumerate(out[:-1]):
        if p.startswith("the ") and out[i + 1] not in ("and", ","):
            out[i] = p.removeprefix("the ")
    return out


def render_time(text: str) -> str:
    """``2025年12月`` → ``In December 2025``; ``1-11月`` → ``In January-November``;
    ``10月以来`` → ``Since October``."""
    text = text.replace(" ", "").removeprefix("单")
    if m := re.fullmatch(r"(\d{4})[-–—~至](\d{4})年", text):
        return f"In {m.group(1)}-{m.group(2)}"
    if m := re.fullmatch(r"(\d{2})([QH][1-4])", text):  # 25Q2: Q2 2025
        return f"In {m.group(2)} 20{m.group(1)}"
    if re.fullmatch(r"自?(?:\d{4}年度?|今年)?\d{1,2}月份?以来", text):  # 10月以来: since October
        return "Since " + re.sub(r"^In ", "", render_time(text.removeprefix("自")[:-2]))
    if text.startswith("截至"):  # 截至12月5日: as of December 5
        return "As of " + re.sub(r"^(In|On|At) ", "", render_time(text[2:])).replace(
            "the end of ", "end-"
        )
    g = grammar()
    named: str = g["times"].get(text, "")
    if named[:1].isupper() and not re.match(r"[QH]\d", named):
        return named  # "This week", "During the reporting period", "Currently"
    if named and not re.match(r"[QH]\d", named):
        return f"In {named}"  # 今年以来: in the year to date
    year = re.match(r"(\d{4}|二〇..)(?:年度?|(财年))", text)
    suffix = ""
    if year:
        suffix = f" {'fiscal ' if year.group(2) else ''}{chinese_value(year.group(1))}"
    body = text[year.end() :] if year else text
    lead = ""
    for prefix, english in (
        ("今年", " of this year"),
        ("去年", " of last year"),
        ("明年", " of next year"),
    ):
        if body.startswith(prefix):
            body, lead = body.removeprefix(prefix), english
    if not body:
        return f"In{suffix}" if year else lead.removeprefix(" of ").capitalize()
    end = ""
    if m := re.search(r"(末|底|初)$", body):
        end = "the start of " if m.group() == "初" else "the end of "
        body = body[: m.start()]
    body = body.removesuffix("当周").removesuffix("当月")
    period = _period(body, g["times"])
    if period is None:
        raise ValueError(text)
    words = period
    if re.search(r"\d日$", body) and not end:
        return f"On {words}{suffix}"
    if suffix and lead == "" and words.startswith("the first"):
        words += f" of{suffix}"
        suffix = ""
    phrase = f"{end}{words}{lead}{suffix}"
    return "At " + phrase if end else "In " + phrase


def _period(body: str, named: dict[str, str]) -> str | None:
    quarters = {"一": "1", "二": "2", "三": "3", "四": "4"}
    month = r"(\d{1,2})月?份?"
    if body in named:
        return named[body]
    if m := re.fullmatch(rf"{month}\s*[-–—~至到]\s*{month}", body):
        return f"{MONTHS[int(m.group(1)) - 1]}-{MONTHS[int(m.group(2)) - 1]}"
    if m := re.fullmatch(r"(\d{1,2})月(\d{1,2})(?:[-–—~至](\d{1,2}))?日", body):
        name = MONTHS[int(m.group(1)) - 1]
        return f"{name} {m.group(2)}-{m.group(3)}" if m.group(3) else f"{name} {m.group(2)}"
    if m := re.fullmatch(r"(?:(\d{1,2})月份?)?([上中下])旬", body):
        part = {"上": "early", "中": "mid-", "下": "late"}[m.group(2)]
        name = MONTHS[int(m.group(1)) - 1] if m.group(1) else "the month"
        return f"{part} {name}".replace("- ", "-")
    if m := re.fullmatch(r"(\d{1,2})月份?", body):
        return MONTHS[int(m.group(1)) - 1]
    if re.fullmatch(r"[QH][1-4]", body):
        return body
    if m := re.fullmatch(r"(前|首)?第?([一二三四1-4])季度?(单季)?", body):
        n = quarters.get(m.group(2), m.group(2))
        if m.group(1) and m.group(2).isdigit():
            return f"the first {n} quarters"  # 前3季度: digits, as written
        if m.group(1):
            return {"1": "Q1", "2": "the first two quarters", "3": "the first three quarters"}.get(
                n, "the first four quarters"
            )
        return f"Q{n}"
    if m := re.fullmatch(r"(?:前|首)(\d{1,2}|[一二两三四五六七八九十]{1,2})个?月", body):
        return f"the first {chinese_value(m.group(1))} months"  # digits: the guard reads them
    return None


def render_quantity(value: Decimal, unit: str, noun: str | None) -> tuple[str, bool]:
    """English for a quantity; and whether it is a plural count ("were")."""
    kind, english = grammar()["units"][unit]
    if kind == "scaled":  # 万吨, 亿元: the unit carries a multiplier
        factor, base = english.split(" ", 1)
        value, (kind, english) = value * Decimal(factor), grammar()["units"][base]
    mantissa, word = scaled(value)
    exact = word and mantissa == round(mantissa, 4)  # 412,385,906.17 stays in full
    big = f"{format_number(mantissa)} {word}" if exact else format_number(value)
    if kind == "count":
        if noun is None:
            return f"{big} {english}".rstrip(), value != 1
        return f"{big} {noun if value == 1 else plural(noun)}", value != 1
    if kind == "prefix":
        return f"{english}{big}", False
    if kind == "price":
        return english.format(format_number(value)), False
    return f"{big} {english}", False


def possessive(actor: str) -> str:
    """``China`` → ``China's``; adjectives (``national``) and possessives stay."""
    if actor.endswith("'s") or (actor[:1].islower() and not actor.startswith("the ")):
        return actor
    return actor + "'s"


def lower_first(text: str) -> str:
    """``In December`` → ``in December`` inside a sentence; names keep their capital."""
    first = text.split(" ", 1)[0]
    if first in grammar()["sentence_words"]:
        return text[0].lower() + text[1:]
    return text
