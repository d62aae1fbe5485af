"""The streaming index: each unit against the units kept before it.

Exact duplicates by digest of the canonical form; boilerplate copies by the digest without
datelines and site affixes; near duplicates by MinHash LSH (rensa), one index per figures
partition, verified by the estimated Jaccard similarity and the figures rule; paraphrases
by content words among the units with the same figures; cross-lingual matches by
:class:`~bilingual.dedupe.crosslingual.CrossIndex`; with ``semantic``, by sentence
embeddings; and figures-differ pairs (kept, reported) by the skeleton of the text.
Memory grows with the units kept.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ..errors import ConfigError
from ..options import DEFAULTS
from .crosslingual import MAX_POSTING, CrossIndex, Translator
from .features import (
    Features,
    Featurizer,
    Words,
    canonical,
    digest,
    fold,
    jaccard,
    similarity,
    words,
)
from .figures import Figures, agree, slightly_different
from .polarity import contradicts, insertion, other_slot
from .store import Spill

__all__ = ["SKELETON_MATES", "Deduper", "Duplicate", "Kind", "figures_differ"]

Kind = Literal["exact", "near", "cross-lingual", "figures-differ"]

SKELETON_MATES = 4  # the latest units of one skeleton compared for figures-differ pairs


@dataclass(frozen=True)
class Duplicate:
    """Unit ``index`` duplicates unit ``of`` (or, ``figures-differ``, nearly does)."""

    index: int
    of: int
    kind: Kind
    score: float
    summary: bool = False
    """Cross-lingual only: the English unit carries a subset of the figures (a headline
    against its paragraph). Summaries are reported but kept."""
    paraphrase: bool = False
    """Near only: found by the paraphrase check (same figures, fewer shared words)."""
    semantic: bool = False
    """Found by the sentence embedding (``semantic``)."""
    boilerplate: tuple[str, ...] = ()
    """The affixes (datelines, site names) that one side has and the other lacks."""
    figures: tuple[tuple[str, ...], tuple[str, ...]] | None = None
    """``figures-differ``: the figures only this unit has, and those only the other has."""

    @property
    def kept(self) -> bool:
        """Summaries and figures-differ pairs are reported, and the unit is kept."""
        return self.summary or self.kind == "figures-differ"

    def to_dict(self, units: list[Any]) -> dict[str, Any]:
        return {"unit": units[self.index].id, "duplicate_of": units[self.of].id} | self.details()

    def details(self) -> dict[str, Any]:
        """What the report says of it besides the two units."""
        out: dict[str, Any] = {
            "kind": self.kind,
            "score": round(self.score, 3),
            "summary": self.summary,
            "paraphrase": self.paraphrase,
        }
        if self.semantic:
            out["semantic"] = True
        if self.boilerplate:
            out["boilerplate"] = list(self.boilerplate)
        if self.figures is not None:
            ours, theirs = ([f.replace("|", " ") for f in side] for side in self.figures)
            out["figures"] = {"unit": ours, "duplicate_of": theirs}
        return out


class Deduper:
    """Compares each unit with the units kept so far. What it keeps grows with the units
    kept: in memory up to ``memory_budget`` bytes (None: no limit), then in a temporary
    SQLite file (:mod:`bilingual.dedupe.store`); the answers are the same either way."""

    def __init__(
        self,
        *,
        threshold: float = DEFAULTS.threshold,
        cross_lingual: bool = DEFAULTS.cross_lingual,
        num_perm: int = 128,
        min_features: int = 3,
        paraphrase: float | None = DEFAULTS.paraphrase,
        translator: Translator | None = None,
        semantic: bool = DEFAULTS.semantic,
        min_affix: int = 3,
        memory_budget: int | None = None,
    ) -> None:
        """``paraphrase``: None or 0 turns the paraphrase check off; ``translator``: Chinese
        → English, for cross-lingual matching (without one, dictionary glosses only);
        ``semantic``: sentence embeddings (the ``[semantic]`` extra); ``min_affix``: units
        that must show a loose affix before it counts as boilerplate."""
        paraphrase = paraphrase or None
        for name, value in (("threshold", threshold), ("paraphrase", paraphrase or 1)):
            if not 0 < value <= 1:
                raise ConfigError(f"{name} must be in (0, 1], not {value}")
        self.threshold = threshold
        self.paraphrase = paraphrase
        self.min_affix = min_affix
        self.features = Featurizer(
            threshold=threshold,
            paraphrase=paraphrase,
            cross_lingual=cross_lingual,
            num_perm=num_perm,
            min_features=min_features,
            semantic=semantic,
        )
        """Computes what :meth:`add` compares: call it where the text is (a worker)."""
        self.spill = spill = Spill(memory_budget)
        self.cross = CrossIndex(translator, spill) if cross_lingual else None
        self.boilerplate: Counter[str] = Counter()
        """Affixes removed before matching (datelines, site names), and loose candidates."""
        self._exact = spill.table("exact")  # digest of the canonical form → unit
        self._core = spill.table("core")  # ... without boilerplate → (unit, affixes)
        self._loose = spill.table("loose")  # ... without a loose affix → (unit, affix)
        self._bands = spill.postings("bands")  # LSH band key (figures in it) → units
        self._kept = spill.table("kept")  # unit → (MinHash, fingerprint, dates)
        self._by_fingerprint = spill.postings("paraphrase")  # paraphrase bucket → units
        # Text, masked text and figures of paraphrase and semantic candidates: for words().
        self._texts = spill.table("texts")
        self._skeletons = spill.table("skeletons")  # skeleton → the latest units and figures
        self.skeletons = True
        """False: no figures-differ check here (:mod:`bilingual.dask` does it apart)."""
        self._semantic: dict[int, tuple[Figures, bool]] = {}
        self.vectors: Any = None
        if semantic:
            from .semantic import VectorIndex

            self.vectors = VectorIndex()

    def add(
        self, index: int, text: str, features: Features | int | None = None
    ) -> Duplicate | None:
        """Check unit ``index``; index it if it is not a duplicate (summaries and
        figures-differ pairs are indexed). ``features``: :meth:`features` of ``text`` if
        known, or just its exact key (a worker saw that text before: most likely an exact
        duplicate)."""
        if not isinstance(features, Features):  # an exact duplicate needs nothing else
            folded = fold(text) if features is None else None
            key = digest(canonical(text, folded)) if features is None else features
            first = self._exact.get(key)
            if first is not None:
                return Duplicate(index, first, "exact", 1.0)
            features = self.features(text, folded, key)
        f = features
        first = self._exact.get(f.key)
        if first is not None:
            return Duplicate(index, first, "exact", 1.0)
        if f.affixes:
            self.boilerplate.update(f.affixes)
        if f.loose is not None:
            self.boilerplate[f.loose[0]] += 1
        found = (
            self._boilerplate(index, f)
            or self._near(index, f)
            or self._paraphrase(index, text, f)
            or self._cross(index, text, f)
            or self._similar(index, text, f)
            or self._figures_differ(index, f)
        )
        if found is not None and not found.kept:
            return found
        self._insert(index, text, f)
        return found

    def _insert(self, index: int, text: str, f: Features) -> None:
        """Index a kept unit: memory follows what is kept."""
        self._exact[f.key] = index
        if f.core is not None:
            self._core.setdefault(f.core, (index, f.affixes))
        if f.loose is not None:
            self._loose.setdefault(f.loose[1], (index, f.loose[0]))
        if f.signature is not None:
            self._bands.add_all(f.bands, index)
            self._kept[index] = (f.signature, f.fingerprint, f.figures.dates)
        if self.paraphrase is not None and f.figures.size() >= 2:
            self._by_fingerprint.append(_bucket(f), index)
            self._texts[index] = (text, f.masked, f.figures)
        if f.skeleton is not None and self.skeletons:
            mates = (*self._skeletons.get(f.skeleton, ()), (index, f.figures))
            self._skeletons[f.skeleton] = mates[-SKELETON_MATES:]
        if self.cross is not None:
            self.cross.add(index, text, f)
        if self.vectors is not None and f.embedding is not None:
            self.vectors.add(index, f.embedding)
            self._semantic[index] = (f.figures, f.chinese)
            self._texts[index] = (text, f.masked, f.figures)

    def _boilerplate(self, index: int, f: Features) -> Duplicate | None:
        """The same text once its datelines and site affixes are removed."""
        other, affixes = self._bare(f.core)
        affixes = f.affixes + affixes
        if other is None:  # a bare copy of a unit kept with its boilerplate
            other, affixes = self._core.get(f.key, (None, ()))
        if other is None and f.loose is not None:
            affix, key = f.loose
            if self.boilerplate[affix] >= self.min_affix:
                other, affixes = self._bare(key)
                affixes = (*f.affixes, affix, *affixes)
        if other is None and f.key in self._loose:
            other, affix = self._loose[f.key]
            if self.boilerplate[affix] < self.min_affix:
                other = None
            affixes = (affix,)
        if other is None:
            return None
        return Duplicate(index, other, "near", 1.0, boilerplate=tuple(dict.fromkeys(affixes)))

    def _bare(self, key: int | None) -> tuple[int | None, tuple[str, ...]]:
        """The kept unit whose text, or whose text without boilerplate, has this key."""
        if key is None:
            return None, ()
        unit: int | None = self._exact.get(key)
        if unit is not None:
            return unit, ()
        found: tuple[int | None, tuple[str, ...]] = self._core.get(key, (None, ()))
        return found

    def _near(self, index: int, f: Features) -> Duplicate | None:
        """The LSH candidates (a band key in common, figures in the key) with the unit's
        quantities and labels, compatible dates and a Jaccard similarity of at least
        ``threshold``; of equal scores, the earliest unit."""
        if f.signature is None:
            return None
        candidates: set[int] = set()
        for band in f.bands:
            candidates.update(self._bands.get(band))
        best: tuple[int, float] | None = None
        for other in sorted(candidates):
            signature, fingerprint, dates = self._kept[other]
            if fingerprint != f.fingerprint or not _dates_agree(f.figures.dates, dates):
                continue
            score = similarity(f.signature, signature)
            if score >= self.threshold and (best is None or score > best[1]):
                best = (other, score)
        return None if best is None else Duplicate(index, best[0], "near", best[1])

    def _paraphrase(self, index: int, text: str, f: Features) -> Duplicate | None:
        """The kept unit with exactly these figures (two or more: a date is three) whose
        content words overlap most, if their Jaccard similarity reaches ``paraphrase``,
        their names do not conflict and neither contradicts the other: ``drew significant
        attention`` / ``sent ripples through`` around the same facts, but not ``CPCA`` /
        ``CAAM`` nor ``进口`` / ``出口`` with the same figures."""
        if self.paraphrase is None or f.figures.size() < 2:
            return None
        candidates = self._by_fingerprint.get(_bucket(f), last=MAX_POSTING)
        best: tuple[int, float] | None = None
        ours: Words | None = None
        for other in candidates:
            kept = self._kept.get(other)
            if kept is not None and not _dates_agree(f.figures.dates, kept[2]):
                continue
            their_masked = self._texts[other][1]
            added = insertion(f.masked, their_masked)
            if added is not None and kept is not None and f.signature is not None:
                # One text is the other plus a clause without negation or opposites
                # (…，据初步统计): the shingles' similarity decides, no words needed.
                score = similarity(f.signature, kept[0])
                if score >= self.paraphrase and (best is None or score > best[1]):
                    best = (other, score)
                continue
            ours = ours or words(text, f.masked, f.figures)
            content, names, order = ours
            their_content, their_names, their_order = words(*self._texts[other])
            score = jaccard(content, their_content)
            if score < self.paraphrase or (best is not None and score <= best[1]):
                continue
            if _conflict(names, their_names) or other_slot(f.masked, their_masked):
                continue
            if not contradicts(content, their_content, order, their_order):
                best = (other, score)
        return None if best is None else Duplicate(index, best[0], "near", best[1], paraphrase=True)

    def _cross(self, index: int, text: str, f: Features) -> Duplicate | None:
        if self.cross is None:
            return None
        match = self.cross.find(index, text, f)
        if match is None:
            return None
        return Duplicate(index, match[0], "cross-lingual", match[1], summary=match[2])

    def _similar(self, index: int, text: str, f: Features) -> Duplicate | None:
        """With ``semantic``: the nearest kept units by sentence embedding, each accepted
        at its language pair's threshold if the figures agree (and, within a language, the
        words do not contradict: see :mod:`bilingual.dedupe.polarity`)."""
        if self.vectors is None or f.embedding is None:
            return None
        from .semantic import THRESHOLDS

        floor = min(THRESHOLDS.values())
        for other, score in self.vectors.search(f.embedding, floor):
            figures, chinese = self._semantic[other]
            if chinese != f.chinese:
                if self.cross is None or not agree(f.figures, figures, same_language=False):
                    continue
                # two quantities or more corroborate a lower similarity; one (3.4%) does not
                key = "cross-figures" if len(f.figures.quantities) >= 2 else "cross"
                if score < THRESHOLDS[key]:
                    continue
                # 下跌 / rose; negations are left out: 未报告 has none of our negation words
                content, _, order = words(text, f.masked, f.figures)
                their_content, _, their_order = words(*self._texts[other])
                if not contradicts(content, their_content, order, their_order, negation=False):
                    return Duplicate(index, other, "cross-lingual", score, semantic=True)
                continue
            if score < THRESHOLDS["zh" if f.chinese else "en"] or not agree(f.figures, figures):
                continue
            ours, theirs = words(text, f.masked, f.figures), words(*self._texts[other])
            if _disagree(ours, theirs, superset=not f.chinese) or other_slot(
                f.masked, self._texts[other][1]
            ):
                continue
            return Duplicate(index, other, "near", score, semantic=True)
        return None

    def _figures_differ(self, index: int, f: Features) -> Duplicate | None:
        """A kept unit with the same text around its figures, one or two of them different
        (a typo, another unit): reported, never merged."""
        if f.skeleton is None or not self.skeletons:
            return None
        long = len(f.masked) >= 24  # a sentence, not a counter: "Headline 2"
        return figures_differ(index, f.figures, long, self._skeletons.get(f.skeleton, ()))


def figures_differ(
    index: int, figures_: Figures, long: bool, mates: Iterable[tuple[int, Figures]]
) -> Duplicate | None:
    """Of ``mates`` (the latest units kept with the unit's skeleton, oldest first), the
    latest whose figures differ from ``figures_`` by one or two (a typo, another unit);
    ``long``: the unit is a sentence, not a counter."""
    ours = figures_.all
    for other, figures in reversed(list(mates)):
        listed = figures.quantities + figures.dates + figures.labels
        shared = len(ours.intersection(listed))
        if len(ours) - shared > 1 or len(listed) - shared > 1:  # the cheap test first
            continue
        if not agree(figures_, figures) and slightly_different(figures_, figures, long):
            theirs = figures.all
            differ = (tuple(sorted(ours - theirs)), tuple(sorted(theirs - ours)))
            return Duplicate(index, other, "figures-differ", 1.0, figures=differ)
    return None


def _bucket(f: Features) -> int:
    """Paraphrase candidates: the same quantities and labels or, without quantities, the
    same dates."""
    return f.fingerprint if f.figures.quantities else digest("|".join(f.figures.dates))


def _dates_agree(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa


def _disagree(
    ours: Words,
    theirs: Words,
    *,
    superset: bool = False,
) -> bool:
    """Names in conflict, a contradiction, or (``superset``) one side saying all the other
    says and two things more (``…discussed the war`` / ``…discussed the war and agreed to
    hold a summit``): no paraphrase however close the embeddings."""
    if _conflict(ours[1], theirs[1]) or contradicts(ours[0], theirs[0], ours[2], theirs[2]):
        return True
    if superset:
        a, b = ours[0], theirs[0]
        return (a < b and len(b - a) >= 2) or (b < a and len(a - b) >= 2)
    return False


def _conflict(ours: tuple[str, ...], theirs: tuple[str, ...]) -> bool:
    """Each names something the other does not (``CPCA`` / ``CAAM``)."""
    return bool(set(ours) - set(theirs) and set(theirs) - set(ours))
