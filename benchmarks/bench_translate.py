"""bilingual.translate against argostranslate's own translate(), same tiny model, same run.

Builds the tiny genuine model of tests/tiny_model.py (no download), installs it in a
temporary $BILINGUAL_HOME, and translates N Chinese sentences:

1. ``bilingual.translate`` (one batched CTranslate2 call for all sentences, no memory)
   against ``argostranslate.translate.translate`` called per sentence, same beam size;
2. the same sentences each repeated four times, through a translation memory: a cold run,
   then a warm one (every sentence a memory hit).

    python benchmarks/bench_translate.py [--sentences 2000] [--beam-size 4]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

ANCHOR = """
import json, sys, time
import argostranslate.translate as t
texts = json.load(open(sys.argv[1], encoding="utf-8"))
t.translate(texts[0], "zh", "en")  # load the model first, as ours is
start = time.perf_counter()
out = [t.translate(x, "zh", "en") for x in texts]
print(json.dumps([time.perf_counter() - start, out]))
"""

TEMPLATES = [
    "据中国汽车工业协会数据显示，{m}月汽车整车进口{a}万辆，同比下降{p}%。",
    "乘联会数据显示，{m}月新能源乘用车零售{a}万辆，环比增长{p}%。",
    "本周黑粉价格上涨{p}%，三元前驱体报价{a}万元/吨。",
    "{m}月硫酸镍均价{a}万元/吨，较上月下跌{p}%。",
]


def sentences(n: int) -> list[str]:
    rng = random.Random(0)
    return [
        rng.choice(TEMPLATES).format(
            m=rng.randint(1, 12), a=round(rng.uniform(1, 90), 1), p=round(rng.uniform(0.1, 60), 1)
        )
        for _ in range(n)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--beam-size", type=int, default=4)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-translate-"))
    os.environ.update(
        {
            "BILINGUAL_HOME": str(tmp / "home"),
            "ARGOS_PACKAGES_DIR": str(tmp / "home" / "models"),
            "XDG_DATA_HOME": str(tmp / "xdg"),
            "XDG_CACHE_HOME": str(tmp / "xdg-cache"),
            "XDG_CONFIG_HOME": str(tmp / "xdg-config"),
            "ARGOS_BEAM_SIZE": str(args.beam_size),
        }
    )
    from tiny_model import build_argosmodel

    archive = build_argosmodel(tmp)
    from bilingual.translate import models as argos

    argos.install_file(archive)
    texts = sentences(args.sentences)
    (tmp / "texts.json").write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    # The anchor runs in a process of its own, so that neither side's CTranslate2 threads
    # share a process with the other's (measured: that slowed the anchor several times).
    # The anchor gets its best setting: argostranslate's default intra_threads=0 ran 30x
    # slower on a 2-core machine (OpenMP oversubscription) than intra_threads=1.
    env = {
        **os.environ,
        "ARGOS_PACKAGES_DIR": str(tmp / "home" / "models"),
        "ARGOS_INTRA_THREADS": "1",
    }
    anchor = subprocess.run(
        [sys.executable, "-c", ANCHOR, str(tmp / "texts.json")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    theirs_time, theirs = json.loads(anchor.stdout.splitlines()[-1])

    import bilingual
    from bilingual.options import TranslateOptions
    from bilingual.translate.engines.argos import ArgosEngine

    engine = ArgosEngine("zh", "en", TranslateOptions(beam_size=args.beam_size))
    # No glossary and no memory: the anchor has neither.
    plain = {"engine": engine, "glossary": None, "memory": None}
    bilingual.translate(texts[:5], **plain)  # load the model once, as the anchor does
    start = time.perf_counter()
    ours = bilingual.translate(texts, **plain)
    ours_time = time.perf_counter() - start
    same = sum(o.text == t for o, t in zip(ours, theirs, strict=True))
    n = len(texts)
    print(f"{n} sentences, tiny model, beam {args.beam_size}")
    print(f"argostranslate.translate per sentence: {theirs_time:7.2f} s  {n / theirs_time:8.1f}/s")
    print(f"bilingual.translate (batched):         {ours_time:7.2f} s  {n / ours_time:8.1f}/s")
    print(
        f"speed ratio ours/anchor: {theirs_time / ours_time:.1f}x (target >= 5x); "
        f"identical outputs: {same}/{n}"
    )

    repeated = [t for t in texts for _ in range(4)]
    memory = bilingual.Memory(tmp / "tm.sqlite")
    start = time.perf_counter()
    cold = bilingual.translate(repeated, engine=engine, memory=memory)
    cold_time = time.perf_counter() - start
    start = time.perf_counter()
    warm = bilingual.translate(repeated, engine=engine, memory=memory)
    warm_time = time.perf_counter() - start
    hits = sum(r.memory_hits for r in warm)
    print(
        f"each sentence x4 ({len(repeated)}): cold memory {cold_time:.2f} s "
        f"(engine saw {len(memory)} distinct), warm memory {warm_time:.2f} s "
        f"({hits}/{len(repeated)} hits); cold vs plain run {cold_time / ours_time:.2f}x"
    )
    assert [r.text for r in warm] == [r.text for r in cold]


if __name__ == "__main__":
    main()
