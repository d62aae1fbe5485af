"""Parsing XML files people exchange (TBX glossaries, TMX memories) without their risks.

A plain document type declaration, as translate-toolkit, OmegaT and Trados write it
(``<!DOCTYPE tmx SYSTEM "tmx14.dtd">``), is accepted and not fetched. Refused with one
line saying why: an internal subset (``<!DOCTYPE x [...]>``), entity declarations,
external entities (defusedxml), and XML that does not parse.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree.ElementTree import Element

from .errors import InputError

__all__ = ["parse", "serialize"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold, not even as a character reference."""


def serialize(root: Element, source: str, error: type[InputError] = InputError) -> str:
    """``root`` as an XML document (indented, with its declaration), or ``error`` naming
    ``source`` when a text holds a character XML cannot hold: written, it would give a
    file that no XML parser reads back."""
    from xml.etree import ElementTree as ET

    for element in root.iter():
        for value in (element.text, element.tail, *element.attrib.values()):
            if value and (bad := _NOT_XML.search(value)):
                raise error(
                    f"{value[:40]!r} holds U+{ord(bad.group()):04X}, which XML cannot hold",
                    source=source,
                )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def parse(data: bytes, source: str, error: type[InputError] = InputError) -> Element:
    """The root element of ``data``; ``error`` (an InputError class) names ``source``."""
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException

    if _INTERNAL_SUBSET.search(data[:65536]):
        raise error("refused: the document type declaration has an internal subset", source=source)
    try:
        root: Element = DET.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as e:
        raise error(f"refused: entities are not allowed ({type(e).__name__})", source=source) from e
    except Exception as e:  # ParseError carries a position
        position: Any = getattr(e, "position", (None,))
        raise error(f"invalid XML: {e}", source=source, line=position[0]) from e
    return root
