"""``bilingual serve`` as a real process on 127.0.0.1: a client nobody here wrote
(``libretranslatepy``), our own endpoints, the limits, batching and workers, and the
command's one-line errors."""

from __future__ import annotations

import json
import re
import socket
import threading
import urllib.error
from pathlib import Path
from typing import Any

import httpx
import pytest
from libretranslatepy import LibreTranslateAPI

from conftest import run_process

STATISTICS = "2025年，汽车整车进口47.6万辆，同比下降32.4%。"
STATISTICS_EN = "In 2025, 476,000 complete vehicles were imported, down 32.4% YoY."


def test_libretranslatepy_translates_detects_and_lists(serve: Any, tiny_pair_home: Path) -> None:
    server = serve("--memory", "none", home=tiny_pair_home)
    client = LibreTranslateAPI(server.url)
    out = client.translate("乘联会数据显示，一月新能源乘用车零售七十二万辆。", "zh", "en")
    assert isinstance(out, str) and out
    assert client.translate("Black mass prices rose.", "en", "zh")  # the other pair too
    assert client.detect("新能源汽车") == [{"confidence": 100.0, "language": "zh-Hans"}]
    assert client.detect("GEM signed a memorandum.")[0]["language"] == "en"
    languages = client.languages()
    assert {x["code"] for x in languages} == {"en", "zh-Hans"}
    with pytest.raises(urllib.error.HTTPError) as error:
        client.translate("你好", "xx", "en")
    assert error.value.code == 400
    assert json.loads(error.value.read()) == {"error": "xx is not supported"}


