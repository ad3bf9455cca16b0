"""Moderation people can see, and moderators kept out of their own fights: removed comments
leave a numbered placeholder with the kind of problem; /moderation and /tags/<slug>/moderation
show per-month counts with no names; a moderator who takes part can't decide, an admin may
override, logged."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from forum.auth.service import create_token
from forum.errors import PermissionDeniedError, ValidationError
from forum.models import CommentStatus, ModerationAction, User
from forum.moderation import service as moderation
from forum.moderation.transparency import moderation_report
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

ATTACK = "Are some of you traffickers yourselves? What is your real motivation?"


def _html(response) -> str:
    return response.get_data(as_text=True)


def _held_attack(thread, author=None, parent=None):
    return threads.reply(
        thread=thread, author=author or make_user(), body=ATTACK, parent=parent, confirmed=True
    )


# --------------------------------------------------------------------------- removals shown


def test_readers_see_that_a_comment_was_removed_and_why_never_what_or_whose(
    client, login_as, db
) -> None:
    thread = make_thread()
    make_comment(thread, body="The 2025 report undercounts labour cases.")
    attacker = make_user("plainspoken")
    attack = _held_attack(thread, attacker)
    item = moderation.open_item(attack)
    moderation.decide(
        item,
        actor=make_moderator(),
        decision="remove",
        reason="Argue with the report, not the people here.",
        category="personal_attack",
    )
    page = _html(client.get(f"/threads/{thread.id}"))
    assert f"#{attack.number}</a>" in page
    assert "removed by a moderator: personal attack" in page
    assert "traffickers" not in page and "plainspoken" not in page
    assert "Argue with the report" not in page  # the reason is the author's
    login_as(attacker)
    own = _html(client.get(f"/threads/{thread.id}"))
    assert "traffickers" in own and "Argue with the report, not the people here." in own
    assert "Appeal this removal" in own
    login_as(make_moderator())
    assert "traffickers" in _html(client.get(f"/threads/{thread.id}"))


def test_a_reply_to_a_removed_comment_names_no_one(client, db) -> None:
    thread = make_thread()
    attack = threads.reply(
        thread=thread,
        author=make_user("plainspoken"),
        body="You people are liars about the numbers.",
        confirmed=True,
    )
    assert attack.status == CommentStatus.PUBLISHED  # flagged by the rules, not held
    make_comment(thread, parent=attack, body="Please argue with the numbers instead.")
    moderation.decide(
        moderation.open_item(attack), actor=make_moderator(), decision="remove", reason="Attack."
    )
    page = _html(client.get(f"/threads/{thread.id}"))
    assert f"a removed comment #{attack.number}" in page and "plainspoken" not in page


def test_the_removal_category_must_be_one_of_the_known_ones(app) -> None:
    attack = _held_attack(make_thread())
    with pytest.raises(ValidationError) as raised:
        moderation.decide(
            moderation.open_item(attack),
            actor=make_moderator(),
            decision="remove",
            reason="x",
            category="<script>",
        )
    assert "category" in raised.value.fields
    assert attack.status == CommentStatus.PENDING


# --------------------------------------------------------------------------- own fights


def test_a_moderator_who_takes_part_sees_the_item_but_cannot_decide_it(
    client, login_as, db
) -> None:
    moderator = make_moderator("dana_k")
    thread = make_thread()
    make_comment(thread, author=moderator, body="The grants table is on page 4.")
    attack = _held_attack(thread)
    item = moderation.open_item(attack)
    login_as(moderator)
    page = _html(client.get(f"/mod/queue/{item.id}"))
    assert "Someone else must decide: you take part in this thread." in page
    assert 'name="decision"' not in page
    response = client.post(
        f"/mod/queue/{item.id}", data={"decision": "remove", "reason": "Personal attack."}
    )
    assert response.status_code == 403
    assert "Someone else must decide" in _html(response)
    token = create_token(moderator, "t")
    api = client.post(
        f"/api/v1/moderation/queue/{item.id}",
        json={"decision": "remove", "reason": "Personal attack."},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert api.status_code == 403
    # Bulk decisions skip it too.
    client.post("/mod/queue/bulk", data={"decision": "approve", "item_id": str(item.id)})
    db.session.refresh(item)
    assert item.state == "open" and attack.status == CommentStatus.PENDING
    # Another moderator decides.
    moderation.decide(item, actor=make_moderator(), decision="remove", reason="Attack.")


def test_a_moderator_named_or_answered_by_the_post_is_a_party_too(db) -> None:
    moderator = make_moderator("dana_k")
    thread = make_thread()
    named = threads.reply(
        thread=thread, author=make_user(), body="dana_k, are you a pimp?", confirmed=True
    )
    with pytest.raises(PermissionDeniedError, match="the post names you"):
        moderation.decide(moderation.open_item(named), actor=moderator, decision="approve")
    other = make_moderator()
    mine = make_comment(make_thread(), author=other, body="Funding is down 20%.")
    answer = _held_attack(mine.thread, parent=mine)
    with pytest.raises(PermissionDeniedError, match="you take part in this thread"):
        moderation.decide(moderation.open_item(answer), actor=other, decision="approve")


def test_an_admin_may_override_and_the_log_says_so(client, login_as, db) -> None:
    admin = make_admin("quillfeather")
    thread = make_thread(admin)
    attack = _held_attack(thread)
    item = moderation.open_item(attack)
    login_as(admin)
    page = _html(client.get(f"/mod/queue/{item.id}"))
    assert "As an admin you may override" in page
    refused = client.post(f"/mod/queue/{item.id}", data={"decision": "remove", "reason": "x"})
    assert refused.status_code == 403
    done = client.post(
        f"/mod/queue/{item.id}",
        data={"decision": "remove", "reason": "Personal attack.", "override": "1"},
    )
    assert done.status_code == 302
    row = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "remove"))
    assert row.details["override"] == "you take part in this thread"
    assert row.actor_id == admin.id


def test_the_queue_page_costs_the_same_queries_for_one_item_and_for_many(
    client, login_as, db, count_queries
) -> None:
    moderator = make_moderator()
    login_as(moderator)
    readers = [make_user().id for _ in range(2)]

    def queue_some(n: int) -> None:
        """A held attack and a reply to it flagged twice, per ``n``."""
        attack = _held_attack(make_thread(title=f"Thread {n}"))
        reply = make_comment(attack.thread, body=f"A point on funding {n}.")
        for reader in readers:
            moderation.flag_post(reply, actor=db.session.get(User, reader), reason="spam")

    queue_some(0)
    db.session.remove()
    with count_queries() as one:
        assert client.get("/mod/queue").status_code == 200
    for n in range(1, 25):
        queue_some(n)
    db.session.remove()
    with count_queries() as many:
        page = client.get("/mod/queue")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count('<article class="mod-item') == 50
    assert many.count == one.count


# --------------------------------------------------------------------------- transparency


def test_the_transparency_page_counts_each_month_and_names_no_one(client, login_as, db) -> None:
    housing = make_thread(tags=["housing"])
    other = make_thread(tags=["funding"])
    make_comment(housing, author=make_user("plainspoken"), body="Beds are scarce.")
    removed = _held_attack(housing, make_user("angryone"))
    moderation.decide(
        moderation.open_item(removed),
        actor=make_moderator("dana_k"),
        decision="remove",
        reason="Attack.",
    )
    kept = _held_attack(other)
    moderation.decide(moderation.open_item(kept), actor=make_moderator(), decision="approve")
    moderation.appeal_removal(removed, actor=removed.author, reason="I asked a question.")
    moderation.decide(
        moderation.open_item(removed), actor=make_moderator(), decision="remove", reason="Stands."
    )
    page = _html(client.get("/moderation"))
    month = datetime.now(UTC).strftime("%B %Y")
    row = re.search(rf"<th scope=\"row\">{month}</th>((?:<td>\d+</td>)+)", page)
    assert row is not None
    # posted (2 threads + 3 comments), held, removed, left up, appeals, stood, reinstated
    assert re.findall(r"\d+", row.group(1)) == ["5", "2", "1", "1", "1", "1", "0"]
    assert "accuse.role" in page and "motive.agenda" in page
    for name in ("plainspoken", "angryone", "dana_k", housing.author.username):
        assert name not in page
    tag_page = _html(client.get("/tags/housing/moderation"))
    tag_row = re.search(rf"<th scope=\"row\">{month}</th>((?:<td>\d+</td>)+)", tag_page)
    assert re.findall(r"\d+", tag_row.group(1)) == ["3", "1", "1", "0", "1", "1", "0"]
    assert client.get("/tags/no-such-tag/moderation").status_code == 404


def test_the_report_is_a_fixed_number_of_queries(app, db, count_queries) -> None:
    for n in range(5):
        _held_attack(make_thread(title=f"Thread {n}"))
    with count_queries() as few:
        moderation_report(now=datetime.now(UTC))
    for n in range(20):
        _held_attack(make_thread(title=f"More {n}"))
    with count_queries() as many:
        moderation_report(now=datetime.now(UTC))
    assert few.count == many.count <= 8
