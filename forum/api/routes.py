"""JSON API v1: the same services as the site, authenticated by personal access tokens.

The blueprint is CSRF-exempt (see the factory) because it never reads the session cookie:
the only identity here is the bearer token, kept in ``g.api_user``. Flask-Login's
``current_user`` must not be imported in this module; a browser's cookie would otherwise let
another site post in the reader's name.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from flask import Blueprint, current_app, g, request, url_for
from werkzeug.wrappers import Response

from forum import permissions
from forum.account import service as account
from forum.api import openapi, schemas, shapes
from forum.auth.service import user_for_token
from forum.converters import ID_MAX, PAGE_MAX
from forum.errors import (
    ConflictError,
    ForumError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from forum.extensions import db
from forum.models import Comment, CommentStatus, Notification, QueueItem, Tag, Thread, User
from forum.moderation import service as moderation
from forum.ratelimit import rate_limit
from forum.search import rules as search_rules
from forum.search import service as search_service
from forum.subscriptions import service as subscriptions
from forum.tags import service as tags_service
from forum.threads import promotion, service

bp = Blueprint("api", __name__)
# One budget for every API call, whatever the endpoint (reads included).
rate_limit("api")(bp)  # type: ignore[arg-type]

THREAD_ID = "<id:thread_id>"
COMMENT_ID = "<id:comment_id>"
ITEM_ID = "<id:item_id>"
_PAGE_RE = re.compile(r"[0-9]{1,7}")
BEARER_HINT = "Send a valid personal access token as 'Authorization: Bearer TOKEN'."

ResponseValue = tuple[dict[str, Any], int, dict[str, str]]


class AuthenticationError(ForumError):
    """No usable token; 401 so clients know to (re)authenticate rather than give up."""

    status = 401
    code = "unauthorized"


# --- authentication ---------------------------------------------------------------------------


@bp.before_request
def authenticate() -> None:
    """Resolve the bearer token once per request; a token that is sent must be valid.

    Reads are public, but a bad token on a read still fails: silently treating it as
    anonymous would hide a revoked or mistyped token from the client using it.
    """
    g.api_user = _token_user(request.headers.get("Authorization"))


def _token_user(header: str | None) -> User | None:
    if header is None:
        return None
    scheme, _, raw = header.strip().partition(" ")
    user = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
    if user is None:
        raise AuthenticationError(f"That token is not valid or was revoked. {BEARER_HINT}")
    return user


def _reader() -> User | None:
    user: User | None = g.get("api_user")
    return user


def _writer() -> User:
    """The token's user, if they may post; checked before the body so the answer is stable."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"Writing needs a token. {BEARER_HINT}")
    if not permissions.can_post(user):
        raise PermissionDeniedError("Your account can't post right now.")
    return user