def test_libretranslatepy_with_keys(serve: Any, tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text("secret-1\n", encoding="utf-8")
    server = serve("--memory", "none", "--api-keys", str(keys))
    assert LibreTranslateAPI(server.url, api_key="secret-1").translate(STATISTICS, "zh", "en") == (
        STATISTICS_EN
    )
    with pytest.raises(urllib.error.HTTPError) as error:
        LibreTranslateAPI(server.url, api_key="wrong").translate(STATISTICS, "zh", "en")
    assert error.value.code == 403
    with pytest.raises(urllib.error.HTTPError) as error:
        LibreTranslateAPI(server.url).detect("汽车")
    assert error.value.code == 400


def test_our_fields_glossaries_memory_and_metrics(serve: Any, tmp_path: Path) -> None:
    server = serve("--memory", str(tmp_path / "tm.sqlite"))
    with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
        first = client.post("/translate", json={"q": STATISTICS, "source": "zh", "target": "en"})
        body = first.json()
        assert body["translatedText"] == STATISTICS_EN
        assert body["engine"] == "statistics" and body["memory_hit"] is False
        assert body["issues"] == []
        terms = {t["source"]: t for t in body["terms"]}
        assert terms["同比"]["target"] == "YoY"
        a, b = terms["同比"]["target_span"]
        assert body["translatedText"][a:b] == "YoY"  # spans into the translation
        a, b = terms["同比"]["source_span"]
        assert STATISTICS[a:b] == "同比"
        again = client.post("/translate", json={"q": STATISTICS, "source": "zh", "target": "en"})
        assert again.json()["memory_hit"] is True
        stats = client.get("/memory/stats").json()
        assert stats["units"] >= 1 and stats["by_engine"][0]["engine"].startswith("statistics")

        # a glossary sent with PUT: refused while it fails lint, then used by name
        bad = "zh\ten\n乘联会\tCPCA\n乘联会\tPCA\n"
        refused = client.put("/glossaries/mine", content=bad.encode())
        assert refused.status_code == 400
        assert {f["code"] for f in refused.json()["findings"]} == {"conflict"}
        assert client.get("/glossaries/mine").status_code == 404
        good = "zh\ten\tstatus\n乘联会\tCPCA-TEST\tapproved\n"
        assert client.put("/glossaries/mine", content=good.encode()).status_code == 201
        assert client.put("/glossaries/automotive", content=good.encode()).status_code == 403
        assert "乘联会\tCPCA-TEST" in client.get("/glossaries/mine").text
        tbx = client.get("/glossaries/mine", params={"format": "tbx"})
        assert tbx.headers["content-type"].startswith("application/x-tbx+xml")
        assert client.put("/glossaries/mine-copy", content=tbx.content).status_code == 201
        q = {"q": "乘联会数据显示。", "source": "zh", "target": "en"}
        used = client.post("/translate", json={**q, "glossary": "mine"}).json()
        assert [t["target"] for t in used["terms"]] == ["CPCA-TEST"]
        default = client.post("/translate", json=q).json()
        assert [t["target"] for t in default["terms"]] == ["CPCA"]  # the bundled glossary
        unknown = client.post("/translate", json={**q, "glossary": "../etc/passwd"})
        assert unknown.status_code == 400
        assert {g["name"] for g in client.get("/glossaries").json()} >= {"automotive", "mine"}

        metrics = client.get("/metrics").text
    assert _metric(metrics, 'bilingual_requests_total{route="/translate",status="200"}') == 4
    assert _metric(metrics, 'bilingual_requests_total{route="/translate",status="400"}') == 1
    assert _metric(metrics, "bilingual_memory_hits_total") >= 1
    assert _metric(metrics, 'bilingual_engine_calls_total{engine="statistics"}') >= 4
    assert _metric(metrics, 'bilingual_request_seconds_count{route="/translate"}') == 5


def _metric(text: str, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    assert found, f"{name} not in the metrics"
    return float(found.group(1))


def test_limits(serve: Any, tiny_pair_home: Path) -> None:
    server = serve(
        "--memory", "none", "--body-limit", "2048", "--char-limit", "50", home=tiny_pair_home
    )
    with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
        big = client.post("/translate", data={"q": "汽" * 3000, "source": "zh", "target": "en"})
        assert big.status_code == 413 and "too large" in big.json()["error"]
        chunked = client.post(  # no Content-Length: counted as it streams in
            "/translate",
            content=iter([b'{"q": "', "汽".encode() * 1000, b'", "source": "zh", "target": "en"}']),
            headers={"Content-Type": "application/json"},
        )
        assert chunked.status_code == 413
        many = client.post(
            "/translate", json={"q": ["汽车进口。"] * 11, "source": "zh", "target": "en"}
        )
        assert many.json() == {"error": "Invalid request: request (55) exceeds text limit (50)"}
    slow = serve("--memory", "none", "--request-timeout", "0.01", home=tiny_pair_home)
    text = "。".join(f"乘联会数据显示，{n}月新能源乘用车零售七十二万辆" for n in range(400))
    with httpx.Client(base_url=slow.url, trust_env=False, timeout=60) as client:
        late = client.post("/translate", json={"q": text, "source": "zh", "target": "en"})
    assert late.status_code == 500 and late.json()["error"].startswith("Timeout")


def test_concurrent_requests_share_engine_calls(serve: Any, tiny_pair_home: Path) -> None:
    server = serve("--memory", "none", "--batch-window", "0.05", home=tiny_pair_home)
    results: list[int] = []

    def one(n: int) -> None:
        with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
            q = {"q": f"分析人士认为第{n}批原料供应依然偏紧。", "source": "zh", "target": "en"}
            results.append(client.post("/translate", json=q).status_code)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [200] * 16
    metrics = httpx.get(server.url + "/metrics", trust_env=False).text
    calls = _metric(metrics, 'bilingual_engine_calls_total{engine="statistics+argos"}')
    assert _metric(metrics, "bilingual_batch_requests_sum") == 16
    assert calls < 16  # requests that arrived together went to the engine together


def test_workers_share_the_port_and_the_metrics(serve: Any, tmp_path: Path) -> None:
    server = serve("--memory", "none", "--workers", "2")
    with httpx.Client(base_url=server.url, trust_env=False, timeout=60) as client:
        for _ in range(6):
            r = client.post("/translate", json={"q": STATISTICS, "source": "zh", "target": "en"})
            assert r.json()["translatedText"] == STATISTICS_EN
        metrics = client.get("/metrics").text
    assert _metric(metrics, 'bilingual_requests_total{route="/translate",status="200"}') == 6
    assert server.stop() == 0


def test_sigterm_stops_cleanly(serve: Any) -> None:
    server = serve("--memory", "none")
    assert server.stop() == 0


def _busy_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-keys", "/nonexistent/keys"], "cannot read the API keys"),
        (["--report", "r.json"], "--report goes with --review"),
        (["--review", "/nonexistent/r.jsonl"], "/nonexistent/r.jsonl"),
        (["--engine", "argos"], "no engine to serve"),
        (["--port", "PORT"], "cannot listen on 127.0.0.1"),
        (["--glossary", "nosuch"], "no bundled glossary named 'nosuch'"),
    ],
    ids=["keys file", "report alone", "review file", "engine", "port in use", "glossary"],
)
def test_bad_options_are_one_line(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BILINGUAL_HOME", str(tmp_path / "home"))
    with _busy_port() as busy:
        args = [str(busy.getsockname()[1]) if a == "PORT" else a for a in args]
        result = run_process("serve", "--memory", "none", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_result_that_is_not_a_run_is_refused(tmp_path: Path) -> None:
    (tmp_path / "r.jsonl").write_text('{"text": "hello"}\n', encoding="utf-8")
    result = run_process("serve", "--memory", "none", "--review", "r.jsonl", cwd=tmp_path)
    assert result.returncode == 2
    assert "r.jsonl:1: not a translated `bilingual run --format jsonl` result" in result.stderr
