"""The account's own use cases: change the password, manage API tokens, export everything the
person has written or set, and delete the account.

Deletion keeps the user row, because comments, flags and the moderation log point at it, and
wipes everything on it that identifies the person:

- the name becomes ``DELETED_NAME`` everywhere it is shown, and the old name is held back
  from re-registration through a keyed hash (``forum.auth.rules.retired_key``), so nobody can
  take it and be mistaken for the person who left (old @mentions would point at them);
- email, feed token, password, tokens, follows, notifications and mail records go;
- with "anonymise" their comments and threads stay, under ``DELETED_NAME``;
- with "remove" their comments become "[deleted]" placeholders (the same as deleting one:
  replies, numbering and the tree stay), earlier versions of them go, flags they wrote lose
  their notes, and each thread they opened keeps the discussion, because other people's
  replies hang off it, under the title "[removed by its author]" with the opening post
  replaced by "[deleted]"; copies of their words go too: quotes of them in others' posts
  (and in those posts' earlier versions) become "[removed by its author]", and flag excerpts,
  words the rules matched in their posts and titles in the log are blanked;
- a thread that quotes their question (a promotion) names "a reader" instead, and with
  "remove" quotes "[deleted]" instead of their words (and drops a title taken from them); an
  intro they wrote when promoting someone else's question goes with "remove".

Otherwise what others wrote stays theirs: an @mention of the old name is not rewritten.
Moderation log rows keep the account's id and show the placeholder.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from werkzeug.security import check_password_hash

from forum.account import rules
from forum.auth import rules as auth_rules
from forum.auth import service as auth
from forum.auth import sessions
from forum.cache import bump_thread
from forum.errors import NotFoundError, ValidationError
from forum.extensions import db
from forum.mail import service as mail
from forum.models import (
    ApiToken,
    Comment,
    CommentRevision,
    CommentStatus,
    Flag,
    MailDelivery,
    ModerationAction,
    ModeratorScope,
    Notification,
    Promotion,
    QueueItem,
    QueueState,
    Role,
    Tag,
    TagSubscription,
    Thread,
    ThreadRevision,
    ThreadSubscription,
    User,
    UserIgnore,
    UserSession,
)
from forum.models.base import utcnow
from forum.search import vocabulary
from forum.text import clean_line, render_markdown
from forum.threads import promotion as promotions
from forum.threads import rules as thread_rules

JSON = dict[str, Any]
EXPORT_FORMAT = "forum-account-export/1"


def _require_password(user: User, password: str, errors: dict[str, str], field: str) -> None:
    if not check_password_hash(user.password_hash, password):
        errors[field] = "That isn't your current password."


# --------------------------------------------------------------------------- password


def change_password(
    user: User, *, current: str, new: str, confirm: str, keep: UserSession | None = None
) -> User:
    """Set a new password and end every sign-in but ``keep`` (the browser asking): any other
    browser's cookie, remembered or copied, no longer signs anyone in."""
    errors: dict[str, str] = {}
    _require_password(user, current, errors, "current_password")
    return _set_password(user, new, confirm, errors, keep=keep)


def reset_password(token: str, *, new: str, confirm: str) -> User:
    """Set the password through a mailed reset link (forum.mail.service.read_password_reset)
    and end every session, as a change does; the caller signs this browser in. The link is
    keyed to the old password, so it stops working once this commits."""
    return _set_password(mail.read_password_reset(token), new, confirm, {})


def _set_password(
    user: User, new: str, confirm: str, errors: dict[str, str], *, keep: UserSession | None = None
) -> User:
    """Check the new password (as registration does) and store it, ending every sign-in but
    ``keep``; ``errors`` may already hold the caller's own."""
    if problem := auth_rules.check_password(new, user.username):
        errors["new_password"] = problem
    elif problem := rules.check_new_password(new, confirm):
        errors["confirm_password"] = problem
    if errors:
        raise ValidationError("Your password was not changed.", fields=errors)
    user.password_hash = auth.hash_password(new)
    sessions.end_all(user, keep=keep)
    db.session.commit()
    return user


# --------------------------------------------------------------------------- API tokens


def active_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def create_token(user: User, name: str) -> str:
    """A new token named ``name``; the raw secret is returned once and never stored."""
    label = clean_line(name)
    if problem := rules.check_token_name(label, len(active_tokens(user))):
        raise ValidationError(problem, fields={"name": problem})
    return auth.create_token(user, label)


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens; someone else's (or a revoked one) is not found, so
    token ids can't be probed."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFoundError("There is no such token.")
    token.revoked_at = utcnow()
    db.session.commit()
    return token


