"""Pure account rules: what a username and a password must be, how sign-ins are named and
how long they last."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

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


# --------------------------------------------------------------------------- sign-in sessions

# Browsers and systems named in the session list, checked in order (Edge and Opera say
# "Chrome" too, and every browser says "Safari"). Coarse on purpose: enough to recognise
# one's own phone, nothing that fingerprints it.
_BROWSERS: tuple[tuple[str, str], ...] = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)
_SYSTEMS: tuple[tuple[str, str], ...] = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
)
DEVICE_MAX = 60


def device_label(user_agent: str) -> str:
    """ "Firefox on Android": how a sign-in is named in the list of one's sessions."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    return (f"{browser} on {system}" if system else browser)[:DEVICE_MAX]


@dataclass(frozen=True, slots=True)
class SessionPolicy:
    """How long sign-ins last and how often the server notes or renews them.

    A sign-in idle longer than its limit is over: ``remember_days`` for "keep me signed in",
    ``idle_hours`` otherwise (the browser also forgets that cookie when it closes).
    """

    remember_days: int = 60
    idle_hours: int = 24
    # Last-seen times are written at most this often, so most requests write nothing.
    touch_minutes: int = 10
    # A remembered sign-in gets a new secret this often; the old one counts for the grace.
    rotate_hours: int = 24
    grace_seconds: int = 60

    def expired(self, last_seen: datetime, *, remember: bool, now: datetime) -> bool:
        limit = timedelta(days=self.remember_days) if remember else timedelta(hours=self.idle_hours)
        return now - last_seen > limit

    def stale(self, last_seen: datetime, now: datetime) -> bool:
        return now - last_seen >= timedelta(minutes=self.touch_minutes)

    def due_for_rotation(self, rotated_at: datetime, *, remember: bool, now: datetime) -> bool:
        return remember and now - rotated_at >= timedelta(hours=self.rotate_hours)
