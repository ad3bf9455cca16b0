"""The whole story of issue 8 in one test, in chromium, one browser context per person:
register, open a tagged thread, nested replies, an accusation nudged and held, a reader's
comment hidden by three flags, a moderator's two decisions, a question promoted, and a tag
follower who finds both new threads in their notifications and in the tag's Atom feed.

Each step leaves tests/e2e/screens/story-NN-<what>.png.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import feedparser
import pytest
from playwright.sync_api import Page, expect

from forum import outbox
from tests.e2e.conftest import SCREENS
from tests.e2e.helpers import sign_in
from tests.factories import make_moderator, make_thread, make_user

TITLE = "Who pays for the first night after a raid?"
QUESTION = "If the city grant ends in June, where would the money for night staff come from?"
ACCUSATION = "Are some of you pimps yourselves? Nobody else would argue this."
PROMOTED = "Night staff after the city grant ends"


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    # CSRF stays on; the registration fill-time check is off (a test types in milliseconds).
    return {"WTF_CSRF_ENABLED": True, "REGISTER_MIN_SECONDS": 0}


def respond(page: Page, thread_url: str, text: str) -> None:
    """Post a top-level response through the thread page's own form."""
    page.goto(thread_url)
    page.locator(".reply-box").get_by_label("Your comment").fill(text)
    page.get_by_role("button", name="Post reply").click()


