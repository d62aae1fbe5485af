"""The statistics engine's grammar: loading ``data/statistics.toml``, expanding its slots
into regular expressions, and rendering what the slots matched (times, quantities, noun
phrases) in English. :mod:`.statistics` splits sentences and assembles the output.

Limits, stated honestly: a noun phrase is translated only when it is a sequence of known
words (the grammar's ``[nouns]``, its actors, the glossary in force, Latin names); its
English is the words' English in order (``粗钢`` + ``产量`` → "crude steel output"),
with "the … of …" for the heads listed in ``of_heads``. Word order that English changes
more than that (``规模以上工业增加值``) needs its own entry.
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


def _time_regex() -> str:
    g = grammar()
    named = alternation(g["times"])
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
        rf"|{year}{end}|今年|去年|明年)"
    )


def slots(lexicon: str) -> dict[str, str]:
    """Slot name → regular expression (with named groups ``<name>``, ``<name>_num`` …).
    ``lexicon`` is the alternation of the known nouns."""
    g = grammar()
    units = alternation(g["units"])
    quantity = rf"(?:{NUM})\s*(?:{MULT})?\s*(?:{units})"
    bases, days = alternation(g["bases"]), alternation(g["days"])
    noun_word = rf"(?:{lexicon}|{alternation(g['notes'])}|[A-Z][A-Za-z0-9#]*)"
    return {
        "time": rf"(?:{_time_regex()})",
        "qty": quantity,
        "num": rf"(?:{NUM})\s*(?:{MULT})?",
        "range": rf"(?:{NUM})\s*(?:{MULT})?\s*(?:{units})?\s*[-–~至]\s*{quantity}",
        "base": rf"(?:{bases}|{_time_regex()})",
        "note": rf"(?:{alternation(g['notes'])})",
        "money": rf"(?:{NUM})\s*(?:{MULT})?\s*(?:{alternation(g['money_units'])})",
        "vs": rf"(?:较|比|与)(?:{bases}|{_time_regex()}|\d{{1,2}}日|{days})(?:相比)?",
        "agent": rf"(?:{alternation(g['agents'])})",
        "who": rf"(?:{alternation(g['names'])})",
        "pct": r"[-+]?\d+(?:\.\d+)?\s*%|百分之[零一二两三四五六七八九十点]+|[一二两三四五六七八九]成",  # noqa: E501
        "pp": rf"(?:{NUM})\s*(?:个百分点|pct|pp)",
        "np": rf"{noun_word}{{1,7}}",
        "actor": rf"(?:{alternation(g['actors'])})",
        "src": rf"(?:{alternation(g['sources'])})",
        "dir": rf"(?:{alternation(g['directions'])})",
        "cmp": rf"(?:{alternation(g['comparisons'])})",
        "verb": rf"(?:{alternation(g['verbs'])})",
        "approx": rf"(?:{alternation(g['approx'])})",
        "after": rf"(?:{alternation(g['approx_after'])})",
        "count": r"(?:\d{1,3}(?:\.\d+)?|[一二两三四五六七八九十]{1,3})",
        "view": rf"(?:{alternation(g['perspectives'])})",
        "day": rf"(?:{alternation(g['days'])}|\d{{1,2}}日|\d{{1,2}}月\d{{1,2}}日)",
    }


@lru_cache(maxsize=8)
def compiled(extra_nouns: frozenset[str]) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    """The clause shapes with their slots expanded, for the grammar's nouns plus
    ``extra_nouns`` (the glossary's)."""
    g = grammar()
    known = set(g["nouns"]) | set(g["actors"]) | set(g["names"]) | extra_nouns
    lexicon = alternation(sorted(known))
    table = slots(lexicon)
    out = []
    for clause in g["clause"]:

        def expand(m: re.Match[str]) -> str:
            base, index = m.group(1), m.group(2)
            return f"(?P<{base}{index}>{table[base]})"

        pattern = re.sub(r"\{([a-z]+)(\d?)\}", expand, clause["pattern"])
        out.append((clause, re.compile(pattern)))
    return out


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
        if entry.zh in reserved:
            continue  # 同比, 累计: words the grammar reads itself, never nouns
        preferred = glossary.preferred(entry.zh)
        if preferred is not None:
            words.setdefault(entry.zh, preferred.en)
    if len(_GLOSSARY_NOUNS) > 8:
        _GLOSSARY_NOUNS.clear()
    _GLOSSARY_NOUNS[glossary.fingerprint] = words
    return words


_GLOSSARY_NOUNS: dict[str, dict[str, str]] = {}


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


def noun_phrase(text: str, words: dict[str, str]) -> str | None:
    """The English of a noun phrase made of known words, or None (never a guess)."""
    text = text.replace(" ", "")
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
            if english is None and re.fullmatch(r"[A-Z][A-Za-z0-9#]*", piece):
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
    if all(p.endswith("'s") for p in parts):
        return None  # 我国 alone is an actor, not a noun phrase
    possessive = [p for p in parts if p.endswith("'s")]
    rest = [p for p in parts if not p.endswith("'s")]
    if rest and rest[-1] in of_heads and len(rest) > 1:  # 硫酸镍均价: the average price of …
        phrase = f"the {rest[-1]} of {' '.join(rest[:-1])}"
    else:
        phrase = " ".join(rest)
    return " ".join([*possessive, phrase]).strip() or None


def render_time(text: str) -> str:
    """``2025年12月`` → ``In December 2025``; ``1-11月`` → ``In January-November``."""
    text = text.replace(" ", "").removeprefix("单")
    if m := re.fullmatch(r"(\d{4})[-–—~至](\d{4})年", text):
        return f"In {m.group(1)}-{m.group(2)}"
    if m := re.fullmatch(r"(\d{2})([QH][1-4])", text):  # 25Q2: Q2 2025
        return f"In {m.group(2)} 20{m.group(1)}"
    if text.startswith("截至"):  # 截至12月5日: as of December 5
        return "As of " + re.sub(r"^(In|On|At) ", "", render_time(text[2:])).replace(
            "the end of ", "end-"
        )
    g = grammar()
    named: str = g["times"].get(text, "")
    if " " in named and named[:1].isupper():
        return named  # "This week", "During the reporting period"
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
        return (
            f"In{suffix}" if year else ("This year" if lead.endswith("this year") else "Last year")
        )
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


def lower_first(text: str) -> str:
    """``In December`` → ``in December`` inside a sentence; names keep their capital."""
    first = text.split(" ", 1)[0]
    if first in grammar()["sentence_words"]:
        return text[0].lower() + text[1:]
    return text
