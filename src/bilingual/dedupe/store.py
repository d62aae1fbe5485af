"""Where the deduplication index keeps what grows: in memory up to a budget, then on disk.

An index is a handful of tables (exact keys, LSH band postings, figure postings, the texts
that paraphrase and cross-lingual checks read back, unit ids). Each is a dict in memory;
when the memory they hold together passes the budget, every table is written to one
temporary SQLite file and its dict emptied, so resident memory stays near the budget
whatever the input. A fixed-size Bloom filter (a fifth of the budget, at most 64 MB) in
front of the file answers most lookups of keys that were never written without a query.

SQLite rather than memory-mapped sorted arrays: the values are of many shapes (unit
numbers, signatures, texts with their figures) and the postings grow by appends, which a
B-tree takes as they come; measured on ``benchmarks/bench_run.py`` (see ARCHITECTURE).
"""

from __future__ import annotations

import os
import pickle
import sqlite3
import tempfile
from collections.abc import Hashable, Iterable
from typing import Any

__all__ = ["Postings", "Spill", "Table"]

_ENTRY = 120  # bytes a dict entry and its boxed key cost, besides the value


def _sizeof(value: Any, depth: int = 0) -> int:
    """A cheap estimate of what ``value`` holds in memory."""
    kind = type(value)
    if kind is int:
        return 32
    if kind is str:
        return 50 + (len(value) if value.isascii() else 2 * len(value))
    if kind is bytes:
        return 33 + len(value)
    if isinstance(value, (tuple, list, set, frozenset)):
        base = 56 if isinstance(value, (tuple, list)) else 216
        if depth > 2:
            return base + 64 * len(value)
        return base + sum(8 + _sizeof(v, depth + 1) for v in value)
    return 64


def _int_key(key: Hashable) -> int:
    """Keys as signed 64-bit SQLite integers (strings by digest)."""
    if isinstance(key, int):
        key &= (1 << 64) - 1
    else:
        from .features import digest

        key = digest(repr(key))
    return key - (1 << 64) if key >= 1 << 63 else key


class _Bloom:
    """A Bloom filter of the keys on disk, of fixed size: memory stays flat, and its false
    positives (which grow with the keys) cost a query, never a wrong answer."""

    def __init__(self, nbytes: int) -> None:
        self.bits = bytearray(nbytes)
        self.size = nbytes * 8

    def _positions(self, key: int) -> tuple[int, int, int]:
        key &= (1 << 64) - 1
        h2 = (key >> 32) | 1
        size = self.size
        return key % size, (key + h2) % size, (key + 2 * h2) % size

    def add(self, key: int) -> None:
        for p in self._positions(key):
            self.bits[p >> 3] |= 1 << (p & 7)

    def __contains__(self, key: int) -> bool:
        bits = self.bits
        return all(bits[p >> 3] & (1 << (p & 7)) for p in self._positions(key))


