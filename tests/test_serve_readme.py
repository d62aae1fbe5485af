"""The README's ``bilingual serve`` examples are real: the curl command and the
``libretranslatepy`` script run against a server started as the README says (on a free
port instead of 5000), and print just what the README shows."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(fence: str, containing: str) -> str:
    for block in re.findall(rf"```{fence}\n(.*?)```", README, re.DOTALL):
        if containing in block:
            return str(block)
    raise AssertionError(f"no ```{fence} block with {containing!r} in the README")


def test_the_curl_example(serve: Any, tmp_path: Path) -> None:
    block = _block("sh", "$ curl")
    start, announced, command, expected = block.strip("\n").split("\n")
    assert start == "$ bilingual serve &"
    server = serve()  # the defaults, as in the README
    assert announced.replace("127.0.0.1:5000", server.url[len("http://") :]) in server.output
    command = command.removeprefix("$ ").replace("localhost:5000", server.url)
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, timeout=60)
    assert result.stdout == expected


def test_the_libretranslatepy_example(serve: Any, tmp_path: Path) -> None:
    server = serve()
    code = _block("python", "LibreTranslateAPI").replace("http://127.0.0.1:5000", server.url)
    expected = _block("text", "Import value was")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout == expected
