"""The real servers the engine and server tests run against start and answer here."""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def test_libretranslate_serves_the_tiny_models_on_loopback(libretranslate: Any) -> None:
    assert libretranslate.url.startswith("http://127.0.0.1:")
    with urllib.request.urlopen(libretranslate.url + "/languages", timeout=30) as response:
        codes = {language["code"] for language in json.load(response)}
    assert codes == {"en", "zh-Hans"}  # LibreTranslate 1.9 names Chinese zh-Hans
    request = urllib.request.Request(
        libretranslate.url + "/translate",
        data=json.dumps({"q": "进口下降。", "source": "zh", "target": "en"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        assert isinstance(json.load(response)["translatedText"], str)
