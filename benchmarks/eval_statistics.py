"""Quality of the statistics engine on tests/cases/statistics_dev.json.

Reports, per kind of sentence (``formulaic`` and ``news`` release/news sentences of the
catalogue, ``v1`` the first set written to the first grammar):

- sentences fully translated (no Han character left in the output);
- clauses covered: the source split at ``，；：`` (and ASCII ``,;`` that are not thousands
  separators); a clause is covered when none of its Han runs is left in the output;
- figures: an INDEPENDENT checker written here (not the number guard under test) converts
  万/亿/万亿/千, 个百分点, 成, 百分之…, ``二〇二五年`` and 倍 on the Chinese side and
  thousand/million/billion/trillion on the English side. A figure of the source must be
  either left in a Chinese remainder or written in the English; an English figure must
  come from the source. A difference is an *error*; an error no ``number-*`` issue reports
  is *silent*;
- damaged remainders: Chinese left in the output that is not byte-for-byte a piece of the
  source, or an ASCII ``,;.`` joining text to a following Chinese part (the punctuation of
  the language that follows is Chinese: ``大关, 比2000年`` is damaged, ``大关，比`` is not);
- ``number-*`` flags on sentences left unchanged;
- chrF against the references (sacrebleu), all sentences and fully translated ones;
- with ``--examples N``, N outputs beside their references.

    python benchmarks/eval_statistics.py [--examples 10] [--no-glossary] [--show-failures]
"""

from __future__ import annotations

import argparse
import json
import re
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from sacrebleu.metrics import CHRF

import bilingual

CASES = Path(__file__).resolve().parent.parent / "tests" / "cases" / "statistics_dev.json"
GLOSSARIES = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]

# --- the independent figure checker ----------------------------------------------------

_CN_DIGIT = dict(zip("〇零一二两三四五六七八九", [0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9], strict=True))
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10**4, "亿": 10**8}
_SCALE_ZH = {"万亿": Decimal(10) ** 12, "亿": Decimal(10) ** 8, "万": Decimal(10) ** 4, "千": 1000}
_SCALE_EN = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30,
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "double": 2, "doubled": 2,
    "twice": 2, "half": Decimal("0.5"),
}  # fmt: skip
_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()


def _cn_integer(text: str) -> int:
    if text and all(ch in _CN_DIGIT for ch in text) and len(text) > 1:
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))  # 二〇二五: digit by digit
    total = section = digit = 0
    for ch in text:
        if ch in _CN_DIGIT:
            digit = _CN_DIGIT[ch]
        elif ch in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[ch]
            digit = 0
        elif ch in _CN_BIG:
            total += (section + digit) * _CN_BIG[ch]
            section = digit = 0
    return total + section + digit


def _cn_number(text: str) -> Decimal:
    whole, _, tenths = text.partition("点")
    value = Decimal(_cn_integer(whole)) if whole else Decimal(0)
    if tenths:
        value += Decimal("0." + "".join(str(_CN_DIGIT[ch]) for ch in tenths))
    return value


_CN_NUM = "〇零一二两三四五六七八九十百千万亿点"
_ZH_TOKEN = re.compile(
    r"(?<![\d.A-Za-z])(\d[\d,]*(?:\.\d+)?)\s*(?:([-~—–至到])\s*(\d[\d,]*(?:\.\d+)?))?"
    r"\s*(万亿|亿|万|千(?![瓦克米]))?"
)


def _normal(text: str) -> str:
    """NFKC, Simplified multipliers, no space thousands separators, 25Q2 as 2025年Q2."""
    t = unicodedata.normalize("NFKC", text).translate(str.maketrans("萬億兩", "万亿两"))
    t = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", t)  # 2 834万t
    return re.sub(r"(?<![\d.])(\d{2})([QH][1-4])", r"20\1年\2", t)  # 25Q2: Q2 2025


