"""Shared helpers: case files and running the real command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

CASES = Path(__file__).parent / "cases"
ROOT = Path(__file__).parent.parent


def load_cases(name: str, key: str = "cases") -> list[Any]:
    """The cases under ``key`` in ``tests/cases/<name>.json``, as pytest params with ids."""
    data = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    return [pytest.param(case, id=case["label"]) for case in data[key]]


def case_data(name: str) -> dict[str, Any]:
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


def run_cli(
    *args: str, input: bytes | str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bilingual ARGS`` as a user would, capturing text output."""
    data = input.encode("utf-8") if isinstance(input, str) else input
    proc = subprocess.run(
        [sys.executable, "-m", "bilingual", *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        proc.args, proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    )


SEED = ROOT.parent / "shared" / "seed" / "000_fa05c4c090b403f1.txt"
EXAMPLE = ROOT / "examples" / "smm-battery-recycling.txt"


@pytest.fixture
def seed_text() -> str:
    """The real page that started the project (``../shared/seed``), or skip without it."""
    if not SEED.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed page at {SEED}")
        pytest.skip("../shared/seed is not beside this checkout")
    return SEED.read_text(encoding="utf-8")