def test_the_whole_story(new_page, db) -> None:
    steps = itertools.count(1)

    def shot(page: Page, what: str) -> None:
        SCREENS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENS / f"story-{next(steps):02d}-{what}.png", full_page=True)

    for name in ("birch_b", "cedar_c", "dock_d", "elder_e", "fern_follows"):
        make_user(name)
    make_moderator("dana_keeper")
    make_thread(title="Shelter beds in winter", tags=["shelters"])  # the tag exists already
    outbox.drain()  # and its news went out long ago

    # A follower of "shelters" follows it from the tag page, before any of this happens.
    follower = new_page()
    sign_in(follower, "fern_follows")
    follower.goto("/tags/shelters")
    follower.get_by_label("Follow this tag:").select_option("new_threads")
    follower.get_by_role("button", name="Follow").click()
    expect(follower.get_by_label("You follow this tag:")).to_be_visible()
    shot(follower, "follower-follows-tag")

    # A member registers through the form and opens a thread with two tags.
    host = new_page()
    host.goto("/register")
    host.get_by_label("Username").fill("ash_opens")
    host.get_by_label("Password").fill("a long enough passphrase")
    shot(host, "register")
    host.get_by_role("button", name="Register").click()
    expect(host.locator(".flashes")).to_contain_text("Welcome, ash_opens")
    host.get_by_role("link", name="New thread").click()
    host.get_by_label("Title").fill(TITLE)
    host.get_by_label("Post").fill(
        "Our city funds **ten** emergency beds. After a raid they fill in an hour.\n\n"
        "Who should pay for the rest: the police budget, the council, or charities?"
    )
    host.get_by_label("Tags", exact=False).fill("funding, shelters")
    shot(host, "new-thread-form")
    host.get_by_role("button", name="Post thread").click()
    expect(host.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(host.locator(".thread .tags")).to_have_text(re.compile("funding\\s*shelters"))
    thread_url = host.url
    shot(host, "thread-opened")

    # Another member responds; a third replies to that reply, in place, with a question.
    birch = new_page()
    sign_in(birch, "birch_b")
    respond(birch, thread_url, "The council should: beds are housing, not policing.")
    first = birch.locator("article.comment").filter(has_text="beds are housing")
    expect(first).to_be_visible()

    cedar = new_page()
    sign_in(cedar, "cedar_c")
    cedar.goto(thread_url)
    answered = cedar.locator("article.comment").filter(has_text="beds are housing")
    answered.get_by_role("link", name="Reply").click()
    answered.get_by_label("Your comment").fill(QUESTION)
    answered.get_by_role("button", name="Post reply").click()
    question = cedar.locator("article.comment").filter(has_text=QUESTION)
    expect(question.locator(".in-reply-to")).to_contain_text("in reply to birch_b #1")
    expect(question.locator(".question-marker")).to_have_text("question")
    shot(cedar, "nested-reply")

    # A fourth writes an accusation, sees the nudge as they type, and posts anyway: held.
    dock = new_page()
    sign_in(dock, "dock_d")
    dock.goto(thread_url)
    box = dock.locator(".reply-box")
    box.get_by_label("Your comment").fill(ACCUSATION)
    nudge = box.get_by_role("status")
    expect(nudge).to_contain_text("this reads as aimed at a person")
    expect(nudge.locator("mark").first).to_contain_text("pimps")
    shot(dock, "nudge")
    box.get_by_role("button", name="Post anyway").click()
    expect(dock.locator(".flashes")).to_contain_text("waiting for a moderator")
    held = dock.locator("article.comment").filter(has_text="Nobody else would argue this")
    expect(held.locator(".status-note")).to_contain_text("Waiting for a moderator")
    shot(dock, "accusation-held")
    birch.reload()
    expect(birch.get_by_text("Nobody else would argue this")).to_have_count(0)

    # A reader's comment is flagged by three accounts and hides (FLAG_HIDE_THRESHOLD = 3).
    elder = new_page()
    sign_in(elder, "elder_e")
    respond(
        elder,
        thread_url,
        "Charities did this for years before anyone else cared; let them keep doing it.",
    )
    blunt = "Charities did this for years"
    for flagger in (birch, cedar, dock):
        flagger.goto(thread_url)
        comment = flagger.locator("article.comment").filter(has_text=blunt)
        comment.get_by_role("link", name="Flag").click()
        form = comment.get_by_role("form", name=re.compile(r"^Flag #\d+$"))
        form.get_by_role("radio", name="Off topic").check()
        form.get_by_role("button", name="Send to moderators").click()
        expect(comment.get_by_role("status")).to_have_text("Thanks, moderators will look at it.")
    shot(dock, "third-flag")
    birch.reload()
    expect(birch.get_by_text(blunt)).to_have_count(0)
    shot(birch, "flagged-comment-hidden")
    elder.reload()
    hidden = elder.locator("article.comment").filter(has_text=blunt)
    expect(hidden.locator(".status-note")).to_contain_text("Waiting for a moderator")
    shot(elder, "author-sees-hidden-comment")

    # A moderator approves the flagged comment and removes the accusation, with a reason.
    moderator = new_page()
    sign_in(moderator, "dana_keeper")
    moderator.get_by_role("link", name=re.compile(r"^Review queue \(2\)")).click()
    items = moderator.locator("article.mod-item")
    expect(items).to_have_count(2)
    shot(moderator, "review-queue")
    items.filter(has_text="elder_e").get_by_role("button", name="Approve").click()
    expect(moderator.locator(".flashes")).to_contain_text("Approved comment")
    accusation = items.filter(has_text="dock_d")
    accusation.get_by_label("Reason (required to remove").fill(
        "Argue with what people say, not with who you think they are."
    )
    accusation.get_by_role("button", name="Remove").click()
    expect(moderator.locator(".flashes")).to_contain_text("Removed comment")
    expect(items).to_have_count(0)
    shot(moderator, "queue-decided")
    birch.reload()
    expect(birch.get_by_role("main").get_by_text(blunt)).to_be_visible()

    # The accusation's author sees the removal and its reason, in notifications and in place.
    dock.get_by_role("link", name=re.compile("^Notifications")).click()
    removal = dock.locator(".notification").filter(has_text="A moderator removed your comment")
    expect(removal).to_contain_text(f"in {TITLE}: Argue with what people say")
    shot(dock, "author-notified-of-removal")
    dock.goto(thread_url)
    removed = dock.locator("article.comment").filter(has_text="Nobody else would argue this")
    expect(removed.locator(".status-note")).to_contain_text(
        "Removed by a moderator: Argue with what people say, not with who you think they are. "
        "Readers see only that it was removed"
    )
    shot(dock, "author-sees-removal-reason")

    # The thread's author gives the question a thread of its own.
    host.goto(thread_url)
    host.locator("article.comment").filter(has_text=QUESTION).get_by_role(
        "link", name="Promote to thread"
    ).click()
    expect(host.get_by_label("Tags", exact=False)).to_have_value("funding, shelters")
    host.get_by_label("Title").fill(PROMOTED)
    host.get_by_label("Your introduction").fill(
        "A good question, Cedar, and it deserves more room than a reply."
    )
    shot(host, "promote-form")
    host.get_by_role("button", name="Promote to thread").click()
    expect(host.get_by_role("heading", level=1)).to_have_text(PROMOTED)
    expect(host.locator(".promoted-from")).to_contain_text("Promoted from a comment by cedar_c")
    shot(host, "promoted-thread")

    # The worker delivers the tag's news; the follower finds both threads, then in the feed.
    db.session.rollback()
    outbox.drain()
    follower.get_by_role("link", name=re.compile("^Notifications")).click()
    news = follower.locator(".notification").filter(has_text="New thread in a tag you follow")
    expect(news).to_have_count(2)
    expect(news.filter(has_text=TITLE)).to_contain_text("by ash_opens")
    expect(news.filter(has_text=PROMOTED)).to_contain_text("by ash_opens")
    shot(follower, "follower-notifications")
    response = follower.request.get("/tags/shelters/feed.atom")
    assert response.ok and "atom" in response.headers["content-type"]
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert TITLE in titles and PROMOTED in titles, titles
    news.filter(has_text=PROMOTED).get_by_role("button", name="Open and mark read").click()
    expect(follower.get_by_role("heading", level=1)).to_have_text(PROMOTED)
    shot(follower, "follower-opens-promoted-thread")
