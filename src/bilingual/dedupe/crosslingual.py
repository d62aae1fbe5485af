"""Cross-lingual duplicates: a Chinese unit and an English one that say the same thing.

Candidates share two or more figures (quantities after unit conversion, comparable across
the languages), or, without figures, two or more words of a bridge vocabulary (English
stems, and the stems of the CC-CEDICT glosses of the Chinese words). A candidate is
confirmed when the English words are found in the Chinese unit's translation (by the
``translator`` given, the statistics engine in the pipeline) or in its glosses.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from .features import Features, english_words, gloss_words, stem
from .figures import Figures
from .store import Spill

__all__ = ["CrossIndex", "Translator"]

Translator = Callable[[str], str]
"""Chinese text → English text, for comparing words across the languages."""

MAX_POSTING = 1000
"""Figures or words in more units than this do not find candidates."""


def keys_of(figures: Figures) -> frozenset[str]:
    """What is compared across the languages: the quantities' values (units left out: a
    translation may drop one) and the dates."""
    return frozenset(q.partition("|")[0] for q in figures.quantities) | set(figures.dates)


class CrossIndex:
    """The units a cross-lingual match may point to, by figure and by bridge word."""

    def __init__(self, translator: Translator | None = None, spill: Spill | None = None) -> None:
        self._translate = lru_cache(maxsize=1024)(translator) if translator else None
        spill = spill or Spill()
        self._texts = spill.table("cross_texts")
        self._figures = spill.table("cross_figures")  # interned: one string per figure
        # Postings by language (Chinese: True) and figure or bridge word → units.
        self._by_figure = spill.postings("cross_by_figure")
        self._by_bridge = spill.postings("cross_by_bridge")
        self._full: set[tuple[bool, str]] = set()  # postings past MAX_POSTING: read no more

    def find(self, index: int, text: str, f: Features) -> tuple[int, float, bool] | None:
        """(unit, score, summary?) of the best match of another language. With figures,
        the English ones must be those of the Chinese (a full match) or a subset (a
        summary: a headline against its paragraph)."""
        ours = keys_of(f.figures)
        if f.figures.quantities:
            keys, threshold, postings = ours, 0.5, self._by_figure
        else:
            keys, threshold, postings = f.bridge, 0.6, self._by_bridge
        counts: Counter[int] = Counter()
        for key in keys:
            name = (not f.chinese, key)
            if name in self._full:
                continue
            posting = postings.get(name, last=MAX_POSTING + 1)
            if len(posting) > MAX_POSTING:  # a figure or word in more points nowhere
                self._full.add(name)
                continue
            counts.update(posting)
        best: tuple[int, float, bool] | None = None
        for other in sorted(other for other, shared in counts.items() if shared >= 2):
            theirs = frozenset(self._figures[other])
            zh_figures, en_figures = (ours, theirs) if f.chinese else (theirs, ours)
            if not en_figures <= zh_figures:
                continue
            zh_text, en_text = (
                (text, self._texts[other]) if f.chinese else (self._texts[other], text)
            )
            score = self.agreement(zh_text, en_text)
            if score >= threshold and (best is None or score > best[1]):
                best = (other, score, en_figures < zh_figures)
        return best

    def add(self, index: int, text: str, f: Features) -> None:
        if not (f.figures.quantities or len(f.bridge) >= 2):
            return
        self._texts[index] = text
        figures = tuple(sys.intern(figure) for figure in keys_of(f.figures))
        self._figures[index] = figures
        postings, keys = (
            (self._by_figure, figures) if f.figures.quantities else (self._by_bridge, f.bridge)
        )
        for key in keys:
            if (f.chinese, key) not in self._full:  # a full posting is never read again
                postings.append((f.chinese, key), index)

    def agreement(self, chinese: str, english: str) -> float:
        """Share of the English unit's content words found in the Chinese unit's
        translation or, failing that, in the CC-CEDICT glosses of its words."""
        en_words = {w for w in english_words(english) if not w[0].isdigit()}
        if not en_words:
            return 0.0
        target: set[str] = set()
        if self._translate is not None and any(c.isdigit() for c in chinese):
            target = set(english_words(self._translate(chinese)))
        glosses = gloss_words(chinese)
        found = sum(1 for w in en_words if w in target or stem(w) in glosses)
        return found / len(en_words)
