"""The exceptions of ``bilingual``.

Every error the library raises on purpose is a :class:`BilingualError`, so a caller can
catch one type. Its message is one line that a person can act on; the CLI prints it as
``bilingual: error: <message>`` and exits with status 2. Errors pickle (they cross from
worker processes to the main one).
"""

from __future__ import annotations

from typing import Any


class BilingualError(Exception):
    """Base class of all errors raised by ``bilingual`` on purpose."""


class DecodeError(BilingualError):
    """Bytes that are binary or in no encoding we can decode."""


class ConfigError(BilingualError):
    """An option value that is not valid: an unknown OpenCC config, a bad config key."""


class InputError(BilingualError):
    """Malformed input records: invalid JSON, a missing field, an unreadable file.

    ``source`` names the file (or ``<stdin>``) and ``line`` the 1-based line number, when
    known; both are part of the message.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        self.source = source
        self.line = line
        self.reason = message
        where = source or ""
        if line is not None:
            where = f"{where}:{line}" if where else f"line {line}"
        super().__init__(f"{where}: {message}" if where else message)

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.reason, self.source, self.line)


def _rebuild(cls: type[InputError], reason: str, source: str | None, line: int | None) -> Any:
    return cls(reason, source=source, line=line)


class GlossaryError(InputError):
    """A glossary file that cannot be read: bad columns, a bad status, bad UTF-8, bad XML."""


class OutputError(BilingualError):
    """An output path that cannot or must not be written (a folder, an input file)."""


class ModelError(BilingualError):
    """A model archive that is unsafe or incomplete, a model that is not installed or does
    not load, or an engine whose optional dependencies are missing."""


class EngineError(BilingualError):
    """A translation engine failed: a server that does not answer, a refused key, a
    response that cannot be read."""