def zh_figures(text: str) -> list[set[Decimal]]:
    """The figures of a Chinese text, each as the set of values an English rendering may
    show (万/亿 converted; a multiple N倍 also as N×100 and N+1; a 成 as tens of percent)."""
    t = _normal(text)
    found: list[set[Decimal]] = []

    def take(pattern: str, value: object) -> None:
        nonlocal t
        for m in re.finditer(pattern, t):
            found.append({value(m)})  # type: ignore[operator]
        t = re.sub(pattern, " ", t)

    take(rf"百分之([{_CN_NUM}]+)", lambda m: _cn_number(m.group(1)))
    take(r"([〇零一二三四五六七八九]{4})年", lambda m: Decimal(_cn_integer(m.group(1))))
    take(r"([一二两三四五六七八九])成", lambda m: Decimal(_CN_DIGIT[m.group(1)] * 10))
    numeral = r"(?<![\d.])([零一二两三四五六七八九十][零一二两三四五六七八九十百千]*)(万亿|亿|万)?"
    for m in re.finditer(numeral, t):
        value = _cn_number(m.group(1)) * _SCALE_ZH.get(m.group(2) or "", 1)
        if re.match(r"\s*倍", t[m.end() :]):
            found.append({value, value * 100, value + 1})
        elif re.match(r"\s*(?:个百分点|吨|辆|美元)", t[m.end() :]) or (
            m.group(2) and len(m.group(1)) > 1
        ):
            found.append({value})
    for m in _ZH_TOKEN.finditer(t):
        first, _, second, scale = m.groups()
        after = t[m.end() : m.end() + 3]
        before = t[max(0, m.start() - 1) : m.start()]
        if not scale and re.match(r"\s*月", after) and before not in ("前", "首"):
            continue  # a month: checked by name
        if not scale and re.match(r"\s*[年日号]", after) and not second:
            if re.match(r"\s*年", after) and len(first) != 4:
                pass  # 3年: a count, checked as a number
            else:
                found.append({Decimal(first)})
                continue
        raws = [first, *([second] if second else [])]
        for raw in raws:
            try:
                value = Decimal(raw.replace(",", ""))
            except InvalidOperation:
                continue
            accept = {value}
            if scale:
                accept = {value * Decimal(_SCALE_ZH[scale])}
                if raw == first and second:
                    accept.add(value)  # 7.38-7.59万: the first end may be bare
            if raw == raws[-1] and re.match(r"\s*倍", after):
                accept |= {value * 100, value + 1}
            found.append(accept)
    return found


_EN_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?"
)


