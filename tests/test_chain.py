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
from bilingual.numbers import guard
from conftest import EXAMPLE, ROOT, case_data, run_cli

HAN = re.compile(r"[\u3400-\u9fff]")


def _report(path: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return result


def test_the_seed_page_needs_no_fallback(
    seed_text: str, libretranslate: Any, tmp_path: Path
) -> None:
    """Every Chinese sentence of the seed page is a statistics sentence: with a fallback
    configured, the output is the reviewed one and the fallback gets no request."""
    page = tmp_path / "seed.txt"
    page.write_text(seed_text, encoding="utf-8")
    report = tmp_path / "report.json"
    result = run_cli(
        "run", str(page), "--fallback", "libretranslate", "--url", libretranslate.url,
        "--memory", "none", "--report", str(report),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "tests" / "golden" / "seed.en.txt").read_text(encoding="utf-8")
    assert _report(report)["translations_by_engine"] == {"statistics": 4}
    assert _report(report)["engine_usage"] == {}


def test_the_example_page_sends_only_the_rest(libretranslate: Any, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = run_cli(
        "run", str(EXAMPLE), "--fallback", "libretranslate", "--url", libretranslate.url,
        "--memory", "none", "--report", str(report),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "30,000 complete vehicles were imported" in result.stdout  # statistics, exact
    assert not HAN.search(result.stdout)  # the Traditional sentence went to LibreTranslate
    counts = _report(report)
    assert counts["untranslated"] == []
    assert counts["engine_usage"]["libretranslate.requests"] == 1
    assert "libretranslate: 1 requests" in result.stderr


def test_news_sentences_leave_no_chinese_and_keep_statistics_exact(tiny_installed: Path) -> None:
    """auto with an Argos model installed: statistics first (no longer switched off by the
    model), the tiny Argos model for the rest."""
    cases = case_data("news_sentences")["cases"]
    results = bilingual.translate([c["zh"] for c in cases], memory=None, beam_size=1)
    engines = {r.engine for r in results}
    assert engines <= {"statistics", "argos", "statistics,argos"} and "statistics" in engines
    for case, result in zip(cases, results, strict=True):
        assert not HAN.search(result.text), (case["label"], result.text)
        if result.engine == "statistics":
            assert not guard(case["zh"], "zh", result.text, "en"), case["label"]
    # The chain keeps exactly the sentences the statistics engine covers on its own.
    alone = bilingual.translate([c["zh"] for c in cases], engine="statistics", memory=None)
    covered = {c["label"] for c, r in zip(cases, alone, strict=True) if not HAN.search(r.text)}
    kept = {c["label"] for c, r in zip(cases, results, strict=True) if r.engine == "statistics"}
    assert kept == covered and covered


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
