"""The world the authorisation matrix runs in: seven personas and one of every object.

Built through the real services (as tests/factories.py does), so each object is in the
state a user would have left it in: a thread with comments, a flag and its open queue item,
a removed comment and the notices it sent, a held comment, threads held, removed, locked
and pinned, a promotion, an ignored member, tags, tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import select

from forum.auth.service import create_token
from forum.extensions import db
from forum.feeds.service import ensure_feed_token, new_feed_token
from forum.mail import service as mail
from forum.models import (
    ApiToken,
    CommentStatus,
    Notification,
    NotificationKind,
    QueueItem,
    Tag,
    UserSession,
)
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation import thread_actions
from forum.subscriptions import service as subscriptions
from forum.threads import promotion
from tests.factories import (
    PASSWORD,
    make_admin,
    make_comment,
    make_moderator,
    make_thread,
    sign_in_id,
)
from tests.factories import make_user as _make_user

ANONYMOUS = "anonymous"
PERSONAS = (ANONYMOUS, "member", "author", "other", "moderator", "admin", "suspended")

# The moderation rule the rule pages edit: one of the shipped defaults.
RULE_KEY = "accuse.role"


@dataclass
class World:
    """Ids and secrets the table's URLs and bodies are filled from, and who signs in how."""

    ids: dict[str, Any]
    sessions: dict[str, str]  # persona -> Flask-Login id ("<id>:<session version>")
    tokens: dict[str, str]  # persona -> raw API token


def build_world() -> World:
    """Every object the routes act on, each with one owner: ``author``.

    - ``member`` has nothing at all; ``other`` has things of its own of every kind (a
      question in the author's thread, a flag on the author's comment, a flag outcome);
      ``suspended`` is a member suspended for three days.
    - ``moderator`` has no tag scope (so moderates everything); ``admin`` is an admin.
    """
    author = _make_user("ava")
    member = _make_user("mel")
    other = _make_user("oto")
    moderator = make_moderator("max")
    admin = make_admin("ada")
    suspended = _make_user("sue")

    thread = make_thread(author, title="Who pays for shelter beds", tags=["housing"])
    comment = make_comment(thread, author=author, body="The council pays for most beds.")
    question = make_comment(
        thread, author=other, body="Should the county pay for the night shelter instead?"
    )
    # The author's own question, given its own thread by a moderator: the promotion.
    asked = make_comment(thread, author=author, body="Who audits the shelter budget each year?")
    promotion.promote_question(asked, actor=moderator, title="Who audits the shelter budget?")
    found = promotion.live_promotion(asked.id)
    assert found is not None

    # A removed comment of the author's, flagged by ``other``: its notices are the author's
    # removal notice and other's flag outcome.
    removed = make_comment(thread, author=author, body="A comment that will be removed.")
    moderation.flag_post(removed, actor=other, reason="spam")
    removal = moderation.open_item(removed)
    assert removal is not None
    moderation.decide(removal, actor=moderator, decision="remove", reason="Spam link.")
    # Held comments are shown to their author and moderators only.
    held = make_comment(thread, author=author, body="A comment waiting for a moderator.")
    held.status = CommentStatus.PENDING
    db.session.commit()

    # ``other`` flags the author's live comment: the open queue item.
    moderation.flag_post(comment, actor=other, reason="off_topic")
    item = db.session.scalar(select(QueueItem).where(QueueItem.comment_id == comment.id))
    assert item is not None

    # The author's threads in every state a moderator leaves one in: held, removed (flagged
    # by other first), locked and pinned.
    held_thread = make_thread(author, title="A thread waiting for a moderator", tags=["housing"])
    held_thread.status = CommentStatus.PENDING
    removed_thread = make_thread(author, title="A thread that will be removed", tags=["housing"])
    moderation.flag_post(removed_thread, actor=other, reason="spam")
    moderation.remove_post(removed_thread, actor=moderator, reason="Spam link.")
    locked_thread = make_thread(author, title="A locked thread", tags=["housing"])
    thread_actions.lock_thread(locked_thread, actor=moderator, reason="Gone round in circles.")
    pinned_thread = make_thread(author, title="Hotlines and shelters", tags=["housing"])
    thread_actions.pin_thread(pinned_thread, actor=moderator, days=30)
    # ``other`` ignores the author (who is never told).
    subscriptions.ignore_user(other, author)

    make_thread(other, title="Funding the outreach van", tags=["funding"])
    housing = db.session.scalar(select(Tag).where(Tag.slug == "housing"))
    subscriptions.follow_tag(author, housing, "new_threads")

    # Mail: an unconfirmed address with mail on, so both mailed links do something.
    mail.update_email_settings(author, email="ava@example.org", notifications=True)
    # ``other`` confirmed theirs, so a password reset link for them works.
    other.email, other.email_verified_at = "oli@example.org", utcnow()

    suspended.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()

    people = {
        "member": member,
        "author": author,
        "other": other,
        "moderator": moderator,
        "admin": admin,
        "suspended": suspended,
    }
    ids = {
        "thread": thread.id,
        "slug": thread.slug,
        "comment": comment.id,
        "question": question.id,
        "removed": removed.id,
        "held": held.id,
        "held_thread": held_thread.id,
        "removed_thread": removed_thread.id,
        "locked_thread": locked_thread.id,
        "pinned_thread": pinned_thread.id,
        "promotion": found.id,
        "item": item.id,
        "notification": _notification(author.id, NotificationKind.COMMENT_REMOVED),
        "others_notification": _notification(other.id, NotificationKind.FLAG_OUTCOME),
        "tag": "housing",
        "other_tag": "funding",
        "rule": RULE_KEY,
        "author_name": author.username,
        "moderator_name": moderator.username,
        "feed_token": ensure_feed_token(author),
        # Well formed, never issued: a guess.
        "guessed_feed_token": new_feed_token(),
        "unsubscribe_token": mail.unsubscribe_token(author.id, mail.ALL_MAIL),
        "verify_token": mail.verification_token(author),
        "reset_token": mail.password_reset_token(other),
        "member_name": member.username,
        "password": PASSWORD,
    }
    tokens = {name: create_token(user, "matrix") for name, user in people.items()}
    ids["author_token"] = db.session.scalar(
        select(ApiToken.id).where(ApiToken.user_id == author.id, ApiToken.name == "matrix")
    )
    sessions = {name: sign_in_id(user) for name, user in people.items()}
    ids["author_session"] = db.session.scalar(
        select(UserSession.id).where(UserSession.user_id == author.id)
    )
    return World(ids=ids, sessions=sessions, tokens=tokens)


