"""The deduplication index past its memory budget: the same duplicates, found on disk."""

from __future__ import annotations

import random
import subprocess
import sys

import pytest

from bilingual import Pipeline
from bilingual.dedupe.store import Spill
from bilingual.errors import ConfigError
from bilingual.options import memory_budget
from dedupe_corpus import documents


def _run(budget: str) -> tuple[list[tuple[str, str, list[tuple[str, str, str]]]], Pipeline]:
    pipeline = Pipeline(memory=None, to="none", memory_budget=budget)
    results = [
        (r.id, r.clean, [(d["unit"], d["duplicate_of"], d["kind"]) for d in r.duplicates])
        for r in pipeline.run(documents(1500))
    ]
    return results, pipeline


def test_a_tiny_budget_finds_the_same_duplicates() -> None:
    in_memory, unbounded = _run("none")
    spilled, bounded = _run("1M")
    deduper = bounded._deduper.deduper
    assert deduper is not None and deduper.spill.spills >= 5  # it really went to disk
    assert unbounded._deduper.deduper is not None
    assert unbounded._deduper.deduper.spill.spills == 0
    kinds = unbounded.report.duplicate_kinds
    assert {"exact", "near", "figures-differ", "cross-lingual"} <= set(kinds)
    assert spilled == in_memory
    assert bounded.report.counts() == unbounded.report.counts()


def test_tables_and_postings_read_back_what_was_written_across_spills() -> None:
    spill = Spill(1 << 20)
    table, postings = spill.table("t"), spill.postings("p")
    expected: dict[object, object] = {}
    lists: dict[object, list[int]] = {}
    rng = random.Random(3)
    for n in range(40_000):
        key = rng.randrange(5000) if n % 2 else (True, f"k{rng.randrange(500)}")
        table[key] = (n, "值" * (n % 7))
        expected[key] = (n, "值" * (n % 7))
        postings.append(key, n)
        lists.setdefault(key, []).append(n)
    assert spill.spills >= 2
    for key, value in expected.items():
        assert table[key] == value and key in table
        assert postings.get(key) == lists[key]
        assert postings.get(key, last=3) == lists[key][-3:]
    assert table.get("never written") is None and "never written" not in table
    assert postings.get(-1) == []
    assert table.setdefault(next(iter(expected)), "new") == next(iter(expected.values()))


def test_the_budget_option() -> None:
    assert memory_budget("512M") == 512 << 20 and memory_budget("2g") == 2 << 30
    assert memory_budget("none") is None
    for bad in ("lots", "12X", "10K"):
        with pytest.raises(ConfigError):
            memory_budget(bad)
    cli = [sys.executable, "-m", "bilingual", "dedupe", "--memory-budget", "lots", "-"]
    done = subprocess.run(cli, input="a\n", capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "memory budget" in done.stderr
