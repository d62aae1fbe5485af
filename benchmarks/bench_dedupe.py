"""Near-duplicate pass: bilingual's Deduper against rensa and datasketch (MinHash + LSH).

Generates N statistics paragraphs from templates (Chinese and English) with known ground
truth: exact copies (case and spacing changed), near copies (a word added, dates
rewritten), and figures-differ variants (one figure changed: must NOT be merged).

Two configurations, each side in its own process (peak memory is the process's):

``shingles``
    every side on our shingles (``bilingual.dedupe.shingles``), the same (bands, rows)
    and threshold; rensa and datasketch verify candidates by their Jaccard estimate, as
    a streaming deduplication does (query, verify, insert the unit if it is new).
``typical``
    what a user writes: ``bilingual.dedupe(texts)`` with every default (cross-lingual
    and paraphrase checks on); rensa and datasketch on character 3-grams with their
    documented defaults (128 permutations, ``RMinHashLSH(0.8, 128, 16)``,
    ``MinHashLSH(threshold=0.8)``).

    python benchmarks/bench_dedupe.py [--paragraphs 200000] [--config shingles|typical|both]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

from bilingual.numbers import MONTHS

TEMPLATES_ZH = [
    "{y}年{m}月，{n}进口{a}万辆，同比{d}{p}%。",
    "本周{x}均价{b}万元/吨，环比{d}{p}%。",
    "{m}月，{x}产量约{t}万吨，同比{d}{p}%，占比{q}%。",
]
TEMPLATES_EN = [
    "In {month} {y}, {a_en} {n_en} were imported, {d_en} {p}% YoY.",
    "This week, the average price of {x_en} was {b_en} yuan/mt, {d_en} {p}% MoM.",
]
NOUNS = [("乘用车", "passenger cars"), ("商用车", "commercial vehicles"), ("新能源汽车", "NEVs")]
PRODUCTS = [("硫酸镍", "nickel sulphate"), ("碳酸锂", "lithium carbonate"), ("镍生铁", "NPI")]


def generate(n: int, seed: int = 0) -> tuple[list[str], dict[int, int], set[tuple[int, int]]]:
    """Paragraphs, {duplicate index: original index}, and figures-differ pairs."""
    rng = random.Random(seed)
    texts: list[str] = []
    truth: dict[int, int] = {}
    differ: set[tuple[int, int]] = set()
    while len(texts) < n:
        (nz, ne), (xz, xe) = rng.choice(NOUNS), rng.choice(PRODUCTS)
        a, b = round(rng.uniform(1, 90), 1), round(rng.uniform(1, 15), 2)
        values = dict(
            y=rng.randint(2015, 2026),
            m=rng.randint(1, 12),
            n=nz,
            x=xz,
            a=a,
            b=b,
            t=round(rng.uniform(1, 40), 1),
            p=round(rng.uniform(0.1, 60), 1),
            q=round(rng.uniform(1, 99), 1),
            d=rng.choice(["增长", "下降"]),
        )
        values.update(
            month=MONTHS[values["m"] - 1],
            n_en=ne,
            x_en=xe,
            a_en=f"{int(a * 10000):,}",
            b_en=f"{int(b * 10000):,}",
            d_en="up" if values["d"] == "增长" else "down",
        )
        template = rng.choice(TEMPLATES_ZH + TEMPLATES_EN)
        original = len(texts)
        texts.append(template.format(**values))
        roll = rng.random()
        if roll < 0.15:  # exact copy, other case and spacing
            truth[len(texts)] = original
            texts.append(texts[original].upper().replace(" ", "  "))
        elif roll < 0.25:  # near copy: a few words added
            truth[len(texts)] = original
            texts.append(
                texts[original].rstrip("。.")
                + (
                    "，据初步统计。"
                    if "年" in template or "月" in template or "本周" in template
                    else ", preliminary data show."
                )
            )
        elif roll < 0.30:  # figures differ: a negative
            differ.add((original, len(texts)))
            changed = dict(values, p=round(values["p"] + 1.3, 1))
            texts.append(template.format(**changed))
    return texts[:n], {k: v for k, v in truth.items() if k < n}, {p for p in differ if p[1] < n}


def char3(text: str) -> list[str]:
    return [text[i : i + 3] for i in range(max(1, len(text) - 2))]


def run_ours(texts: list[str], config: str) -> dict[int, int]:
    if config == "typical":
        from bilingual.dedupe import dedupe

        result = dedupe(texts, level="document")
        return {d.index: d.of for d in result.duplicates if not d.kept}
    from bilingual.dedupe import Deduper

    deduper = Deduper(threshold=THRESHOLD, cross_lingual=False)
    found = {}
    for i, text in enumerate(texts):  # every generated text has words (no blank unit)
        dup = deduper.add(i, text)
        if dup is not None and not dup.kept:
            found[i] = dup.of
    return found


def best_match(m: Any, keys: Iterable[int], signature: Callable[[int], Any]) -> int | None:
    """The candidate with the highest estimated Jaccard similarity, if it reaches the
    threshold: how a streaming deduplication verifies what the LSH gives it."""
    best, best_score = None, THRESHOLD
    for key in keys:
        score = m.jaccard(signature(key))
        if score >= best_score:
            best, best_score = key, score
    return best


def run_rensa(texts: list[str], config: str) -> dict[int, int]:
    from rensa import RMinHash, RMinHashLSH

    from bilingual.dedupe.features import lsh_bands, shingles

    if config == "typical":
        num_perm, bands = 128, 16
        tokens = [char3(t) for t in texts]
    else:
        bands, rows = lsh_bands(THRESHOLD, 128)
        num_perm = bands * rows  # rensa needs a multiple of the bands
        tokens = [list(shingles(t)) for t in texts]
    signatures = RMinHash.from_token_sets(tokens, num_perm, 42)
    lsh = RMinHashLSH(THRESHOLD, num_perm, bands)
    found = {}
    for i, m in enumerate(signatures):
        best = best_match(m, lsh.query(m), signatures.__getitem__)
        if best is not None:
            found[i] = best
        else:
            lsh.insert(i, m)
    return found


def run_datasketch(texts: list[str], config: str) -> dict[int, int]:
    from datasketch import MinHash, MinHashLSH

    from bilingual.dedupe.features import lsh_bands, shingles

    if config == "typical":
        lsh = MinHashLSH(threshold=THRESHOLD, num_perm=128)
    else:
        lsh = MinHashLSH(num_perm=128, params=lsh_bands(THRESHOLD, 128))
    signatures: dict[int, MinHash] = {}
    found = {}
    for i, text in enumerate(texts):
        m = MinHash(num_perm=128)
        tokens = char3(text) if config == "typical" else shingles(text)
        m.update_batch([f.encode() for f in tokens])
        best = best_match(m, lsh.query(m), signatures.__getitem__)
        if best is not None:
            found[i] = best
        else:
            lsh.insert(i, m)
            signatures[i] = m
    return found


SIDES = {"ours": run_ours, "rensa": run_rensa, "datasketch": run_datasketch}
NAMES = {"ours": "bilingual Deduper", "rensa": "rensa RMinHashLSH", "datasketch": "datasketch"}
THRESHOLD = 0.8


def score(
    found: dict[int, int], truth: dict[int, int], differ: set[tuple[int, int]], texts: list[str]
) -> dict:
    """Recall of the injected copies; precision of what was found, where a pair whose
    originals the generator happened to write identically (the same template, item and
    figures drawn twice) is right too: the second is a copy of the first."""

    def original(i: int) -> str:
        return " ".join(texts[truth.get(i, i)].casefold().split())

    correct = sum(1 for k, v in found.items() if truth.get(k) == v)
    right = sum(1 for k, v in found.items() if truth.get(k) == v or original(k) == original(v))
    merged_differ = sum(1 for a, b in differ if found.get(b) == a)
    return {
        "recall": correct / len(truth) if truth else 1.0,
        "precision": right / len(found) if found else 1.0,
        "figures_differ_merged": merged_differ,
    }


def child(side: str, n: int, config: str) -> None:
    texts, truth, differ = generate(n)
    start, cpu = time.perf_counter(), time.process_time()
    found = SIDES[side](texts, config)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"seconds": seconds, "cpu": cpu, "peak_mb": peak, **score(found, truth, differ, texts)}
    print(json.dumps(result))


def measure(side: str, n: int, config: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", side, "--paragraphs", str(n), "--config", config],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--config", choices=["shingles", "typical", "both"], default="both")
    parser.add_argument("--sides", default="ours,rensa,datasketch")
    parser.add_argument("--child", choices=list(SIDES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.paragraphs, args.config)
        return
    configs = ["shingles", "typical"] if args.config == "both" else [args.config]
    for config in configs:
        print(f"{args.paragraphs} paragraphs, {config}:")
        results = {side: measure(side, args.paragraphs, config) for side in args.sides.split(",")}
        for side, r in results.items():
            print(
                f"  {NAMES[side]:20} {r['seconds']:7.1f} s ({r['cpu']:6.1f} s CPU)  recall "
                f"{r['recall']:6.1%}  precision {r['precision']:6.1%}  figures-differ merged "
                f"{r['figures_differ_merged']:5}  "
                f"peak {r['peak_mb']:5.0f} MB"
            )
        if "ours" in results and "rensa" in results:
            rensa, ours = results["rensa"], results["ours"]
            print(
                f"  speed ratio rensa/ours: {rensa['seconds'] / ours['seconds']:.2f}x wall, "
                f"{rensa['cpu'] / ours['cpu']:.2f}x CPU (>= 1: ours at least as fast)"
            )


if __name__ == "__main__":
    main()