class Spill:
    """The budget shared by an index's tables, and their file once they spill.
    ``budget`` None: everything stays in memory (and nothing is ever written)."""

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget
        # What the tables' own estimate may reach: the rest of the budget is the Bloom
        # filter, SQLite's page cache and what the estimate misses.
        self.limit = float("inf") if budget is None else budget * 3 // 5
        self.used = 0
        self.spills = 0
        """How many times the tables were written out."""
        self._tables: list[Table | Postings] = []
        self._db: sqlite3.Connection | None = None
        self._bloom: _Bloom | None = None

    def table(self, name: str) -> Table:
        return Table(self, name)

    def postings(self, name: str) -> Postings:
        return Postings(self, name)

    def _register(self, table: Table | Postings) -> int:
        self._tables.append(table)
        return len(self._tables)

    def charge(self, nbytes: int) -> None:
        self.used += nbytes
        if self.used > self.limit:
            self.flush()

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            fd, path = tempfile.mkstemp(prefix="bilingual-index-", suffix=".sqlite")
            os.close(fd)
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            os.unlink(path)  # the open connection keeps it; nothing is left behind
            self._db.execute("PRAGMA journal_mode=OFF")
            self._db.execute("PRAGMA synchronous=OFF")
            self._db.execute("PRAGMA temp_store=FILE")
            cache_kib = max(2048, (self.budget or 0) // 5 // 1024)
            self._db.execute(f"PRAGMA cache_size=-{cache_kib}")
            self._bloom = _Bloom(min(64 << 20, max(1 << 20, (self.budget or 0) // 5)))
            for table in self._tables:
                table._create(self._db)
        return self._db

    def flush(self) -> None:
        """Write every table's memory to the file."""
        db = self.db
        db.execute("BEGIN")
        for table in self._tables:
            table._flush(db)
        db.execute("COMMIT")
        self.used = 0
        self.spills += 1

    def on_disk(self, salt: int, key: int) -> bool:
        return self._bloom is not None and (key ^ salt) in self._bloom

    def mark(self, salt: int, key: int) -> None:
        assert self._bloom is not None
        self._bloom.add(key ^ salt)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


class Table:
    """A key → value map (keys hashable, values picklable), in memory then on disk.
    Values are written, never changed in place: ``set`` again to change one."""

    def __init__(self, spill: Spill, name: str) -> None:
        self.spill = spill
        self.name = name
        self._salt = spill._register(self) * 0x9E3779B97F4A7C15
        self._memory: dict[Any, Any] = {}
        self._count = self._samples = 0
        self._mean = 0.0

    def _create(self, db: sqlite3.Connection) -> None:
        db.execute(f"CREATE TABLE {self.name} (k INTEGER PRIMARY KEY, v BLOB)")

    def _flush(self, db: sqlite3.Connection) -> None:
        rows = []
        for key, value in self._memory.items():
            k = _int_key(key)
            self.spill.mark(self._salt, k)
            rows.append((k, pickle.dumps(value, protocol=5)))
        db.executemany(f"INSERT OR REPLACE INTO {self.name} VALUES (?, ?)", rows)
        self._memory.clear()

    def get(self, key: Any, default: Any = None) -> Any:
        if key in self._memory:
            return self._memory[key]
        if self.spill.spills:
            k = _int_key(key)
            if self.spill.on_disk(self._salt, k):
                row = self.spill.db.execute(
                    f"SELECT v FROM {self.name} WHERE k = ?", (k,)
                ).fetchone()
                if row is not None:
                    return pickle.loads(row[0])
        return default

    def __contains__(self, key: Any) -> bool:
        return self.get(key, _MISSING) is not _MISSING

    def __getitem__(self, key: Any) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __setitem__(self, key: Any, value: Any) -> None:
        memory = self._memory
        if key not in memory:
            self._count += 1
            if self._count & 31 == 1:  # the size of one entry in 32 measured: a running mean
                self._samples += 1
                size = _ENTRY + _sizeof(key) + _sizeof(value)
                self._mean += (size - self._mean) / self._samples
            spill = self.spill
            spill.used += int(self._mean)
            if spill.used > spill.limit:
                spill.flush()
        memory[key] = value

    def setdefault(self, key: Any, value: Any) -> Any:
        known = self.get(key, _MISSING)
        if known is not _MISSING:
            return known
        self[key] = value
        return value


class Postings:
    """A key → list map that grows by appends (LSH bands, figures, bridge words)."""

    def __init__(self, spill: Spill, name: str) -> None:
        self.spill = spill
        self.name = name
        self._salt = spill._register(self) * 0x9E3779B97F4A7C15
        self._memory: dict[Any, list[Any]] = {}

    def _create(self, db: sqlite3.Connection) -> None:
        db.execute(f"CREATE TABLE {self.name} (k INTEGER, v BLOB)")
        db.execute(f"CREATE INDEX {self.name}_k ON {self.name} (k)")

    def _flush(self, db: sqlite3.Connection) -> None:
        rows: list[tuple[int, bytes]] = []
        for key, values in self._memory.items():
            k = _int_key(key)
            self.spill.mark(self._salt, k)
            rows.extend((k, pickle.dumps(v, protocol=5)) for v in values)
        db.executemany(f"INSERT INTO {self.name} VALUES (?, ?)", rows)
        self._memory.clear()

    def append(self, key: Any, value: Any) -> None:
        held = self._memory.get(key)
        if held is None:
            self._memory[key] = [value]
            self.spill.charge(_ENTRY + 56 + _sizeof(key) + _sizeof(value))
        else:
            held.append(value)
            spill = self.spill
            spill.used += 40 if type(value) is int else 8 + _sizeof(value)
            if spill.used > spill.limit:
                spill.flush()

    def add_all(self, keys: Iterable[Any], value: int) -> None:
        """``append(key, value)`` for each of ``keys`` (a unit number under its LSH bands)."""
        memory = self._memory
        charged = 0
        for key in keys:
            held = memory.get(key)
            if held is None:
                memory[key] = [value]
                charged += _ENTRY + 56 + 40
            else:
                held.append(value)
                charged += 40
        spill = self.spill
        spill.used += charged
        if spill.used > spill.limit:
            spill.flush()

    def get(self, key: Any, last: int | None = None) -> list[Any]:
        """The values appended under ``key``, oldest first (``last``: only the latest)."""
        held = self._memory.get(key, [])
        if last is not None and len(held) >= last:
            return held[-last:]
        found: list[Any] = []
        if self.spill.spills:
            k = _int_key(key)
            if self.spill.on_disk(self._salt, k):
                query = f"SELECT v FROM {self.name} WHERE k = ? ORDER BY rowid DESC"
                if last is None:
                    rows = self.spill.db.execute(query, (k,))
                else:
                    rows = self.spill.db.execute(query + " LIMIT ?", (k, last - len(held)))
                found = [pickle.loads(v) for (v,) in rows]
                found.reverse()
        return found + held


_MISSING: Any = object()
