"""The ``openai`` engine against a local OpenAI-compatible server (tests/servers/
openai_compatible.py: a stand-in that follows OpenAI's documented format, since the real
services are paid or take too long to build here). What our side must do: batches with
ids, terms in the prompt, one retry on a wrong figure, numbers flagged when still wrong,
Retry-After, streaming and plain answers, the key never shown."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import bilingual
from bilingual import Glossary, translate
from bilingual.errors import EngineError
from bilingual.translate.engines.openai_prompt import parse
from conftest import run_cli
from servers.openai_compatible import Failure, FakeOpenAI

HEADER = "zh\ten\tstatus\tcase\tpreferred\tdomain\tnote\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake = FakeOpenAI().start()
    yield fake
    fake.stop()


def _options(server: FakeOpenAI, **more: Any) -> dict[str, Any]:
    return {"engine": "openai", "url": server.url, "model": "tiny", "memory": None} | more


def _sentences(request: dict[str, Any]) -> list[dict[str, Any]]:
    return json.loads(request["body"]["messages"][-1]["content"])["sentences"]


def _system(request: dict[str, Any]) -> str:
    return str(request["body"]["messages"][0]["content"])


@pytest.fixture
def terms(tmp_path: Path) -> Glossary:
    path = tmp_path / "terms.tsv"
    path.write_text(
        HEADER
        + "黑粉\tblack mass\tapproved\tinsensitive\t\tbattery\t\n"
        + "黑粉\tblack powder\tforbidden\tinsensitive\t\tbattery\t\n"
        + "碳酸锂\tlithium carbonate\tapproved\tinsensitive\t\tbattery\t\n"
        + "GEM\tGEM\tdo-not-translate\tsensitive\t\torganisations\t\n",
        encoding="utf-8",
    )
    return Glossary.load(str(path))


def test_sentences_go_in_batches_with_ids_and_come_back_in_order(server: FakeOpenAI) -> None:
    text = "".join(f"第{i}句。" for i in range(1, 41))
    (result,) = translate(text, glossary=None, **_options(server, batch_size=16))
    assert len(server.requests) == 3  # 16 + 16 + 8
    assert sorted(len(_sentences(r)) for r in server.requests) == [8, 16, 16]  # concurrent
    for request in server.requests:  # ids 1..n in every request
        assert [s["id"] for s in _sentences(request)] == list(
            range(1, len(_sentences(request)) + 1)
        )
    assert result.text.startswith("x 1 x. x 2 x. x 3 x.")  # the server's toy "translation"
    assert result.text.endswith("x 40 x.")
    body = server.requests[0]["body"]
    assert body["stream"] is True and body["response_format"] == {"type": "json_object"}
    assert body["temperature"] == 0 and body["model"] == "tiny"
    assert result.usage["openai.requests"] == 3
    assert result.usage["openai.input_tokens"] > 0 and result.usage["openai.output_tokens"] > 0


def test_terms_of_each_batch_are_in_the_prompt_and_names_are_placeholders(
    server: FakeOpenAI, terms: Glossary
) -> None:
    server.translate = lambda text: text.replace(
        "黑粉价格上涨。", "Black mass prices rose."
    ).replace("与AE签署合作协议。", " signed a deal with AE.")
    (result,) = translate("黑粉价格上涨。GEM与AE签署合作协议。", glossary=terms, **_options(server))
    (request,) = server.requests
    system = _system(request)
    assert "- 黑粉 → black mass" in system
    assert "- 黑粉 ↛ black powder" in system
    assert "碳酸锂" not in system  # only the terms of this batch
    texts = [s["text"] for s in _sentences(request)]
    assert texts == ["黑粉价格上涨。", "⟦1⟧与AE签署合作协议。"]  # the name travels as a placeholder
    assert result.text == "Black mass prices rose. GEM signed a deal with AE."
    assert not result.issues


def test_a_wrong_figure_is_asked_about_once_and_the_fix_kept(server: FakeOpenAI) -> None:
    def answer(sentences: list[dict[str, Any]], body: dict[str, Any]) -> str:
        figure = "476,000" if "previous" in sentences[0] else "47,600"
        out = [{"id": s["id"], "text": f"Imports reached {figure} vehicles."} for s in sentences]
        return json.dumps({"translations": out})

    server.answer = answer
    (result,) = translate("汽车进口47.6万辆。", glossary=None, **_options(server))
    assert len(server.requests) == 2
    (asked,) = _sentences(server.requests[1])
    assert asked["previous"] == "Imports reached 47,600 vehicles."
    assert any("476,000" in problem for problem in asked["problems"])
    assert "previous" in _system(server.requests[1])
    assert result.text == "Imports reached 476,000 vehicles."
    assert not result.issues


def test_a_figure_still_wrong_is_kept_and_flagged_never_looped(server: FakeOpenAI) -> None:
    server.translate = lambda text: "Imports reached 47,600 vehicles."
    (result,) = translate("汽车进口47.6万辆。", glossary=None, **_options(server))
    assert len(server.requests) == 2  # the translation, one revision, no more
    assert result.text == "Imports reached 47,600 vehicles."
    kinds = {i.kind for i in result.issues}
    assert kinds == {"number-missing", "number-added"}


def test_a_lost_term_is_asked_about_with_the_rendering(server: FakeOpenAI, terms: Glossary) -> None:
    def answer(sentences: list[dict[str, Any]], body: dict[str, Any]) -> str:
        text = "Black mass prices rose." if "previous" in sentences[0] else "Black powder rose."
        return json.dumps({"translations": [{"id": 1, "text": text}]})

    server.answer = answer
    (result,) = translate("黑粉价格上涨。", glossary=terms, **_options(server))
    problems = _sentences(server.requests[1])[0]["problems"]
    assert "黑粉 must be rendered as 'black mass'" in problems
    assert "'black powder' is a forbidden rendering of 黑粉" in problems
    assert result.text == "Black mass prices rose." and not result.issues


def test_429_waits_for_retry_after(server: FakeOpenAI) -> None:
    error = {"error": {"message": "Rate limit reached", "type": "requests", "code": None}}
    server.failures = [Failure(429, error, {"Retry-After": "1"}), Failure(503, error)]
    start = time.monotonic()
    (result,) = translate("进口下降。", glossary=None, **_options(server))
    assert time.monotonic() - start >= 1.0
    assert result.text == "x."
    assert result.usage["openai.requests"] == 3 and result.usage["openai.retries"] == 2


def test_retries_run_out_in_one_line(server: FakeOpenAI) -> None:
    error = {"error": {"message": "The server is overloaded", "type": "server_error"}}
    server.failures = [Failure(500, error), Failure(500, error)]
    with pytest.raises(EngineError) as caught:
        translate("进口下降。", glossary=None, **_options(server, retries=1))
    message = str(caught.value)
    assert message == (
        f"the openai server at {server.url} failed after 1 retries "
        "(HTTP 500: The server is overloaded)"
    )


def test_plain_json_answers_and_numbered_lines_are_read(server: FakeOpenAI) -> None:
    server.stream, server.json_mode = False, False  # no streaming, no JSON mode

    def answer(sentences: list[dict[str, Any]], body: dict[str, Any]) -> str:
        return "Here you are:\n" + "\n".join(
            f"{s['id']}. Answer {'AB'[s['id'] - 1]}." for s in sentences
        )

    server.answer = answer
    (result,) = translate("甲。乙。", glossary=None, **_options(server))
    assert result.text == "Answer A. Answer B."
    first, second = server.requests  # JSON mode refused (500), asked again without it
    assert "response_format" in first["body"] and "response_format" not in second["body"]


def test_ids_missing_from_the_answer_are_asked_once_then_left(server: FakeOpenAI) -> None:
    def answer(sentences: list[dict[str, Any]], body: dict[str, Any]) -> str:
        out = [{"id": s["id"], "text": "Done."} for s in sentences if s["text"] != "丙。"]
        return json.dumps({"translations": out})

    server.answer = answer
    (result,) = translate("甲。乙。丙。", glossary=None, **_options(server))
    assert [len(_sentences(r)) for r in server.requests] == [3, 1, 1]  # + one revision ask
    assert result.text == "Done. Done。丙。"  # the mark of the language that follows
    assert [i.kind for i in result.issues] == ["untranslated"]


def test_the_memory_is_keyed_by_model_and_prompt(server: FakeOpenAI, tmp_path: Path) -> None:
    memory = str(tmp_path / "tm.sqlite")
    options = _options(server, memory=memory)
    translate("进口下降。", glossary=None, **options)
    (again,) = translate("进口下降。", glossary=None, **options)
    assert len(server.requests) == 1 and again.memory_hits == 1 and not again.usage
    translate("进口下降。", glossary=None, **(options | {"model": "other"}))
    assert len(server.requests) == 2


def test_the_key_is_sent_and_never_shown(
    server: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.api_key = "sk-right-0123456789"
    args = ["translate", "-g", "none", "--engine", "openai", "--model", "tiny"]
    args += ["--url", server.url, "--memory", str(tmp_path / "tm.sqlite")]
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong-SECRET-42")
    refused = run_cli(*args, "-o", str(tmp_path / "out.txt"), input="进口下降。\n")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert "refused the API key (HTTP 401: Incorrect API key provided.)" in refused.stderr
    assert "$OPENAI_API_KEY" in refused.stderr
    assert "SECRET" not in refused.stderr + refused.stdout
    assert not (tmp_path / "out.txt").exists()

    monkeypatch.delenv("OPENAI_API_KEY")
    monkeypatch.setenv("MY_LLM_KEY", "sk-right-0123456789")
    ok = run_cli(*args, "--api-key-env", "MY_LLM_KEY", input="进口下降。\n")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout == "x.\n"
    assert server.requests[-1]["headers"]["authorization"] == "Bearer sk-right-0123456789"
    assert "0123456789" not in ok.stderr + ok.stdout
    assert b"0123456789" not in (tmp_path / "tm.sqlite").read_bytes()
    assert "openai: 1 request," in ok.stderr  # the usage line


def test_fastapi_style_401_and_no_key(server: FakeOpenAI) -> None:
    server.api_key, server.detail_errors = "sk-x", True
    with pytest.raises(
        EngineError, match=r"refused the API key \(HTTP 401: Invalid API key\); set "
    ):
        translate("进口下降。", glossary=None, **_options(server))


def test_an_unreachable_server_is_one_line_and_no_output(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    result = run_cli(
        "translate",
        "--engine",
        "openai",
        "--model",
        "m",
        "--url",
        "http://127.0.0.1:9/v1",
        "--retries",
        "0",
        "--memory",
        "none",
        "-o",
        str(out),
        input="进口下降。\n",
    )
    assert result.returncode == 2
    assert re.fullmatch(
        r"bilingual: error: <stdin>: the openai server at http://127\.0\.0\.1:9/v1 cannot be "
        r"reached \(connection refused\)\n",
        result.stderr,
    ), result.stderr
    assert not out.exists()


def test_a_model_is_required() -> None:
    result = run_cli("translate", "--engine", "openai", "--memory", "none", input="进口。")
    assert result.returncode == 2
    assert "the openai engine needs --model" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"translations": [{"id": 2, "text": "B"}, {"id": 1, "text": "A"}]}', {1: "A", 2: "B"}),
        ('```json\n{"translations": [{"id": 1, "text": "A"}]}\n```', {1: "A"}),
        ('<think>{"id": 9}</think>{"1": "A", "2": "B"}', {1: "A", 2: "B"}),
        ('Sure! [{"id": 1, "translation": "A"}] hope it helps', {1: "A"}),
        ('["A", "B"]', {1: "A", 2: "B"}),
        ('1. A\n2) "B"\n[3] C', {1: "A", 2: "B"}),
        ('{"translations": [{"id": 1, "text": "A"}', {}),  # cut off: nothing made up
    ],
    ids=["json", "fence", "think-map", "prose", "list", "lines", "truncated"],
)
def test_the_parser_reads_what_models_answer(content: str, expected: dict[int, str]) -> None:
    assert parse(content, [1, 2]) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_pipeline_counts_usage_and_cost(server: FakeOpenAI, jobs: int) -> None:
    pipeline = bilingual.Pipeline(
        engine="openai", url=server.url, model="tiny", memory="none", price=2.0, glossaries=()
    )
    items = ["进口下降。", "Imports fell.", "出口增长。"]
    results = list(pipeline.run(items, jobs=jobs))
    assert [r.text for r in results] == ["x.", "Imports fell.", "x."]
    usage = pipeline.report.counts()["engine_usage"]
    assert usage["openai.requests"] == 2 == len(server.requests)
    tokens = usage["openai.input_tokens"] + usage["openai.output_tokens"]
    assert usage["openai.cost"] == pytest.approx(tokens * 2.0 / 1e6)
    assert "openai: 2 requests" in pipeline.report.summary()


def test_markdown_runs_go_to_the_server_and_code_stays(server: FakeOpenAI) -> None:
    page = "# 进口下降\n\n出口增长。`保持 code`\n"
    args = ["translate", "--input-format", "markdown", "-g", "none", "--memory", "none"]
    result = run_cli(*args, "--engine", "openai", "--url", server.url, "--model", "m", input=page)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# x\n\nx.") and result.stdout.endswith("`保持 code`\n")
    sent = [s["text"] for r in server.requests for s in _sentences(r)]
    assert "保持 code" not in " ".join(sent)
    assert "openai: 1 request," in result.stderr
