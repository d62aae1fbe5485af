"""``bilingual dedupe``: stream items, drop or mark duplicates, report every one."""

from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any

import click

from . import io
from .cli_common import IOOptions, common_io, paraphrase_option, process


@click.command(name="dedupe")
@common_io
@click.option(
    "--level",
    type=click.Choice(["paragraph", "document"]),
    default="paragraph",
    show_default=True,
    help="Compare paragraphs, or whole items.",
)
@click.option(
    "--threshold",
    type=click.FloatRange(0.01, 1.0),
    default=0.8,
    show_default=True,
    help="Near-duplicate similarity (MinHash Jaccard estimate).",
)
@paraphrase_option
@click.option("--id-field", default=None, metavar="NAME", help="With --jsonl: the item id field.")
@click.option("--mark", is_flag=True, help="Keep duplicates, labelled, instead of dropping them.")
@click.option(
    "--cross-lingual/--no-cross-lingual",
    default=True,
    show_default=True,
    help="Also match Chinese against English (figures and words).",
)
@click.option("--report", metavar="FILE", help="Write every duplicate as JSON Lines here.")
def dedupe_command(
    io_options: IOOptions,
    level: str,
    threshold: float,
    paraphrase: float,
    id_field: str | None,
    mark: bool,
    cross_lingual: bool,
    report: str | None,
) -> None:
    """Remove exact, near and cross-lingual duplicates, and say what was removed.

    Text files are items; with --jsonl every line is. Memory grows with what is kept.
    Cross-lingual summaries (an English headline of a Chinese paragraph) are reported and
    kept. A summary of counts goes to stderr.

    \b
    Examples:
      bilingual dedupe page.txt --report duplicates.jsonl
      bilingual dedupe --jsonl --id-field url --level document --mark < pages.jsonl
    """
    from .dedupe import Deduper, ItemDeduper

    deduper = Deduper(
        threshold=threshold, paraphrase=paraphrase or None, cross_lingual=cross_lingual
    )
    stream = ItemDeduper(deduper, level=level)
    found: list[dict[str, Any]] = []
    items = 0

    def run(text: str, item_id: str) -> tuple[str, list[dict[str, Any]]]:
        nonlocal items
        items += 1
        kept, dups = stream.item(text, item_id, keep_duplicates=mark)
        found.extend({**d, "text": d["text"][:200]} for d in dups)  # the report quotes a bit
        return kept, dups

    def on_text(path: str, source: str, out: IO[str]) -> None:
        from .repair import decode

        text, _ = run(decode(io.read_bytes(path))[0], source)
        out.write(text)

    def on_record(obj: dict[str, Any], value: str) -> None:
        item_id = str(obj.get(id_field, items)) if id_field else str(items)
        text, dups = run(value, item_id)
        obj[io_options.field_name] = text
        if dups:
            obj["duplicates"] = [
                {k: d[k] for k in ("unit", "duplicate_of", "kind", "score", "summary")}
                for d in dups
            ]

    process(io_options, on_text, on_record)
    if report:
        with io.atomic_output(report) as out:
            for entry in found:
                out.write(json.dumps(entry, ensure_ascii=False) + "\n")
    kinds = Counter(("summary" if d["summary"] else d["kind"]) for d in found)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    click.echo(
        f"bilingual: {stream.units} units in {items} item(s); duplicates: {summary}",
        err=True,
    )
