"""Argos models: installing (safely), and translating with the tiny genuine model."""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from bilingual.errors import ModelError
from bilingual.options import TranslateOptions
from bilingual.translate import models as argos
from bilingual.translate.engines.argos import ArgosEngine
from conftest import ROOT, run_cli

SENTENCES = [
    "汽车整车进口同比下降。",
    "黑粉价格上涨。",
    "乘联会数据显示，一月新能源乘用车零售七十二万辆。",
]


def test_install_list_remove(bilingual_home: Path, tiny_archive: Path) -> None:
    info = argos.install_file(tiny_archive)
    assert (info.source, info.target, info.name) == ("zh", "en", "translate-zh_en-0_1")
    assert [m.name for m in argos.installed()] == ["translate-zh_en-0_1"]
    assert argos.find("zh", "en") == argos.installed()[0]
    assert argos.find("en", "zh") is None
    argos.remove("translate-zh_en-0_1")
    assert argos.installed() == []
    with pytest.raises(ModelError, match="no installed model named 'nope'"):
        argos.remove("nope")


def _rezip(
    source: Path,
    target: Path,
    extra: list[tuple[zipfile.ZipInfo | str, bytes]],
    drop: str | None = None,
) -> Path:
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            if drop is None or not info.filename.endswith(drop):
                dst.writestr(info, src.read(info))
        for name, data in extra:
            dst.writestr(name, data)
    return target


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize(
    ("extra", "drop", "message"),
    [
        ([("../evil.txt", b"x")], None, "unsafe path '../evil.txt'"),
        ([("/etc/evil", b"x")], None, "unsafe path '/etc/evil'"),
        ([(_symlink("translate-zh_en-0_1/link"), b"/etc/passwd")], None, "symbolic link"),
        ([], "metadata.json", "metadata.json is missing"),
        ([], "model.bin", "model/model.bin is missing"),
        ([("other-top/file", b"x")], None, "expected one package folder"),
    ],
)
def test_malicious_or_broken_archives_are_refused(
    bilingual_home: Path,
    tiny_archive: Path,
    tmp_path: Path,
    extra: list,
    drop: str | None,
    message: str,
) -> None:
    bad = _rezip(tiny_archive, tmp_path / "bad.argosmodel", extra, drop)
    with pytest.raises(ModelError, match=message):
        argos.install_file(bad)
    assert (
        not (bilingual_home / "models").exists()
        or list((bilingual_home / "models").iterdir()) == []
    )


def test_zip_bomb_is_refused(bilingual_home: Path, tiny_archive: Path, tmp_path: Path) -> None:
    bomb = _rezip(
        tiny_archive,
        tmp_path / "bomb.argosmodel",
        [("translate-zh_en-0_1/zeros", b"\0" * 5_000_000)],
    )
    with pytest.raises(ModelError, match="unpacks to more than 1,000,000 bytes"):
        argos.install_file(bomb, max_bytes=1_000_000)
    assert not (bilingual_home / "models").exists()


def test_not_a_zip(bilingual_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "x.argosmodel"
    path.write_text("hello")
    with pytest.raises(ModelError, match="not a model archive"):
        argos.install_file(path)


def test_install_from_a_local_package_index(
    bilingual_home: Path, tiny_archive: Path, tmp_path: Path
) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / tiny_archive.name).write_bytes(tiny_archive.read_bytes())

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):  # type: ignore[no-untyped-def]
            super().__init__(*a, directory=str(served), **k)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (served / "index.json").write_text(
        json.dumps(
            [
                {
                    "package_version": "0.1",
                    "argos_version": "1.9",
                    "from_code": "zh",
                    "from_name": "Chinese",
                    "to_code": "en",
                    "to_name": "English",
                    "type": "translate",
                    "links": [f"{base}/{tiny_archive.name}"],
                }
            ]
        )
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_cli("models", "install", "zh", "en", "--index", f"{base}/")
        assert result.returncode == 0, result.stderr
        assert "translate-zh_en-0_1\tzh → en" in result.stdout
        missing = run_cli("models", "install", "en", "zh", "--index", f"{base}/index.json")
        assert missing.returncode == 2
        assert "has no en → zh model" in missing.stderr
    finally:
        server.shutdown()
    assert [m.name for m in argos.installed()] == ["translate-zh_en-0_1"]


def test_models_cli(bilingual_home: Path, tiny_archive: Path) -> None:
    assert run_cli("models", "install-file", str(tiny_archive)).returncode == 0
    assert run_cli("models", "list").stdout.startswith("translate-zh_en-0_1\tzh → en\t0.1")
    assert run_cli("models", "remove", "translate-zh_en-0_1").returncode == 0
    assert run_cli("models", "list").stdout == ""


def test_no_model_says_how_to_install_one(bilingual_home: Path) -> None:
    with pytest.raises(ModelError, match=r"install one with `bilingual models install zh en`"):
        ArgosEngine("zh", "en")
    result = run_cli("translate", "--engine", "argos", input="进口下降。")
    assert result.returncode == 2
    assert (
        len(result.stderr.splitlines()) == 1 and "bilingual models install zh en" in result.stderr
    )


def test_deterministic_and_batch_independent(tiny_installed: Path) -> None:
    engine = ArgosEngine("zh", "en", TranslateOptions(beam_size=1))
    together = engine.translate_batch(SENTENCES, None)
    alone = [engine.translate_batch([s], None)[0] for s in SENTENCES]
    assert together == alone == engine.translate_batch(SENTENCES, None)
    assert len(set(together)) == len(SENTENCES)  # different inputs, different outputs
    assert ArgosEngine("zh", "en", TranslateOptions(beam_size=4)).id != engine.id


REFERENCE = """
import json, sys
import argostranslate.translate as t
print(json.dumps([t.translate(s, "zh", "en") for s in json.loads(sys.argv[1])]))
"""


def test_greedy_output_matches_argostranslate(tiny_installed: Path, tmp_path: Path) -> None:
    ours = ArgosEngine("zh", "en", TranslateOptions(beam_size=1)).translate_batch(SENTENCES, None)
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "ARGOS_PACKAGES_DIR": str(tiny_installed / "models"),
        "ARGOS_BEAM_SIZE": "1",
    }
    out = subprocess.run(
        [sys.executable, "-c", REFERENCE, json.dumps(SENTENCES)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(out.stdout) == ours


def test_importing_argostranslate_writes_nothing_under_home(
    tiny_installed: Path, tmp_path: Path
) -> None:
    code = (
        "from bilingual.translate.engines.argos import ArgosEngine\n"
        "ArgosEngine('zh', 'en').translate_batch(['进口。'], None)\n"
        "import argostranslate.package"
    )
    home = tmp_path / "user"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "BILINGUAL_HOME": str(tiny_installed)}
    for key in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "ARGOS_PACKAGES_DIR"):
        env.pop(key, None)
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=120)
    assert list(home.iterdir()) == []