# --------------------------------------------------------------------------- export


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def export_data(user: User, *, now: datetime | None = None) -> JSON:
    """Everything the account holds about its owner, as plain JSON.

    Only their own data: their profile and settings, what they wrote (as Markdown source,
    earlier versions included), their flags, follows, notifications, token names and times,
    and the moderation decisions about them. Other people appear by public name only.
    """
    comments = list(
        db.session.scalars(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id))
    )
    revisions: dict[int, list[JSON]] = {}
    if comments:
        for revision in db.session.scalars(
            select(CommentRevision)
            .join(Comment, Comment.id == CommentRevision.comment_id)
            .where(Comment.author_id == user.id)
            .order_by(CommentRevision.id)
        ):
            revisions.setdefault(revision.comment_id, []).append(
                {"body": revision.body_src, "replaced_at": _time(revision.created_at)}
            )
    threads = list(
        db.session.scalars(select(Thread).where(Thread.author_id == user.id).order_by(Thread.id))
    )
    thread_revisions: dict[int, list[JSON]] = {}
    if threads:
        for old in db.session.scalars(
            select(ThreadRevision)
            .join(Thread, Thread.id == ThreadRevision.thread_id)
            .where(Thread.author_id == user.id)
            .order_by(ThreadRevision.id)
        ):
            thread_revisions.setdefault(old.thread_id, []).append(
                {
                    "title": old.title,
                    "body": old.body_src,
                    "tags": list(old.tags),
                    "replaced_at": _time(old.created_at),
                }
            )
    ignoring = db.session.scalars(
        select(User.username)
        .join(UserIgnore, UserIgnore.ignored_id == User.id)
        .where(UserIgnore.user_id == user.id)
        .order_by(User.username_key)
    )
    flags = db.session.scalars(select(Flag).where(Flag.user_id == user.id).order_by(Flag.id))
    tag_follows = db.session.execute(
        select(TagSubscription, Tag.slug)
        .join(Tag, Tag.id == TagSubscription.tag_id)
        .where(TagSubscription.user_id == user.id)
        .order_by(Tag.slug)
    )
    thread_follows = db.session.execute(
        select(ThreadSubscription, Thread.title)
        .join(Thread, Thread.id == ThreadSubscription.thread_id)
        .where(ThreadSubscription.user_id == user.id)
        .order_by(ThreadSubscription.thread_id)
    )
    notifications = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    )
    record = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.subject_id == user.id)
        .order_by(ModerationAction.id)
    )
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _time(now or utcnow()),
        "profile": {
            "username": user.username,
            "email": user.email,
            "email_verified_at": _time(user.email_verified_at),
            "email_notifications": user.email_notifications,
            "mail_subject_details": user.mail_subject_details,
            "auto_follow_threads": user.auto_follow_threads,
            "role": user.role,
            "suspended_until": _time(user.suspended_until),
            "created_at": _time(user.created_at),
        },
        "threads": [
            {
                "id": t.id,
                "title": t.title,
                "status": t.status,
                "body": t.body_src,
                "tags": [tag.slug for tag in t.tags],
                "removal_reason": t.removal_reason,
                "created_at": _time(t.created_at),
                "edited_at": _time(t.edited_at),
                "earlier_versions": thread_revisions.get(t.id, []),
            }
            for t in threads
        ],
        "comments": [
            {
                "id": c.id,
                "thread_id": c.thread_id,
                "number": c.number,
                "parent_id": c.parent_id,
                "status": c.status,
                "body": c.body_src,
                "removal_reason": c.removal_reason,
                "created_at": _time(c.created_at),
                "edited_at": _time(c.edited_at),
                "earlier_versions": revisions.get(c.id, []),
            }
            for c in comments
        ],
        "ignoring": list(ignoring),
        "flags": [
            {
                "thread_id": f.thread_id,
                "comment_id": f.comment_id,
                "reason": f.reason,
                "note": f.note,
                "excerpt": f.excerpt,
                "outcome": f.outcome,
                "created_at": _time(f.created_at),
            }
            for f in flags
        ],
        "subscriptions": {
            "tags": [
                {"tag": slug, "level": s.level, "since": _time(s.created_at)}
                for s, slug in tag_follows
            ],
            "threads": [
                {
                    "thread_id": s.thread_id,
                    "title": title,
                    "muted": s.muted,
                    "since": _time(s.created_at),
                }
                for s, title in thread_follows
            ],
        },
        "notifications": [
            {
                "kind": n.kind,
                "actor": n.actor.username if n.actor else None,
                "thread_id": n.thread_id,
                "comment_id": n.comment_id,
                "note": n.note,
                "created_at": _time(n.created_at),
                "read_at": _time(n.read_at),
            }
            for n in notifications
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": _time(t.created_at),
                "last_used_at": _time(t.last_used_at),
                "revoked_at": _time(t.revoked_at),
            }
            for t in tokens
        ],
        "moderation_record": [
            {"action": a.action, "reason": a.reason, "created_at": _time(a.created_at)}
            for a in record
        ],
    }


