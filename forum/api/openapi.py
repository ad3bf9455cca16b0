"""The OpenAPI 3.1 description of /api/v1, built from the served routes and the shapes.

Each endpoint has one entry in ``OPERATIONS``: what it does, the models of its body and its
answers (:mod:`forum.api.shapes`, which also validate the bodies), and the errors it can give
beyond those every operation of its kind has (see ``_errors``). Paths, methods and path
parameters come from the blueprint's URL rules, so an endpoint can be neither served
undocumented (building the document fails) nor documented unserved.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema
from werkzeug.routing import Rule

from forum.api import shapes
from forum.converters import ID_MAX, PAGE_MAX
from forum.search.rules import MAX_PAGE, PAGE_SIZE, QUERY_MAX, QUERY_MIN
from forum.tags.rules import TAG_MAX_LENGTH

JSON = dict[str, Any]
# A model for a JSON answer, a JSON Schema for one no model describes, or None: no content.
Shape = type[BaseModel] | JSON | None

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
SCHEMAS = "#/components/schemas/{model}"


@dataclass(frozen=True)
class Operation:
    """One endpoint as documented; ``ok`` maps each success status to its shape and words."""

    id: str
    summary: str
    ok: Mapping[int, tuple[Shape, str]]
    description: str = ""
    body: type[shapes.Body] | None = None
    # Why the body may be left out; empty when it is required.
    optional_body: str = ""
    # A read that needs a token; every write does.
    private: bool = False
    query: tuple[JSON, ...] = ()
    # Errors beyond the ones every operation of its kind can give (``_errors``).
    errors: tuple[int, ...] = ()
    # What the 201's Location header points at.
    location: str = ""


def _query(name: str, schema: JSON, description: str = "", *, required: bool = False) -> JSON:
    parameter = {"name": name, "in": "query", "required": required, "schema": schema}
    return {**parameter, "description": description} if description else parameter


def _page(maximum: int, description: str = "") -> JSON:
    schema = {"type": "integer", "minimum": 1, "maximum": maximum, "default": 1}
    return _query("page", schema, description)


def _tag_filter(description: str) -> JSON:
    return _query("tag", {"type": "string"}, f"{description}; merged tags' slugs work.")


_ID = {"type": "integer", "format": "int32", "minimum": 1, "maximum": ID_MAX}
PATH_PARAMETERS: dict[str, JSON] = {
    "thread_id": {"schema": _ID},
    "comment_id": {"schema": _ID},
    "item_id": {"schema": _ID},
    "slug": {
        "description": "A tag's slug; a merged tag's old slug leads to its target.",
        "schema": {"type": "string", "maxLength": TAG_MAX_LENGTH},
    },
}

HELD = "Accepted but held for a moderator (status pending_review): visible only to its author"
DELETED = {204: (None, "Deleted.")}

OPERATIONS: dict[str, Operation] = {
    "list_threads": Operation(
        "listThreads",
        "Threads by latest activity, one page at a time.",
        {200: (shapes.ThreadPage, "One page of threads.")},
        query=(_tag_filter("Only threads with this tag (slug)"), _page(PAGE_MAX)),
        errors=(404,),
    ),
    "create_thread": Operation(
        "createThread",
        "Open a thread.",
        {
            201: (shapes.Thread, "The new thread."),
            202: (
                shapes.HeldThread,
                f"{HELD} until approved, which announces it as if just posted.",
            ),
        },
        description=(
            "The title and body are screened like a reply; an API client has no nudge to "
            "answer, so a rule match counts as posted anyway: published and queued for a "
            "moderator, or held (202). A new account's first threads wait too."
        ),
        body=shapes.NewThread,
        location="The thread in this API.",
    ),
    "get_thread": Operation(
        "getThread",
        "A thread with the comments the reader may see.",
        {200: (shapes.ThreadWithComments, "The thread.")},
    ),
    "edit_thread": Operation(
        "editThread",
        "Change a thread's title, body or tags (its author, or a moderator).",
        {
            200: (shapes.Thread, "The thread as edited."),
            202: (shapes.HeldThread, "Saved, and held for a moderator."),
        },
        description=(
            "The earlier version is kept (the site's /threads/{id}/history). The author's edit "
            "is screened like a new thread: a rule match is queued, or holds the thread (202)."
        ),
        body=shapes.ThreadEdit,
    ),
    "delete_thread": Operation(
        "deleteThread",
        "Delete your thread's opening post; its replies stay under '[deleted]'.",
        DELETED,
    ),
    "create_comment": Operation(
        "createComment",
        "Reply to the thread, or under one of its comments.",
        {
            201: (shapes.Comment, "The new comment, published."),
            202: (shapes.HeldComment, f"{HELD} until approved."),
        },
        body=shapes.NewComment,
        location="The comment's permalink on the site.",
    ),
    "edit_comment": Operation(
        "editComment",
        "Replace a comment's text (its author, or a moderator).",
        {
            200: (shapes.Comment, "The comment as edited."),
            202: (shapes.HeldComment, "Saved, and held for a moderator."),
        },
        description=(
            "The earlier text is kept (the site's /comments/{id}/history). The author's edit "
            "is screened like a new comment: a rule match is queued, or holds the comment (202)."
        ),
        body=shapes.CommentEdit,
    ),
    "delete_comment": Operation(
        "deleteComment",
        "Delete your comment; its replies keep their place under '[deleted]'.",
        DELETED,
    ),
    "flag_comment": Operation(
        "flagComment",
        "Flag a published comment for moderators (once per reader).",
        {201: (shapes.Flag, "The flag was recorded.")},
        description=(
            "Enough flags hide the comment until a moderator decides. Authors can't flag "
            "their own comments, nor suspended accounts any; held, removed and deleted "
            "comments are not found."
        ),
        body=shapes.NewFlag,
        errors=(409,),
    ),
    "flag_thread": Operation(
        "flagThread",
        "Flag a thread's title and opening post for moderators (once per reader).",
        {201: (shapes.Flag, "The flag was recorded.")},
        description=(
            "As a comment's flag: enough counted flags hide the thread until a moderator "
            "decides. Flags from accounts younger than FORUM_FLAG_MIN_ACCOUNT_DAYS or with no "
            "published post reach the queue but never count toward hiding."
        ),
        body=shapes.NewFlag,
        errors=(409,),
    ),
    "promote_comment": Operation(
        "promoteComment",
        "Open a new thread from a question asked in a comment.",
        {201: (shapes.Promoted, "The new thread.")},
        description=(
            "For the thread's author and moderators. The new thread quotes the comment "
            "under its author's name and exact time, then the intro; the asker is told. "
            "A comment is promoted once: a second attempt is a 409 naming the thread."
        ),
        body=shapes.NewPromotion,
        errors=(409,),
        location="The new thread in this API.",
    ),
    "moderation_queue": Operation(
        "getModerationQueue",
        "Open queue items, for moderators.",
        {200: (shapes.ModerationQueue, "The open items.")},
        description="A moderator limited to some tags sees only items in those tags.",
        private=True,
        errors=(403,),
    ),
    "decide_queue_item": Operation(
        "decideQueueItem",
        "Approve or remove the post of an open queue item.",
        {200: (shapes.QueueItem, "The item, decided.")},
        description="Every decision is written to the moderation log.",
        body=shapes.Decision,
        errors=(409,),
    ),
    "list_tags": Operation(
        "listTags",
        "Canonical tags, busiest first.",
        {200: (shapes.TagList, "All canonical tags.")},
    ),
    "follow_tag": Operation(
        "followTag",
        "Follow a tag at a level, or change the level.",
        {200: (shapes.TagSubscription, "The subscription.")},
        description="A merged tag's old slug follows the tag it was merged into.",
        body=shapes.FollowLevel,
    ),
    "unfollow_tag": Operation(
        "unfollowTag",
        "Stop following (or unmute) a tag.",
        {204: (None, "Not followed (any more).")},
        description="204 whether or not the tag was followed. No body is needed.",
        errors=(422,),
    ),
    "list_subscriptions": Operation(
        "listSubscriptions",
        "The tags and threads you follow (token required).",
        {200: (shapes.Subscriptions, "What you follow.")},
        description="Private to the token's user: without a token the answer is 401.",
        private=True,
    ),
    "export_me": Operation(
        "exportMe",
        "Everything your account holds, as one JSON document (token required).",
        {200: (shapes.AccountExport, "Your data.")},
        description=(
            "Your profile and settings, what you wrote (Markdown source, with earlier "
            "versions), your flags, follows, notifications, API token names and times, and "
            "the moderation decisions about you. Other people appear by public name only. The "
            "same file the account settings page downloads."
        ),
        private=True,
    ),
    "list_notifications": Operation(
        "listNotifications",
        "Your notifications, newest first (token required).",
        {200: (shapes.NotificationPage, "One page of notifications.")},
        description="Private to the token's user: without a token the answer is 401.",
        private=True,
        query=(_page(PAGE_MAX),),
    ),
    "mark_notifications_read": Operation(
        "markNotificationsRead",
        "Mark some of your notifications read, or all of them.",
        {200: (shapes.Marked, "How many were unread and are now read.")},
        body=shapes.MarkRead,
        optional_body="{} or no body marks all.",
    ),
    "openapi_document": Operation(
        "getOpenApi",
        "This document.",
        {200: ({"type": "object"}, "The OpenAPI 3.1 document.")},
    ),
    "search": Operation(
        "search",
        "Search threads and published comments, best match first.",
        {200: (shapes.SearchPage, "One page of results.")},
        description=(
            "Every word must appear; accents and case are ignored; end the last word with `*` "
            "to match its beginning. Quotes, operators and punctuation are treated as spaces, "
            "so no query is an error: one that can't run answers 200 with no results and a "
            "`message`. Held, removed and deleted comments are never included."
        ),
        query=(
            _query(
                "q",
                {"type": "string", "maxLength": QUERY_MAX},
                f"The words to find ({QUERY_MIN} to {QUERY_MAX} characters).",
                required=True,
            ),
            _tag_filter("Only in threads with this tag (slug)"),
            _query("author", {"type": "string"}, "Only what this username wrote."),
            _page(MAX_PAGE, f"{PAGE_SIZE} a page; past page {MAX_PAGE}, narrow the query."),
        ),
    ),
}

# The error answers, each described once; operations refer to them by status.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("BadRequest", "Malformed JSON, a body that isn't an object, a wrong type or bad page."),
    401: ("Unauthorized", "No token (on a write), or a token that is invalid/revoked."),
    403: (
        "Forbidden",
        "The token's user may not do this: suspended, not a moderator, or flagging their own post.",
    ),
    404: (
        "NotFound",
        "No such thread, tag, published comment, or queue item in the moderator's scope.",
    ),
    409: ("Conflict", "Already done: the post was flagged by you, or the item decided."),
    413: ("PayloadTooLarge", "The request body is too large."),
    422: ("Unprocessable", "Well-formed input that breaks a rule; `fields` names each problem."),
    429: ("TooManyRequests", "Rate limit reached; wait and retry."),
}
ERROR_HEADERS: dict[int, JSON] = {
    401: {"WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer challenge."}},
    429: {
        "Retry-After": {
            "schema": {"type": "integer", "minimum": 0},
            "description": "Seconds until the limit lets this request through again.",
        }
    },
}

# Reads take an optional token (it widens what you see); writes require one.
OPTIONAL_AUTH: list[JSON] = [{}, {"bearerAuth": []}]
REQUIRED_AUTH: list[JSON] = [{"bearerAuth": []}]
_PARAMETER_RE = re.compile(r"<(?:[^>]*:)?(\w+)>")


def _errors(operation: Operation, method: str, path_parameters: list[str]) -> set[int]:
    """Every operation checks a token if sent (401) and counts toward a rate limit (429);
    writes check who may (403); a body can be malformed (400), too large (413) or break a
    rule (422); a path names something that may not exist (404), a page can be out of range."""
    codes = {401, 429, *operation.errors}
    if method != "get":
        codes.add(403)
    if operation.body is not None:
        codes.update((400, 413, 422))
    if path_parameters:
        codes.add(404)
    if any(parameter["name"] == "page" for parameter in operation.query):
        codes.add(400)
    return codes


def _content(shape: JSON | type[BaseModel]) -> JSON:
    schema = shape if isinstance(shape, dict) else {"$ref": SCHEMAS.format(model=shape.__name__)}
    return {"application/json": {"schema": schema}}


def _answer(operation: Operation, status: int, shape: Shape, description: str) -> JSON:
    answer: JSON = {"description": description}
    if shape is not None:
        answer["content"] = _content(shape)
    if status == 201 and operation.location:
        answer["headers"] = {
            "Location": {
                "schema": {"type": "string", "format": "uri"},
                "description": operation.location,
            }
        }
    return answer


def _operation(operation: Operation, method: str, path_parameters: list[str]) -> JSON:
    described: JSON = {"operationId": operation.id, "summary": operation.summary}
    if operation.description:
        described["description"] = operation.description
    private = operation.private or method != "get"
    described["security"] = REQUIRED_AUTH if private else OPTIONAL_AUTH
    parameters = [
        {"name": name, "in": "path", "required": True, **PATH_PARAMETERS[name]}
        for name in path_parameters
    ]
    if parameters or operation.query:
        described["parameters"] = [*parameters, *operation.query]
    if operation.body is not None:
        body: JSON = {"required": not operation.optional_body}
        if operation.optional_body:
            body["description"] = operation.optional_body
        described["requestBody"] = {**body, "content": _content(operation.body)}
    responses = {
        str(status): _answer(operation, status, shape, description)
        for status, (shape, description) in operation.ok.items()
    }
    for status in sorted(_errors(operation, method, path_parameters)):
        responses[str(status)] = {"$ref": f"#/components/responses/{ERRORS[status][0]}"}
    described["responses"] = responses
    return described


def _paths(rules: Iterable[Rule], prefix: str) -> JSON:
    paths: JSON = {}
    for rule in rules:
        operation = OPERATIONS[rule.endpoint.removeprefix("api.")]
        path_parameters = _PARAMETER_RE.findall(rule.rule)
        path = _PARAMETER_RE.sub(r"{\1}", rule.rule.removeprefix(prefix))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            item = paths.setdefault(path, {})
            item[method.lower()] = _operation(operation, method.lower(), path_parameters)
    return paths


@cache
def _components() -> JSON:
    models: set[type[BaseModel]] = {shapes.Error}
    for operation in OPERATIONS.values():
        models.update(s for s, _ in operation.ok.values() if isinstance(s, type))
        if operation.body is not None:
            models.add(operation.body)
    _, schemas = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template=SCHEMAS,
        schema_generator=shapes.SchemaGenerator,
    )
    error = {"$ref": SCHEMAS.format(model="Error")}
    return {
        "schemas": schemas["$defs"],
        "responses": {
            name: {
                "description": description,
                "content": {"application/json": {"schema": error}},
                **({"headers": ERROR_HEADERS[status]} if status in ERROR_HEADERS else {}),
            }
            for status, (name, description) in ERRORS.items()
        },
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "A personal access token (starts with 'fat_').",
            }
        },
    }


def build_document(*, server_url: str, rules: Iterable[Rule]) -> JSON:
    """The whole document for the API blueprint's URL ``rules``; ``server_url`` is where the
    API is mounted (e.g. "/api/v1")."""
    rules = list(rules)
    served = {rule.endpoint.removeprefix("api."): rule for rule in rules}
    if set(served) != set(OPERATIONS):
        raise LookupError(
            f"Served and documented endpoints differ: {set(served) ^ set(OPERATIONS)}"
        )
    # The rules' own prefix, which differs from server_url under a SCRIPT_NAME.
    prefix = served["openapi_document"].rule.removesuffix("/openapi.json")
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Forum API",
            "version": API_VERSION,
            "description": (
                "Read threads and tags anonymously; post with a personal access token "
                "(`flask --app wsgi forum create-token NAME`) sent as `Authorization: Bearer "
                "TOKEN`. Every error has the shape of the Error schema. Any operation may "
                "answer 503 (code `unavailable`) with Retry-After while the database is "
                "briefly out of reach; retry after that many seconds."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": _paths(rules, prefix),
        "components": _components(),
    }
