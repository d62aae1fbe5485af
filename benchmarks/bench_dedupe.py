"""Near-duplicate pass: bilingual's Deduper against datasketch MinHash + MinHashLSH.

Generates N statistics paragraphs from templates (Chinese and English) with known ground
truth: exact copies (case and spacing changed), near copies (a word added, dates
rewritten), and figures-differ variants (one figure changed: must NOT be merged). Both
sides use the same shingles (bilingual.dedupe.shingles), 128 permutations and the same
(bands, rows); datasketch's candidates are verified by the same Jaccard estimate. Each side
runs in its own process for peak memory.

    python benchmarks/bench_dedupe.py [--paragraphs 200000] [--scaling]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

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


def run_ours(texts: list[str]) -> dict[int, int]:
    from bilingual.dedupe import Deduper
    from bilingual.dedupe.features import canonical

    deduper = Deduper(threshold=0.8, cross_lingual=False)
    found = {}
    for i, text in enumerate(texts):
        if canonical(text):
            dup = deduper.add(i, text)
            if dup is not None:
                found[i] = dup.of
    return found


def run_datasketch(texts: list[str]) -> dict[int, int]:
    import numpy as np
    from datasketch import MinHash, MinHashLSH

    from bilingual.dedupe.features import lsh_bands, shingles

    bands, rows = lsh_bands(0.8, 128)
    lsh = MinHashLSH(num_perm=128, params=(bands, rows))
    signatures: dict[int, MinHash] = {}
    found = {}
    for i, text in enumerate(texts):
        m = MinHash(num_perm=128)
        m.update_batch([f.encode() for f in shingles(text)])
        best, best_score = None, 0.8
        for key in lsh.query(m):
            score = m.jaccard(signatures[key])
            if score >= best_score:
                best, best_score = key, score
        if best is not None:
            found[i] = best
        else:
            lsh.insert(i, m)
            signatures[i] = m
    del np
    return found


def score(found: dict[int, int], truth: dict[int, int], differ: set[tuple[int, int]]) -> dict:
    correct = sum(1 for k, v in found.items() if truth.get(k) == v)
    merged_differ = sum(1 for a, b in differ if found.get(b) == a)
    return {
        "recall": correct / len(truth) if truth else 1.0,
        "precision": correct / len(found) if found else 1.0,
        "figures_differ_merged": merged_differ,
    }


def child(side: str, n: int) -> None:
    texts, truth, differ = generate(n)
    start = time.perf_counter()
    found = run_ours(texts) if side == "ours" else run_datasketch(texts)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "peak_mb": peak, **score(found, truth, differ)}))


def measure(side: str, n: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", side, "--paragraphs", str(n)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=200_000)
    parser.add_argument("--scaling", action="store_true", help="also time 50,000 (ours)")
    parser.add_argument("--child", choices=["ours", "datasketch"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.paragraphs)
        return
    ours, theirs = measure("ours", args.paragraphs), measure("datasketch", args.paragraphs)
    for name, r in (("bilingual Deduper", ours), ("datasketch MinHashLSH", theirs)):
        print(
            f"{name:22} {r['seconds']:8.1f} s  recall {r['recall']:6.1%}  precision "
            f"{r['precision']:6.1%}  figures-differ merged {r['figures_differ_merged']:5}  "
            f"peak {r['peak_mb']:6.0f} MB"
        )
    print(
        f"{args.paragraphs} paragraphs: speed ratio ours/datasketch "
        f"{theirs['seconds'] / ours['seconds']:.2f}x (target >= 3x)"
    )
    if args.scaling:
        small = measure("ours", args.paragraphs // 4)
        print(
            f"scaling: {args.paragraphs // 4} → {args.paragraphs} paragraphs: "
            f"{small['seconds']:.1f} s → {ours['seconds']:.1f} s "
            f"({ours['seconds'] / small['seconds']:.2f}x for 4x the input)"
        )


if __name__ == "__main__":
    main()
