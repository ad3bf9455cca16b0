"""On PostgreSQL a request that only read ends its transaction with COMMIT, so psycopg keeps
the statements it prepared and a page's selects are not planned again on every view; one that
wrote and did not commit is still rolled back. These run on a PostgreSQL database of their own
whichever database the suite runs on (forum.transactions is PostgreSQL's only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask, Response
from sqlalchemy import create_engine, event, select, text, update

from forum import create_app
from forum.extensions import db
from forum.models import Thread
from forum.transactions import custom_plans
from tests.conftest import base_config
from tests.databases import own_postgres_database
from tests.factories import make_comment, make_thread

# psycopg prepares a statement the fifth time one connection runs it.
PREPARE_THRESHOLD = 5


@pytest.fixture(scope="module")
def pg_url(worker: str) -> str:
    return own_postgres_database("transactions", worker)


@pytest.fixture
def app(pg_url: str) -> Iterator[Flask]:
    app = create_app({**base_config(pg_url), "CACHE_TYPE": "NullCache"})

    @app.get("/test/write-and-return")
    def write_and_return() -> str:
        db.session.execute(update(Thread).values(title="Changed by a request that failed"))
        return "wrote, never committed"

    @app.get("/test/write-and-fail")
    def write_and_fail() -> str:
        thread = db.session.scalars(select(Thread)).first()
        assert thread is not None
        thread.title = "Changed by a request that failed"
        db.session.flush()
        raise RuntimeError("after the flush")

    @app.get("/test/change-unsent")
    def change_unsent() -> str:
        thread = db.session.scalars(select(Thread)).first()
        assert thread is not None
        thread.title = "Never sent"
        return "changed in memory"

    @app.get("/test/plan-mode")
    def plan_mode() -> str:
        show = text("SHOW plan_cache_mode")
        with custom_plans():
            inside = db.session.scalar(show)
        return f"{inside} then {db.session.scalar(show)}"

    yield app  # no app context around the requests: each must end its own
    with app.app_context():
        db.session.execute(text("TRUNCATE users, threads, tags RESTART IDENTITY CASCADE"))
        db.session.commit()
        db.engine.dispose()


def _thread(app: Flask, title: str) -> int:
    with app.app_context():
        thread = make_thread(title=title)
        make_comment(thread, body="A reply on the thread page.")
        return thread.id


def _title(app: Flask, thread_id: int) -> str:
    with app.app_context():
        return db.session.get(Thread, thread_id).title  # type: ignore[union-attr]


def _ends(app: Flask) -> list[str]:
    """How each transaction on the app's engine ends, in order, from now on."""
    ends: list[str] = []
    with app.app_context():
        event.listen(db.engine, "commit", lambda _conn: ends.append("COMMIT"))
        event.listen(db.engine, "rollback", lambda _conn: ends.append("ROLLBACK"))
    return ends


def _prepared_statements(app: Flask) -> list[str]:
    """The statements PostgreSQL holds prepared for the pooled connection (one: the test
    client serves one request at a time)."""
    with app.app_context():
        sql = text("SELECT statement FROM pg_prepared_statements")
        return list(db.session.scalars(sql).all())


def test_a_thread_page_read_ends_with_commit_and_its_selects_get_prepared(
    app: Flask, pg_url: str
) -> None:
    thread_id = _thread(app, "Prepared once")
    path = f"/threads/{thread_id}"
    client = app.test_client()
    ends = _ends(app)
    # Another connection edits the reply before each view: a worker reads a thread's comments
    # once per change to them (threads.service.comment_page), so each view reads them again.
    other = create_engine(pg_url)
    for _ in range(PREPARE_THRESHOLD + 1):
        with other.begin() as conn:
            conn.execute(
                text("UPDATE comments SET edited_at = now() WHERE thread_id = :t"), {"t": thread_id}
            )
        assert client.get(path).status_code == 200
    other.dispose()
    assert ends == ["COMMIT"] * (PREPARE_THRESHOLD + 1)
    prepared = _prepared_statements(app)
    assert any("FROM comments" in s for s in prepared), prepared
    assert any("FROM threads" in s for s in prepared), prepared


def test_pages_filtered_by_a_tag_or_words_plan_for_their_values_and_still_commit(
    app: Flask,
) -> None:
    """The tag page's listing, the tag feed and search ask PostgreSQL for plans made for each
    run's values (a generic plan for every tag or word was five times slower on the
    benchmark's search) and go back to the default after them, so the tag page's other
    selects keep their prepared plans; a read that set it still ends with COMMIT."""
    with app.app_context():
        make_thread(title="Night shelter funding", tags=["funding"])
    client = app.test_client()
    sent: list[str] = []
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    ends = _ends(app)
    custom, default = (
        "SET LOCAL plan_cache_mode = force_custom_plan",
        "SET LOCAL plan_cache_mode TO DEFAULT",
    )
    for path in ("/tags/funding", "/search?q=shelter", "/tags/funding/feed.atom"):
        sent.clear()
        assert client.get(path).status_code == 200, path
        assert sent.count(custom) == sent.count(default) == 1, (path, sent)
        assert sent.index(custom) < sent.index(default), (path, sent)
    sent.clear()
    client.get("/tags/funding")
    questions = [i for i, s in enumerate(sent) if "is_question" in s]
    assert questions and min(questions) > sent.index(default), sent
    sent.clear()
    client.get("/")  # no filter by a value: the home page keeps its prepared plans
    assert custom not in sent
    assert ends == ["COMMIT"] * 5
    mode = client.get("/test/plan-mode").get_data(as_text=True)
    assert mode == "force_custom_plan then auto"


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/test/write-and-return", 200),  # an UPDATE sent, the view returned without a commit
        ("/test/write-and-fail", 500),  # a change flushed, then the view failed
        ("/test/change-unsent", 200),  # a change made in memory, never flushed
    ],
)
def test_a_request_that_changed_and_did_not_commit_is_rolled_back(
    app: Flask, path: str, status: int
) -> None:
    thread_id = _thread(app, "Kept as it was")
    ends = _ends(app)
    assert app.test_client().get(path).status_code == status
    assert ends == ["ROLLBACK"]
    assert _title(app, thread_id) == "Kept as it was"


def test_a_page_read_is_still_served_when_its_commit_fails(app: Flask, pg_url: str) -> None:
    """The server ending the connection between the page's selects and the COMMIT loses
    nothing (the transaction wrote nothing), so the reader still gets the page."""
    path = f"/threads/{_thread(app, 'Read before the server left')}"
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")

    @app.after_request
    def server_leaves(response: Response) -> Response:
        pid = db.session.connection().connection.dbapi_connection.info.backend_pid
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    response = app.test_client().get(path)
    admin.dispose()
    assert response.status_code == 200
    assert "Read before the server left" in response.get_data(as_text=True)
