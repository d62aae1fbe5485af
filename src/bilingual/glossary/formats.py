"""Reading and writing glossaries: TSV (ours), CSV (DeepL / Google Cloud), TBX (ISO 30042).

All readers raise :class:`~bilingual.errors.GlossaryError` naming the file and line.
Writers write atomically (see :func:`bilingual.output.atomic_output`).
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from .. import safexml
from ..errors import GlossaryError, InputError
from ..output import atomic_output
from .entry import CASES, COLUMNS, STATUSES, Entry

Format = Literal["tsv", "csv", "tbx"]
FORMATS: tuple[Format, ...] = ("tsv", "csv", "tbx")


def format_of(path: str | Path) -> Format:
    suffix = Path(path).suffix.lower()
    if suffix in (".tsv", ".txt", ""):
        return "tsv"
    if suffix == ".csv":
        return "csv"
    if suffix in (".tbx", ".xml"):
        return "tbx"
    raise GlossaryError(
        f"unknown glossary format {suffix!r} (use .tsv, .csv or .tbx)", source=str(path)
    )


MAX_BYTES = 64 * 1024**2
"""A glossary file larger than this (64 MiB) is refused."""


def read_glossary(path: Path) -> list[Entry]:
    """Entries of a glossary file, in file order. Only regular files are read (not a
    device such as ``/dev/zero``), at most :data:`MAX_BYTES`."""
    from ..io import read_file

    try:
        data = read_file(path, MAX_BYTES)
    except InputError as e:
        raise GlossaryError(e.reason, source=str(path)) from e
    kind = format_of(path)
    if kind == "tbx":
        return parse_tbx(data, str(path))
    text = _utf8(data, str(path))
    return parse_tsv(text, str(path)) if kind == "tsv" else parse_csv(text, str(path))


def _utf8(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise GlossaryError("not valid UTF-8", source=source, line=line) from e


def parse_tsv(text: str, source: str = "<tsv>") -> list[Entry]:
    """Our TSV format: a header naming the columns, ``#`` comments, one entry a line.
    Lines end at ``\n`` (or ``\r\n``) only: a term may hold U+2028 or U+0085."""
    header: list[str] | None = None
    entries: list[Entry] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = [f.strip() for f in fields]
            unknown = [c for c in header if c not in COLUMNS]
            if unknown or "zh" not in header or "en" not in header:
                # The line itself is not quoted: the file may be anything (a secret).
                raise GlossaryError(
                    f"not a glossary: the first line that is not a comment must name the "
                    f"columns, from {', '.join(COLUMNS)}, including zh and en",
                    source=source,
                    line=number,
                )
            continue
        if len(fields) != len(header):
            raise GlossaryError(
                f"{len(fields)} columns, the header has {len(header)}", source=source, line=number
            )
        entries.append(_entry(dict(zip(header, fields, strict=True)), source, number))
    if header is None:
        raise GlossaryError("empty glossary: no header line", source=source)
    return entries


def _entry(row: dict[str, str], source: str, line: int) -> Entry:
    status = row.get("status", "").strip() or "approved"
    if status not in STATUSES:
        raise GlossaryError(
            f"status {status!r} is not one of {', '.join(STATUSES)}", source=source, line=line
        )
    case = row.get("case", "").strip() or "insensitive"
    if case not in CASES:
        raise GlossaryError(
            f"case {case!r} is not one of {', '.join(CASES)}", source=source, line=line
        )
    preferred = row.get("preferred", "").strip()
    if preferred not in ("", "yes", "no"):
        raise GlossaryError(
            f"preferred must be yes, no or empty, not {preferred!r}", source=source, line=line
        )
    return Entry(
        zh=row["zh"],
        en=row["en"],
        status=status,
        case=case,
        preferred=preferred == "yes",
        domain=row.get("domain", ""),
        note=row.get("note", ""),
        source=source,
        line=line,
    )


def tsv_text(entries: Iterable[Entry], comments: Sequence[str] = ()) -> str:
    out = [f"# {c}" for c in comments]
    out.append("\t".join(COLUMNS))
    for e in entries:
        fields = [e.zh, e.en, e.status, e.case, "yes" if e.preferred else "", e.domain, e.note]
        if any("\t" in f or "\n" in f or "\r" in f for f in fields):
            raise GlossaryError(
                f"a field holds a tab or line break: {e.zh!r}", source=e.source, line=e.line or None
            )
        if e.zh.startswith("#"):  # the line would read as a comment, the entry lost
            raise GlossaryError(
                f"a Chinese term starting with # cannot be written to TSV: {e.zh!r}",
                source=e.source,
                line=e.line or None,
            )
        out.append("\t".join(fields))
    return "\n".join(out) + "\n"


def parse_csv(text: str, source: str = "<csv>") -> list[Entry]:
    """DeepL / Google Cloud glossary CSV: ``source,target`` (DeepL may add two language
    columns); no header. All entries are approved."""
    entries = []
    for number, row in enumerate(csv.reader(_io.StringIO(text)), start=1):
        if not row or not "".join(row).strip():
            continue
        if len(row) not in (2, 4):
            raise GlossaryError(
                f"{len(row)} columns, expected source,target", source=source, line=number
            )
        zh, en = (_uncell(cell) for cell in row[:2])
        entries.append(Entry(zh, en, source=source, line=number))
    return entries


def _uncell(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA) else value


def csv_text(entries: Iterable[Entry]) -> tuple[str, int]:
    """CSV of the approved and do-not-translate entries, and how many others were left out
    (CSV glossaries cannot say ``forbidden``)."""
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    left_out = 0
    for e in entries:
        if e.status == "forbidden":
            left_out += 1
            continue
        writer.writerow([_cell(e.zh), _cell(e.en)])
    return buffer.getvalue(), left_out


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) gets a
    leading ``'``, as OWASP advises for CSV; :func:`parse_csv` takes it off again."""
    return "'" + value if value.startswith(_FORMULA) else value