def _notification(user_id: int, kind: str) -> int:
    found = db.session.scalar(
        select(Notification.id).where(Notification.user_id == user_id, Notification.kind == kind)
    )
    assert found is not None, kind
    return found


# Columns a request may touch without acting: the token's coarse "last used" stamp.
VOLATILE = {("api_tokens", "last_used_at")}

Rows = dict[str, list[dict[str, Any]]]


def dump() -> Rows:
    """Every row of every table, in key order: what ``restore`` puts back."""
    db.session.rollback()
    rows = {}
    for table in db.metadata.sorted_tables:
        stmt = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [dict(row._mapping) for row in db.session.execute(stmt)]
    db.session.rollback()
    return rows


def restore(rows: Rows) -> None:
    """Put the world back as ``dump`` saw it: far quicker than building it again.

    DELETE rather than conftest's TRUNCATE, which costs PostgreSQL a second each time; there,
    the deletes and the sequence resets go in one round trip each.
    """
    tables = db.metadata.sorted_tables
    postgres = db.engine.dialect.name == "postgresql"
    connection = db.session.connection()
    deletes = [f"DELETE FROM {table.name}" for table in reversed(tables)]
    if postgres:
        connection.exec_driver_sql("; ".join(deletes))
    else:
        for sql in deletes:
            connection.exec_driver_sql(sql)
    for table in tables:
        if rows[table.name]:
            db.session.execute(table.insert(), rows[table.name])
    if postgres:
        # The rows came back with their ids; the sequences must carry on after them.
        resets = [
            f"setval(pg_get_serial_sequence('{t.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"
            for t in tables
            if "id" in t.columns
        ]
        connection.exec_driver_sql("SELECT " + ", ".join(resets))
    db.session.commit()
    db.session.expire_all()


@cache
def _snapshot_queries() -> tuple[tuple[str, str, str], ...]:
    """(table, SELECT of its compared columns in key order, its key columns)."""
    queries = []
    for table in db.metadata.sorted_tables:
        columns = ", ".join(c.name for c in table.columns if (table.name, c.name) not in VOLATILE)
        keys = [c.name for c in table.primary_key.columns]
        sql = f"SELECT {columns} FROM {table.name} ORDER BY {', '.join(keys)}"
        queries.append((table.name, sql, ", ".join(f"x.{k}" for k in keys)))
    return tuple(queries)


def snapshot() -> dict[str, Any]:
    """The database as plain values (volatile columns left out), to compare before and after.

    Straight through the driver, as it runs twice for every unsafe request of the matrix; on
    PostgreSQL in one round trip (each table as JSON text), since the server is a socket away.
    """
    db.session.rollback()
    connection = db.session.connection()
    queries = _snapshot_queries()
    if db.engine.dialect.name == "postgresql":
        parts = [
            f"(SELECT json_agg(x ORDER BY {order})::text FROM ({sql}) x) AS {name}"
            for name, sql, order in queries
        ]
        row = connection.exec_driver_sql("SELECT " + ", ".join(parts)).one()
        state = dict(zip([name for name, _, _ in queries], row, strict=True))
    else:
        state = {
            name: [tuple(r) for r in connection.exec_driver_sql(sql)] for name, sql, _ in queries
        }
    db.session.rollback()
    return state


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]
