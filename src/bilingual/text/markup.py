"""Markdown and HTML documents: only their text is normalized and translated.

A document is cut into *units* of running text, each with its pieces in the source and the
spans inside it that are never edited (*opaque*):

Markdown (markdown-it-py, CommonMark with tables and strikethrough)
    a unit is the inline content of a paragraph, heading, list item or table cell, found
    in the source by the block's line map (block prefixes such as ``> `` and list indents
    stay out of it); inline code, link destinations (``](url "title")``, ``][ref]``),
    autolinks, images, inline HTML, entities and backslash escapes are opaque, as recorded
    by markdown-it's own inline rules while they parse. Code blocks, fences, front matter
    (``---`` YAML at the top), link reference definitions, thematic breaks and table
    structure are not text at all. HTML blocks are handled as HTML.
HTML (the standard library's ``html.parser`` tokenizer)
    a unit runs between block-level tags; inline tags (``<a href>``, ``<b>``, ``<br>``, ...),
    entities and the content of ``code``, ``pre``, ``kbd``, ``samp``, ``var``, ``script``,
    ``style``, ``textarea``, ``svg``, ``math`` and ``template`` are opaque. Tags, attributes,
    comments and the doctype are never edited. (selectolax and lxml build trees without
    source offsets, which byte-identical output needs; ``html.parser`` reports the position
    of every token.)

:func:`normalize_document` normalizes each unit with its opaque spans protected from every
step, and writes it back in place; :func:`translate_runs` hands the text runs (a unit cut at
its opaque spans and emphasis marks, whitespace kept) to a translating function and writes
the results back (escaped in HTML). Everything else stays byte-identical, and the output
keeps the input's format. Limits: a unit whose text markdown-it rewrote (tabs expanded in an
indent) is left as it is; runs are translated one by one, so a sentence broken by inline
markup is translated in parts; line ends become ``\\n``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError
from .markup_html import Span, Unit, html_units, line_starts

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

    from ..change import Change
    from ..options import NormalizeOptions

__all__ = [
    "FORMATS",
    "Unit",
    "detect_format",
    "normalize_document",
    "text_only",
    "translate_runs",
    "units",
]

FORMATS = ("text", "markdown", "html", "auto")

# --- detection -----------------------------------------------------------------------------

_HTML_SIGNS = re.compile(
    r"<!doctype html|<html[\s>]|<(?:p|div|body|head|table|ul|h[1-6])[\s>]", re.IGNORECASE
)
_MARKDOWN_SIGNS = re.compile(
    r"^(?:#{1,6} \S|```|~~~|[-*+] \S|\d+\. \S|> |\|.*\|\s*$|---\s*$)|\]\([^)\s]+\)|\*\*\S",
    re.MULTILINE,
)


def detect_format(text: str, name: str | None = None) -> str:
    """``markdown``, ``html`` or ``text``: by the file's extension, else by the content."""
    if name:
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix in ("md", "markdown", "mdown", "mkd"):
            return "markdown"
        if suffix in ("html", "htm", "xhtml"):
            return "html"
        if suffix == "txt":
            return "text"
    head = text[:20000]
    if _HTML_SIGNS.search(head):
        return "html"
    if len(_MARKDOWN_SIGNS.findall(head)) >= 2:
        return "markdown"
    return "text"


def resolve_format(fmt: str, text: str, name: str | None = None) -> str:
    if fmt not in FORMATS:
        raise ConfigError(f"input format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return detect_format(text, name) if fmt == "auto" else fmt


# --- Markdown ------------------------------------------------------------------------------

_KEY = "bilingual_spans"
_OPAQUE_RULES = ("backticks", "escape", "image", "autolink", "html_inline", "entity")
_SEPARATOR_RULES = ("emphasis", "strikethrough", "newline")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)


