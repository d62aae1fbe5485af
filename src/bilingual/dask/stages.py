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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..dedupe.crosslingual import MAX_POSTING, keys_of
from ..dedupe.features import Features, digest, keyed
from ..dedupe.figures import Figures
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
    """A unit (paragraph) with something to compare: what the shuffles move, packed."""

    uid: int
    id: str
    text: str
    features: Features

    def pack(self) -> bytes:
        """The unit as one pickled tuple of plain values (the LSH bands as bytes): a third
        of the memory of the objects (measured: 2.9 KB a unit as objects, the bands'
        integers alone 0.6 KB), what a worker holds of its units from ``prepare`` until
        ``to_replay``, and what the replay shuffle moves."""
        f = self.features
        figures, bands = tuple(f.figures), np.array(f.bands, dtype=np.uint64).tobytes()
        plain = tuple(f._replace(figures=Figures((), (), ()), bands=()))
        return pickle.dumps(
            (self.uid, self.id, self.text, figures, bands, plain), pickle.HIGHEST_PROTOCOL
        )

    @classmethod
    def unpack(cls, packed: bytes) -> Unit:
        uid, id, text, figures, bands, plain = pickle.loads(packed)
        keys = tuple(np.frombuffer(bands, dtype=np.uint64).tolist())
        f = Features(*plain)._replace(figures=Figures(*figures), bands=keys)
        return cls(uid, id, text, f)


@dataclass
class Part:
    """A partition's units after repair, normalize and the dedupe features, packed: what
    the link-key and replay shuffles read (a worker holds it until ``to_replay``)."""

    number: int
    packed: list[bytes] = field(default_factory=list)
    """The units (:meth:`Unit.pack`)."""
    uids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    """Their numbers."""

    def units(self) -> Iterator[Unit]:
        return map(Unit.unpack, self.packed)

    def __sizeof__(self) -> int:
        """What it holds (Dask's scheduler weighs moving it by this)."""
        return sum(len(packed) + 40 for packed in self.packed) + self.uids.nbytes


@dataclass
class Rest:
    """What ``to_skeletons`` and ``finish`` need of a partition's units, pickled (a worker
    holds it until ``finish``; the documents are not kept: ``finish`` repairs and normalizes
    the partition's input again, deterministic and some 8% of the run's time)."""

    skeletal: bytes = pickle.dumps([])
    """``(skeleton, (uid, id, text, figures, long))`` of each unit with figures."""
    affixes: bytes = pickle.dumps([])
    """``(uid, affixes)`` of each unit with some (and its loose one)."""

    def __sizeof__(self) -> int:
        return len(self.skeletal) + len(self.affixes) + 100


def _prepared(
    pipeline: Pipeline, entries: list[tuple[Any, Any]], first: int
) -> Iterator[tuple[Any, Prepared]]:
    """Each entry repaired and normalized (numbered from ``first``, as in the single-process
    run); an input that could not be read is passed on as the error."""
    number = first
    for context, item in entries:
        if isinstance(item, BilingualError):
            yield context, Prepared(Document("", ""), error=item)
        else:
            yield context, pipeline.prepare(number, item)
            number += 1


def prepare(
    number: int, entries: list[tuple[Any, Any]], first: int, options: Any
) -> tuple[Part, Rest, set[str]]:
    """Repair and normalize every item, and compute each unit's features; and the units'
    loose affixes (candidates: learned from all partitions')."""
    pipeline = pipeline_for(options)
    part, rest, loose = Part(number), Rest(), set()
    deduper = pipeline._deduper.deduper
    uid = number << 32
    todo: list[tuple[int, str, str, str, int]] = []  # uid, id, text, folded, key
    for _, prepared in _prepared(pipeline, entries, first):
        if prepared.error or deduper is None:
            continue
        view = pipeline.dedupe_view(prepared.doc)
        for k, (a, b) in enumerate(view.paragraphs):
            text = view.text[a:b]
            if (found := keyed(text)) is not None:
                todo.append((uid, f"{prepared.doc.id}#{k}", text, *found))
            uid += 1
    if todo and deduper is not None:
        uids, ids, texts, folds, keys = zip(*todo, strict=True)
        computed = deduper.features.many(list(texts), list(folds), list(keys))
        units = [Unit(*unit) for unit in zip(uids, ids, texts, computed, strict=True)]
        part.packed = [unit.pack() for unit in units]
        part.uids = np.array(uids, dtype=np.int64)
        rest = Rest(_skeletal(units), _affixes(units))
        loose = {u.features.loose[0] for u in units if u.features.loose is not None}
    _settle()
    return part, rest, loose


def _skeletal(units: list[Unit]) -> bytes:
    skeletal = []
    for unit in units:
        f = unit.features
        if f.skeleton is not None:
            slim = (unit.uid, unit.id, unit.text.strip(), f.figures, len(f.masked) >= 24)
            skeletal.append((f.skeleton, slim))
    return pickle.dumps(skeletal, pickle.HIGHEST_PROTOCOL)


def _affixes(units: list[Unit]) -> bytes:
    affixes = []
    for unit in units:
        f = unit.features
        named = f.affixes if f.loose is None else (*f.affixes, f.loose[0])
        if named:
            affixes.append((unit.uid, named))
    return pickle.dumps(affixes, pickle.HIGHEST_PROTOCOL)


