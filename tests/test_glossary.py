from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from bilingual import ConfigError, Entry, Glossary, GlossaryError
from bilingual.dictionary import pinyin
from bilingual.glossary import bundled_names, fix, lint, read_glossary, write_glossary
from bilingual.glossary.formats import parse_tbx, parse_tsv, tbx_text, tsv_text
from bilingual.glossary.mine import coverage, extract
from conftest import ROOT, case_data

BUNDLED = ["automotive", "battery-recycling", "nickel-stainless", "organisations"]
HEADER = "zh\ten\tstatus\tcase\tpreferred\tdomain\tnote\n"


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    return Glossary.load(*BUNDLED)


def _entries(path: Path) -> list[Entry]:
    return read_glossary(path)


def _strip_source(entries: list[Entry]) -> list[tuple]:
    return [(e.zh, e.en, e.status, e.case, e.preferred, e.domain, e.note) for e in entries]


def test_bundled_glossaries_are_big_and_clean(bundled: Glossary) -> None:
    assert list(bundled_names()) == BUNDLED
    assert len(bundled) >= 400
    assert not bundled.conflicts
    assert [f for f in lint(bundled.entries) if f.severity == "error"] == []
    assert all(e.note for e in bundled), "every entry says the usage it reflects"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_matching_cases(bundled: Glossary, lang: str) -> None:
    for case in case_data("glossary")[lang]:
        matches = bundled.match(case["text"], lang)
        other = "en" if lang == "zh" else "zh"
        got = [[m.text, getattr(m.entry, other)] for m in matches]
        assert got == case["expected"], case["label"]
        assert all(case["text"][m.start : m.end] == m.text for m in matches)


def test_preferred_rendering(bundled: Glossary) -> None:
    assert bundled.preferred("同比").en == "YoY"
    assert bundled.preferred("中国汽车工业协会").en == "CAAM"
    assert bundled.preferred("黑粉").en == "black mass"
    assert bundled.preferred("不存在") is None


def test_later_glossary_wins_and_reports(tmp_path: Path) -> None:
    ours = tmp_path / "ours.tsv"
    ours.write_text(HEADER + "黑粉\tblack mass powder\tapproved\tinsensitive\t\t\tours\n", "utf-8")
    combined = Glossary.load("battery-recycling", ours)
    assert combined.preferred("黑粉").en == "black mass powder"
    assert len(combined.conflicts) == 1
    assert (
        "ours.tsv:2" in combined.conflicts[0] and "replaces 'black mass'" in combined.conflicts[0]
    )
    assert [m.entry.en for m in combined.match("黑粉")] == ["black mass powder"]


def test_unknown_bundled_name() -> None:
    with pytest.raises(ConfigError, match=r"no bundled glossary named 'cars'.*write ./cars"):
        Glossary.load("cars")


def test_a_local_file_never_replaces_a_bundled_glossary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bare name is bundled; a file of that name in the working folder needs ./name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "automotive").write_text(HEADER + "黑粉\tmine\tapproved\tinsensitive\t\t\tx\n")
    assert Glossary.load("automotive").preferred("黑粉") is None
    assert Glossary.load("./automotive").preferred("黑粉").en == "mine"
    assert len(Glossary.load("bundled")) == len(Glossary.load(*BUNDLED))


@pytest.mark.parametrize("name", BUNDLED)
def test_tsv_tbx_round_trip_is_lossless(name: str, tmp_path: Path) -> None:
    entries = read_glossary(ROOT / "glossaries" / f"{name}.tsv")
    tbx = tmp_path / f"{name}.tbx"
    write_glossary(tbx, entries)
    assert _strip_source(read_glossary(tbx)) == _strip_source(entries)
    back = tmp_path / f"{name}.tsv"
    write_glossary(back, read_glossary(tbx))
    assert _strip_source(read_glossary(back)) == _strip_source(entries)


