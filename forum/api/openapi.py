"""The OpenAPI 3.1 description of /api/v1, written by hand as a dict.

Hand-written rather than generated so it reads as the contract; tests check that it names
exactly the routes the blueprint serves, and that responses match its schemas. The limits
are imported from the rules modules, so the document can't drift from what is enforced.
"""

from __future__ import annotations

from typing import Any

from forum.converters import ID_MAX, PAGE_MAX
from forum.models import (
    CommentStatus,
    FlagReason,
    NotificationKind,
    QueueSource,
    QueueState,
    TagLevel,
)
from forum.moderation.policy import FLAG_NOTE_MAX, REASON_MAX
from forum.tags.rules import MAX_TAGS_PER_THREAD, TAG_MAX_LENGTH
from forum.threads.rules import COMMENT_MAX, THREAD_BODY_MAX, TITLE_MAX

JSON = dict[str, Any]

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
# Ids are 64-bit in the database; a larger number in a URL is simply not found.
# Far past any real forum (25 million threads at 25 a page); keeps OFFSET within 64 bits.


def _ref(name: str) -> JSON:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(name: str) -> JSON:
    return {"$ref": f"#/components/responses/{name}"}


def _json_body(schema: JSON, description: str) -> JSON:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# Reads take an optional token (it widens what you see); writes require one.
OPTIONAL_AUTH: list[JSON] = [{}, {"bearerAuth": []}]
REQUIRED_AUTH: list[JSON] = [{"bearerAuth": []}]

TAG_LEVELS = [str(level) for level in TagLevel]
# Mirrors forum.api.routes.MAX_READ_IDS (routes import this module, not the other way).
MAX_READ_IDS = 500

DATE_TIME = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC ('Z')."}

