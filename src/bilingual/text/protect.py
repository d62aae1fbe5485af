"""Spans of a text that normalize never edits: code, addresses and link targets.

* fenced code blocks (```` ``` ```` or ``~~~`` fences, the fences included; an unclosed
  fence runs to the end of the text);
* indented code blocks: lines indented by four spaces or a tab after a blank line (or at
  the start), unless most of their characters are Chinese, which makes them an indented
  paragraph of prose, common in scraped pages;
* inline code, Markdown link targets (``](url)``), URLs, e-mail addresses, POSIX and
  Windows paths.

For Markdown and HTML documents :mod:`bilingual.text.markup` goes further: their parsers
decide what is code, and only text nodes reach normalize at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..change import Edit
from ..chars import HAN

__all__ = ["Protected"]

_INLINE = re.compile(
    r"`[^`\n]+`"  # inline code
    r"|\]\([^)\s]+\)"  # Markdown link target
    r"|(?:https?|ftp)://[\x21-\x7e]+?(?=[.,;:!?)\]'\"]*(?:[^\x21-\x7e]|$))"  # URL
    r"|www\.[\x21-\x7e]+?(?=[.,;:!?)\]'\"]*(?:[^\x21-\x7e]|$))"
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|/(?<![\w/]/)[\w.-]+(?:/[\w.-]+)+/?"  # POSIX path (a literal first is faster)
    r"|\b[A-Za-z]:\\[\w.\\-]+",  # Windows path
    re.ASCII,
)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*(?:\n|\Z)", re.MULTILINE)
_INDENTED = re.compile(r"(?:^|(?<=\n\n))(?:(?:    |\t)[^\n]*(?:\n|\Z))+")
_CHINESE = re.compile(f"[{HAN}\u3000-\u303f\uff00-\uffef]")


def _fenced(text: str) -> list[tuple[int, int]]:
    if "```" not in text and "~~~" not in text:
        return []
    spans = []
    pos = 0
    while (m := _FENCE.search(text, pos)) is not None:
        fence = m.group(1)
        closing = re.compile(rf"^[ ]{{0,3}}{fence[0]}{{{len(fence)},}}[ \t]*(?:\n|\Z)", re.M)
        end_m = closing.search(text, m.end())
        end = end_m.end() if end_m else len(text)
        spans.append((m.start(), end))
        pos = end
        if pos >= len(text):
            break
    return spans


def _indented(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _INDENTED.finditer(text):
        block = m.group()
        visible = len(re.sub(r"\s", "", block))
        if visible and len(_CHINESE.findall(block)) * 2 < visible:
            spans.append(m.span())
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class Protected:
    """Spans of ``text`` that no step may edit inside (see the module docs), and ``extra``
    ones (what a Markdown or HTML parser found opaque)."""

    def __init__(self, text: str, extra: Sequence[tuple[int, int]] = ()) -> None:
        blocks = _fenced(text) + list(extra)
        if "    " in text or "\t" in text:
            blocks += _indented(text)
        blocks = _merge(blocks)
        spans = list(blocks)
        pos = 0
        for start, end in [*blocks, (len(text), len(text))]:
            spans += [m.span() for m in _INLINE.finditer(text, pos, start)]
            pos = end
        spans = _merge(spans)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def shifted(self, edits: list[Edit]) -> Protected:
        """The same spans after ``edits`` (sorted, none inside a span) were applied."""
        if all(len(e.after) == e.end - e.start for e in edits):
            return self  # nothing moved (OpenCC and width folding are one for one)
        moved = Protected("")
        delta, k = 0, 0
        for start, end in zip(self.starts, self.ends, strict=True):
            while k < len(edits) and edits[k].end <= start:
                delta += len(edits[k].after) - (edits[k].end - edits[k].start)
                k += 1
            moved.starts.append(start + delta)
            moved.ends.append(end + delta)
        return moved

    def inside(self, start: int, end: int | None = None) -> bool:
        """True when [start, end) touches the inside of a protected span."""
        end = start if end is None else end
        i = bisect.bisect_left(self.starts, end) - 1  # the last span starting before end
        return i >= 0 and self.ends[i] > start

    def keep_out(self, edits: list[Edit]) -> list[Edit]:
        """``edits`` without those that would change a protected span."""
        if not self.starts:
            return edits
        return [e for e in edits if not self.inside(e.start, e.end)]