# --------------------------------------------------------------------------- deletion


def delete_account(user: User, *, password: str, choice: str, now: datetime | None = None) -> User:
    """Delete the account as its owner chose (see the module docstring); the caller signs
    the browser out. Wrong password or no choice: nothing changes."""
    errors: dict[str, str] = {}
    _require_password(user, password, errors, "password")
    if problem := rules.check_delete_choice(choice):
        errors["choice"] = problem
    if errors:
        raise ValidationError("Your account was not deleted.", fields=errors)
    now = now or utcnow()
    remove = choice == rules.DeleteChoice.REMOVE
    touched = set(db.session.scalars(select(Thread.id).where(Thread.author_id == user.id)))
    touched |= set(
        db.session.scalars(select(Comment.thread_id).where(Comment.author_id == user.id))
    )
    touched |= _unname_promotions(user, remove=remove)
    if remove:
        touched |= _remove_writing(user, now)
    _wipe(user, now)
    db.session.commit()
    bump_thread(*touched)  # page cache: the old name (and text) must not be served again
    return user


def _unname_promotions(user: User, *, remove: bool) -> set[int]:
    """Threads opened from their questions name "a reader"; with ``remove``, quote nothing."""
    live = db.session.scalars(
        select(Promotion)
        .join(Comment, Comment.id == Promotion.comment_id)
        .where(
            Comment.author_id == user.id,
            Promotion.undone_at.is_(None),
            Promotion.thread_id.is_not(None),
        )
    )
    touched = set()
    for found in live:
        found.attribution_hidden = True
        if remove:
            if thread_rules.is_quoted_from(found.thread.title, [found.comment.body_src]):
                found.thread.title = rules.DELETED_QUESTION_TITLE
                found.thread.slug = rules.DELETED_SLUG
            found.quote = rules.DELETED_TEXT
        touched.add(promotions.rebuild_body(found).id)
    return touched


def _remove_writing(user: User, now: datetime) -> set[int]:
    """Blank their comments (keeping each one's place), their opening posts and titles, flag
    notes, and every copy of their words: quotes in others' posts (and those posts' earlier
    versions), flag excerpts, matched words in queue items, titles in the log. Returns the
    threads whose pages changed."""
    comments = list(
        db.session.scalars(
            select(Comment).where(
                Comment.author_id == user.id, Comment.status != CommentStatus.DELETED
            )
        )
    )
    own_threads = list(db.session.scalars(select(Thread).where(Thread.author_id == user.id)))
    said: dict[int, list[str]] = defaultdict(list)
    numbers: dict[int, set[int]] = defaultdict(set)
    for comment in comments:
        said[comment.thread_id].append(comment.body_src)
        numbers[comment.thread_id].add(comment.number)
    for thread in own_threads:
        said[thread.id] += [thread.title, thread.body_src]
    touched = _unquote_others(user, said, numbers)
    _forget_copies(user, [c.id for c in comments], [t.id for t in own_threads])
    published = Counter(c.thread_id for c in comments if c.status == CommentStatus.PUBLISHED)
    ids = [c.id for c in comments]
    for comment in comments:
        comment.status = CommentStatus.DELETED
        comment.body_src = comment.body_html = comment.removal_reason = ""
        comment.is_question = False
    for thread_id, count in published.items():
        db.session.execute(
            update(Thread)
            .where(Thread.id == thread_id)
            .values(comment_count=Thread.comment_count - count)
        )
    own = select(Comment.id).where(Comment.author_id == user.id).scalar_subquery()
    db.session.execute(delete(CommentRevision).where(CommentRevision.comment_id.in_(own)))
    owned = select(Thread.id).where(Thread.author_id == user.id).scalar_subquery()
    db.session.execute(delete(ThreadRevision).where(ThreadRevision.thread_id.in_(owned)))
    if ids:
        # Nothing left to decide: the words are gone. The log keeps what was decided before.
        db.session.execute(
            update(QueueItem)
            .where(QueueItem.comment_id.in_(ids), QueueItem.state == QueueState.OPEN)
            .values(
                state=QueueState.DISMISSED,
                resolved_at=now,
                reason="The author deleted their account.",
            )
        )
    db.session.execute(
        update(Thread)
        .where(Thread.author_id == user.id)
        .values(
            title=rules.DELETED_TITLE,
            slug=rules.DELETED_SLUG,
            body_src="",
            body_html=rules.DELETED_BODY_HTML,
        )
    )
    # An intro they wrote for someone's promoted question must not come back if the asker
    # later has that thread's body composed again (forum.threads.promotion.rebuild_body).
    db.session.execute(
        update(Promotion).where(Promotion.promoted_by_id == user.id).values(intro="")
    )
    db.session.execute(update(Flag).where(Flag.user_id == user.id).values(note=""))
    # And the words only they used from the vocabulary "Did you mean" corrects from.
    vocabulary.forget(text for texts in said.values() for text in texts)
    return touched | set(said)


