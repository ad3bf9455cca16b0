"""The page frame at a phone's and a wide screen's width: a side panel beside the reading
column on wide screens (below it on phones), and on phones a header of one line whose menu
opens without JavaScript. Screenshots of every main page at 390 and 1440 px land in
tests/e2e/screens/layout-*.png, to be looked at."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from forum.moderation import service as moderation
from tests.e2e.conftest import SCREENS
from tests.e2e.helpers import sign_in
from tests.factories import make_comment, make_moderator, make_thread, make_user

# How the pages are laid out, the same from either database.
pytestmark = pytest.mark.drawing

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1440, "height": 900}


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not drawn"
    return box


def _forum() -> dict[str, str]:
    """A small forum with something in every side panel; the pages to look at."""
    moderator = make_moderator("layout_mod")
    asker, answerer = make_user("harbour_reader"), make_user("fieldworker_ana")
    thread = make_thread(
        answerer, title="Where does the shelter money go?", tags=["funding", "survivor-services"]
    )
    first = make_comment(thread, author=asker, body="The audit covers 2019 to 2023 only.")
    make_comment(thread, author=answerer, parent=first, body="The 2024 figures are out in May.")
    make_comment(thread, author=asker, body="Who decides which shelters get the grants?")
    flagged = make_comment(thread, author=answerer, body="The state board does, every spring.")
    moderation.flag_post(flagged, actor=make_user(), reason="spam", excerpt="state board")
    return {
        "home": "/",
        "thread": f"/threads/{thread.id}",
        "tag": "/tags/funding",
        "tags": "/tags",
        "questions": "/questions",
        "search": "/search?q=shelter",
        "rules": "/rules",
        "profile": f"/users/{asker.username}",
        "new-thread": "/threads/new",
        "notifications": "/notifications",
        "settings": "/settings/subscriptions",
        "transparency": "/moderation",
        "queue": "/mod/queue",
        "dashboard": "/mod",
        "moderator": moderator.username,
    }


@pytest.mark.parametrize("viewport", [PHONE, WIDE], ids=["390", "1440"])
def test_every_main_page_at_a_phone_and_a_wide_screen(new_page, viewport) -> None:
    pages = _forum()
    page = new_page(viewport=viewport)
    sign_in(page, pages.pop("moderator"))
    SCREENS.mkdir(exist_ok=True)
    for name, url in pages.items():
        page.goto(url)
        shot = SCREENS / f"layout-{name}-{viewport['width']}.png"
        page.screenshot(path=shot, full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], url
        if not page.locator("aside.sidebar").count():
            continue
        main, aside = _box(page, "main"), _box(page, "aside.sidebar")
        if viewport is WIDE:
            # Beside the reading column, which keeps a readable measure.
            assert aside["x"] >= main["x"] + main["width"], url
            assert aside["y"] < main["y"] + 200, url
            assert 600 <= main["width"] <= 820, (url, main["width"])
        else:
            assert aside["y"] >= main["y"] + main["height"] - 1, url


def test_the_side_panels_say_who_takes_part_and_what_is_open(new_page) -> None:
    pages = _forum()
    page = new_page(viewport=WIDE)
    page.goto(pages["thread"])
    panel = page.get_by_role("complementary", name="About this discussion")
    people = panel.locator(".participants")
    expect(people).to_contain_text("harbour_reader")
    expect(people).to_contain_text("fieldworker_ana")
    outline = panel.locator(".outline")
    # Top-level replies only, in order, each a link to its place in the page.
    expect(outline.get_by_role("link")).to_have_count(3)
    outline.get_by_role("link").nth(1).click()
    assert page.url.endswith("#c3")

    page.goto("/")
    home = page.get_by_role("complementary", name="What is being discussed")
    expect(home.get_by_role("link", name="funding")).to_be_visible()
    question = home.get_by_role("link", name="Who decides which shelters get the grants?")
    expect(question).to_be_visible()
    question.click()
    expect(page.locator("#c3")).to_contain_text("Who decides which shelters")

    page.goto(pages["tag"])
    tag = page.get_by_role("complementary", name="About this tag")
    expect(tag).to_contain_text("0 followers")
    expect(
        tag.get_by_role("link", name="Who decides which shelters get the grants?")
    ).to_be_visible()


def test_the_phone_menu_opens_and_signs_out_without_javascript(new_page) -> None:
    member = make_user("pocket_reader")
    page = new_page(viewport=PHONE, java_script_enabled=False)
    sign_in(page, member.username)
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    header = _box(page, ".site-header")
    assert header["height"] < 70, "the phone header is one line"
    sign_out = nav.get_by_role("button", name="Sign out")
    expect(sign_out).to_be_hidden()
    nav.get_by_text("Menu").click()
    for name in ("Tags", "Questions", "Notifications", "pocket_reader", "Settings"):
        expect(nav.get_by_role("link", name=name)).to_be_visible()
    expect(nav.get_by_role("searchbox", name="Search the forum")).to_be_visible()
    sign_out.click()
    expect(page.get_by_role("navigation", name="Main").get_by_text("Sign in")).to_be_attached()
    nav.get_by_text("Menu").click()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()


def test_the_wide_header_shows_every_link_in_one_row(new_page) -> None:
    """A moderator has the most links of anyone; they still fit one row at 1440 px."""
    moderator = make_moderator("desk_moderator_longname")
    page = new_page(viewport=WIDE)
    sign_in(page, moderator.username)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_text("Menu")).to_be_hidden()
    middles = [
        (box := _box(page, f".site-nav {selector}"))["y"] + box["height"] / 2
        for selector in (
            "a.brand",
            "a[href='/tags']",
            ".site-search",
            "a[href='/mod/queue']",
            ".nav-user",
            "form.inline button",
        )
    ]
    assert max(middles) - min(middles) < 8, middles


@pytest.mark.parametrize("width", [390, 768, 1000, 1100, 1280, 1440])
def test_the_quick_exit_never_covers_a_header_link(new_page, width: int) -> None:
    """The quick exit sits in a fixed corner; at no width may it hide a link or button of the
    header it overlaps, signed out (Register is last) or signed in (Sign out is)."""
    page = new_page(viewport={"width": width, "height": 800})
    for signed_in in (False, True):
        if signed_in:
            sign_in(page, make_moderator("corner_moderator_longname").username)
        page.goto("/")
        exit_box = _box(page, "a.quick-exit")
        controls = page.locator(
            ".site-header a:visible, .site-header button:visible, .site-header label:visible"
        )
        assert controls.count() >= 2
        for i in range(controls.count()):
            box = controls.nth(i).bounding_box()
            assert box is not None
            apart = (
                box["x"] >= exit_box["x"] + exit_box["width"]
                or box["x"] + box["width"] <= exit_box["x"]
                or box["y"] >= exit_box["y"] + exit_box["height"]
                or box["y"] + box["height"] <= exit_box["y"]
            )
            assert apart, (width, signed_in, controls.nth(i).inner_text(), box, exit_box)
