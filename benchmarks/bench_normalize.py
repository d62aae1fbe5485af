"""Throughput of bilingual.normalize against plain ftfy.fix_text + OpenCC, same text, same run.

The anchor is what a user would do without us: ``ftfy.fix_text`` (defaults) followed by
``opencc.OpenCC("t2s").convert``. We run our full normalize with ``script="t2s"`` so both
sides convert script; ours also repairs CJK mojibake and does width, punctuation, quotes and
spacing by context. Prints MB/s of each (CPU time, best of --repeat) and the ratio (target:
ours >= 0.5x the anchor).

    python benchmarks/bench_normalize.py [--mb 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time

import ftfy
import opencc

import bilingual
from corpus import corpus


def best_of(repeat: int, fn, text: str) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        start = time.process_time()  # CPU time: the machine may be shared, both sides alike
        out = fn(text)
        best = min(best, time.process_time() - start)
    return best, out


def anchor(text: str) -> str:
    return opencc.OpenCC("t2s").convert(ftfy.fix_text(text))


def ours(text: str) -> str:
    return bilingual.normalize(text, script="t2s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=3.0, help="corpus size in MB (default 3)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; best is kept")
    args = parser.parse_args()

    text = corpus(args.mb)
    megabytes = len(text.encode()) / 1_000_000
    ours(text[:10_000])  # load OpenCC dictionaries and build character tables first
    anchor(text[:10_000])
    anchor_time, anchor_out = best_of(args.repeat, anchor, text)
    ours_time, ours_out = best_of(args.repeat, ours, text)
    print(f"corpus: {megabytes:.2f} MB, {text.count(chr(10)) + 1} lines")
    rate = megabytes / anchor_time
    print(f"anchor ftfy.fix_text + OpenCC t2s: {anchor_time:6.2f} s  {rate:6.2f} MB/s")
    print(
        f"bilingual.normalize(script=t2s):  {ours_time:6.2f} s  {megabytes / ours_time:6.2f} MB/s"
    )
    print(f"speed ratio ours/anchor: {anchor_time / ours_time:.2f}x (target >= 0.5x)")
    # What the anchor does to Chinese that we do not: ASCII commas, straightened quotes.
    print(f"full-width commas kept: ours {ours_out.count('，')}, anchor {anchor_out.count('，')}")


if __name__ == "__main__":
    main()
