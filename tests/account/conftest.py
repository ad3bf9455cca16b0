"""An account with a bit of everything: what export must include and deletion must wipe."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum.auth.service import create_token
from forum.feeds.service import ensure_feed_token
from forum.models import Comment, Tag, Thread, User
from forum.moderation import service as moderation
from forum.subscriptions.service import follow_tag, ignore_user
from forum.threads.service import edit_comment, edit_thread
from tests.factories import make_comment, make_moderator, make_thread, make_user


@dataclass
class Life:
    hazel: User
    rowan: User
    moderator: User
    own_thread: Thread
    their_thread: Thread
    comment: Comment
    reply: Comment
    token: str


@pytest.fixture
def life(app: object) -> Life:
    hazel = make_user("hazel", email="hazel@example.org")
    rowan = make_user("rowan", email="rowan@example.org")
    moderator = make_moderator("keeper")
    own = make_thread(
        hazel, title="Beds in winter", body="Who pays for the **winter beds**?", tags=["funding"]
    )
    edit_thread(
        own, actor=hazel, title="Beds in winter", body=own.body_src, tags=["funding", "housing"]
    )
    edit_thread(own, actor=hazel, title="Beds in winter", body=own.body_src, tags=["funding"])
    theirs = make_thread(rowan, title="Outreach vans", body="Vans need drivers.")
    comment = make_comment(theirs, author=hazel, body="First draft of my point.")
    edit_comment(comment, actor=hazel, body="A considered point about vans.")
    reply = make_comment(theirs, author=rowan, parent=comment, body="Rowan answers the point.")
    make_comment(own, author=rowan, body="Rowan replies about the cold.")
    moderation.flag_post(reply, actor=hazel, reason="off_topic", note="A private note")
    follow_tag(hazel, Tag.query.filter_by(slug="funding").one(), "daily")
    ensure_feed_token(hazel)
    ignore_user(hazel, make_user("needler"))
    moderation.warn_user(hazel, actor=moderator, reason="Keep it about the argument.")
    token = create_token(hazel, "laptop")
    return Life(hazel, rowan, moderator, own, theirs, comment, reply, token)
