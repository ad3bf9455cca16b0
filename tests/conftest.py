"""Fixtures: one database per run, migrated once with Alembic, emptied after every test.

The suite runs on a SQLite file by default and on PostgreSQL when FORUM_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import flask_migrate
import pytest
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, text

from forum import cache as page_cache
from forum import create_app
from forum.extensions import db as _db
from forum.extensions import limiter
from forum.models import User
from forum.transactions import PLAN_SETTING
from tests.factories import sign_in_id

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
TEST_CACHES = Path(tempfile.gettempdir()) / "forum-test-caches"


def base_config(database_url: str) -> dict[str, Any]:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url,
        "RATELIMIT_ENABLED": False,
        # Each test app counts on its own (tests/test_ratelimit_storage.py tests the shared file).
        "RATELIMIT_STORAGE_URI": "memory://",
        # Without Redis, the default install's page cache on disk, in a folder of this
        # database's own outside the checkout, emptied after every test with the tables.
        "CACHE_DIR": str(TEST_CACHES / hashlib.sha256(database_url.encode()).hexdigest()[:12]),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Trust is tested where it matters; elsewhere a new account's comment is published.
        "NEW_USER_REVIEW_COUNT": 0,
        # Likewise trust in flaggers (tests/moderation/test_brigading.py turns it on).
        "FLAG_MIN_ACCOUNT_DAYS": 0,
        # The registration form's fill-time check is tested in tests/auth/test_botcheck.py.
        "REGISTER_MIN_SECONDS": 0,
    }


# The fixtures that hand a test the suite's database: the shared one, and an empty one of
# the test's own (migrations up and down).
SUITE_DATABASE_FIXTURES = ("database_url", "scratch_url")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the PostgreSQL suite (FORUM_TEST_DATABASE_URL set), only the tests that use the
    suite's database: the others (the text sanitiser, the domain rules, the scorer, the
    tests that make PostgreSQL databases of their own...) would check the same code on the
    same input a second time, and the SQLite suite runs every one of them. So would the
    browser's checks of how pages are drawn (marked ``drawing``: layout and accessibility),
    which look at the same HTML whichever database filled it. They are reported as
    deselected."""
    if not os.environ.get("FORUM_TEST_DATABASE_URL"):
        return
    kept, elsewhere = [], []
    for item in items:
        uses = any(name in item.fixturenames for name in SUITE_DATABASE_FIXTURES)
        uses = uses and item.get_closest_marker("drawing") is None
        (kept if uses else elsewhere).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept


# A test database does not wait for its commits to reach the disk: a crash of the
# PostgreSQL server would lose the last ones, which no test needs, and the suite is faster.
QUICK_COMMITS = "SET synchronous_commit = off"


