"""Atom feeds for tags, threads and a person's followed tags, and the private feed settings.

The feed URLs are a contract with feed readers (issue 5): don't move them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.wrappers import Response

from forum.feeds import service
from forum.models import Tag, Thread
from forum.tags.service import canonical, get_tag
from forum.threads.service import shown_thread

bp = Blueprint("feeds", __name__)

ATOM = "application/atom+xml; charset=utf-8"


def _external_url(endpoint: str, /, **values: Any) -> str:
    return url_for(endpoint, _external=True, **values)


def _authority() -> str:
    """Host name for the feed ids: pinned by FEED_ID_AUTHORITY, else this request's host."""
    configured = current_app.config.get("FEED_ID_AUTHORITY")
    return configured or urlsplit(f"//{request.host}").hostname or "localhost"


def _public_atom(body: bytes) -> Response:
    """A public feed: readers may keep it but must ask again each time (an ETag makes that a
    304), and no shared cache may hold it, so a moderator's removal takes effect at once."""
    response = Response(body, content_type=ATOM)
    response.headers["Cache-Control"] = "private, no-cache"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/tags/<slug>/feed.atom")
def tag_feed(slug: str) -> Response:
    tag = get_tag(slug)
    if tag is None:
        abort(404)
    # Merged or unnormalised slugs keep working, at one address (as the tag page does).
    if tag.canonical_id is not None or slug != tag.slug:
        return redirect(url_for("feeds.tag_feed", slug=canonical(tag).slug), 301)
    threads = service.tag_feed_threads(tag)
    return _public_atom(
        service.build_tag_feed(tag, threads, url=_external_url, authority=_authority())
    )


@bp.get("/threads/<id:thread_id>/feed.atom")
def thread_feed(thread_id: int) -> Response:
    thread = shown_thread(thread_id, viewer=None)  # a public feed: what anyone may read
    comments = service.thread_feed_comments(thread)
    return _public_atom(
        service.build_thread_feed(thread, comments, url=_external_url, authority=_authority())
    )


@bp.get("/users/me/feed/<token>.atom")
def private_feed(token: str) -> Response:
    user = service.user_for_feed_token(token)
    if user is None:
        abort(404)  # one page for malformed, reset and never-issued tokens alike
    threads = service.followed_threads(user)
    body = service.build_private_feed(user, threads, url=_external_url, authority=_authority())
    response = Response(body, content_type=ATOM)
    # The URL is the credential: keep the feed out of every cache and every search index.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/settings/feed")
@login_required
def settings() -> Response:
    token = service.ensure_feed_token(current_user)
    response = make_response(
        render_template(
            "feeds/settings.html", feed_url=_external_url("feeds.private_feed", token=token)
        )
    )
    # The page shows a secret URL.
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/settings/feed/reset")
@login_required
def reset_token() -> Response:
    service.reset_feed_token(current_user)
    flash("Your private feed has a new address; the old one no longer works.")
    return redirect(url_for("feeds.settings"))


@pass_context
def feed_links(context: Context) -> list[tuple[str, str]]:
    """(title, url) of the feeds for the page being rendered, for base.html's <head>.

    Read from the page's own ``tag``/``thread``, so an error page raised inside these views
    (an unknown tag's 404) advertises no feed.
    """
    if not has_request_context():
        return []
    tag, thread = context.get("tag"), context.get("thread")
    if request.endpoint == "tags.view" and isinstance(tag, Tag):
        return [(f"Threads tagged {tag.name}", url_for("feeds.tag_feed", slug=tag.slug))]
    if request.endpoint == "threads.view" and isinstance(thread, Thread):
        return [(f"Comments on {thread.title}", url_for("feeds.thread_feed", thread_id=thread.id))]
    return []


@bp.app_context_processor
def _feed_link_helper() -> dict[str, Any]:
    return {"feed_links": feed_links}
