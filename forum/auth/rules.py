"""Pure account rules: what a username and a password must be."""

from __future__ import annotations

import hashlib
import hmac
import re

USERNAME_RE = re.compile(r"[A-Za-z0-9_.-]{3,30}")
PASSWORD_MIN = 8
PASSWORD_MAX = 256
EMAIL_RE = re.compile(
    r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,190}\.[^@\s.\x00-\x1f\x7f]{2,}"
)
# Names that would read as official or collide with site paths.
RESERVED = {"admin", "administrator", "moderator", "mod", "forum", "system", "api", "me", "root"}


def username_key(username: str) -> str:
    """The uniqueness key: "Willow" and "willow" are the same account."""
    return username.casefold()


def check_username(username: str) -> str | None:
    if not USERNAME_RE.fullmatch(username):
        return "Use 3 to 30 letters, digits, dots, dashes or underscores."
    if username_key(username) in RESERVED:
        return "That name is reserved; choose another."
    return None


def check_password(password: str, username: str = "") -> str | None:
    if len(password) < PASSWORD_MIN:
        return f"Use at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"Use at most {PASSWORD_MAX} characters."
    if username and password.casefold() == username.casefold():
        return "Don't use your username as your password."
    return None


def check_email(email: str) -> str | None:
    if email and not EMAIL_RE.fullmatch(email):
        return "That doesn't look like an email address; leave it empty if you prefer."
    return None


def retired_key(key: str, secret: str) -> str:
    """The ``username_key`` a deleted account keeps: a keyed hash of its old key.

    It holds the old name back from re-registration (so no one can take it over and be
    mistaken for the person who left) without storing the name: without the secret key the
    hash can't be matched against a list of names. "#" can't start a real key.
    """
    digest = hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()
    return "#" + digest[:29]
