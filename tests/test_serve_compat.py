"""One table of requests sent to a real LibreTranslate server and to ``bilingual serve``, both
on 127.0.0.1 with the same tiny Argos models: the same status codes, the same content
types, every field LibreTranslate answers with (ours may add fields), of the same types;
error messages word for word. Three set-ups: plain, API keys required, a rate limit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

SENTENCE = "乘联会数据显示，一月新能源乘用车零售七十二万辆。"
ZH_EN = {"q": SENTENCE, "source": "zh", "target": "en"}
EN_ZH = {"q": "Black mass prices rose.", "source": "en", "target": "zh"}
BATCH = [SENTENCE, "汽车整车进口同比下降。"]
AUTO = {"q": [SENTENCE, "汽车"], "source": "auto", "target": "en"}
HTML = "<p>汽车<b>进口</b></p>"
ENGLISH = "GEM signed a memorandum of understanding with Ascend Elements."

# (label, method, path, body kind, body, headers)
BASIC: list[tuple[str, str, str, str, Any]] = [
    ("health", "GET", "/health", "none", None),
    ("languages", "GET", "/languages", "none", None),
    ("frontend settings", "GET", "/frontend/settings", "none", None),
    ("translate json", "POST", "/translate", "json", ZH_EN),
    ("translate form", "POST", "/translate", "form", ZH_EN),
    ("translate zh-Hans", "POST", "/translate", "json", {**ZH_EN, "source": "zh-Hans"}),
    ("translate en-zh", "POST", "/translate", "json", EN_ZH),
    ("translate auto", "POST", "/translate", "json", {**ZH_EN, "source": "auto"}),
    ("translate batch", "POST", "/translate", "json", {**ZH_EN, "q": BATCH}),
    ("translate batch auto", "POST", "/translate", "json", AUTO),
    ("translate alternatives", "POST", "/translate", "json", {**ZH_EN, "alternatives": 2}),
    ("translate html", "POST", "/translate", "json", {**ZH_EN, "q": HTML, "format": "html"}),
    ("translate key ignored", "POST", "/translate", "json", {**ZH_EN, "api_key": "nope"}),
    ("translate same language", "POST", "/translate", "json", {**ZH_EN, "target": "zh"}),
    ("translate emoji", "POST", "/translate", "json", {**ZH_EN, "q": "😀"}),
    ("missing q json", "POST", "/translate", "json", {"source": "zh", "target": "en"}),
    ("empty q", "POST", "/translate", "json", {**ZH_EN, "q": ""}),
    ("missing q form", "POST", "/translate", "form", {"source": "zh", "target": "en"}),
    ("missing source", "POST", "/translate", "json", {"q": SENTENCE, "target": "en"}),
    ("missing target", "POST", "/translate", "json", {"q": SENTENCE, "source": "zh"}),
    ("bad source", "POST", "/translate", "json", {**ZH_EN, "source": "xx"}),
    ("bad target", "POST", "/translate", "json", {**ZH_EN, "target": "xx"}),
    ("bad format", "POST", "/translate", "json", {**ZH_EN, "format": "md"}),
    ("alternatives not a number", "POST", "/translate", "form", {**ZH_EN, "alternatives": "abc"}),
    ("json body a list", "POST", "/translate", "json", [1, 2]),
    ("malformed json", "POST", "/translate", "raw-json", "{not json"),
    ("no body", "POST", "/translate", "none", None),
    ("GET translate", "GET", "/translate", "none", None),
    ("detect json", "POST", "/detect", "json", {"q": SENTENCE}),
    ("detect form en", "POST", "/detect", "form", {"q": ENGLISH}),
    ("detect short", "POST", "/detect", "json", {"q": "汽车"}),
    ("detect missing q", "POST", "/detect", "json", {}),
    ("root", "GET", "/", "none", None),
    ("unknown route", "GET", "/nope", "none", None),
]  # fmt: skip

KEYS: list[tuple[str, str, str, str, Any]] = [
    ("no key", "POST", "/translate", "json", ZH_EN),
    ("valid key", "POST", "/translate", "json", {**ZH_EN, "api_key": "testkey"}),
    ("wrong key json", "POST", "/translate", "json", {**ZH_EN, "api_key": "wrong"}),
    ("wrong key form", "POST", "/translate", "form", {**ZH_EN, "api_key": "wrong"}),
    ("detect wrong key", "POST", "/detect", "json", {"q": SENTENCE, "api_key": "wrong"}),
    ("frontend settings", "GET", "/frontend/settings", "none", None),
]

RATE: list[tuple[str, str, str, str, Any]] = [
    *[(f"translate #{n}", "POST", "/translate", "json", ZH_EN) for n in (1, 2, 3, 4)],
    ("detect after the limit", "POST", "/detect", "json", {"q": SENTENCE}),
    ("health after the limit", "GET", "/health", "none", None),
    ("languages after the limit", "GET", "/languages", "none", None),
]


def send(client: httpx.Client, case: tuple[str, str, str, str, Any]) -> httpx.Response:
    _, method, path, kind, body = case
    if kind == "json":
        return client.request(method, path, json=body)
    if kind == "form":
        return client.request(method, path, data=body)
    if kind == "raw-json":
        return client.request(
            method, path, content=body, headers={"Content-Type": "application/json"}
        )
    return client.request(method, path)


def shape(value: Any) -> Any:
    """The JSON types of a value: dicts by key, lists by their first element."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def covers(ours: Any, theirs: Any, where: str = "") -> list[str]:
    """What LibreTranslate's answer has that ours has not, or has with another type."""
    if isinstance(theirs, dict):
        if not isinstance(ours, dict):
            return [f"{where}: {ours!r} is not an object"]
        return [
            p
            for k, v in theirs.items()
            for p in (covers(ours[k], v, f"{where}.{k}") if k in ours else [f"{where}.{k} missing"])
        ]
    if isinstance(theirs, list):
        if not isinstance(ours, list):
            return [f"{where}: {ours!r} is not a list"]
        return covers(ours[0], theirs[0], f"{where}[0]") if ours and theirs else []
    return [] if ours == theirs else [f"{where}: {ours!r} is not {theirs!r}"]


