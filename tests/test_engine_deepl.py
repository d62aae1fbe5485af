"""The ``deepl`` engine: the official ``deepl`` client pointed (``server_url``) at a local
stand-in of DeepL's API (tests/servers/deepl_api.py; DeepL is a paid service with no
server to run). Glossaries synced once per fingerprint and reused, placeholders where a
pair has no glossaries, formality and context passed, 456 and 429 as one line."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bilingual import Glossary, translate
from bilingual.errors import ConfigError, EngineError
from conftest import run_cli
from servers.deepl_api import FakeDeepL

HEADER = "zh\ten\tstatus\tcase\tpreferred\tdomain\tnote\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDeepL]:
    fake = FakeDeepL().start()
    monkeypatch.setenv("DEEPL_AUTH_KEY", fake.auth_key)
    yield fake
    fake.stop()


@pytest.fixture
def terms(tmp_path: Path) -> Glossary:
    path = tmp_path / "terms.tsv"
    path.write_text(
        HEADER
        + "黑粉\tblack mass\tapproved\tinsensitive\t\tbattery\t\n"
        + "碳酸锂\tlithium carbonate\tapproved\tinsensitive\t\tbattery\t\n",
        encoding="utf-8",
    )
    return Glossary.load(str(path))


def _options(server: FakeDeepL, **more: Any) -> dict[str, Any]:
    return {"engine": "deepl", "url": server.url, "memory": None, "retries": 0} | more


def _calls(server: FakeDeepL, method: str, path: str) -> list[dict[str, Any]]:
    return [r["params"] for r in server.requests if (r["method"], r["path"]) == (method, path)]


def test_the_glossary_is_created_once_and_reused(server: FakeDeepL, terms: Glossary) -> None:
    (result,) = translate("黑粉价格上涨。", glossary=terms, **_options(server))
    assert result.text == "black mass x."  # the stand-in's toy translation, terms applied
    assert not result.issues
    (created,) = _calls(server, "POST", "/v2/glossaries")
    assert created["name"] == f"bilingual {terms.fingerprint}"
    assert created["entries"] == "黑粉\tblack mass\n碳酸锂\tlithium carbonate"
    (request,) = _calls(server, "POST", "/v2/translate")
    assert request["text"] == ["黑粉价格上涨。"]  # terms in place: DeepL's glossary renders them
    assert request["source_lang"] == "ZH" and request["target_lang"] == "EN-US"
    assert request["glossary_id"] == next(iter(server.glossaries))
    assert request["show_billed_characters"] is True
    assert result.usage == {"deepl.requests": 1, "deepl.characters": 7}

    translate("碳酸锂价格上涨。", glossary=terms, **_options(server))  # a new engine: reused
    assert len(_calls(server, "POST", "/v2/glossaries")) == 1
    assert len(server.glossaries) == 1


def test_placeholders_where_the_pair_has_no_glossaries(server: FakeDeepL, terms: Glossary) -> None:
    server.glossary_pairs = ()
    (result,) = translate("黑粉价格上涨。", glossary=terms, **_options(server))
    (request,) = _calls(server, "POST", "/v2/translate")
    assert request["text"] == ["⟦1⟧价格上涨。"] and "glossary_id" not in request
    assert result.text == "Black mass x."
    assert not _calls(server, "POST", "/v2/glossaries")


def test_formality_and_context_are_passed(server: FakeDeepL) -> None:
    translate(
        "进口下降。",
        "zh",
        "en",
        glossary=None,
        **_options(server, formality="prefer_less", context="Customs statistics, 2025."),
    )
    (request,) = _calls(server, "POST", "/v2/translate")
    assert request["formality"] == "prefer_less"
    assert request["context"] == "Customs statistics, 2025."


def test_quota_exceeded_is_one_line(server: FakeDeepL) -> None:
    server.character_limit = 3
    with pytest.raises(EngineError) as caught:
        translate("进口下降。", glossary=None, **_options(server))
    assert str(caught.value) == (
        f"the deepl server at {server.url} says the quota for this billing period is used up "
        "(HTTP 456)"
    )


def test_429_is_retried_then_one_line(server: FakeDeepL) -> None:
    server.failures = [429]
    (result,) = translate("进口下降。", glossary=None, **_options(server, retries=1))
    assert result.text == "x."
    server.failures = [429]
    with pytest.raises(EngineError, match=r"failed after 0 retries \(HTTP 429\)$"):
        translate("出口增长。", glossary=None, **_options(server))


def test_a_wrong_key_is_one_line_without_the_key(
    server: FakeDeepL, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DEEPL_AUTH_KEY", "wrong-SECRET-key:fx")
    out = tmp_path / "out.txt"
    result = run_cli(
        "translate", "--engine", "deepl", "--url", server.url, "--retries", "0",
        "--memory", "none", "-g", "none", "-o", str(out), input="进口下降。\n",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr == (
        f"bilingual: error: <stdin>: the deepl server at {server.url} refused the API key "
        "(HTTP 403); check $DEEPL_AUTH_KEY\n"
    )
    assert "SECRET" not in result.stderr and not out.exists()


def test_no_key_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEEPL_AUTH_KEY", raising=False)
    with pytest.raises(ConfigError, match="environment variable DEEPL_AUTH_KEY"):
        translate("进口下降。", engine="deepl", memory=None)
