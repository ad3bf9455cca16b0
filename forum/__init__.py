"""The forum's application factory: config, extensions, blueprints, errors, security, CLI."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build an app; ``config`` overrides settings (tests pass a dict, as flaskr does)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
    )
    from forum.config import load_config

    load_config(app, config)
    _register_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_security(app)
    _register_cli(app)
    _register_worker(app)
    _register_warmup(app)
    _register_middleware(app)
    return app


def _register_middleware(app: Flask) -> None:
    from forum.httpcache import CachedPages

    # Kept anonymous pages are answered before Flask; the rest reach it unchanged.
    app.wsgi_app = CachedPages(app, app.wsgi_app)  # type: ignore[method-assign]
    if app.config["PROXY_COUNT"]:
        # Behind nginx or a load balancer: take scheme, host and client from its headers
        # (outermost, so the fast path sees them too).
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]


def _register_extensions(app: Flask) -> None:
    from forum import models  # noqa: F401 - every model on the metadata before use
    from forum.auth.routes import load_user, unauthorized
    from forum.cache import init_cache
    from forum.extensions import csrf, db, login_manager, migrate
    from forum.ratelimit import init_rate_limits

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            event.listen(db.engine, "connect", _sqlite_pragmas)
    else:
        from forum.transactions import init_transactions

        init_transactions(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Sign in to do that."
    csrf.init_app(app)
    init_rate_limits(app)
    init_cache(app)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; the timeout waits out short locks.

    synchronous=NORMAL with WAL: a commit is written to the WAL file before it returns, but
    synced to disk only at checkpoints. A killed process loses nothing it committed (the
    operating system still has the write; tests/test_crash.py); a power cut or an OS crash
    may lose the last commits, never the database's integrity.
    """
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from forum.converters import IdConverter

    # Registered before the blueprints, whose rules use it.
    app.url_map.converters["id"] = IdConverter

    from forum.account.routes import bp as account_bp
    from forum.api.routes import bp as api_bp
    from forum.auth.routes import bp as auth_bp
    from forum.extensions import csrf
    from forum.feeds.routes import bp as feeds_bp
    from forum.house_rules.routes import bp as house_rules_bp
    from forum.mail import handlers as _mail_handlers  # noqa: F401 - registers outbox handlers
    from forum.mail.routes import bp as mail_bp
    from forum.mail.routes import unsubscribe as mail_unsubscribe
    from forum.moderation.routes import bp as moderation_bp
    from forum.search.routes import bp as search_bp
    from forum.subscriptions.routes import bp as subscriptions_bp
    from forum.tags.routes import bp as tags_bp
    from forum.threads.routes import bp as threads_bp
    from forum.users.routes import bp as users_bp
    from forum.webmention import handlers as _webmention_handlers  # noqa: F401 - the verify job
    from forum.webmention.routes import bp as webmention_bp

    for bp in (
        auth_bp,
        threads_bp,
        tags_bp,
        users_bp,
        moderation_bp,
        subscriptions_bp,
        feeds_bp,
        mail_bp,
        search_bp,
        account_bp,
        house_rules_bp,
        webmention_bp,
    ):
        app.register_blueprint(bp)
    # The API authenticates with bearer tokens only, never cookies, so CSRF can't reach it.
    csrf.exempt(api_bp)
    # RFC 8058 one-click unsubscribe: mail clients POST with no session or CSRF token; the
    # signed token in the URL authorises it, and a forged POST would need that token anyway.
    csrf.exempt(mail_unsubscribe)
    # Webmention: other sites' servers POST here, with no session to forge a request from;
    # the request only queues a check of the source, in no reader's name.
    csrf.exempt(webmention_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")


def _register_template_helpers(app: Flask) -> None:
    from forum import permissions
    from forum.fragments import init_fragments
    from forum.moderation.review import queue_size
    from forum.subscriptions.service import unread_count
    from forum.templating import register_filters

    register_filters(app)
    init_fragments(app)
    app.jinja_env.globals["perm"] = permissions
    # Called only in the header of moderators' pages, so readers pay no query for it.
    app.jinja_env.globals["mod_queue_size"] = queue_size
    app.jinja_env.globals["unread_count"] = unread_count


def _register_security(app: Flask) -> None:
    from forum.errors import register_error_handlers
    from forum.httpcache import register_http_caching
    from forum.security import register_security_headers
    from forum.threads.rules import COMMENT_MAX, THREAD_BODY_MAX

    register_error_handlers(
        app,
        posting_limits=(
            f"a comment can have up to {COMMENT_MAX:,} characters, "
            f"an opening post {THREAD_BODY_MAX:,}"
        ),
    )
    register_security_headers(app)
    # Cache-Control for pages and fingerprinted static files; the static_url() template helper.
    register_http_caching(app)


def _register_cli(app: Flask) -> None:
    from forum.cli import forum_cli

    app.cli.add_command(forum_cli)


def _register_worker(app: Flask) -> None:
    """Outbox handlers, the hand-off to RQ when Redis is set, and the inline worker thread."""
    from forum.subscriptions.worker import init_app

    init_app(app)


def _register_warmup(app: Flask) -> None:
    """At its first request, a process reads the moderation rules and loads the models in a
    thread of its own, while the reader reads: the first comment would otherwise wait seconds
    for them (10 s on a slow host under ``make run``). Not under TESTING, nor in a CLI command,
    which serves no request; in a gunicorn worker the rules are already read (when_ready)."""
    if app.testing:
        return
    started = threading.Event()

    @app.before_request
    def warm_moderation() -> None:
        if not started.is_set():
            started.set()
            from forum.moderation import rules

            threading.Thread(
                target=rules.warm, kwargs={"models": True}, name="warm-moderation", daemon=True
            ).start()


__all__ = ["create_app"]
