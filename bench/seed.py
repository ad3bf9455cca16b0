"""Seed a benchmark database fast, with rows shaped exactly as the forum writes them.

Run: ``python bench/seed.py --db sqlite|postgres [--scale 1.0]`` (``make bench`` does it).
The database is DROPPED and re-created (PostgreSQL: ``forum_bench_<scale>``; SQLite:
``instance/bench/forum_bench_<scale>.db``), migrated with ``flask db upgrade`` so the schema is
the real one, then filled with bulk inserts: Core ``insert()`` executemany on SQLite, ``COPY``
on PostgreSQL. At scale 1: 10,000 threads, 200,000 comments, 200 tags, 2,000 users, plus

- thread 1 with 1,000 comments and thread 2 with 200 (the thread pages measured), and
- thread 3, empty, that the posting case writes into (so posts never move the pages measured).

Rows are what the services would write: numbers 1..n per thread, materialised paths and
depths from ``forum.threads.rules.comment_position``, ``comment_count``/``comment_seq``,
``last_activity_at`` = the newest comment, ``is_question`` from ``rules.looks_like_question``,
thread slugs from ``rules.slugify``, a thread subscription for each thread's author and each
commenter (``posted_in``). ``body_html`` is rendered once per distinct body with
``forum.text.render_markdown`` and reused. Not written: outbox events, notifications and mail
(the worker's job), revisions, flags and the moderation queue (every comment is published).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import MetaData, Table, create_engine, insert, text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from forum.text import render_markdown  # noqa: E402
from forum.threads.rules import comment_position, looks_like_question, slugify  # noqa: E402

SEED_VERSION = 2
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
SECRET_KEY = "bench-secret-key-not-for-production"
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-password"
BIG_THREAD, MEDIUM_THREAD, POST_THREAD = 1, 2, 3
BIG_COMMENTS, MEDIUM_COMMENTS = 10_000, 200
# The moderator who reads the review queue, and how many flagged comments wait there.
BENCH_MODERATOR = "benchmod"
QUEUE_ITEMS = 50
TAGS = 200
CHUNK = 20_000


@dataclass(frozen=True)
class Sizes:
    threads: int
    comments: int
    users: int
    tags: int = TAGS

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        return cls(
            threads=max(50, round(10_000 * scale)),
            comments=max(BIG_COMMENTS + MEDIUM_COMMENTS, round(200_000 * scale)),
            users=max(50, round(2_000 * scale)),
        )


def scale_label(scale: float) -> str:
    return f"{scale:g}".replace(".", "_")


def database_url(db: str, scale: float) -> str:
    name = f"forum_bench_{scale_label(scale)}"
    if db == "postgres":
        return f"{PG_ADMIN_URL}/{name}"
    path = ROOT / "instance" / "bench" / f"{name}.db"
    return f"sqlite:///{path}"


def app_env(url: str) -> dict[str, str]:
    """The environment the forum runs under in the benchmark (seed, gunicorn, profiler)."""
    return {
        **os.environ,
        "FORUM_DATABASE_URL": url,
        "FORUM_SECRET_KEY": SECRET_KEY,
        "FORUM_RATELIMIT_ENABLED": "false",
        "FORUM_INLINE_WORKER": "false",
    }


# --------------------------------------------------------------------------- content

_OPENERS = [
    "I've been volunteering at the drop-in centre for a year now",
    "The hotline figures in that report count calls, not cases",
    "Our outreach team tried the approach you describe last spring",
    "Speaking as someone who works in survivor services",
    "I read the whole methodology section this morning",
    "The T visa process is slower than most people assume",
    "Legal aid clinics in our region keep long waiting lists",
    "Debt bondage shows up in the labour cases we see most",
]
_MIDDLES = [
    "and the numbers only make sense once you separate **referrals** from *confirmed* cases.",
    "which is why we keep a shared list at [the resource page](https://example.org/resources).",
    "so I'd rather we compared like with like before drawing conclusions.",
    "and the caseworkers told us the paperwork alone takes weeks.",
    "but raids that end in deportation don't help the people caught in them.",
    "and funding for follow-up support is the part that keeps getting cut.",
]
_QUESTIONS = [
    "Does anyone know whether the 2023 figures were revised?",
    "How did your team handle intake when the shelter was full?",
    "What would a better measure of outcomes look like here?",
    "",
    "",
    "",
]
_EXTRAS = [
    "",
    "\n\n> Quoting the summary: most referrals came through NGOs, not police.",
    "\n\n- intake interviews\n- legal referrals\n- housing support",
    "\n\nSee also `section 4.2` of the guidance.",
    "",
]


def comment_bodies(rng: random.Random, count: int) -> list[str]:
    bodies: set[str] = set()
    while len(bodies) < count:
        parts = [
            f"{rng.choice(_OPENERS)}, {rng.choice(_MIDDLES)}",
            rng.choice(_QUESTIONS),
            rng.choice(_MIDDLES).capitalize(),
        ]
        body = " ".join(p for p in parts if p) + rng.choice(_EXTRAS)
        body += f"\n\n(note {len(bodies)})"
        bodies.add(body)
    return sorted(bodies)


@dataclass(frozen=True)
class Body:
    src: str
    html: str
    is_question: bool


def rendered(bodies: Iterable[str]) -> list[Body]:
    """Each distinct body rendered once, as the reply service would (no flagged spans: the
    texts are benign, so the moderation rules have nothing to exclude)."""
    return [Body(b, render_markdown(b), looks_like_question(b)) for b in bodies]


# --------------------------------------------------------------------------- database set-up


def recreate_database(db: str, url: str) -> None:
    if db == "postgres":
        name = url.rsplit("/", 1)[1]
        admin = create_engine(f"{PG_ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    else:
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def migrate(url: str) -> None:
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "db", "upgrade"]
    if not Path(flask[0]).exists():
        flask[0:1] = [sys.executable, "-m", "flask"]
    subprocess.run(flask, cwd=ROOT, env=app_env(url), check=True, capture_output=True)


class Writer:
    """Bulk rows into the real (migrated) tables: COPY on PostgreSQL, executemany on SQLite.

    Columns come from the migrated schema, so a column someone adds later without a default
    fails here loudly instead of being silently left out.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.metadata = MetaData()
        self.metadata.reflect(engine)
        self.pg = engine.dialect.name == "postgresql"

    def write(self, table_name: str, rows: Iterable[dict[str, Any]]) -> int:
        table: Table = self.metadata.tables[table_name]
        count = 0
        columns: list[str] | None = None
        for chunk in _chunks(rows, CHUNK):
            if columns is None:
                columns = list(chunk[0])
                missing = [
                    c.name
                    for c in table.columns
                    if c.name not in columns
                    and not c.nullable
                    and c.server_default is None
                    and not (c.primary_key and c.autoincrement)
                ]
                if missing:
                    raise RuntimeError(f"seed: {table_name} needs values for {missing}")
            if self.pg:
                self._copy(table_name, columns, chunk)
            else:
                with self.engine.begin() as conn:
                    conn.execute(insert(_typed(table)), chunk)
            count += len(chunk)
        return count

    @contextmanager
    def deferred_indexes(self, tables: Sequence[str]) -> Iterator[None]:
        """On PostgreSQL, drop the tables' plain indexes (not those behind primary keys and
        unique constraints) while loading, and build them again from their own definitions
        afterwards: one sorted build beats millions of incremental inserts, GIN above all.
        The tables' own triggers are off meanwhile: the rows already hold what they would
        write (threads.comments_version counts changes, and any start will do)."""
        if not self.pg:
            yield
            return
        with self.engine.begin() as conn:
            found = conn.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' "
                    "AND tablename = ANY(:tables) AND indexname NOT IN "
                    "(SELECT conname FROM pg_constraint)"
                ),
                {"tables": list(tables)},
            ).all()
            for name, _ in found:
                conn.execute(text(f'DROP INDEX "{name}"'))
            for table in tables:
                conn.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER USER'))
        yield
        with self.engine.begin() as conn:
            for table in tables:
                conn.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER USER'))
            conn.execute(text("SET maintenance_work_mem = '1GB'"))
            for _, definition in found:
                conn.execute(text(definition))

    def _copy(self, table_name: str, columns: list[str], chunk: list[dict[str, Any]]) -> None:
        raw = self.engine.raw_connection()
        try:
            with raw.cursor() as cur:  # type: ignore[attr-defined]
                cur.execute("SET synchronous_commit = off")
                cols = ", ".join(columns)
                with cur.copy(f"COPY {table_name} ({cols}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row([row[c] for c in columns])
            raw.commit()
        finally:
            raw.close()


def _typed(table: Table) -> Table:
    """The model's table when there is one, so values bind through the app's own column
    types (UTCDateTime stores exactly what the ORM stores)."""
    from forum import models  # noqa: F401
    from forum.extensions import db

    return db.metadata.tables.get(table.name, table)


def _chunks(rows: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --------------------------------------------------------------------------- rows


def tag_weights(count: int) -> list[float]:
    """Zipf-like: the busiest tag (tag 1) carries about a fifth of all threads."""
    return [1 / (k**0.8) for k in range(1, count + 1)]


def seed(db: str, scale: float, *, quiet: bool = False) -> dict[str, Any]:
    """Drop, migrate and fill the database; returns what was written and how long it took."""
    say = (lambda *_: None) if quiet else (lambda *a: print(*a, flush=True))
    sizes = Sizes.for_scale(scale)
    url = database_url(db, scale)
    started = time.perf_counter()
    recreate_database(db, url)
    migrate(url)
    migrated = time.perf_counter()
    say(f"seed {db} x{scale:g}: migrated in {migrated - started:.1f}s")

    rng = random.Random(20_26)
    now = datetime.now(UTC).replace(microsecond=0)
    epoch = now - timedelta(days=400)
    engine = create_engine(url)
    writer = Writer(engine)
    counts: dict[str, int] = {}

    # Users: one fast hash for all (werkzeug reads the method from the hash), so signing in
    # in the posting case costs what the app's hash check costs, not scrypt's deliberate work.
    password_hash = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")

    def users() -> Iterator[dict[str, Any]]:
        for uid in range(1, sizes.users + 1):
            name = {1: BENCH_USER, 2: BENCH_MODERATOR}.get(uid, f"member{uid:05d}")
            yield {
                "id": uid,
                "username": name,
                "username_key": name,
                "email": None,
                "email_verified_at": None,
                "email_notifications": False,
                "auto_follow_threads": True,
                "feed_token": None,
                "last_daily_digest_at": None,
                "last_weekly_digest_at": None,
                "password_hash": password_hash,
                "role": "moderator" if uid == 2 else "member",
                "suspended_until": None,
                "created_at": epoch,
            }

    counts["users"] = writer.write("users", users())
    counts["tags"] = writer.write(
        "tags",
        (
            {
                "id": t,
                "slug": f"topic-{t:03d}",
                "name": f"Topic {t:03d}",
                "description": f"Threads about topic {t}.",
                "canonical_id": None,
                "created_at": epoch,
            }
            for t in range(1, sizes.tags + 1)
        ),
    )

    bodies = rendered(comment_bodies(rng, 400))
    thread_bodies = rendered(comment_bodies(rng, 100))
    rendered_at = time.perf_counter()

    # How many comments each thread gets: the fixed ones, then the rest spread at random.
    per_thread = [0] * (sizes.threads + 1)
    per_thread[BIG_THREAD], per_thread[MEDIUM_THREAD] = BIG_COMMENTS, MEDIUM_COMMENTS
    rest = sizes.comments - BIG_COMMENTS - MEDIUM_COMMENTS
    others = range(POST_THREAD + 1, sizes.threads + 1)
    for _ in range(rest):
        per_thread[rng.choice(others)] += 1

    step = timedelta(days=380) / sizes.threads
    thread_rows: list[dict[str, Any]] = []
    comment_rows_total = 0
    subscriptions: set[tuple[int, int]] = set()
    first_comment: dict[int, int] = {}  # thread id -> its comment number 1's id
    comment_id = 0

    def comments() -> Iterator[dict[str, Any]]:
        nonlocal comment_id, comment_rows_total
        for tid in range(1, sizes.threads + 1):
            created = epoch + step * tid
            author = 1 if tid == POST_THREAD else rng.randrange(2, sizes.users + 1)
            subscriptions.add((author, tid))
            tree: list[tuple[int, str, int]] = []  # (id, path, depth) by number - 1
            last = created
            n = per_thread[tid]
            gap = min(timedelta(minutes=30), (now - created) / (n + 1)) if n else timedelta(0)
            for number in range(1, n + 1):
                comment_id += 1
                if number == 1 or rng.random() < 0.35:
                    parent = None
                else:
                    back = min(number - 1, 1 + int(rng.expovariate(1 / 4)))
                    parent = tree[number - 1 - back]
                path, depth = comment_position(
                    parent[1] if parent else None, parent[2] if parent else 0, number
                )
                tree.append((comment_id, path, depth))
                if number == 1:
                    first_comment[tid] = comment_id
                # The bench user has published comments, so new-user review never holds a post.
                commenter = 1 if comment_id <= 5 else rng.randrange(1, sizes.users + 1)
                subscriptions.add((commenter, tid))
                body = rng.choice(bodies)
                last = created + gap * number
                yield {
                    "id": comment_id,
                    "thread_id": tid,
                    "author_id": commenter,
                    "parent_id": parent[0] if parent else None,
                    "number": number,
                    "path": path,
                    "depth": depth,
                    "body_src": body.src,
                    "body_html": body.html,
                    "status": "published",
                    "created_at": last,
                    "edited_at": None,
                    "removal_reason": "",
                    "appealed": False,
                    "is_question": body.is_question,
                }
            title = f"{rng.choice(_OPENERS)} ({tid})"
            tbody = rng.choice(thread_bodies)
            thread_rows.append(
                {
                    "id": tid,
                    "title": title,
                    "slug": slugify(title),
                    "author_id": author,
                    "body_src": tbody.src,
                    "body_html": tbody.html,
                    "created_at": created,
                    "edited_at": None,
                    "last_activity_at": last,
                    "comment_count": n,
                    "comment_seq": n,
                }
            )

    # Threads go first (comments reference them), so build the comments in memory in
    # chunks: generate them once, keep the thread rows they imply, then write both.
    comment_list = list(comments())
    generated = time.perf_counter()
    loaded = ("threads", "comments", "thread_tags", "thread_subscriptions")
    with writer.deferred_indexes(loaded):
        counts["threads"] = writer.write("threads", thread_rows)
        counts["comments"] = writer.write("comments", comment_list)
        del comment_list
        weights = tag_weights(sizes.tags)
        tag_ids = list(range(1, sizes.tags + 1))
        links: list[dict[str, Any]] = []
        for tid in range(1, sizes.threads + 1):
            chosen = {1} if tid in (BIG_THREAD, MEDIUM_THREAD) else set()
            chosen.update(rng.choices(tag_ids, weights, k=rng.randint(1, 3)))
            links.extend({"thread_id": tid, "tag_id": t} for t in sorted(chosen))
        counts["thread_tags"] = writer.write("thread_tags", links)
        counts["thread_subscriptions"] = writer.write(
            "thread_subscriptions",
            (
                {"user_id": u, "thread_id": t, "muted": False, "created_at": now}
                for u, t in sorted(subscriptions)
            ),
        )
        counts["queue_items"], counts["flags"] = _queue(writer, first_comment, sizes, now)
    written = time.perf_counter()
    _finish(engine, db, scale)
    engine.dispose()
    finished = time.perf_counter()
    result = {
        "db": db,
        "scale": scale,
        "url": url,
        "counts": counts,
        "seconds": finished - started,
        "migrate_seconds": migrated - started,
        "render_seconds": rendered_at - migrated,
        "generate_seconds": generated - rendered_at,
        "write_seconds": written - generated,
        "finish_seconds": finished - written,
    }
    say(
        f"seed {db} x{scale:g}: {counts['comments']:,} comments, {counts['threads']:,} threads "
        f"in {result['seconds']:.1f}s (migrate {result['migrate_seconds']:.1f}s, render "
        f"{result['render_seconds']:.1f}s, generate {result['generate_seconds']:.1f}s, "
        f"write {result['write_seconds']:.1f}s, sequences/analyze {result['finish_seconds']:.1f}s)"
    )
    return result


def _queue(
    writer: Writer, first_comment: dict[int, int], sizes: Sizes, now: datetime
) -> tuple[int, int]:
    """The review queue's open items: the first comment of threads after the measured ones,
    each flagged by two readers, as readers' flags put them there."""
    flagged = [
        (tid, first_comment[tid])
        for tid in range(POST_THREAD + 1, sizes.threads + 1)
        if tid in first_comment
    ][:QUEUE_ITEMS]
    items = writer.write(
        "queue_items",
        (
            {
                "id": n,
                "thread_id": tid,
                "comment_id": cid,
                "source": "flags",
                "state": "open",
                "priority": 0,
                "matches": [],
                "score": 0.0,
                "created_at": now - timedelta(hours=n),
                "resolved_at": None,
                "resolved_by_id": None,
                "reason": "",
            }
            for n, (tid, cid) in enumerate(flagged, start=1)
        ),
    )
    flags = writer.write(
        "flags",
        (
            {
                "thread_id": tid,
                "comment_id": cid,
                "user_id": 3 + (n * 2 + k) % (sizes.users - 3),
                "reason": "ad_hominem",
                "note": "Reads as aimed at a person.",
                "excerpt": "",
                "weight": 1.0,
                "uncounted": "",
                "outcome": None,
                "created_at": now - timedelta(hours=n),
            }
            for n, (tid, cid) in enumerate(flagged, start=1)
            for k in range(2)
        ),
    )
    return items, flags


def schema_mark() -> str:
    """Which migrations the seeded schema came from: a reused database must match them."""
    names = sorted(p.name for p in (ROOT / "migrations" / "versions").glob("*.py"))
    return f"{SEED_VERSION}:" + hashlib.sha1("\n".join(names).encode()).hexdigest()[:12]


def _finish(engine: Engine, db: str, scale: float) -> None:
    """Sequences past the explicit ids, planner statistics (PostgreSQL's autovacuum would
    gather them within minutes in production; SQLite gathers none unless asked, and the app
    never asks, so it runs without), and a marker saying what was seeded."""
    with engine.begin() as conn:
        if db == "postgres":
            for table in ("users", "tags", "threads", "comments", "queue_items", "flags"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
        conn.execute(text("CREATE TABLE bench_seed (mark VARCHAR(60), scale VARCHAR(20))"))
        conn.execute(
            text("INSERT INTO bench_seed VALUES (:m, :s)"), {"m": schema_mark(), "s": f"{scale:g}"}
        )
    if db == "postgres":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))


def is_seeded(db: str, scale: float) -> bool:
    """A database seeded by this version of the script at this scale exists."""
    url = database_url(db, scale)
    if db == "sqlite" and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    try:
        engine = create_engine(url)
        with engine.connect() as conn:
            row = conn.execute(text("SELECT mark, scale FROM bench_seed")).one()
        engine.dispose()
    except Exception:  # noqa: BLE001 - any failure means "not there"
        return False
    return row[0] == schema_mark() and row[1] == f"{scale:g}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv)
    seed(args.db, args.scale)


if __name__ == "__main__":
    main()
