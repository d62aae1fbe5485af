"""Bytes of unknown encoding to text: the one decoding path of every command.

Order: byte-order marks, UTF-8, UTF-16 without BOM, then GB18030 or Big5 when the bytes
read as plausible Chinese, then whatever charset-normalizer finds best. Binary data (NUL
bytes that are not UTF-16, or nothing decodes) is refused with
:class:`~bilingual.errors.DecodeError`. The decoded text may still need
:func:`bilingual.repair`.
"""

from __future__ import annotations

import codecs
import re

from ..chars import plausibility
from ..errors import DecodeError

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Decodings of Chinese bytes must score at least this (share of non-ASCII characters that
# are common Chinese) to be chosen over charset-normalizer's guess.
CHINESE_THRESHOLD = 0.9


def _decode(data: bytes, encoding: str, partial: bool) -> str:
    """``data`` decoded strictly; with ``partial``, an incomplete character at the end is
    left out (the rest of it follows in the next chunk)."""
    return codecs.getincrementaldecoder(encoding)().decode(data, final=not partial)


def decode(data: bytes, *, partial: bool = False) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    ``partial``: ``data`` is the start of a longer stream, cut anywhere (even inside a
    character): the encoding is judged on what is complete. Raises :class:`DecodeError`
    for binary data. The text still needs :func:`repair`.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _decode(data, encoding, partial), encoding
            except UnicodeDecodeError as e:
                raise DecodeError(f"invalid {encoding} after its byte-order mark: {e}") from e
    if b"\x00" in data:
        return _decode_utf16_or_fail(data[: len(data) & ~1] if partial else data)
    try:
        return _decode(data, "utf-8", partial), "utf-8"
    except UnicodeDecodeError:
        pass
    best_score, best = 0.0, None
    for encoding in ("gb18030", "big5"):
        try:
            text = _decode(data, encoding, partial)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if score > best_score:
            best_score, best = score, (text, encoding)
    if best is not None and best_score >= CHINESE_THRESHOLD:
        return best
    from charset_normalizer import from_bytes  # imported here: slow, and rarely needed

    match = from_bytes(data[: len(data) - 3] if partial and len(data) > 64 else data).best()
    if match is None:
        raise DecodeError("not text: no encoding decodes it")
    return str(match), match.encoding


_C0_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _decode_utf16_or_fail(data: bytes) -> tuple[str, str]:
    """UTF-16 without a BOM has its NULs mostly on one side: the high byte of ASCII text.

    (The other side gets one from characters such as 销 U+9500.)
    """
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    encoding = "utf-16-le" if even * 4 <= odd else "utf-16-be" if odd * 4 <= even else None
    if encoding and len(data) % 2 == 0:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            text = None
        if text is not None and not _C0_CONTROL.search(text):
            return text, encoding
    raise DecodeError(f"binary data: NUL byte at offset {data.index(0)}")
