"""The running text of an HTML source: units with their opaque spans, by ``html.parser``.

Used by :mod:`bilingual.text.markup` for HTML documents and for the HTML blocks of
Markdown. ``html.parser`` is the standard library's HTML tokenizer; it reports where each
tag, entity and piece of text starts, which byte-identical output needs (selectolax and
lxml build trees without source offsets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = ["Span", "Unit", "html_units", "line_starts"]

Span = tuple[int, int]


@dataclass
class Unit:
    """A stretch of running text: ``text`` as normalize sees it, made of ``pieces``
    (``(unit_start, unit_end, source_start)``; Markdown pieces are the lines of the text,
    joined by ``\\n``), with ``opaque`` spans never edited and ``separators`` (emphasis
    marks, line breaks) that cut translation runs."""

    text: str
    pieces: list[tuple[int, int, int]]
    opaque: list[Span] = field(default_factory=list)
    separators: list[Span] = field(default_factory=list)
    escape: bool = False

    def source_span(self, start: int, end: int) -> Span | None:
        """``[start, end)`` of the unit in the source, if it lies within one piece."""
        for u_start, u_end, s_start in self.pieces:
            if u_start <= start and end <= u_end:
                return s_start + start - u_start, s_start + end - u_start
        return None

    def runs(self) -> list[Span]:
        """The text between opaque spans and separators that has a letter or digit."""
        cuts = sorted(self.opaque + self.separators)
        runs, pos = [], 0
        for start, end in [*cuts, (len(self.text), len(self.text))]:
            if start > pos and re.search(r"[^\W_]", self.text[pos:start]):
                runs.append((pos, start))
            pos = max(pos, end)
        return runs


def line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


# --- HTML ----------------------------------------------------------------------------------

_INLINE_TAGS = frozenset(
    """a abbr b bdi bdo br cite data del dfn em font i img ins label mark q s small span
    strong sub sup time u wbr""".split()
)
_CODE_TAGS = frozenset("code pre kbd samp var script style textarea svg math template".split())


class _Scanner(HTMLParser):
    """Items of an HTML source in order: (kind, start, end), kind text, opaque or break."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.starts = line_starts(source)
        self.items: list[tuple[str, int, int]] = []
        self.code: list[str] = []  # open elements whose content is code

    def _here(self) -> int:
        line, column = self.getpos()
        return self.starts[line - 1] + column

    def _through(self, start: int, end_mark: str) -> int:
        end = self.source.find(end_mark, start)
        return len(self.source) if end < 0 else end + len(end_mark)

    def _add(self, kind: str, start: int, end: int) -> None:
        self.items.append(("opaque" if self.code and kind == "text" else kind, start, end))

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        start = self._here()
        end = start + len(self.get_starttag_text() or "")
        inline = tag in _INLINE_TAGS or tag in _CODE_TAGS
        self._add("opaque" if inline or self.code else "break", start, end)
        if tag in _CODE_TAGS:
            self.code.append(tag)

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        start = self._here()
        end = start + len(self.get_starttag_text() or "")
        self._add("opaque" if tag in _INLINE_TAGS or self.code else "break", start, end)

    def handle_endtag(self, tag: str) -> None:
        start = self._here()
        if self.code and tag == self.code[-1]:
            self.code.pop()
            kind = "opaque"
        else:
            kind = "opaque" if tag in _INLINE_TAGS or self.code else "break"
        self._add(kind, start, self._through(start, ">"))

    def handle_data(self, data: str) -> None:
        start = self._here()
        self._add("text", start, start + len(data))

    def handle_entityref(self, name: str) -> None:
        start = self._here()
        end = start + 1 + len(name)
        self._add("opaque", start, end + (self.source[end : end + 1] == ";"))

    def handle_charref(self, name: str) -> None:
        self.handle_entityref("#" + name)

    def handle_comment(self, data: str) -> None:
        start = self._here()
        self._add("break", start, self._through(start, "-->"))

    def handle_decl(self, decl: str) -> None:
        start = self._here()
        self._add("break", start, self._through(start, ">"))

    def handle_pi(self, data: str) -> None:
        self.handle_decl(data)

    def unknown_decl(self, data: str) -> None:
        start = self._here()
        self._add("break", start, self._through(start, "]]>"))


def html_units(source: str) -> list[Unit]:
    scanner = _Scanner(source)
    scanner.feed(source)
    scanner.close()
    found: list[Unit] = []
    group: list[tuple[str, int, int]] = []
    for item in [*scanner.items, ("break", len(source), len(source))]:
        if item[0] != "break":
            group.append(item)
            continue
        if any(kind == "text" and source[s:e].strip() for kind, s, e in group):
            lo, hi = group[0][1], group[-1][2]
            opaque = [(s - lo, e - lo) for kind, s, e in group if kind == "opaque"]
            found.append(Unit(source[lo:hi], [(0, hi - lo, lo)], opaque, escape=True))
        group = []
    return found
