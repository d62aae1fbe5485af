"""Repair: bytes of unknown encoding to clean text.

Steps, in order (each can be turned off in :class:`RepairOptions`):

1. bytes are decoded by :func:`bilingual.text.decode.decode` (byte-order marks, UTF-8,
   UTF-16, GB18030 or Big5 by plausibility, charset-normalizer); binary data is refused
   with :class:`~bilingual.errors.DecodeError`.
2. ``ftfy``: ftfy's encoding, HTML-entity, control-character, line-break and surrogate
   fixes, with ``fix_character_width`` and ``uncurl_quotes`` off because they damage
   Chinese (``你好，世界！`` would become ``你好,世界!``). Lines that no fixer can change
   (ASCII, CJK ideographs and punctuation only) skip ftfy: three times faster on Chinese
   news, and exactly ftfy's result (a property test checks it). Width and quotes are handled by
   :mod:`bilingual.text.normalize`, by language context.
3. ``mojibake``: Chinese that went through the wrong codec, which ftfy does not repair:
   UTF-8 read as GBK, GB18030 or Big5 (``姹借溅杩涘彛`` → ``汽车进口``), and GBK or Big5
   read as Latin-1/cp1252 (``Æû³µ½ø¿Ú`` → ``汽车进口``). A span is replaced only when the
   result is clearly more plausible Chinese (:func:`bilingual.chars.plausibility`). Spans
   that already lost bytes (U+FFFD) are repaired around the loss, which stays U+FFFD.
4. ``invisible``: zero-width characters, stray byte-order marks, bidi and control
   characters are removed (soft hyphens too, after ftfy: ``ä¸\xad`` is 中). NBSP and the
   other Unicode spaces are kept, as ftfy keeps them: they are not damage, and ``Ã\xa0``
   is ``à``; :func:`bilingual.normalize` makes them ASCII spaces.

Against ftfy's own suite (``../shared/conformance/ftfy_cases.json``) ``repair`` returns
ftfy's expected text for every case, except that it keeps curly quotes, ligature
apostrophes (``ŉ`` is ``ʼn``) and full-width forms, which ftfy's defaults straighten and
narrow: they are Chinese punctuation here, left to normalize (tests/test_conformance.py).

Limits: mojibake spans shorter than two Chinese characters are left alone (too little
evidence), and so is mojibake of Japanese or Korean text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ftfy

from ..change import Change, Edit, apply_edits, diff_edits
from .decode import decode
from .mojibake import mojibake_edits

__all__ = ["RepairOptions", "decode", "repair", "repair_and_explain"]


@dataclass(frozen=True)
class RepairOptions:
    """Which repair steps run. All default to on."""

    ftfy: bool = True
    """Run ftfy with CJK-safe settings (no width folding, no quote straightening)."""
    mojibake: bool = True
    """Repair Chinese decoded with the wrong codec."""
    invisible: bool = True
    """Remove zero-width and control characters; make Unicode spaces ASCII spaces."""


_FTFY_CONFIG = ftfy.TextFixerConfig(fix_character_width=False, uncurl_quotes=False, explain=False)


# Lines that no fixer of ftfy's (as configured) can change: printable ASCII but `&`
# (entities), CJK ideographs and CJK punctuation, and the curly quotes, dashes and dots of
# Chinese text. Mojibake needs Latin-1, Latin or other single-byte codepages' letters; no
# such codepage decodes to these characters, and all of them are NFC already. ftfy works
# line by line too, so the others get exactly what ftfy.fix_text would do.
_NOTHING_FOR_FTFY = re.compile(
    "[\t\x20-\x25\x27-\x7e\u3000-\u303f\u4e00-\u9fff\uff01-\uffee"
    "\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]*\n?"
)

_FTFY_LINE = re.compile(r"[^\n]*\n|[^\n]+")


def _fix_text(text: str) -> str:
    if _NOTHING_FOR_FTFY.fullmatch(text):
        return text
    out = []
    config = _FTFY_CONFIG
    for line in _FTFY_LINE.findall(text):  # ftfy's own segments: lines ending in \n
        if config.unescape_html == "auto" and "<" in line:
            config = config._replace(unescape_html=False)  # as ftfy: from here on, HTML
        out.append(line if _NOTHING_FOR_FTFY.fullmatch(line) else ftfy.fix_text(line, config))
    return "".join(out)


def _ftfy_edits(text: str, explain: bool) -> tuple[str, list[Edit]]:
    fixed = _fix_text(text)
    return fixed, (diff_edits(text, fixed, "ftfy") if explain else [])


# --- invisible characters --------------------------------------------------------------

_INVISIBLE = re.compile(
    r"[\u200b\u2060\ufeff\u180e\u200e\u200f\u202a-\u202e\u2066-\u2069"
    r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
)
# The soft hyphen is also a Latin-1 byte of UTF-8 mojibake (`ä¸\xad` is 中): it is only
# removed once ftfy has had its chance.
_INVISIBLE_AFTER = re.compile(_INVISIBLE.pattern[:-1] + r"\u00ad]")


def _invisible_edits(text: str, pattern: re.Pattern[str] = _INVISIBLE) -> list[Edit]:
    return [Edit(m.start(), m.end(), "", "invisible character") for m in pattern.finditer(text)]


_MAX_ROUNDS = 3


def _repair(data: str | bytes, options: RepairOptions, changes: list[Change] | None) -> str:
    text = decode(data)[0] if isinstance(data, bytes) else data
    # Mojibake first: ftfy would "fix" GBK-read-as-Latin-1 pairs such as `Òµ` as UTF-8.
    # Invisible characters go before ftfy too, since ftfy judges a span by its neighbours,
    # and after it (with soft hyphens, which can be mojibake bytes: `ä¸\xad` is 中). NBSP
    # is left alone: it is a byte of mojibake too (`Ã\xa0` is à), and real text uses it
    # (normalize's width step makes it a space). A fix can uncover another
    # (a removed control character joins a mojibake span), so a round is repeated while
    # the mojibake step finds something or ftfy left invisible characters: this makes
    # repair idempotent (hypothesis found both cases).
    again = True
    for round_number in range(_MAX_ROUNDS):
        edits = mojibake_edits(text) if options.mojibake else []
        if round_number and not edits and not again:
            break
        text = apply_edits(text, edits, "repair", changes)
        if options.invisible:
            text = apply_edits(text, _invisible_edits(text), "repair", changes)
        if options.ftfy:
            fixed, ftfy_edits = _ftfy_edits(text, changes is not None)
            if changes is not None:
                fixed = apply_edits(text, ftfy_edits, "repair", changes)
            text = fixed
        again = False
        if options.invisible:
            leftover = _invisible_edits(text, _INVISIBLE_AFTER)
            again = bool(leftover)
            text = apply_edits(text, leftover, "repair", changes)
    return text


def repair(data: str | bytes, options: RepairOptions | None = None) -> str:
    """Decode ``data`` if it is bytes and repair encoding damage; see the module docs.

    >>> repair("姹借溅杩涘彛 rose")
    '汽车进口 rose'
    """
    return _repair(data, options or RepairOptions(), None)


def repair_and_explain(
    data: str | bytes, options: RepairOptions | None = None
) -> tuple[str, list[Change]]:
    """Like :func:`repair`, and return the changes made after decoding."""
    changes: list[Change] = []
    return _repair(data, options or RepairOptions(), changes), changes
