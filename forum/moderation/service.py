"""The moderation use cases, one module per use case; this module names them all in one place
for callers (``from forum.moderation import service as moderation``).

- ``screening``: rules in context before a post is published, holds, new accounts;
- ``flags``: readers' flags and their weight; ``review``: the queue and who may decide;
- ``decisions``: approve, remove, restore, edit; ``sanctions``: warnings, suspensions, appeals,
  moderators' tag scopes; ``rules_admin``: editing and previewing rules; ``audit``: the log.
"""

from __future__ import annotations

from forum.moderation.audit import (
    log_action,
    log_query,
)
from forum.moderation.common import (
    NudgeRequired,
    Post,
    about,
    moderator_scope_tag_ids,
    noun,
    post_kind,
    post_text,
    require_moderator,
)
from forum.moderation.decisions import (
    DECISIONS,
    decide,
    decide_many,
    published,
    removal_category,
    remove_post,
    restore_post,
)
from forum.moderation.flags import (
    COORDINATION_SCAN,
    check_can_flag,
    flag_coordination,
    flag_post,
    flag_record,
)
from forum.moderation.review import (
    author_record,
    can_moderate_post,
    check_may_decide,
    decision_conflicts,
    flags_for,
    get_queue_item,
    open_queue,
    queue_size,
    set_status,
)
from forum.moderation.rules_admin import (
    DRY_RUN_TIMEOUTS,
    DRY_RUN_WINDOW,
    dry_run_rule,
    edited_rules,
    effective_rules,
    get_rule,
    rule_scope,
    rule_versions,
    save_rule,
)
from forum.moderation.sanctions import (
    appeal_removal,
    set_moderator_scopes,
    suspend_user,
    warn_user,
)
from forum.moderation.screening import (
    enqueue,
    matches_json,
    needs_new_user_review,
    open_item,
    published_posts,
    record_screening,
    reply_context,
    screen_opening_post,
    screen_text,
    thread_participants,
)

__all__ = [
    "COORDINATION_SCAN",
    "DECISIONS",
    "DRY_RUN_TIMEOUTS",
    "DRY_RUN_WINDOW",
    "NudgeRequired",
    "Post",
    "about",
    "appeal_removal",
    "author_record",
    "can_moderate_post",
    "check_can_flag",
    "check_may_decide",
    "decide",
    "decide_many",
    "decision_conflicts",
    "dry_run_rule",
    "edited_rules",
    "effective_rules",
    "enqueue",
    "flag_coordination",
    "flag_post",
    "flag_record",
    "flags_for",
    "get_queue_item",
    "get_rule",
    "log_action",
    "log_query",
    "matches_json",
    "moderator_scope_tag_ids",
    "needs_new_user_review",
    "noun",
    "open_item",
    "open_queue",
    "post_kind",
    "post_text",
    "published",
    "published_posts",
    "queue_size",
    "record_screening",
    "removal_category",
    "remove_post",
    "reply_context",
    "require_moderator",
    "restore_post",
    "rule_scope",
    "rule_versions",
    "save_rule",
    "screen_opening_post",
    "screen_text",
    "set_moderator_scopes",
    "set_status",
    "suspend_user",
    "thread_participants",
    "warn_user",
]
