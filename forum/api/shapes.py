"""The API's request and response shapes, declared once as pydantic models.

Routes read every request body through :func:`read`, so what they accept is what the
document says; :mod:`forum.api.openapi` publishes these models as ``components.schemas``
(pydantic writes JSON Schema 2020-12, the dialect of OpenAPI 3.1, so nothing is translated).
Responses are still built as plain dicts by :mod:`forum.api.schemas`, which keeps the list
endpoints fast; tests validate real responses against these models so the two can't drift.

A body model checks JSON types and unknown fields (a 400). Lengths and allowed values are
documented here from the rules' own constants but checked by the services, on the cleaned
text they store: their 422 names each field in the words the site's forms use, and a
missing field is read as empty so that it is reported with the others. A test probes each
documented limit against the service, so the document can't promise another one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from forum.account.service import EXPORT_FORMAT
from forum.converters import ID_MAX
from forum.errors import ForumError
from forum.models import (
    CommentStatus,
    FlagReason,
    NotificationKind,
    QueueSource,
    QueueState,
    TagLevel,
)
from forum.moderation.policy import FLAG_NOTE_MAX, REASON_MAX, REMOVAL_CATEGORIES
from forum.moderation.rules import ACTIONS, RULE_ACTIONS
from forum.search.rules import COUNT_CAP, MAX_PAGE
from forum.tags.rules import MAX_TAGS_PER_THREAD, TAG_MAX_LENGTH
from forum.threads.promotion import INTRO_MAX
from forum.threads.rules import COMMENT_MAX, THREAD_BODY_MAX, TITLE_MAX

# The API offers the two decisions a client can make from the item alone; the site's
# edit-and-approve and dismiss stay on the moderator pages.
API_DECISIONS = ("approve", "remove")
# One request marks at most a page's worth or so; "all" is the empty body.
MAX_READ_IDS = 500


class SchemaGenerator(GenerateJsonSchema):
    """Pydantic's JSON Schema, as a reader of the document wants it: no titles repeating
    the names, and ``["integer", "null"]`` rather than an ``anyOf`` for a nullable value."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False

    def generate_definitions(self, inputs: Any) -> Any:
        mapping, definitions = super().generate_definitions(inputs)
        for definition in definitions.values():
            definition.pop("title", None)
        return mapping, definitions

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str):
            return {**inner, "type": [inner["type"], "null"]}
        return {"oneOf": [inner, {"type": "null"}]}


class Presence(enum.Enum):
    """How a field's presence is documented, where its default would say otherwise."""

    # Required by the document, though a missing one is read as empty so that the service
    # reports it with the other fields.
    EXPECTED = "expected"
    # May be left out, but is never null (None stands for "left out" here); no default is
    # shown, as it means nothing to a client (a missing title keeps the old one).
    OMITTABLE = "omittable"


EXPECTED, OMITTABLE = Presence.EXPECTED, Presence.OMITTABLE


def _document_presence(schema: dict[str, Any], model: type[BaseModel]) -> None:
    expected = []
    for name, field in model.model_fields.items():
        presence = next((item for item in field.metadata if isinstance(item, Presence)), None)
        if presence is None:
            continue
        documented = schema["properties"][name]
        documented.pop("default", None)
        if presence is EXPECTED:
            expected.append(name)
        elif isinstance(documented.get("type"), list):
            documented["type"] = documented["type"][0]
        elif "oneOf" in documented:
            documented.update(documented.pop("oneOf")[0])
    if expected:
        schema["required"] = expected


class Shape(BaseModel):
    """Any of the API's objects; extra keys may appear in answers as the API grows."""

    model_config = ConfigDict(json_schema_extra=_document_presence)


def ruled(description: str | None = None, **rules: Any) -> Any:
    """Rules a service checks (``maxLength``, ``enum``...), in JSON Schema's spelling: shown
    in the document, not enforced here (see the module docstring)."""
    return Field(description=description, json_schema_extra=rules)


# --- request bodies ---------------------------------------------------------------------------


