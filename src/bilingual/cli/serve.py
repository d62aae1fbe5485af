"""``bilingual serve``: the LibreTranslate-compatible API, and the review page."""

from __future__ import annotations

import signal

import click

from ..errors import ModelError
from ..options import PipelineOptions
from .common import command_options


@click.command(name="serve")
@command_options("serve")
@click.option("--report", metavar="FILE", help="With --review: the run's report (JSON).")
def serve_command(options: PipelineOptions, report: str | None) -> None:
    """Serve translation over HTTP: LibreTranslate's API (/translate, /detect, /languages)
    with our glossaries, number guard and memory, plus /glossaries/NAME, /memory/stats,
    /health and /metrics. With --review, a page at /review to check a run, accept or edit
    its translations (kept in the memory) and add glossary terms.

    Listens on 127.0.0.1 unless --host says otherwise; stops on Ctrl+C or SIGTERM.

    \b
    Examples:
      bilingual serve
      bilingual serve --port 5000 --glossary bundled --glossary ./terms.tsv --workers 2
      bilingual serve --api-keys keys.txt --req-limit 60 --host 0.0.0.0
      bilingual run page.txt --format jsonl -o result.jsonl --report report.json
      bilingual serve --review result.jsonl --report report.json -g ./terms.tsv
    """
    try:
        from ..serve.run import serve
    except ImportError as e:
        raise ModelError(
            f"bilingual serve needs the 'serve' extra: pip install 'bilingual-toolkit[serve]' "
            f"({e.name} is missing)"
        ) from e
    try:
        serve(options, report=report)
    except KeyboardInterrupt:  # Ctrl+C: uvicorn finished the requests under way
        pass
    except SystemExit as e:  # SIGTERM, raised again by uvicorn once it has stopped
        if e.code != 128 + signal.SIGTERM:
            raise
