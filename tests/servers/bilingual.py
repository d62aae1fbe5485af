"""``bilingual serve`` as a real process on 127.0.0.1, for tests and benchmarks.

It binds a free port (``--port 0``) and says which on stderr; :func:`start` waits for
that line and for ``/health``. The process gets its own ``$BILINGUAL_HOME`` when the
caller gives one, and ONNX Runtime's telemetry off.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

_SERVING = re.compile(r"bilingual: serving (http://\S+)")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def stop(self) -> int:
        """SIGTERM (requests under way finish), then the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start(
    args: Sequence[str],
    *,
    home: Path,
    log: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120.0,
) -> Server:
    """``bilingual serve --port 0 ARGS`` with ``$BILINGUAL_HOME`` = ``home``."""
    environment = {**os.environ, "BILINGUAL_HOME": str(home), "ORT_DISABLE_TELEMETRY": "1"}
    environment.update(env or {})
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "bilingual", "serve", "--port", "0", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            cwd=cwd,
        )
    server = Server(process, "", log)
    deadline = time.monotonic() + timeout
    while True:
        found = _SERVING.search(server.output)
        if found:
            server.url = found.group(1)
            break
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"bilingual serve did not start:\n{server.output[-3000:]}")
        time.sleep(0.05)
    while True:  # with several workers, the port answers once a worker is up
        try:
            with urllib.request.urlopen(server.url + "/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"bilingual serve did not answer:\n{server.output[-3000:]}")
        time.sleep(0.05)
