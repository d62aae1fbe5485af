"""The review page's API (``bilingual serve --review``) over a real run of the example page:
what it shows, and what it writes (the memory, a glossary file), with a rerun using it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from bilingual.translate import Memory
from bilingual.translate.memory import HUMAN
from conftest import EXAMPLE

TAIWAN = "台灣的電池回收業者也正在評估進入歐洲市場。"
TAIWAN_EN = "Taiwanese battery recyclers are also weighing an entry into Europe."


def bilingual(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bilingual", *args],
        cwd=cwd,
        env={"BILINGUAL_HOME": str(home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


@pytest.fixture
def reviewed(tmp_path: Path, serve: Any) -> tuple[Any, Path]:
    """A run of the example page, and a server reviewing it (the same memory, a glossary
    file for new terms)."""
    home = tmp_path / "home"
    bilingual(
        "run", str(EXAMPLE), "--format", "jsonl", "-o", "result.jsonl",
        "--report", "report.json", "--memory", "tm.sqlite", "-q", cwd=tmp_path, home=home,
    )  # fmt: skip
    (tmp_path / "terms.tsv").write_text(
        "# our terms\nzh\ten\tstatus\n黑粉\tblack mass\tapproved\n", encoding="utf-8"
    )
    server = serve(
        "--review", "result.jsonl", "--report", "report.json", "--memory", "tm.sqlite",
        "-g", "bundled", "-g", "./terms.tsv", home=home, cwd=tmp_path,
    )  # fmt: skip
    return server, tmp_path


def _client(server: Any) -> httpx.Client:
    return httpx.Client(base_url=server.url, trust_env=False, timeout=60)


def test_the_page_shows_terms_issues_and_duplicates(reviewed: tuple[Any, Path]) -> None:
    server, _ = reviewed
    with _client(server) as client:
        page = client.get("/review")
        assert page.status_code == 200 and "/review/static/review.js" in page.text
        assert "http" not in page.text.replace(server.url, "")  # no CDN: nothing from elsewhere
        assert (
            client.get("/review/static/review.js")
            .headers["content-type"]
            .startswith("text/javascript")
        )
        index = client.get("/review/api/index").json()
        doc = client.get("/review/api/documents/0").json()
    assert index["documents"][0]["sentences"] == 7
    assert index["glossaries"] == ["terms.tsv"]
    assert index["report"]["issues_by_kind"] == {"term-missing": 2, "untranslated": 1}

    def text(mark: dict[str, Any]) -> str:
        side = doc["source"] if mark["side"] == "source" else doc["target"]
        return side[mark["start"] : mark["end"]]

    terms = {(m["side"], text(m)) for m in doc["marks"] if m["kind"] == "term"}
    assert {("source", "三元前驱体"), ("target", "NCM precursor")} <= terms
    assert ("target", "import value") in terms
    issues = {
        (m["side"], text(m), m["title"].split(":")[0]) for m in doc["marks"] if m["kind"] == "issue"
    }
    untranslated = [t for side, t, kind in issues if side == "source" and kind == "untranslated"]
    assert [t.rstrip("。") for t in untranslated] == ["台灣的電池回收業者也正在評估進入歐洲市場"]
    assert ("source", "電池回收", "term-missing") in issues  # the term, in its Traditional form
    (taiwan,) = [s for s in doc["sentences"] if s["issues"]]
    assert doc["source"][slice(*taiwan["source"])] == TAIWAN
    rows = {row["unit"]: row for row in doc["rows"]}
    assert rows["0#3"]["removed"] and rows["0#3"]["of"] == "0#2" and rows["0#3"]["paraphrase"]
    kept = rows["0#2"]
    assert doc["source"][slice(*kept["source"])].startswith("On 3 February 2026, GEM")
    assert doc["target"][slice(*kept["target"])].startswith("On 3 February 2026, GEM")
    summary = rows["0#20"]
    assert doc["target"][slice(*summary["target"])].startswith("According to customs data")
    assert summary["summary_of"][0]["of"] == "0#14"


def test_an_accepted_edit_goes_to_the_memory_and_a_rerun_uses_it(
    reviewed: tuple[Any, Path],
) -> None:
    server, folder = reviewed
    with _client(server) as client:
        doc = client.get("/review/api/documents/0").json()
        n = next(s["n"] for s in doc["sentences"] if s["issues"])
        saved = client.post(
            "/review/api/accept", json={"document": 0, "sentence": n, "translation": TAIWAN_EN}
        )
        assert saved.status_code == 200, saved.text
        after = saved.json()
    sentence = after["sentences"][n]
    assert sentence["how"] == "human"
    assert after["target"][slice(*sentence["target"])] == TAIWAN_EN
    europe = [m for m in after["marks"] if m["side"] == "target" and m["kind"] == "term"]
    assert any(after["target"][m["start"] : m["end"]] == "Europe" for m in europe)
    memory = Memory(folder / "tm.sqlite")
    assert memory.get_many(
        [TAIWAN], engine=HUMAN, glossary="", source_lang="zh", target_lang="en"
    ) == {TAIWAN: TAIWAN_EN}
    memory.close()
    rerun = bilingual(
        "run", str(EXAMPLE), "--format", "jsonl", "--memory", "tm.sqlite", "-q",
        cwd=folder, home=folder / "home",
    )  # fmt: skip
    record = json.loads(rerun.stdout)
    assert TAIWAN_EN in record["text_en"]
    assert not any(i.startswith("untranslated") for i in record["issues"])


def test_a_term_is_added_only_if_the_glossary_still_lints(reviewed: tuple[Any, Path]) -> None:
    server, folder = reviewed
    glossary = folder / "terms.tsv"
    before = glossary.read_text(encoding="utf-8")
    with _client(server) as client:
        conflict = client.post(
            "/review/api/terms", json={"zh": "黑粉", "en": "black powder", "glossary": 0}
        )
        assert conflict.status_code == 400
        assert conflict.json()["findings"][0]["code"] == "conflict"
        assert glossary.read_text(encoding="utf-8") == before
        added = client.post(
            "/review/api/terms",
            json={"zh": "回收业者", "en": "recycler", "glossary": 0, "note": "from review"},
        )
        assert added.status_code == 201, added.text
        assert (
            client.post("/review/api/terms", json={"zh": "x", "en": "y", "glossary": 5}).status_code
            == 404
        )
        # the server translates with the new term at once
        used = client.post(
            "/translate", json={"q": "回收业者增加。", "source": "zh", "target": "en"}
        ).json()
    text = glossary.read_text(encoding="utf-8")
    assert text.startswith("# our terms\n") and "回收业者\trecycler\t" in text
    assert "recycler" in [t["target"] for t in used["terms"]]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ({"Content-Type": "application/json", "Origin": "http://evil.example"}, 403),
        ({"Content-Type": "application/json", "Host": "evil.example"}, 403),
    ],
    ids=["form", "other origin", "rebound name"],
)
def test_writes_come_from_the_page_only(
    reviewed: tuple[Any, Path], headers: dict[str, str], status: int
) -> None:
    server, folder = reviewed
    body = json.dumps({"document": 0, "sentence": 0, "translation": "x"})
    with _client(server) as client:
        response = client.post("/review/api/accept", content=body, headers=headers)
        assert response.status_code == status
        preflight = client.options("/review/api/accept")
    assert "access-control-allow-origin" not in preflight.headers
    memory = Memory(folder / "tm.sqlite")
    assert not [u for u in memory.units() if u.engine == HUMAN]
    memory.close()
