"""Shared helpers: case files, and running the command (in this process, or in a real one)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
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
    """Run ``bilingual ARGS`` in this process through :func:`bilingual.cli.main` (its error
    formatting and exit codes included), with click's test runner capturing the streams."""
    from click.testing import CliRunner

    from bilingual.cli import main

    code = 0
    with contextlib.chdir(cwd or os.getcwd()), CliRunner().isolation(input=input) as streams:
        try:
            main(list(args))
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = (s.getvalue().decode("utf-8", "replace") for s in streams[:2])
    return subprocess.CompletedProcess(["bilingual", *args], code, out, err)


def run_process(
    *args: str, input: bytes | str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bilingual ARGS`` in a new process, as a user would: for exit codes,
    signals and what only a real process shows."""
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


@pytest.fixture(scope="session")
def tiny_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine tiny zh → en .argosmodel (see tests/tiny_model.py), built once."""
    from tiny_model import build_argosmodel

    return build_argosmodel(tmp_path_factory.mktemp("tiny"))


@pytest.fixture
def bilingual_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty $BILINGUAL_HOME for one test."""
    home = tmp_path / "home"
    monkeypatch.setenv("BILINGUAL_HOME", str(home))
    monkeypatch.delenv("BILINGUAL_PACKAGE_INDEX", raising=False)
    return home


@pytest.fixture
def tiny_installed(bilingual_home: Path, tiny_archive: Path) -> Path:
    """$BILINGUAL_HOME with the tiny model installed."""
    from bilingual.translate import models as argos

    argos.install_file(tiny_archive)
    return bilingual_home


@pytest.fixture(scope="session")
def libretranslate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real LibreTranslate server on 127.0.0.1 with the tiny zh ↔ en models (see
    tests/servers/libretranslate.py); its virtual environment is made once and reused."""
    from servers import libretranslate as lt
    from tiny_model import build_argosmodel

    try:
        lt.ensure_venv()
    except subprocess.CalledProcessError as e:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"cannot install LibreTranslate here: {e}")
    folder = tmp_path_factory.mktemp("lt-models")
    archives = [build_argosmodel(folder), build_argosmodel(folder, source="en", target="zh")]
    server = lt.start(archives)
    yield server
    server.stop()


CONFORMANCE = ROOT.parent / "shared" / "conformance"


def conformance(name: str) -> Path:
    """A file of the anchors' own test suites (``../shared/conformance``, see its README),
    or skip: a bare clone has no ``shared/`` beside it. CI must have it."""
    path = CONFORMANCE / name
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the conformance suites at {path}")
        pytest.skip(f"../shared/conformance/{name} is not beside this checkout (a bare clone)")
    return path
