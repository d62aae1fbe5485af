from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bilingual import ConfigError, dedupe
from bilingual.dedupe import Deduper
from bilingual.dedupe.features import canonical, lsh_bands, numbers, shingles
from conftest import load_cases, run_cli

HEADLINE = "CAAM: In 2025, 476,000 complete vehicles were imported, down 32.4% YoY.\n"
CAAM = "2025年，汽车整车进口47.6万辆，同比下降32.4%；进口金额236.4亿美元，同比下降39.7%。\n"


def test_seed_page(seed_text: str) -> None:
    result = dedupe([seed_text])
    assert result.reproduce() == [seed_text]
    headline = [u.index for u in result.units if u.text == HEADLINE]
    assert len(headline) == 4
    exact = {d.index: d.of for d in result.duplicates if d.kind == "exact"}
    assert [exact.get(i) for i in headline[1:]] == [headline[0]] * 3
    (summary,) = [d for d in result.duplicates if d.kind == "cross-lingual"]
    assert summary.summary and summary.of == headline[0]
    assert "海关总署" in result.units[summary.index].text
    assert summary.index not in result.removed  # reported, kept
    assert len(result.kept) == len(result.units) - len(result.removed)
    (paraphrase,) = [d for d in result.duplicates if d.paraphrase]
    assert result.units[paraphrase.index].text.startswith("On 17 September 2025, an announ")
    assert result.units[paraphrase.of].text.startswith("On September 17, 2025, an announ")


def test_exact_ignores_case_space_punctuation() -> None:
    result = dedupe(["GEM signed a memorandum.\n", "gem  signed a memorandum\n", "Other.\n"])
    assert [(d.index, d.of, d.kind) for d in result.duplicates] == [(1, 0, "exact")]


def test_near_with_canonical_dates() -> None:
    a = "On September 17, 2025, GEM signed a memorandum with U.S. firm AE to explore Europe."
    b = "On 17 September 2025, GEM signed a memorandum with US firm AE to explore Europe now."
    (dup,) = dedupe([a, b], level="document").duplicates
    assert dup.kind == "near" and dup.score >= 0.8


def _known_miss(case: pytest.param) -> pytest.param:
    """Cases the paraphrase check is known to get wrong stay in the file, as strict xfails."""
    (data,) = case.values
    if reason := data.get("known_miss"):
        return pytest.param(data, id=case.id, marks=pytest.mark.xfail(reason=reason, strict=True))
    return case


@pytest.mark.parametrize("case", [_known_miss(c) for c in load_cases("paraphrase")])
def test_paraphrase(case: dict[str, str | bool]) -> None:
    found = dedupe([case["a"], case["b"]], level="document").duplicates
    assert [(d.kind, d.paraphrase) for d in found] == ([("near", True)] if case["same"] else [])
    assert not dedupe([case["a"], case["b"]], level="document", paraphrase=None).duplicates


def _figures_differ(items: list[str], **options: Any) -> list[tuple[str, ...]]:
    """The differing figures of each pair found: every one reported, none removed."""
    result = dedupe(items, level="document", **options)
    assert not result.removed
    assert all(d.kind == "figures-differ" for d in result.duplicates)
    return [d.figures[0] + d.figures[1] for d in result.duplicates if d.figures]


def test_figures_differ_never_merge() -> None:
    months = [
        "9月，进口金额140.3亿美元，环比增长34.2%。",
        "10月，进口金额140.3亿美元，环比增长34.2%。",
    ]
    assert _figures_differ(months) == [("m10", "m9")]
    quarters = [
        "In Q1, commercial vehicle sales were 980,000 units.",
        "In Q2, commercial vehicle sales were 980,000 units.",
    ]
    assert _figures_differ(quarters) == [("q2", "q1")]
    a = "2025年12月，汽车整车进口3.0万辆，环比下降30.4%，同比下降56.1%。"
    b = "2025年12月，汽车整车进口3.2万辆，环比下降30.4%，同比下降56.1%。"
    c = "In December, 30,000 complete vehicles were imported, down 30.4% MoM and 56.1% YoY."
    d = "In December, 32,000 complete vehicles were imported, down 30.4% MoM and 56.1% YoY."
    assert _figures_differ([a, b]) == [("32000", "30000")]
    assert _figures_differ([c, d], cross_lingual=False) == [("32000", "30000")]
    # a template filled with another month and another amount is not reported
    e = "2025年11月，汽车整车进口4.3万辆，环比下降30.4%，同比下降56.1%。"
    assert _figures_differ([a, e]) == []