def _unquote_others(
    user: User, said: dict[int, list[str]], numbers: dict[int, set[int]]
) -> set[int]:
    """Replace quotes of their words in others' comments (and earlier versions of those) in
    the threads where they wrote (forum.threads.rules.unquote)."""
    touched: set[int] = set()
    for thread_id, sources in said.items():

        def strip(body: str, thread_id: int = thread_id, sources: list[str] = sources) -> str:
            return thread_rules.unquote(
                body,
                sources,
                author=user.username,
                numbers=numbers[thread_id],
                placeholder_name=rules.DELETED_NAME,
            )

        others = db.session.scalars(
            select(Comment).where(
                Comment.thread_id == thread_id,
                Comment.author_id != user.id,
                Comment.status != CommentStatus.DELETED,
            )
        )
        for comment in others:
            if (body := strip(comment.body_src)) != comment.body_src:
                comment.body_src, comment.body_html = body, render_markdown(body)
                touched.add(thread_id)
        earlier = db.session.scalars(
            select(CommentRevision)
            .join(Comment, Comment.id == CommentRevision.comment_id)
            .where(Comment.thread_id == thread_id, Comment.author_id != user.id)
        )
        for revision in earlier:
            revision.body_src = strip(revision.body_src)
    return touched


def _forget_copies(user: User, comment_ids: list[int], thread_ids: list[int]) -> None:
    """Excerpts others flagged and words the rules matched in their posts; the titles of
    threads they promoted or that were promoted from their questions, as the log has them."""
    on_theirs = or_(
        Flag.comment_id.in_(comment_ids),
        and_(Flag.thread_id.in_(thread_ids), Flag.comment_id.is_(None)),
    )
    db.session.execute(update(Flag).where(on_theirs).values(excerpt=""))
    items = or_(
        QueueItem.comment_id.in_(comment_ids),
        and_(QueueItem.thread_id.in_(thread_ids), QueueItem.comment_id.is_(None)),
    )
    db.session.execute(update(QueueItem).where(items).values(matches=[]))
    logged = db.session.scalars(
        select(ModerationAction).where(
            ModerationAction.action == "promote",
            or_(
                ModerationAction.actor_id == user.id,
                and_(
                    ModerationAction.target_type == "comment",
                    ModerationAction.target_id.in_(comment_ids),
                ),
            ),
        )
    )
    for row in logged:
        if "title" in row.details:
            row.details = {**row.details, "title": rules.DELETED_TITLE}


def _wipe(user: User, now: datetime) -> None:
    """Remove what belongs to the person alone, and blank the row to a placeholder."""
    for model in (
        ApiToken,
        TagSubscription,
        ThreadSubscription,
        Notification,
        MailDelivery,
        ModeratorScope,
        UserIgnore,
    ):
        db.session.execute(delete(model).where(model.user_id == user.id))
    # Others' choice to ignore them has nobody left to apply to.
    db.session.execute(delete(UserIgnore).where(UserIgnore.ignored_id == user.id))
    user.username_key = auth.retired_key(user.username)
    user.username = rules.DELETED_NAME
    user.email = None
    user.email_verified_at = None
    user.email_notifications = False
    user.auto_follow_threads = False
    user.feed_token = None
    user.last_daily_digest_at = user.last_weekly_digest_at = None
    # Not a hash of anything: no password can ever match it.
    user.password_hash = "!deleted"
    user.role = Role.MEMBER
    user.suspended_until = None
    sessions.end_all(user)
    user.deleted_at = now
