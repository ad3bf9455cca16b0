"""What the moderation use cases share: the kinds of post, the nudge, the log of actions."""

from __future__ import annotations

import logging

from sqlalchemy import ColumnElement, select

from forum import permissions
from forum.errors import PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    Flag,
    ModeratorScope,
    QueueItem,
    Thread,
    User,
)
from forum.moderation import Assessment
from forum.moderation.policy import (
    opening_post_text,
)

log = logging.getLogger(__name__)

# A comment, or a thread's opening post: both are screened, flagged, queued and decided alike.
Post = Comment | Thread


class NudgeRequired(ValidationError):
    """The rules matched: show the author why, and let them rephrase or post anyway."""

    code = "nudge"

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(
            "This reads as aimed at a person rather than an argument. Rephrase it, or post "
            "anyway and a moderator will review it.",
            fields={"body": "; ".join(dict.fromkeys(m.explanation for m in assessment.matches))},
        )
        self.assessment = assessment


def require_moderator(actor: User | None) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDeniedError("Only moderators can do that.")


def moderator_scope_tag_ids(user: User) -> list[int]:
    return list(
        db.session.scalars(select(ModeratorScope.tag_id).where(ModeratorScope.user_id == user.id))
    )


def noun(post: Post) -> str:
    return "comment" if isinstance(post, Comment) else "thread"


def about(model: type[QueueItem] | type[Flag], post: Post) -> ColumnElement[bool]:
    """Rows of ``model`` (flags, queue items) about this post; a queue item about a
    webmention of a thread is not about its opening post."""
    if isinstance(post, Comment):
        return model.comment_id == post.id
    found = (model.thread_id == post.id) & model.comment_id.is_(None)
    if model is QueueItem:
        found &= QueueItem.mention_id.is_(None)
    return found


def post_kind(post: Post) -> str:
    """The log's ``target_type`` for a post."""
    return "comment" if isinstance(post, Comment) else "thread"


def post_text(post: Post) -> str:
    """The text the rules screened and moderators read: a comment, or title and opening post."""
    if isinstance(post, Comment):
        return post.body_src
    return opening_post_text(post.title, post.body_src)
