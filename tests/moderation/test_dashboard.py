"""The moderator dashboard: numbers computed from flags and decisions made through the real
services, the page around them, and who may see it."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text, update

from forum.errors import PermissionDeniedError
from forum.models import Comment, Flag, QueueItem, QueueSource, Thread, User
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation.dashboard import DayCount, RuleStats, dashboard_stats, describe_age
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

SVG = "{http://www.w3.org/2000/svg}"


def _rule(key: str, *, actor) -> None:
    """A rule for the whole forum: an admin's to write, whoever the test's moderator is."""
    del actor
    moderation.save_rule(
        {
            "id": key,
            "kind": "lexicon",
            "terms": [key],
            "action": "flag",
            "message": f"'{{term}}' describes people, not arguments ({key})",
        },
        actor=make_admin(),
    )


def _posted_anyway(word: str, thread: Thread, author: User) -> Comment:
    """A comment one of the test rules matches, posted after the nudge: it is queued."""
    return threads.reply(
        thread=thread,
        author=author,
        body=f"The whole thread is {word} talk; the 2019 data says otherwise.",
        confirmed=True,
    )


def _decide(comment: Comment, decision: str, moderator: User) -> None:
    item = moderation.open_item(comment)
    reason = "Aimed at a person." if decision == "remove" else ""
    moderation.decide(item, actor=moderator, decision=decision, reason=reason)


def _html(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def moderator(app) -> User:
    return make_moderator()


@pytest.fixture
def thread(app) -> Thread:
    return make_thread()


@pytest.fixture
def author(app) -> User:
    return make_user()


@pytest.fixture
def scene(moderator, thread, author) -> None:
    """Windbag queued 3 comments (2 removed, 1 approved); blowhard 1 (still waiting); a reader
    flagged two more comments, one removed and one left up (flags dismissed)."""
    _rule("windbag", actor=moderator)
    _rule("blowhard", actor=moderator)
    windbag = [_posted_anyway("windbag", thread, author) for _ in range(3)]
    _decide(windbag[0], "remove", moderator)
    _decide(windbag[1], "remove", moderator)
    _decide(windbag[2], "approve", moderator)
    _posted_anyway("blowhard", thread, author)
    reader = make_user()
    flagged = [make_comment(thread, author=author) for _ in range(2)]
    for comment in flagged:
        moderation.flag_post(comment, actor=reader, reason="ad_hominem")
    _decide(flagged[0], "remove", moderator)
    _decide(flagged[1], "dismiss", moderator)


# --- the numbers ----------------------------------------------------------------------------


def test_known_flags_and_decisions_give_known_numbers(scene, moderator) -> None:
    stats = dashboard_stats(moderator)
    by_rule = {r.rule_id: r for r in stats.rules}
    assert by_rule["windbag"] == RuleStats("windbag", fired=3, upheld=2, overturned=1)
    assert by_rule["blowhard"] == RuleStats("blowhard", fired=1, upheld=0, overturned=0)
    assert [r.rule_id for r in stats.rules] == ["windbag", "blowhard"]  # most fired first
    assert by_rule["windbag"].precision == pytest.approx(2 / 3)
    assert by_rule["windbag"].precision_text == "2 of 3 upheld (too few to judge)"
    assert by_rule["blowhard"].precision is None
    assert by_rule["blowhard"].precision_text == "no decisions yet"

    today = utcnow().date()
    assert len(stats.daily) == 30
    assert stats.first_day == today - timedelta(days=29) and stats.last_day == today
    assert stats.daily[-1] == DayCount(today, flags=2, removed=3, left_up=2)
    assert all(d.total == 0 for d in stats.daily[:-1])
    assert (stats.flags, stats.removed, stats.left_up) == (2, 3, 2)
    assert [(s.source, s.open) for s in stats.queue.sources] == [("rules", 1)]

    # Ten days on, a week's window has none of it and a month's window all of it.
    later = utcnow() + timedelta(days=10)
    week = dashboard_stats(moderator, days=7, now=later)
    assert (week.flags, week.removed, week.rules) == (0, 0, ())
    assert week.queue.total == 1  # the queue is now, whatever the window
    assert dashboard_stats(moderator, days=30, now=later).rules == stats.rules
    # A window that ended before today has none of it either.
    before = dashboard_stats(moderator, days=7, now=utcnow() - timedelta(days=1))
    assert (before.flags, before.removed, before.rules) == (0, 0, ())
    assert len(dashboard_stats(moderator, days=90).daily) == 90


@pytest.mark.parametrize(
    ("upheld", "overturned", "text"),
    [
        (0, 0, "no decisions yet"),
        (2, 0, "2 of 2 upheld (too few to judge)"),
        (9, 3, "75% (9 of 12 upheld)"),
    ],
)
def test_precision_comes_with_its_counts(upheld, overturned, text) -> None:
    assert RuleStats("r", upheld + overturned, upheld, overturned).precision_text == text


def test_items_the_scorer_queued_without_a_rule_get_their_own_line(
    moderator, db, author, thread
) -> None:
    comment = make_comment(thread, author=author)
    for source in (QueueSource.RULES, QueueSource.NEW_USER):
        db.session.add(
            QueueItem(thread_id=comment.thread_id, comment_id=comment.id, source=source, matches=[])
        )
    db.session.commit()
    assert dashboard_stats(moderator).rules == (RuleStats(None, 1, 0, 0),)


def test_the_queue_counts_open_items_by_source_with_their_ages(
    moderator, db, thread, author
) -> None:
    now = utcnow()
    _rule("windbag", actor=moderator)
    held = [_posted_anyway("windbag", thread, author) for _ in range(3)]
    moderation.flag_post(make_comment(thread, author=author), actor=make_user(), reason="spam")
    # Items waited 1, 2, 3 and 10 hours: the oldest is 10 hours, the median 2.5.
    for comment, hours in zip([*held, None], (1, 2, 3, 10), strict=True):
        where = (
            QueueItem.comment_id == comment.id if comment else QueueItem.source == QueueSource.FLAGS
        )
        db.session.execute(
            update(QueueItem).where(where).values(created_at=now - timedelta(hours=hours))
        )
    db.session.commit()

    queue = dashboard_stats(moderator, now=now).queue
    assert [(s.source, s.open) for s in queue.sources] == [("rules", 3), ("flags", 1)]
    assert queue.total == 4
    assert queue.oldest_age == timedelta(hours=10)
    assert queue.median_age == timedelta(hours=2, minutes=30)
    assert dict((s.source, s.oldest_age) for s in queue.sources)["rules"] == timedelta(hours=3)
    # An odd count has one middle item.
    _decide(held[0], "approve", moderator)
    assert dashboard_stats(moderator, now=now).queue.median_age == timedelta(hours=3)


def test_days_are_utc_days_whatever_the_database_session_zone(
    moderator, db, thread, author
) -> None:
    flag = moderation.flag_post(
        make_comment(thread, author=author), actor=make_user(), reason="spam"
    )
    late = datetime.combine(utcnow().date() - timedelta(days=1), datetime.min.time(), UTC)
    late += timedelta(hours=23, minutes=30)
    db.session.execute(update(Flag).where(Flag.id == flag.id).values(created_at=late))
    if db.engine.dialect.name == "postgresql":
        # 23:30 UTC is already tomorrow in Kiritimati (UTC+14): the day must stay UTC's.
        db.session.execute(text("SET TIME ZONE 'Pacific/Kiritimati'"))
    counts = {d.day: d.flags for d in dashboard_stats(moderator).daily}
    assert counts[late.date()] == 1
    assert counts[late.date() + timedelta(days=1)] == 0


def test_a_scoped_moderator_counts_only_their_tags(moderator, thread, author) -> None:
    _rule("windbag", actor=moderator)
    housing = make_thread(tags=["housing"])
    _posted_anyway("windbag", housing, author)
    _posted_anyway("windbag", thread, author)  # funding
    reader = make_user()
    moderation.flag_post(make_comment(housing, author=author), actor=reader, reason="spam")
    moderation.flag_post(make_comment(thread, author=author), actor=reader, reason="spam")
    admin = make_admin()
    scoped = make_moderator()
    moderation.set_moderator_scopes(scoped, ["housing"], actor=admin)

    mine = dashboard_stats(scoped)
    assert mine.scoped
    assert (mine.flags, mine.queue.total) == (1, 2)
    assert [(r.rule_id, r.fired) for r in mine.rules] == [("windbag", 1)]
    for everyone in (dashboard_stats(moderator), dashboard_stats(admin)):
        assert not everyone.scoped
        assert (everyone.flags, everyone.queue.total) == (2, 4)


def test_nothing_yet_and_only_for_moderators(moderator) -> None:
    stats = dashboard_stats(moderator)
    assert stats.queue.total == 0
    assert stats.queue.oldest_age is None and stats.queue.median_age is None
    assert stats.rules == ()
    assert stats.flags == stats.removed == stats.left_up == 0
    with pytest.raises(PermissionDeniedError):
        dashboard_stats(make_user())


def test_the_queries_do_not_grow_with_the_data(moderator, count_queries, thread, author) -> None:
    _rule("windbag", actor=moderator)
    reader = make_user()

    def more() -> None:
        _decide(_posted_anyway("windbag", thread, author), "remove", moderator)
        moderation.flag_post(make_comment(thread, author=author), actor=reader, reason="spam")

    more()
    assert moderator.is_moderator  # loaded now, not inside the count
    with count_queries() as few:
        dashboard_stats(moderator)
    for _ in range(3):
        more()
    assert moderator.is_moderator
    with count_queries() as many:
        dashboard_stats(moderator)
    # Scope, queue by source, queue median, flags, decisions, rules, scorer-only items.
    assert few.count == many.count == 7


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0.5, "under a minute"),
        (25, "25 minutes"),
        (61, "1 hour 1 minute"),
        (60 * 27, "1 day 3 hours"),
    ],
)
def test_ages_read_as_words(minutes, words) -> None:
    assert describe_age(timedelta(minutes=minutes)) == words


# --- the page -------------------------------------------------------------------------------


def test_strangers_are_sent_to_sign_in_and_members_refused(client, login_as) -> None:
    response = client.get("/mod")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    login_as(make_user())
    assert client.get("/mod").status_code == 403


def test_the_page_shows_the_numbers_in_charts_and_tables(
    scene, moderator, client, login_as
) -> None:
    login_as(moderator)
    response = client.get("/mod")
    assert response.headers["Cache-Control"] == "private, no-store"
    html = _html(response)
    # The charts; the avatar beside the moderator's name in the header is not one.
    svgs = re.findall(r'<svg(?! class="avatar").*?</svg>', html, flags=re.S)
    assert len(svgs) == 3
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        title, desc = root.get("aria-labelledby").split()
        assert root.find(f"{SVG}title").get("id") == title
        assert root.find(f"{SVG}desc").get("id") == desc
    assert "style=" not in html
    # The charts are drawn on the server: the only script is the site's own file.
    scripts = re.findall(r"<script[^>]*>.*?</script>", html, flags=re.S)
    assert len(scripts) == 1
    assert re.fullmatch(r'<script src="/static/js/forum\.js\?v=\w+" defer></script>', scripts[0])
    # The rules table says what the chart shows.
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a href=\"/mod/rules/windbag\">windbag</a>.*?</tr>", html, re.S
    )
    assert row, html
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(0))
    assert cells == ["3", "2", "1", "0"]
    assert "2 of 3 upheld (too few to judge)" in row.group(0)
    # The day table: today, with 2 flags, 3 removals and 2 left up.
    today = utcnow().date()
    day_row = re.search(rf'<time datetime="{today.isoformat()}">.*?</tr>', html, re.S).group(0)
    assert re.findall(r'<td class="num">(\d+)</td>', day_row) == ["2", "3", "2"]
    assert 'aria-current="page">30 days</a>' in html


def test_an_empty_forum_says_so(moderator, client, login_as) -> None:
    login_as(moderator)
    html = _html(client.get("/mod"))
    assert "Nothing waits for review." in html
    assert "No flags and no decisions in the last 30 days." in html
    assert "No rule sent a comment to the queue in the last 30 days." in html
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)


def test_the_period_can_be_chosen(client, login_as) -> None:
    login_as(make_admin())
    for days in (7, 90):
        html = _html(client.get(f"/mod?days={days}"))
        assert f'aria-current="page">{days} days</a>' in html
        first = utcnow().date() - timedelta(days=days - 1)
        assert f"{first.day} {first:%b} to" in html


def test_a_period_we_do_not_offer_is_refused_with_the_choices(moderator, client, login_as) -> None:
    login_as(moderator)
    for days in ("14", "abc", "-7", "", "7.0", "99999999999999999999"):
        response = client.get("/mod", query_string={"days": days})
        assert response.status_code == 400, days
        assert "7, 30 or 90 days" in _html(response)


def test_a_hostile_rule_name_in_old_matches_is_shown_as_text(
    moderator, client, login_as, db
) -> None:
    """Rule ids are checked when saved, but the matches stored on old items are not."""
    comment = make_comment()
    hostile = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    db.session.add(
        QueueItem(
            thread_id=comment.thread_id,
            comment_id=comment.id,
            source=QueueSource.RULES,
            matches=[
                {"rule_id": hostile, "start": 0, "end": 3, "explanation": "x", "action": "flag"}
            ],
        )
    )
    db.session.commit()
    login_as(moderator)
    html = _html(client.get("/mod"))
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "no longer a rule" in html
    for svg in re.findall(r"<svg.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)


def test_the_moderation_pages_link_to_the_dashboard(moderator, client, login_as) -> None:
    login_as(moderator)
    for url in ("/mod/queue", "/mod/log", "/mod/rules"):
        assert 'href="/mod">Dashboard</a>' in _html(client.get(url))


def test_the_page_costs_the_same_queries_with_more_data(
    moderator, client, login_as, count_queries, db, thread, author
) -> None:
    login_as(moderator)
    _rule("windbag", actor=moderator)
    client.get("/mod")  # warm the rules cache
    db.session.expire_all()  # the signed-in user is loaded afresh in both requests
    with count_queries() as few:
        assert client.get("/mod").status_code == 200
    reader = make_user()
    for _ in range(3):
        _decide(_posted_anyway("windbag", thread, author), "approve", moderator)
        moderation.flag_post(make_comment(thread, author=author), actor=reader, reason="spam")
    db.session.expire_all()
    with count_queries() as many:
        assert client.get("/mod").status_code == 200
    assert few.count == many.count


def test_the_scorers_decisions_are_judged_as_a_rule_of_their_own(
    moderator, thread, author, client, login_as, monkeypatch
) -> None:
    """A comment no rule matches but the scorer flags is queued under model.scorer, with its
    sentence and words, and the dashboard and transparency page count it as that rule."""
    from forum.moderation import encoder
    from forum.moderation.rules import MODEL_RULE_ID

    monkeypatch.setattr(encoder, "default", lambda: None)  # the scorer's decision alone
    text = "The audit is fine. You seriously think that? Pathetic. Nobody wants you here, go away."
    comment = threads.reply(thread=thread, author=author, body=text, confirmed=True)
    item = moderation.open_item(comment)
    assert [m["rule_id"] for m in item.matches] == [MODEL_RULE_ID]
    assert "audit" not in text[item.matches[0]["start"] : item.matches[0]["end"]]
    moderation.decide(item, actor=moderator, decision="remove", reason="Aimed at a person.")
    stats = dashboard_stats(moderator).rules
    assert [(r.rule_id, r.fired, r.upheld) for r in stats] == [(MODEL_RULE_ID, 1, 1)]
    login_as(moderator)
    row = re.search(r"<th scope=\"row\">model\.scorer.*?</tr>", _html(client.get("/mod")), re.S)
    assert row and "nudge or flag" in row.group(0)
    assert "a statistical model" in _html(client.get("/moderation"))


def test_the_encoders_decisions_are_judged_as_a_rule_of_their_own(
    moderator, thread, author, client, login_as, monkeypatch
) -> None:
    """A comment the rules and the scorer let pass but the encoder flags is queued under
    model.encoder; the dashboard counts its precision apart from the scorer's."""
    from forum.moderation import encoder

    class Sure:
        thresholds = {"targeted": 0.9, "evidence": 0.9, "nudge": 0.6}

        def probability(self, text: str) -> float:
            return 0.99

    monkeypatch.setattr(encoder, "default", Sure)
    text = "Thanks, the link you posted to the shelter rota is helpful."
    comment = threads.reply(thread=thread, author=author, body=text, confirmed=True)
    item = moderation.open_item(comment)
    assert [m["rule_id"] for m in item.matches] == [encoder.ENCODER_RULE_ID]
    moderation.decide(item, actor=moderator, decision="approve", reason="Not personal.")
    stats = dashboard_stats(moderator).rules
    assert [(r.rule_id, r.fired, r.overturned) for r in stats] == [(encoder.ENCODER_RULE_ID, 1, 1)]
    login_as(moderator)
    row = re.search(r"<th scope=\"row\">model\.encoder.*?</tr>", _html(client.get("/mod")), re.S)
    assert row and "nudge or flag" in row.group(0)
    assert "a language model" in _html(client.get("/moderation"))
