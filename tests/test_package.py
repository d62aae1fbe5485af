"""The package as a whole: public names, import cost, no side effects."""

from __future__ import annotations

import subprocess
import sys

import bilingual


def test_public_api_is_exported() -> None:
    for name in bilingual.__all__:
        assert hasattr(bilingual, name), name
    for name in ("repair", "normalize", "explain", "convert", "detect_script", "Change"):
        assert name in bilingual.__all__


def test_errors_share_one_base() -> None:
    for name in ("ConfigError", "DecodeError", "InputError"):
        assert issubclass(getattr(bilingual, name), bilingual.BilingualError)


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return set(out.stdout.split())


def test_normalize_never_loads_translation_libraries() -> None:
    code = (
        "import bilingual.cli as c, sys\n"
        "sys.argv = ['bilingual', 'normalize']\n"
        "import io; sys.stdin = io.TextIOWrapper(io.BytesIO('數據,進口'.encode()))\n"
        "try:\n    c.main(['normalize', '--script', 't2s'])\nexcept SystemExit:\n    pass"
    )
    loaded = _modules_after(code)
    assert "opencc" in loaded  # the command really ran
    assert not {"ctranslate2", "argostranslate", "sentencepiece", "langdetect", "lingua"} & loaded


def test_import_has_no_side_effects(tmp_path) -> None:
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [sys.executable, "-c", "import bilingual, bilingual.cli"], check=True, env=env, timeout=60
    )
    assert list(tmp_path.iterdir()) == []
