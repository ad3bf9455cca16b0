"""Moderation rules as moderators edit them: versions, scopes, previews over recent comments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forum import permissions
from forum.errors import PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    ModerationRule,
    ModerationRuleVersion,
    ModeratorScope,
    Tag,
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation import Match, Rule, RuleError, default_rules, dry_run
from forum.moderation.audit import log_action
from forum.moderation.common import moderator_scope_tag_ids, require_moderator
from forum.moderation.rules import rule_from_dict, rule_to_dict
from forum.text import clean_line

DRY_RUN_WINDOW = 1_000
# A preview stops, and says why, once the rule has run out of time on this many comments.
DRY_RUN_TIMEOUTS = 3
_rules_cache: dict[tuple[tuple[str, int], ...], tuple[Rule, ...]] = {}


def effective_rules() -> tuple[Rule, ...]:
    """The packaged rules with moderators' edits laid over them, plus rules they added."""
    versions = tuple(
        (key, version)
        for key, version in db.session.execute(
            select(ModerationRule.key, ModerationRule.version).order_by(ModerationRule.key)
        )
    )
    cached = _rules_cache.get(versions)
    if cached is not None:
        return cached
    overrides = {r.key: r.definition for r in db.session.scalars(select(ModerationRule))}
    rules = [
        rule_from_dict(overrides.pop(r.id)) if r.id in overrides else r for r in default_rules()
    ]
    rules += [rule_from_dict(definition) for definition in overrides.values()]
    _rules_cache.clear()
    _rules_cache[versions] = tuple(rules)
    return _rules_cache[versions]


def get_rule(key: str) -> Rule | None:
    return next((r for r in effective_rules() if r.id == key), None)


def _parse_rule(definition: dict[str, Any]) -> Rule:
    message = definition.get("message")
    if isinstance(message, str):
        # Shown to authors: no control or bidi characters to disguise it. Line by line, so a
        # message on two lines is still refused as such by the rule's validation.
        cleaned = "\n".join(clean_line(line) for line in message.splitlines())
        definition = {**definition, "message": cleaned}
    try:
        return rule_from_dict(definition)
    except RuleError as exc:
        raise ValidationError(f"The rule can't be saved: {exc}", fields={"rule": str(exc)}) from exc


def save_rule(definition: dict[str, Any], *, actor: User) -> Rule:
    """Create or edit a rule; each save is a new version, and the log says who and why.

    Only admins write rules for the whole forum (every default rule is one). A moderator
    writes rules limited to tags: any tags for a moderator of the whole forum, their own for
    one scoped to some tags; a rule that reaches further stays as it is for them."""
    require_moderator(actor)
    rule = _parse_rule(definition)
    if not actor.is_admin:
        scope = rule_scope(actor)
        current = get_rule(rule.id)
        if current is not None and not permissions.can_edit_rule(actor, current.tags, scope):
            raise PermissionDeniedError(
                "This rule applies beyond the tags you moderate (every default rule applies to "
                "the whole forum); only an admin can change it."
            )
        if not permissions.can_edit_rule(actor, rule.tags, scope):
            mine = f"your tags: {', '.join(sorted(scope))}" if scope else "one or more tags"
            raise ValidationError(
                f"Limit the rule to {mine}. Only an admin writes rules for the whole forum.",
                fields={"tags": "Give one or more of the tags you moderate."},
            )
    row = db.session.scalar(select(ModerationRule).where(ModerationRule.key == rule.id))
    created = row is None and get_rule(rule.id) is None
    if row is None:
        row = ModerationRule(key=rule.id, definition=rule_to_dict(rule), version=1)
        db.session.add(row)
    else:
        row.version += 1
        row.definition = rule_to_dict(rule)
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    db.session.add(
        ModerationRuleVersion(
            key=rule.id, version=row.version, definition=rule_to_dict(rule), created_by_id=actor.id
        )
    )
    db.session.flush()
    log_action(
        "rule_create" if created else "rule_edit",
        actor=actor,
        target_type="rule",
        target_id=row.id,
        details={"key": rule.id, "version": row.version, "enabled": rule.enabled},
    )
    db.session.commit()
    return rule


def edited_rules() -> dict[str, ModerationRule]:
    """Moderators' versions of rules by key; each row carries its current version number."""
    return {row.key: row for row in db.session.scalars(select(ModerationRule))}


def rule_versions(key: str) -> list[ModerationRuleVersion]:
    return list(
        db.session.scalars(
            select(ModerationRuleVersion)
            .where(ModerationRuleVersion.key == key)
            .order_by(ModerationRuleVersion.version.desc())
        )
    )


def rule_scope(actor: User) -> frozenset[str] | None:
    """The tags a moderator is limited to, by slug; None for admins and moderators of the
    whole forum."""
    if actor.is_admin:
        return None
    slugs = db.session.scalars(
        select(Tag.slug)
        .join(ModeratorScope, ModeratorScope.tag_id == Tag.id)
        .where(ModeratorScope.user_id == actor.id)
    )
    return frozenset(slugs) or None


def dry_run_rule(
    definition: dict[str, Any], *, actor: User | None = None
) -> list[tuple[Comment, tuple[Match, ...]]]:
    """Which of the last 1,000 comments this rule (alone) would catch, and where, before it
    is saved; for a moderator scoped to some tags, of the comments in those tags. Only the
    rule runs (no scorer, no context), and it stops when the rule keeps running out of time."""
    rule = _parse_rule(definition)
    stmt = select(Comment).where(
        Comment.status.in_((CommentStatus.PUBLISHED, CommentStatus.PENDING))
    )
    scope = moderator_scope_tag_ids(actor) if actor is not None and not actor.is_admin else []
    if scope:
        in_scope = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id.in_(scope))
        stmt = stmt.where(Comment.thread_id.in_(in_scope))
    if rule.tags:  # a rule limited to tags previews over those tags' comments
        tagged = (
            select(thread_tags.c.thread_id)
            .join(Tag, Tag.id == thread_tags.c.tag_id)
            .where(Tag.slug.in_([t.casefold() for t in rule.tags]))
        )
        stmt = stmt.where(Comment.thread_id.in_(tagged))
    recent = list(db.session.scalars(stmt.order_by(Comment.id.desc()).limit(DRY_RUN_WINDOW)))
    slow: list[int] = []
    caught = dry_run(
        rule,
        [c.body_src for c in recent],
        tags=rule.tags,
        timed_out=slow,
        validate=False,  # _parse_rule just did
        give_up_after=DRY_RUN_TIMEOUTS,
    )
    if len(slow) >= DRY_RUN_TIMEOUTS:
        problem = (
            f"rule {rule.id}: ran out of time on {len(slow)} recent comments; "
            "simplify its repeats (fewer nested or overlapping parts)"
        )
        raise ValidationError(f"The rule can't be previewed: {problem}", fields={"rule": problem})
    return [(recent[i], matches) for i, matches in caught]