SCHEMAS: JSON = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string", "examples": ["invalid", "unauthorized"]},
                    "message": {"type": "string", "description": "What to fix, for people."},
                    "fields": {
                        "type": "object",
                        "description": "Input name -> what is wrong with it; may be empty.",
                        "additionalProperties": {"type": "string"},
                    },
                },
            }
        },
    },
    "ThreadSummary": {
        "type": "object",
        "required": [
            "id",
            "title",
            "slug",
            "url",
            "author",
            "created_at",
            "last_activity_at",
            "comment_count",
            "tags",
        ],
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "title": {"type": "string"},
            "slug": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "The thread's web page."},
            "author": {"type": "string", "description": "Username."},
            "created_at": DATE_TIME,
            "last_activity_at": DATE_TIME,
            "comment_count": {"type": "integer", "description": "Published comments."},
            "tags": {"type": "array", "items": {"type": "string"}, "description": "Tag slugs."},
        },
    },
    "Thread": {
        "allOf": [
            _ref("ThreadSummary"),
            {
                "type": "object",
                "required": ["body_html"],
                "properties": {
                    "body_html": {"type": "string", "description": "Sanitised HTML."},
                },
            },
        ]
    },
    "ThreadWithComments": {
        "allOf": [
            _ref("Thread"),
            {
                "type": "object",
                "required": ["comments"],
                "properties": {
                    "comments": {
                        "type": "array",
                        "items": _ref("Comment"),
                        "description": "In tree order (depth first, siblings by number).",
                    }
                },
            },
        ]
    },
    "Comment": {
        "type": "object",
        "required": [
            "id",
            "thread_id",
            "number",
            "parent_id",
            "author",
            "created_at",
            "edited_at",
            "body_html",
            "status",
        ],
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "thread_id": {"type": "integer", "format": "int32"},
            "number": {"type": "integer", "description": "1, 2, 3... in posting order."},
            "parent_id": {"type": ["integer", "null"], "format": "int32"},
            "author": {"type": ["string", "null"], "description": "Null when deleted."},
            "created_at": DATE_TIME,
            "edited_at": {**DATE_TIME, "type": ["string", "null"]},
            "body_html": {"type": "string", "description": "Sanitised HTML; empty when deleted."},
            "status": {
                "type": "string",
                "enum": [str(status) for status in CommentStatus],
                "description": (
                    "Anonymous readers see only published and deleted comments; a token shows "
                    "its user's own held comments too, and moderators see all."
                ),
            },
        },
    },
    "HeldComment": {
        "allOf": [
            _ref("Comment"),
            {
                "type": "object",
                "required": ["matches"],
                "properties": {
                    "matches": {
                        "type": "array",
                        "description": "Why it waits: the rule matches (empty for a new account).",
                        "items": _ref("RuleMatch"),
                    }
                },
            },
        ]
    },
    "RuleMatch": {
        "type": "object",
        "required": ["rule_id", "start", "end", "explanation", "action"],
        "properties": {
            "rule_id": {"type": "string"},
            "start": {"type": "integer", "description": "Offset in the comment's source text."},
            "end": {"type": "integer"},
            "explanation": {"type": "string"},
            "action": {"type": "string", "enum": ["nudge", "flag", "hold"]},
            "sentence_start": {"type": "integer"},
            "sentence_end": {"type": "integer"},
        },
    },
    "ThreadPage": {
        "type": "object",
        "required": ["threads", "page", "per_page", "total", "next_page"],
        "properties": {
            "threads": {"type": "array", "items": _ref("ThreadSummary")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "next_page": {"type": ["integer", "null"], "description": "Null on the last page."},
        },
    },
    "Tag": {
        "type": "object",
        "required": ["slug", "name", "description", "thread_count"],
        "properties": {
            "slug": {"type": "string"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "thread_count": {"type": "integer", "minimum": 0},
        },
    },
    "TagList": {
        "type": "object",
        "required": ["tags"],
        "properties": {"tags": {"type": "array", "items": _ref("Tag")}},
    },
    "NewThread": {
        "type": "object",
        "required": ["title", "body", "tags"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "minLength": 1, "maxLength": TITLE_MAX},
            "body": {
                "type": "string",
                "minLength": 1,
                "maxLength": THREAD_BODY_MAX,
                "description": "Markdown.",
            },
            "tags": {
                "description": (
                    f"1 to {MAX_TAGS_PER_THREAD} tags, each up to {TAG_MAX_LENGTH} characters "
                    "once normalised: a list, or one comma-separated string."
                ),
                "oneOf": [
                    {
                        "type": "array",
                        "items": {"type": "string"},
                        "minItems": 1,
                    },
                    {"type": "string", "minLength": 1},
                ],
            },
        },
    },
    "NewComment": {
        "type": "object",
        "required": ["body"],
        "additionalProperties": False,
        "properties": {
            "body": {
                "type": "string",
                "minLength": 1,
                "maxLength": COMMENT_MAX,
                "description": "Markdown.",
            },
            "parent_id": {
                "type": ["integer", "null"],
                "format": "int32",
                "description": "A published comment of the same thread to reply under.",
            },
        },
    },
    "NewPromotion": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "title": {
                "type": "string",
                "maxLength": TITLE_MAX,
                "description": "Defaults to the question sentence.",
            },
            "tags": {
                "description": "Defaults to the source thread's tags.",
                "oneOf": [
                    {"type": "array", "items": {"type": "string"}, "maxItems": MAX_TAGS_PER_THREAD},
                    {"type": "string"},
                ],
            },
            "intro": {"type": "string", "description": "The promoter's own introduction."},
            "move_replies": {
                "type": "boolean",
                "default": False,
                "description": "Move the replies beneath the comment into the new thread.",
            },
        },
    },
    "Promoted": {
        "type": "object",
        "required": ["thread_id", "url"],
        "properties": {
            "thread_id": {"type": "integer", "format": "int32"},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "NewFlag": {
        "type": "object",
        "required": ["reason"],
        "additionalProperties": False,
        "properties": {
            "reason": {"type": "string", "enum": [str(reason) for reason in FlagReason]},
            "note": {
                "type": "string",
                "maxLength": FLAG_NOTE_MAX,
                "description": "What is wrong, for moderators; required for reason 'other'.",
            },
            "excerpt": {
                "type": "string",
                "maxLength": FLAG_NOTE_MAX,
                "description": "The part of the comment the reader means, quoted from it.",
            },
        },
    },
    "Flag": {
        "type": "object",
        "required": ["id", "comment_id", "reason", "created_at", "hidden"],
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "comment_id": {"type": "integer", "format": "int32"},
            "reason": {"type": "string", "enum": [str(reason) for reason in FlagReason]},
            "created_at": DATE_TIME,
            "hidden": {
                "type": "boolean",
                "description": "True when the flags now hide the comment pending review.",
            },
        },
    },
    "QueueItem": {
        "type": "object",
        "required": [
            "id",
            "comment",
            "thread",
            "source",
            "state",
            "priority",
            "created_at",
            "matches",
            "flags",
            "author_record",
        ],
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "comment": {
                "allOf": [
                    _ref("Comment"),
                    {
                        "type": "object",
                        "required": ["body"],
                        "properties": {
                            "body": {
                                "type": "string",
                                "description": "The Markdown source; match offsets index it.",
                            }
                        },
                    },
                ]
            },
            "thread": {
                "type": "object",
                "required": ["id", "title", "url"],
                "properties": {
                    "id": {"type": "integer", "format": "int32"},
                    "title": {"type": "string"},
                    "url": {"type": "string", "format": "uri", "description": "Its web page."},
                },
            },
            "source": {
                "type": "string",
                "enum": [str(source) for source in QueueSource],
                "description": "Why it is here: rules, reader flags, a new account, an appeal.",
            },
            "state": {"type": "string", "enum": [str(state) for state in QueueState]},
            "priority": {"type": "integer", "description": "Higher is more urgent."},
            "created_at": DATE_TIME,
            "matches": {"type": "array", "items": _ref("RuleMatch")},
            "flags": {
                "type": "array",
                "description": "Readers' flags, oldest first; flaggers are never named.",
                "items": {
                    "type": "object",
                    "required": ["reason", "note", "excerpt", "created_at"],
                    "additionalProperties": False,
                    "properties": {
                        "reason": {"type": "string"},
                        "note": {"type": "string", "description": "Plain text, as sent."},
                        "excerpt": {"type": "string", "description": "Plain text, as sent."},
                        "created_at": DATE_TIME,
                    },
                },
            },
            "author_record": {
                "type": "object",
                "description": "The comment author's history, for context.",
                "required": ["published", "removed", "warnings", "suspensions"],
                "properties": {
                    name: {"type": "integer", "minimum": 0}
                    for name in ("published", "removed", "warnings", "suspensions")
                },
            },
        },
    },
    "ModerationQueue": {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": _ref("QueueItem"),
                "description": "Open items in the moderator's scope, most urgent first.",
            }
        },
    },
    "Decision": {
        "type": "object",
        "required": ["decision"],
        "additionalProperties": False,
        "properties": {
            "decision": {"type": "string", "enum": ["approve", "remove"]},
            "reason": {
                "type": "string",
                "maxLength": REASON_MAX,
                "description": "Shown to the author; required to remove.",
            },
        },
    },
    "TagSubscription": {
        "type": "object",
        "required": ["tag", "name", "level", "created_at"],
        "properties": {
            "tag": {"type": "string", "description": "The tag's slug (canonical)."},
            "name": {"type": "string"},
            "level": {"type": "string", "enum": TAG_LEVELS},
            "created_at": DATE_TIME,
        },
    },
    "FollowLevel": {
        "type": "object",
        "required": ["level"],
        "additionalProperties": False,
        "properties": {
            "level": {
                "type": "string",
                "enum": TAG_LEVELS,
                "description": (
                    "new_threads: each new thread; all: new threads and every comment in them; "
                    "daily/weekly: a digest; muted: the tag's threads leave your home page."
                ),
            }
        },
    },
    "Subscriptions": {
        "type": "object",
        "required": ["tags", "threads", "auto_follow_threads"],
        "properties": {
            "tags": {"type": "array", "items": _ref("TagSubscription")},
            "threads": {
                "type": "array",
                "description": "Followed or muted threads, latest activity first.",
                "items": {
                    "type": "object",
                    "required": ["thread_id", "title", "url", "muted"],
                    "properties": {
                        "thread_id": {"type": "integer", "format": "int32"},
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "muted": {"type": "boolean"},
                    },
                },
            },
            "auto_follow_threads": {
                "type": "boolean",
                "description": "Posting in a thread follows it.",
            },
        },
    },
    "Notification": {
        "type": "object",
        "required": [
            "id",
            "kind",
            "read",
            "created_at",
            "actor",
            "thread_id",
            "thread_url",
            "comment_id",
            "comment_url",
            "note",
        ],
        "properties": {
            "id": {"type": "integer", "format": "int32"},
            "kind": {"type": "string", "enum": [str(kind) for kind in NotificationKind]},
            "read": {"type": "boolean"},
            "created_at": DATE_TIME,
            "actor": {"type": ["string", "null"], "description": "Who caused it, if anyone."},
            "thread_id": {"type": ["integer", "null"], "format": "int32"},
            "thread_url": {"type": ["string", "null"], "format": "uri"},
            "comment_id": {"type": ["integer", "null"], "format": "int32"},
            "comment_url": {"type": ["string", "null"], "format": "uri"},
            "note": {"type": "string", "description": "A moderator's line (plain text), or ''."},
        },
    },
    "NotificationPage": {
        "type": "object",
        "required": ["notifications", "page", "per_page", "total", "next_page", "unread"],
        "properties": {
            "notifications": {"type": "array", "items": _ref("Notification")},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0},
            "next_page": {"type": ["integer", "null"], "description": "Null on the last page."},
            "unread": {"type": "integer", "minimum": 0},
        },
    },
    "MarkRead": {
        "type": "object",
        "additionalProperties": False,
        "description": "Leave out ``ids`` (send {} or an empty body) to mark everything read.",
        "properties": {
            "ids": {
                "type": "array",
                "maxItems": MAX_READ_IDS,
                "items": {"type": "integer", "format": "int32"},
                "description": "Your notifications to mark read; others' ids are ignored.",
            }
        },
    },
    "Marked": {
        "type": "object",
        "required": ["marked"],
        "properties": {"marked": {"type": "integer", "minimum": 0}},
    },
}

