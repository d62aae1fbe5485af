"""The review page in a real browser: Playwright driving Debian's chromium (headless, no
network but the server on 127.0.0.1). Screenshots of each step are kept in the test's
folder (pytest's tmp_path) to look at."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual.translate import Memory
from bilingual.translate.memory import HUMAN
from test_review import TAIWAN
from test_review import reviewed as reviewed  # the fixture

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {CHROMIUM} (.ci/run installs Debian's chromium)")
        pytest.skip(f"no {CHROMIUM} here (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, reviewed: tuple[Any, Path]) -> Iterator[Any]:
    server, _ = reviewed
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server.url) else elsewhere.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    refused = "the server responded with a status of 400"  # the conflicting term, below
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and refused not in m.text else None,
    )
    yield page
    context.close()
    assert elsewhere == []  # no CDN, nothing but this server
    assert errors == []


def test_review_in_a_browser(
    page: Any,
    reviewed: tuple[Any, Path],
    tmp_path: Path,
) -> None:
    server, folder = reviewed
    shots = tmp_path / "screenshots"
    shots.mkdir()
    page.goto(server.url + "/review")
    page.wait_for_selector(".row .s")
    page.screenshot(path=shots / "1-opened.png")

    # glossary terms highlighted with their approved rendering, on both sides
    term = page.locator('.term[title="glossary: 三元前驱体 → NCM precursor"]')
    assert term.count() == 2
    assert sorted(term.all_inner_texts()) == ["NCM precursor", "三元前驱体"]
    # issues marked where they are: the untranslated Traditional sentence, its lost terms
    assert page.locator('.issue[title*="untranslated"]').first.inner_text().startswith("台灣")
    assert page.locator(
        '[data-side="source"].issue[title*="term-missing: 电池回收"]'
    ).inner_text() == ("電池回收")
    assert page.locator(".badge", has_text="untranslated").count() == 1
    # duplicates removed, linked to the paragraph kept
    removed = page.locator(".row.removed")
    assert removed.count() == 9
    removed.first.locator("a").click()
    page.wait_for_selector("#u-0-2.flash")
    assert page.locator("#u-0-2").inner_text().startswith("¶ 2")

    # keyboard: n goes to the sentence with issues, e edits it, Ctrl+Enter saves
    page.locator("main").focus()
    page.keyboard.press("n")
    current = page.locator('.s.current[data-side="source"]')
    assert "".join(current.all_inner_texts()) == TAIWAN
    page.screenshot(path=shots / "2-issue.png")
    page.keyboard.press("e")
    box = page.locator("textarea.edit")
    box.fill("Taiwan's battery recyclers are also looking at Europe.")
    page.screenshot(path=shots / "3-editing.png")
    box.press("Control+Enter")
    page.wait_for_selector("#status.ok")
    assert "kept in the memory" in page.locator("#status").inner_text()
    assert page.locator(".badge.human").count() == 1
    target = page.locator('.s.how-human[data-side="target"]')
    assert (
        "".join(target.all_inner_texts())
        == "Taiwan's battery recyclers are also looking at Europe."
    )
    page.screenshot(path=shots / "4-saved.png")
    memory = Memory(folder / "tm.sqlite")
    found = memory.get_many([TAIWAN], engine=HUMAN, glossary="", source_lang="zh", target_lang="en")
    memory.close()
    assert found == {TAIWAN: "Taiwan's battery recyclers are also looking at Europe."}

    # a term from a selection: select 业者 in the source, t, fill in English, add
    page.evaluate(
        """() => {
        const node = [...document.querySelectorAll('[data-side="source"]')]
            .find((n) => n.textContent.includes("業者"));
        const at = node.firstChild.textContent.indexOf("業者");
        const range = document.createRange();
        range.setStart(node.firstChild, at);
        range.setEnd(node.firstChild, at + 2);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
    }"""
    )
    page.keyboard.press("t")
    assert page.locator("#term-zh").input_value() == "業者"
    page.locator("#term-zh").fill("业者")
    page.locator("#term-en").fill("operators")
    page.screenshot(path=shots / "5-term.png")
    page.locator("#term-add").click()
    page.wait_for_selector("#status.ok:has-text('added')")
    assert page.locator("#term-dialog[open]").count() == 0
    assert "added 业者 → operators" in page.locator("#status").inner_text()
    assert "业者\toperators\t" in (folder / "terms.tsv").read_text(encoding="utf-8")
    # a conflicting term is refused in the dialog, and the file is left as it was
    page.keyboard.press("t")
    page.locator("#term-zh").fill("黑粉")
    page.locator("#term-en").fill("black powder")
    page.locator("#term-add").click()
    page.wait_for_selector("#term-error:has-text('conflict')")
    page.screenshot(path=shots / "6-refused.png")
    assert "black powder" not in (folder / "terms.tsv").read_text(encoding="utf-8")
    keep = os.environ.get("BILINGUAL_SCREENSHOTS")  # a folder to copy them to, to look at
    if keep:
        shutil.copytree(shots, keep, dirs_exist_ok=True)
