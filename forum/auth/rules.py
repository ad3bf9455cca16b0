"""Pure account rules: what a username and a password must be."""

from __future__ import annotations

import hashlib
import hmac
import re

USERNAME_RE = re.compile(r"[A-Za-z0-9_.-]{3,30}")  # at most USERNAME_MAX
PASSWORD_MIN = 8
PASSWORD_MAX = 256
EMAIL_RE = re.compile(
    r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,190}\.[^@\s.\x00-\x1f\x7f]{2,}"
)
# Names that would read as official or collide with site paths.
RESERVED = {"admin", "administrator", "moderator", "mod", "forum", "system", "api", "me", "root"}
# What a name may not share with another to be told apart on the page, from Unicode's
# confusables (UTS #39) restricted to the characters a username may hold, applied in order.
# Capital I comes first, before lower-casing turns it into a dotted i that looks like an i.
# Left out: "cl" for "d", which only fools at small sizes and would block common names.
LOOKALIKES_CASED: tuple[tuple[str, str], ...] = (("I", "l"),)
LOOKALIKES: tuple[tuple[str, str], ...] = (("1", "l"), ("0", "o"), ("rn", "m"), ("vv", "w"))
# Separators read alike at a glance ("dana-k", "dana.k", "dana__k" pass for "dana_k"): each
# becomes "_", runs of them one, and none counts at either end. No separator at all still
# differs ("danak"), so "quill.feather" and "quillfeather" may both exist.
SEPARATORS = ("-", ".")
SEPARATOR = "_"
# Halving passes that collapse any run of separators in a name of USERNAME_MAX characters.
COLLAPSE_PASSES = 5
USERNAME_MAX = 30


def username_key(username: str) -> str:
    """The uniqueness key: "Willow" and "willow" are the same account."""
    return username.casefold()


def username_skeleton(username: str) -> str:
    """What a name looks like: "quiIlfeather" and "qui1lfeather" both read as "quillfeather",
    "dana.k" and "dana__k" as "dana_k".

    Two accounts with one skeleton could pass for each other. Lower-case, not casefold:
    names are ASCII, and the service computes the same steps in SQL with lower().
    """
    for old, new in LOOKALIKES_CASED:
        username = username.replace(old, new)
    username = username.lower()
    for old, new in LOOKALIKES:
        username = username.replace(old, new)
    for separator in SEPARATORS:
        username = username.replace(separator, SEPARATOR)
    for _ in range(COLLAPSE_PASSES):
        username = username.replace(SEPARATOR * 2, SEPARATOR)
    return username.strip(SEPARATOR)


_RESERVED_SKELETONS = frozenset(username_skeleton(name) for name in RESERVED)


def check_username(username: str) -> str | None:
    if not USERNAME_RE.fullmatch(username):
        return "Use 3 to 30 letters, digits, dots, dashes or underscores."
    if username_key(username) in RESERVED or username_skeleton(username) in _RESERVED_SKELETONS:
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
