"""Rate-limit counters in a SQLite file, shared by every worker process on one host.

Without Redis, Flask-Limiter would count in each process's memory, and gunicorn starts two
workers per core: "5 failed sign-ins per account" would become 5 per worker. This storage, a
``limits`` backend registered under ``forum+sqlite:///<path>``, keeps the counters in one
WAL-mode SQLite file instead (``instance/ratelimits.sqlite`` by default, see
``forum.ratelimit.init_rate_limits``), so all workers on the host count the same hits. Hosts
that share nothing still need Redis (``FORUM_REDIS_URL``).

Each increment is one atomic ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement, so
concurrent workers never lose a hit. A negative amount gives hits back (the sign-in throttle
returns a slot it took); a count never goes below 0. Keys hold what the limits are keyed by
(an address, an account name) only until their window ends: expired rows are replaced on the
next hit and swept now and then, so no address outlives its counter.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from pathlib import Path

from limits.storage import Storage

SCHEME = "forum+sqlite"
# One increment in this many also deletes every expired counter.
SWEEP_EVERY = 500
BUSY_TIMEOUT_MS = 2_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS counters (
    key TEXT PRIMARY KEY,
    count INTEGER NOT NULL,
    expires REAL NOT NULL
) WITHOUT ROWID
"""
_INCR = """
INSERT INTO counters (key, count, expires) VALUES (:key, MAX(:amount, 0), :expires)
ON CONFLICT (key) DO UPDATE SET
    count = MAX(
        CASE WHEN counters.expires <= :now THEN :amount ELSE counters.count + :amount END, 0
    ),
    expires = CASE WHEN counters.expires <= :now THEN :expires ELSE counters.expires END
RETURNING count
"""


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch the file to WAL, waiting out another process doing the same.

    SQLite answers "database is locked" at once, without its busy timeout, to a process that
    asks for WAL while another is switching a new file: gunicorn's workers all open the file
    on their first request, and one that gave up would leave Flask-Limiter counting in that
    worker's memory instead (a failed sign-in budget per worker, not per host)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


class SQLiteStorage(Storage):
    """Fixed-window counters (Flask-Limiter's default strategy) in a SQLite file."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str, wrap_exceptions: bool = False, **_: object) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = Path(uri.removeprefix(f"{SCHEME}://"))
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _db(self) -> sqlite3.Connection:
        """This thread's connection, opened again after a fork (gunicorn preloads)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None or getattr(self._local, "pid", None) != os.getpid():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Readable by the forum's user only, like instance/secret_key: the keys name client
            # addresses. SQLite gives its -wal and -shm files the same mode.
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute(_SCHEMA)
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        db = self._db()
        params = {"key": key, "amount": amount, "expires": now + expiry, "now": now}
        (count,) = db.execute(_INCR, params).fetchone()
        if random.randrange(SWEEP_EVERY) == 0:  # noqa: S311 - not security: when to sweep
            db.execute("DELETE FROM counters WHERE expires <= ?", (now,))
        return int(count)

    def get(self, key: str) -> int:
        row = (
            self._db()
            .execute("SELECT count FROM counters WHERE key = ? AND expires > ?", (key, time.time()))
            .fetchone()
        )
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = (
            self._db()
            .execute("SELECT expires FROM counters WHERE key = ? AND expires > ?", (key, now))
            .fetchone()
        )
        return float(row[0]) if row else now

    def check(self) -> bool:
        try:
            self._db().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._db().execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        self._db().execute("DELETE FROM counters WHERE key = ?", (key,))
