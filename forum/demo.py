"""Load the demo content through the same services a person would use."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from forum.auth.service import register_user
from forum.demo_content import TAGS, THREADS, USERS
from forum.extensions import db
from forum.models import Comment, Tag, User
from forum.models.base import utcnow
from forum.tags.service import resolve_or_create_tags
from forum.threads.service import create_thread, reply

# Demo accounts only exist on a local demo database; the README says so.
DEMO_PASSWORD = "demo-password"


def load_demo(now: datetime | None = None) -> str:
    """Create the demo users, tags, threads and comments once; "" if already there."""
    first = USERS[0].username.casefold()
    if db.session.scalar(select(User.id).where(User.username_key == first)) is not None:
        return ""
    now = now or utcnow()
    users = {u.username: register_user(u.username, DEMO_PASSWORD, role=u.role) for u in USERS}
    for demo_tag in TAGS:
        (tag,) = resolve_or_create_tags([demo_tag.slug])
        tag.name, tag.description = demo_tag.name, demo_tag.description
    db.session.commit()
    comments = 0
    for demo in sorted(THREADS, key=lambda t: -t.days_ago):
        started = now - timedelta(days=demo.days_ago)
        thread = create_thread(
            author=users[demo.author],
            title=demo.title,
            body=demo.body,
            tags=demo.tags,
            now=started,
        )
        posted: dict[str, Comment] = {}
        for item in demo.comments:
            posted[item.key] = reply(
                thread=thread,
                author=users[item.author],
                body=item.body,
                parent=posted.get(item.reply_to) if item.reply_to else None,
                now=started + timedelta(minutes=item.minutes_after),
            )
        comments += len(posted)
    tag_count = db.session.scalar(select(db.func.count(Tag.id)))
    return f"{len(users)} users, {tag_count} tags, {len(THREADS)} threads, {comments} comments"
