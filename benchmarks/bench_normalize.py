"""Throughput of bilingual.normalize against plain ftfy.fix_text + OpenCC, same text, same run.

The anchor is what a user would do without us: ``ftfy.fix_text`` (defaults) followed by
``opencc.OpenCC("t2s").convert``. We run our full normalize with ``script="t2s"`` so both
sides convert script; ours also repairs CJK mojibake and does width, punctuation, quotes and
spacing by context. Prints MB/s of each and the ratio (target: ours >= 0.5x the anchor).

    python benchmarks/bench_normalize.py [--mb 3] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import ftfy
import opencc

import bilingual

ROOT = Path(__file__).resolve().parent.parent

CHINESE = [
    "据中国汽车工业协会整理的海关总署数据显示,2025年12月,汽车整车进口3.0万辆,环比下降30.4%。",
    "乘联会数据显示,1-11月新能源乘用车零售1,200万辆,同比增长18.5%;",
    "台灣的電池回收業者也正在評估進入歐洲市場。",
    "三元前驱体价格本周小幅上涨,硫酸镍报价约2.8万元/吨。",
]
ENGLISH = [
    "On September 17, 2025, an announcement drew significant attention in the battery industry.",
    "SMM‘s internal database model shows black mass payables rising to 78% in January.",
    "The partners plan to build a lithium power battery recycling system in Europe (Hungary).",
    "For inquiries, contact service.en@smm.cn or visit https://news.metal.com/list.",
]


def corpus(megabytes: float, seed: int = 0) -> str:
    """Mixed paragraphs, a few with mojibake, until ``megabytes`` of UTF-8."""
    rng = random.Random(seed)
    example = (ROOT / "examples" / "smm-battery-recycling.txt").read_text(encoding="utf-8")
    parts: list[str] = [example]
    size = len(example.encode())
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(ENGLISH) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.5:
            paragraph += "\n" + "".join(rng.choice(CHINESE) for _ in range(rng.randint(1, 3)))
        if rng.random() < 0.05:
            paragraph += " " + "动力电池回收".encode().decode("gbk", "replace")
        parts.append(paragraph)
        size += len(paragraph.encode()) + 2
    return "\n\n".join(parts)


def best_of(repeat: int, fn, text: str) -> tuple[float, str]:
    best, out = float("inf"), ""
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn(text)
        best = min(best, time.perf_counter() - start)
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
