"""Contradictions that share almost every word: ``rose`` / ``fell``, ``extend`` / ``phase
out``, ``would cut`` / ``would not cut``, ``进口`` / ``出口``.

Word overlap and sentence embeddings both score such pairs as near-identical (0.85–0.98
cosine on MRPC-like pairs), so a paraphrase is merged only when the words that one side has
and the other lacks contain no negation and no pair of opposites. The words are the content
words of :func:`bilingual.dedupe.features.content_words` (English stems, Han bigrams), as
crc32 values.
"""

from __future__ import annotations

import re
import zlib

__all__ = ["contradicts", "insertion", "other_slot", "signature", "stem"]


def stem(word: str) -> str:
    """A crude English stem: enough for ``prices`` = ``price``, ``imposed`` = ``impose``."""
    for suffix in ("ies", "es", "s", "ed", "ing"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            return word[: -len(suffix)]
    return word[:-1] if word.endswith("e") and len(word) > 4 else word


# Pairs of opposites common in industry and economic news (word forms, stemmed below).
_OPPOSITES = [
    (
        "rise rose risen rising up increase increased gain gained higher climb climbed jump "
        "jumped grow grew expand expanded strengthen strengthened stronger surge surged rebound "
        "rebounded recover recovered accelerate accelerated "
        "上涨 上升 增长 增加 回升 走高 扩大 加快",
        "fall fell fallen falling down "
        "decrease decreased drop dropped lose lost lower decline declined shrink shrank "
        "contract contracted weaken weakened weaker slump slumped slow slowed plunge plunged "
        "ease eased 下跌 下降 减少 回落 走低 收窄 放缓",
    ),
    (
        "open opened reopen reopened start started begin began resume resumed build built "
        "launch launched arrive arrived enter entered 开工 投产 恢复 复产",
        "close closed shut halt halted end ended "
        "stop stopped suspend suspended leave left exit exited quit 停工 停产 暂停 关闭",
    ),
    (
        "extend extended keep kept stay stayed remain remained maintain maintained continue "
        "continued impose imposed introduce introduced adopt adopted 延续 延长",
        "phase scrap scrapped drop dropped end ended abandon abandoned withdraw withdrew "
        "lift lifted cancel cancelled resign resigned quit retire retired depart departed down "
        "取消 退出",
    ),
    (
        "approve approved accept accepted uphold upheld support supported allow "
        "allowed win won pass passed agree agreed 批准 同意 支持",
        "reject rejected overturn overturned oppose "
        "opposed block blocked ban banned lose lost veto vetoed deny denied refuse refused "
        "拒绝 反对 否决",
    ),
    (
        "buy bought purchase purchased import imported imports demand inflow 买入 进口",
        "sell sold export exported exports supply outflow 卖出 出口",
    ),
    ("profit surplus cheaper cheap 盈利 顺差", "loss deficit expensive costly 亏损 逆差"),
    (
        "raise raised hike hiked tighten tightened 提高 上调 收紧",
        "cut lower lowered ease eased loosen 降低 下调 放宽",
    ),
]
_NEGATIONS = (
    "not no never without nothing none neither nor unable fail failed fails cannot can't "
    "won't wouldn't didn't doesn't don't isn't wasn't aren't weren't hasn't haven't "
    "没有 未能 并未 无法 不会 不再 尚未"
)


def _hashes(words: str) -> frozenset[int]:
    return frozenset(zlib.crc32(stem(w).encode()) for w in words.split())


_PAIRS = [(_hashes(a), _hashes(b)) for a, b in _OPPOSITES]
_NEGATION = _hashes(_NEGATIONS)
_GUARDED = _NEGATION.union(*(up | down for up, down in _PAIRS))
_DIRECTION = {
    word: 2 * group + side
    for group, pair in enumerate(_OPPOSITES)
    for side, words in enumerate(pair)
    for word in (stem(w) for w in words.split())
}


def signature(words: list[str]) -> tuple[int, ...]:
    """The opposites' directions in the order the (stemmed) words come: ``slowed … rose``
    against ``picked up … fell`` is a swap even though each side has both directions."""
    return tuple(_DIRECTION[w] for w in words if w in _DIRECTION)


def contradicts(
    a: frozenset[int],
    b: frozenset[int],
    order: tuple[int, ...] = (),
    their_order: tuple[int, ...] = (),
    *,
    negation: bool = True,
) -> bool:
    """Whether one side is negated and the other not, or the words only one side has hold
    one of a pair of opposites and the words only the other has the other one (and not
    both: ``climbed as a weaker dollar`` / ``a softer dollar lifted`` is no contradiction),
    or ``order`` and ``their_order`` (:func:`signature`) hold the same directions swapped."""
    if len(order) >= 2 and sorted(order) == sorted(their_order) and order != their_order:
        return True
    if negation and bool(a & _NEGATION) != bool(b & _NEGATION):
        return True
    only_a, only_b = a - b, b - a
    for up, down in _PAIRS:
        a_up, a_down, b_up, b_down = only_a & up, only_a & down, only_b & up, only_b & down
        if (a_up and b_down and not a_down and not b_up) or (
            a_down and b_up and not a_up and not b_down
        ):
            return True
    return False


# --- how two masked texts differ ------------------------------------------------------------

_SLOT_HAN = re.compile(r"[\u4e00-\u9fff]{2}")
_TOKEN = re.compile(r"[a-z']+|[\u4e00-\u9fff]+")


def difference(ours: str, theirs: str) -> tuple[str, str]:
    """What is left of each text once their common beginning and end are removed."""
    start = 0
    for a, b in zip(ours, theirs, strict=False):
        if a != b:
            break
        start += 1
    end = 0
    for a, b in zip(reversed(ours[start:]), reversed(theirs[start:]), strict=False):
        if a != b:
            break
        end += 1
    return ours[start : len(ours) - end].strip(), theirs[start : len(theirs) - end].strip()


def other_slot(ours: str, theirs: str) -> bool:
    """The same text with one short span replaced by another: ``本周碳酸锂均价…`` /
    ``本周硫酸镍均价…``, ``the price of lithium carbonate was`` / ``of NPI was``: a template
    filled in for another item, not a rewording (an insertion, ``…，据初步统计``, is not a
    slot)."""
    x, y = difference(ours, theirs)
    if not x or not y:
        return False
    han = max(len(x), len(y)) <= 10 and _SLOT_HAN.search(x) and _SLOT_HAN.search(y)
    latin = all(s.isascii() and s.replace(" ", "").isalpha() and s.count(" ") < 3 for s in (x, y))
    return bool(han or latin)


def insertion(ours: str, theirs: str) -> str | None:
    """The clause one text adds to the other when that is all that differs and it holds
    no negation and no word of a pair of opposites; else None."""
    x, y = difference(ours, theirs)
    if x and y:
        return None
    added = x or y
    for token in _TOKEN.findall(added):
        words = [token[i : i + 2] for i in range(len(token) - 1)] if token[0] > "z" else [token]
        if any(zlib.crc32(stem(w).encode()) in _GUARDED for w in words):
            return None
    return added