def test_cross_lingual_full_and_summary() -> None:
    english = (
        "In 2025, 476,000 complete vehicles were imported, down 32.4% YoY; import value "
        "was US$23.64 billion, down 39.7% YoY."
    )
    (full,) = dedupe([CAAM, english], level="document").duplicates
    assert full.kind == "cross-lingual" and not full.summary
    (summary,) = dedupe([CAAM, HEADLINE], level="document").duplicates
    assert summary.summary
    assert dedupe([CAAM, english], level="document", cross_lingual=False).duplicates == []


def test_cross_lingual_without_figures_uses_dictionary_glosses() -> None:
    (dup,) = dedupe(["图书馆在学校里边。", "The library is inside the school."]).duplicates
    assert dup.kind == "cross-lingual"
    assert dedupe(["图书馆在学校里边。", "I like drinking green tea."]).duplicates == []


def test_short_and_empty_items_do_not_collide() -> None:
    items = ["a", "b", "", "  ", "c", "1", "2", "好", "坏"]
    assert dedupe(items, level="document").duplicates == []


def test_dict_items_and_duplicate_ids() -> None:
    items = [
        {"id": "x", "body": "Black mass prices rose."},
        {"id": "x", "body": "black mass prices rose"},
    ]
    result = dedupe(items, level="document", field_name="body", id_field="id")
    assert [u.id for u in result.units] == ["x", "x~1"]
    assert result.duplicates[0].to_dict(result.units)["duplicate_of"] == "x"
    with pytest.raises(Exception, match="no string field 'body'"):
        dedupe([{"id": 1}], field_name="body")


def test_ten_megabyte_item() -> None:
    big = "Black mass prices rose 3% this week. " * 300_000
    result = dedupe([big, big], level="document")
    assert [(d.index, d.of, d.kind) for d in result.duplicates] == [(1, 0, "exact")]


def test_building_blocks() -> None:
    assert canonical("GEM, U.S. — 17 September 2025!") == canonical("gem us september 17, 2025")
    assert numbers("进口47.6万辆，增长3%") == numbers("476,000 units, up 3%")
    assert {"汽车", "#476000"} <= shingles("汽车进口47.6万辆")
    figures = numbers("In Q1, NCM811 rose 3.5%; 第一季度 第一")
    assert figures.labels == ("ncm811", "第一") and figures.dates == ("q1",)
    assert figures.quantities == ("3.5|%",)
    bands, rows = lsh_bands(0.8, 128)
    assert bands * rows <= 128 and 1 < bands < 128
    with pytest.raises(ConfigError, match="threshold"):
        Deduper(threshold=0)


def test_cli_streams_jsonl_and_reports(tmp_path: Path) -> None:
    lines = [
        {"url": "a", "text": HEADLINE},
        {"url": "b", "text": HEADLINE.lower()},
        {"url": "c", "text": CAAM},
        {"url": "d", "text": "Unrelated news.\n"},
    ]
    data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
    report = tmp_path / "dups.jsonl"
    result = run_cli(
        "dedupe",
        "--jsonl",
        "--id-field",
        "url",
        "--level",
        "document",
        "--report",
        str(report),
        input=data,
    )
    assert result.returncode == 0, result.stderr
    out = [json.loads(x) for x in result.stdout.splitlines()]
    assert out[1]["text"] == "" and out[1]["duplicates"][0]["duplicate_of"] == "a"
    assert out[2]["duplicates"][0]["summary"] is True and out[2]["text"] == CAAM
    reported = json.loads(report.read_text())
    assert [(r["unit"], r["kind"]) for r in reported["duplicates"]] == [
        ("b", "exact"),
        ("c", "cross-lingual"),
    ]
    assert reported["duplicates_by_kind"] == {"exact": 1, "summary": 1}
    assert "duplicates: 1 exact, 1 summary" in result.stderr
    marked = run_cli("dedupe", "--jsonl", "--level", "document", "--mark", input=data)
    assert json.loads(marked.stdout.splitlines()[1])["text"] == HEADLINE.lower()


def test_cli_text_file_drops_repeated_paragraphs(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("Headline one\nRead More\nHeadline one\nRead More\n", encoding="utf-8")
    result = run_cli("dedupe", str(page))
    assert result.stdout == "Headline one\nRead More\n"
    assert "duplicates: 2 exact" in result.stderr


def test_cli_paraphrase_option(tmp_path: Path) -> None:
    (case,) = [c.values[0] for c in load_cases("paraphrase") if c.id == "seed-opening"]
    page = tmp_path / "page.txt"
    page.write_text(f"{case['a']}\n\n{case['b']}\n", encoding="utf-8")
    found = run_cli("dedupe", str(page))
    assert found.stdout == f"{case['a']}\n\n" and "duplicates: 1 near" in found.stderr
    off = run_cli("dedupe", str(page), "--paraphrase", "0")
    assert off.stdout == page.read_text(encoding="utf-8")
