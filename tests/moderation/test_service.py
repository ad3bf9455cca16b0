"""Moderation service: nudges, holds, flags, the queue's decisions and the log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.errors import ConflictError, PermissionDeniedError, ValidationError
from forum.models import (
    CommentStatus,
    ModerationAction,
    QueueItem,
    QueueState,
)
from forum.moderation import rules as moderation_rules
from forum.moderation import service as moderation
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

ACCUSATION = "Are some of you traffickers yourselves? What is your real agenda here?"
ARGUMENT = "These statistics are inflated; the report counts every raid as a rescue."


def actions(db) -> list[str]:
    return [a.action for a in db.session.scalars(select(ModerationAction).order_by("id"))]


def test_an_accusation_is_nudged_and_nothing_is_written(app, db) -> None:
    thread = make_thread()
    with pytest.raises(moderation.NudgeRequired) as err:
        threads.reply(thread=thread, author=make_user(), body=ACCUSATION)
    assert err.value.assessment.matches
    assert err.value.fields["body"]
    assert thread.comment_seq == 0
    assert db.session.scalar(select(QueueItem.id)) is None


def test_hard_disagreement_is_published_without_review(app, db) -> None:
    comment = threads.reply(thread=make_thread(), author=make_user(), body=ARGUMENT)
    assert comment.status == CommentStatus.PUBLISHED
    assert db.session.scalar(select(QueueItem.id)) is None


def test_posting_anyway_queues_it_and_a_hold_hides_it_from_others(app, db) -> None:
    thread = make_thread()
    comment = threads.reply(thread=thread, author=make_user(), body=ACCUSATION, confirmed=True)
    item = db.session.scalar(select(QueueItem).where(QueueItem.comment_id == comment.id))
    assert item.state == QueueState.OPEN and item.source == "rules"
    assert item.matches and {"rule_id", "start", "end", "explanation"} <= item.matches[0].keys()
    if comment.status == CommentStatus.PENDING:
        assert comment not in threads.thread_comments(thread, viewer=make_user())
        assert comment in threads.thread_comments(thread, viewer=comment.author)
        assert thread.comment_count == 0
    assert actions(db)[-1].startswith("rules_")


def test_the_log_records_that_the_author_rephrased(app, db) -> None:
    threads.reply(thread=make_thread(), author=make_user(), body=ARGUMENT, nudged=True)
    assert actions(db) == ["author_rephrased"]


def test_new_accounts_first_comments_wait_for_review(app) -> None:
    thread = make_thread()
    author = make_user()
    first = threads.reply(thread=thread, author=author, body=ARGUMENT, new_user_review=1)
    assert first.status == CommentStatus.PENDING
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="approve")
    second = threads.reply(thread=thread, author=author, body=ARGUMENT, new_user_review=1)
    assert second.status == CommentStatus.PUBLISHED
    assert thread.comment_count == 2


def test_flags_count_once_per_reader_and_three_hide_the_comment(app, db) -> None:
    comment = make_comment()
    readers = [make_user() for _ in range(3)]
    moderation.flag_post(comment, actor=readers[0], reason="ad_hominem")
    with pytest.raises(ConflictError):
        moderation.flag_post(comment, actor=readers[0], reason="ad_hominem")
    moderation.flag_post(comment, actor=readers[1], reason="off_topic")
    assert comment.status == CommentStatus.PUBLISHED
    moderation.flag_post(comment, actor=readers[2], reason="ad_hominem", excerpt="the part")
    assert comment.status == CommentStatus.PENDING
    assert "auto_hide" in actions(db)
    assert len(moderation.open_queue(make_moderator())) == 1


@pytest.mark.parametrize(
    ("reason", "note", "field"),
    [("rude", "", "reason"), ("other", "", "note"), ("spam", "x" * 501, "note")],
)
def test_bad_flags_name_the_field(app, reason, note, field) -> None:
    with pytest.raises(ValidationError) as err:
        moderation.flag_post(make_comment(), actor=make_user(), reason=reason, note=note)
    assert field in err.value.fields


def test_authors_cannot_flag_themselves(app) -> None:
    comment = make_comment()
    with pytest.raises(PermissionDeniedError):
        moderation.flag_post(comment, actor=comment.author, reason="spam")


def test_harassment_jumps_the_queue(app) -> None:
    older, newer = make_comment(), make_comment()
    moderation.flag_post(older, actor=make_user(), reason="off_topic")
    moderation.flag_post(newer, actor=make_user(), reason="harassment")
    queue = moderation.open_queue(make_moderator())
    assert [i.comment_id for i in queue] == [newer.id, older.id]


def test_remove_needs_a_reason_the_author_sees_and_upholds_flags(app, db) -> None:
    comment = make_comment()
    reader = make_user()
    moderation.flag_post(comment, actor=reader, reason="ad_hominem")
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    with pytest.raises(ValidationError):
        moderation.decide(item, actor=moderator, decision="remove")
    moderation.decide(item, actor=moderator, decision="remove", reason="Attacks a person.")
    assert comment.status == CommentStatus.REMOVED
    assert comment.removal_reason == "Attacks a person."
    assert comment.thread.comment_count == 0
    with pytest.raises(ConflictError):
        moderation.decide(item, actor=moderator, decision="approve")
    # The reader's upheld flag makes their next flag weigh more.
    later = moderation.flag_post(make_comment(), actor=reader, reason="spam")
    assert later.weight == 1.33
    assert "remove" in actions(db)


def test_edit_and_approve_keeps_the_old_text(app) -> None:
    comment = make_comment(body="Original wording.")
    moderator = make_moderator()
    moderation.flag_post(comment, actor=make_user(), reason="spam")
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="edit_approve", body="Trimmed wording.")
    assert "Trimmed wording." in comment.body_html
    assert [r.body_src for r in comment.revisions] == ["Original wording."]


def test_members_cannot_decide(app) -> None:
    comment = make_comment()
    moderation.flag_post(comment, actor=make_user(), reason="spam")
    (item,) = moderation.open_queue(make_moderator())
    with pytest.raises(PermissionDeniedError):
        moderation.decide(item, actor=make_user(), decision="approve")
    with pytest.raises(PermissionDeniedError):
        moderation.open_queue(make_user())


def test_appeal_once_returns_the_comment_to_the_queue(app) -> None:
    comment = make_comment()
    moderator = make_moderator()
    moderation.flag_post(comment, actor=make_user(), reason="spam")
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="remove", reason="Spam.")
    with pytest.raises(PermissionDeniedError):
        moderation.appeal_removal(comment, actor=make_user(), reason="Not mine but unfair.")
    moderation.appeal_removal(comment, actor=comment.author, reason="It was a real link.")
    (appeal,) = moderation.open_queue(moderator)
    assert appeal.source == "appeal"
    with pytest.raises(ConflictError):
        moderation.appeal_removal(comment, actor=comment.author, reason="Again.")
    moderation.decide(appeal, actor=moderator, decision="approve", reason="Fair point.")
    assert comment.status == CommentStatus.PUBLISHED


def test_suspended_users_can_read_but_not_post(app) -> None:
    user = make_user()
    moderation.suspend_user(user, actor=make_moderator(), days=3, reason="Repeated attacks.")
    assert user.is_suspended
    with pytest.raises(PermissionDeniedError):
        make_comment(author=user)
    with pytest.raises(ValidationError):
        moderation.suspend_user(user, actor=make_moderator(), days=0, reason="")


def test_scoped_moderators_see_only_their_tags(app) -> None:
    from tests.factories import make_admin

    in_scope = make_comment(make_thread(tags=["labor-trafficking"]))
    out_of_scope = make_comment(make_thread(tags=["funding"]))
    for comment in (in_scope, out_of_scope):
        moderation.flag_post(comment, actor=make_user(), reason="spam")
    scoped = make_moderator()
    moderation.set_moderator_scopes(scoped, ["labor-trafficking"], actor=make_admin())
    assert [i.comment_id for i in moderation.open_queue(scoped)] == [in_scope.id]
    assert len(moderation.open_queue(make_moderator())) == 2
    hidden = next(i for i in moderation.open_queue(make_admin()) if i.comment_id == out_of_scope.id)
    with pytest.raises(PermissionDeniedError):
        moderation.decide(hidden, actor=scoped, decision="approve")


def test_rule_edits_are_versioned_and_dry_run_shows_what_they_catch(app) -> None:
    moderator = make_moderator()
    make_comment(body="Honestly the grant officers are such gatekeepers.")
    make_comment(body="Grants went to shelters in 2019.")
    rule = {
        "id": "gatekeeper",
        "kind": "lexicon",
        "terms": ["gatekeepers"],
        "action": "flag",
        "message": "calls people {term}",
    }
    caught = moderation.dry_run_rule(rule)
    assert len(caught) == 1 and "gatekeepers" in caught[0][0].body_src
    admin = make_admin()  # a rule for the whole forum is an admin's to write
    moderation.save_rule(rule, actor=admin)
    moderation.save_rule({**rule, "enabled": False}, actor=admin)
    versions = moderation.rule_versions("gatekeeper")
    assert [v.version for v in versions] == [2, 1]
    assert moderation.get_rule("gatekeeper").enabled is False
    with pytest.raises(ValidationError):
        moderation.save_rule({**rule, "kind": "pattern", "pattern": "(unclosed"}, actor=admin)
    with pytest.raises(ValidationError, match="Only an admin"):
        moderation.save_rule({**rule, "id": "gatekeeper2"}, actor=moderator)
    with pytest.raises(PermissionDeniedError):
        moderation.save_rule(rule, actor=make_user())


def test_a_preview_stops_and_says_why_when_the_rule_runs_out_of_time(app, monkeypatch) -> None:
    """Every recent comment scanned under a spent budget: the preview gives up after a few
    with a message to act on, instead of scanning the whole window slowly."""
    for n in range(moderation.DRY_RUN_TIMEOUTS + 2):
        make_comment(body=f"comment {n}, with commas, in it")
    monkeypatch.setattr(moderation_rules, "TEXT_RULES_BUDGET_SECONDS", 0.0)
    rule = {"id": "mod.commas", "kind": "pattern", "pattern": r"commas, in\b",
            "action": "flag", "message": "m"}  # fmt: skip
    with pytest.raises(ValidationError, match="ran out of time on 3 recent comments"):
        moderation.dry_run_rule(rule)


def test_a_reply_is_screened_against_the_comment_it_answers(app, db) -> None:
    """ "NAME sounds a lot like OTHER" is a sock-puppet hint once NAME is a person in the
    thread; in a thread where nobody is called that, the same words pass."""
    thread = make_thread()
    parent = make_comment(thread, author=make_user("brindle"), body="The audit counted calls.")
    author = make_user()
    text = "brindle sounds a lot like Fenwick, down to the commas."
    held = threads.reply(thread=thread, author=author, body=text, parent=parent, confirmed=True)
    assert held.status == CommentStatus.PENDING
    elsewhere = threads.reply(thread=make_thread(), author=author, body=text)
    assert elsewhere.status == CommentStatus.PUBLISHED


def test_a_threads_people_are_read_from_its_latest_comments_only(
    db, count_queries, monkeypatch
) -> None:
    """Naming someone in a thread counts as naming a person when they wrote one of its latest
    comments (or the opening post): reading every comment's author made a post cost more the
    longer the thread grew."""
    from forum.moderation import screening

    monkeypatch.setattr(screening, "PARTICIPANTS_FROM_LATEST", 3)
    host, early, *late = (make_user(f"person{i}") for i in range(5))
    thread = make_thread(host)
    make_comment(thread, author=early)
    for person in late:
        make_comment(thread, author=person)
    names = moderation.thread_participants(thread)
    assert names == sorted(["person0", "person2", "person3", "person4"])
    with count_queries() as read:
        moderation.thread_participants(thread)
    assert read.count == 1 and "LIMIT" in read.statements[0].upper()
    attack = "person3 is a paid shill."
    assert moderation.screen_text(attack, thread=thread, author=host).flagged
    assert not moderation.screen_text(
        "person1 is a paid shill.", thread=thread, author=host
    ).flagged  # fell out of the window: read as a word, not a person