def json_type(value: object) -> str:
    """A JSON value's type as a person would name it, for error messages."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


@dataclass(frozen=True)
class Expect:
    """What a body field must hold, said in the 400 when a request sends something else."""

    what: str
    name_the_type: bool = True

    def problem(self, value: object) -> str:
        if self.name_the_type:
            return f"must be {self.what}, not {json_type(value)}"
        return f"must be {self.what}"


class Body(Shape):
    """A request body: JSON types as sent (no coercion of "1" or 1 to true), no other keys."""

    model_config = ConfigDict(strict=True, extra="forbid")


def _at_least_one(schema: dict[str, Any], model: type[BaseModel]) -> None:
    _document_presence(schema, model)
    schema["minProperties"] = 1


Text = Annotated[str, Expect("a string")]
Title = Annotated[Text, ruled(minLength=1, maxLength=TITLE_MAX)]
Switch = Annotated[bool, Expect("true or false")]
Tags = Annotated[
    Annotated[list[str], Field(json_schema_extra={"minItems": 1, "maxItems": MAX_TAGS_PER_THREAD})]
    | Annotated[str, Field(json_schema_extra={"minLength": 1})],
    Expect("a list of strings or a comma-separated string", name_the_type=False),
    Field(
        description=(
            f"1 to {MAX_TAGS_PER_THREAD} tags, each up to {TAG_MAX_LENGTH} characters once "
            "normalised: a list, or one comma-separated string."
        )
    ),
]


ThreadBody = Annotated[Text, ruled("Markdown.", minLength=1, maxLength=THREAD_BODY_MAX)]
CommentBody = Annotated[Text, ruled("Markdown.", minLength=1, maxLength=COMMENT_MAX)]


class NewThread(Body):
    title: Annotated[Title, EXPECTED] = ""
    body: Annotated[ThreadBody, EXPECTED] = ""
    tags: Annotated[Tags, EXPECTED] = ""


class ThreadEdit(Body):
    """Any of the new thread's fields; those left out stay as they are."""

    model_config = ConfigDict(json_schema_extra=_at_least_one)

    title: Annotated[Title, OMITTABLE] = ""
    body: Annotated[ThreadBody, OMITTABLE] = ""
    tags: Annotated[Tags, OMITTABLE] = ""


class NewComment(Body):
    body: Annotated[CommentBody, EXPECTED] = ""
    parent_id: Annotated[int | None, Expect("a comment id (an integer) or null")] = Field(
        None,
        description="A published comment of the same thread to reply under.",
        json_schema_extra={"format": "int32"},
    )


class CommentEdit(Body):
    body: Annotated[CommentBody, EXPECTED] = ""


class NewFlag(Body):
    reason: Annotated[Text, EXPECTED, ruled(enum=[str(reason) for reason in FlagReason])] = ""
    note: Annotated[
        Text,
        ruled(
            "What is wrong, for moderators; required for reason 'other'.", maxLength=FLAG_NOTE_MAX
        ),
    ] = ""
    excerpt: Annotated[
        Text,
        ruled("The part of the comment the reader means, quoted from it.", maxLength=FLAG_NOTE_MAX),
    ] = ""


class NewPromotion(Body):
    title: Annotated[
        Text, OMITTABLE, ruled("Defaults to the question sentence.", maxLength=TITLE_MAX)
    ] = ""
    tags: Annotated[Tags, OMITTABLE] = Field(
        "", description="Defaults to the source thread's tags."
    )
    intro: Annotated[Text, ruled("The promoter's own introduction.", maxLength=INTRO_MAX)] = ""
    move_replies: Switch = Field(
        False, description="Move the replies beneath the comment into the new thread."
    )


class Decision(Body):
    decision: Annotated[Text, EXPECTED, ruled(enum=list(API_DECISIONS))] = ""
    reason: Annotated[
        Text, ruled("Shown to the author; required to remove.", maxLength=REASON_MAX)
    ] = ""
    category: Annotated[
        Text,
        OMITTABLE,
        ruled(
            "What every reader sees of a removal ('#12 removed by a moderator: personal "
            "attack'); defaults to the likeliest from the rules and flags.",
            enum=list(REMOVAL_CATEGORIES),
        ),
    ] = ""
    override: Switch = Field(
        False,
        description=(
            "Admins only: decide although they take part in the thread (logged). Other "
            "moderators who take part get a 403 saying someone else must decide."
        ),
    )


