"""Sign-in sessions the server can end: signing out means it, on every copy of the cookie.

Flask's session cookie holds ``"<user id>:<secret>"`` and the database holds the secret's
SHA-256 in a ``UserSession`` row, so a copied cookie or a "keep me signed in" cookie stops
working the moment its row is gone: on sign-out, "sign out everywhere", a revoke from the
session list, a password change or account deletion. Flask-Login's own remember cookie and its
session identifier (an unsalted hash of the client's address and browser) are not used.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, request, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import String, and_, bindparam, cast, delete, func, or_, select
from sqlalchemy.orm import with_expression

from forum.auth.rules import SessionPolicy, device_label
from forum.errors import NotFoundError
from forum.extensions import db
from forum.models import Notification, User, UserIgnore, UserSession
from forum.models.base import utcnow

# Flask-Login's key for the signed-in id, which here also carries the sign-in's secret.
USER_ID_KEY = "_user_id"


def policy() -> SessionPolicy:
    config = current_app.config
    return SessionPolicy(
        remember_days=config["REMEMBER_DAYS"], idle_hours=config["SESSION_IDLE_HOURS"]
    )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start(user: User, *, remember: bool, user_agent: str) -> str:
    """Record a new sign-in and return the value its cookie holds; commits. The account's
    sign-ins that have run out are cleared out on the way."""
    return _create(user, remember=remember, user_agent=user_agent)[1]


def _create(user: User, *, remember: bool, user_agent: str) -> tuple[UserSession, str]:
    rules, now = policy(), utcnow()
    db.session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id,
            or_(
                and_(
                    UserSession.remember.is_(True),
                    UserSession.last_seen_at < now - timedelta(days=rules.remember_days),
                ),
                and_(
                    UserSession.remember.is_(False),
                    UserSession.last_seen_at < now - timedelta(hours=rules.idle_hours),
                ),
            ),
        )
    )
    secret = secrets.token_urlsafe(32)
    row = UserSession(
        user_id=user.id,
        token_hash=_digest(secret),
        remember=remember,
        device=device_label(user_agent),
        last_seen_at=now,
        rotated_at=now,
    )
    db.session.add(row)
    db.session.commit()
    return row, f"{user.id}:{secret}"


def sign_in(user: User, *, remember: bool = False) -> None:
    """Sign this browser in: a new server-side session, a cookie that lasts the browser's
    session or, remembered, ``REMEMBER_DAYS`` after the last visit."""
    if (before := current()) is not None:  # signing in again replaces this browser's sign-in
        db.session.execute(delete(UserSession).where(UserSession.id == before.id))
    row, cookie_id = _create(user, remember=remember, user_agent=request.user_agent.string)
    login_user(user)
    session[USER_ID_KEY] = cookie_id
    session.pop("_id", None)  # Flask-Login's hash of the address and browser: not kept
    session.permanent = remember
    g.user_session = row


# Every signed-in request runs this select: built once, with its values as bound parameters
# (building it and its cache key cost more than running it). It also reads what every
# signed-in page shows or filters by (User.unread_notifications, User.ignored_list), which
# were two more selects on each page.
_DIGEST = bindparam("digest")
_SIGN_IN = (
    select(UserSession, User)
    .join(User, User.id == UserSession.user_id)
    .where(
        User.id == bindparam("user_id"),
        User.deleted_at.is_(None),
        or_(
            UserSession.token_hash == _DIGEST,
            and_(UserSession.previous_hash == _DIGEST, UserSession.rotated_at > bindparam("grace")),
        ),
    )
    .options(
        with_expression(
            User.unread_notifications,
            select(func.count(Notification.id))
            .where(Notification.unread_of(User.id))
            .scalar_subquery(),
        ),
        with_expression(
            User.ignored_list,
            func.coalesce(
                select(func.aggregate_strings(cast(UserIgnore.ignored_id, String), ","))
                .where(UserIgnore.user_id == User.id)
                .scalar_subquery(),
                "",
            ),
        ),
    )
)


def load(cookie_id: str) -> User | None:
    """Flask-Login's loader: the user of a live sign-in, noting its visit now and then."""
    raw_id, _, secret = cookie_id.partition(":")
    if not raw_id.isdigit() or not secret or len(raw_id) > 18:
        return None
    rules, now, digest = policy(), utcnow(), _digest(secret)
    grace = now - timedelta(seconds=rules.grace_seconds)
    row = db.session.execute(
        _SIGN_IN, {"user_id": int(raw_id), "digest": digest, "grace": grace}
    ).first()
    if row is None:
        return None
    sign_in_row, user = row
    if rules.expired(sign_in_row.last_seen_at, remember=sign_in_row.remember, now=now):
        db.session.delete(sign_in_row)
        _commit_if_alone()
        return None
    g.user_session = sign_in_row
    if rules.stale(sign_in_row.last_seen_at, now):
        sign_in_row.last_seen_at = now
        if rules.due_for_rotation(sign_in_row.rotated_at, remember=sign_in_row.remember, now=now):
            secret = secrets.token_urlsafe(32)
            sign_in_row.previous_hash = sign_in_row.token_hash
            sign_in_row.token_hash = _digest(secret)
            sign_in_row.rotated_at = now
            session[USER_ID_KEY] = f"{user.id}:{secret}"
        _commit_if_alone()
    return user


def _commit_if_alone() -> None:
    """Write the visit now unless the request already has changes of its own in the
    session (then they commit together, or roll back together, as the request decides)."""
    pending = len(db.session.new) + len(db.session.dirty) + len(db.session.deleted)
    if pending <= 1:
        db.session.commit()


def current() -> UserSession | None:
    """The sign-in this request came with, if any (loading the user if not yet done)."""
    if not current_user.is_authenticated:
        return None
    return g.get("user_session")


def sign_out(*, everywhere: bool = False) -> None:
    """End this browser's sign-in on the server too (``everywhere``: every sign-in of the
    account), then forget it here."""
    if (row := current()) is not None:
        if everywhere:
            end_all(current_user)
        else:
            db.session.execute(delete(UserSession).where(UserSession.id == row.id))
        db.session.commit()
    logout_user()
    session.clear()


def active(user: User) -> list[UserSession]:
    """The account's sign-ins, most recently seen first; expired ones are dropped."""
    rules, now = policy(), utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    return [r for r in rows if not rules.expired(r.last_seen_at, remember=r.remember, now=now)]


def revoke(user: User, session_id: int) -> UserSession:
    """End one of the account's sign-ins (from the list); someone else's is not found."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFoundError("That sign-in is not one of yours or has already ended.")
    db.session.delete(row)
    db.session.commit()
    return row


def end_all(user: User, *, keep: UserSession | None = None) -> int:
    """End every sign-in of the account but ``keep``; commits nothing (callers commit with
    the change that calls for it: a password, a deletion, "sign out everywhere")."""
    stmt = delete(UserSession).where(UserSession.user_id == user.id)
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    return db.session.execute(stmt).rowcount or 0
