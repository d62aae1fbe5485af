"""A generated corpus with every kind of duplicate, for the index and Dask tests: exact
copies, near copies (a word changed, a dateline or site name added), figures-differ pairs
(one figure changed), cross-lingual pairs (a Chinese statistics paragraph and its English
translation) and paraphrase-like statistics with the same figures."""

from __future__ import annotations

import random

_ENGLISH = [
    "GEM signed a memorandum with Ascend Elements to develop Europe's recycling market {n}.",
    "Black mass payables rose for the third week as feedstock stayed tight in region {n}.",
    "Analysts expect European recycling capacity in plant {n} to double within a decade.",
    "The partners plan to build battery recycling line {n} in Hungary next year.",
]
_CHINESE = "{m}月，汽车整车进口{a}万辆，同比下降{p}%。"
_ENGLISH_OF_CHINESE = "In {month}, {units:,} complete vehicles were imported, down {p}% YoY."
_MONTHS = "January February March April May June July August September October November "
_MONTH_NAMES = (_MONTHS + "December").split()


def documents(n: int, seed: int = 7) -> list[dict[str, str]]:
    """``n`` JSON Lines records ``{"id", "text"}`` of two to four paragraphs."""
    rng = random.Random(seed)
    docs: list[dict[str, str]] = []
    paragraphs: list[str] = []
    for i in range(n):
        m, a, p = rng.randint(1, 12), round(rng.uniform(1, 90), 1), round(rng.uniform(1, 60), 1)
        chinese = _CHINESE.format(m=m, a=a, p=p)
        own = [rng.choice(_ENGLISH).format(n=i), chinese]
        kind = rng.random()
        if paragraphs and kind < 0.15:  # an exact copy, in other case and spacing
            own.append(rng.choice(paragraphs).upper().replace(" ", "  "))
        elif paragraphs and kind < 0.3:  # a near copy: one word changed, or a dateline
            words = rng.choice(paragraphs).split(" ")
            if len(words) > 6 and rng.random() < 0.5:
                words[rng.randrange(len(words))] = "reportedly"
                own.append(" ".join(words))
            else:
                own.append(f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日消息，" + "".join(words))
        elif kind < 0.4:  # figures-differ: the same statistic with another amount
            own.append(_CHINESE.format(m=m, a=round(a + 0.1, 1), p=p))
        elif kind < 0.55:  # cross-lingual: the statistic in English
            units = round(a * 10_000)
            own.append(_ENGLISH_OF_CHINESE.format(month=_MONTH_NAMES[m - 1], units=units, p=p))
        if rng.random() < 0.3:
            own.append("For inquiries, please contact the research team.")
        paragraphs.extend(own[:2])
        docs.append({"id": f"d{i}", "text": "\n\n".join(own) + "\n"})
    return docs
