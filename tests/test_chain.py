"""The hybrid chain ``--engine auto``: memory → the statistics engine for the sentences it
covers → the fallback for the rest, on the seed page, the example page and our 100 news
sentences (tests/cases/news_sentences.json)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import bilingual
from bilingual.numbers import guard, quantities
from conftest import EXAMPLE, ROOT, case_data, run_cli

HAN = re.compile(r"[\u3400-\u9fff]")


def _run_with_fallback(page: Path, server: Any, tmp_path: Path) -> tuple[Any, dict[str, Any]]:
    """``bilingual run PAGE`` with LibreTranslate as the fallback: the result and report."""
    report = tmp_path / "report.json"
    result = run_cli(
        "run", str(page), "--fallback", "libretranslate", "--url", server.url,
        "--memory", "none", "--report", str(report),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result, json.loads(report.read_text(encoding="utf-8"))


def test_the_seed_page_needs_no_fallback(
    seed_text: str, libretranslate: Any, tmp_path: Path
) -> None:
    """Every Chinese sentence of the seed page is a statistics sentence: with a fallback
    configured, the output is the reviewed one and the fallback gets no request."""
    page = tmp_path / "seed.txt"
    page.write_text(seed_text, encoding="utf-8")
    result, counts = _run_with_fallback(page, libretranslate, tmp_path)
    assert result.stdout == (ROOT / "tests" / "golden" / "seed.en.txt").read_text(encoding="utf-8")
    assert counts["translations_by_engine"] == {"statistics": 4}
    assert counts["engine_usage"] == {}


def test_the_example_page_sends_only_the_rest(libretranslate: Any, tmp_path: Path) -> None:
    result, counts = _run_with_fallback(EXAMPLE, libretranslate, tmp_path)
    assert "30,000 complete vehicles were imported" in result.stdout  # statistics, exact
    assert not HAN.search(result.stdout)  # the Traditional sentence went to LibreTranslate
    assert counts["untranslated"] == []
    assert counts["engine_usage"]["libretranslate.requests"] == 1
    assert "libretranslate: 1 request," in result.stderr


def test_news_sentences_keep_every_covered_figure_exact(tiny_installed: Path) -> None:
    """auto with an Argos model installed: statistics first (no longer switched off by the
    model), the tiny Argos model for the clauses it leaves. Every figure of a covered
    clause is in the output; Chinese left anywhere is reported."""
    from bilingual.translate.engines.statistics import StatisticsEngine

    cases = case_data("news_sentences")["cases"]
    glossary = bilingual.Glossary.load("bundled")
    results = bilingual.translate([c["zh"] for c in cases], memory=None, beam_size=1)
    statistics = StatisticsEngine()
    engines = {r.engine for r in results}
    assert {"statistics", "argos", "statistics,argos"} == engines
    partial = 0
    for case, result in zip(cases, results, strict=True):
        clauses = statistics.clauses(case["zh"], glossary)
        covered = [c for c in clauses if c.english]
        if len(covered) == len(clauses):
            assert result.engine == "statistics", case["label"]
            assert not guard(case["zh"], "zh", result.text, "en"), case["label"]
        partial += 0 < len(covered) < len(clauses)
        for clause in covered:
            left = quantities(clause.text, "zh") - quantities(result.text, "en")
            assert not left, (case["label"], clause.text, result.text)
        untranslated = any(i.kind == "untranslated" for i in result.issues)
        assert untranslated == bool(HAN.search(result.text)), case["label"]
    assert partial  # clause-level: covered clauses kept, the rest to argos


def test_only_the_clauses_statistics_leaves_go_to_the_fallback(libretranslate: Any) -> None:
    options = {"engine": "auto", "fallback": "libretranslate", "url": libretranslate.url}
    (result,) = bilingual.translate(
        "受需求影响，汽车出口3.0万辆，同比下降5%。", glossary=None, memory=None, **options
    )
    assert result.engine == "statistics,libretranslate"
    assert result.usage["libretranslate.characters"] == len("受需求影响")
    assert result.text.endswith(", 30,000 vehicles were exported, down 5% YoY.")
    assert not [i for i in result.issues if i.kind.startswith("number")]


def test_memory_answers_before_the_chain(tiny_installed: Path, tmp_path: Path) -> None:
    memory = str(tmp_path / "tm.sqlite")
    text = "2025年，汽车整车进口47.6万辆，同比下降32.4%。分析人士认为供应偏紧。"
    (first,) = bilingual.translate(text, memory=memory, beam_size=1)
    (again,) = bilingual.translate(text, memory=memory, beam_size=1)
    assert first.engine == "statistics,argos" and again.text == first.text
    assert again.memory_hits == 2


def test_a_fallback_needs_the_chain() -> None:
    result = run_cli("translate", "--engine", "argos", "--fallback", "openai", input="进口。")
    assert result.returncode == 2
    assert result.stderr == (
        "bilingual: error: --fallback openai follows the statistics engine: use --engine "
        "auto, not argos\n"
    )


def test_the_chain_from_bilingual_toml(
    libretranslate: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bilingual.toml").write_text(
        f'engine = "auto"\nfallback = "libretranslate"\nurl = "{libretranslate.url}"\n'
        'memory = "none"\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("translate", "-q", input="分析人士认为供应偏紧。\n")
    assert result.returncode == 0, result.stderr
    assert not HAN.search(result.stdout)


def test_the_readme_configurations_are_valid(tmp_path: Path) -> None:
    """Every bilingual.toml of the README is read and checked like a real one."""
    from bilingual.config import load_config
    from bilingual.options import PipelineOptions

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)
    assert len(blocks) >= 5
    for n, block in enumerate(blocks):
        path = tmp_path / f"{n}.toml"
        path.write_text(block, encoding="utf-8")
        values, _ = load_config(path)
        PipelineOptions(**values)


def test_cleaning_only_needs_no_fallback_or_gpu() -> None:
    """With --to none the statistics engine only serves deduplication: a configured
    fallback or device is not loaded."""
    pipeline = bilingual.Pipeline(to="none", fallback="openai", device="cuda", memory="none")
    (result,) = pipeline.run(["进口下降。"])
    assert result.text == "进口下降。" and result.translation is None
