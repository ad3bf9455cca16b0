"""The browser experience of issue 8: plain forms that work without JavaScript, made quicker
with it (reply and flag in place, live preview and nudge, follow without a reload, queue
keys), and pages that fit a 360 px phone in light and dark."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.models import Flag, ModerationAction, QueueItem, QueueState
from forum.moderation import service as moderation
from forum.subscriptions import service as subscriptions
from tests.e2e.helpers import sign_in
from tests.factories import make_comment, make_moderator, make_thread, make_user

ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"
LONG_URL = "https://reports.example.org/" + "anti-trafficking-funding-" * 8 + "table.csv"
WIDE_CODE = "```\n" + "region,referrals,confirmed," * 12 + "\n```"
WIDE_TABLE = f"| a | b |\n|---|---|\n| {'wide-cell-' * 10} | {'x' * 80} |"
PHONE = {"width": 360, "height": 740}


def stays_on_page(page: Page) -> None:
    """Mark the page; still_same_page() is False after any reload or navigation."""
    page.evaluate("window.sameDocument = true")


def still_same_page(page: Page) -> bool:
    return page.evaluate("window.sameDocument === true")


def test_without_javascript_replies_and_nested_replies_are_plain_forms(new_page) -> None:
    make_user("oak_reader")
    thread = make_thread(title="Beds or raids first?")
    page = new_page(java_script_enabled=False)
    sign_in(page, "oak_reader")
    page.goto(f"/threads/{thread.id}")

    page.get_by_label("Your comment").fill("Beds first: nobody leaves without somewhere to go.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("#c1")).to_contain_text("Beds first")

    page.locator("#c1").get_by_role("link", name="Reply").click()
    expect(page).to_have_url(re.compile(r"/reply\?to=\d+$"))  # a page of its own, no script
    page.get_by_label("Your comment").fill("And caseworkers, or the bed is only a night.")
    page.get_by_role("button", name="Post reply").click()
    assert page.url.endswith("#c2")

    page.locator("#c2").get_by_role("link", name="Reply").click()
    page.get_by_label("Your comment").fill("Caseworkers need funding that lasts past a year.")
    page.get_by_role("button", name="Post reply").click()

    third = page.locator("#c3")
    expect(third).to_contain_text("in reply to oak_reader #2")
    expect(page.locator("#c1 + details.replies #c2 + details.replies #c3")).to_be_visible()
    # Sub-threads fold with <details>: no script needed.
    fold = page.get_by_text("2 replies to #1")
    fold.click()
    expect(page.locator("#c2")).to_be_hidden()
    fold.click()
    expect(page.locator("#c2")).to_be_visible()
    expect(page.locator(".live-nudge, .preview, .inplace")).to_have_count(0)


def test_a_member_replies_flags_and_follows_in_place(new_page, db) -> None:
    host = make_user("quill_host")
    member = make_user("juniper_v")
    thread = make_thread(host, title="Where does the money go?", tags=["funding"])
    make_comment(thread, author=host, body="Twice as much goes to raids as to shelters.")
    page = new_page()
    sign_in(page, "juniper_v")
    page.goto(f"/threads/{thread.id}")
    first = page.locator("#c1")

    # Reply opens under the comment, with a preview and the nudge as the author types.
    stays_on_page(page)
    first.get_by_role("link", name="Quote").click()
    form = first.get_by_role("form", name="Reply to #1")
    text = form.get_by_label("Your comment")
    expect(text).to_have_value(re.compile(r"^In response to quill_host \(#1\):\n\n> Twice"))
    first.get_by_role("link", name="Reply").click()  # nothing typed yet: a blank reply instead
    expect(text).to_have_value("")
    expect(text).to_be_focused()
    text.fill(ACCUSATION)
    nudge = form.get_by_role("status")
    expect(nudge).to_contain_text("this reads as aimed at a person")
    expect(nudge.locator("mark").first).to_contain_text("pimps")
    expect(form.get_by_role("button", name="Post anyway")).to_be_visible()
    expect(text).to_have_attribute("aria-describedby", re.compile(r"-nudge$"))
    text.fill("Shelters **first**: a raid without a bed sends people back.")
    expect(form.get_by_role("region", name="Preview").locator("strong")).to_have_text("first")
    expect(nudge).to_be_empty()
    assert still_same_page(page)
    form.get_by_role("button", name="Post reply").click()

    reply = page.locator("#c2")
    expect(reply).to_contain_text("a raid without a bed sends people back")
    expect(reply).to_contain_text("in reply to quill_host #1")
    db.session.rollback()  # see what the server committed
    assert db.session.scalar(select(ModerationAction.action)) == "author_rephrased"

    # Following, as posting made them: unfollow and follow again without a reload.
    stays_on_page(page)
    bar = page.locator(".follow-bar")
    bar.get_by_role("button", name="Unfollow").click()
    expect(bar.get_by_role("status")).to_have_text("You no longer follow this thread.")
    expect(bar.get_by_role("button", name="Follow thread")).to_be_focused()
    bar.get_by_role("button", name="Follow thread").click()
    expect(bar.get_by_role("button", name="Unfollow")).to_be_visible()
    db.session.rollback()
    assert subscriptions.thread_state(member, thread) == "following"

    # Flag opens in place; a missing note is explained beside its field, then it goes.
    first.get_by_role("link", name="Flag").click()
    flag = first.get_by_role("form", name="Flag #1")
    flag.get_by_role("radio", name="Something else").check()
    flag.get_by_role("button", name="Send to moderators").click()
    note = flag.get_by_label("Note for the moderators")
    expect(note).to_have_attribute("aria-invalid", "true")
    expect(flag.locator(".field-error")).to_be_visible()
    note.fill("Numbers without a source.")
    flag.get_by_role("button", name="Send to moderators").click()
    expect(first.get_by_role("status")).to_have_text("Thanks, moderators will look at it.")
    expect(first.locator(".comment-actions")).to_contain_text("Flagged")
    assert still_same_page(page)
    db.session.rollback()
    assert db.session.scalar(select(Flag.note)) == "Numbers without a source."


def test_the_review_queue_answers_j_k_a_and_r(new_page, db) -> None:
    make_moderator("dana_keeper")
    reader = make_user()
    comments = [make_comment(body=f"A comment worth a second look, number {n}.") for n in range(3)]
    for comment in comments:
        moderation.flag_post(comment, actor=reader, reason="ad_hominem")
    page = new_page()
    sign_in(page, "dana_keeper")
    page.goto("/mod/queue")
    expect(page.get_by_text("Keys: j and k move")).to_be_visible()
    items = page.locator("article.mod-item")
    expect(items).to_have_count(3)

    page.keyboard.press("j")
    expect(items.nth(0)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(items.nth(1)).to_be_focused()
    expect(items.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    # Letters typed into a field are text, not shortcuts.
    reason = items.nth(1).get_by_label("Reason (required to remove")
    reason.fill("")
    reason.press_sequentially("jar")
    expect(reason).to_have_value("jar")
    expect(items).to_have_count(3)
    reason.fill("")
    items.nth(1).focus()

    approved = items.nth(1).locator(".mod-item-title").inner_text()
    page.keyboard.press("a")
    expect(page.locator(".flashes")).to_contain_text("Approved comment")
    expect(items).to_have_count(2)
    expect(items.nth(1)).to_be_focused()  # the next item takes the decided one's place

    removed = items.nth(1).locator(".mod-item-title").inner_text()
    page.keyboard.press("r")  # no reason yet: it asks for one instead of failing
    reason = items.nth(1).get_by_label("Reason (required to remove")
    expect(reason).to_be_focused()
    expect(items.nth(1).get_by_text("then press Enter to remove")).to_be_visible()
    reason.press_sequentially("Goes after a person, not the figures.")
    reason.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("Removed comment")
    expect(items).to_have_count(1)
    assert approved != removed

    db.session.rollback()
    states = sorted(db.session.scalars(select(QueueItem.state)))
    assert states == sorted([QueueState.APPROVED, QueueState.REMOVED, QueueState.OPEN])


def _is_dark(page: Page) -> bool:
    """Whether the body is painted dark; a transparent body (no stylesheet yet) is an error."""
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert rgb.startswith("rgb("), f"the body has no background of its own: {rgb}"
    return sum(int(n) for n in re.findall(r"\d+", rgb)[:3]) < 3 * 128


@pytest.mark.drawing
def test_pages_fit_a_360px_phone_in_light_and_dark(new_page) -> None:
    moderator = make_moderator("phone_mod")
    poster = make_user("member_with_a_long_username_30")
    thread = make_thread(
        poster,
        title="Supercalifragilisticexpialidocious-anti-trafficking-funding-breakdown-2023",
        tags=["funding", "statistics-for-survivor-services-2023"],
    )
    parent = None
    for depth in range(9):  # deeper than the page indents
        parent = make_comment(
            thread,
            author=poster,
            parent=parent,
            body=f"Level {depth}: the table is at {LONG_URL}\n\n{WIDE_CODE}\n\n{WIDE_TABLE}",
        )
    moderation.flag_post(parent, actor=make_user(), reason="spam", excerpt=LONG_URL[:60])
    pages = ["/", f"/threads/{thread.id}", "/tags/funding", "/mod/queue"]

    page = new_page(viewport=PHONE)
    sign_in(page, moderator.username)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for url in pages:
            page.goto(url)  # waits for the load event, so the stylesheet applies
            assert _is_dark(page) == (scheme == "dark"), (scheme, url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], (scheme, url, width)
        page.goto(f"/threads/{thread.id}")
        page.locator("#c9").get_by_role("link", name="Reply").click()
        expect(page.locator("#c9").get_by_role("form", name="Reply to #9")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], scheme

    # A reader on a cached page: visible focus from the first Tab, and times that stay current.
    reader = new_page(viewport=PHONE)
    reader.clock.install()
    reader.goto(f"/threads/{thread.id}")
    assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    reader.keyboard.press("Tab")
    skip = reader.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert reader.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)") >= 2
    posted = reader.locator("#c1 time")
    expect(posted).to_have_text("just now")
    exact = posted.get_attribute("title")
    assert re.fullmatch(r"\d{1,2} \w{3} \d{4} at \d\d:\d\d UTC", exact)
    reader.clock.fast_forward("03:05")
    expect(posted).to_have_text("3 minutes ago")
    assert posted.get_attribute("title") == exact


def test_a_long_thread_shows_more_in_place_or_by_plain_link(new_page, app) -> None:
    """ "Show N more" appends the next comments where it was (focus on the first new one);
    without JavaScript the same link opens the next page."""
    app.config["THREAD_PAGE_SIZE"] = 4
    thread = make_thread(title="Hotline numbers, region by region")
    author = make_user()
    top = make_comment(thread, author=author, body="Region one.")
    for i in range(2, 10):
        make_comment(thread, author=author, parent=top if i == 4 else None, body=f"Region {i}.")
    page = new_page()
    page.goto(f"/threads/{thread.id}/{thread.slug}")
    expect(page.locator("article.comment")).to_have_count(4)
    page.get_by_role("link", name="Show 4 more").click()
    expect(page.locator("article.comment")).to_have_count(8)
    assert "after=" not in page.url  # appended in place, no navigation
    expect(page.locator("a.number:focus")).to_have_count(1)
    page.get_by_role("link", name="Show 1 more").click()
    expect(page.locator("article.comment")).to_have_count(9)
    expect(page.locator("[data-more-comments]")).to_have_count(0)

    plain = new_page(java_script_enabled=False)
    plain.goto(f"/threads/{thread.id}/{thread.slug}")
    plain.get_by_role("link", name="Show 4 more").click()
    expect(plain).to_have_url(re.compile(r"after=\d+"))
    expect(plain.locator("article.comment")).to_have_count(4)
    expect(plain.get_by_role("link", name="Back to the first replies")).to_be_visible()


def test_the_queues_bulk_box_waits_for_two_selected_items(new_page) -> None:
    make_moderator("dana_bulk")
    reader = make_user()
    for n in range(2):
        moderation.flag_post(make_comment(body=f"Worth a look, {n}."), actor=reader, reason="spam")
    page = new_page()
    sign_in(page, "dana_bulk")
    page.goto("/mod/queue")
    bulk = page.locator("#bulk-form")
    boxes = page.get_by_label(re.compile(r"Select item"))
    expect(boxes).to_have_count(2)
    expect(bulk).to_be_hidden()
    boxes.nth(0).check()
    expect(bulk).to_be_hidden()
    boxes.nth(1).check()
    expect(bulk).to_be_visible()
    boxes.nth(1).uncheck()
    expect(bulk).to_be_hidden()
    # Without JavaScript the box is simply there, as there are two items.
    plain = new_page(java_script_enabled=False)
    sign_in(plain, "dana_bulk")
    plain.goto("/mod/queue")
    expect(plain.locator("#bulk-form")).to_be_visible()


def test_quick_exit_leaves_and_takes_the_page_out_of_the_history(new_page, app) -> None:
    """The browser stays off the outside network, so the "neutral site" here is a page of
    the forum's own; what matters is that Back no longer leads to the page left."""
    page = new_page()
    page.goto("/tags")
    app.config["QUICK_EXIT_URL"] = page.url.replace("/tags", "/register")
    page.goto("/questions")
    page.get_by_role("link", name="Quick exit").click()
    expect(page).to_have_url(re.compile(r"/register$"))
    page.go_back()
    expect(page).to_have_url(re.compile(r"/tags$"))  # /questions was replaced, not kept
    # Escape twice does the same from anywhere on a page.
    page.goto("/rules")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(r"/register$"))
