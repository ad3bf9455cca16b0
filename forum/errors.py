"""Domain errors, and the one place that turns them and HTTP errors into pages or JSON.

Services raise these; routes stay free of status-code bookkeeping (Warehouse's exception views).
"""

from __future__ import annotations

import sqlite3

from flask import Flask, Response, g, jsonify, render_template, request
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException

from forum.converters import ID_MAX
from forum.extensions import login_manager


class ForumError(Exception):
    """Base of errors a person can act on; ``fields`` name the inputs to fix."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(ForumError):
    status = 422
    code = "invalid"


class PermissionDeniedError(ForumError):
    status = 403
    code = "forbidden"


class NotFoundError(ForumError):
    status = 404
    code = "not_found"


class ConflictError(ForumError):
    status = 409
    code = "conflict"


class RateLimitedError(ForumError):
    """A limit Flask-Limiter's decorators can't express (failed sign-ins); ``retry_after``
    is in seconds and becomes the Retry-After header."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


def _too_large(limits: str) -> str:
    shorten = f"Shorten it ({limits})" if limits else "Shorten it"
    return (
        "What you sent is too large for the forum to read. Go back with your browser's Back "
        f"button: your text is still in the form there. {shorten} and send it again."
    )


# Messages for HTTP errors raised by Flask/Werkzeug, in words a reader can act on.
HTTP_MESSAGES = {
    400: "The request could not be understood. If you submitted a form, reload it and try again.",
    401: "You need to sign in for that.",
    403: "You don't have permission to do that.",
    404: "There is nothing at this address. It may have been moved or removed.",
    405: "That address doesn't accept this kind of request.",
    413: _too_large(""),
    429: "Too many requests. Wait a little and try again.",
    500: "Something went wrong on our side. It has been logged; please try again.",
    503: "The forum is briefly unavailable. Please try again in a few seconds; if you were "
    "posting, go back and send it again.",
}
# How long a client should wait after a 503 before trying again.
RETRY_AFTER_SECONDS = 5


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None
) -> Response:
    """The single shape of every error: JSON for the API, the site's layout for pages."""
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        response = jsonify(body)
    else:
        html = render_template("errors/error.html", status=status, message=message)
        response = Response(html, mimetype="text/html")
    response.status_code = status
    return response


def database_unavailable(exc: Exception) -> bool:
    """True for database errors that pass by themselves: a connection refused, dropped or
    timed out, a pool with no free connection, or SQLite's write lock held past the busy
    timeout. Not for a bad query or a missing table, which retrying won't fix."""
    if isinstance(exc, sa_exc.TimeoutError):  # every pooled connection busy
        return True
    if not isinstance(exc, sa_exc.DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    if isinstance(exc.orig, sqlite3.OperationalError):
        # SQLite reports "no such table" and the like as OperationalError too.
        return "database is locked" in str(exc.orig) or "database is busy" in str(exc.orig)
    # PostgreSQL (psycopg): refused or lost connections, server shutting down or starting up.
    return isinstance(exc, sa_exc.OperationalError)


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_")


def register_error_handlers(app: Flask, *, posting_limits: str = "") -> None:
    """``posting_limits`` names the limits in the 413 message: the factory knows them, so
    this module needs no feature's rules."""
    messages = {**HTTP_MESSAGES, 413: _too_large(posting_limits)}

    @app.errorhandler(ForumError)
    def forum_error(exc: ForumError) -> Response:
        response = error_response(exc.status, exc.code, exc.message, exc.fields)
        if isinstance(exc, RateLimitedError):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        message = messages.get(status, exc.description or "")
        if status == 400 and exc.description and "CSRF" in exc.description:
            message = "Your form expired or came from another site. Reload the page and try again."
        response = error_response(status, _http_code(exc), message)
        if status == 405 and exc.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(sa_exc.SQLAlchemyError)
    def database_error(exc: sa_exc.SQLAlchemyError) -> Response:
        if not database_unavailable(exc):
            return unexpected_error(exc)
        cause = getattr(exc, "orig", None) or exc
        app.logger.warning("Database unavailable on %s %s: %s", request.method, request.path, cause)
        # The page is drawn for a signed-out reader: the header would otherwise query the
        # database for the reader's name and counts.
        g._login_user = login_manager.anonymous_user()
        response = error_response(503, "unavailable", HTTP_MESSAGES[503])
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(OverflowError)
    def number_too_large(exc: OverflowError) -> Response:
        # The net under forum.converters.id_arg: SQLite's driver can't bind an integer past
        # 64 bits, so a number from a request that reached a query unchecked fails there,
        # before anything is written. That is the request's fault, not the server's.
        app.logger.warning("Number out of range on %s %s: %s", request.method, request.path, exc)
        message = f"A number in this request is too large: ids run from 1 to {ID_MAX}."
        return error_response(400, "bad_request", message)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception) -> Response:
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
