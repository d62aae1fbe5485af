"""What Dask workers run: one function per stage, over one partition (or one shuffle bucket).

A partition is a list of ``(context, item)``: the item is what :meth:`Pipeline.run` takes,
the context whatever the caller's ``emit`` needs to write the result (a JSONL record and
its source name for the CLI). Units are numbered ``partition << 32 | n``, which sorts as
the single-process run numbers them.
"""

from __future__ import annotations

import gc
import itertools
import pickle
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..dedupe.crosslingual import MAX_POSTING, keys_of
from ..dedupe.features import Features, canonical, digest, fold
from ..dedupe.index import SKELETON_MATES, _bucket, figures_differ
from ..document import Document
from ..errors import BilingualError
from ..pipeline.pipeline import Pipeline, Prepared
from ..pipeline.report import Report

__all__ = ["Part", "pipeline_for"]

Emit = Callable[[Any, Any, Any], Any]
"""``emit(result, context, options)`` → what the run yields for one item."""

_PIPELINES: dict[bytes, Pipeline] = {}


def pipeline_for(options: Any) -> Pipeline:
    """The worker's pipeline for these options: glossary, memory and engine loaded once per
    worker process, whatever the number of tasks."""
    key = pickle.dumps((options, threading.get_ident()))  # engines keep to one thread
    pipeline = _PIPELINES.get(key)
    if pipeline is None:
        if len(_PIPELINES) > 8:
            _PIPELINES.clear()
        pipeline = _PIPELINES[key] = Pipeline(options)
    return pipeline


@dataclass
class Unit:
    """A unit (paragraph) with something to compare: what the shuffles move."""

    uid: int
    id: str
    text: str
    features: Features


@dataclass
class Part:
    """A partition after repair, normalize and the dedupe features (kept on its worker)."""

    number: int
    entries: list[tuple[Any, Prepared]]
    units: list[Unit] = field(default_factory=list)
    changes: list[Counter[str]] = field(default_factory=list)
    """Each good item's changes by stage (the changes themselves are not kept)."""

    def __sizeof__(self) -> int:
        """About what it holds (Dask's scheduler weighs moving it by this): the text, its
        changes and paragraphs, and some 2 KB of features a unit."""
        text = sum(len(p.doc.text) for _, p in self.entries)
        return 4 * text + 2048 * len(self.units) + 512 * len(self.entries)


def prepare(number: int, entries: list[tuple[Any, Any]], first: int, options: Any) -> Part:
    """Repair and normalize every item (numbered from ``first``, as in the single-process
    run), and compute each unit's features."""
    pipeline = pipeline_for(options)
    part = Part(number, [])
    deduper = pipeline._deduper.deduper
    uid = number << 32
    todo: list[tuple[int, str, str, str, int]] = []  # uid, id, text, folded, key
    number = first
    for context, item in entries:
        if isinstance(item, BilingualError):  # an input that could not be read: passed on
            part.entries.append((context, Prepared(Document("", ""), error=item)))
            continue
        prepared = pipeline.prepare(number, item)
        number += 1
        part.entries.append((context, prepared))
        part.changes.append(prepared.doc.change_counts)
        prepared.doc.changes = []  # only their counts are reported: memory
        if prepared.error or deduper is None:
            continue
        view = pipeline.dedupe_view(prepared.doc)
        for k, (a, b) in enumerate(view.paragraphs):
            text = view.text[a:b]
            folded = fold(text)
            key = canonical(text, folded)
            if key:
                todo.append((uid, f"{prepared.doc.id}#{k}", text, folded, digest(key)))
            uid += 1
    if todo and deduper is not None:
        uids, ids, texts, folds, keys = zip(*todo, strict=True)
        computed = deduper.features.many(list(texts), list(folds), list(keys))
        part.units = [Unit(*unit) for unit in zip(uids, ids, texts, computed, strict=True)]
    _settle()
    return part


def _settle() -> None:
    """What a worker holds between stages (documents, features) lives until the run ends:
    the cyclic garbage collector would walk all of it again and again (measured: prepare
    and finish took twice as long), so it is moved out of its sight (``gc.freeze``); it is
    still freed by reference counting when the run lets go of it."""
    gc.collect(0)
    gc.freeze()


