"""Settings: typed defaults here, ``FORUM_*`` environment variables over them, test overrides last.

One table of settings (Warehouse's habit) so an operator finds every knob in one file.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

DEV_SECRET_KEY = "dev-not-secret"


class DefaultConfig:
    """Defaults for the embedded path: SQLite in ``instance/``, no other server."""

    # Filled in by ``load_config`` when not set: a key generated once into instance/.
    SECRET_KEY: str | None = None
    # Default filled in by ``load_config``: sqlite:///<instance>/forum.db
    DATABASE_URL: str | None = None
    # Redis: rate limits, the job queue and the page cache, shared by every app host.
    REDIS_URL: str | None = None
    # How long an anonymous page rendering stays in the cache (Redis only). Versions make a
    # change visible at once; this bounds what no version covers (relative times, renamed users).
    PAGE_CACHE_SECONDS = 300
    # Without Redis, pages and versions are kept here for every worker of this host (default
    # <instance>/cache), at most this many megabytes.
    CACHE_DIR: str | None = None
    CACHE_DISK_MB = 256
    # Rendered comments each worker keeps (forum.fragments): about 2 KB each.
    FRAGMENT_CACHE_SIZE = 10_000
    # Names this release in cache keys; default: a hash of the code, templates and static files.
    RELEASE: str | None = None
    # Run the outbox in a thread of the web process (``make run`` sets FORUM_INLINE_WORKER=true);
    # otherwise ``flask --app wsgi forum worker`` does it. Never started under TESTING.
    INLINE_WORKER = False
    # With Redis, the worker also sweeps the outbox this often for events the queue missed.
    OUTBOX_SWEEP_SECONDS = 30

    THREADS_PER_PAGE = 25
    NOTIFICATIONS_PER_PAGE = 30
    # A moderator can undo a question's promotion into its own thread for this long.
    PROMOTION_UNDO_HOURS = 72
    # Deeper replies render at this depth with an "in reply to NAME #n" link.
    MAX_DISPLAY_DEPTH = 6
    # Comments per thread page; "Show more" and permalinks reach the rest (keyset, no OFFSET).
    THREAD_PAGE_SIZE = 200
    # Whole request bodies. A thread body at its 50,000-character limit, in 4-byte characters
    # and form-encoded (3 bytes per byte), is about 600 KB: in-limit text must never get a 413.
    MAX_CONTENT_LENGTH = 1024 * 1024

    # werkzeug method; scrypt is memory-hard. Tests use a fast one.
    PASSWORD_HASH_METHOD = "scrypt"

    # A new account's first N comments wait for a moderator; 0 turns this off.
    NEW_USER_REVIEW_COUNT = 2
    # Weighted reader flags that hide a comment until a moderator looks at it.
    FLAG_HIDE_THRESHOLD = 3
    # Flags from accounts younger than this, or with no published post, reach the queue but
    # never count toward hiding; 0 turns the check off.
    FLAG_MIN_ACCOUNT_DAYS = 3

    # Mail is optional. Without SMTP_URL, messages are written to instance/mail/ as .eml files.
    # smtp://user:pass@host:587?starttls=1, or smtps://user:pass@host:465
    SMTP_URL: str | None = None
    MAIL_DIR: str | None = None  # where mail goes without SMTP_URL; default <instance>/mail
    MAIL_FROM = "forum@localhost"
    # The site's public address, for links in mail (a worker has no request to take it from).
    BASE_URL = "http://localhost:5000"
    # Signed links in mail stop working after these.
    MAIL_VERIFY_HOURS = 48
    MAIL_UNSUBSCRIBE_DAYS = 60
    # A mailed password reset link works this long, and once.
    MAIL_RESET_MINUTES = 60
    # Replies by mail: mail about a thread or comment carries Reply-To: reply+TOKEN@MAIL_DOMAIN
    # (default: the domain of MAIL_FROM), which `flask forum mail-in` receives. Turn it off
    # when no receiver runs, or replies would bounce.
    MAIL_REPLIES = True
    MAIL_DOMAIN: str | None = None
    # A reply address works this long after its mail was sent.
    REPLY_TOKEN_DAYS = 30
    # Larger messages are refused at the SMTP door (552): a reply is text, not attachments.
    MAIL_IN_MAX_BYTES = 2 * 1024 * 1024
    # Where accepted replies wait, on disk, until posted; default <instance>/mail-in.
    MAIL_IN_SPOOL: str | None = None

    # Webmention (forum.webmention): other sites say they link to a thread; the worker
    # fetches the source within these bounds (one deadline for the whole fetch, redirects
    # included) before a moderator sees the mention.
    WEBMENTION_TIMEOUT = 5.0
    WEBMENTION_MAX_BYTES = 1024 * 1024
    WEBMENTION_MAX_REDIRECTS = 3
    # Fetch sources on private, loopback and link-local addresses too (an intranet forum; the
    # tests, whose "blog" runs on 127.0.0.1). Off, such a source is never fetched.
    WEBMENTION_ALLOW_PRIVATE = False

    RATELIMIT_ENABLED = True
    # Redis down: count in each process's memory meanwhile, and let a request through (logged)
    # rather than fail it on any other storage error. Storage URI: REDIS_URL, else memory.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_LOGIN = "10 per minute;60 per hour"
    RATELIMIT_REGISTER = "5 per hour"
    # Asking for a password reset link, per address (each account gets one mail per 2 minutes).
    RATELIMIT_PASSWORD_RESET = "5 per hour"
    RATELIMIT_POST = "6 per minute;120 per day"
    RATELIMIT_FLAG = "20 per hour"
    # The live Markdown preview and moderation nudge, asked for as an author pauses typing.
    RATELIMIT_PREVIEW = "40 per minute;1000 per hour"
    RATELIMIT_ASSESS = "40 per minute;1000 per hour"
    RATELIMIT_API = "120 per minute"
    # Searches from one address, the page and the API together: each one ranks and highlights
    # a page of matches, the costliest read a signed-out visitor can ask for.
    RATELIMIT_SEARCH = "30 per minute;600 per hour"
    # Webmentions received, per sending address and per source host (however many addresses
    # one site sends from): each one costs the worker a fetch.
    RATELIMIT_WEBMENTION = "20 per minute;200 per day"
    RATELIMIT_WEBMENTION_SOURCE = "10 per hour;50 per day"
    # Failed sign-ins (forum.ratelimit.LoginThrottle): per account from one address, and per
    # account from every address (past it, only addresses with no failure may still try).
    RATELIMIT_LOGIN_FAILURES = "5 per 15 minutes"
    RATELIMIT_LOGIN_ACCOUNT = "20 per hour"
    # A registration form sent back sooner than this after it was served is a bot's; 0 = off.
    REGISTER_MIN_SECONDS = 3

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # A sign-in with "keep me signed in" lasts this long after the last visit; without it,
    # until the browser closes or this many hours idle (forum.auth.sessions).
    REMEMBER_DAYS = 60
    SESSION_IDLE_HOURS = 24
    # Set FORUM_SECURE_COOKIES=true behind HTTPS; it also turns on HSTS.
    SECURE_COOKIES = False
    # Where "Quick exit" (on every page) leaves to: a neutral site that gives nothing away.
    QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
    # The host name in feed entry ids (tag: URIs); set it once so ids survive a domain move.
    FEED_ID_AUTHORITY: str | None = None
    # How many reverse proxies sit in front; their X-Forwarded-* headers are trusted (ProxyFix).
    PROXY_COUNT = 0

    WTF_CSRF_TIME_LIMIT = None  # a long reply must not lose its token; the session bounds it
    # A pooled connection is tested before use, so after PostgreSQL restarts or a network
    # cut the first request reconnects instead of failing on a dead connection.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    # PostgreSQL out of reach: a request gives up connecting after this (a 503 page), not
    # after the operating system's TCP timeout.
    DATABASE_CONNECT_TIMEOUT = 5


def load_config(app: Flask, overrides: dict[str, Any] | None) -> None:
    """Fill ``app.config``: defaults, then ``FORUM_*`` variables, then test overrides."""
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("FORUM")
    if overrides:
        app.config.update(overrides)

    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = f"sqlite:///{instance / 'forum.db'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if app.config["DATABASE_URL"].startswith("postgresql"):
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        }
        options["connect_args"] = {
            "connect_timeout": app.config["DATABASE_CONNECT_TIMEOUT"],
            **options.get("connect_args", {}),
        }
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    if app.config["SECURE_COOKIES"]:
        app.config["SESSION_COOKIE_SECURE"] = True
    # The session cookie of a remembered sign-in, renewed on each visit.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["REMEMBER_DAYS"])
    _check(app)


def _instance_secret(path: Path) -> str:
    """A random key written once, so sessions survive restarts without any setup."""
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _check(app: Flask) -> None:
    """Refuse to start in a state that would be unsafe in production."""
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY and not (app.debug or app.testing):
        raise RuntimeError("FORUM_SECRET_KEY is the development key; set a real one.")
    url: str = app.config["DATABASE_URL"]
    if not url.startswith(("sqlite:", "postgresql")):
        raise RuntimeError(f"FORUM_DATABASE_URL must be SQLite or PostgreSQL, got {url!r}.")
