"""Every model, imported so the metadata Alembic compares against is complete."""

from forum.models.house_rules import HouseRulesVersion
from forum.models.mail import DeliveryStatus, MailDelivery
from forum.models.moderation import (
    Flag,
    FlagReason,
    ModerationAction,
    ModerationRule,
    ModerationRuleVersion,
    ModeratorScope,
    QueueItem,
    QueueSource,
    QueueState,
)
from forum.models.outbox import OutboxEvent
from forum.models.promotion import Promotion
from forum.models.search import SearchWord
from forum.models.subscription import (
    Notification,
    NotificationKind,
    TagLevel,
    TagSubscription,
    ThreadSubscription,
)
from forum.models.tag import Tag, thread_tags
from forum.models.thread import Comment, CommentRevision, CommentStatus, Thread, ThreadRevision
from forum.models.user import ApiToken, Role, User, UserIgnore, UserSession
from forum.models.webmention import MentionStatus, Webmention

__all__ = [
    "ApiToken",
    "Comment",
    "DeliveryStatus",
    "Flag",
    "FlagReason",
    "HouseRulesVersion",
    "MailDelivery",
    "MentionStatus",
    "ModerationAction",
    "ModerationRule",
    "ModerationRuleVersion",
    "ModeratorScope",
    "Notification",
    "NotificationKind",
    "OutboxEvent",
    "Promotion",
    "QueueItem",
    "QueueSource",
    "QueueState",
    "SearchWord",
    "CommentRevision",
    "CommentStatus",
    "Role",
    "Tag",
    "TagLevel",
    "TagSubscription",
    "Thread",
    "ThreadRevision",
    "ThreadSubscription",
    "User",
    "UserIgnore",
    "UserSession",
    "Webmention",
    "thread_tags",
]