def en_figures(text: str, words: bool = True) -> list[Decimal]:
    """The figures of an English text (and, with ``words``, number words)."""
    out = []
    for m in _EN_NUMBER.finditer(text):
        value = Decimal(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            value *= _SCALE_EN[m.group(3)]
        out.append(value)
    for word in re.findall(r"[a-z]+", text.lower()) if words else ():
        if word in _WORDS:
            out.append(Decimal(_WORDS[word]))
    return out


_HAN = re.compile(r"[\u3400-\u9fff]")
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_STRETCH = re.compile(rf"[{_CJK}][^A-Za-z]*")


def remainders(output: str) -> list[str]:
    """The Chinese left in an output: stretches from a CJK character up to the next Latin
    letter or ASCII ``, `` (English punctuation), without trailing spaces and ``,;.``."""
    pieces = []
    for m in _CJK_STRETCH.finditer(output):
        for part in re.split(r"[,;.:]\s", m.group()):
            start = next((i for i, ch in enumerate(part) if _CJK_STRETCH.match(ch)), None)
            if start is not None:
                pieces.append(part[start:].rstrip(" ,;."))
    return pieces


def english_part(output: str) -> str:
    """The output without its Chinese remainders."""
    for piece in remainders(output):
        output = output.replace(piece, " ", 1)
    return output


def damaged(source: str, output: str) -> list[str]:
    """Remainders that are not pieces of the source, and ASCII marks joining to Chinese."""
    bad = [r for r in remainders(output) if r not in source]
    bad += [
        m.group()
        for m in re.finditer(r".[,;.]\s*[\u3400-\u9fff]", output)
        if m.group() not in source
    ]
    return bad


def figure_errors(source: str, output: str) -> tuple[int, int]:
    """(figures of the source, errors): a source figure neither left in Chinese nor in the
    English, or an English figure that is no figure of the source."""
    wanted = zh_figures(source)
    output = re.sub(r"(?<![\d.])(\d{2})([QH][1-4])", r"20\1 \2", output)
    left: list[set[Decimal]] = []
    for piece in remainders(output):
        left += zh_figures(piece)
    english = english_part(output)
    written = en_figures(english)
    errors = 0
    for figure in wanted:
        if figure in left:
            left.remove(figure)
            continue
        hit = next((v for v in written if v in figure), None)
        if hit is None:
            errors += 1  # lost or changed
        else:
            written.remove(hit)
    allowed = {v for f in wanted for v in f} | {Decimal(n) for n in range(1, 32)}
    digits = en_figures(english, words=False)
    errors += sum(1 for v in written if v not in allowed and v in digits)  # invented
    months = re.findall(r"(?<![前首\d])(\d{1,2})\s*月", unicodedata.normalize("NFKC", source))
    english_lower = english.lower()
    errors += sum(
        1
        for month in set(months)
        if 1 <= int(month) <= 12
        and _MONTH_NAMES[int(month) - 1] not in english_lower
        and not any(f"{month}月" in r or "月" in r for r in remainders(output))
    )
    return len(wanted), errors


# --- clause coverage --------------------------------------------------------------------

_CLAUSE_MARK = re.compile(r"[，；：。！？]|(?<!\d)[,;]|[,;](?!\d{3})")


def clause_coverage(source: str, output: str) -> tuple[int, int]:
    """(clauses, clauses covered): a clause is covered when none of its Han runs (two
    characters or more) is left in the output."""
    clauses = [c for c in _CLAUSE_MARK.split(source) if _HAN.search(c)]
    covered = 0
    for clause in clauses:
        runs = re.findall(r"[\u3400-\u9fff]{2,}", clause) or re.findall(r"[\u3400-\u9fff]", clause)
        if not any(run in output for run in runs):
            covered += 1
    return len(clauses), covered


def _count(s: Counter[str], case: dict[str, str], result: bilingual.Translation) -> None:
    """Sentences, fully translated and clauses covered of a subgroup (no figures)."""
    s["sentences"] += 1
    s["full"] += not _HAN.search(result.text)
    n_clauses, n_covered = clause_coverage(case["zh"], result.text)
    s["clauses"] += n_clauses
    s["covered"] += n_covered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=0)
    parser.add_argument("--no-glossary", action="store_true", help="translate without glossary")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    args = parser.parse_args()
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    glossary = None if args.no_glossary else bilingual.Glossary.load(*GLOSSARIES)
    results = bilingual.translate(
        [c["zh"] for c in cases], engine="statistics", glossary=glossary, memory=None
    )
    chrf = CHRF()
    stats: dict[str, Counter[str]] = {}
    outputs: dict[str, list[tuple[str, str]]] = {}
    failures = []
    for case, result in zip(cases, results, strict=True):
        kind = case["kind"]
        if kind == "news":  # the first 123 were written before the news grammar
            n = int(case["label"].rsplit("-", 1)[1])
            stats.setdefault("news-1-123" if n <= 123 else "news-124+", Counter())
            _count(stats["news-1-123" if n <= 123 else "news-124+"], case, result)
        s = stats.setdefault(kind, Counter())
        out = result.text
        s["sentences"] += 1
        full = not _HAN.search(out)
        s["full"] += full
        n_clauses, n_covered = clause_coverage(case["zh"], out)
        s["clauses"] += n_clauses
        s["covered"] += n_covered
        n_figures, n_errors = figure_errors(case["zh"], out)
        flagged = any(i.kind.startswith("number-") for i in result.issues)
        s["figures"] += n_figures
        s["errors"] += n_errors
        s["silent"] += n_errors if not flagged else 0
        s["damaged"] += bool(damaged(case["zh"], out))
        s["flags-unchanged"] += out == case["zh"] and flagged
        s["flags"] += flagged
        outputs.setdefault(kind, []).append((out, case["en"]))
        if full:
            outputs.setdefault(kind + "-full", []).append((out, case["en"]))
        if n_errors or damaged(case["zh"], out) or (out == case["zh"] and flagged):
            failures.append((case["label"], case["zh"], out, n_errors, damaged(case["zh"], out)))
    print(f"glossary: {'none' if glossary is None else ', '.join(GLOSSARIES)}")
    total: Counter[str] = Counter()
    for kind in sorted(stats):
        s = stats[kind]
        if kind.startswith("news-") and kind[5:6].isdigit():
            print(
                f"  {kind:12} sentences {s['sentences']:4}; fully translated {s['full']:4} "
                f"({s['full'] / s['sentences']:.1%}); clauses covered {s['covered']}/"
                f"{s['clauses']} ({s['covered'] / max(1, s['clauses']):.1%})"
            )
            continue
        total.update(s)
        pairs = outputs[kind]
        score = chrf.corpus_score([o for o, _ in pairs], [[r for _, r in pairs]]).score
        full_pairs = outputs.get(kind + "-full", [])
        full_score = (
            chrf.corpus_score([o for o, _ in full_pairs], [[r for _, r in full_pairs]]).score
            if full_pairs
            else 0.0
        )
        print(
            f"{kind:12} sentences {s['sentences']:4}; fully translated {s['full']:4} "
            f"({s['full'] / s['sentences']:.1%}); clauses covered {s['covered']}/{s['clauses']} "
            f"({s['covered'] / max(1, s['clauses']):.1%}); chrF {score:.1f} (fully translated "
            f"{full_score:.1f})"
        )
    print(
        f"figures: {total['figures']}; errors (independent checker): {total['errors']}, "
        f"silent (no number-* issue): {total['silent']}; exact: "
        f"{(total['figures'] - total['errors']) / max(1, total['figures']):.2%}"
    )
    print(f"damaged remainders: {total['damaged']} sentences")
    print(
        f"number-* flags: {total['flags']} sentences, on unchanged text: {total['flags-unchanged']}"
    )
    for label, zh, out, errors, bad in failures[: args.show_failures]:
        print(f"  {label}: errors {errors}, damaged {bad}\n    zh:  {zh}\n    out: {out}")
    if args.examples:
        step = max(1, len(cases) // args.examples)
        for case, result in list(zip(cases, results, strict=True))[::step][: args.examples]:
            print(f"  zh:  {case['zh']}\n  out: {result.text}\n  ref: {case['en']}\n")


if __name__ == "__main__":
    main()
