"""Backups and restores: ``flask --app wsgi forum backup PATH`` and ``forum restore PATH``.

SQLite: the backup is taken by the real command in a process of its own while the forum keeps
taking posts, then restored into a new instance with no database yet, which must serve
everything that was committed before the backup started. PostgreSQL: the commands the
backup prints are run as printed, into a new database. Both run on every test run, on
databases of their own.
"""

from __future__ import annotations

import shlex
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask

from forum import create_app
from forum.auth.service import create_token
from forum.backup import postgres_commands
from forum.extensions import db
from tests.conftest import base_config
from tests.databases import own_postgres_database
from tests.factories import make_comment, make_thread, make_user
from tests.servers import run_flask, server_env


def _forum(url: str, *, migrate: bool = False) -> Flask:
    app = create_app(base_config(url))
    if migrate:
        with app.app_context():
            flask_migrate.upgrade()
    return app


def _dispose(*apps: Flask) -> None:
    for app in apps:
        with app.app_context():
            db.engine.dispose()


def _seed(app: Flask, comments: int) -> tuple[int, str]:
    """A thread with ``comments`` comments; its id and an API token of its author."""
    with app.app_context():
        author = make_user("archivist")
        thread = make_thread(author, title="Minutes of the shelter meeting")
        for n in range(comments):
            make_comment(thread, author=author, body=f"Minute {n}: the beds are funded.")
        token = create_token(author)
        thread_id = thread.id
        db.session.remove()
    return thread_id, token


@pytest.fixture
def live(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """A migrated SQLite forum of this test's own (whichever database the suite runs on)."""
    url = f"sqlite:///{tmp_path / 'live.db'}"
    app = _forum(url, migrate=True)
    yield app, url
    _dispose(app)


def test_a_sqlite_backup_taken_while_posting_restores_into_a_new_instance(tmp_path, live) -> None:
    app, url = live
    thread_id, token = _seed(app, comments=10)
    acknowledged: list[int] = []
    refused: list[int] = []
    stop = threading.Event()

    def keep_posting() -> None:
        client = app.test_client()
        while not stop.is_set():
            response = client.post(
                f"/api/v1/threads/{thread_id}/comments",
                json={"body": f"Late minute {len(acknowledged)}: posted during the backup."},
                headers={"Authorization": f"Bearer {token}"},
            )
            if response.status_code == 201:
                acknowledged.append(response.get_json()["number"])
            else:
                refused.append(response.status_code)
            stop.wait(0.02)  # a steady trickle, leaving the CPU to the backup

    writer = threading.Thread(target=keep_posting)
    writer.start()
    try:
        while len(acknowledged) < 3:  # the writer is going
            assert not refused and writer.is_alive(), refused
            stop.wait(0.01)
        committed_before = 10 + len(acknowledged)
        backup = tmp_path / "forum-backup.db"
        done = run_flask(server_env(url, None), "forum", "backup", str(backup))
        posted_during = len(acknowledged) + 10 - committed_before
    finally:
        stop.set()
        writer.join(timeout=30)
    assert refused == []
    assert posted_during > 0, "the writer was held up by the backup"
    assert "integrity ok" in done.stdout and "1 threads" in done.stdout

    # A new instance: no database file yet, filled by the restore command.
    restored = _forum(f"sqlite:///{tmp_path / 'restored.db'}")
    try:
        result = restored.test_cli_runner().invoke(args=["forum", "restore", str(backup), "--yes"])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("Restored ")
        page = restored.test_client().get(f"/threads/{thread_id}")
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        for n in range(10):
            assert f"Minute {n}: the beds are funded." in html
        detail = restored.test_client().get(f"/api/v1/threads/{thread_id}").get_json()
        numbers = [c["number"] for c in detail["comments"]]
        # Everything committed before the backup started; a consistent snapshot (no gaps).
        assert len(numbers) >= committed_before
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert detail["comment_count"] == len(numbers)
    finally:
        _dispose(restored)


def test_backup_refuses_to_overwrite_a_file_and_leaves_it_alone(tmp_path, live) -> None:
    app, _ = live
    existing = tmp_path / "keep.db"
    existing.write_text("an older backup")
    result = app.test_cli_runner().invoke(args=["forum", "backup", str(existing)])
    assert result.exit_code == 1
    assert "already exists; choose a new file name" in result.output
    assert existing.read_text() == "an older backup"


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"Not a database, just text. " * 200, "file is not a database"), (b"", "no such table")],
)
def test_restore_refuses_a_file_that_is_not_a_forum_backup(tmp_path, live, content, problem):
    app, _ = live
    thread_id, _ = _seed(app, comments=1)
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(content)
    result = app.test_cli_runner().invoke(args=["forum", "restore", str(bogus), "--yes"])
    assert result.exit_code == 1
    assert problem in result.output
    assert app.test_client().get(f"/threads/{thread_id}").status_code == 200  # untouched


def test_restore_asks_first_and_does_nothing_when_told_no(tmp_path, live) -> None:
    app, _ = live
    thread_id, _ = _seed(app, comments=1)
    empty = tmp_path / "empty.db"
    _dispose(_forum(f"sqlite:///{empty}", migrate=True))  # a valid backup with no threads
    result = app.test_cli_runner().invoke(args=["forum", "restore", str(empty)], input="n\n")
    assert "Replace everything in" in result.output
    assert result.exit_code == 1  # aborted
    assert app.test_client().get(f"/threads/{thread_id}").status_code == 200


def test_postgres_commands_leave_the_password_out() -> None:
    dump, restore = postgres_commands(
        "postgresql+psycopg://forum:s3cret@db.internal:5432/forum", Path("/backups/forum 1.dump")
    )
    assert dump == (
        "pg_dump --format=custom --file='/backups/forum 1.dump' "
        "postgresql://forum@db.internal:5432/forum"
    )
    assert restore == (
        "pg_restore --clean --if-exists --no-owner "
        "--dbname=postgresql://forum@db.internal:5432/forum '/backups/forum 1.dump'"
    )
    assert "s3cret" not in dump + restore


def _printed_command(output: str, program: str) -> list[str]:
    lines = [line.strip() for line in output.splitlines() if line.strip().startswith(program)]
    assert len(lines) == 1, output
    return shlex.split(lines[0])


def test_the_postgresql_backup_commands_restore_into_a_new_database(tmp_path, worker) -> None:
    dump = tmp_path / "forum.dump"
    source = _forum(own_postgres_database("backup_source", worker))
    target = _forum(own_postgres_database("backup_target", worker, migrate=False))
    try:
        thread_id, _ = _seed(source, comments=3)
        result = source.test_cli_runner().invoke(args=["forum", "backup", str(dump)])
        assert result.exit_code == 0, result.output
        subprocess.run(_printed_command(result.output, "pg_dump"), check=True, timeout=60)
        assert dump.stat().st_size > 0

        result = target.test_cli_runner().invoke(args=["forum", "restore", str(dump)])
        assert result.exit_code == 0, result.output
        command = _printed_command(result.output, "pg_restore")
        restored = subprocess.run(command, timeout=60, capture_output=True, text=True)
        assert restored.returncode == 0, restored.stderr
        page = target.test_client().get(f"/threads/{thread_id}")
        assert page.status_code == 200
        for n in range(3):
            assert f"Minute {n}: the beds are funded." in page.get_data(as_text=True)
    finally:
        _dispose(source, target)