class FollowLevel(Body):
    level: Annotated[
        Text,
        EXPECTED,
        ruled(
            "new_threads: each new thread; all: new threads and every comment in them; "
            "daily/weekly: a digest; muted: the tag's threads leave your home page.",
            enum=[str(level) for level in TagLevel],
        ),
    ] = ""


NotificationIds = Annotated[
    list[Annotated[int, Field(ge=1, le=ID_MAX, json_schema_extra={"format": "int32"})]],
    Field(max_length=MAX_READ_IDS),
]


class MarkRead(Body):
    """Leave out ``ids`` (send {} or an empty body) to mark everything read."""

    ids: Annotated[
        NotificationIds | None,
        Expect(
            f"a list of at most {MAX_READ_IDS} notification ids (integers from 1 to {ID_MAX})",
            name_the_type=False,
        ),
        OMITTABLE,
    ] = Field(None, description="Your notifications to mark read; others' ids are ignored.")


B = TypeVar("B", bound=Body)


def read(model: type[B], data: dict[str, Any]) -> B:
    """``data`` as ``model``, or a 400 naming each field that is unknown or of the wrong type."""
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = exc.errors()
    unknown = sorted({str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden"})
    if unknown:
        expected = ", ".join(sorted(model.model_fields))
        raise ForumError(
            f"Unknown field(s): {', '.join(unknown)}. Expected: {expected}.",
            fields={name: "unknown field" for name in unknown},
        )
    wrong = {str(e["loc"][0]) for e in errors}
    fields = {
        name: _expectation(field.metadata).problem(data[name])
        for name, field in model.model_fields.items()
        if name in wrong
    }
    message = " ".join(f"'{name}' {problem}." for name, problem in fields.items())
    raise ForumError(message, fields=fields)


def _expectation(metadata: list[Any]) -> Expect:
    return next(item for item in metadata if isinstance(item, Expect))


# --- responses --------------------------------------------------------------------------------

Id = Annotated[int, Field(json_schema_extra={"format": "int32"})]
Url = Annotated[str, Field(json_schema_extra={"format": "uri"})]
Time = Annotated[datetime, Field(description="ISO 8601, UTC ('Z').")]
MaybeTime = Annotated[datetime | None, Field(description="ISO 8601, UTC ('Z').")]
Count = Annotated[int, Field(ge=0)]
Slugs = Annotated[list[str], Field(description="Tag slugs.")]
NEXT_PAGE = "Null on the last page."


class ErrorDetail(Shape):
    code: str = Field(examples=["invalid", "unauthorized"])
    message: str = Field(description="What to fix, for people.")
    fields: dict[str, str] = Field(description="Input name -> what is wrong with it; may be empty.")


class Error(Shape):
    """Every error answer: a code for programs, a message for people, and the fields to fix."""

    # Shown inline, so a reader sees the whole error in one place (a plain dict here, or
    # pydantic would publish ErrorDetail as a schema of its own too).
    error: Annotated[
        dict[str, Any],
        WithJsonSchema(ErrorDetail.model_json_schema(schema_generator=SchemaGenerator)),
    ]


class ThreadSummary(Shape):
    """A thread as listings show it."""

    id: Id
    title: str
    slug: str
    url: Url = Field(description="The thread's web page.")
    author: str | None = Field(description="Username; null when deleted.")
    created_at: Time
    last_activity_at: Time
    comment_count: int = Field(description="Published comments.")
    tags: Slugs
    status: CommentStatus = Field(
        description=(
            "The opening post's: a held or removed thread is shown only to its author and "
            "moderators; a deleted one keeps its replies under an empty opening post."
        )
    )
    locked: bool = Field(description="No new replies (moderators excepted).")
    lock_reason: str = Field(description="Why it is locked; empty if not.")


class Thread(ThreadSummary):
    body_html: str = Field(description="Sanitised HTML.")
    edited_at: MaybeTime


class RuleMatch(Shape):
    """Where a moderation rule fired; offsets index the post's source text."""

    rule_id: str
    start: int = Field(description="Offset in the comment's source text.")
    end: int
    explanation: str
    action: Annotated[str, ruled(enum=[name for name in ACTIONS if name in RULE_ACTIONS])]
    sentence_start: Annotated[int | None, OMITTABLE] = None
    sentence_end: Annotated[int | None, OMITTABLE] = None


class HeldThread(Thread):
    matches: list[RuleMatch] = Field(
        description=(
            "Why it waits: the rule matches (empty for a new account). Offsets index the "
            "title, a blank line, then the body."
        )
    )


class Comment(Shape):
    id: Id
    thread_id: Id
    number: int = Field(description="1, 2, 3... in posting order.")
    parent_id: Id | None
    author: str | None = Field(description="Null when deleted.")
    created_at: Time
    edited_at: MaybeTime
    body_html: str = Field(description="Sanitised HTML; empty when deleted.")
    status: CommentStatus = Field(
        description=(
            "Anonymous readers see only published and deleted comments; a token shows its "
            "user's own held comments too, and moderators see all."
        )
    )


class HeldComment(Comment):
    matches: list[RuleMatch] = Field(
        description="Why it waits: the rule matches (empty for a new account)."
    )


class ThreadWithComments(Thread):
    comments: list[Comment] = Field(description="In tree order (depth first, siblings by number).")


class Page(Shape):
    page: int = Field(ge=1)
    per_page: int = Field(ge=1)
    total: Count
    next_page: int | None = Field(description=NEXT_PAGE)


class ThreadPage(Page):
    threads: list[ThreadSummary]


class Tag(Shape):
    slug: str
    name: str
    description: str
    thread_count: Count


class TagList(Shape):
    tags: list[Tag]


class Promoted(Shape):
    thread_id: Id
    url: Url


class Flag(Shape):
    id: Id
    thread_id: Id
    comment_id: Id | None = Field(description="Null for a flag on the thread's opening post.")
    reason: FlagReason
    created_at: Time
    hidden: bool = Field(description="True when the flags now hide the post pending review.")


class CommentSource(Comment):
    body: str = Field(description="The Markdown source; match offsets index it.")


class QueueThread(Shape):
    id: Id
    title: str
    url: Url = Field(description="Its web page.")
    status: Annotated[CommentStatus | None, OMITTABLE] = None
    body: Annotated[str | None, OMITTABLE] = Field(
        None, description="For a thread item: the opening post's Markdown source."
    )


class ReaderFlag(Shape):
    """A reader's flag as moderators see it: what was said, never who said it."""

    model_config = ConfigDict(extra="forbid")

    reason: FlagReason
    note: str = Field(description="Plain text, as sent.")
    excerpt: str = Field(description="Plain text, as sent.")
    created_at: Time


class AuthorRecord(Shape):
    """The author's history, for context."""

    published: Count
    removed: Count
    warnings: Count
    suspensions: Count


class QueueItem(Shape):
    id: Id
    kind: Literal["comment", "thread"] = Field(
        description="What the item is about: a comment, or the thread's title and opening post."
    )
    comment: CommentSource | None = Field(
        description="Null when the item is about the thread's opening post."
    )
    thread: QueueThread
    source: QueueSource = Field(
        description="Why it is here: rules, reader flags, a new account, an appeal."
    )
    state: QueueState
    priority: int = Field(description="Higher is more urgent.")
    created_at: Time
    matches: list[RuleMatch]
    flags: list[ReaderFlag] = Field(
        description="Readers' flags, oldest first; flaggers are never named."
    )
    author_record: AuthorRecord


class ModerationQueue(Shape):
    items: list[QueueItem] = Field(
        description="Open items in the moderator's scope, most urgent first."
    )


class TagSubscription(Shape):
    tag: str = Field(description="The tag's slug (canonical).")
    name: str
    level: TagLevel
    created_at: Time


class ThreadSubscription(Shape):
    thread_id: Id
    title: str
    url: Url
    muted: bool


class Subscriptions(Shape):
    tags: list[TagSubscription]
    threads: list[ThreadSubscription] = Field(
        description="Followed or muted threads, latest activity first."
    )
    auto_follow_threads: bool = Field(description="Posting in a thread follows it.")


class Notification(Shape):
    id: Id
    kind: NotificationKind
    read: bool
    created_at: Time
    actor: str | None = Field(description="Who caused it, if anyone.")
    thread_id: Id | None
    thread_url: Url | None
    comment_id: Id | None
    comment_url: Url | None
    note: str = Field(description="A moderator's line (plain text), or ''.")


class NotificationPage(Page):
    notifications: list[Notification]
    unread: Count


class Marked(Shape):
    marked: Count


class SnippetPiece(Shape):
    text: str
    match: bool


class SearchResult(Shape):
    type: Literal["thread", "comment"]
    thread_id: Id
    comment_id: Id | None = Field(description="Null for threads.")
    number: int | None = Field(description="The comment's number in its thread.")
    title: str = Field(description="The thread's title (for a comment, its thread's).")
    author: str = Field(description="Who wrote the thread or comment.")
    created_at: Time
    url: Url = Field(description="The thread page; for a comment, with its #cN anchor.")
    tags: Slugs
    snippet: list[SnippetPiece] = Field(
        description=(
            "The text around the matches, in order, as plain-text pieces (never HTML: escape "
            "`text` when you display it). Pieces with `match` true are the matches."
        )
    )


class SearchPage(Shape):
    query: str = Field(description="The query as normalised and searched.")
    results: list[SearchResult] = Field(description="Best first.")
    total: int = Field(ge=0, le=COUNT_CAP)
    total_is_capped: bool = Field(
        description=f"More than {COUNT_CAP:,} matches: show '{COUNT_CAP:,}+'."
    )
    page: int = Field(ge=1, le=MAX_PAGE)
    per_page: int = Field(ge=1)
    next_page: int | None = Field(description=NEXT_PAGE)
    message: str | None = Field(
        description=(
            "Why there are no results when the query couldn't run: too short, no words, an "
            "unknown tag or author. Null otherwise."
        )
    )
    did_you_mean: str | None = Field(
        description=(
            "When the first page finds nothing: a corrected query, from words the forum's "
            "posts use, that finds something. Null otherwise."
        )
    )


# --- the account export: every object closed, so nothing leaks into it unnoticed -----------


class Closed(Shape):
    model_config = ConfigDict(extra="forbid")


Markdown = Annotated[str, Field(description="Markdown source.")]


class ExportProfile(Closed):
    username: str
    email: str | None
    email_verified_at: MaybeTime
    email_notifications: bool
    mail_subject_details: bool
    auto_follow_threads: bool
    role: str
    suspended_until: MaybeTime
    created_at: Time


class ExportThreadVersion(Closed):
    title: str
    body: str
    tags: list[str]
    replaced_at: Time


class ExportThread(Closed):
    id: Id
    title: str
    status: CommentStatus
    body: Markdown
    tags: list[str]
    removal_reason: str
    created_at: Time
    edited_at: MaybeTime
    earlier_versions: list[ExportThreadVersion]


class ExportCommentVersion(Closed):
    body: str
    replaced_at: Time


class ExportComment(Closed):
    id: Id
    thread_id: Id
    number: int
    parent_id: Id | None
    status: CommentStatus
    body: Markdown
    removal_reason: str
    created_at: Time
    edited_at: MaybeTime
    earlier_versions: list[ExportCommentVersion]


class ExportFlag(Closed):
    thread_id: Id
    comment_id: Id | None = Field(description="Null: the opening post.")
    reason: FlagReason
    note: str
    excerpt: str
    outcome: str | None
    created_at: Time


class ExportTagFollow(Closed):
    tag: str
    level: TagLevel
    since: Time


class ExportThreadFollow(Closed):
    thread_id: Id
    title: str
    muted: bool
    since: Time


class ExportFollows(Closed):
    tags: list[ExportTagFollow]
    threads: list[ExportThreadFollow]


class ExportNotification(Closed):
    kind: NotificationKind
    actor: str | None
    thread_id: Id | None
    comment_id: Id | None
    note: str
    created_at: Time
    read_at: MaybeTime


class ExportToken(Closed):
    name: str
    created_at: Time
    last_used_at: MaybeTime
    revoked_at: MaybeTime


class ExportAction(Closed):
    action: str
    reason: str
    created_at: Time


class AccountExport(Closed):
    """Everything an account holds about its owner (the settings page's download)."""

    format: Annotated[str, ruled(enum=[EXPORT_FORMAT])]
    exported_at: Time
    profile: ExportProfile
    threads: list[ExportThread]
    comments: list[ExportComment]
    ignoring: list[str] = Field(description="Names of the people you ignore (they are never told).")
    flags: list[ExportFlag]
    subscriptions: ExportFollows
    notifications: list[ExportNotification]
    api_tokens: list[ExportToken]
    moderation_record: list[ExportAction]
