"""PostgreSQL databases of a test's own, for tests that need PostgreSQL whichever database
the suite runs on (CI always has it at 127.0.0.1:5432; these fail, not skip, without it)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import flask_migrate
from sqlalchemy import create_engine, text

from forum import create_app
from forum.extensions import db
from tests.conftest import QUICK_COMMITS, base_config

PG_HOST, PG_PORT = "127.0.0.1", 5432
# Names differ per checkout, so engineers sharing a server never touch each other's.
CHECKOUT = hashlib.sha256(str(Path(__file__).resolve().parents[1]).encode()).hexdigest()[:8]


def postgres_server_url() -> str:
    """The test server: FORUM_TEST_DATABASE_URL's when set, else the local one."""
    return os.environ.get("FORUM_TEST_DATABASE_URL") or (
        f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/postgres"
    )


def own_postgres_database(label: str, worker: str, *, migrate: bool = True) -> str:
    """An empty database named for ``label``, this checkout and the xdist ``worker``, then
    migrated unless told not to; its URL.

    The database is kept between runs and emptied (its schema dropped) rather than dropped:
    DROP DATABASE forces a checkpoint, which takes half a minute on a busy shared server.
    """
    server = postgres_server_url()
    name = f"forum_{label}_{CHECKOUT}_{worker}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}) is None:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'ALTER DATABASE "{name}" {QUICK_COMMITS}'))
    admin.dispose()
    url = f"{server.rsplit('/', 1)[0]}/{name}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if migrate:
        app = create_app(base_config(url))
        with app.app_context():
            flask_migrate.upgrade()
            db.engine.dispose()
    return url
