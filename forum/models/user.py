"""Accounts: pseudonymous by design, email optional and never shown."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from forum.models.base import Model, bool_false, created_at, intpk, utcnow

if TYPE_CHECKING:
    from forum.models.moderation import ModeratorScope


class Role(enum.StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    ADMIN = "admin"


class User(UserMixin, Model):  # type: ignore[misc]  # flask-login ships no type hints
    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(30))
    # Case-folded username: "Willow" and "willow" are one account.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    # Mail is only sent to an address its owner confirmed through a signed link.
    email_verified_at: Mapped[datetime | None]
    email_notifications: Mapped[bool_false]
    # Mail subjects name the thread and tag only if the owner asks: subjects show on lock
    # screens and in shared inboxes.
    mail_subject_details: Mapped[bool_false]
    # Posting in a thread follows it (a setting, on by default).
    auto_follow_threads: Mapped[bool] = mapped_column(default=True, server_default="1")
    # Secret part of the private feed URL; reset by the owner if it leaks.
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    last_daily_digest_at: Mapped[datetime | None]
    last_weekly_digest_at: Mapped[datetime | None]
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default=Role.MEMBER)
    suspended_until: Mapped[datetime | None]
    # Set when the owner deleted the account: the row stays (their comments point at it) with
    # its personal data wiped (forum.account.service.delete_account).
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[created_at]

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")
    # The tags an admin limited this moderator to (forum.permissions.moderates).
    scopes: Mapped[list[ModeratorScope]] = relationship(viewonly=True)
    # Read with the sign-in on every signed-in request (forum.auth.sessions), so a page needs
    # no select of its own for them: the count of unread notifications, and the ids of the
    # people this user ignores, comma-separated. None where the user was loaded otherwise or
    # refreshed since (a commit expires them); forum.subscriptions.service then reads them.
    unread_notifications: Mapped[int | None] = query_expression()
    ignored_list: Mapped[str | None] = query_expression()

    def get_id(self) -> str:
        """Flask-Login's id; the session cookie holds it with the sign-in's secret
        (forum.auth.sessions), so that the server can end each sign-in."""
        return str(self.id)

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.MODERATOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def scope_tag_ids(self) -> frozenset[int]:
        """Tags this moderator is limited to; empty means every tag."""
        return frozenset(scope.tag_id for scope in self.scopes)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > utcnow()

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class UserIgnore(Model):
    """A reader ignores a member: that member's posts fold away for them and their replies
    and mentions don't notify them. Private: the ignored member is never told."""

    __tablename__ = "user_ignores"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    ignored_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[created_at]

    ignored: Mapped[User] = relationship(foreign_keys=[ignored_id])


class UserSession(Model):
    """One signed-in browser or device, listed on /settings/account and ended by signing out.

    The cookie carries a secret whose SHA-256 is ``token_hash``; no address, hashed or not, is
    kept. ``device`` is a coarse label ("Firefox on Android") and times are shown coarsely.
    A remembered sign-in's secret is replaced now and then (``rotated_at``); the one before
    it still counts for a moment, for requests already on their way.
    """

    __tablename__ = "user_sessions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    previous_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    remember: Mapped[bool_false]
    device: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[created_at]
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    rotated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Model):
    """A personal access token; only its SHA-256 is stored, so a leaked table leaks nothing."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")
