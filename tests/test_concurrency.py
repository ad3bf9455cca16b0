"""Many writers at once: every comment the forum acknowledges is stored exactly once, and the
thread's numbers stay unique and gapless.

Eight OS processes post 100 comments each into one thread at the same moment, through real
HTTP against gunicorn (several workers) on the test run's database: the SQLite file, or
PostgreSQL with FORUM_TEST_DATABASE_URL. Half of them use the site's form (a 302 to the new
comment's anchor), half the JSON API (a 201 with its number).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import select

from forum.auth.service import create_token
from forum.extensions import db
from forum.models import Comment, Thread
from tests.factories import PASSWORD, make_thread, make_user
from tests.servers import ROOT, server_env, start_gunicorn

WRITERS = 8
POSTS_EACH = 100
TEXT = "the night shelter rota still needs someone on Tuesdays."
# gunicorn sync workers: enough that several transactions are always in flight at once.
SERVER_WORKERS = 4
# The writers' whole run: 6 s (SQLite) and 10 s (PostgreSQL) alone on 2 cores; at 200 posts
# each it took 17 s alone and once past 220 s in CI beside both suites. Each post still has to
# be answered within POST_SECONDS, so a stall fails the statuses check, not this bound.
WRITERS_SECONDS = 420
# One post's answer, and gunicorn's worker timeout: well above a post (16 ms alone), and above
# gunicorn's default 30 s, which one post of 800 once passed in a CI run of both suites at
# once on two cores (229 s for all 800, against 13 s alone). This test is about what is
# stored; bench/ measures how fast.
POST_SECONDS = 120


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _writers(base: str, thread_id: int) -> list[subprocess.Popen[bytes]]:
    processes = []
    for i in range(WRITERS):
        user = make_user(f"writer{i}")
        spec = {
            "base": base,
            "thread_id": thread_id,
            "label": f"writer{i}",
            "count": POSTS_EACH,
            "text": TEXT,
            "timeout": POST_SECONDS,
        }
        if i % 2:
            spec["token"] = create_token(user)
        else:
            spec["login"] = [user.username, PASSWORD]
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "tests.servers", json.dumps(spec)],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        )
    return processes


@pytest.mark.timeout(WRITERS_SECONDS + 120)
def test_eight_processes_posting_at_once_get_every_comment_in_once_with_unique_numbers(
    app, migrated
) -> None:
    thread = make_thread(title="Who covers the Tuesday rota")
    env = server_env(
        migrated, None, FORUM_RATELIMIT_ENABLED="false", FORUM_TIMEOUT=str(POST_SECONDS)
    )
    cpu_before = _children_cpu()
    server = start_gunicorn(env, workers=SERVER_WORKERS)
    writers: list[subprocess.Popen[bytes]] = []
    try:
        server.wait_until_up()
        writers = _writers(server.base, thread.id)
        for writer in writers:
            assert writer.stdout is not None and writer.stdout.readline() == b"ready\n"
        started = time.monotonic()
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write(b"go\n")
            writer.stdin.flush()
        deadline = started + WRITERS_SECONDS
        outputs = [
            writer.communicate(timeout=max(1.0, deadline - time.monotonic()))[0]
            for writer in writers
        ]
        elapsed = time.monotonic() - started
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.wait()
        log = server.stop()
    cpu = _children_cpu() - cpu_before  # the server, its workers and the writers
    attempts = [attempt for output in outputs for attempt in json.loads(output)]

    db.session.rollback()  # a fresh snapshot: the server wrote in other processes
    stored = db.session.execute(
        select(Comment.body_src, Comment.number).where(Comment.thread_id == thread.id)
    ).all()
    acknowledged = {a["body"]: a["number"] for a in attempts if a["status"] in (201, 302)}
    statuses = Counter(a["status"] for a in attempts)
    print(
        f"\n{db.engine.dialect.name}: {len(attempts)} posts in {elapsed:.1f} s, "
        f"{len(acknowledged)} acknowledged, {len(stored)} stored, statuses {dict(statuses)}; "
        f"{cpu:.0f} CPU-seconds in the server and the writers"
    )
    assert statuses == {302: WRITERS // 2 * POSTS_EACH, 201: WRITERS // 2 * POSTS_EACH}, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    # Each acknowledged comment is there exactly once, under the number its author was told.
    assert sorted(body for body, _ in stored) == sorted(acknowledged)
    assert dict(stored) == acknowledged
    # Numbers: one each, no gaps, and the thread's counters agree.
    n = WRITERS * POSTS_EACH
    assert sorted(number for _, number in stored) == list(range(1, n + 1))
    counts = db.session.execute(
        select(Thread.comment_count, Thread.comment_seq).where(Thread.id == thread.id)
    ).one()
    assert tuple(counts) == (n, n)
