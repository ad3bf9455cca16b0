"""Moderation pages as a moderator, an admin, a reader and a stranger use them."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    ModerationAction,
    ModerationRuleVersion,
    QueueItem,
    QueueState,
    User,
)
from forum.moderation import service as moderation
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user
from tests.markup import without_site_script

ACCUSATION = "Are some of you traffickers yourselves? What is your real agenda here?"
ARGUMENT = "These statistics are inflated; the report counts every raid as a rescue."
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'


def _html(response) -> str:
    return response.get_data(as_text=True)


def _count(db, model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _log(db) -> list[ModerationAction]:
    return list(db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def _flagged(body: str | None = None, *, reason: str = "ad_hominem", **kwargs) -> QueueItem:
    comment = make_comment(body=body)
    moderation.flag_post(comment, actor=make_user(), reason=reason, **kwargs)
    return _item_for(comment)


def _item_for(comment: Comment) -> QueueItem:
    return moderation.open_queue(make_admin(), limit=1000)[
        [i.comment_id for i in moderation.open_queue(make_admin(), limit=1000)].index(comment.id)
    ]


def _rule_matched() -> QueueItem:
    """A published comment a moderator's ``flag`` rule matched: its item carries the spans."""
    moderation.save_rule(
        {
            "id": "windbag",
            "kind": "lexicon",
            "terms": ["windbag"],
            "action": "flag",
            "message": "'{term}' describes people, not arguments",
        },
        actor=make_admin(),
    )
    thread = make_thread(title="Raids and rescue statistics")
    parent = make_comment(thread, body="The 2019 report counted every raid as a rescue.")
    comment = threads.reply(
        thread=thread,
        author=make_user(),
        parent=parent,
        body="The whole thread is windbag talk; the 2019 data says otherwise.",
        confirmed=True,
    )
    assert comment.status == CommentStatus.PUBLISHED
    return _item_for(comment)


# --- Who may come in ------------------------------------------------------------------------

MODERATOR_PAGES = ["/mod/queue", "/mod/log", "/mod/rules", "/mod/rules/new"]