RESPONSES: JSON = {
    "BadRequest": _json_body(
        _ref("Error"), "Malformed JSON, a body that isn't an object, a wrong type or bad page."
    ),
    "Unauthorized": {
        **_json_body(_ref("Error"), "No token (on a write), or a token that is invalid/revoked."),
        "headers": {
            "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer challenge."}
        },
    },
    "Forbidden": _json_body(
        _ref("Error"),
        "The token's user may not do this: suspended, not a moderator, or flagging their own "
        "comment.",
    ),
    "NotFound": _json_body(
        _ref("Error"),
        "No such thread, tag, published comment, or queue item in the moderator's scope.",
    ),
    "Conflict": _json_body(
        _ref("Error"), "Already done: the comment was flagged by you, or the item decided."
    ),
    "PayloadTooLarge": _json_body(_ref("Error"), "The request body is too large."),
    "Unprocessable": _json_body(
        _ref("Error"), "Well-formed input that breaks a rule; `fields` names each problem."
    ),
    "TooManyRequests": {
        **_json_body(_ref("Error"), "Rate limit reached; wait and retry."),
        "headers": {
            "Retry-After": {
                "schema": {"type": "integer", "minimum": 0},
                "description": "Seconds until the limit lets this request through again.",
            }
        },
    },
}

