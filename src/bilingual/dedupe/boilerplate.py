"""Boilerplate around a unit: datelines, and the site names that pages add to headlines.

A page republished by another site keeps its text and adds its own frame: a dateline
(``6月11日消息，``, ``新华社北京4月16日电 ``, ``据证券时报报道，``, ``BEIJING, May 7 (Reuters) -``),
a site suffix (``… - 【中国汽车报】``, ``…_新浪财经_新浪网``, ``… | Reuters``) or prefix
(``【快讯】``, ``上海有色网讯：``, ``独家｜``). Deduplication compares units without them.

:func:`strip` recognises them by their shape: a separator and a short name (no sentence
punctuation, no quantity, English names in title case). :func:`loose_affix` offers a
weaker candidate (a short Han word separated by a space: ``… 中国汽车报``), which the index
ignores only once the input itself has shown it on several units (learned boilerplate).
"""

from __future__ import annotations

import re

__all__ = ["loose_affix", "strip"]

_DATELINE = re.compile(
    r"^\s*(?:"
    r"[^，,。：:\s]{0,14}\s?\d{1,2}\s?月\s?\d{1,2}\s?日(?:晚间|早间|上午|下午|晚|早)?(?:电|讯|消息|报道|获悉)"
    r"(?:[（(][^）)]{0,16}[）)])?"
    r"|\d{1,2}\s?月\s?\d{1,2}\s?日(?=[，,])"
    r"|[^，,。：:\s]{2,10}?网?讯"
    r"|据[^，,。：:]{1,16}?(?:报道|消息|数据|统计)"
    r"|【[^】]{1,16}】"
    r"|(?:独家|快讯|重磅|突发|最新)"
    r")\s*[，,：:｜|丨\s]\s*"
    r"|^\s*[A-Z][A-Za-z .]{1,30}(?:,\s[A-Z][a-z]+\.?\s\d{1,2})?\s?"
    r"\((?:Reuters|Xinhua|AP|AFP|Bloomberg|Dow Jones|Caixin)\)\s?[-—–]+\s*"
    r"|^\s*(?:EXCLUSIVE|UPDATE\s\d+|BREAKING|ANALYSIS|FACTBOX|Exclusive|Breaking)\s?[-:—]+\s*"
)
_PREFIX = re.compile(r"^\s*(?:【[^】]{1,16}】|[^，,。：:｜|丨\s]{1,12}[：:｜|丨])\s*")
_SEPARATOR = re.compile(
    r"\s+[-–—|_]+\s*|\s*(?:[|｜丨_]+|——|—|–)\s*|(?<=[\u4e00-\u9fff])-|-(?=[\u4e00-\u9fff])"
)
_SENTENCE = re.compile(r"[。，,！？!?；;：:]")
_QUANTITY = re.compile(r"\d[\d,.]*\s*(?:%|万|亿|元|吨|辆|个|年|月|日|倍|million|billion|percent)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_SMALL_WORDS = frozenset("of the and & for on in de des la le news".split())
_LOOSE = re.compile(
    r"^(.{8,}?)\s+([\u4e00-\u9fff]{2,12})\s*$|^\s*([\u4e00-\u9fff]{2,10})\s+(.{8,})$"
)


def _is_name(segment: str) -> bool:
    """A site name: short, no sentence punctuation or quantity; English in title case."""
    segment = segment.strip()
    if not segment or len(segment) > 32 or _SENTENCE.search(segment) or _QUANTITY.search(segment):
        return False
    if _HAN.search(segment):
        return True
    words = segment.replace("(", " ").replace(")", " ").split()
    return 0 < len(words) <= 6 and all(
        w[0].isupper() or w[0].isdigit() or w.lower() in _SMALL_WORDS or "." in w for w in words
    )


def _suffix(text: str) -> int | None:
    """Where a site suffix starts (its separator), or None."""
    body = text.rstrip()
    for m in _SEPARATOR.finditer(body):
        head, tail = body[: m.start()], body[m.end() :]
        if len(head.strip()) < 6 or len(tail) > 40:
            continue
        if all(_is_name(part) for part in _SEPARATOR.split(tail)):
            return m.start()
    return None


def strip(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without its dateline, site prefix and site suffix, and what was removed
    (the affixes, trimmed), in that order."""
    removed: list[str] = []
    core = text
    for _ in range(2):  # 6月4日消息，据乘联会数据，…
        m = _DATELINE.match(core)
        if not m or len(core) - m.end() < 6:
            break
        removed.append(m.group().strip())
        core = core[m.end() :]
    m = _PREFIX.match(core)
    if m and len(core) - m.end() >= 8:
        removed.append(m.group().strip())
        core = core[m.end() :]
    cut = _suffix(core)
    if cut is not None:
        removed.append(core[cut:].strip())
        core = core[:cut] + core[len(core.rstrip()) :]  # the line end stays
    return core, tuple(removed)


def loose_affix(core: str) -> tuple[str, str] | None:
    """A weaker affix candidate of a headline-like unit: a short Han word separated by a
    space at either end. (affix, the text without it), or None."""
    core = core.strip()
    if " " not in core:
        return None
    m = _LOOSE.match(core)
    if not m or _QUANTITY.search(m[2] or m[3]):
        return None
    return (m[2], m[1]) if m[2] else (m[3], m[4])