def fresh_database(url: str, name: str) -> str:
    """Drop and create PostgreSQL database ``name`` on ``url``'s server; its URL."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(f'ALTER DATABASE "{name}" {QUICK_COMMITS}'))
    admin.dispose()
    return f"{url.rsplit('/', 1)[0]}/{name}"


def worker_database(url: str, worker: str) -> str:
    """An empty database for this xdist worker, or the given one emptied when serial."""
    if worker != "master":
        return fresh_database(url, f"{url.rsplit('/', 1)[1]}_{worker}")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
        conn.execute(text(f'ALTER DATABASE "{url.rsplit("/", 1)[1]}" {QUICK_COMMITS}'))
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def worker(request: pytest.FixtureRequest) -> str:
    """The xdist worker id ("gw0", ...), or "master" when the suite runs in one process."""
    return getattr(request.config, "workerinput", {}).get("workerid", "master")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory, worker: str) -> str:
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'forum.db'}"
    return worker_database(url, worker)


@pytest.fixture
def scratch_url(tmp_path: Path, worker: str) -> str:
    """An empty database of the test's own, for migrating up and down without disturbing
    the shared one."""
    url = os.environ.get("FORUM_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path / 'scratch.db'}"
    return fresh_database(url, f"forum_scratch_{worker}")


@pytest.fixture(scope="session")
def migrated(database_url: str) -> str:
    """Build the schema the way production does: from the Alembic migrations."""
    app = create_app(base_config(database_url))
    with app.app_context():
        flask_migrate.upgrade()
        _db.engine.dispose()
    return database_url


def _empty_tables() -> None:
    """Delete every row and, on PostgreSQL, restart the id sequences, so each test starts
    from id 1. (DELETE rather than TRUNCATE: a test leaves a few rows, and TRUNCATE's new
    table files cost more than deleting them.) On PostgreSQL it is one round trip, and only
    the sequences that handed out an id since their last restart are restarted."""
    statements = [f"DELETE FROM {t.name}" for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name != "postgresql":
        for statement in statements:
            _db.session.execute(text(statement))
        _db.session.commit()
        return
    used = _db.session.scalars(
        text(
            "SELECT sequencename FROM pg_sequences "
            "WHERE schemaname = 'public' AND last_value IS NOT NULL"
        )
    )
    statements += [f"ALTER SEQUENCE {name} RESTART" for name in used]
    # Without parameters psycopg sends the statements as one simple query: one round trip.
    cursor = _db.session.connection().connection.cursor()
    cursor.execute("; ".join(statements))
    cursor.close()
    _db.session.commit()


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    """Override in a test module to change settings for its tests."""
    return {}


def _forget_cached_user() -> None:
    # The test keeps one app context open, so Flask-Login's user cached in ``g`` would
    # outlive a request; forgetting it lets ``login_as`` switch people between requests.
    g.pop("_login_user", None)


class SharedApp:
    """An app built once per worker for a configuration, with what it started with.

    Building an app (its URL map compiles a builder per rule) and compiling its templates on
    the first page cost about 80 ms, more than most tests; tests with the same settings share
    one app instead, and its pool's database connections (a new PostgreSQL connection cost
    the server about 13 ms of CPU: a new backend, its catalogue caches, its plans). Each test
    starts from the same state: settings, extensions, the rate limiter's global state
    (Flask-Limiter keeps it on the extension object), the WSGI callable and the rendered
    fragments are put back after every test; the database and the page cache are emptied as
    before."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.app = create_app(config)
        self.app.before_request(_forget_cached_user)
        self.config = dict(self.app.config)
        self.extensions = dict(self.app.extensions)
        self.wsgi_app = self.app.wsgi_app  # some tests wrap it in a middleware of theirs
        self.limiter_state = dict(limiter.__dict__)

    def restore(self) -> None:
        self.app.wsgi_app = self.wsgi_app  # type: ignore[method-assign]
        self.app.config.clear()
        self.app.config.update(self.config)
        self.app.extensions.clear()
        self.app.extensions.update(self.extensions)
        limiter.__dict__.clear()
        limiter.__dict__.update(self.limiter_state)
        if limiter.enabled:
            limiter.reset()  # its counts, in this app's own (memory) storage
        self.app.extensions["forum.fragments"].clear()

    def close(self) -> None:
        """Close the connections its pool kept open from test to test."""
        with self.app.app_context():
            _db.engine.dispose()


# Per worker process, by settings; the few tests that change an app's setup (a route of
# their own) are marked ``fresh_app`` and get one of their own.
_SHARED: dict[str, SharedApp] = {}
SHARED_APPS_KEPT = 8


def _shared_app(config: dict[str, Any]) -> SharedApp:
    key = repr(sorted(config.items()))
    shared = _SHARED.pop(key, None)
    if shared is None:
        shared = SharedApp(config)
    else:
        shared.restore()
    _SHARED[key] = shared  # the most recently used last
    while len(_SHARED) > SHARED_APPS_KEPT:
        _SHARED.pop(next(iter(_SHARED))).close()
    return shared


@pytest.fixture
def app(
    migrated: str, config_overrides: dict[str, Any], request: pytest.FixtureRequest
) -> Iterator[Flask]:
    config = {**base_config(migrated), **config_overrides}
    fresh = request.node.get_closest_marker("fresh_app") is not None
    shared = SharedApp(config) if fresh else _shared_app(config)
    with shared.app.app_context():
        yield shared.app
        _db.session.rollback()
        _empty_tables()
        _db.session.remove()
        page_cache.cache.clear()
    if fresh:
        shared.close()


@pytest.fixture
def db(app: Flask):  # noqa: ANN201 - the Flask-SQLAlchemy extension
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient) -> Callable[[User], FlaskClient]:
    """Sign the test client in as ``user`` (as flaskr's auth helper does)."""

    def login(user: User) -> FlaskClient:
        with client.session_transaction() as session:
            session["_user_id"] = sign_in_id(user)
            session["_fresh"] = True
        return client

    return login


class QueryCounter:
    """The statements sent while open. ``count`` leaves out PostgreSQL's plan setting
    (forum.transactions.custom_plans): at most one a request whatever the page holds, it
    would only make the same page's count differ by database."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    @property
    def count(self) -> int:
        return sum(not s.startswith(PLAN_SETTING) for s in self.statements)


@pytest.fixture
def count_queries(app: Flask) -> Callable[[], Any]:
    """Context manager factory counting SQL statements sent while it is open."""
    from contextlib import contextmanager

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        event.listen(_db.engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(_db.engine, "before_cursor_execute", counter)

    return counting