# --- TBX ---------------------------------------------------------------------------------

_ADMIN = {
    "approved": "admittedTerm-admn-sts",
    "preferred": "preferredTerm-admn-sts",
    "forbidden": "deprecatedTerm-admn-sts",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def tbx_text(entries: Iterable[Entry]) -> str:
    """TBX (ISO 30042 core structure: martif/text/body/termEntry/langSet/tig/term), one
    termEntry per entry. Status goes in ``administrativeStatus``; do-not-translate and
    case-sensitive in a ``usageNote``."""
    from xml.etree import ElementTree as ET

    root = ET.Element("martif", {"type": "TBX", _XML_LANG: "en"})
    header = ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc")
    ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = "bilingual glossary"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for i, e in enumerate(entries, start=1):
        term_entry = ET.SubElement(body, "termEntry", {"id": f"e{i}"})
        if e.domain:
            ET.SubElement(term_entry, "descrip", {"type": "subjectField"}).text = e.domain
        if e.note:
            ET.SubElement(term_entry, "note").text = e.note
        zh = ET.SubElement(ET.SubElement(term_entry, "langSet", {_XML_LANG: "zh"}), "tig")
        ET.SubElement(zh, "term").text = e.zh
        en = ET.SubElement(ET.SubElement(term_entry, "langSet", {_XML_LANG: "en"}), "tig")
        ET.SubElement(en, "term").text = e.en
        admin = _ADMIN["preferred" if e.preferred else "approved"]
        if e.status == "forbidden":
            admin = _ADMIN["forbidden"]
        ET.SubElement(en, "termNote", {"type": "administrativeStatus"}).text = admin
        usage = [
            u
            for u, on in (
                ("do-not-translate", e.status == "do-not-translate"),
                ("case-sensitive", e.case == "sensitive"),
            )
            if on
        ]
        if usage:
            ET.SubElement(en, "termNote", {"type": "usageNote"}).text = "; ".join(usage)
    return safexml.serialize(root, "TBX", GlossaryError)


def parse_tbx(data: bytes, source: str = "<tbx>") -> list[Entry]:
    """Entries of a TBX file (see :func:`bilingual.safexml.parse` for what is refused)."""
    root = safexml.parse(data, source, GlossaryError)
    entries = []
    for term_entry in root.iter("termEntry"):
        terms: dict[str, str] = {}
        notes: dict[str, str] = {}
        for lang_set in term_entry.iter("langSet"):
            lang = (lang_set.get(_XML_LANG) or lang_set.get("lang") or "").lower().split("-")[0]
            term = lang_set.find("tig/term")
            if term is not None and lang in ("zh", "en"):
                terms[lang] = term.text or ""
                if lang == "en":
                    for note in lang_set.iter("termNote"):
                        notes[note.get("type", "")] = (note.text or "").strip()
        if "zh" not in terms or "en" not in terms:
            raise GlossaryError(
                f"termEntry {term_entry.get('id')!r} lacks a zh or en term", source=source
            )
        admin = notes.get("administrativeStatus", "")
        usage = notes.get("usageNote", "")
        status = "forbidden" if admin.startswith(("deprecated", "superseded")) else "approved"
        if "do-not-translate" in usage:
            status = "do-not-translate"
        descrip = term_entry.find("descrip[@type='subjectField']")
        note_element = term_entry.find("note")
        entries.append(
            Entry(
                zh=terms["zh"],
                en=terms["en"],
                status=status,  # type: ignore[arg-type]
                case="sensitive" if "case-sensitive" in usage else "insensitive",
                preferred=admin.startswith("preferred"),
                domain=descrip.text or "" if descrip is not None else "",
                note=note_element.text or "" if note_element is not None else "",
                source=source,
            )
        )
    return entries


def write_glossary(path: str | Path, entries: Sequence[Entry], fmt: Format | None = None) -> int:
    """Write ``entries`` atomically; returns how many could not be written (CSV: forbidden)."""
    kind = fmt or format_of(path)
    left_out = 0
    if kind == "tsv":
        text = tsv_text(entries)
    elif kind == "csv":
        text, left_out = csv_text(entries)
    else:
        text = tbx_text(entries)
    with atomic_output(str(path)) as out:
        out.write(text)
    return left_out
