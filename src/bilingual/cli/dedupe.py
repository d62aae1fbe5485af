"""``bilingual dedupe``: stream items, drop or mark duplicates, report every one."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any

import click

from .. import io
from ..dedupe import ItemDeduper
from ..document import Document
from ..options import PipelineOptions
from ..output import atomic_output
from ..pipeline import Pipeline
from ..pipeline.report import boilerplate_counts
from ..text.decode import decode
from .common import command_options, files_argument, output_option, process


@click.command(name="dedupe")
@files_argument
@output_option
@command_options("dedupe")
@click.option("--report", metavar="FILE", help="Write every duplicate here (JSON).")
def dedupe_command(
    files: tuple[str, ...], output: str | None, options: PipelineOptions, report: str | None
) -> None:
    """Remove exact, near and cross-lingual duplicates, and say what was removed.

    Text files are items; with --jsonl every line is. Memory grows with what is kept.
    Cross-lingual summaries (an English headline of a Chinese paragraph) and pairs whose
    figures differ (a typo, another unit) are reported and kept. A summary of counts goes to
    stderr; --report writes one JSON object with the counts, every duplicate and the
    boilerplate (datelines, site names) ignored.

    \b
    Examples:
      bilingual dedupe page.txt --report duplicates.json
      bilingual dedupe --jsonl --id-field url --level document --mark < pages.jsonl
    """
    pipeline = Pipeline(options, steps=("dedupe",), to="none")
    stream = ItemDeduper(pipeline._deduper.deduper, level=options.dedupe_level)
    found: list[dict[str, Any]] = []
    items = 0

    def run(text: str, item_id: str) -> tuple[Document, list[dict[str, Any]]]:
        nonlocal items
        items += 1
        doc = Document(item_id, text)
        dups = stream.add(doc, keep_duplicates=options.mark)
        found.extend({**d, "text": d["text"][:200]} for d in dups)  # the report quotes a bit
        return doc, dups

    def on_text(path: str, source: str, out: IO[str]) -> None:
        doc, _ = run(decode(io.read_bytes(path))[0], source)
        out.write(doc.kept)

    def on_record(obj: dict[str, Any], value: str) -> None:
        item_id = str(obj.get(options.id_field, items)) if options.id_field else str(items)
        doc, dups = run(value, item_id)
        obj[options.field_name] = doc.kept
        if dups:
            obj["duplicates"] = [
                {k: d[k] for k in ("unit", "duplicate_of", "kind", "score", "summary")}
                for d in dups
            ]

    policy = process(options, files, output, on_text, on_record, extra_outputs=[report])
    kinds = Counter(("summary" if d["summary"] else d["kind"]) for d in found)
    if report:
        with atomic_output(report) as out:
            counts = {
                "items": items,
                "units": stream.units,
                "duplicates_by_kind": dict(kinds),
                "boilerplate": boilerplate_counts(stream.deduper.boilerplate)
                if stream.deduper is not None
                else {},
            }
            json.dump(
                {**counts, "duplicates": found, "skipped": policy.skipped},
                out,
                ensure_ascii=False,
                indent=1,
            )
            out.write("\n")
    if not options.quiet:
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
        click.echo(
            f"bilingual: {stream.units} units in {items} item(s); duplicates: {summary}",
            err=True,
        )
