"""Running the server: the socket, uvicorn, and worker processes.

The command binds the socket itself (so ``--port 0`` can say which port it got, and a
port in use is a one-line error), checks every option before it listens (with one worker
it loads the engines then; with several each worker loads its own, and the command first
loads them once to find a bad option), and hands the socket to uvicorn.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from typing import Any

from ..errors import ConfigError
from ..options import PipelineOptions
from .app import ENVIRONMENT, app_from_environment, create_app, options_to_environment
from .metrics import Metrics
from .worker import Worker, describe


def bind(host: str, port: int) -> socket.socket:
    if not host.strip():  # the socket API's "every interface": never by accident
        raise ConfigError("host: empty; write 0.0.0.0 to listen on every interface")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {e.strerror}") from e
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(
    options: PipelineOptions,
    *,
    report: str | None = None,
    announce: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> None:
    """Serve until interrupted (SIGINT or SIGTERM: the requests under way are finished)."""
    import uvicorn

    if report is not None and options.review is None:
        raise ConfigError("--report goes with --review RESULT.jsonl")
    worker = Worker(options, Metrics())
    worker.load()  # engines, glossaries and memory: bad options fail here, in one line
    app = create_app(options, report=report, worker=worker)  # the review and keys files too
    sock = bind(options.host, options.port)
    host, port = sock.getsockname()[:2]
    where = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
    engines = ", ".join(f"{pair} {name}" for pair, name in describe(worker)["engines"].items())
    if not options.quiet:
        announce(f"bilingual: serving {where} (engines: {engines}; workers: {options.workers})")
        if options.review is not None:
            announce(f"bilingual: review {where}/review")
    common: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "timeout_graceful_shutdown": 10,
    }
    metrics_dir = None
    try:
        if options.workers == 1:
            config = uvicorn.Config(app, lifespan="on", **common)
            uvicorn.Server(config).run(sockets=[sock])
            return
        from uvicorn.supervisors import Multiprocess

        asyncio.run(worker.stop())  # each worker process loads its own
        metrics_dir = tempfile.mkdtemp(prefix="bilingual-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        os.environ[ENVIRONMENT] = options_to_environment(options, report)
        config = uvicorn.Config(
            f"{__name__}:{app_from_environment.__name__}",
            factory=True,
            workers=options.workers,
            lifespan="on",
            **common,
        )
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)
