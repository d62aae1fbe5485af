"""The exceptions of ``bilingual``.

Every error the library raises on purpose is a :class:`BilingualError`, so a caller can
catch one type. Its message is one line that a person can act on; the CLI prints it as
``bilingual: error: <message>`` and exits with status 2.
"""

from __future__ import annotations


class BilingualError(Exception):
    """Base class of all errors raised by ``bilingual`` on purpose."""


class DecodeError(BilingualError):
    """Bytes that are binary or in no encoding we can decode."""


class ConfigError(BilingualError):
    """An option value that is not valid: an unknown OpenCC config, a bad override file."""


class InputError(BilingualError):
    """Malformed input records: invalid JSON, a missing field.

    ``source`` names the file (or ``<stdin>``) and ``line`` the 1-based line number, when
    known; both are part of the message.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)


class GlossaryError(InputError):
    """A glossary file that cannot be read: bad columns, a bad status, bad UTF-8, bad XML."""
