"""Finding terms a glossary lacks: coverage of a corpus, and term pairs from aligned text.

Words, glosses and pinyin come from :mod:`bilingual.dictionary` (rjieba and CC-CEDICT),
loaded on first use.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..chars import HAN_RUN
from ..dictionary import glosses, pinyin, words
from .entry import Entry
from .model import Glossary

__all__ = ["Candidate", "PairCandidate", "coverage", "extract", "sorted_entries"]
_NUMBER = re.compile(r"\d[\d,.]*%?")
_EN_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_EN_STOP = frozenset(
    """a an the of in on at to for from by with and or as is are was were be been this that
    these those it its which who than then also has have had will would can could not no
    but into over about after up down out per said says year years month""".split()
)


@dataclass(frozen=True)
class Candidate:
    zh: str
    count: int
    glosses: tuple[str, ...]

    def entry(self) -> Entry:
        en = self.glosses[0] if self.glosses else ""
        note = f"frequency {self.count}; CC-CEDICT: {' / '.join(self.glosses) or '-'}"
        return Entry(self.zh, en, note=note)


def coverage(texts: Iterable[str], glossary: Glossary, *, min_count: int = 2) -> list[Candidate]:
    """Chinese words and two-word compounds of ``texts`` that no glossary term covers,
    most frequent first, with CC-CEDICT glosses as suggestions."""
    counts: Counter[str] = Counter()
    for text in texts:
        covered = {(m.start, m.end) for m in glossary.match(text)}
        spans = [range(s, e) for s, e in covered]
        for run, cut in zip(HAN_RUN.finditer(text), words(text), strict=True):
            pos = run.start()
            starts = []
            for w in cut:
                starts.append(pos)
                pos += len(w)
            for i, w in enumerate(cut):
                grams = [(w, starts[i])]
                if i + 1 < len(cut):
                    grams.append((w + cut[i + 1], starts[i]))
                for gram, start in grams:
                    if len(gram) < 2 or any(
                        start in r and start + len(gram) - 1 in r for r in spans
                    ):
                        continue
                    counts[gram] += 1
    known = {e.zh for e in glossary}
    return [
        Candidate(zh, n, tuple(glosses(zh)))
        for zh, n in counts.most_common()
        if n >= min_count and zh not in known
    ]


@dataclass(frozen=True)
class PairCandidate:
    zh: str
    en: str
    together: int
    dice: float
    llr: float

    def entry(self) -> Entry:
        note = f"{self.together} pairs; Dice {self.dice:.2f}; log-likelihood {self.llr:.1f}"
        return Entry(self.zh, self.en, note=note)


def _llr(k11: int, k12: int, k21: int, k22: int) -> float:
    """Dunning's log-likelihood ratio of a 2×2 contingency table."""

    def h(*ks: int) -> float:
        total = sum(ks)
        return sum(k * math.log(k / total) for k in ks if k)

    return 2 * (h(k11, k12, k21, k22) - h(k11 + k12, k21 + k22) - h(k11 + k21, k12 + k22))


def extract(
    pairs: Iterable[tuple[str, str]], glossary: Glossary | None = None, *, min_count: int = 2
) -> list[PairCandidate]:
    """Candidate (zh, en) term pairs from aligned sentence pairs, by association.

    Known glossary terms and numbers are anchored first: removed from both sides, so
    they do not pair with everything around them. Chinese candidates are rjieba words
    of two or more characters; English ones are 1- to 3-word phrases without stopwords.
    Ranked by log-likelihood, with the Dice coefficient reported; each Chinese term keeps
    its strongest English phrase, the longer one on a tie.
    """
    glossary = glossary or Glossary()
    zh_count: Counter[str] = Counter()
    en_count: Counter[str] = Counter()
    both: Counter[tuple[str, str]] = Counter()
    n = 0
    for zh_text, en_text in pairs:
        n += 1
        zh_text = _mask(zh_text, glossary.match(zh_text, "zh"))
        en_text = _mask(en_text, glossary.match(en_text, "en"))
        zh_terms = {w for cut in words(_NUMBER.sub(" ", zh_text)) for w in cut if len(w) >= 2}
        en_terms = _phrases(_NUMBER.sub(" ", en_text))
        zh_count.update(zh_terms)
        en_count.update(en_terms)
        both.update((z, e) for z in zh_terms for e in en_terms)
    found = []
    for (z, e), k in both.items():
        if k < min_count:
            continue
        dice = 2 * k / (zh_count[z] + en_count[e])
        llr = _llr(k, zh_count[z] - k, en_count[e] - k, n - zh_count[z] - en_count[e] + k)
        found.append(PairCandidate(z, e, k, dice, llr))
    # Ties (terms that always occur together) go to the longer English phrase.
    found.sort(key=lambda c: (-round(c.llr, 6), -c.dice, -c.en.count(" "), c.zh, c.en))
    best: dict[str, PairCandidate] = {}
    for c in found:  # one English rendering per Chinese term: its strongest
        best.setdefault(c.zh, c)
    return list(best.values())


def _mask(text: str, matches: list[Any]) -> str:
    for m in reversed(matches):
        text = text[: m.start] + " " + text[m.end :]
    return text


def _phrases(text: str) -> set[str]:
    words = [w.lower() for w in _EN_WORD.findall(text)]
    phrases = set()
    for size in (1, 2, 3):
        for i in range(len(words) - size + 1):
            gram = words[i : i + size]
            if gram[0] in _EN_STOP or gram[-1] in _EN_STOP:
                continue
            phrases.add(" ".join(gram))
    return phrases


def sorted_entries(entries: Iterable[Entry], by: Literal["pinyin", "en"]) -> list[Entry]:
    """Entries sorted stably by the pinyin of ``zh`` (from CC-CEDICT) or by ``en``."""
    if by == "en":
        return sorted(entries, key=lambda e: e.en.casefold())
    return sorted(entries, key=lambda e: pinyin(e.zh))
