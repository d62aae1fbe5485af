"""The ``openai`` engine against a real OpenAI-compatible server: llama-cpp-python with a
tiny random-weight GGUF model (its answers are garbage by design). Runs only when
``BILINGUAL_LLAMA_VENV`` names a venv with ``llama-cpp-python[server]`` and ``gguf``
(see tests/servers/llama.py: building it takes longer than CI's budget)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bilingual import translate
from bilingual.errors import EngineError

VENV = os.environ.get("BILINGUAL_LLAMA_VENV")
pytestmark = pytest.mark.skipif(not VENV, reason="BILINGUAL_LLAMA_VENV is not set")


@pytest.fixture(scope="module")
def llama() -> Iterator[object]:
    from servers import llama

    server = llama.start(Path(VENV or ""), api_key="sk-llama-test")
    yield server
    server.stop()


def test_garbage_answers_are_reported_not_fatal(
    llama: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A model that answers nonsense (grammar-constrained JSON running to ``max_tokens``):
    asked once more, then left in Chinese and reported; nothing loops, nothing crashes.
    (llama.cpp sends no usage in a stream: only requests and characters are counted.)"""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-llama-test")
    options = {"engine": "openai", "url": llama.url, "model": "tiny", "memory": None}  # type: ignore[attr-defined]
    (result,) = translate("出口增长5%。", glossary=None, **options)
    assert result.sentences == 1
    assert result.usage["openai.requests"] == 2  # the translation and one revision
    assert result.issues  # untranslated or wrong figures, reported


def test_a_wrong_key_is_one_line(llama: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
    options = {"engine": "openai", "url": llama.url, "model": "tiny", "memory": None}  # type: ignore[attr-defined]
    with pytest.raises(EngineError, match=r"refused the API key \(HTTP 401: Invalid API key\)"):
        translate("出口增长。", glossary=None, **options)
