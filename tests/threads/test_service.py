"""Threads service: numbering, the tree order, edits and deletes."""

from __future__ import annotations

import pytest

from forum.errors import PermissionDeniedError, ValidationError
from forum.models import CommentStatus
from forum.threads import service
from tests.factories import make_comment, make_moderator, make_thread, make_user


def test_comments_are_numbered_in_posting_order_and_sorted_as_a_tree(app) -> None:
    thread = make_thread()
    first = make_comment(thread)
    second = make_comment(thread)
    reply_to_first = make_comment(thread, parent=first)
    nested = make_comment(thread, parent=reply_to_first)

    assert [first.number, second.number, reply_to_first.number, nested.number] == [1, 2, 3, 4]
    ordered = service.thread_comments(thread, viewer=None)
    assert [c.number for c in ordered] == [1, 3, 4, 2]
    assert [c.depth for c in ordered] == [0, 1, 2, 0]
    assert thread.comment_count == 4


def test_reply_to_a_comment_of_another_thread_is_refused(app) -> None:
    other = make_comment()
    thread = make_thread()
    with pytest.raises(ValidationError) as err:
        make_comment(thread, parent=other)
    assert "parent_id" in err.value.fields
    assert thread.comment_seq == 0


@pytest.mark.parametrize(
    ("title", "body", "tags", "field"),
    [
        ("", "body", "funding", "title"),
        ("x" * 201, "body", "funding", "title"),
        ("A title", "   ", "funding", "body"),
        ("A title", "body", "", "tags"),
        ("A title", "body", "a, b, c, d, e, f", "tags"),
        ("A title", "body", "!!!", "tags"),
    ],
)
def test_create_thread_names_the_bad_field(app, db, title, body, tags, field) -> None:
    from forum.models import Thread

    with pytest.raises(ValidationError) as err:
        service.create_thread(author=make_user(), title=title, body=body, tags=tags)
    assert field in err.value.fields
    assert db.session.query(Thread).count() == 0


def test_tags_are_normalised_and_shared(app) -> None:
    a = make_thread(tags=["Labor Trafficking", "funding"])
    b = make_thread(tags=["labor-trafficking"])
    assert [t.slug for t in a.tags] == ["funding", "labor-trafficking"]
    assert b.tags[0].id == next(t.id for t in a.tags if t.slug == "labor-trafficking")


def test_edit_keeps_the_earlier_version(app) -> None:
    comment = make_comment(body="First wording.")
    service.edit_comment(comment, actor=comment.author, body="Second wording.")
    assert comment.edited_at is not None
    assert [r.body_src for r in comment.revisions] == ["First wording."]
    assert "Second wording." in comment.body_html


def test_only_the_author_or_a_moderator_may_edit(app) -> None:
    comment = make_comment()
    with pytest.raises(PermissionDeniedError):
        service.edit_comment(comment, actor=make_user(), body="Hijacked.")
    service.edit_comment(comment, actor=make_moderator(), body="Trimmed by a moderator.")


def test_delete_leaves_a_placeholder_that_keeps_replies(app) -> None:
    thread = make_thread()
    parent = make_comment(thread)
    child = make_comment(thread, parent=parent)
    service.delete_comment(parent, actor=parent.author)
    shown = service.thread_comments(thread, viewer=None)
    assert [(c.number, c.status) for c in shown] == [
        (1, CommentStatus.DELETED),
        (2, CommentStatus.PUBLISHED),
    ]
    assert shown[0].body_src == ""
    assert child.parent_id == parent.id
    assert thread.comment_count == 1


def test_suspended_user_cannot_post(app, db) -> None:
    from datetime import timedelta

    from forum.models.base import utcnow

    user = make_user()
    user.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        make_thread(author=user)


def test_deep_replies_stop_nesting_at_the_storage_limit(app) -> None:
    from forum.threads.rules import MAX_TREE_DEPTH

    thread = make_thread()
    parent = None
    for _ in range(MAX_TREE_DEPTH + 3):
        parent = make_comment(thread, parent=parent)
    assert parent.depth == MAX_TREE_DEPTH - 1
    numbers = [c.number for c in service.thread_comments(thread, viewer=None)]
    assert numbers == sorted(numbers)


def test_control_and_bidi_characters_never_reach_the_database(app) -> None:
    thread = make_thread(body="Post\x00 with a NUL\r\nand CRLF")
    comment = make_comment(thread, body="Reply \x00\x1b\u202etxt.exe\u202c kept\ttab\u200d")
    assert thread.body_src == "Post with a NUL\nand CRLF"
    assert comment.body_src == "Reply txt.exe kept\ttab\u200d"
    service.edit_comment(comment, actor=comment.author, body="Edited\x00 text")
    assert comment.body_src == "Edited text"
