"""Promoting a question into its own thread: the service, the pages, and undo."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from forum.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    Notification,
    NotificationKind,
    Promotion,
    Thread,
)
from forum.moderation.common import NudgeRequired
from forum.threads import promotion, service
from tests.factories import make_comment, make_moderator, make_thread, make_user

QUESTION = (
    "Mireille, that helps. Where does a woman sleep on the first night after an operation, "
    "and who is the first person she talks to?"
)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _url(thread: Thread) -> str:
    return f"/threads/{thread.id}/{thread.slug}"


@pytest.fixture
def scene(app):
    """A host's thread with a question and a small tree of replies under it.

    #1 other   #2 question (asker)   #3 reply to #2   #4 other top-level
    #5 reply to #3   #6 reply to #2   #7 reply to #4
    """
    host = make_user("quill")
    asker = make_user("fennel_s")
    replier = make_user("juniper")
    thread = make_thread(host, title="Follow the money", tags=["funding", "survivor-services"])
    first = make_comment(thread)
    question = make_comment(thread, author=asker, body=QUESTION)
    r1 = make_comment(thread, parent=question, author=replier, body="A bed that is not a cell.")
    other = make_comment(thread)
    r2 = make_comment(thread, parent=r1, author=asker, body="Thank you, that is concrete.")
    r3 = make_comment(thread, parent=question, author=host, body="I'll open a thread for this.")
    tail = make_comment(thread, parent=other)
    return {
        "host": host,
        "asker": asker,
        "replier": replier,
        "thread": thread,
        "question": question,
        "replies": [r1, r2, r3],
        "others": [first, other, tail],
    }


def _positions(comments: list[Comment]) -> dict[int, tuple]:
    return {c.id: (c.thread_id, c.number, c.path, c.depth, c.parent_id) for c in comments}


def _all_in(thread: Thread) -> list[Comment]:
    return service.thread_comments(thread, viewer=None)


# --- detection at posting and edit time -------------------------------------------------------


def test_questions_are_marked_when_posted_and_edited(app) -> None:
    thread = make_thread()
    asking = make_comment(thread, body="Does the T visa require cooperating with police?")
    telling = make_comment(thread, body="The budget is twice as big for task forces.")
    attack = service.reply(
        thread=thread,
        author=make_user(),
        body="Are some of you traffickers yourselves, profiting from all this?",
        confirmed=True,  # posted anyway after the nudge
    )
    assert asking.is_question and not telling.is_question
    assert not attack.is_question  # the moderation rules flag it: an attack, not a question

    service.edit_comment(telling, actor=telling.author, body="Why is it twice as big, though?")
    assert telling.is_question
    service.edit_comment(asking, actor=asking.author, body="It does not, as far as I know.")
    assert not asking.is_question


def test_the_thread_page_marks_questions(client, scene) -> None:
    html = _html(client.get(_url(scene["thread"])))
    marked = re.findall(r'id="c(\d+)"[\s\S]*?</h3>', html)
    assert len(marked) == 7
    head = re.search(r'id="c2"[\s\S]*?</h3>', html).group()
    assert 'class="question-marker"' in head
    assert 'class="question-marker"' not in re.search(r'id="c1"[\s\S]*?</h3>', html).group()
    # The mark explains itself: it leads to what questions are and what can happen to them.
    marker = re.search(r'<a class="question-marker" href="([^"]+)" title="([^"]+)"', head)
    assert marker and marker.group(1) == "/questions#about-questions"
    assert "thread of its own" in marker.group(2)
    about = _html(client.get("/questions"))
    assert 'id="about-questions"' in about and "promote it into a thread of its own" in about


# --- promotion without and with moved replies -------------------------------------------------


def test_promote_without_moving_replies(db, client, scene) -> None:
    host, asker, source, question = (
        scene["host"],
        scene["asker"],
        scene["thread"],
        scene["question"],
    )
    before = _positions(_all_in(source))

    new = promotion.promote_question(question, actor=host, intro="Thank you for asking this.")

    assert new.title == (
        "Where does a woman sleep on the first night after an operation, and who is the "
        "first person she talks to?"
    )
    assert new.author_id == host.id
    assert [t.slug for t in new.tags] == ["funding", "survivor-services"]
    stamp = question.created_at.strftime("%-d %b %Y at %H:%M UTC")
    assert new.body_src.startswith(f"fennel\\_s, on {stamp}, said:\n\n> Mireille")
    assert new.body_src.rstrip().endswith("Thank you for asking this.")
    assert "<blockquote>" in new.body_html
    assert new.comment_count == 0
    db.session.refresh(source)
    assert source.comment_count == 7
    assert _positions(_all_in(source)) == before

    old_page = _html(client.get(_url(source)))
    assert "This question now has its own thread:" in old_page
    assert f'<a href="{_url(new)}">{new.title}</a> (0 replies)' in old_page
    assert "moved to" not in old_page
    new_page = _html(client.get(_url(new)))
    assert f'Promoted from <a href="/comments/{question.id}">a comment</a>' in new_page
    assert f'<a href="/users/{asker.username}">{asker.username}</a>' in new_page
    assert f'<a href="{_url(source)}">{source.title}</a>' in new_page

    note = db.session.scalar(
        select(Notification).where(
            Notification.user_id == asker.id,
            Notification.kind == NotificationKind.QUESTION_PROMOTED,
        )
    )
    assert note.thread_id == new.id and note.actor_id == host.id
    log = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "promote"))
    assert (log.actor_id, log.target_type, log.target_id) == (host.id, "comment", question.id)
    assert log.details["thread_id"] == new.id and log.details["moved"] == 0


def test_promote_moving_replies_keeps_the_tree_and_renumbers(db, client, scene) -> None:
    source, question = scene["thread"], scene["question"]
    r1, r2, r3 = scene["replies"]
    others = scene["others"]
    others_before = _positions(others)

    new = promotion.promote_question(question, actor=scene["host"], move_replies=True)

    moved = _all_in(new)
    # In the new thread: 1, 2, 3 in their original order; tree order is r1, r2 (under r1), r3.
    assert [(c.id, c.number, c.depth) for c in moved] == [
        (r1.id, 1, 0),
        (r2.id, 2, 1),
        (r3.id, 3, 0),
    ]
    assert [c.parent_id for c in moved] == [None, r1.id, None]
    assert [c.path for c in moved] == ["000001", "000001000002", "000003"]
    # The rest of the old thread keeps its numbers; nothing lost or duplicated.
    left = _all_in(source)
    assert _positions([c for c in left if c.id != question.id]) == others_before
    assert sorted(c.id for c in left + moved) == sorted(
        [question.id, *(c.id for c in scene["replies"]), *(c.id for c in others)]
    )
    total = db.session.scalar(select(func.count(Comment.id)))
    assert total == 7
    db.session.refresh(source)
    db.session.refresh(new)
    assert (source.comment_count, new.comment_count, new.comment_seq) == (4, 3, 3)

    old_page = _html(client.get(_url(source)))
    assert f"{new.title}</a> (3 replies)" in old_page
    assert f'3 replies moved to <a href="{_url(new)}">{new.title}</a>' in old_page
    new_page = _html(client.get(_url(new)))
    assert "Promoted from" in new_page
    assert 'in reply to <a href="#c1">juniper #1</a>' in new_page

    # Notifications about the moved replies now point at where they are.
    about_r2 = db.session.scalars(select(Notification).where(Notification.comment_id == r2.id))
    assert {n.thread_id for n in about_r2} == {new.id}

    # A new reply in the new thread continues its numbering.
    assert make_comment(new).number == 4


def test_the_form_is_prefilled_and_posting_it_promotes(db, login_as, scene) -> None:
    client = login_as(scene["host"])
    question = scene["question"]
    page = _html(client.get(f"/comments/{question.id}/promote"))
    assert 'value="Where does a woman sleep on the first night after an operation' in page
    assert 'value="funding, survivor-services"' in page
    stamp = question.created_at.strftime("%-d %b %Y at %H:%M UTC")
    assert f"fennel_s, on {stamp}, said:" in page
    assert "Move the replies beneath this comment into the new thread" in page
    assert "3 replies" in page

    response = client.post(
        f"/comments/{question.id}/promote",
        data={
            "title": "The first night after an operation",
            "tags": "survivor-services, raids",
            "intro": "Fennel asked something that deserves its own thread.",
            "move_replies": "1",
        },
    )
    new = db.session.scalar(select(Thread).where(Thread.title.startswith("The first night")))
    assert response.status_code == 302
    assert response.location == _url(new)
    assert [t.slug for t in new.tags] == ["raids", "survivor-services"]
    assert new.comment_count == 3


# --- permissions and state ---------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, scene) -> None:
    response = client.get(f"/comments/{scene['question'].id}/promote")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    assert client.post(f"/comments/{scene['question'].id}/promote").status_code == 302


def test_another_member_is_refused_and_sees_no_button(db, login_as, scene) -> None:
    client = login_as(scene["replier"])
    url = f"/comments/{scene['question'].id}/promote"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"title": "Mine now", "tags": "funding"}).status_code == 403
    assert "Promote to thread" not in _html(client.get(_url(scene["thread"])))
    assert db.session.scalar(select(func.count(Promotion.id))) == 0
    with pytest.raises(PermissionDeniedError):
        promotion.promote_question(scene["question"], actor=scene["replier"])


@pytest.mark.parametrize("who", ["host", "moderator"])
def test_the_thread_author_and_moderators_may_promote(db, login_as, scene, who) -> None:
    actor = scene["host"] if who == "host" else make_moderator()
    client = login_as(actor)
    page = _html(client.get(_url(scene["thread"])))
    assert f'href="/comments/{scene["question"].id}/promote">Promote to thread</a>' in page
    assert client.get(f"/comments/{scene['question'].id}/promote").status_code == 200
    response = client.post(
        f"/comments/{scene['question'].id}/promote",
        data={"title": "Standard of care", "tags": "funding"},
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Promotion.promoted_by_id)) == actor.id


@pytest.mark.parametrize(
    ("status", "code"),
    [(CommentStatus.PENDING, 409), (CommentStatus.REMOVED, 409), (CommentStatus.DELETED, 404)],
)
def test_held_removed_or_deleted_comments_cannot_be_promoted(
    db, login_as, scene, status, code
) -> None:
    question = scene["question"]
    question.status = status
    db.session.commit()
    client = login_as(make_moderator())
    assert client.get(f"/comments/{question.id}/promote").status_code == code
    error = NotFoundError if code == 404 else ConflictError
    with pytest.raises(error):
        promotion.promote_question(question, actor=scene["host"])
    # Members who can't see a held comment learn nothing about it.
    if status != CommentStatus.DELETED:
        assert login_as(scene["replier"]).get(f"/comments/{question.id}/promote").status_code == 404


def test_a_comment_is_promoted_once(db, login_as, scene) -> None:
    first = promotion.promote_question(scene["question"], actor=scene["host"])
    with pytest.raises(promotion.AlreadyPromotedError) as err:
        promotion.promote_question(scene["question"], actor=make_moderator())
    assert err.value.thread_id == first.id
    assert err.value.status == 409

    client = login_as(scene["host"])
    response = client.get(f"/comments/{scene['question'].id}/promote")
    assert response.status_code == 302 and response.location == _url(first)
    response = client.post(f"/comments/{scene['question'].id}/promote", data={"title": "Again"})
    assert response.location == _url(first)
    assert db.session.scalar(select(func.count(Thread.id))) == 2
    assert (
        "Promote to thread</a>"
        not in re.search(
            r'id="c2"[\s\S]*?</article>', _html(client.get(_url(scene["thread"])))
        ).group()
    )


# --- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "   ", "tags": "funding"}, "title"),
        ({"title": "x" * 201, "tags": "funding"}, "title"),
        ({"title": "Fine", "tags": "a, b, c, d, e, f"}, "tags"),
        ({"title": "Fine", "tags": ""}, "tags"),
    ],
)
def test_bad_input_returns_the_form(db, login_as, scene, data, field) -> None:
    client = login_as(scene["host"])
    response = client.post(
        f"/comments/{scene['question'].id}/promote", data={**data, "intro": "Kept text."}
    )
    assert response.status_code == 422
    page = _html(response)
    assert f'id="{field}-error"' in page
    assert "Kept text." in page
    assert db.session.scalar(select(func.count(Promotion.id))) == 0
    with pytest.raises(ValidationError):
        promotion.promote_question(
            scene["question"], actor=scene["host"], title=data["title"], tags=data["tags"]
        )


def test_an_intro_with_an_accusation_gets_the_nudge_and_keeps_the_text(db, login_as, scene) -> None:
    intro = "Good question. Brindle, is this you on your second login again?"
    client = login_as(scene["host"])
    response = client.post(
        f"/comments/{scene['question'].id}/promote",
        data={"title": "Standard of care", "tags": "funding", "intro": intro, "move_replies": "1"},
    )
    assert response.status_code == 422
    page = _html(response)
    assert 'class="nudge"' in page and "<mark" in page
    assert "is this you on your second login again?</textarea>" in page
    assert 'name="move_replies" value="1" checked' in page
    assert db.session.scalar(select(func.count(Thread.id))) == 1
    assert db.session.scalar(select(func.count(Promotion.id))) == 0
    with pytest.raises(NudgeRequired):
        promotion.promote_question(scene["question"], actor=scene["host"], intro=intro)


# --- undo -------------------------------------------------------------------------------------


def test_undo_moves_everything_back_exactly(db, login_as, scene) -> None:
    source, question = scene["thread"], scene["question"]
    before = _positions(_all_in(source))
    new = promotion.promote_question(question, actor=scene["host"], move_replies=True)
    new_id = new.id
    later = make_comment(new, parent=_all_in(new)[0], body="Posted in the new thread.")
    later_top = make_comment(new, body="A top-level response there.")
    moderator = make_moderator()

    response = login_as(moderator).post(
        f"/promotions/{promotion.live_promotion(question.id).id}/undo"
    )
    assert response.status_code == 302

    assert db.session.get(Thread, new_id) is None
    after = _positions(_all_in(source))
    for comment_id, position in before.items():
        assert after[comment_id] == position
    # Responses written in the new thread follow the question back with fresh numbers.
    db.session.refresh(later)
    db.session.refresh(later_top)
    assert later.thread_id == source.id and later.parent_id == scene["replies"][0].id
    assert later_top.parent_id == question.id
    assert {later.number, later_top.number} == {8, 9}
    db.session.refresh(source)
    assert source.comment_count == 9
    promo = db.session.scalar(select(Promotion))
    assert promo.undone_at is not None and promo.thread_id is None
    assert promo.undone_by_id == moderator.id
    log = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "undo_promote")
    )
    assert log.target_id == question.id and log.details["thread_id"] == new_id
    assert log.details["moved_back"] == 3 and log.details["later_responses"] == 2
    # The asker's notification went with the thread, and the question can be promoted again.
    assert (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.kind == NotificationKind.QUESTION_PROMOTED
            )
        )
        == 0
    )
    again = promotion.promote_question(question, actor=scene["host"])
    assert promotion.live_promotion(question.id).thread_id == again.id
    assert db.session.scalar(select(func.count(Promotion.id))) == 2


def test_undo_is_for_moderators_within_the_window(db, login_as, scene) -> None:
    promotion.promote_question(scene["question"], actor=scene["host"], move_replies=True)
    promo = promotion.live_promotion(scene["question"].id)
    assert login_as(scene["host"]).post(f"/promotions/{promo.id}/undo").status_code == 403
    with pytest.raises(PermissionDeniedError):
        promotion.undo_promotion(promo, actor=scene["host"])

    moderator = make_moderator()
    late = promo.created_at + timedelta(hours=72, minutes=1)
    with pytest.raises(ConflictError):
        promotion.undo_promotion(promo, actor=moderator, now=late)
    assert promotion.live_promotion(scene["question"].id) is not None
    assert promotion.undo_promotion(promo, actor=moderator, now=late, window_hours=100)


@pytest.fixture
def config_overrides(request):
    return getattr(request, "param", {})


@pytest.mark.parametrize("config_overrides", [{"PROMOTION_UNDO_HOURS": 0}], indirect=True)
def test_the_undo_window_is_a_setting(db, login_as, scene) -> None:
    new = promotion.promote_question(scene["question"], actor=scene["host"])
    promo = promotion.live_promotion(scene["question"].id)
    response = login_as(make_moderator()).post(f"/promotions/{promo.id}/undo")
    assert response.status_code == 302 and response.location == _url(new)
    assert db.session.get(Thread, new.id) is not None


# --- attribution ------------------------------------------------------------------------------


def test_the_asker_can_be_quoted_as_a_reader(db, login_as, scene) -> None:
    asker, question = scene["asker"], scene["question"]
    new = promotion.promote_question(question, actor=scene["host"], intro="Thanks for this.")
    promo = promotion.live_promotion(question.id)

    assert login_as(scene["host"]).post(f"/promotions/{promo.id}/anonymise").status_code == 403
    assert login_as(make_moderator()).post(f"/promotions/{promo.id}/anonymise").status_code == 403

    client = login_as(asker)
    notes = _html(client.get("/notifications"))
    assert "gave your question its own thread" in notes
    assert f'action="/promotions/{promo.id}/anonymise"' in notes
    assert f'action="/promotions/{promo.id}/anonymise"' in _html(client.get(_url(new)))

    response = client.post(f"/promotions/{promo.id}/anonymise")
    assert response.status_code == 302
    db.session.refresh(new)
    assert new.body_src.startswith("a reader, on ")
    assert "fennel" not in new.body_src and "fennel" not in new.body_html
    assert new.body_src.rstrip().endswith("Thanks for this.")
    page = _html(client.get(_url(new)))
    assert "by\n        a reader\n" in page
    assert (
        f'href="/users/{asker.username}"'
        not in page.split('<div class="body">')[0].split("<h1>")[1]
    )
    assert "anonymise" not in page
    assert 'quotes you as "a reader"' in _html(client.get("/notifications"))


def test_a_reader_quote_leaves_no_link_to_the_signed_comment(app, db, login_as, scene) -> None:
    """Once the asker is "a reader", neither thread links the new one to their signed comment
    for others (it would name them); the asker and moderators still follow the links."""
    question = scene["question"]
    new = promotion.promote_question(question, actor=scene["host"])
    promo = promotion.live_promotion(question.id)
    source, guest = _url(scene["thread"]), app.test_client()
    comment_link = f'href="/comments/{question.id}'
    forward_link = f'href="{_url(new)}"'
    assert comment_link in _html(guest.get(_url(new)))
    assert forward_link in _html(guest.get(source))

    login_as(scene["asker"]).post(f"/promotions/{promo.id}/anonymise")
    for reader in (
        lambda: guest,
        lambda: login_as(scene["host"]),
        lambda: login_as(scene["replier"]),
    ):
        header = _html(reader().get(_url(new))).split('<div class="body">')[0]
        assert "Promoted from a comment by" in header and "a reader" in header
        assert comment_link not in header
        assert forward_link not in _html(reader().get(source))
    for insider in (scene["asker"], make_moderator()):
        assert comment_link in _html(login_as(insider).get(_url(new)))
        assert forward_link in _html(login_as(insider).get(source))


def test_anonymising_an_unknown_promotion_is_404(login_as, scene) -> None:
    assert login_as(scene["asker"]).post("/promotions/999/anonymise").status_code == 404


# --- open questions ---------------------------------------------------------------------------


def test_open_questions_lists_unanswered_unpromoted_questions_by_tag(db, client, scene) -> None:
    raids = make_thread(tags=["raids"])
    open_in_raids = make_comment(raids, body="Who decides whether a raid goes ahead at all?")
    answered = make_comment(raids, body="Which agency pays for the interpreter here?")
    make_comment(raids, parent=answered, body="The county does, mostly.")
    self_follow_up = make_comment(raids, body="Does anyone track what happens a month later?")
    make_comment(raids, parent=self_follow_up, author=self_follow_up.author, body="Still asking.")
    held = make_comment(raids, body="Is there a list of shelters that take people who are working?")
    held.status = CommentStatus.PENDING
    db.session.commit()
    make_comment(raids, body="Statement only, no question.")

    page = _html(client.get("/questions"))
    listed = re.findall(r'<p class="question-text"><a href="/comments/(\d+)">', page)
    # Newest first; scene's question has replies, so it is answered already.
    assert listed == [str(self_follow_up.id), str(open_in_raids.id)]
    assert "Who decides whether a raid goes ahead at all?" in page

    by_tag = _html(client.get("/questions?tag=Raids"))
    assert f"/comments/{open_in_raids.id}" in by_tag
    funding = _html(client.get("/questions?tag=funding"))
    assert "question-item" not in funding and "No open questions in this tag" in funding
    assert "question-item" not in _html(client.get("/questions?tag=no-such-tag"))

    promotion.promote_question(open_in_raids, actor=raids.author)
    assert f"/comments/{open_in_raids.id}" not in _html(client.get("/questions"))
    assert '<a href="/questions">Questions</a>' in page


def _older(page: str) -> str:
    found = re.search(r'<a rel="next" href="([^"]+)">Older</a>', page)
    assert found, "no Older link"
    return found[1].replace("&amp;", "&")


@pytest.mark.parametrize("config_overrides", [{"THREADS_PER_PAGE": 2}], indirect=True)
def test_open_questions_are_paginated(client, app) -> None:
    thread = make_thread(tags=["raids"])
    asked = [make_comment(thread, body=f"Which county funds shelter number {n}?") for n in range(3)]
    first = _html(client.get("/questions?tag=raids"))
    assert first.count('class="question-item"') == 2
    assert f"/comments/{asked[0].id}" not in first
    second = _html(client.get(_older(first)))
    assert "tag=raids" in _older(first)
    assert second.count('class="question-item"') == 1 and f"/comments/{asked[0].id}" in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


@pytest.mark.parametrize("config_overrides", [{"THREADS_PER_PAGE": 2}], indirect=True)
def test_a_deep_page_of_questions_costs_the_statements_of_the_first_and_counts_nothing(
    client, app, count_queries
) -> None:
    thread = make_thread(tags=["raids"])
    for n in range(9):
        make_comment(thread, body=f"Which county funds shelter number {n}?")
    with count_queries() as first:
        page = _html(client.get("/questions"))
    for _ in range(3):
        page = _html(client.get(_older(page)))
    with count_queries() as deep:
        client.get(_older(page))
    assert deep.count == first.count
    assert not any("count(" in s.lower() for s in first.statements + deep.statements)
    # Where the page starts is a comparison on the index's key, not rows skipped (SQLite's
    # LIMIT always carries an OFFSET parameter, zero here).
    assert any("(comments.created_at, comments.id) <" in s for s in deep.statements)


@pytest.mark.parametrize("cursor", ["x", "1-2-3", "99999999999999999999999-1", "<script>"])
def test_a_malformed_questions_cursor_is_a_400(client, cursor) -> None:
    assert client.get("/questions", query_string={"before": cursor}).status_code == 400


def test_only_a_thread_with_promotions_reads_them(client, scene, count_queries) -> None:
    """The thread select tells whether any promotion leads to or from the thread, so the
    common page without one sends no select of promotions; both ends of one still link."""
    thread, question = scene["thread"], scene["question"]

    def promotion_selects(path: str) -> list[str]:
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        return [s for s in counter.statements if s.lstrip().startswith("SELECT promotions")]

    assert promotion_selects(_url(thread)) == []
    new = promotion.promote_question(question, actor=scene["host"], title="Where to sleep")
    assert len(promotion_selects(_url(thread))) == 1
    assert len(promotion_selects(_url(new))) == 1
    assert _url(new) in _html(client.get(_url(thread)))
    assert _url(thread) in _html(client.get(_url(new)))
