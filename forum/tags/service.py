"""Tag use cases: resolve slugs to tags (following merges), describe, merge."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from forum import outbox
from forum.cache import bump_all
from forum.errors import ValidationError
from forum.extensions import db
from forum.models import Tag, Thread, thread_tags
from forum.tags.rules import normalize_tag, tag_display_name
from forum.text import clean_line, clean_text

NAME_MAX = 60
DESCRIPTION_MAX = 2_000


def get_tag(slug: str) -> Tag | None:
    """The tag stored under this slug (possibly a merged synonym), or None."""
    return db.session.scalar(select(Tag).where(Tag.slug == normalize_tag(slug)))


def canonical(tag: Tag) -> Tag:
    return tag.canonical or tag


def resolve_or_create_tags(slugs: Sequence[str]) -> list[Tag]:
    """Tags for normalised slugs, creating missing ones; synonyms resolve to their target.

    A concurrent request may create the same tag first; the savepoint lets us pick it up.
    """
    tags: list[Tag] = []
    for slug in slugs:
        tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
        if tag is None:
            try:
                with db.session.begin_nested():
                    tag = Tag(slug=slug, name=tag_display_name(slug), description="")
                    db.session.add(tag)
            except IntegrityError:
                tag = db.session.scalar(select(Tag).where(Tag.slug == slug))
        assert tag is not None
        tag = canonical(tag)
        if tag not in tags:
            tags.append(tag)
    return tags


def tag_counts() -> list[tuple[Tag, int]]:
    """Canonical tags with their listed threads' counts, busiest first."""
    count = func.count(Thread.id)
    rows = db.session.execute(
        select(Tag, count)
        .outerjoin(thread_tags, thread_tags.c.tag_id == Tag.id)
        .outerjoin(Thread, (Thread.id == thread_tags.c.thread_id) & Thread.is_listed)
        .where(Tag.canonical_id.is_(None))
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.slug)
    ).all()
    return [(tag, n) for tag, n in rows]


def active_tags(*, limit: int = 10, recent: int = 50) -> list[tuple[Tag, int]]:
    """The tags of the ``recent`` most active listed threads, most used first: what people
    are talking about now. Bounded by ``recent`` whatever the size of the forum."""
    latest = (
        select(Thread.id)
        .where(Thread.is_listed)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(recent)
        .subquery()
    )
    count = func.count()
    rows = db.session.execute(
        select(Tag, count)
        .join(thread_tags, thread_tags.c.tag_id == Tag.id)
        .join(latest, latest.c.id == thread_tags.c.thread_id)
        .group_by(Tag.id)
        .order_by(count.desc(), Tag.slug)
        .limit(limit)
    ).all()
    return [(tag, n) for tag, n in rows]


def update_tag(tag: Tag, *, name: str, description: str) -> Tag:
    """Rename or describe a tag; its slug, and so its address, stays."""
    name = clean_line(name)
    description = clean_text(description)
    errors = {}
    if not name or len(name) > NAME_MAX:
        errors["name"] = f"Give the tag a name of 1 to {NAME_MAX} characters."
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = f"Keep the description to {DESCRIPTION_MAX:,} characters."
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    tag.name = name
    tag.description = description.strip()
    db.session.commit()
    bump_all()  # page cache (issue 6): tag names show on many pages
    return tag


def merge_tags(source: Tag, target: Tag) -> Tag:
    """Move source's threads to target and keep source as a synonym, so old links still work."""
    target = canonical(target)
    if canonical(source).id == target.id:
        raise ValidationError("A tag can't be merged into itself.", fields={"target": target.slug})
    already = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == target.id)
    moving = select(thread_tags.c.thread_id, target.id).where(
        thread_tags.c.tag_id == source.id, thread_tags.c.thread_id.not_in(already)
    )
    db.session.execute(insert(thread_tags).from_select(["thread_id", "tag_id"], moving))
    db.session.execute(delete(thread_tags).where(thread_tags.c.tag_id == source.id))
    db.session.execute(
        update(Tag).where(Tag.canonical_id == source.id).values(canonical_id=target.id)
    )
    source.canonical_id = target.id
    db.session.commit()
    bump_all()  # page cache (issue 6)
    db.session.expire_all()
    return target


def set_thread_tags(thread: Thread, slugs: Sequence[str]) -> list[Tag]:
    """Replace a thread's tags with these normalised slugs (no commit); returns the tags
    added.

    Followers of an added tag hear of the thread once: the "thread.tagged" event shares the
    "thread:<id>" key with the thread's creation, so a tag removed and added back, or one
    the thread already reached them through, repeats nothing (and a thread not yet public
    reaches nobody). The event is a fact published to the outbox, not a call into
    subscriptions, so tags stays independent of it.
    """
    before = {tag.id for tag in thread.tags}
    thread.tags = resolve_or_create_tags(slugs)
    db.session.flush()
    added = [tag for tag in thread.tags if tag.id not in before]
    if added:
        outbox.emit("thread.tagged", thread_id=thread.id, tag_ids=[tag.id for tag in added])
    return added
