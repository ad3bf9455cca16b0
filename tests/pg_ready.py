"""Is the PostgreSQL that `make test` runs the suite on ready? If not, say exactly what to do.

    python tests/pg_ready.py postgresql+psycopg://postgres@127.0.0.1:5432/test

Exit status: 0 ready; 2 nothing answers at that address (PostgreSQL not installed or not
running); 3 it answers but refuses this connection (it asks for a password, or the role or
the database is missing). The Makefile runs the PostgreSQL half of `make test` only on 0, and
prints what this says otherwise, so a fresh clone learns the one command that is missing
instead of reading a stack trace.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import psycopg

READY, UNREACHABLE, REFUSED = 0, 2, 3
CONNECT_TIMEOUT = 3

# SQLSTATEs the server sends when it answers but won't let this connection in.
INVALID_PASSWORD = "28P01"
INVALID_AUTHORIZATION = "28000"  # also "role ... does not exist"
INVALID_CATALOG = "3D000"  # database does not exist


@dataclass(frozen=True)
class Target:
    """The parts of the URL the messages name."""

    url: str  # as libpq takes it: postgresql://...
    host: str
    port: int
    user: str
    database: str

    @classmethod
    def parse(cls, url: str) -> Target:
        libpq_url = url.replace("postgresql+psycopg://", "postgresql://", 1)
        parts = urlsplit(libpq_url)
        return cls(
            url=libpq_url,
            host=parts.hostname or "localhost",
            port=parts.port or 5432,
            user=unquote(parts.username or "postgres"),
            database=parts.path.lstrip("/") or "postgres",
        )


@dataclass(frozen=True)
class Diagnosis:
    status: int
    message: str


def classify(target: Target, message: str, sqlstate: str | None) -> Diagnosis:
    """What a failed connection means, and the fix, from the server's SQLSTATE or, for
    errors libpq raises itself (no server answer, no password to send), its message."""
    where = f"{target.host}:{target.port}"
    text = message.lower()
    if sqlstate == INVALID_CATALOG or ("database" in text and "does not exist" in text):
        return Diagnosis(
            REFUSED,
            f"PostgreSQL at {where} has no database {target.database!r}. Create it:\n"
            f"    createdb -h {target.host} -p {target.port} -U {target.user} {target.database}",
        )
    if "role" in text and "does not exist" in text:
        return Diagnosis(
            REFUSED,
            f"PostgreSQL at {where} has no role {target.user!r}. Create it as a superuser (the "
            "tests create and drop databases), then the database:\n"
            f"    sudo -u postgres createuser --superuser {target.user}\n"
            f"    createdb -h {target.host} -p {target.port} -U {target.user} {target.database}",
        )
    if (
        sqlstate in (INVALID_PASSWORD, INVALID_AUTHORIZATION)
        or "password" in text
        or "authentication failed" in text
    ):
        return Diagnosis(
            REFUSED,
            f"PostgreSQL at {where} asks {target.user!r} for a password; the tests connect "
            "without one. On a development machine, let that role in from this machine "
            "without a password: put these two lines first in pg_hba.conf\n"
            f"    host  all  {target.user}  127.0.0.1/32  trust\n"
            f"    host  all  {target.user}  ::1/128       trust\n"
            "and reload the server; on Debian or Ubuntu, in one line:\n"
            f"    sudo sed -i '1i host all {target.user} 127.0.0.1/32 trust\\n"
            f"host all {target.user} ::1/128 trust' "
            "\"$(sudo -u postgres psql -tAc 'SHOW hba_file')\" && sudo service postgresql reload\n"
            "Or keep the password and give it to make:\n"
            f"    make test PG_TEST_URL=postgresql+psycopg://{target.user}:PASSWORD@"
            f"{target.host}:{target.port}/{target.database}",
        )
    if sqlstate is None and any(
        sign in text
        for sign in ("connection refused", "timeout expired", "could not connect", "no route")
    ):
        return Diagnosis(
            UNREACHABLE,
            f"Nothing answers as PostgreSQL at {where}. To run the suite on PostgreSQL too, "
            "install and start it (Debian/Ubuntu):\n"
            "    sudo apt-get install -y postgresql && sudo service postgresql start\n"
            "then see the README's quick start for the role and the test database.",
        )
    return Diagnosis(
        REFUSED,
        f"PostgreSQL at {where} refused the connection as {target.user!r} to "
        f"{target.database!r}: {message.strip()}",
    )


def diagnose(url: str) -> Diagnosis:
    target = Target.parse(url)
    try:
        psycopg.connect(target.url, connect_timeout=CONNECT_TIMEOUT).close()
    except psycopg.Error as exc:
        return classify(target, str(exc), exc.sqlstate)
    return Diagnosis(READY, f"PostgreSQL is ready at {target.host}:{target.port}.")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} postgresql+psycopg://user@host:port/database", file=sys.stderr)
        return 64
    diagnosis = diagnose(argv[1])
    print(diagnosis.message, file=sys.stderr if diagnosis.status else sys.stdout)
    return diagnosis.status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