THREAD_ID_PARAM: JSON = {
    "name": "thread_id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "format": "int32", "minimum": 1, "maximum": ID_MAX},
}

COMMENT_ID_PARAM: JSON = {**THREAD_ID_PARAM, "name": "comment_id"}
SLUG_PARAM: JSON = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "A tag's slug; a merged tag's old slug leads to its target.",
    "schema": {"type": "string", "maxLength": TAG_MAX_LENGTH},
}
ITEM_ID_PARAM: JSON = {**THREAD_ID_PARAM, "name": "item_id"}

PATHS: JSON = {
    "/threads": {
        "get": {
            "operationId": "listThreads",
            "summary": "Threads by latest activity, one page at a time.",
            "security": OPTIONAL_AUTH,
            "parameters": [
                {
                    "name": "tag",
                    "in": "query",
                    "required": False,
                    "description": "Only threads with this tag (slug); merged tags' slugs work.",
                    "schema": {"type": "string"},
                },
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
                },
            ],
            "responses": {
                "200": _json_body(_ref("ThreadPage"), "One page of threads."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "404": _response("NotFound"),
                "429": _response("TooManyRequests"),
            },
        },
        "post": {
            "operationId": "createThread",
            "summary": "Open a thread.",
            "security": REQUIRED_AUTH,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("NewThread")}},
            },
            "responses": {
                "201": {
                    **_json_body(_ref("Thread"), "The new thread."),
                    "headers": {
                        "Location": {
                            "schema": {"type": "string", "format": "uri"},
                            "description": "The thread in this API.",
                        }
                    },
                },
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        },
    },
    "/threads/{thread_id}": {
        "get": {
            "operationId": "getThread",
            "summary": "A thread with the comments the reader may see.",
            "security": OPTIONAL_AUTH,
            "parameters": [THREAD_ID_PARAM],
            "responses": {
                "200": _json_body(_ref("ThreadWithComments"), "The thread."),
                "401": _response("Unauthorized"),
                "404": _response("NotFound"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/threads/{thread_id}/comments": {
        "post": {
            "operationId": "createComment",
            "summary": "Reply to the thread, or under one of its comments.",
            "security": REQUIRED_AUTH,
            "parameters": [THREAD_ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("NewComment")}},
            },
            "responses": {
                "201": {
                    **_json_body(_ref("Comment"), "The new comment, published."),
                    "headers": {
                        "Location": {
                            "schema": {"type": "string", "format": "uri"},
                            "description": "The comment's permalink on the site.",
                        }
                    },
                },
                "202": _json_body(
                    _ref("HeldComment"),
                    "Accepted but held for a moderator (status pending_review): visible only "
                    "to its author until approved.",
                ),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/comments/{comment_id}/flags": {
        "post": {
            "operationId": "flagComment",
            "summary": "Flag a published comment for moderators (once per reader).",
            "description": (
                "Enough flags hide the comment until a moderator decides. Authors can't flag "
                "their own comments, nor suspended accounts any; held, removed and deleted "
                "comments are not found."
            ),
            "security": REQUIRED_AUTH,
            "parameters": [COMMENT_ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("NewFlag")}},
            },
            "responses": {
                "201": _json_body(_ref("Flag"), "The flag was recorded."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "409": _response("Conflict"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/comments/{comment_id}/promote": {
        "post": {
            "operationId": "promoteComment",
            "summary": "Open a new thread from a question asked in a comment.",
            "description": (
                "For the thread's author and moderators. The new thread quotes the comment "
                "under its author's name and exact time, then the intro; the asker is told. "
                "A comment is promoted once: a second attempt is a 409 naming the thread."
            ),
            "security": REQUIRED_AUTH,
            "parameters": [COMMENT_ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("NewPromotion")}},
            },
            "responses": {
                "201": _json_body(_ref("Promoted"), "The new thread."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "409": _response("Conflict"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/moderation/queue": {
        "get": {
            "operationId": "getModerationQueue",
            "summary": "Open queue items, for moderators.",
            "description": "A moderator limited to some tags sees only items in those tags.",
            "security": REQUIRED_AUTH,
            "responses": {
                "200": _json_body(_ref("ModerationQueue"), "The open items."),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/moderation/queue/{item_id}": {
        "post": {
            "operationId": "decideQueueItem",
            "summary": "Approve or remove the comment of an open queue item.",
            "description": "Every decision is written to the moderation log.",
            "security": REQUIRED_AUTH,
            "parameters": [ITEM_ID_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("Decision")}},
            },
            "responses": {
                "200": _json_body(_ref("QueueItem"), "The item, decided."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "409": _response("Conflict"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/tags": {
        "get": {
            "operationId": "listTags",
            "summary": "Canonical tags, busiest first.",
            "security": OPTIONAL_AUTH,
            "responses": {
                "200": _json_body(_ref("TagList"), "All canonical tags."),
                "401": _response("Unauthorized"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/tags/{slug}/subscription": {
        "put": {
            "operationId": "followTag",
            "summary": "Follow a tag at a level, or change the level.",
            "description": "A merged tag's old slug follows the tag it was merged into.",
            "security": REQUIRED_AUTH,
            "parameters": [SLUG_PARAM],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("FollowLevel")}},
            },
            "responses": {
                "200": _json_body(_ref("TagSubscription"), "The subscription."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        },
        "delete": {
            "operationId": "unfollowTag",
            "summary": "Stop following (or unmute) a tag.",
            "description": "204 whether or not the tag was followed. No body is needed.",
            "security": REQUIRED_AUTH,
            "parameters": [SLUG_PARAM],
            "responses": {
                "204": {"description": "Not followed (any more)."},
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "404": _response("NotFound"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        },
    },
    "/subscriptions": {
        "get": {
            "operationId": "listSubscriptions",
            "summary": "The tags and threads you follow (token required).",
            "description": "Private to the token's user: without a token the answer is 401.",
            "security": REQUIRED_AUTH,
            "responses": {
                "200": _json_body(_ref("Subscriptions"), "What you follow."),
                "401": _response("Unauthorized"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/notifications": {
        "get": {
            "operationId": "listNotifications",
            "summary": "Your notifications, newest first (token required).",
            "description": "Private to the token's user: without a token the answer is 401.",
            "security": REQUIRED_AUTH,
            "parameters": [
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "integer", "minimum": 1, "maximum": PAGE_MAX, "default": 1},
                }
            ],
            "responses": {
                "200": _json_body(_ref("NotificationPage"), "One page of notifications."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/notifications/read": {
        "post": {
            "operationId": "markNotificationsRead",
            "summary": "Mark some of your notifications read, or all of them.",
            "security": REQUIRED_AUTH,
            "requestBody": {
                "required": False,
                "description": "{} or no body marks all.",
                "content": {"application/json": {"schema": _ref("MarkRead")}},
            },
            "responses": {
                "200": _json_body(_ref("Marked"), "How many were unread and are now read."),
                "400": _response("BadRequest"),
                "401": _response("Unauthorized"),
                "403": _response("Forbidden"),
                "413": _response("PayloadTooLarge"),
                "422": _response("Unprocessable"),
                "429": _response("TooManyRequests"),
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document.",
            "security": OPTIONAL_AUTH,
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document.",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "401": _response("Unauthorized"),
                "429": _response("TooManyRequests"),
            },
        }
    },
}


def build_document(*, server_url: str) -> JSON:
    """The whole document; ``server_url`` is where the API is mounted (e.g. "/api/v1")."""
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
        "paths": PATHS,
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal access token (starts with 'fat_').",
                }
            },
        },
    }


# --- search (issue 6) -------------------------------------------------------------------------

from forum.search.rules import COUNT_CAP, MAX_PAGE, PAGE_SIZE, QUERY_MAX, QUERY_MIN  # noqa: E402

SCHEMAS["SearchResult"] = {
    "type": "object",
    "required": [
        "type",
        "thread_id",
        "comment_id",
        "number",
        "title",
        "author",
        "created_at",
        "url",
        "tags",
        "snippet",
    ],
    "properties": {
        "type": {"type": "string", "enum": ["thread", "comment"]},
        "thread_id": {"type": "integer", "format": "int32"},
        "comment_id": {
            "type": ["integer", "null"],
            "format": "int32",
            "description": "Null for threads.",
        },
        "number": {
            "type": ["integer", "null"],
            "description": "The comment's number in its thread.",
        },
        "title": {
            "type": "string",
            "description": "The thread's title (for a comment, its thread's).",
        },
        "author": {"type": "string", "description": "Who wrote the thread or comment."},
        "created_at": DATE_TIME,
        "url": {
            "type": "string",
            "format": "uri",
            "description": "The thread page; for a comment, with its #cN anchor.",
        },
        "tags": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Thread's tag slugs.",
        },
        "snippet": {
            "type": "array",
            "description": (
                "The text around the matches, in order, as plain-text pieces (never HTML: "
                "escape `text` when you display it). Pieces with `match` true are the matches."
            ),
            "items": {
                "type": "object",
                "required": ["text", "match"],
                "properties": {"text": {"type": "string"}, "match": {"type": "boolean"}},
            },
        },
    },
}
SCHEMAS["SearchPage"] = {
    "type": "object",
    "required": [
        "query",
        "results",
        "total",
        "total_is_capped",
        "page",
        "per_page",
        "next_page",
        "message",
    ],
    "properties": {
        "query": {"type": "string", "description": "The query as normalised and searched."},
        "results": {"type": "array", "items": _ref("SearchResult"), "description": "Best first."},
        "total": {"type": "integer", "minimum": 0, "maximum": COUNT_CAP},
        "total_is_capped": {
            "type": "boolean",
            "description": f"More than {COUNT_CAP:,} matches: show '{COUNT_CAP:,}+'.",
        },
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        "per_page": {"type": "integer", "minimum": 1},
        "next_page": {"type": ["integer", "null"], "description": "Null on the last page."},
        "message": {
            "type": ["string", "null"],
            "description": (
                "Why there are no results when the query couldn't run: too short, no words, "
                "an unknown tag or author. Null otherwise."
            ),
        },
    },
}
PATHS["/search"] = {
    "get": {
        "operationId": "search",
        "summary": "Search threads and published comments, best match first.",
        "description": (
            "Every word must appear; accents and case are ignored; end the last word with `*` "
            "to match its beginning. Quotes, operators and punctuation are treated as spaces, "
            "so no query is an error: one that can't run answers 200 with no results and a "
            "`message`. Held, removed and deleted comments are never included."
        ),
        "security": OPTIONAL_AUTH,
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "required": True,
                "description": f"The words to find ({QUERY_MIN} to {QUERY_MAX} characters).",
                "schema": {"type": "string", "maxLength": QUERY_MAX},
            },
            {
                "name": "tag",
                "in": "query",
                "required": False,
                "description": "Only in threads with this tag (slug); merged tags' slugs work.",
                "schema": {"type": "string"},
            },
            {
                "name": "author",
                "in": "query",
                "required": False,
                "description": "Only what this username wrote.",
                "schema": {"type": "string"},
            },
            {
                "name": "page",
                "in": "query",
                "required": False,
                "description": f"{PAGE_SIZE} a page; past page {MAX_PAGE}, narrow the query.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
        ],
        "responses": {
            "200": _json_body(_ref("SearchPage"), "One page of results."),
            "400": _response("BadRequest"),
            "401": _response("Unauthorized"),
            "429": _response("TooManyRequests"),
        },
    }
}


# --- account (issue 7) ------------------------------------------------------------------------

_NULLABLE_TIME = {**DATE_TIME, "type": ["string", "null"]}


def _object(properties: JSON) -> JSON:
    """An object with exactly these properties, all present."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _list_of(properties: JSON) -> JSON:
    return {"type": "array", "items": _object(properties)}


_STRING = {"type": "string"}
_NULLABLE_STRING = {"type": ["string", "null"]}
_ID = {"type": "integer", "format": "int32"}
_NULLABLE_ID = {"type": ["integer", "null"], "format": "int32"}

SCHEMAS["AccountExport"] = _object(
    {
        "format": {"type": "string", "enum": ["forum-account-export/1"]},
        "exported_at": DATE_TIME,
        "profile": _object(
            {
                "username": _STRING,
                "email": _NULLABLE_STRING,
                "email_verified_at": _NULLABLE_TIME,
                "email_notifications": {"type": "boolean"},
                "mail_subject_details": {"type": "boolean"},
                "auto_follow_threads": {"type": "boolean"},
                "role": _STRING,
                "suspended_until": _NULLABLE_TIME,
                "created_at": DATE_TIME,
            }
        ),
        "threads": _list_of(
            {
                "id": _ID,
                "title": _STRING,
                "status": {"type": "string", "enum": [str(s) for s in CommentStatus]},
                "body": {"type": "string", "description": "Markdown source."},
                "tags": {"type": "array", "items": _STRING},
                "removal_reason": _STRING,
                "created_at": DATE_TIME,
                "edited_at": _NULLABLE_TIME,
                "earlier_versions": _list_of(
                    {
                        "title": _STRING,
                        "body": _STRING,
                        "tags": {"type": "array", "items": _STRING},
                        "replaced_at": DATE_TIME,
                    }
                ),
            }
        ),
        "comments": _list_of(
            {
                "id": _ID,
                "thread_id": _ID,
                "number": {"type": "integer"},
                "parent_id": _NULLABLE_ID,
                "status": {"type": "string", "enum": [str(s) for s in CommentStatus]},
                "body": {"type": "string", "description": "Markdown source."},
                "removal_reason": _STRING,
                "created_at": DATE_TIME,
                "edited_at": _NULLABLE_TIME,
                "earlier_versions": _list_of({"body": _STRING, "replaced_at": DATE_TIME}),
            }
        ),
        "ignoring": {
            "type": "array",
            "items": _STRING,
            "description": "Names of the people you ignore (they are never told).",
        },
        "flags": _list_of(
            {
                "thread_id": _ID,
                "comment_id": {**_NULLABLE_ID, "description": "Null: the opening post."},
                "reason": {"type": "string", "enum": [str(r) for r in FlagReason]},
                "note": _STRING,
                "excerpt": _STRING,
                "outcome": _NULLABLE_STRING,
                "created_at": DATE_TIME,
            }
        ),
        "subscriptions": _object(
            {
                "tags": _list_of(
                    {
                        "tag": _STRING,
                        "level": {"type": "string", "enum": TAG_LEVELS},
                        "since": DATE_TIME,
                    }
                ),
                "threads": _list_of(
                    {
                        "thread_id": _ID,
                        "title": _STRING,
                        "muted": {"type": "boolean"},
                        "since": DATE_TIME,
                    }
                ),
            }
        ),
        "notifications": _list_of(
            {
                "kind": {"type": "string", "enum": [str(k) for k in NotificationKind]},
                "actor": _NULLABLE_STRING,
                "thread_id": _NULLABLE_ID,
                "comment_id": _NULLABLE_ID,
                "note": _STRING,
                "created_at": DATE_TIME,
                "read_at": _NULLABLE_TIME,
            }
        ),
        "api_tokens": _list_of(
            {
                "name": _STRING,
                "created_at": DATE_TIME,
                "last_used_at": _NULLABLE_TIME,
                "revoked_at": _NULLABLE_TIME,
            }
        ),
        "moderation_record": _list_of(
            {"action": _STRING, "reason": _STRING, "created_at": DATE_TIME}
        ),
    }
)
PATHS["/me/export"] = {
    "get": {
        "operationId": "exportMe",
        "summary": "Everything your account holds, as one JSON document (token required).",
        "description": (
            "Your profile and settings, what you wrote (Markdown source, with earlier "
            "versions), your flags, follows, notifications, API token names and times, and the "
            "moderation decisions about you. Other people appear by public name only. The same "
            "file the account settings page downloads."
        ),
        "security": REQUIRED_AUTH,
        "responses": {
            "200": _json_body(_ref("AccountExport"), "Your data."),
            "401": _response("Unauthorized"),
            "429": _response("TooManyRequests"),
        },
    }
}


# --- threads under moderation, edits and deletions (issue 12) ---------------------------------

from forum.moderation.policy import REMOVAL_CATEGORIES  # noqa: E402

_summary = SCHEMAS["ThreadSummary"]
_summary["required"] += ["status", "locked", "lock_reason"]
_summary["properties"].update(
    {
        "author": {"type": ["string", "null"], "description": "Username; null when deleted."},
        "status": {
            "type": "string",
            "enum": [str(status) for status in CommentStatus],
            "description": (
                "The opening post's: a held or removed thread is shown only to its author and "
                "moderators; a deleted one keeps its replies under an empty opening post."
            ),
        },
        "locked": {"type": "boolean", "description": "No new replies (moderators excepted)."},
        "lock_reason": {"type": "string", "description": "Why it is locked; empty if not."},
    }
)
_thread_body = SCHEMAS["Thread"]["allOf"][1]
_thread_body["required"].append("edited_at")
_thread_body["properties"]["edited_at"] = {**DATE_TIME, "type": ["string", "null"]}

SCHEMAS["HeldThread"] = {
    "allOf": [
        _ref("Thread"),
        {
            "type": "object",
            "required": ["matches"],
            "properties": {
                "matches": {
                    "type": "array",
                    "description": (
                        "Why it waits: the rule matches (empty for a new account). Offsets "
                        "index the title, a blank line, then the body."
                    ),
                    "items": _ref("RuleMatch"),
                }
            },
        },
    ]
}
SCHEMAS["ThreadEdit"] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "description": "Any of the new thread's fields; those left out stay as they are.",
    "properties": SCHEMAS["NewThread"]["properties"],
}
SCHEMAS["CommentEdit"] = {
    "type": "object",
    "required": ["body"],
    "additionalProperties": False,
    "properties": {"body": SCHEMAS["NewComment"]["properties"]["body"]},
}
_flag = SCHEMAS["Flag"]
_flag["required"].append("thread_id")
_flag["properties"]["thread_id"] = {"type": "integer", "format": "int32"}
_flag["properties"]["comment_id"] = {
    "type": ["integer", "null"],
    "format": "int32",
    "description": "Null for a flag on the thread's opening post.",
}
_item = SCHEMAS["QueueItem"]
_item["required"].append("kind")
_item["properties"]["kind"] = {
    "type": "string",
    "enum": ["comment", "thread"],
    "description": "What the item is about: a comment, or the thread's title and opening post.",
}
_item["properties"]["comment"] = {
    "oneOf": [_item["properties"]["comment"], {"type": "null"}],
    "description": "Null when the item is about the thread's opening post.",
}
_item["properties"]["thread"]["properties"].update(
    {
        "status": {"type": "string", "enum": [str(status) for status in CommentStatus]},
        "body": {
            "type": "string",
            "description": "For a thread item: the opening post's Markdown source.",
        },
    }
)
SCHEMAS["Decision"]["properties"].update(
    {
        "category": {
            "type": "string",
            "enum": list(REMOVAL_CATEGORIES),
            "description": (
                "What every reader sees of a removal ('#12 removed by a moderator: personal "
                "attack'); defaults to the likeliest from the rules and flags."
            ),
        },
        "override": {
            "type": "boolean",
            "default": False,
            "description": (
                "Admins only: decide although they take part in the thread (logged). Other "
                "moderators who take part get a 403 saying someone else must decide."
            ),
        },
    }
)

_WRITE_ERRORS: JSON = {
    "400": _response("BadRequest"),
    "401": _response("Unauthorized"),
    "403": _response("Forbidden"),
    "404": _response("NotFound"),
    "413": _response("PayloadTooLarge"),
    "422": _response("Unprocessable"),
    "429": _response("TooManyRequests"),
}
_DELETE_ERRORS: JSON = {
    "401": _response("Unauthorized"),
    "403": _response("Forbidden"),
    "404": _response("NotFound"),
    "429": _response("TooManyRequests"),
}

PATHS["/threads"]["post"]["description"] = (
    "The title and body are screened like a reply; an API client has no nudge to answer, so "
    "a rule match counts as posted anyway: published and queued for a moderator, or held "
    "(202). A new account's first threads wait too."
)
PATHS["/threads"]["post"]["responses"]["202"] = _json_body(
    _ref("HeldThread"),
    "Accepted but held for a moderator (status pending_review): visible only to its author "
    "until approved, which announces it as if just posted.",
)
PATHS["/threads/{thread_id}"]["patch"] = {
    "operationId": "editThread",
    "summary": "Change a thread's title, body or tags (its author, or a moderator).",
    "description": (
        "The earlier version is kept (the site's /threads/{id}/history). The author's edit is "
        "screened like a new thread: a rule match is queued, or holds the thread (202)."
    ),
    "security": REQUIRED_AUTH,
    "parameters": [THREAD_ID_PARAM],
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": _ref("ThreadEdit")}},
    },
    "responses": {
        "200": _json_body(_ref("Thread"), "The thread as edited."),
        "202": _json_body(_ref("HeldThread"), "Saved, and held for a moderator."),
        **_WRITE_ERRORS,
    },
}
PATHS["/threads/{thread_id}"]["delete"] = {
    "operationId": "deleteThread",
    "summary": "Delete your thread's opening post; its replies stay under '[deleted]'.",
    "security": REQUIRED_AUTH,
    "parameters": [THREAD_ID_PARAM],
    "responses": {"204": {"description": "Deleted."}, **_DELETE_ERRORS},
}
PATHS["/threads/{thread_id}/flags"] = {
    "post": {
        "operationId": "flagThread",
        "summary": "Flag a thread's title and opening post for moderators (once per reader).",
        "description": (
            "As a comment's flag: enough counted flags hide the thread until a moderator "
            "decides. Flags from accounts younger than FORUM_FLAG_MIN_ACCOUNT_DAYS or with no "
            "published post reach the queue but never count toward hiding."
        ),
        "security": REQUIRED_AUTH,
        "parameters": [THREAD_ID_PARAM],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref("NewFlag")}},
        },
        "responses": {
            "201": _json_body(_ref("Flag"), "The flag was recorded."),
            "409": _response("Conflict"),
            **_WRITE_ERRORS,
        },
    }
}
PATHS["/comments/{comment_id}"] = {
    "patch": {
        "operationId": "editComment",
        "summary": "Replace a comment's text (its author, or a moderator).",
        "description": (
            "The earlier text is kept (the site's /comments/{id}/history). The author's edit is "
            "screened like a new comment: a rule match is queued, or holds the comment (202)."
        ),
        "security": REQUIRED_AUTH,
        "parameters": [COMMENT_ID_PARAM],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref("CommentEdit")}},
        },
        "responses": {
            "200": _json_body(_ref("Comment"), "The comment as edited."),
            "202": _json_body(_ref("HeldComment"), "Saved, and held for a moderator."),
            **_WRITE_ERRORS,
        },
    },
    "delete": {
        "operationId": "deleteComment",
        "summary": "Delete your comment; its replies keep their place under '[deleted]'.",
        "security": REQUIRED_AUTH,
        "parameters": [COMMENT_ID_PARAM],
        "responses": {"204": {"description": "Deleted."}, **_DELETE_ERRORS},
    },
}