def test_tbx_structure_is_iso_30042_core() -> None:
    text = tbx_text([Entry("黑粉", "black mass", preferred=True, domain="battery", note="n")])
    for part in (
        "<martif",
        "<termEntry",
        '<langSet xml:lang="zh">',
        "<tig>",
        "<term>黑粉</term>",
        ">preferredTerm-admn-sts<",
        '<descrip type="subjectField">battery</descrip>',
    ):
        assert part in text


def test_csv_export_and_import(tmp_path: Path) -> None:
    entries = [
        Entry("黑粉", "black mass"),
        Entry("黑粉", "black powder", "forbidden"),
        Entry("GEM", "GEM", "do-not-translate"),
    ]
    path = tmp_path / "g.csv"
    assert write_glossary(path, entries) == 1  # forbidden cannot be said in CSV
    assert path.read_text("utf-8") == "黑粉,black mass\nGEM,GEM\n"
    assert [(e.zh, e.en) for e in read_glossary(path)] == [("黑粉", "black mass"), ("GEM", "GEM")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (HEADER + "黑粉\tblack mass\tapproved\n", r"bad.tsv:2: 3 columns, the header has 7"),
        (HEADER + "黑粉\tblack mass\tbogus\tinsensitive\t\t\t\n", r"bad.tsv:2: status 'bogus'"),
        (HEADER + "黑粉\tblack mass\tapproved\tupper\t\t\t\n", r"bad.tsv:2: case 'upper'"),
        ("# only a comment\n", r"bad.tsv: empty glossary: no header line"),
        ("", r"bad.tsv: empty glossary"),
        (
            "zh\tenglish\n",
            r"bad.tsv:1: not a glossary: the first line that is not a comment must name",
        ),
    ],
)
def test_bad_tsv(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(content, "utf-8")
    with pytest.raises(GlossaryError, match=message):
        read_glossary(path)


def test_invalid_utf8_names_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_bytes(HEADER.encode() + "黑粉\tok\t\t\t\t\t\n".encode() + "镍".encode("gbk") + b"\n")
    with pytest.raises(GlossaryError, match=r"bad.tsv:3: not valid UTF-8"):
        read_glossary(path)


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaa">]><martif>&a;</martif>',
            "refused: the document type declaration has an internal subset",
        ),
        (b"<!DOCTYPE martif [<!ELEMENT martif ANY>]><martif/>", "internal subset"),
        (b'<?xml version="1.0"?><!DOCTYPE martif><martif>&lol;</martif>', "invalid XML"),
    ],
)
def test_tbx_with_internal_subsets_or_entities_is_refused(xml: bytes, message: str) -> None:
    with pytest.raises(GlossaryError, match=message):
        parse_tbx(xml, "evil.tbx")


def test_tbx_with_a_plain_doctype_is_read_and_the_dtd_is_not_fetched() -> None:
    """What translate-toolkit and Trados write: <!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">;
    the DTD's address cannot be fetched here (and must not be)."""
    tbx = tbx_text([Entry("黑粉", "black mass")]).replace(
        "<martif",
        '<!DOCTYPE martif SYSTEM "http://example.invalid/TBXcoreStructV02.dtd">\n<martif',
        1,
    )
    assert [(e.zh, e.en) for e in parse_tbx(tbx.encode(), "x.tbx")] == [("黑粉", "black mass")]


def test_malformed_tbx() -> None:
    with pytest.raises(GlossaryError, match=r"x.tbx:1: invalid XML"):
        parse_tbx(b"<martif><text>", "x.tbx")


LINT_FIXTURE = (
    HEADER
    + "\n".join(
        [
            "黑粉\tblack mass\tapproved\tinsensitive\t\tb\tok",  # 2
            "黑粉\tblack mass\tapproved\tinsensitive\t\tb\tdup",  # 3 duplicate
            "同比\tYoY\tapproved\tsensitive\t\ta\tx",  # 4
            "同比\tyear on year\tapproved\tinsensitive\t\ta\tx",  # 5 conflict (no preferred)
            " 镍铁 \tferronickel\tapproved\tinsensitive\t\tn\tx",  # 6 whitespace
            "锂\tＬＩＴＨＩＵＭ\tapproved\tinsensitive\t\tn\tx",  # 7 full-width
            "電池\tbattery\tapproved\tinsensitive\t\tn\tx",  # 8
            "电池\tbattery\tapproved\tinsensitive\t\tn\tx",  # 9 script twin (same en)
            "\tempty\tapproved\tinsensitive\t\tn\tx",  # 10 empty zh
        ]
    )
    + "\n"
)