def _moderator() -> User:
    """The token's user, if a moderator: 401 without a token, 403 for everyone else."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"Moderation needs a token. {BEARER_HINT}")
    if not permissions.can_moderate(user):
        raise PermissionDeniedError("Only moderators can do that.")
    return user


@bp.after_request
def add_api_headers(response: Response) -> Response:
    # Answers depend on the token (authors see their own held comments): caches must key on it.
    response.vary.add("Authorization")
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="forum-api"'
    return response


# --- input parsing ----------------------------------------------------------------------------


B = TypeVar("B", bound=shapes.Body)


def _body(model: type[B]) -> B:
    """The request body read as ``model``, or a 400 saying what to fix."""
    # Only the model the document names for this endpoint (openapi.OPERATIONS), so that what
    # is read and what is documented can't differ; any test of the endpoint catches a slip.
    documented = openapi.OPERATIONS[str(request.endpoint).removeprefix("api.")].body
    if documented is not model:
        raise LookupError(f"{request.endpoint} reads {model.__name__}, documents {documented}")
    return shapes.read(model, _json_object())


def _json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying why not."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        raise ForumError(
            "Send a JSON object in the request body, with 'Content-Type: application/json'."
        )
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        # ValueError covers both bad JSON and bytes that aren't UTF-8; deep nesting recurses.
        raise ForumError(f"The request body is not valid JSON ({exc}).") from None
    if not isinstance(data, dict):
        raise ForumError(f"The request body must be a JSON object, not {shapes.json_type(data)}.")
    if (where := _lone_surrogate(data)) is not None:
        message = (
            "holds a lone UTF-16 surrogate (an escape like \\ud800 without its pair), which "
            "is not a character; send the text as UTF-8 or escape both halves of the pair"
        )
        raise ForumError(f"'{where}' {message}.", fields={where: message})
    return data


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(data: dict[str, Any]) -> str | None:
    """The top-level field holding a lone surrogate anywhere inside it, or None.

    JSON may spell one as an escape, and Python's parser keeps it, but no database driver can
    store it: caught here, once, for every field of every endpoint.
    """

    def holds(value: object) -> bool:
        # A loop, not recursion: the JSON parser allows nesting deeper than what is left of
        # the stack under a request (900 nested arrays were a RecursionError, a 500).
        pending = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                if _SURROGATE_RE.search(item) is not None:
                    return True
            elif isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                pending.extend(item.keys())
                pending.extend(item.values())
        return False

    for key, value in data.items():
        if holds(key) or holds(value):
            return key if not holds(key) else _SURROGATE_RE.sub("\ufffd", key)
    return None


def _parent(value: int | None, thread: Thread) -> Comment | None:
    """The comment to reply under; anything but a live comment of this thread is a 422."""
    if value is None:
        return None
    # Same words for "no such comment" and "not in this thread": ids of held comments stay private.
    refused = ValidationError(
        "That comment can't be replied to.", fields={"parent_id": "not a live comment here"}
    )
    if not 1 <= value <= ID_MAX:
        raise refused
    try:
        parent = service.get_comment(value)
    except NotFoundError:
        raise refused from None
    if parent.thread_id != thread.id:
        raise refused
    return parent


def _page() -> int:
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not _PAGE_RE.fullmatch(raw) or not 1 <= int(raw) <= PAGE_MAX:
        message = f"must be a whole number from 1 to {PAGE_MAX:,}"
        raise ForumError(f"'page' {message}; got {raw[:20]!r}.", fields={"page": message})
    return int(raw)


# --- URLs (the route layer's job: serialisers never call url_for) -----------------------------


def _thread_page_url(thread: Thread) -> str:
    return url_for("threads.view", thread_id=thread.id, slug=thread.slug, _external=True)


def _thread_api_url(thread: Thread) -> str:
    return url_for("api.get_thread", thread_id=thread.id, _external=True)


def _queue_item(item: QueueItem) -> dict[str, Any]:
    post = item.post
    return schemas.queue_item_data(
        item,
        thread_url=_thread_page_url(item.thread),
        flags=moderation.flags_for(post),
        record=moderation.author_record(post.author),
    )


# --- endpoints --------------------------------------------------------------------------------


@bp.get("/threads")
def list_threads() -> dict[str, Any]:
    """Threads by latest activity, optionally in one tag (a merged tag's old slug still works)."""
    page = _page()
    stmt = service.latest_threads()
    slug = request.args.get("tag", "")
    if slug:
        tag = tags_service.get_tag(slug)
        if tag is None:
            raise NotFoundError("There is no such tag.", fields={"tag": "no such tag"})
        stmt = service.tag_filter(stmt, tags_service.canonical(tag))
    per_page: int = current_app.config["THREADS_PER_PAGE"]
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    return {
        "threads": [schemas.thread_summary(t, url=_thread_page_url(t)) for t in pagination.items],
        "page": page,
        "per_page": per_page,
        "total": pagination.total,
        "next_page": page + 1 if pagination.has_next else None,
    }


@bp.post("/threads")
@rate_limit("post", override_defaults=False)  # shared with the site's form; keeps the "api" limit
def create_thread() -> ResponseValue:
    """Open a thread. An API client has no nudge to answer, so a rule match counts as
    "posted anyway": published with a queue item, or held (202) for a moderator."""
    author = _writer()
    new = _body(shapes.NewThread)
    thread = service.create_thread(
        author=author, title=new.title, body=new.body, tags=new.tags, confirmed=True
    )
    return _thread_written(thread, 201)


def _thread_written(thread: Thread, status: int) -> ResponseValue:
    """A thread just written or edited: 202 with the rules' matches when it waits for a
    moderator, else ``status``."""
    body = schemas.thread_detail(thread, url=_thread_page_url(thread))
    headers = {"Location": _thread_api_url(thread)}
    if thread.status == CommentStatus.PENDING:
        item = moderation.open_item(thread)
        return {**body, "matches": item.matches if item else []}, 202, headers
    return body, status, headers


@bp.get(f"/threads/{THREAD_ID}")
def get_thread(thread_id: int) -> dict[str, Any]:
    """The thread and the comments this reader may see (their own held ones included)."""
    reader = _reader()
    thread = service.shown_thread(thread_id, viewer=reader)
    comments = service.thread_comments(thread, viewer=reader)
    return schemas.thread_detail(thread, url=_thread_page_url(thread), comments=comments)


@bp.patch(f"/threads/{THREAD_ID}")
@rate_limit("post", override_defaults=False)
def edit_thread(thread_id: int) -> ResponseValue:
    """Change a thread's title, body or tags (its author; moderators too). Fields left out
    stay as they are; the author's edit is screened as a new thread is (202 when held)."""
    user = _writer()
    thread = service.shown_thread(thread_id, viewer=user)
    if not permissions.can_edit_thread(user, thread):
        raise PermissionDeniedError("You can only edit your own threads.")
    edit = _body(shapes.ThreadEdit)
    sent = edit.model_fields_set
    if not sent:
        raise ForumError("Send at least one of: title, body, tags.", fields={"body": "empty"})
    thread = service.edit_thread(
        thread,
        actor=user,
        title=edit.title if "title" in sent else thread.title,
        body=edit.body if "body" in sent else thread.body_src,
        tags=edit.tags if "tags" in sent else [t.slug for t in thread.tags],
        confirmed=True,
    )
    return _thread_written(thread, 200)


@bp.delete(f"/threads/{THREAD_ID}")
def delete_thread(thread_id: int) -> tuple[str, int]:
    """The author deletes their opening post; the replies stay under "[deleted]"."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"Deleting needs a token. {BEARER_HINT}")
    thread = service.shown_thread(thread_id, viewer=user)
    if not permissions.can_delete_thread(user, thread):
        raise PermissionDeniedError("You can only delete your own threads.")
    service.delete_thread(thread, actor=user)
    return "", 204


@bp.post(f"/threads/{THREAD_ID}/comments")
@rate_limit("post", override_defaults=False)
def create_comment(thread_id: int) -> ResponseValue:
    author = _writer()
    thread = service.shown_thread(thread_id, viewer=author)
    new = _body(shapes.NewComment)
    parent = _parent(new.parent_id, thread)
    # An API client has no nudge to answer: its post counts as "posted anyway", so a rule
    # match is published and queued, or held (202) for a moderator.
    comment = service.reply(
        thread=thread, author=author, body=new.body, parent=parent, confirmed=True
    )
    return _comment_written(comment, 201)


def _comment_written(comment: Comment, status: int) -> ResponseValue:
    location = url_for("threads.permalink", comment_id=comment.id, _external=True)
    if comment.status == CommentStatus.PENDING:
        item = moderation.open_item(comment)
        held = {**schemas.comment_data(comment), "matches": item.matches if item else []}
        return held, 202, {"Location": location}
    return schemas.comment_data(comment), status, {"Location": location}


def _own_comment(comment_id: int, user: User) -> Comment:
    """A comment the token's user may see (others' held ones look missing)."""
    comment = service.get_comment(comment_id)
    if not permissions.can_view_comment(user, comment):
        raise NotFoundError("There is no such comment.")
    service.shown_thread(comment.thread_id, viewer=user)
    return comment


@bp.patch(f"/comments/{COMMENT_ID}")
@rate_limit("post", override_defaults=False)
def edit_comment(comment_id: int) -> ResponseValue:
    """Replace a comment's text (its author; moderators too); screened as a new comment is,
    so an edit into an attack is queued or held (202)."""
    user = _writer()
    comment = _own_comment(comment_id, user)
    if not permissions.can_edit_comment(user, comment):
        raise PermissionDeniedError("You can only edit your own comments.")
    edit = _body(shapes.CommentEdit)
    comment = service.edit_comment(comment, actor=user, body=edit.body, confirmed=True)
    return _comment_written(comment, 200)


@bp.delete(f"/comments/{COMMENT_ID}")
def delete_comment(comment_id: int) -> tuple[str, int]:
    """Blank a comment; replies keep their place under "[deleted]"."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"Deleting needs a token. {BEARER_HINT}")
    comment = _own_comment(comment_id, user)
    if not permissions.can_delete_comment(user, comment):
        raise PermissionDeniedError("You can only delete your own comments.")
    service.delete_comment(comment, actor=user)
    return "", 204