def _recording(name: str, fn: Callable[..., bool]) -> Callable[..., bool]:
    """Wrap an inline rule of markdown-it to record the source span of what it parsed."""
    from markdown_it.helpers import parseLinkLabel

    def rule(state: Any, silent: bool) -> bool:
        start = state.pos
        label_end = parseLinkLabel(state, start, True) if name == "link" and not silent else -1
        ok = fn(state, silent)
        if ok and not silent:
            # By the inline text: equal texts parse to equal spans.
            spans = state.env.setdefault(_KEY, {}).setdefault(state.src, set())
            spans.add((name, start, state.pos, label_end))
        return ok

    return rule


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    for rule in list(md.inline.ruler.__rules__):  # the rules' own functions, wrapped
        if rule.name in (*_OPAQUE_RULES, *_SEPARATOR_RULES, "link"):
            md.inline.ruler.at(rule.name, _recording(rule.name, rule.fn))
    return md


def _markdown_units(source: str) -> list[Unit]:
    front = _FRONT_MATTER.match(source)
    masked = source
    if front:  # parsed as blank lines, so the line numbers stay
        masked = "\n" * front.group().count("\n") + source[front.end() :]
    env: dict[str, Any] = {}
    tokens = _markdown().parse(masked, env)
    recorded: dict[str, set[tuple[str, int, int, int]]] = env.get(_KEY, {})
    starts = line_starts(source)
    cursors: dict[int, int] = {}  # line -> where the next cell on it may start
    found: list[Unit] = []
    for token in tokens:
        if token.type == "html_block" and token.map:
            lo, hi = starts[token.map[0]], _end_of_line(source, starts, token.map[1] - 1)
            found += [_shifted(u, lo) for u in html_units(source[lo:hi])]
            continue
        if token.type != "inline" or not token.map or token.children is None:
            continue
        unit = _inline_unit(token.content, token.map[0], source, starts, cursors)
        if unit is None:
            continue
        for name, start, end, label_end in sorted(recorded.get(token.content, ())):
            if name in _OPAQUE_RULES:
                unit.opaque.append((start, end))
            elif name == "link":
                unit.opaque.append((label_end if label_end > start else start, end))
            else:
                unit.separators.append((start, end))
        found.append(unit)
    return found


def _end_of_line(source: str, starts: list[int], line: int) -> int:
    end = source.find("\n", starts[line]) if line < len(starts) else -1
    return len(source) if end < 0 else end + 1


def _inline_unit(
    content: str, first_line: int, source: str, starts: list[int], cursors: dict[int, int]
) -> Unit | None:
    """The unit of an inline token: each line of its content found in its source line."""
    pieces = []
    offset = 0
    for k, line in enumerate(content.split("\n")):
        number = first_line + k
        if number >= len(starts):
            return None
        line_start = starts[number]
        line_end = _end_of_line(source, starts, number)
        at = source.find(line, line_start + cursors.get(number, 0), line_end)
        if at < 0:
            return None  # markdown-it rewrote the line (a tab in an indent): leave it
        cursors[number] = at - line_start + len(line)
        pieces.append((offset, offset + len(line), at))
        offset += len(line) + 1
    return Unit(content, pieces)


def _shifted(unit: Unit, by: int) -> Unit:
    unit.pieces = [(a, b, s + by) for a, b, s in unit.pieces]
    return unit


# --- the documents -------------------------------------------------------------------------


def units(document: str, fmt: str) -> list[Unit]:
    """The units of running text of ``document`` (``markdown`` or ``html``)."""
    if fmt == "markdown":
        return _markdown_units(document)
    if fmt == "html":
        return html_units(document)
    raise ConfigError(f"units: not a markup format: {fmt!r}")


def text_only(document: str, fmt: str) -> str:
    """``document`` with everything but its text blanked out (spaces; line breaks kept, so
    offsets and paragraphs stay): what deduplication should compare."""
    out = [ch if ch == "\n" else " " for ch in document]
    for unit in units(document, fmt):
        keep = [True] * len(unit.text)
        for start, end in unit.opaque:
            keep[start:end] = [False] * (end - start)
        for u_start, u_end, s_start in unit.pieces:
            for k in range(u_start, u_end):
                if keep[k]:
                    out[s_start + k - u_start] = unit.text[k]
    return "".join(out)


