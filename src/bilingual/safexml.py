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

__all__ = ["parse"]

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
