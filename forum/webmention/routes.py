"""The Webmention endpoint (W3C Recommendation): ``POST /webmention`` with form fields
``source`` and ``target``. Thread pages advertise it (a ``Link`` header and a ``<link>``).

Senders are other sites' servers, not our readers: no session, no CSRF token (the factory
exempts this view; nothing is done in a reader's name), and a plain-text answer.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, request
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

from forum.ratelimit import rate_limit
from forum.webmention import service
from forum.webmention.rules import host_of

bp = Blueprint("webmention", __name__)


def _source_host() -> str:
    """The per-source limit's key: one site can't flood the queue from many addresses. A
    request with no usable source counts against its sender's address instead, so senders
    of broken requests don't share one budget."""
    host = host_of(request.form.get("source", ""))
    return f"host:{host}" if host else f"address:{get_remote_address()}"


def _target_page(target: str) -> service.TargetPage | None:
    """The thread or comment a target URL names on this site, by our own URL map; None for
    another host or any other page."""
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    ours = {request.host.lower(), urlsplit(current_app.config["BASE_URL"]).netloc.lower()}
    if parts.netloc.lower() not in ours:
        return None
    adapter = current_app.url_map.bind(parts.netloc, script_name=request.script_root or None)
    path = parts.path
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    try:
        endpoint, args = adapter.match(path or "/", method="GET")
    except HTTPException:  # no such page, or one that redirects elsewhere
        return None
    if endpoint == "threads.view":
        return service.TargetPage(thread_id=args["thread_id"])
    if endpoint == "threads.permalink":
        return service.TargetPage(comment_id=args["comment_id"])
    return None


@bp.post("/webmention")
@rate_limit("webmention")
@rate_limit("webmention_source", key_func=_source_host)
def receive() -> Response:
    """202 once the request is queued for verification; 400 with the reason otherwise."""
    source = request.form.get("source", "").strip()
    target = request.form.get("target", "").strip()
    try:
        service.receive(source, target, page=_target_page(target) if target else None)
    except service.MentionRefusedError as exc:
        return Response(exc.message + "\n", 400, mimetype="text/plain")
    return Response(
        "Accepted: the source will be checked, and a moderator will look at the mention.\n",
        202,
        mimetype="text/plain",
    )
