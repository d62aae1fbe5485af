"""A real LibreTranslate server on 127.0.0.1, serving only the tiny genuine Argos models.

LibreTranslate pins ``numpy<2``, so it lives in a virtual environment of its own
(:func:`ensure_venv`: created once, about 25 s, then reused; ``.ci/run`` creates it).
Nothing goes past the loopback interface:

- LibreTranslate updates its models at start-up only when fewer than two packages are
  installed: we install zh → en and en → zh, pass ``--load-only``, and point the package
  index at a ``file://`` address, so even that path fails locally.
- Sentence splitting uses the ``minisbd/rules.onnx`` inside the tiny model: nothing is
  downloaded at translate time.
- ONNX Runtime's telemetry is switched off (``ORT_DISABLE_TELEMETRY=1``).
- HOME, the XDG folders, TMPDIR and the working folder are a private folder; the caller's
  ``LT_*``, ``ARGOS_*`` and ``XDG_*`` variables are dropped.

Measured here: 0.7–0.9 s from start to the first ``/health`` 200 on a quiet machine.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SPEC = "libretranslate==1.9.6"
VENV = Path(__file__).resolve().parents[2] / ".cache" / "libretranslate-venv"
_MARKER = ".bilingual-lt-ok"


def ensure_venv(path: Path = VENV, spec: str = SPEC) -> Path:
    """``path`` as a virtual environment with ``spec`` installed; reused when it is."""
    marker = path / _MARKER
    if marker.exists() and marker.read_text().strip() == spec:
        return path
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    pip = [str(path / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "--disable-pip-version-check", spec], check=True)
    marker.write_text(spec + "\n")
    return path


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    workdir: Path
    log: Path

    def stop(self) -> None:
        """Terminate the server (its own process group) and remove its folder."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, 15)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, 9)
                self.process.wait()
        shutil.rmtree(self.workdir, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _install(archives: Sequence[Path], packages: Path) -> set[str]:
    """Unzip the archives as argostranslate would; the languages they cover."""
    codes: set[str] = set()
    for archive in archives:
        with zipfile.ZipFile(archive) as z:
            names = z.namelist()
            (meta,) = [n for n in names if n.endswith("/metadata.json") and n.count("/") == 1]
            data = json.loads(z.read(meta))
            codes |= {data["from_code"], data["to_code"]}
            z.extractall(packages)
    return codes


def _status(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def start(
    archives: Sequence[Path],
    *,
    venv: Path = VENV,
    extra_args: Sequence[str] = (),
    api_keys: Mapping[str, int] | None = None,
    timeout: float = 120.0,
) -> Server:
    """Start LibreTranslate with ``archives`` (zh → en and en → zh) on a free port.
    ``api_keys``: key → requests per minute (``--api-keys`` with a private database)."""
    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="lt-server-"))
    folders = {name: work / name for name in ("packages", "data", "config", "cache", "home", "tmp")}
    for folder in folders.values():
        folder.mkdir()
    codes = _install(archives, folders["packages"])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LT_", "ARGOS_", "XDG_"))}
    env |= {
        "HOME": str(folders["home"]),
        "XDG_DATA_HOME": str(folders["data"]),
        "XDG_CONFIG_HOME": str(folders["config"]),
        "XDG_CACHE_HOME": str(folders["cache"]),
        "TMPDIR": str(folders["tmp"]),
        "ARGOS_PACKAGES_DIR": str(folders["packages"]),
        "ARGOS_PACKAGE_INDEX": f"file://{work}/no-index/",
        "ARGOS_DEVICE_TYPE": "cpu",
        "ORT_DISABLE_TELEMETRY": "1",
        "PYTHONWARNINGS": "ignore",
    }
    args = [str(venv / "bin" / "libretranslate"), "--host", "127.0.0.1", "--port", str(port)]
    args += ["--load-only", ",".join(sorted(codes)), "--disable-web-ui", "--threads", "2"]
    if api_keys is not None:
        database = work / "api_keys.db"
        with sqlite3.connect(database) as db:
            db.execute(
                'CREATE TABLE api_keys ("api_key" TEXT NOT NULL, "req_limit" INTEGER NOT NULL, '
                '"char_limit" INTEGER DEFAULT NULL, PRIMARY KEY("api_key"))'
            )
            db.executemany("INSERT INTO api_keys VALUES (?, ?, NULL)", api_keys.items())
        args += ["--api-keys", "--api-keys-db-path", str(database)]
    args += list(extra_args)
    log = work / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            args,
            cwd=work,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", work, log)
    deadline = time.monotonic() + timeout
    while _status(server.url + "/health") != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"LibreTranslate did not start:\n{tail}")
        time.sleep(0.1)
    return server


if __name__ == "__main__":  # make (or check) the virtual environment, as .ci/run does
    print(ensure_venv())
