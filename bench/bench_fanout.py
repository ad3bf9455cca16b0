"""Fan-out through the outbox: posting stays flat, the worker writes followers in bulk.

Run: ``python bench/bench_fanout.py``. Uses a fresh SQLite file in a temporary directory; set
FORUM_BENCH_DATABASE_URL (postgresql+psycopg://...) to run on PostgreSQL as well. That
database is EMPTIED (every forum table dropped and re-created), so give it a scratch one.

Setup uses bulk inserts, not the services, so 100,000 followers take seconds. Printed:
- the time of one ``create_thread`` call in a tag with 10, 1,000 and 100,000 followers
  (median of 5; it writes one outbox row whatever the audience, so it should stay flat);
- the worker's fan-out for the 100,000-follower thread (one INSERT ... SELECT), per second;
- the notifications page's queries (page 1, page 100, unread badge) for someone following 20
  of 200 tags over 100,000 threads, whose notifications cover every thread in those tags.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, literal, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.models import (  # noqa: E402
    Notification,
    OutboxEvent,
    Tag,
    TagSubscription,
    Thread,
    User,
    thread_tags,
)
from forum.models.base import utcnow  # noqa: E402

AUDIENCES = (10, 1_000, 100_000)
THREADS = 100_000
TAGS_FOR_PAGE = 200
FOLLOWED_FOR_PAGE = 20
PER_PAGE = 30
CHUNK = 10_000


def bench_app(url: str) -> Any:
    return create_app(
        {
            "TESTING": True,  # no dev-key refusal, no inline worker
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "RATELIMIT_ENABLED": False,
            "NEW_USER_REVIEW_COUNT": 0,
        }
    )


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def median_time(fn: Callable[[], Any], runs: int = 5) -> float:
    fn()  # warm: statement caches, first-connection costs
    return statistics.median(timed(fn)[0] for _ in range(runs))


def bulk(table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(table), rows[start : start + CHUNK])


def make_users(count: int, prefix: str) -> list[int]:
    now = utcnow()
    bulk(
        User,
        [
            {
                "username": f"{prefix}{n}",
                "username_key": f"{prefix}{n}",
                "password_hash": "!",
                "created_at": now,
                "auto_follow_threads": False,
            }
            for n in range(count)
        ],
    )
    db.session.commit()
    return list(db.session.scalars(select(User.id).where(User.username_key.like(f"{prefix}%"))))


def make_tags(slugs: list[str]) -> dict[str, int]:
    bulk(Tag, [{"slug": s, "name": s, "description": "", "created_at": utcnow()} for s in slugs])
    db.session.commit()
    rows = db.session.execute(select(Tag.slug, Tag.id).where(Tag.slug.in_(slugs)))
    return {slug: tag_id for slug, tag_id in rows}


def follow_all(tag_id: int, user_ids: list[int], level: str = "new_threads") -> None:
    now = utcnow()
    bulk(
        TagSubscription,
        [{"user_id": u, "tag_id": tag_id, "level": level, "created_at": now} for u in user_ids],
    )
    db.session.commit()


def run(url: str, label: str) -> list[tuple[str, str]]:
    from forum import outbox
    from forum.subscriptions import fanout  # handlers registered by the factory
    from forum.subscriptions import service as subscriptions
    from forum.threads.service import create_thread

    app = bench_app(url)
    rows: list[tuple[str, str]] = []
    with app.app_context():
        db.drop_all()
        db.create_all()
        readers = make_users(max(AUDIENCES), "reader")
        (author_id,) = make_users(1, "author")
        author = db.session.get(User, author_id)
        tags = make_tags([f"audience-{n}" for n in AUDIENCES])
        for n in AUDIENCES:
            follow_all(tags[f"audience-{n}"], readers[:n])

        # 1. posting: one outbox row, whatever the audience.
        count = iter(range(10**6))
        for n in AUDIENCES:
            slug = f"audience-{n}"

            def post(slug: str = slug) -> Thread:
                return create_thread(
                    author=author, title=f"Bench thread {next(count)}", body="Body.", tags=[slug]
                )

            seconds = median_time(post)
            rows.append((f"post a thread, {n:,} followers", f"{seconds * 1000:8.2f} ms"))

        # 2. the worker's fan-out for a 100,000-follower thread (the exact worker path).
        # Drain what the posts above queued first, so the timing is one event alone.
        outbox.drain()
        thread = create_thread(
            author=author, title="The big one", body="Body.", tags=[f"audience-{AUDIENCES[-1]}"]
        )
        event_id = db.session.scalar(
            select(OutboxEvent.id).where(
                OutboxEvent.kind == "thread.created", OutboxEvent.processed_at.is_(None)
            )
        )
        before = db.session.scalar(select(func.count(Notification.id)))
        seconds, _ = timed(lambda: outbox.process_event(event_id))
        written = db.session.scalar(select(func.count(Notification.id))) - before
        rows.append(
            (
                f"fan-out, {written:,} notifications",
                f"{seconds:8.2f} s  = {written / seconds:,.0f} notifications/s",
            )
        )
        assert thread.id

        # 3. the notifications page for someone following 20 of 200 tags over 100,000 threads.
        page_tags = make_tags([f"topic-{n}" for n in range(TAGS_FOR_PAGE)])
        tag_ids = list(page_tags.values())
        now = utcnow()
        bulk(
            Thread,
            [
                {
                    "title": f"Thread {n}",
                    "slug": f"thread-{n}",
                    "author_id": author_id,
                    "body_src": "Body.",
                    "body_html": "<p>Body.</p>",
                    "created_at": now,
                    "last_activity_at": now,
                    "comment_count": 0,
                    "comment_seq": 0,
                }
                for n in range(THREADS)
            ],
        )
        db.session.commit()
        thread_ids = list(db.session.scalars(select(Thread.id).where(Thread.slug.like("thread-%"))))
        bulk(
            thread_tags,
            [
                {"thread_id": t, "tag_id": tag_ids[i % len(tag_ids)]}
                for i, t in enumerate(thread_ids)
            ],
        )
        reader = db.session.get(User, readers[0])
        for tag_id in tag_ids[:FOLLOWED_FOR_PAGE]:
            db.session.execute(
                insert(TagSubscription).values(
                    user_id=reader.id, tag_id=tag_id, level="all", created_at=now
                )
            )
        # Their notifications: every thread in the followed tags (set-based, like the worker).
        db.session.execute(
            insert(Notification).from_select(
                ["user_id", "kind", "key", "thread_id", "note", "created_at"],
                select(
                    literal(reader.id),
                    literal("new_thread"),
                    literal("thread:") + thread_tags.c.thread_id.cast(db.String),
                    thread_tags.c.thread_id,
                    literal(""),
                    literal(now, Notification.__table__.c.created_at.type),
                ).where(thread_tags.c.tag_id.in_(tag_ids[:FOLLOWED_FOR_PAGE])),
            )
        )
        db.session.commit()
        mine = db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == reader.id)
        )

        def page(number: int) -> Callable[[], Any]:
            def query() -> Any:
                pagination = db.paginate(
                    subscriptions.notifications_for(reader),
                    page=number,
                    per_page=PER_PAGE,
                    error_out=False,
                )
                items = [(n.thread.title if n.thread else "", n.kind) for n in pagination.items]
                db.session.rollback()
                return items

            return query

        for number in (1, 100):
            seconds = median_time(page(number))
            rows.append(
                (
                    f"notifications page {number} ({mine:,} of theirs, {THREADS:,} threads)",
                    f"{seconds * 1000:8.2f} ms",
                )
            )
        seconds = median_time(lambda: subscriptions.unread_count(reader))
        rows.append(("unread badge (count of theirs)", f"{seconds * 1000:8.2f} ms"))
        assert fanout.MAIL_EVENT
        db.session.remove()
        db.engine.dispose()
    return [(f"{label}: {what}", figure) for what, figure in rows]


def main() -> None:
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        results += run(f"sqlite:///{Path(tmp) / 'bench.db'}", "sqlite")
    pg = os.environ.get("FORUM_BENCH_DATABASE_URL")
    if pg:
        results += run(pg, "postgresql")
    width = max(len(what) for what, _ in results)
    print(f"{'what':{width}}  figure")
    for what, figure in results:
        print(f"{what:{width}}  {figure}")


if __name__ == "__main__":
    main()