@pytest.mark.parametrize("url", MODERATOR_PAGES)
def test_strangers_are_sent_to_sign_in(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", MODERATOR_PAGES)
def test_members_are_refused(client, login_as, url) -> None:
    login_as(make_user())
    assert client.get(url).status_code == 403


def test_members_cannot_open_items_users_or_post_decisions(client, login_as, db) -> None:
    item = _flagged()
    target = make_user()
    login_as(make_user())
    assert client.get(f"/mod/queue/{item.id}").status_code == 403
    assert client.post(f"/mod/queue/{item.id}", data={"decision": "approve"}).status_code == 403
    data = {"item_id": [item.id], "decision": "approve"}
    assert client.post("/mod/queue/bulk", data=data).status_code == 403
    assert client.get(f"/mod/users/{target.username}").status_code == 403
    assert (
        client.post(f"/mod/users/{target.username}/warn", data={"reason": "x"}).status_code == 403
    )
    data = {"days": "3", "reason": "x"}
    assert client.post(f"/mod/users/{target.username}/suspend", data=data).status_code == 403
    assert db.session.get(QueueItem, item.id).state == QueueState.OPEN
    assert _log(db) == []


def test_a_scoped_moderator_sees_only_their_tags_and_gets_404_elsewhere(
    client, login_as, db
) -> None:
    housing = make_comment(make_thread(tags=["housing"]))
    moderation.flag_post(housing, actor=make_user(), reason="spam")
    elsewhere = _flagged()  # a "funding" thread
    scoped = make_moderator()
    moderation.set_moderator_scopes(scoped, ["housing"], actor=make_admin())
    login_as(scoped)

    html = _html(client.get("/mod/queue"))
    assert f'id="item-{_item_for(housing).id}"' in html
    assert f'id="item-{elsewhere.id}"' not in html
    assert client.get(f"/mod/queue/{elsewhere.id}").status_code == 404
    response = client.post(f"/mod/queue/{elsewhere.id}", data={"decision": "approve"})
    assert response.status_code == 404
    data = {"item_id": [elsewhere.id], "decision": "approve"}
    assert client.post("/mod/queue/bulk", data=data).status_code == 404
    assert db.session.get(QueueItem, elsewhere.id).state == QueueState.OPEN


# --- The queue ------------------------------------------------------------------------------


def test_the_queue_shows_each_item_in_context(client, login_as) -> None:
    item = _rule_matched()
    comment = item.comment
    reader = make_user("carefulreader")
    moderation.flag_post(
        comment,
        actor=reader,
        reason="ad_hominem",
        note="Calls people in the thread windbags.",
        excerpt="the 2019   DATA says",
    )
    login_as(make_moderator())

    html = _html(client.get("/mod/queue"))

    thread = comment.thread
    assert f'href="/threads/{thread.id}/{thread.slug}">Raids and rescue statistics</a>' in html
    assert "The 2019 report counted every raid as a rescue." in html  # the parent's excerpt
    marked = re.findall(r'<mark class="([^"]*)"[^>]*>([^<]*)</mark>', html)
    assert any("hl-rule" in cls and text for cls, text in marked)
    assert any("hl-flag" in cls and text == "the 2019 data says" for cls, text in marked)
    assert [m["rule_id"] for m in item.matches] == ["windbag"]
    assert '<mark class="hl-rule " title="&#39;windbag&#39; describes people' in html
    assert "&#39;windbag&#39; describes people, not arguments" in html
    assert "Attacks a person, not an argument" in html
    assert "Calls people in the thread windbags." in html
    assert "carefulreader" in html
    assert 'class="badge badge-rules">Rules</span>' in html
    assert "<dt>Published</dt>" in html
    for decision in ("approve", "remove", "dismiss", "edit_approve"):
        assert f'name="decision" value="{decision}"' in html
    assert f'action="/mod/users/{comment.author.username}/warn"' in html
    assert f'action="/mod/users/{comment.author.username}/suspend"' in html
    # One item: no bulk box or checkboxes; the post's own age beside the time it was queued.
    assert 'id="bulk-form"' not in html and 'form="bulk-form"' not in html
    assert re.search(r"queued <time[^>]*>[^<]*</time> · posted <time", html)


def test_bulk_decisions_appear_with_two_items(client, login_as) -> None:
    _flagged(reason="off_topic")
    _flagged(reason="ad_hominem")
    login_as(make_moderator())
    html = _html(client.get("/mod/queue"))
    assert 'id="bulk-form"' in html and 'data-until-selected="2"' in html
    assert html.count('form="bulk-form"') == 2


def test_the_queue_puts_harassment_first(client, login_as) -> None:
    older = _flagged(reason="off_topic")
    newer = _flagged(reason="harassment")
    login_as(make_moderator())
    html = _html(client.get("/mod/queue"))
    assert html.index(f'id="item-{newer.id}"') < html.index(f'id="item-{older.id}"')


def test_an_empty_queue_says_so(client, login_as) -> None:
    login_as(make_moderator())
    assert "Nothing waits for review" in _html(client.get("/mod/queue"))


def test_an_item_page_shows_the_replies_beneath_it(client, login_as) -> None:
    item = _flagged()
    make_comment(item.comment.thread, parent=item.comment, body="A reply that stays on topic.")
    login_as(make_moderator())
    html = _html(client.get(f"/mod/queue/{item.id}"))
    assert "A reply that stays on topic." in html
    assert "Back to the queue" in html


# --- Decisions ------------------------------------------------------------------------------


def test_approve_closes_the_item_logs_it_and_it_leaves_the_queue(client, login_as, db) -> None:
    item = _flagged()
    moderator = make_moderator()
    login_as(moderator)

    response = client.post(f"/mod/queue/{item.id}", data={"decision": "approve"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mod/queue")
    assert db.session.get(QueueItem, item.id).state == QueueState.APPROVED
    row = _log(db)[-1]
    assert (row.action, row.actor_id, row.target_id) == ("approve", moderator.id, item.comment_id)
    page = _html(client.get("/mod/queue"))
    assert "Approved comment #" in page
    assert f'id="item-{item.id}"' not in page


def test_remove_records_the_reason_for_the_author(client, login_as, db) -> None:
    item = _flagged()
    login_as(make_moderator())
    data = {"decision": "remove", "reason": "Attacks a person, not the argument."}
    assert client.post(f"/mod/queue/{item.id}", data=data).status_code == 302
    comment = db.session.get(Comment, item.comment_id)
    assert comment.status == CommentStatus.REMOVED
    assert comment.removal_reason == "Attacks a person, not the argument."
    assert _log(db)[-1].reason == "Attacks a person, not the argument."
    assert db.session.scalar(select(Flag.outcome)) == "upheld"


def test_remove_without_a_reason_is_refused_and_changes_nothing(client, login_as, db) -> None:
    item = _flagged()
    before = len(_log(db))
    login_as(make_moderator())

    response = client.post(f"/mod/queue/{item.id}", data={"decision": "remove", "reason": " "})

    assert response.status_code == 422
    assert "Give the author a reason for the removal." in _html(response)
    db.session.expire_all()
    assert db.session.get(QueueItem, item.id).state == QueueState.OPEN
    assert db.session.get(Comment, item.comment_id).status == CommentStatus.PUBLISHED
    assert len(_log(db)) == before


@pytest.mark.parametrize("decision", ["", "ban", "APPROVE"])
def test_an_unknown_decision_is_refused(client, login_as, db, decision) -> None:
    item = _flagged()
    login_as(make_moderator())
    response = client.post(f"/mod/queue/{item.id}", data={"decision": decision})
    assert response.status_code == 422
    assert "Decision must be one of" in _html(response)
    assert db.session.get(QueueItem, item.id).state == QueueState.OPEN


def test_edit_and_approve_keeps_the_old_text(client, login_as, db) -> None:
    item = _flagged(body="Original wording with a jab.")
    login_as(make_moderator())
    data = {"decision": "edit_approve", "body": "Original wording."}
    assert client.post(f"/mod/queue/{item.id}", data=data).status_code == 302
    comment = db.session.get(Comment, item.comment_id)
    assert comment.body_src == "Original wording."
    assert [r.body_src for r in comment.revisions] == ["Original wording with a jab."]
    assert _log(db)[-1].details["edited"] is True


def test_edit_and_approve_with_empty_text_keeps_the_form(client, login_as, db) -> None:
    item = _flagged(body="Original wording.")
    login_as(make_moderator())
    response = client.post(
        f"/mod/queue/{item.id}", data={"decision": "edit_approve", "body": "  ", "reason": "kept"}
    )
    assert response.status_code == 422
    assert 'value="kept"' in _html(response)
    assert db.session.get(QueueItem, item.id).state == QueueState.OPEN


def test_dismiss_settles_the_flags(client, login_as, db) -> None:
    item = _flagged()
    login_as(make_moderator())
    assert client.post(f"/mod/queue/{item.id}", data={"decision": "dismiss"}).status_code == 302
    assert db.session.get(QueueItem, item.id).state == QueueState.DISMISSED
    assert db.session.scalar(select(Flag.outcome)) == "dismissed"


def test_a_decided_item_is_a_conflict(client, login_as) -> None:
    item = _flagged()
    login_as(make_moderator())
    client.post(f"/mod/queue/{item.id}", data={"decision": "approve"})
    response = client.post(f"/mod/queue/{item.id}", data={"decision": "remove", "reason": "x"})
    assert response.status_code == 409
    assert "already decided" in _html(response)


def test_bulk_approve_of_three_items(client, login_as, db) -> None:
    items = [_flagged() for _ in range(3)]
    untouched = _flagged()
    login_as(make_moderator())

    response = client.post(
        "/mod/queue/bulk", data={"item_id": [i.id for i in items], "decision": "approve"}
    )

    assert response.status_code == 302
    db.session.expire_all()
    assert [db.session.get(QueueItem, i.id).state for i in items] == [QueueState.APPROVED] * 3
    assert db.session.get(QueueItem, untouched.id).state == QueueState.OPEN
    assert [a.action for a in _log(db)].count("approve") == 3
    assert "Approved 3 items." in _html(client.get("/mod/queue"))


def test_bulk_remove_needs_a_reason_and_changes_nothing_without(client, login_as, db) -> None:
    items = [_flagged() for _ in range(2)]
    login_as(make_moderator())
    data = {"item_id": [i.id for i in items], "decision": "remove"}

    response = client.post("/mod/queue/bulk", data=data)
    assert response.status_code == 422
    assert "Give the authors a reason" in _html(response)
    assert _count(db, QueueItem, QueueItem.state == QueueState.OPEN) == 2

    response = client.post("/mod/queue/bulk", data={**data, "reason": "Personal attacks."})
    assert response.status_code == 302
    assert _count(db, Comment, Comment.status == CommentStatus.REMOVED) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Select at least one item."),
        ({"decision": "dismiss", "item_id": "1"}, "Choose approve or remove"),
    ],
)
def test_bulk_refuses_bad_input(client, login_as, data, message) -> None:
    _flagged()
    login_as(make_moderator())
    response = client.post("/mod/queue/bulk", data=data)
    assert response.status_code == 422
    assert message in _html(response)


# --- Warnings, suspensions, scopes ----------------------------------------------------------


def test_warn_from_the_queue_logs_it_against_the_comment(client, login_as, db) -> None:
    item = _flagged()
    author = item.comment.author
    login_as(make_moderator())
    response = client.post(
        f"/mod/users/{author.username}/warn",
        data={
            "reason": "Argue with the claim.",
            "comment_id": item.comment_id,
            "next": "/mod/queue",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mod/queue")
    row = _log(db)[-1]
    assert (row.action, row.subject_id, row.target_type) == ("warn", author.id, "comment")
    assert moderation.author_record(author)["warnings"] == 1


def test_warn_needs_a_reason_and_ignores_foreign_next(client, login_as, db) -> None:
    author = make_user()
    login_as(make_moderator())
    response = client.post(f"/mod/users/{author.username}/warn", data={"reason": ""})
    assert response.status_code == 422
    assert "Say what the warning is for." in _html(response)
    response = client.post(
        f"/mod/users/{author.username}/warn",
        data={"reason": "Tone.", "next": "https://evil.example/"},
    )
    assert response.headers["Location"].endswith(f"/mod/users/{author.username}")


def test_suspend_sets_the_date_and_logs_it(client, login_as, db) -> None:
    author = make_user()
    login_as(make_moderator())
    data = {"days": "7", "reason": "Repeated personal attacks."}
    assert client.post(f"/mod/users/{author.username}/suspend", data=data).status_code == 302
    db.session.refresh(author)
    assert author.is_suspended
    row = _log(db)[-1]
    assert (row.action, row.details["days"]) == ("suspend", 7)


@pytest.mark.parametrize("days", ["0", "400", "soon"])
def test_suspend_refuses_bad_days(client, login_as, db, days) -> None:
    author = make_user()
    login_as(make_moderator())
    response = client.post(
        f"/mod/users/{author.username}/suspend", data={"days": days, "reason": "Attacks."}
    )
    assert response.status_code == 422
    assert "Suspend for 1 to 365 days." in _html(response)
    db.session.refresh(author)
    assert author.suspended_until is None


def test_only_admins_suspend_moderators(client, login_as, db) -> None:
    colleague = make_moderator()
    data = {"days": "1", "reason": "Cooling off."}
    login_as(make_moderator())
    assert client.post(f"/mod/users/{colleague.username}/suspend", data=data).status_code == 403
    login_as(make_admin())
    assert client.post(f"/mod/users/{colleague.username}/suspend", data=data).status_code == 302


def test_an_unknown_user_is_404(client, login_as) -> None:
    login_as(make_moderator())
    assert client.get("/mod/users/nobody-here").status_code == 404
    assert client.post("/mod/users/nobody-here/warn", data={"reason": "x"}).status_code == 404


def test_admins_set_a_moderators_scopes_and_the_page_shows_them(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    make_thread(tags=["labor"])
    moderator = make_moderator()
    login_as(make_admin())

    response = client.post(
        f"/mod/users/{moderator.username}/scopes", data={"tags": "Housing, labor"}
    )

    assert response.status_code == 302
    html = _html(client.get(f"/mod/users/{moderator.username}"))
    assert "Threads tagged housing, labor." in html
    assert _log(db)[-1].details == {"tags": ["housing", "labor"]}
    client.post(f"/mod/users/{moderator.username}/scopes", data={"tags": ""})
    assert "Every tag." in _html(client.get(f"/mod/users/{moderator.username}"))


def test_unknown_scope_tags_are_refused(client, login_as) -> None:
    moderator = make_moderator()
    login_as(make_admin())
    response = client.post(f"/mod/users/{moderator.username}/scopes", data={"tags": "nosuchtag"})
    assert response.status_code == 422
    assert "Unknown tags: nosuchtag." in _html(response)


def test_moderators_cannot_set_scopes(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    colleague = make_moderator()
    login_as(make_moderator())
    response = client.post(f"/mod/users/{colleague.username}/scopes", data={"tags": "housing"})
    assert response.status_code == 403
    assert moderation.moderator_scope_tag_ids(colleague) == []
    assert "Save scopes" not in _html(client.get(f"/mod/users/{colleague.username}"))


def test_the_user_page_shows_the_record_and_recent_actions(client, login_as) -> None:
    author = make_user()
    moderator = make_moderator()
    moderation.warn_user(author, actor=moderator, reason="Mind the tone.")
    login_as(moderator)
    html = _html(client.get(f"/mod/users/{author.username}"))
    assert "<dt>Warnings</dt><dd>1</dd>" in html
    assert "Mind the tone." in html


# --- The log --------------------------------------------------------------------------------


def test_the_log_shows_who_what_target_and_reason_and_filters(client, login_as, db) -> None:
    item = _flagged()
    moderator = make_moderator("kestrel")
    moderation.decide(item, actor=moderator, decision="remove", reason="Attacks a person.")
    moderation.warn_user(make_user("other1"), actor=moderator, reason="Tone.")
    login_as(moderator)

    html = _html(client.get("/mod/log"))
    assert "kestrel" in html and "Attacks a person." in html and "Tone." in html
    assert f'href="/comments/{item.comment_id}"' in html

    filtered = _html(client.get("/mod/log?action=warn"))
    assert "Tone." in filtered and "Attacks a person." not in filtered
    by_subject = _html(client.get("/mod/log?subject=other1"))
    assert "Tone." in by_subject and "Attacks a person." not in by_subject
    assert "No actions match" in _html(client.get("/mod/log?actor=nobody"))


def test_the_log_pages_and_keeps_the_filters(client, login_as, monkeypatch) -> None:
    from forum.moderation.routes import dashboard

    monkeypatch.setattr(dashboard, "LOG_PER_PAGE", 2)
    moderator = make_moderator()
    target = make_user()
    for n in range(5):
        moderation.warn_user(target, actor=moderator, reason=f"Warning {n}.")
    login_as(moderator)
    first = _html(client.get("/mod/log?action=warn"))
    assert "Warning 4." in first and "Warning 2." not in first
    assert "action=warn" in re.search(r'<a rel="next" href="([^"]*)"', first).group(1)
    assert "Warning 0." in _html(client.get("/mod/log?action=warn&page=3"))


# --- Rules ----------------------------------------------------------------------------------

RULE = {
    "id": "lackey",
    "kind": "lexicon",
    "terms": "lackey\ncorporate shill",
    "target": "person",
    "action": "flag",
    "message": "Calling someone a {term} attacks the person.",
    "enabled": "1",
    "respect_negation": "1",
    "tags": "",
}


def test_the_rules_list_shows_the_effective_rules(client, login_as) -> None:
    moderation.save_rule(
        {**RULE, "terms": ["lackey"], "tags": [], "enabled": True, "respect_negation": True},
        actor=make_admin(),
    )
    login_as(make_moderator())
    html = _html(client.get("/mod/rules"))
    assert 'href="/mod/rules/lackey">lackey</a>' in html
    assert "v1" in html
    for rule in moderation.effective_rules():
        assert f">{rule.id}</a>" in html


def test_preview_shows_what_would_be_caught_without_saving(client, login_as, db) -> None:
    thread = make_thread()
    # Held by the default rules, and still previewed: pending comments count too.
    threads.reply(
        thread=thread,
        author=make_user(),
        body="Honestly you are a lackey for the agencies.",
        confirmed=True,
    )
    make_comment(thread, body=ARGUMENT)
    login_as(make_moderator())

    response = client.post("/mod/rules/new", data={**RULE, "preview": "1"})

    html = _html(response)
    assert response.status_code == 200
    assert "1 of the last 1000 comments would be caught" in html
    assert re.search(r"<mark [^>]*>[^<]*lackey[^<]*</mark>", html)
    assert "Nothing was saved." in html
    assert _count(db, ModerationRuleVersion) == 0
    assert moderation.get_rule("lackey") is None
    assert 'value="lackey"' in html  # the form is kept


def test_saving_creates_version_one_then_two(client, login_as, db) -> None:
    login_as(make_admin())
    response = client.post("/mod/rules/new", data={**RULE, "save": "1"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/mod/rules/lackey")
    assert moderation.get_rule("lackey").terms == ("lackey", "corporate shill")

    response = client.post("/mod/rules/lackey", data={**RULE, "action": "hold", "save": "1"})
    assert response.status_code == 302
    assert [v.version for v in moderation.rule_versions("lackey")] == [2, 1]
    assert moderation.get_rule("lackey").action == "hold"
    assert [a.action for a in _log(db)] == ["rule_create", "rule_edit"]
    html = _html(client.get("/mod/rules/lackey"))
    assert "v2" in html and "v1" in html
    assert 'name="terms" rows="6">lackey\ncorporate shill</textarea>' in html


def test_an_existing_default_rule_can_be_turned_off(client, login_as) -> None:
    rule = moderation.effective_rules()[0]
    login_as(make_admin())
    form = _html(client.get(f"/mod/rules/{rule.id}"))
    assert rule.message.replace("'", "&#39;").replace('"', "&#34;") in form
    data = {
        "kind": rule.kind,
        "action": rule.action,
        "message": rule.message,
        "pattern": rule.pattern,
        "terms": "\n".join(rule.terms),
        "target": rule.target,
        "tags": ", ".join(rule.tags),
        "save": "1",
    }
    if rule.respect_negation:
        data["respect_negation"] = "1"
    assert client.post(f"/mod/rules/{rule.id}", data=data).status_code == 302
    assert moderation.get_rule(rule.id).enabled is False
    assert moderation.get_rule(rule.id).pattern == rule.pattern


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "pattern", "pattern": "(unclosed", "terms": ""}, "invalid regular expression"),
        ({"kind": "pattern", "pattern": "(a+)+$"}, "nested repetition"),
        ({"kind": "pattern", "pattern": "{nosuchmacro}"}, "unknown macro"),
        ({"kind": "regex"}, "kind must be one of"),
        ({"action": "allow"}, "action must be one of"),
        ({"id": "Bad Id"}, "must be 1-64 lowercase"),
        ({"terms": ""}, "needs at least one term"),
    ],
)
def test_an_invalid_rule_is_refused_and_the_form_kept(
    client, login_as, db, changes, message
) -> None:
    login_as(make_moderator())
    for button in ("preview", "save"):
        response = client.post("/mod/rules/new", data={**RULE, **changes, button: "1"})
        html = _html(response)
        assert response.status_code == 422
        assert message in html
        assert 'name="message" maxlength="200" value="Calling someone a {term}' in html
    assert _count(db, ModerationRuleVersion) == 0


def test_a_new_rule_cannot_take_an_existing_id(client, login_as) -> None:
    login_as(make_moderator())
    existing = moderation.effective_rules()[0].id
    response = client.post("/mod/rules/new", data={**RULE, "id": existing, "save": "1"})
    assert response.status_code == 422
    assert "exists already" in _html(response)


def test_only_an_admin_writes_rules_for_the_whole_forum(client, login_as, db) -> None:
    """A moderator of the whole forum writes rules limited to tags; a rule for every tag (a
    new one without tags, or any default rule) is refused, and its page says why."""
    login_as(make_moderator())
    response = client.post("/mod/rules/new", data={**RULE, "save": "1"})
    assert response.status_code == 422
    assert "Only an admin writes rules for the whole forum." in _html(response)
    assert moderation.get_rule("lackey") is None
    limited = client.post("/mod/rules/new", data={**RULE, "tags": "funding", "save": "1"})
    assert limited.status_code == 302 and moderation.get_rule("lackey").tags == ("funding",)

    default = moderation.get_rule("accuse.role")
    page = _html(client.get("/mod/rules/accuse.role"))
    assert "only an admin can change it" in page and 'name="save"' not in page
    data = {**RULE, "id": "accuse.role", "terms": "\n".join(default.terms), "save": "1"}
    assert client.post("/mod/rules/accuse.role", data=data).status_code == 403
    assert moderation.get_rule("accuse.role") == default
    login_as(make_admin())
    assert 'name="save"' in _html(client.get("/mod/rules/accuse.role"))


def test_an_unknown_rule_is_404(client, login_as) -> None:
    login_as(make_moderator())
    assert client.get("/mod/rules/no-such-rule").status_code == 404


# --- Flags ----------------------------------------------------------------------------------


def test_a_reader_flags_a_comment_once(client, login_as, db) -> None:
    comment = make_comment()
    reader = make_user()
    login_as(reader)
    form = _html(client.get(f"/comments/{comment.id}/flag"))
    assert "Attacks a person, not an argument" in form
    assert 'name="excerpt"' in form

    response = client.post(
        f"/comments/{comment.id}/flag",
        data={"reason": "ad_hominem", "excerpt": "about the evidence", "note": ""},
    )

    assert response.status_code == 302
    thread = comment.thread
    assert response.headers["Location"].endswith(
        f"/threads/{thread.id}/{thread.slug}#c{comment.number}"
    )
    flag = db.session.scalar(select(Flag))
    assert (flag.user_id, flag.reason, flag.excerpt) == (
        reader.id,
        "ad_hominem",
        "about the evidence",
    )
    assert _item_for(comment).source == "flags"
    assert "Thanks, moderators will look at it" in _html(client.get("/"))

    again = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert again.status_code == 409
    assert "already flagged" in _html(again)
    assert client.get(f"/comments/{comment.id}/flag").status_code == 409
    assert _count(db, Flag) == 1


def test_other_needs_a_note_and_the_form_is_kept(client, login_as, db) -> None:
    comment = make_comment()
    login_as(make_user())
    response = client.post(
        f"/comments/{comment.id}/flag",
        data={"reason": "other", "note": "", "excerpt": "the evidence"},
    )
    html = _html(response)
    assert response.status_code == 422
    assert "Say briefly what is wrong" in html
    assert 'value="other" required checked' in html
    assert 'value="the evidence"' in html
    assert _count(db, Flag) == 0


def test_an_unknown_reason_is_refused(client, login_as, db) -> None:
    comment = make_comment()
    login_as(make_user())
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "rude"})
    assert response.status_code == 422
    assert _count(db, Flag) == 0


def test_who_may_not_flag(client, login_as, db) -> None:
    comment = make_comment()
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login_as(comment.author)
    assert client.get(f"/comments/{comment.id}/flag").status_code == 403
    assert client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}).status_code == 403
    login_as(make_user())
    assert client.get("/comments/999999/flag").status_code == 404
    assert _count(db, Flag) == 0


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_FLAG": "1 per hour"}]
)
def test_flags_are_rate_limited(client, login_as) -> None:
    first, second = make_comment(), make_comment()
    login_as(make_user())
    assert client.post(f"/comments/{first.id}/flag", data={"reason": "spam"}).status_code == 302
    assert client.post(f"/comments/{second.id}/flag", data={"reason": "spam"}).status_code == 429