def _flag(post: Comment | Thread) -> tuple[dict[str, Any], int]:
    """Flag a published post; ``hidden`` says whether flags now hide it."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"Flagging needs a token. {BEARER_HINT}")
    # Held, removed and deleted posts answer like missing ones, so their ids can't be
    # probed; the author's own post is a 403 (the site hides the button the same way).
    if not post.is_visible:
        raise NotFoundError(f"There is no such {moderation.post_kind(post)}.")
    moderation.check_can_flag(user, post)
    new = _body(shapes.NewFlag)
    flag = moderation.flag_post(
        post, actor=user, reason=new.reason, note=new.note, excerpt=new.excerpt
    )
    return schemas.flag_data(flag, hidden=post.status == CommentStatus.PENDING), 201


@bp.post(f"/comments/{COMMENT_ID}/flags")
@rate_limit("flag", override_defaults=False)  # shared with the site's flag form
def flag_comment(comment_id: int) -> tuple[dict[str, Any], int]:
    """Flag a published comment for moderators; ``hidden`` says whether it is now hidden."""
    return _flag(service.get_comment(comment_id))


@bp.post(f"/threads/{THREAD_ID}/flags")
@rate_limit("flag", override_defaults=False)
def flag_thread(thread_id: int) -> tuple[dict[str, Any], int]:
    """Flag a thread's title and opening post, as a comment is flagged."""
    return _flag(service.get_thread(thread_id))