def compare(lt: httpx.Client, ours: httpx.Client, cases: list[Any]) -> list[tuple[str, list[str]]]:
    """Each case sent to both (LibreTranslate first), and what differs."""
    differences = []
    for case in cases:
        a, b = send(lt, case), send(ours, case)
        found = []
        if a.status_code != b.status_code:
            found.append(f"status {b.status_code}, LibreTranslate {a.status_code}")
        type_a = a.headers.get("content-type", "").split(";")[0]
        type_b = b.headers.get("content-type", "").split(";")[0]
        if type_a != type_b:
            found.append(f"content type {type_b}, LibreTranslate {type_a}")
        elif type_a == "application/json":
            theirs, mine = a.json(), b.json()
            found += covers(shape(mine), shape(theirs))
            if (
                isinstance(theirs, dict)
                and "error" in theirs
                and mine.get("error") != theirs["error"]
            ):
                found.append(f"error {mine.get('error')!r}, LibreTranslate {theirs['error']!r}")
        if a.headers.get("access-control-allow-origin") != b.headers.get(
            "access-control-allow-origin"
        ):
            found.append("CORS headers differ")
        differences.append((case[0], found))
    return differences


@pytest.fixture
def clients(libretranslate: Any) -> Iterator[Any]:
    made: list[httpx.Client] = []

    def client(url: str) -> httpx.Client:
        made.append(httpx.Client(base_url=url, timeout=60, trust_env=False))
        return made[-1]

    yield client
    for c in made:
        c.close()


def test_plain_requests_answer_like_libretranslate(
    libretranslate: Any, serve: Any, tiny_pair_home: Path, clients: Any
) -> None:
    ours = serve("--memory", "none", home=tiny_pair_home)
    differences = compare(clients(libretranslate.url), clients(ours.url), BASIC)
    assert [d for d in differences if d[1]] == [], [d for d in differences if d[1]]
    # the same languages and targets (Chinese is zh-Hans in both)
    theirs = clients(libretranslate.url).get("/languages").json()
    mine = clients(ours.url).get("/languages").json()
    assert [(x["code"], x["targets"]) for x in mine] == [(x["code"], x["targets"]) for x in theirs]


def test_required_keys_answer_like_libretranslate(
    tiny_pair: list[Path], serve: Any, tiny_pair_home: Path, tmp_path: Path, clients: Any
) -> None:
    from servers import libretranslate as lt

    keys = tmp_path / "keys.txt"
    keys.write_text("# one key\ntestkey\t100\n", encoding="utf-8")
    ours = serve("--memory", "none", "--api-keys", str(keys), home=tiny_pair_home)
    # LibreTranslate needs a key (400 without one) when it checks the origin of keyless calls
    theirs = lt.start(
        tiny_pair, api_keys={"testkey": 100}, extra_args=["--require-api-key-origin", "x"]
    )
    try:
        differences = compare(clients(theirs.url), clients(ours.url), KEYS)
    finally:
        theirs.stop()
    assert [d for d in differences if d[1]] == [], [d for d in differences if d[1]]


def test_the_rate_limit_answers_like_libretranslate(
    tiny_pair: list[Path], serve: Any, tiny_pair_home: Path, clients: Any
) -> None:
    from servers import libretranslate as lt

    ours = serve("--memory", "none", "--req-limit", "2", home=tiny_pair_home)
    theirs = lt.start(tiny_pair, extra_args=["--req-limit", "2"])
    try:
        lt_client, our_client = clients(theirs.url), clients(ours.url)
        statuses = [(send(lt_client, c).status_code, send(our_client, c).status_code) for c in RATE]
        assert statuses == [
            (200, 200),
            (200, 200),
            (429, 429),
            (429, 429),
            (200, 200),
            (200, 200),
            (200, 200),
        ]
        slow = send(our_client, RATE[0])
        assert (
            slow.json() == send(lt_client, RATE[0]).json() == {"error": "Slowdown: 2 per 1 minute"}
        )
    finally:
        theirs.stop()