# --- Appeals --------------------------------------------------------------------------------


def _removed() -> Comment:
    item = _flagged()
    moderation.decide(item, actor=make_moderator(), decision="remove", reason="Personal attack.")
    return item.comment


def test_the_author_appeals_a_removal_once(client, login_as, db) -> None:
    comment = _removed()
    login_as(comment.author)
    assert "Personal attack." in _html(client.get(f"/comments/{comment.id}/appeal"))

    response = client.post(
        f"/comments/{comment.id}/appeal", data={"reason": "I criticised the report, not her."}
    )

    assert response.status_code == 302
    assert f"#c{comment.number}" in response.headers["Location"]
    item = _item_for(comment)
    assert item.source == "appeal"
    assert _log(db)[-1].action == "appeal"
    login_as(make_moderator())
    assert "I criticised the report, not her." in _html(client.get(f"/mod/queue/{item.id}"))

    login_as(comment.author)
    again = client.post(f"/comments/{comment.id}/appeal", data={"reason": "Please."})
    assert again.status_code == 409


def test_an_appeal_needs_a_reason(client, login_as, db) -> None:
    comment = _removed()
    login_as(comment.author)
    response = client.post(f"/comments/{comment.id}/appeal", data={"reason": "  "})
    assert response.status_code == 422
    assert "Say in a few words why" in _html(response)
    db.session.refresh(comment)
    assert not comment.appealed