def _apply(document: str, replacements: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for start, end, text in sorted(replacements):
        if start < pos:
            continue  # overlapping (should not happen): the first wins
        out += [document[pos:start], text]
        pos = end
    out.append(document[pos:])
    return "".join(out)


def normalize_document(
    document: str,
    fmt: str,
    options: NormalizeOptions,
    normalize: Callable[..., str],
    changes: list[Change] | None = None,
) -> str:
    """``document`` with each unit normalized by ``normalize(text, options, keep, changes)``
    (``keep``: its opaque spans) and written back in place; a unit whose line count changed
    is left as it was. ``changes`` receives replayable changes in ``document``'s terms."""
    replacements = []
    delta = 0  # how far the units written so far moved the rest of the document
    for unit in units(document, fmt):
        unit_changes: list[Change] | None = [] if changes is not None else None
        new = normalize(unit.text, options, sorted(unit.opaque), unit_changes)
        if new == unit.text:
            continue
        parts = new.split("\n") if len(unit.pieces) > 1 else [new]
        if len(parts) != len(unit.pieces):
            continue
        for (u_start, u_end, s_start), part in zip(unit.pieces, parts, strict=True):
            replacements.append((s_start, s_start + u_end - u_start, part))
        if changes is not None and unit_changes:
            changes += _in_document(unit, unit_changes, delta)
        delta += len(new) - len(unit.text)
    return _apply(document, replacements)


def _in_document(unit: Unit, unit_changes: list[Change], delta: int) -> list[Change]:
    """The changes of a unit (each in terms of the unit's text as it was then) in terms of
    the document as it was then: units before it already changed, its lines in place."""
    lines = [s_start + delta for _, _, s_start in unit.pieces]
    text = unit.text
    moved = []
    for c in unit_changes:
        line = text.count("\n", 0, c.start) if len(lines) > 1 else 0
        line_start = text.rfind("\n", 0, c.start) + 1 if len(lines) > 1 else 0
        start = lines[line] + c.start - line_start
        moved.append(replace(c, start=start, end=start + c.end - c.start))
        text = text[: c.start] + c.after + text[c.end :]
        for j in range(line + 1, len(lines)):
            lines[j] += len(c.after) - (c.end - c.start)
    return moved


def translate_runs(
    document: str, fmt: str, translate: Callable[[list[str]], Sequence[str]]
) -> tuple[str, list[tuple[Span, Span]]]:
    """``document`` with its text runs replaced by ``translate(runs)`` (one call, in order;
    surrounding whitespace kept, HTML escaped). Returns it, and for each run its span in
    ``document`` and in the result, in the order the runs were given."""
    spans: list[Span] = []
    texts: list[str] = []
    escapes: list[bool] = []
    for unit in units(document, fmt):
        for start, end in unit.runs():
            text = unit.text[start:end]
            core = text.strip()
            lead = len(text) - len(text.lstrip())
            located = unit.source_span(start + lead, start + lead + len(core))
            if located is None:
                continue
            spans.append(located)
            texts.append(html.unescape(core) if unit.escape else core)
            escapes.append(unit.escape)
    outputs = list(translate(texts)) if texts else []
    replacements = []
    placed: list[tuple[Span, Span]] = []
    shift = 0
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    results: dict[int, Span] = {}
    for i in order:
        start, end = spans[i]
        out = html.escape(outputs[i], quote=False) if escapes[i] else outputs[i]
        replacements.append((start, end, out))
        results[i] = (start + shift, start + shift + len(out))
        shift += len(out) - (end - start)
    placed = [(spans[i], results[i]) for i in range(len(spans))]
    return _apply(document, replacements), placed