def test_lint_findings_name_lines(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(LINT_FIXTURE, "utf-8")
    found = {(f.entry.line, f.code) for f in lint(_entries(path)) if f.severity == "error"}
    assert found == {
        (3, "duplicate"),
        (5, "conflict"),
        (6, "whitespace"),
        (7, "full-width"),
        (9, "script-twin"),
        (10, "empty-field"),
    }
    warnings = {(f.entry.line, f.code) for f in lint(_entries(path)) if f.severity == "warning"}
    assert (8, "same-english") in warnings  # 'battery' renders 電池 and 电池


def test_fix_applies_only_safe_fixes(tmp_path: Path) -> None:
    path = tmp_path / "g.tsv"
    path.write_text(LINT_FIXTURE, "utf-8")
    fixed, count = fix(_entries(path))
    assert count == 4
    remaining = {f.code for f in lint(fixed) if f.severity == "error"}
    assert remaining == {"conflict", "empty-field"}  # these need a person
    assert ("镍铁", "ferronickel") in [(e.zh, e.en) for e in fixed]
    assert ("锂", "LITHIUM") in [(e.zh, e.en) for e in fixed]


def test_shadowed_warning() -> None:
    entries = parse_tsv(HEADER + "汽车\tvehicle\t\t\t\t\tx\n新能源汽车\tNEV\t\t\t\t\tx\n", "g.tsv")
    shadowed = [f for f in lint(entries) if f.code == "shadowed"]
    assert [(f.entry.zh, f.severity) for f in shadowed] == [("汽车", "warning")]


def test_pinyin_sort_key() -> None:
    assert pinyin("汽车") == "qi4 che1"
    assert sorted(["镍", "汽车", "黑粉"], key=pinyin) == ["黑粉", "镍", "汽车"]


def test_coverage_finds_uncovered_terms(bundled: Glossary) -> None:
    texts = ["固态电池和钠离子电池都在发展，硅碳负极需求旺盛。"] * 3 + ["硅碳负极价格下跌。"]
    found = {c.zh: c for c in coverage(texts, bundled, min_count=2)}
    assert "硅碳" in found or "硅碳负极" in found
    assert "固态电池" not in found  # in the glossary
    top = next(iter(found.values()))
    assert top.count >= 3


def test_extract_finds_associated_pairs() -> None:
    pairs = [
        ("硅碳负极需求增长", "demand for silicon-carbon anodes grew"),
        ("硅碳负极价格下跌", "silicon-carbon anodes prices fell"),
        ("硅碳负极产能扩张", "silicon-carbon anodes capacity expands"),
        ("钠电池价格下跌", "sodium battery prices fell"),
        ("钠电池需求增长", "demand for sodium battery grew"),
        ("硫酸镍价格维持稳定", "nickel sulphate prices held steady"),
    ]
    found = {c.zh: c.en for c in extract(pairs, Glossary(), min_count=2)}
    assert found["硅碳"] == "silicon-carbon anodes" or found.get("负极") == "silicon-carbon anodes"
    assert found["价格"] == "prices"
    assert found["下跌"] in ("fell", "prices fell")


def test_tsv_text_refuses_tabs_in_fields() -> None:
    with pytest.raises(GlossaryError, match="tab or line break"):
        tsv_text([Entry("黑\t粉", "black mass")])


def test_wheel_ships_the_glossaries(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("bilingual_toolkit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in BUNDLED:
        assert f"bilingual/data/glossaries/{name}.tsv" in names