def test_others_cannot_appeal(client, login_as, db) -> None:
    comment = _removed()
    assert client.post(f"/comments/{comment.id}/appeal", data={"reason": "x"}).status_code == 302
    login_as(make_user())
    assert client.post(f"/comments/{comment.id}/appeal", data={"reason": "x"}).status_code == 403
    login_as(make_moderator())
    assert client.post(f"/comments/{comment.id}/appeal", data={"reason": "x"}).status_code == 403
    db.session.refresh(comment)
    assert not comment.appealed


# --- CSRF -----------------------------------------------------------------------------------


def _unsafe_requests(comment: Comment, item: QueueItem, user: User) -> list[tuple[str, dict]]:
    return [
        (f"/mod/queue/{item.id}", {"decision": "approve"}),
        ("/mod/queue/bulk", {"item_id": item.id, "decision": "approve"}),
        (f"/mod/users/{user.username}/warn", {"reason": "x"}),
        (f"/mod/users/{user.username}/suspend", {"days": "1", "reason": "x"}),
        (f"/mod/users/{user.username}/scopes", {"tags": ""}),
        ("/mod/rules/new", {**RULE, "save": "1"}),
        ("/mod/rules/lackey", {**RULE, "save": "1"}),
        (f"/comments/{comment.id}/flag", {"reason": "spam"}),
        (f"/comments/{comment.id}/appeal", {"reason": "x"}),
    ]


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_every_unsafe_route_needs_the_csrf_token(client, login_as, db) -> None:
    item = _flagged()
    before = len(_log(db))
    login_as(make_admin())
    for url, data in _unsafe_requests(make_comment(), item, make_user()):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Reload the page" in _html(response)
    assert len(_log(db)) == before
    assert _count(db, Flag) == 1


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_the_forms_carry_a_working_token(client, login_as, db) -> None:
    comment = make_comment()
    login_as(make_user())
    form = _html(client.get(f"/comments/{comment.id}/flag"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    response = client.post(
        f"/comments/{comment.id}/flag", data={"reason": "spam", "csrf_token": token}
    )
    assert response.status_code == 302
    login_as(make_moderator())
    queue = _html(client.get("/mod/queue"))
    forms = queue.count('method="post"')
    assert forms >= 4 and queue.count('name="csrf_token"') >= forms


# --- Escaping -------------------------------------------------------------------------------


def test_user_text_in_the_queue_is_escaped(client, login_as) -> None:
    moderator = make_admin()  # rules for the whole forum are an admin's
    moderation.save_rule(
        {
            "id": "xss-probe",
            "kind": "lexicon",
            "terms": ["stooge"],
            "action": "flag",
            "message": f"{IMG} {SCRIPT}",
        },
        actor=moderator,
    )
    thread = make_thread(title=f"Title {SCRIPT}")
    body = f"{SCRIPT} you stooge {IMG}"
    comment = threads.reply(thread=thread, author=make_user(), body=body, confirmed=True)
    moderation.flag_post(
        comment, actor=make_user(), reason="other", note=f"note {SCRIPT} {IMG}", excerpt=SCRIPT
    )
    login_as(moderator)

    for url in ("/mod/queue", f"/mod/queue/{_item_for(comment).id}", "/mod/rules"):
        html = _html(client.get(url))
        assert "<script>alert(1)</script>" not in html, url
        assert "<img src=x" not in html, url
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, url
    queue = _html(client.get("/mod/queue"))
    assert '<mark class="hl-flag " title="Selected by' in queue  # the excerpt was found
    assert "<script" not in without_site_script(queue).lower().replace("&lt;script", "")


def test_the_rule_preview_escapes_comment_text(client, login_as) -> None:
    threads.reply(
        thread=make_thread(),
        author=make_user(),
        body=f"{SCRIPT} such a lackey {IMG}",
        confirmed=True,
    )
    login_as(make_moderator())
    html = _html(client.post("/mod/rules/new", data={**RULE, "target": "any", "preview": "1"}))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize("bad", ["0", "99999999999999999999", "abc"])
def test_out_of_range_ids_are_404(client, login_as, bad) -> None:
    login_as(make_moderator())
    assert client.get(f"/mod/queue/{bad}").status_code == 404
    assert client.get(f"/comments/{bad}/flag").status_code == 404
    data = {"item_id": bad, "decision": "approve"}
    assert client.post("/mod/queue/bulk", data=data).status_code == 422