@bp.post(f"/comments/{COMMENT_ID}/promote")
@rate_limit("post", override_defaults=False)
def promote_comment(comment_id: int) -> ResponseValue:
    """Open a new thread from a question in a comment (the thread's author or a moderator)."""
    user = _writer()
    comment = service.get_comment(comment_id)
    if not permissions.can_view_comment(user, comment):
        raise NotFoundError("There is no such comment.")  # hidden ones look missing
    new = _body(shapes.NewPromotion)
    sent = new.model_fields_set
    try:
        thread = promotion.promote_question(
            comment,
            actor=user,
            title=new.title if "title" in sent else None,
            tags=new.tags if "tags" in sent else None,
            intro=new.intro,
            move_replies=new.move_replies,
        )
    except promotion.AlreadyPromotedError as exc:
        existing = db.session.get(Thread, exc.thread_id)
        url = _thread_page_url(existing) if existing else ""
        raise ConflictError(
            f"This comment already has its own thread: {url}",
            fields={"thread_id": str(exc.thread_id), "url": url},
        ) from exc
    url = _thread_page_url(thread)
    return {"thread_id": thread.id, "url": url}, 201, {"Location": _thread_api_url(thread)}


@bp.get("/moderation/queue")
def moderation_queue() -> dict[str, Any]:
    """Open items the moderator may act on, highest priority then oldest first."""
    moderator = _moderator()
    items = moderation.open_queue(moderator, mentions=False)
    return {"items": [_queue_item(item) for item in items]}


@bp.post(f"/moderation/queue/{ITEM_ID}")
def decide_queue_item(item_id: int) -> dict[str, Any]:
    """Approve or remove (with a reason the author sees); the log records who and why."""
    moderator = _moderator()
    # Before the body: an item outside the moderator's scope is a 404 whatever is sent.
    item = moderation.get_queue_item(item_id, viewer=moderator)
    if item.mention_id is not None:
        # Links from other sites are decided on the site's queue page; the API's are posts.
        raise NotFoundError("There is no such queue item.")
    decided = _body(shapes.Decision)
    if decided.decision not in shapes.API_DECISIONS:
        message = f"must be one of: {', '.join(shapes.API_DECISIONS)}"
        raise ValidationError(f"'decision' {message}.", fields={"decision": message})
    item = moderation.decide(
        item,
        actor=moderator,
        decision=decided.decision,
        reason=decided.reason,
        category=decided.category or None,
        override=decided.override,
    )
    return _queue_item(item)


@bp.get("/tags")
def list_tags() -> dict[str, Any]:
    return {"tags": [schemas.tag_data(tag, n) for tag, n in tags_service.tag_counts()]}


# --- following and notifications (always the token's own) -------------------------------------


def _subscriber() -> User:
    """The token's user; suspended accounts may still manage what they follow and read."""
    user = _reader()
    if user is None:
        raise AuthenticationError(f"This needs a token. {BEARER_HINT}")
    return user


def _tag_or_404(slug: str) -> Tag:
    tag = tags_service.get_tag(slug)
    if tag is None:
        raise NotFoundError("There is no such tag.", fields={"slug": "no such tag"})
    return tags_service.canonical(tag)


