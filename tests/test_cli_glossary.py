"""``bilingual glossary`` through the command line."""

from __future__ import annotations

from pathlib import Path

from bilingual.glossary import read_glossary
from conftest import ROOT, run_cli
from test_glossary import HEADER, LINT_FIXTURE


def test_lint_bundled_glossaries_passes() -> None:
    files = sorted(str(p) for p in (ROOT / "glossaries").glob("*.tsv"))
    result = run_cli("glossary", "lint", "-q", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_lint_errors_exit_1_and_fix(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text("# my terms\n" + LINT_FIXTURE, "utf-8")
    result = run_cli("glossary", "lint", str(path))
    assert result.returncode == 1
    assert f"{path}:4: error: duplicate: same as {path}:3 (fixable with --fix)" in result.stdout
    assert f"{path}:6: error: conflict:" in result.stdout
    fixed = run_cli("glossary", "lint", "--fix", str(path))
    assert fixed.returncode == 1  # a conflict and an empty field need a person
    assert "fixed 4 finding(s)" in fixed.stderr
    assert path.read_text("utf-8").startswith("# my terms\nzh\ten\t")  # comments kept
    assert "duplicate" not in fixed.stdout


def test_lint_parse_error_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "黑粉\tblack mass\n", "utf-8")
    result = run_cli("glossary", "lint", str(path))
    assert result.returncode == 1
    assert f"{path}:2: error: parse: 2 columns, the header has 7" in result.stdout


def test_add_remove_sort(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    assert run_cli("glossary", "add", str(path), "镍", "nickel", "--note", "metal").returncode == 0
    assert run_cli("glossary", "add", str(path), "黑粉", "black mass").returncode == 0
    refused = run_cli("glossary", "add", str(path), "黑粉", "black mass")
    assert refused.returncode == 2
    assert "duplicate" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert run_cli("glossary", "sort", str(path)).returncode == 0
    assert [e.zh for e in read_glossary(path)] == ["黑粉", "镍"]  # hei before nie
    assert run_cli("glossary", "sort", str(path), "--by", "en").returncode == 0
    assert [e.en for e in read_glossary(path)] == ["black mass", "nickel"]
    assert run_cli("glossary", "remove", str(path), "镍").returncode == 0
    assert [e.zh for e in read_glossary(path)] == ["黑粉"]
    missing = run_cli("glossary", "remove", str(path), "镍")
    assert missing.returncode == 2 and "no entry for '镍'" in missing.stderr


def test_merge_reports_conflicts(tmp_path: Path) -> None:
    a, b, out = tmp_path / "a.tsv", tmp_path / "b.tsv", tmp_path / "c.tsv"
    a.write_text(HEADER + "黑粉\tblack mass\t\t\t\t\tx\n镍\tnickel\t\t\t\t\tx\n", "utf-8")
    b.write_text(HEADER + "黑粉\tblack powder mix\t\t\t\t\ty\n镍\tnickel\t\t\t\t\tx\n", "utf-8")
    result = run_cli("glossary", "merge", str(a), str(b), "-o", str(out))
    assert result.returncode == 1
    assert "conflict: 黑粉 has 2 approved renderings" in result.stdout
    assert [(e.zh, e.en) for e in read_glossary(out)] == [
        ("黑粉", "black mass"),
        ("镍", "nickel"),
        ("黑粉", "black powder mix"),
    ]


def test_convert_round_trip_and_bad_tbx(tmp_path: Path) -> None:
    tbx, back = tmp_path / "a.tbx", tmp_path / "a.tsv"
    assert (
        run_cli(
            "glossary", "convert", str(ROOT / "glossaries" / "organisations.tsv"), str(tbx)
        ).returncode
        == 0
    )
    assert run_cli("glossary", "convert", str(tbx), str(back)).returncode == 0
    original = read_glossary(ROOT / "glossaries" / "organisations.tsv")
    assert [(e.zh, e.en, e.status) for e in read_glossary(back)] == [
        (e.zh, e.en, e.status) for e in original
    ]
    evil = tmp_path / "evil.tbx"
    evil.write_text('<!DOCTYPE m [<!ENTITY a "x">]><martif>&a;</martif>', "utf-8")
    target = tmp_path / "never.tsv"
    result = run_cli("glossary", "convert", str(evil), str(target))
    assert result.returncode == 2
    assert result.stderr == (
        f"bilingual: error: {evil}: refused: the document type declaration has an internal subset\n"
    )
    assert not target.exists()


def test_stats_by_name() -> None:
    result = run_cli("glossary", "stats", "automotive", "organisations")
    assert result.returncode == 0
    assert "approved" in result.stdout and "do-not-translate" in result.stdout
    assert "entries: " in result.stdout


def test_coverage_and_extract_write_reviewable_tsv(tmp_path: Path) -> None:
    corpus = tmp_path / "news.txt"
    corpus.write_text("硅碳负极需求旺盛。硅碳负极价格上涨。黑粉供应偏紧。\n" * 2, "utf-8")
    out = tmp_path / "missing.tsv"
    result = run_cli("glossary", "coverage", str(corpus), "-o", str(out))
    assert result.returncode == 0, result.stderr
    found = read_glossary(out)
    assert "黑粉" not in {e.zh for e in found}
    assert any(e.zh.startswith("硅碳") and "frequency 4" in e.note for e in found)
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "硅碳负极需求旺盛\tstrong silicon-carbon anode demand\n"
        "硅碳负极价格上涨\tsilicon-carbon anode prices rose\n",
        "utf-8",
    )
    extracted = run_cli("glossary", "extract", str(pairs), "--min-count", "2")
    assert extracted.returncode == 0, extracted.stderr
    assert "硅碳\tsilicon-carbon anode" in extracted.stdout
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", "utf-8")
    failed = run_cli("glossary", "extract", str(bad))
    assert failed.returncode == 2
    assert failed.stderr == f"bilingual: error: {bad}:1: expected zh<TAB>en\n"


def test_every_glossary_command_has_an_example() -> None:
    for command in (
        "lint",
        "add",
        "remove",
        "sort",
        "merge",
        "convert",
        "stats",
        "coverage",
        "extract",
    ):
        result = run_cli("glossary", command, "--help")
        assert f"bilingual glossary {command}" in result.stdout.split("Example")[1], command
