"""The README's examples are real: every ``$ bilingual …`` command shown with its output
in a ``console`` block is run here (in a scratch folder that sees the repository's
``examples`` and ``glossaries``) and must print just that, stdout then stderr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def examples() -> list[pytest.param]:
    """(command, expected output) for each command of the README's console blocks."""
    found = []
    for block in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]:
            command, _, output = chunk.partition("\n")
            found.append(pytest.param(command, output.rstrip("\n"), id=command[:60]))
    return found


@pytest.mark.parametrize(("command", "expected"), examples())
def test_readme_example(command: str, expected: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "BILINGUAL_HOME": str(tmp_path / "home"),
    }
    for folder in ("examples", "glossaries"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).rstrip("\n") == expected