@bp.put("/tags/<slug>/subscription")
def follow_tag(slug: str) -> dict[str, Any]:
    """Follow a tag at a level (or change the level); the subscription comes back."""
    user = _subscriber()
    tag = _tag_or_404(slug)
    subscription = subscriptions.follow_tag(user, tag, _body(shapes.FollowLevel).level)
    return schemas.tag_subscription_data(tag, subscription)


@bp.delete("/tags/<slug>/subscription")
def unfollow_tag(slug: str) -> tuple[str, int]:
    """Stop following a tag; 204 whether or not it was followed (the outcome is the same)."""
    user = _subscriber()
    subscriptions.unfollow_tag(user, _tag_or_404(slug))
    return "", 204


@bp.get("/subscriptions")
def list_subscriptions() -> dict[str, Any]:
    user = _subscriber()
    return {
        "tags": [
            schemas.tag_subscription_data(tag, sub)
            for tag, sub in subscriptions.followed_tags(user)
        ],
        "threads": [
            schemas.thread_subscription_data(thread, muted=muted, url=_thread_page_url(thread))
            for thread, muted in subscriptions.followed_threads(user)
        ],
        "auto_follow_threads": user.auto_follow_threads,
    }


@bp.get("/me/export")
def export_me() -> dict[str, Any]:
    """Everything the token's account holds about its owner (the settings page's download)."""
    return account.export_data(_subscriber())


@bp.get("/notifications")
def list_notifications() -> dict[str, Any]:
    """The token user's notifications, newest first, a page at a time."""
    user = _subscriber()
    page = _page()
    per_page: int = current_app.config["NOTIFICATIONS_PER_PAGE"]
    pagination = db.paginate(
        subscriptions.notifications_for(user), page=page, per_page=per_page, error_out=False
    )
    return {
        "notifications": [_notification(n) for n in pagination.items],
        "page": page,
        "per_page": per_page,
        "total": pagination.total,
        "next_page": page + 1 if pagination.has_next else None,
        "unread": subscriptions.unread_count(user),
    }


def _notification(notification: Notification) -> dict[str, Any]:
    thread, comment = notification.thread, notification.comment
    return schemas.notification_data(
        notification,
        thread_url=_thread_page_url(thread) if thread else None,
        comment_url=(
            url_for("threads.permalink", comment_id=comment.id, _external=True) if comment else None
        ),
    )


@bp.post("/notifications/read")
def mark_notifications_read() -> dict[str, Any]:
    """Mark the listed notifications read, or all of them when ``ids`` is left out."""
    user = _subscriber()
    # An empty body means "all", like the site's "Mark all read" button.
    sent = request.get_data(cache=True).strip()
    ids = _body(shapes.MarkRead).ids if sent else None
    return {"marked": subscriptions.mark_read(user, ids)}


@bp.get("/openapi.json")
def openapi_document() -> dict[str, Any]:
    # The server URL is this blueprint's mount point, however the factory prefixed it.
    base = url_for("api.openapi_document").removesuffix("/openapi.json")
    rules = [rule for rule in current_app.url_map.iter_rules() if rule.endpoint.startswith("api.")]
    return openapi.build_document(server_url=base, rules=rules)


# --- search -----------------------------------------------------------------------------------


def _search_page() -> int:
    """Like ``_page`` but within search's cap: past page MAX_PAGE, narrow the query instead."""
    raw = request.args.get("page", "")
    if not raw:
        return 1
    if not _PAGE_RE.fullmatch(raw) or not 1 <= int(raw) <= search_rules.MAX_PAGE:
        message = f"must be a whole number from 1 to {search_rules.MAX_PAGE}"
        raise ForumError(f"'page' {message}; got {raw[:20]!r}.", fields={"page": message})
    return int(raw)


def _hit_url(hit: search_service.SearchHit) -> str:
    thread = hit.thread
    anchor = f"c{hit.comment.number}" if hit.comment else None
    return url_for(
        "threads.view", thread_id=thread.id, slug=thread.slug, _anchor=anchor, _external=True
    )


@bp.get("/search")
@rate_limit("search", override_defaults=False)  # the page's limit, and the "api" one too
def search() -> dict[str, Any]:
    """The site's search as JSON: same query rules, same results, snippets as text pieces."""
    results = search_service.search(
        request.args.get("q", ""),
        tag=request.args.get("tag", ""),
        author=request.args.get("author", ""),
        page=_search_page(),
    )
    return schemas.search_page_data(results, urls=[_hit_url(hit) for hit in results.hits])