def union(*sets: set[Any]) -> set[Any]:
    return set().union(*sets)


def loose_affixes(part: Part) -> set[str]:
    return {u.features.loose[0] for u in part.units if u.features.loose is not None}


# Key namespaces: what the single-process index looks up together links units.
_TEXT, _AFFIX, _BAND, _PARAPHRASE = 1, 2, 3, 4
_CROSS = 6  # + 2 × (bridge word?) + language: counted per language, linked across


_LOW = (1 << 63) - 1
_HIGH = 1 << 63  # marks the cross-lingual keys, whose lowest bit is the language


def _mixed(namespace: int, key: int | str) -> int:
    return digest(f"{namespace}:{key}") & _LOW


def link_keys(part: Part, affixes: set[str], options: Any) -> tuple[np.ndarray, np.ndarray]:
    """(key, unit) pairs: two units sharing a key may meet in the index (the same exact,
    core or loose key; a loose affix's count; an LSH band; a paraphrase bucket; a
    figures-differ skeleton; a figure or bridge word across the languages)."""
    raw: list[int] = []  # 64-bit keys, and their namespaces alongside
    spaces: list[int] = []
    owners: list[int] = []
    words: list[int] = []  # keys of strings (affixes, cross-lingual), already digests
    word_owners: list[int] = []
    paraphrase = options.paraphrase or None
    for unit in part.units:
        f = unit.features
        own = [(_TEXT, f.key)]
        if f.core is not None:
            own.append((_TEXT, f.core))
        if f.loose is not None:
            own.append((_TEXT, f.loose[1]))
        own += [(_BAND, band) for band in f.bands]
        if paraphrase is not None and f.figures.size() >= 2:
            own.append((_PARAPHRASE, _bucket(f)))
        spaces += [space for space, _ in own]
        raw += [key for _, key in own]
        owners += [unit.uid] * len(own)
        named = {_mixed(_AFFIX, a) for a in (*f.affixes, *(f.loose or ())[:1]) if a in affixes}
        named |= cross_keys(f, options)
        words += named
        word_owners += [unit.uid] * len(named)
    mixed = np.array(raw, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    mixed ^= np.array(spaces, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    mixed &= np.uint64(_LOW)  # the high bit marks cross-lingual keys
    keys = np.concatenate([mixed, np.array(words, dtype=np.uint64)])
    uids = np.array(owners + word_owners, dtype=np.int64)
    return keys, uids


def cross_keys(f: Features, options: Any) -> set[int]:
    """The unit's cross-lingual postings, as keys whose lowest bit is its language."""
    if not options.cross_lingual or not (f.figures.quantities or len(f.bridge) >= 2):
        return set()
    words = keys_of(f.figures) if f.figures.quantities else f.bridge
    kind = "figure" if f.figures.quantities else "bridge"
    return {_cross_digest(kind, w) | int(f.chinese) for w in words}


def _cross_digest(kind: str, word: str) -> int:
    return (digest(f"{_CROSS}:{kind}:{word}") | _HIGH) & ~1


def _cross_names(f: Features) -> list[tuple[bool, str, int]]:
    """(language, key, its digest without the language bit) of each posting of a unit."""
    words = keys_of(f.figures) if f.figures.quantities else f.bridge
    kind = "figure" if f.figures.quantities else "bridge"
    return [(f.chinese, w, _cross_digest(kind, w)) for w in words]


def split(
    pairs: tuple[np.ndarray, np.ndarray], buckets: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    """A partition's (key, unit) pairs cut into ``buckets`` by key: one side of a shuffle."""
    keys, uids = pairs
    where = (keys % np.uint64(buckets)).astype(np.int64)
    order = np.argsort(where, kind="stable")
    bounds = np.searchsorted(where[order], np.arange(buckets + 1))
    return [(keys[order[a:b]], uids[order[a:b]]) for a, b in itertools.pairwise(bounds.tolist())]


def edges(*pieces: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, set[int]]:
    """One shuffle bucket: the units of each key chained together, and the cross-lingual
    keys too frequent to link (in more than ``MAX_POSTING`` units of a language: the
    single-process index stops reading such a posting)."""
    keys = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0, np.uint64)
    uids = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0, np.int64)
    order = np.lexsort((uids, keys))
    keys, uids = keys[order], uids[order]
    cross = _is_cross(keys)
    group_keys = np.where(cross, keys & ~np.uint64(1), keys)  # both languages together
    starts = np.flatnonzero(np.r_[True, group_keys[1:] != group_keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    full: set[int] = set()
    drop = np.zeros(len(keys), dtype=bool)
    for start, size in zip(starts[sizes > 1], sizes[sizes > 1], strict=True):
        if not cross[start]:
            continue
        languages = Counter((keys[start : start + size] & np.uint64(1)).tolist())
        too_many = {language for language, n in languages.items() if n > MAX_POSTING}
        full.update(int(group_keys[start]) | language for language in too_many)
        if too_many or len(languages) < 2:  # one language only: no cross-lingual pair
            drop[start : start + size] = True
    same = np.r_[group_keys[1:] == group_keys[:-1], False] & ~drop
    same &= np.r_[~drop[1:], False]
    return uids[:-1][same[:-1]], uids[1:][same[:-1]], full


def _is_cross(keys: np.ndarray) -> np.ndarray:
    return (keys >> np.uint64(63)).astype(bool)


def components(
    parts: int, *pieces: tuple[np.ndarray, np.ndarray, set[int]]
) -> list[dict[int, int]]:
    """Connected components of all the edges, per partition: unit → the first unit of its
    component (units with an edge only), by hooking roots onto smaller roots and jumping
    pointers."""
    a = np.concatenate([p[0] for p in pieces]) if pieces else np.zeros(0, np.int64)
    b = np.concatenate([p[1] for p in pieces]) if pieces else np.zeros(0, np.int64)
    nodes, inverse = np.unique(np.r_[a, b], return_inverse=True)
    x, y = inverse[: len(a)], inverse[len(a) :]
    parent = np.arange(len(nodes))
    while True:
        px, py = parent[x], parent[y]
        if np.array_equal(px, py):
            break
        np.minimum.at(parent, np.maximum(px, py), np.minimum(px, py))
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    out: list[dict[int, int]] = [{} for _ in range(parts)]
    for node, root in zip(nodes.tolist(), nodes[parent].tolist(), strict=True):
        out[node >> 32][node] = root
    return out


def to_replay(part: Part, roots: dict[int, int], buckets: int) -> list[list[tuple[int, Unit]]]:
    """The partition's units that have a component, by bucket of their component."""
    out: list[list[tuple[int, Unit]]] = [[] for _ in range(buckets)]
    for unit in part.units:
        root = roots.get(unit.uid)
        if root is not None:
            out[root % buckets].append((root, unit))
    return out


def replay(
    options: Any, full: set[int], parts: int, *pieces: list[tuple[int, Unit]]
) -> tuple[list[dict[int, tuple[dict[str, Any] | None, bool]]], Counter[str]]:
    """Each component through a fresh index of our own, in input order: the decisions of
    the single-process run, which compares a unit only with units of its component. Per
    partition: unit → (report entry or None, kept); and the affixes counted."""
    by_root: dict[int, list[Unit]] = {}
    for piece in pieces:
        for root, unit in piece:
            by_root.setdefault(root, []).append(unit)
    out: list[dict[int, tuple[dict[str, Any] | None, bool]]] = [{} for _ in range(parts)]
    affixes: Counter[str] = Counter()
    pipeline = pipeline_for(options)
    for root in sorted(by_root):
        units = sorted(by_root.pop(root), key=lambda u: u.uid)
        deduper = pipeline.new_deduper()
        deduper.skeletons = False  # figures-differ pairs: by skeleton, in ``skeletons``
        if deduper.cross is not None and full:
            for unit in units:
                for language, key, mark in _cross_names(unit.features):
                    if mark | int(language) in full:
                        deduper.cross._full.add((language, key))
        ids: dict[int, str] = {}
        for unit in units:
            dup = deduper.add(unit.uid, unit.text, unit.features)
            entry = None
            if dup is None or dup.kept:
                ids[unit.uid] = unit.id
            if dup is not None:
                entry = (
                    {"unit": unit.id, "duplicate_of": ids[dup.of]}
                    | dup.details()
                    | {"text": unit.text.strip()}
                )
            out[unit.uid >> 32][unit.uid] = (entry, dup is None or dup.kept)
        affixes.update(deduper.boilerplate)
        deduper.spill.close()
    return out, affixes


Decided = dict[int, tuple[dict[str, Any] | None, bool]]
"""Unit → (its report entry or None, kept?): what the replay found."""


def to_skeletons(part: Part, buckets: int, *pieces: Decided) -> list[list[Any]]:
    """The partition's units with a figures-differ skeleton, by bucket of it, with what
    the replay decided (an undecided unit met no other: kept, nothing found)."""
    decided: Decided = {}
    for piece in pieces:
        decided.update(piece)
    out: list[list[Any]] = [[] for _ in range(buckets)]
    for unit in part.units:
        skeleton = unit.features.skeleton
        if skeleton is not None:
            entry, kept = decided.get(unit.uid, (None, True))
            f = unit.features
            slim = (unit.uid, unit.id, unit.text.strip(), f.figures, len(f.masked) >= 24)
            out[skeleton % buckets].append((skeleton, slim, entry is not None, kept))
    return out


def skeletons(parts: int, *pieces: list[Any]) -> list[Decided]:
    """Figures-differ pairs, skeleton by skeleton in input order: a unit that nothing else
    matched, against the latest ``SKELETON_MATES`` units kept with its skeleton (as the
    single-process index does: which units are kept does not depend on these pairs)."""
    by_skeleton: dict[int, list[tuple[Any, bool, bool]]] = {}
    for piece in pieces:
        for skeleton, unit, found, kept in piece:
            by_skeleton.setdefault(skeleton, []).append((unit, found, kept))
    out: list[Decided] = [{} for _ in range(parts)]
    for family in by_skeleton.values():
        family.sort(key=lambda member: member[0][0])
        mates: list[tuple[int, Any]] = []
        ids: dict[int, str] = {}
        for (uid, unit_id, text, figures, long), found, kept in family:
            if not found:
                dup = figures_differ(uid, figures, long, mates)
                if dup is not None:
                    entry = {"unit": unit_id, "duplicate_of": ids[dup.of]} | dup.details()
                    out[uid >> 32][uid] = (entry | {"text": text}, True)
            if kept:
                mates = [*mates[-SKELETON_MATES + 1 :], (uid, figures)]
                ids[uid] = unit_id
    return out


def finish(
    part: Part,
    options: Any,
    emit: Emit,
    sink: tuple[Any, str] | None,
    *pieces: Decided,
) -> tuple[list[Any], Report]:
    """Mark the duplicates removed, translate the kept text, and emit each item; the
    partition's report (affixes of the units that met no other: counted here). Later
    pieces win (figures-differ pairs after the replay's decisions)."""
    pipeline = pipeline_for(options)
    decided: Decided = {}
    for piece in pieces:
        decided.update(piece)
    report = pipeline.report = Report()
    for unit in part.units:
        if unit.uid not in decided:
            f = unit.features
            report.boilerplate.update(f.affixes)
            if f.loose is not None:
                report.boilerplate[f.loose[0]] += 1
    uid = part.number << 32
    outputs = []
    changes = iter(part.changes)
    for context, prepared in part.entries:
        if not prepared.error:
            report.items += 1
            report.changes.update(next(changes))
            view = pipeline.dedupe_view(prepared.doc)
            report.paragraphs += len(view.paragraphs)
            if pipeline._deduper.deduper is not None:
                for k in range(len(view.paragraphs)):
                    entry, kept = decided.get(uid, (None, True))
                    uid += 1
                    if entry is not None:
                        prepared.duplicates.append(entry)
                        report.add("duplicates", entry)
                    if not kept:
                        prepared.doc.removed.add(k)
        result = pipeline.finish(pipeline.translate(prepared))
        outputs.append(emit(result, context, options))
    if sink is not None:
        write, directory = sink
        outputs = write(directory, part.number, outputs)
    return outputs, report
