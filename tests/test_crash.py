"""A crash mid-burst loses nothing the forum acknowledged, and leaves the database sound.

gunicorn (master and workers) is killed with SIGKILL while four clients post into one thread,
then the app is started again on the same database: the test run's SQLite file, or PostgreSQL with
FORUM_TEST_DATABASE_URL. On SQLite, ``PRAGMA integrity_check`` runs on the file first, as the
first opener after the crash (it replays the WAL). SQLite runs in WAL mode with
synchronous=NORMAL: a committed transaction is in the WAL before the response is sent, so a
process crash loses none; only a power cut or an OS crash can lose the last few commits
(never corrupting the file), which no kill -9 can show.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time

from sqlalchemy import select

from forum.auth.service import create_token
from forum.extensions import db
from forum.models import Comment, Thread
from tests.factories import make_thread, make_user
from tests.servers import Posted, Poster, server_env, start_gunicorn

CLIENTS = 4
# Kill once this many posts were acknowledged (each client would post 200).
KILL_AFTER = 60


def test_kill_9_mid_burst_keeps_every_acknowledged_post_and_a_sound_database(
    app, client, migrated
) -> None:
    thread = make_thread(title="Who takes the night shift")
    tokens = [create_token(make_user(f"shift{i}")) for i in range(CLIENTS)]
    env = server_env(migrated, None, FORUM_RATELIMIT_ENABLED="false")
    server = start_gunicorn(env, workers=2)
    server.wait_until_up()
    results: list[Posted] = []
    runners = []
    for i, token in enumerate(tokens):
        poster = Poster(server.base, thread.id, token=token)
        bodies = [f"shift{i} offer {n}: I can cover a night." for n in range(200)]
        runners.append(
            threading.Thread(
                target=poster.post_all,
                args=(bodies,),
                kwargs={"into": results, "stop_on_error": True},
            )
        )
    try:
        for runner in runners:
            runner.start()
        deadline = time.monotonic() + 120
        while sum(p.acknowledged for p in results) < KILL_AFTER:
            assert time.monotonic() < deadline, "the burst never got going"
            time.sleep(0.01)
    finally:
        server.kill()
        for runner in runners:
            runner.join(timeout=60)
    acknowledged = {p.body: p.number for p in results if p.acknowledged}
    # Whatever was in flight got no answer; nothing got an error page.
    assert {p.status for p in results} <= {201, 0}
    unanswered = {p.body for p in results if p.status == 0}

    if migrated.startswith("sqlite"):
        path = migrated.removeprefix("sqlite:///")
        check = sqlite3.connect(path)
        try:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            check.close()

    # Restarted: a fresh app on the same database (the ``client`` fixture's) serves them all.
    response = client.get(f"/api/v1/threads/{thread.id}")
    assert response.status_code == 200
    served = {c["number"]: c["body_html"] for c in response.get_json()["comments"]}
    after = client.post(
        f"/api/v1/threads/{thread.id}/comments",
        json={"body": "After the restart."},
        headers={"Authorization": f"Bearer {tokens[0]}"},
    )

    db.session.rollback()  # a fresh snapshot: the servers wrote in other processes
    stored = dict(
        db.session.execute(
            select(Comment.body_src, Comment.number).where(Comment.thread_id == thread.id)
        ).all()
    )
    in_flight = set(stored) - set(acknowledged) - {"After the restart."}
    print(
        f"\n{db.engine.dialect.name}: killed after {len(acknowledged)} acknowledged posts; "
        f"{len(stored) - 1} present after the restart ({len(in_flight)} committed but unanswered)"
    )
    for body, number in acknowledged.items():
        assert stored[body] == number, f"acknowledged post {body!r} is missing"
        marker = re.escape(body.split(":")[0])
        assert re.search(marker, served[number])
    assert in_flight <= unanswered  # the rest were in flight at the kill
    assert after.status_code == 201 and after.get_json()["number"] == len(stored)
    assert sorted(stored.values()) == list(range(1, len(stored) + 1))
    counts = db.session.execute(
        select(Thread.comment_count, Thread.comment_seq).where(Thread.id == thread.id)
    ).one()
    assert tuple(counts) == (len(stored), len(stored))
