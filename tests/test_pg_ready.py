"""tests/pg_ready.py tells a fresh clone what its PostgreSQL lacks: each answer a real client
(libpq, through psycopg) gets from a small fake server speaking the start of the protocol."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.pg_ready import READY, REFUSED, UNREACHABLE, diagnose

SCRIPT = Path(__file__).with_name("pg_ready.py")
SSL_REQUEST, GSS_REQUEST = 80877103, 80877104
ASK_CLEARTEXT_PASSWORD = b"R" + struct.pack("!ii", 8, 3)
# AuthenticationOk, then ReadyForQuery (idle): a server that lets the tests in.
LET_IN = b"R" + struct.pack("!ii", 8, 0) + b"Z" + struct.pack("!i", 5) + b"I"


def error_response(sqlstate: str, message: str) -> bytes:
    fields = b"".join(
        code + value.encode() + b"\0"
        for code, value in ((b"S", "FATAL"), (b"V", "FATAL"), (b"C", sqlstate), (b"M", message))
    )
    body = fields + b"\0"
    return b"E" + struct.pack("!i", len(body) + 4) + body


def _read_exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise ConnectionError
        data += chunk
    return data


def _serve(server: socket.socket, answer: bytes) -> None:
    """Decline SSL and GSS encryption, then answer the startup message with ``answer``."""
    while True:
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            try:
                while True:
                    (length,) = struct.unpack("!i", _read_exactly(conn, 4))
                    (code,) = struct.unpack("!i", _read_exactly(conn, length - 4)[:4])
                    if code in (SSL_REQUEST, GSS_REQUEST):
                        conn.sendall(b"N")
                        continue
                    conn.sendall(answer)
                    conn.recv(1024)  # until the client gives up and closes
                    break
            except (ConnectionError, OSError):
                pass


@pytest.fixture
def fake_postgres() -> Iterator[Callable[[bytes], str]]:
    """Start a fake server that answers every connection with the given bytes; its URL."""
    servers: list[socket.socket] = []

    def start(answer: bytes) -> str:
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen()
        servers.append(server)
        threading.Thread(target=_serve, args=(server, answer), daemon=True).start()
        return f"postgresql+psycopg://postgres@127.0.0.1:{server.getsockname()[1]}/test"

    yield start
    for server in servers:
        server.close()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_server_asking_for_a_password_gets_the_pg_hba_trust_lines(fake_postgres) -> None:
    diagnosis = diagnose(fake_postgres(ASK_CLEARTEXT_PASSWORD))
    assert diagnosis.status == REFUSED
    assert "asks 'postgres' for a password" in diagnosis.message
    assert "host  all  postgres  127.0.0.1/32  trust" in diagnosis.message
    assert (
        "sudo sed -i '1i host all postgres 127.0.0.1/32 trust\\nhost all postgres ::1/128 trust' "
        "\"$(sudo -u postgres psql -tAc 'SHOW hba_file')\" && sudo service postgresql reload"
    ) in diagnosis.message
    assert "make test PG_TEST_URL=postgresql+psycopg://postgres:PASSWORD@" in diagnosis.message


def test_a_wrong_password_gets_the_same_fix(fake_postgres) -> None:
    answer = error_response("28P01", 'password authentication failed for user "postgres"')
    diagnosis = diagnose(fake_postgres(answer))
    assert diagnosis.status == REFUSED
    assert "127.0.0.1/32  trust" in diagnosis.message


def test_a_missing_database_gets_createdb(fake_postgres) -> None:
    url = fake_postgres(error_response("3D000", 'database "test" does not exist'))
    diagnosis = diagnose(url)
    assert diagnosis.status == REFUSED
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert f"createdb -h 127.0.0.1 -p {port} -U postgres test" in diagnosis.message


def test_a_missing_role_gets_createuser(fake_postgres) -> None:
    diagnosis = diagnose(fake_postgres(error_response("28000", 'role "postgres" does not exist')))
    assert diagnosis.status == REFUSED
    assert "sudo -u postgres createuser --superuser postgres" in diagnosis.message


def test_nothing_listening_is_unreachable_with_the_install_line() -> None:
    diagnosis = diagnose(f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test")
    assert diagnosis.status == UNREACHABLE
    assert "sudo apt-get install -y postgresql && sudo service postgresql start" in (
        diagnosis.message
    )


def test_the_script_exits_with_the_status_make_reads(fake_postgres) -> None:
    for url, status, words in (
        (fake_postgres(LET_IN), READY, ""),
        (fake_postgres(ASK_CLEARTEXT_PASSWORD), REFUSED, "pg_hba.conf"),
        (f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/test", UNREACHABLE, "apt-get"),
    ):
        run = subprocess.run(
            [sys.executable, str(SCRIPT), url], capture_output=True, text=True, timeout=30
        )
        assert run.returncode == status
        assert words in run.stderr
