"""llama-cpp-python's OpenAI-compatible server on 127.0.0.1 with the tiny GGUF model of
tests/servers/tiny_gguf.py: a real OpenAI-compatible server for the ``openai`` engine.

Building llama-cpp-python compiles llama.cpp (6–12 minutes on two cores: PyPI has no Linux
wheel), too slow for CI, so the tests that use it run only when ``BILINGUAL_LLAMA_VENV``
names a virtual environment where it is installed (``pip install
'llama-cpp-python[server]==0.3.36' gguf``), and are skipped otherwise.
"""

from __future__ import annotations

import os
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from servers.libretranslate import Server  # the same handle: process, url, folder, log

TINY_GGUF = Path(__file__).with_name("tiny_gguf.py")


def _ready(url: str, key: str | None) -> bool:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2):
            return True
    except (urllib.error.URLError, OSError):
        return False


def start(venv: Path, *, api_key: str | None = None, timeout: float = 60.0) -> Server:
    """Write the tiny model with the venv's ``gguf`` and serve it as ``tiny``."""
    work = Path(tempfile.mkdtemp(prefix="llama-server-"))
    python = str(venv / "bin" / "python")
    model = work / "tiny.gguf"
    subprocess.run([python, str(TINY_GGUF), str(model)], check=True, capture_output=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [python, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "tiny"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]
    args += ["--interrupt_requests", "False", "--verbose", "False"]
    if api_key:
        args += ["--api_key", api_key]
    env = {
        k: v for k, v in os.environ.items() if k.upper() not in ("MODEL", "HOST", "PORT", "API_KEY")
    }
    with open(work / "server.log", "wb") as log:
        process = subprocess.Popen(
            args, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}/v1", work, work / "server.log")
    deadline = time.monotonic() + timeout
    while not _ready(server.url + "/models", api_key):
        if process.poll() is not None or time.monotonic() > deadline:
            log_text = (work / "server.log").read_text(errors="replace")[-2000:]
            server.stop()
            raise RuntimeError(f"llama_cpp.server did not start:\n{log_text}")
        time.sleep(0.1)
    return server
