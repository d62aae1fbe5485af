"""``bilingual glossary``: keep glossaries clean, convert them, and find missing terms."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click

from .. import io
from ..errors import BilingualError, GlossaryError, InputError
from ..glossary import FORMATS, Entry, Glossary, fix, lint, read_glossary, write_glossary
from ..glossary.edit import add_entry
from ..glossary.edit import rewrite as _rewrite
from ..glossary.entry import CASES, STATUSES
from ..glossary.formats import tsv_text
from ..glossary.mine import sorted_entries
from ..output import atomic_output, check_paths
from .common import Failed, glossary_files

_quiet = click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")


@click.group(name="glossary")
def glossary_group() -> None:
    """Maintain glossaries: lint, add, remove, sort, merge, convert, stats, coverage, extract.

    A glossary is a TSV file (see docs/glossary-format.md), a DeepL/Google CSV or a TBX
    file; bundled glossaries are named without a path (automotive, battery-recycling,
    nickel-stainless, organisations).
    """


@glossary_group.command(name="lint")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--fix",
    "apply_fix",
    is_flag=True,
    help="Apply the safe fixes (whitespace, full-width, duplicates) in place.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print errors only, not warnings.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per finding.")
def lint_command(files: tuple[str, ...], apply_fix: bool, quiet: bool, as_json: bool) -> None:
    """Check glossaries; exit 1 when there are errors. Files are checked together, so a
    conflict between two glossaries is found too.

    \b
    Examples:
      bilingual glossary lint glossaries/*.tsv
      bilingual glossary lint --fix my-terms.tsv
      bilingual glossary lint --json my-terms.tsv | jq -r .message
    """
    entries: list[Entry] = []
    errors = 0
    for name in files:
        path = Path(name)
        try:
            loaded = read_glossary(path)
        except GlossaryError as e:
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "where": e.source,
                            "line": e.line,
                            "severity": "error",
                            "code": "parse",
                            "message": e.reason,
                        }
                    )
                )
            else:
                click.echo(f"{e}".replace(": ", ": error: parse: ", 1) if e.line else f"{e}")
            errors += 1
            continue
        if apply_fix:
            loaded, fixed = fix(loaded)
            if fixed:
                _rewrite(path, loaded)
                if not quiet:
                    click.echo(f"{path}: fixed {fixed} finding(s)", err=True)
                loaded = read_glossary(path)
        entries += loaded
    findings = lint(entries)
    for f in findings:
        if f.severity == "error" or not quiet:
            if as_json:
                click.echo(json.dumps(f.to_dict(), ensure_ascii=False))
            else:
                click.echo(str(f) + (" (fixable with --fix)" if f.fixable else ""))
    errors += sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    click.echo(
        f"{len(entries)} entries in {len(files)} file(s): {errors} error(s), {warnings} warning(s)",
        err=True,
    )
    if errors:
        raise Failed(f"{errors} error(s)")


@glossary_group.command(name="add")
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("zh")
@click.argument("en")
@click.option("--status", type=click.Choice(STATUSES), default="approved", show_default=True)
@click.option("--case", type=click.Choice(CASES), default="insensitive", show_default=True)
@click.option("--preferred", is_flag=True, help="The rendering to use among several.")
@click.option("--domain", default="", help="Subject field, e.g. automotive.")
@click.option("--note", default="", help="The usage the entry reflects.")
@_quiet
def add_command(
    file: str,
    zh: str,
    en: str,
    status: str,
    case: str,
    preferred: bool,
    domain: str,
    note: str,
    quiet: bool,
) -> None:
    """Add an entry; refused when it would make lint report an error.

    \b
    Example:
      bilingual glossary add my-terms.tsv 黑粉 "black mass" --domain battery-recycling
    """
    path = Path(file)
    new = Entry(zh, en, status, case, preferred, domain, note, str(path), 0)  # type: ignore[arg-type]
    problems = add_entry(path, new)
    if problems:
        raise click.ClickException("; ".join(f"{f.code}: {f.message}" for f in problems))
    if not quiet:
        click.echo(f"{path}: added {zh} → {en}", err=True)


@glossary_group.command(name="remove")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.argument("zh")
@click.argument("en", required=False)
@_quiet
def remove_command(file: str, zh: str, en: str | None, quiet: bool) -> None:
    """Remove the entries for a Chinese term (only the one rendering, if EN is given).

    \b
    Example:
      bilingual glossary remove my-terms.tsv 黑粉 "black powder"
    """
    path = Path(file)
    entries = read_glossary(path)
    kept = [e for e in entries if not (e.zh == zh and (en is None or e.en == en))]
    if len(kept) == len(entries):
        raise click.ClickException(f"{path}: no entry for {zh!r}" + (f" → {en!r}" if en else ""))
    _rewrite(path, kept)
    if not quiet:
        click.echo(f"{path}: removed {len(entries) - len(kept)} entry(ies)", err=True)


@glossary_group.command(name="sort")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--by", type=click.Choice(["pinyin", "en"]), default="pinyin", show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write here instead of in place.")
@_quiet
def sort_command(file: str, by: str, output: str | None, quiet: bool) -> None:
    """Sort entries stably by the pinyin of the Chinese term, or by the English term.

    \b
    Example:
      bilingual glossary sort glossaries/automotive.tsv --by pinyin
    """
    path = Path(file)
    entries = sorted_entries(read_glossary(path), by)  # type: ignore[arg-type]
    if output:
        check_paths([file], [output])
        write_glossary(output, entries)
    else:
        _rewrite(path, entries)
    if not quiet:
        click.echo(f"{output or path}: {len(entries)} entries sorted by {by}", err=True)


@glossary_group.command(name="merge")
@click.argument("first", type=click.Path(exists=True, dir_okay=False))
@click.argument("second", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, metavar="FILE", help="The merged glossary.")
@_quiet
def merge_command(first: str, second: str, output: str, quiet: bool) -> None:
    """Merge two glossaries. Exact duplicates are dropped; conflicting renderings are both
    kept and listed, and the exit status is 1 until a person resolves them.

    \b
    Example:
      bilingual glossary merge ours.tsv theirs.tbx -o merged.tsv
    """
    check_paths([first, second], [output])
    a, b = read_glossary(Path(first)), read_glossary(Path(second))
    seen = {(e.zh, e.en, e.status) for e in a}
    merged = a + [e for e in b if (e.zh, e.en, e.status) not in seen]
    conflicts = [f for f in lint(merged) if f.code == "conflict"]
    write_glossary(output, merged)
    if not quiet:
        click.echo(
            f"{output}: {len(merged)} entries ({len(merged) - len(a)} from {second})", err=True
        )
    if conflicts:
        for f in conflicts:
            click.echo(str(f))
        raise Failed(f"{len(conflicts)} conflict(s) to resolve in {output}")


@glossary_group.command(name="convert")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.argument("target", required=False, type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE", help="The file to write (or give it as TARGET).")
@click.option("--to", "fmt", type=click.Choice(FORMATS), help="Format (default: by extension).")
@_quiet
def convert_command(
    source: str, target: str | None, output: str | None, fmt: str | None, quiet: bool
) -> None:
    """Convert between TSV, CSV (DeepL / Google Cloud order) and TBX.

    \b
    Examples:
      bilingual glossary convert glossaries/automotive.tsv -o automotive.tbx
      bilingual glossary convert automotive.tbx automotive.csv
    """
    if target and output and target != output:
        raise click.UsageError("give the output once: as TARGET or with -o")
    destination = output or target
    if not destination:
        raise click.UsageError("give the output file: TARGET or -o FILE")
    check_paths([source], [destination])
    entries = read_glossary(Path(source))
    left_out = write_glossary(destination, entries, fmt)  # type: ignore[arg-type]
    if left_out and not quiet:
        click.echo(
            f"{destination}: left out {left_out} forbidden entry(ies): CSV cannot hold them",
            err=True,
        )


@glossary_group.command(name="stats")
@click.argument("files", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="As one JSON object.")
def stats_command(files: tuple[str, ...], as_json: bool) -> None:
    """Count entries by file, status, domain and case; bundled names work too.

    \b
    Examples:
      bilingual glossary stats automotive organisations
      bilingual glossary stats --json bundled
    """
    glossary = Glossary.load(*files)
    tables: dict[str, Counter[str]] = {
        "file": Counter(e.source for e in glossary),
        "status": Counter(e.status for e in glossary),
        "domain": Counter(e.domain or "-" for e in glossary),
        "case": Counter(e.case for e in glossary),
    }
    distinct = len({e.zh for e in glossary})
    if as_json:
        counts = {title: dict(counter.most_common()) for title, counter in tables.items()}
        whole = {**counts, "entries": len(glossary), "distinct_zh": distinct}
        click.echo(json.dumps({**whole, "replaced": glossary.conflicts}, ensure_ascii=False))
        return
    for title, counter in tables.items():
        click.echo(f"{title}:")
        for key, n in counter.most_common():
            click.echo(f"  {n:6}  {key}")
    click.echo(f"entries: {len(glossary)}; distinct Chinese terms: {distinct}")
    for conflict in glossary.conflicts:
        click.echo(f"replaced: {conflict}")


def _texts(files: tuple[str, ...]) -> Iterator[str]:
    for path in files:
        yield "".join(io.iter_text_lines(path))


@glossary_group.command(name="coverage")
@click.argument("corpus", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    default=("bundled",),
    show_default=True,
    help="Glossaries to check against (repeat the option; 'bundled' for all bundled ones).",
)
@click.option("--min-count", type=int, default=2, show_default=True)
@click.option("--top", type=int, default=200, show_default=True, help="At most this many.")
@click.option("-o", "--output", metavar="FILE", help="Write the TSV here, not to stdout.")
def coverage_command(
    corpus: tuple[str, ...],
    glossaries: tuple[str, ...],
    min_count: int,
    top: int,
    output: str | None,
) -> None:
    """Chinese terms of a corpus that the glossaries do not cover, most frequent first,
    with CC-CEDICT glosses, as a glossary TSV to review and append.

    \b
    Example:
      bilingual glossary coverage news/*.txt -g automotive -o missing.tsv
    """
    from ..glossary.mine import coverage

    check_paths([*corpus, *glossary_files(glossaries)], [output])
    found = coverage(_texts(corpus), Glossary.load(*glossaries), min_count=min_count)[:top]
    with atomic_output(output) as out:
        out.write(
            tsv_text([c.entry() for c in found], ["Candidates: review each en, then append."])
        )


def _pairs(path: str) -> Iterator[tuple[str, str]]:
    source = io.source_name(path)
    if path.endswith(".jsonl"):
        with io.open_binary(path) as stream:
            for number, obj in io.iter_jsonl(stream, source):
                if isinstance(obj, BilingualError):
                    raise obj
                if not isinstance(obj.get("zh"), str) or not isinstance(obj.get("en"), str):
                    raise InputError(
                        "needs string fields 'zh' and 'en'", source=source, line=number
                    )
                yield obj["zh"], obj["en"]
        return
    for number, line in enumerate(io.iter_text_lines(path), start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) != 2:
            raise InputError("expected zh<TAB>en", source=source, line=number)
        yield parts[0], parts[1]


@glossary_group.command(name="extract")
@click.argument("pairs", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "-g",
    "--glossary",
    "glossaries",
    multiple=True,
    help="Known glossaries: their terms are anchored first.",
)
@click.option("--min-count", type=int, default=2, show_default=True)
@click.option("--top", type=int, default=200, show_default=True)
@click.option("-o", "--output", metavar="FILE", help="Write the TSV here, not to stdout.")
def extract_command(
    pairs: str, glossaries: tuple[str, ...], min_count: int, top: int, output: str | None
) -> None:
    """Candidate term pairs from aligned zh/en text (TSV zh<TAB>en, or JSONL with zh and en
    fields), ranked by log-likelihood, as a glossary TSV to review.

    \b
    Example:
      bilingual glossary extract aligned.tsv -g automotive -o candidates.tsv
    """
    from ..glossary.mine import extract

    check_paths([pairs, *glossary_files(glossaries)], [output])
    found = extract(_pairs(pairs), Glossary.load(*glossaries), min_count=min_count)[:top]
    with atomic_output(output) as out:
        out.write(tsv_text([c.entry() for c in found], ["Candidates: review before use."]))