def _settle() -> None:
    """What a worker holds between stages (the input's records) lives until the run ends:
    the cyclic garbage collector would walk all of it again and again (measured: prepare
    and finish took twice as long), so it is moved out of its sight (``gc.freeze``); it is
    still freed by reference counting when the run lets go of it."""
    gc.collect(0)
    gc.freeze()


def union(*sets: set[Any]) -> set[Any]:
    return set().union(*sets)


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
    for unit in part.units():
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
    a, b = uids[:-1][same[:-1]], uids[1:][same[:-1]]
    # each edge once: two units chained by many keys (each LSH band, ...) repeat it
    # (measured: four times in a bucket on the benchmark's corpus)
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    first = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])]
    return a[first], b[first], full


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


def to_replay(
    part: Part, roots: dict[int, int], buckets: int
) -> list[list[tuple[int, int, bytes]]]:
    """The partition's units that have a component, packed, by bucket of their component."""
    out: list[list[tuple[int, int, bytes]]] = [[] for _ in range(buckets)]
    for uid, packed in zip(part.uids.tolist(), part.packed, strict=True):
        root = roots.get(uid)
        if root is not None:
            out[root % buckets].append((root, uid, packed))
    return out


def replay(
    options: Any, full: set[int], parts: int, *pieces: list[tuple[int, int, bytes]]
) -> tuple[list[bytes], Counter[str]]:
    """Each component through a fresh index of our own, in input order: the decisions of
    the single-process run, which compares a unit only with units of its component. Per
    partition: unit → (report entry or None, kept), pickled (:data:`Decided`, held until
    ``finish``); and the affixes counted."""
    by_root: dict[int, list[tuple[int, bytes]]] = {}
    for piece in pieces:
        for root, uid, packed in piece:
            by_root.setdefault(root, []).append((uid, packed))
    out: list[dict[int, tuple[dict[str, Any] | None, bool]]] = [{} for _ in range(parts)]
    affixes: Counter[str] = Counter()
    pipeline = pipeline_for(options)
    for root in sorted(by_root):
        # in input order, unpacked one at a time (a component of copies holds one of them)
        members = [unit for _, unit in sorted(by_root.pop(root))]
        deduper = pipeline.new_deduper()
        deduper.skeletons = False  # figures-differ pairs: by skeleton, in ``skeletons``
        if deduper.cross is not None and full:
            for unit in map(Unit.unpack, members):
                for language, key, mark in _cross_names(unit.features):
                    if mark | int(language) in full:
                        deduper.cross._full.add((language, key))
        ids: dict[int, str] = {}
        for unit in map(Unit.unpack, members):
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
    return [_pack(decided) for decided in out], affixes


Decided = dict[int, tuple[dict[str, Any] | None, bool]]
"""Unit → (its report entry or None, kept?): what the replay found."""


def _pack(decided: Decided) -> bytes:
    return pickle.dumps(decided, pickle.HIGHEST_PROTOCOL)


def _unpack(pieces: tuple[bytes, ...]) -> Decided:
    """The pieces' decisions together (later pieces win)."""
    decided: Decided = {}
    for piece in pieces:
        decided.update(pickle.loads(piece))
    return decided


def to_skeletons(rest: Rest, buckets: int, *pieces: bytes) -> list[bytes]:
    """The partition's units with a figures-differ skeleton, by bucket of it, with what
    the replay decided (an undecided unit met no other: kept, nothing found); pickled."""
    decided = _unpack(pieces)
    out: list[list[Any]] = [[] for _ in range(buckets)]
    for skeleton, slim in pickle.loads(rest.skeletal):
        entry, kept = decided.get(slim[0], (None, True))
        out[skeleton % buckets].append((skeleton, slim, entry is not None, kept))
    return [pickle.dumps(bucket, pickle.HIGHEST_PROTOCOL) for bucket in out]


def skeletons(parts: int, *pieces: bytes) -> list[bytes]:
    """Figures-differ pairs, skeleton by skeleton in input order: a unit that nothing else
    matched, against the latest ``SKELETON_MATES`` units kept with its skeleton (as the
    single-process index does: which units are kept does not depend on these pairs)."""
    by_skeleton: dict[int, list[tuple[Any, bool, bool]]] = {}
    for piece in pieces:
        for skeleton, unit, found, kept in pickle.loads(piece):
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
    return [_pack(decided) for decided in out]


def finish(
    number: int,
    rest: Rest | None,
    entries: list[tuple[Any, Any]],
    first: int,
    options: Any,
    emit: Emit,
    sink: tuple[Any, str] | None,
    *pieces: bytes,
) -> tuple[list[Any], Report]:
    """Repair and normalize the items again (as ``prepare``), mark the duplicates removed,
    translate the kept text, and emit each item; the partition's report (affixes of the
    units that met no other: counted here). ``rest``: None without ``dedupe``. Later
    pieces win (figures-differ pairs after the replay's decisions)."""
    pipeline = pipeline_for(options)
    decided = _unpack(pieces)
    report = pipeline.report = Report()
    if rest is not None:
        for uid, affixes in pickle.loads(rest.affixes):
            if uid not in decided:
                report.boilerplate.update(affixes)
    uid = number << 32
    outputs = []
    for context, prepared in _prepared(pipeline, entries, first):
        if not prepared.error:
            report.items += 1
            report.changes.update(prepared.doc.change_counts)
            prepared.doc.changes = []  # only their counts are reported
            view = pipeline.dedupe_view(prepared.doc)
            report.paragraphs += len(view.paragraphs)
            if rest is not None:
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
        outputs = write(directory, number, outputs)
    return outputs, report
