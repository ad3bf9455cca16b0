"""Account use cases: registration, sign-in, roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from forum.auth import rules
from forum.errors import ValidationError
from forum.extensions import db
from forum.models import ApiToken, Role, User
from forum.models.base import utcnow
from forum.text import clean_line

TOKEN_PREFIX = "fat_"
# Hashes checked against when the username doesn't exist, one per hashing method, so both
# failures cost the same work (a cheap dummy beside a real scrypt check would time apart).
_DUMMY_HASHES: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY_HASHES[method]


def account_key(username: str) -> str:
    """The key an account is found (and its sign-ins throttled) by, whether or not it exists."""
    return rules.username_key(clean_line(username))


def find_user(username: str) -> User | None:
    key = account_key(username)
    return db.session.scalar(select(User).where(User.username_key == key))


def retired_key(username: str) -> str:
    """The key a deleted account named ``username`` keeps (forum.auth.rules.retired_key)."""
    return rules.retired_key(account_key(username), current_app.config["SECRET_KEY"])


def _name_taken(username: str) -> bool:
    """Taken by an account, or held back because the account that had it was deleted."""
    keys = (account_key(username), retired_key(username))
    return db.session.scalar(select(User.id).where(User.username_key.in_(keys))) is not None


def _lookalike_exists(username: str) -> bool:
    """Whether an account already reads like ``username`` (see rules.username_skeleton).

    The skeleton is computed in SQL with the rules' own steps, so no column or migration is
    needed; that scans the users table, which is fine for a rare, rate-limited action.
    """
    shape: Any = User.username
    for old, new in rules.LOOKALIKES_CASED:
        shape = func.replace(shape, old, new)
    shape = func.lower(shape)
    for old, new in rules.LOOKALIKES:
        shape = func.replace(shape, old, new)
    for separator in rules.SEPARATORS:
        shape = func.replace(shape, separator, rules.SEPARATOR)
    for _ in range(rules.COLLAPSE_PASSES):
        shape = func.replace(shape, rules.SEPARATOR * 2, rules.SEPARATOR)
    shape = func.rtrim(func.ltrim(shape, rules.SEPARATOR), rules.SEPARATOR)
    found = select(User.id).where(shape == rules.username_skeleton(username)).limit(1)
    return db.session.scalar(found) is not None


def register_user(
    username: str, password: str, *, email: str = "", role: str = Role.MEMBER
) -> User:
    """Create an account; all problems are reported together, field by field."""
    username = clean_line(username)
    email = email.strip()
    errors = {
        name: problem
        for name, problem in (
            ("username", rules.check_username(username)),
            ("password", rules.check_password(password, username)),
            ("email", rules.check_email(email)),
        )
        if problem
    }
    if role not in set(Role):
        errors["role"] = f"Role must be one of {', '.join(Role)}."
    if "username" not in errors and _name_taken(username):
        errors["username"] = "That name is taken; choose another."
    elif "username" not in errors and _lookalike_exists(username):
        errors["username"] = "That name looks too much like someone else's; choose another."
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    user = User(
        username=username,
        username_key=rules.username_key(username),
        email=email or None,
        password_hash=hash_password(password),
        role=role,
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The user for these credentials, or None; no hint which part was wrong."""
    user = find_user(username)
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(user: User, name: str = "cli") -> str:
    """Issue a personal access token; the raw value is shown once and only its hash is kept."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    label = clean_line(name)[:60] or "token"
    db.session.add(ApiToken(user=user, name=label, token_hash=_token_digest(raw)))
    db.session.commit()
    return raw


def user_for_token(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(
        select(ApiToken).where(
            ApiToken.token_hash == _token_digest(raw), ApiToken.revoked_at.is_(None)
        )
    )
    if token is None:
        return None
    now = utcnow()
    # Coarse on purpose: a write per API read would turn every GET into a transaction.
    if token.last_used_at is None or now - token.last_used_at > timedelta(hours=1):
        token.last_used_at = now
        db.session.commit()
    return token.user
