"""Mixed English/Chinese news text for the benchmarks, generated from the example page."""

from __future__ import annotations

import random
from pathlib import Path

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
