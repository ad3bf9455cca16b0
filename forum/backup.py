"""Backups: an online copy of a SQLite database, and the pg_dump commands for PostgreSQL.

SQLite: ``backup_sqlite`` uses SQLite's online backup API, which reads the whole database in
one read transaction. In WAL mode writers carry on meanwhile and the copy is the database as
it was when the backup started, so it never holds half a change. The copy is checked with
``PRAGMA integrity_check`` before it is kept; it is written next to the target and renamed,
so a failed backup leaves no file that looks like a good one.

``restore_sqlite`` copies a checked backup over the configured database with the same API,
under the database's write lock. Stop the web processes and the workers first: otherwise
they would carry on from the restored data while cached pages and queued jobs still refer to
what was there before.

PostgreSQL: pg_dump and pg_restore do this better than the app could; ``postgres_commands``
gives the exact commands for the configured database, without its password (pass that with
PGPASSWORD or ~/.pgpass, so it never lands in the shell history).
"""

from __future__ import annotations

import contextlib
import shlex
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

# What the report counts, so an operator can tell at a glance that the copy is the forum.
COUNTED_TABLES = ("users", "threads", "comments")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class Report:
    path: Path
    size: int
    counts: dict[str, int]

    def describe(self) -> str:
        counts = ", ".join(f"{n} {table}" for table, n in self.counts.items())
        return f"{self.path}: {self.size:,} bytes, integrity ok; {counts}."


def sqlite_path(database_url: str) -> Path:
    """The file of a ``sqlite:///...`` URL; an in-memory database has none to back up."""
    name = make_url(database_url).database
    if not name or name == ":memory:":
        raise BackupError("This SQLite database lives in memory; there is no file to back up.")
    return Path(name)


def _connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    # Never read-only, even to read: a WAL database opened read-only needs its -shm file to
    # exist already, which it doesn't while no app has the database open.
    uri = f"{path.resolve().as_uri()}?mode={'rwc' if create else 'rw'}"
    conn = sqlite3.connect(uri, uri=True)
    conn.execute("PRAGMA busy_timeout=10000")  # the app's writers hold the lock briefly
    return conn


def check(path: Path) -> Report:
    """Integrity-check a SQLite file and count its main tables."""
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} can't be opened as a SQLite database: {exc}.") from exc
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if result != [("ok",)]:
            problems = "; ".join(row[0] for row in result[:5])
            raise BackupError(f"{path} fails SQLite's integrity check: {problems}")
        counts = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in COUNTED_TABLES
        }
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} is not a forum database: {exc}.") from exc
    finally:
        conn.close()
    return Report(path=path, size=path.stat().st_size, counts=counts)


def _copy(source: Path, target: Path, *, standalone: bool) -> None:
    src = _connect(source)
    dst = _connect(target, create=True)
    try:
        # pages=-1: every page in one step, so the copy is one consistent snapshot (in steps,
        # a write between two of them would restart the copy).
        src.backup(dst, pages=-1)
        if standalone:
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal
    finally:
        dst.close()
        src.close()


def backup_sqlite(source: Path, target: Path) -> Report:
    """Copy the live database ``source`` to the new file ``target``, checked."""
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} doesn't exist.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        _copy(source, partial, standalone=True)
        check(partial)
        partial.rename(target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    return check(target)


def restore_sqlite(backup: Path, target: Path) -> Report:
    """Replace the database ``target`` (created if missing) with a checked ``backup``."""
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}.")
    check(backup)
    _copy(backup, target, standalone=False)
    return check(target)


def postgres_commands(database_url: str, path: Path) -> tuple[str, str]:
    """The pg_dump and pg_restore command lines for the configured database, password left out."""
    url = make_url(database_url)
    plain = URL.create(
        "postgresql",
        username=url.username,
        host=url.host,
        port=url.port,
        database=url.database,
        query=url.query,
    ).render_as_string(hide_password=False)
    target = shlex.quote(str(path))
    dump = f"pg_dump --format=custom --file={target} {shlex.quote(plain)}"
    restore = f"pg_restore --clean --if-exists --no-owner --dbname={shlex.quote(plain)} {target}"
    return dump, restore
