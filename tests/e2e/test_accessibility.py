"""Accessibility of issue 8, in chromium: axe-core finds no serious or critical violation on
any page a reader, a member or a moderator uses, in light and in dark; and the comment tree
reads as one landmark per comment, in an order a keyboard can follow.

The counts of every impact land in tests/e2e/screens/axe.json, page by colour scheme.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import DEFAULT_OPTIONS, Axe
from playwright.sync_api import Page, expect
from sqlalchemy import select

from forum.extensions import db
from forum.models import QueueItem
from forum.moderation import service as moderation
from forum.subscriptions import service as subscriptions
from forum.tags import service as tags
from forum.threads.service import reply
from tests.e2e.conftest import SCREENS
from tests.e2e.helpers import sign_in
from tests.factories import make_comment, make_moderator, make_thread, make_user

# What the pages show to a keyboard and a screen reader, the same from either database.
pytestmark = pytest.mark.drawing

IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")
SCHEMES = ("light", "dark")
ACCUSATION = "Are some of you pimps yourselves? Say who pays you."
axe = Axe()


def run_axe(page: Page) -> dict[str, Any]:
    """What ``Axe().run(page)`` answers, with axe-core's 570 kB script injected once per
    document rather than before every run: the light and dark runs share one."""
    if not page.evaluate("typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        page.evaluate(axe.axe_script)
    return page.evaluate("(options) => axe.run(options)", DEFAULT_OPTIONS)


def seed() -> dict[str, Any]:
    """A small forum with something on every page: nested replies, a held comment and flags
    for the queue, a followed tag and notifications."""
    member = make_user("rowan_reads")
    moderator = make_moderator("dana_keeper")
    host, second, third = make_user("quill_host"), make_user("marram"), make_user("sedge_w")
    thread = make_thread(
        host,
        title="Who should fund the first night after a raid?",
        body="Beds are scarce. Share what your city does, with [figures](https://example.org).",
        tags=["funding", "shelters"],
    )
    top = make_comment(thread, author=member, body="Our city pays for ten beds, no more.")
    middle = make_comment(
        thread, author=second, parent=top, body="Ten beds for a whole region? Who decided that?"
    )
    make_comment(thread, author=third, parent=middle, body="A council vote, in *March*.")
    make_comment(thread, author=host, body="Does anyone have the numbers from last year?")
    other = make_thread(second, title="Caseworker pay and retention", tags=["funding"])
    flagged = make_comment(other, author=third, body="This whole thread is a waste of time.")
    for reader in (member, host):
        moderation.flag_post(flagged, actor=reader, reason="spam")
    # The member's own comments as moderation left them: one held by the rules, one removed.
    reply(thread=thread, author=member, parent=middle, body=ACCUSATION, confirmed=True)
    removed = make_comment(other, author=member, body="Buy cheap followers at my shop.")
    moderation.flag_post(removed, actor=host, reason="spam")
    moderation.decide(
        moderation.open_item(removed), actor=moderator, decision="remove", reason="Advertising."
    )
    subscriptions.follow_tag(member, tags.get_tag("funding"), "new_threads")
    item_id = select(QueueItem.id).where(QueueItem.comment_id == flagged.id)
    return {
        "member": member.username,
        "moderator": moderator.username,
        "thread": f"/threads/{thread.id}",
        "other": f"/threads/{other.id}",
        "item": f"/mod/queue/{db.session.scalar(item_id)}",
    }


def test_no_serious_or_critical_violation_in_light_or_dark(new_page) -> None:
    world = seed()
    table: list[dict[str, Any]] = []
    failures: list[str] = []

    def check(page: Page, name: str) -> None:
        """Run axe in each scheme on what ``page`` shows now (reloading nothing)."""
        for scheme in SCHEMES:
            page.emulate_media(color_scheme=scheme)
            response = run_axe(page)
            results = response["violations"]
            # A page axe could not read would pass with no violations: it must have checked.
            assert len(response["passes"]) >= 20, (name, scheme, len(response["passes"]))
            counts = {impact: 0 for impact in IMPACTS}
            for violation in results:
                counts[violation["impact"]] += 1
                if violation["impact"] in BLOCKING:
                    targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
                    failures.append(
                        f"{name} [{scheme}] {violation['id']} ({violation['impact']}): "
                        + " | ".join(targets[:8])
                    )
            found = {v["id"]: v["impact"] for v in results}
            table.append(
                {
                    "page": name,
                    "scheme": scheme,
                    **counts,
                    "rules passed": len(response["passes"]),
                    "violations": found,
                }
            )

    visitor = new_page()
    visitor.goto("/login")
    check(visitor, "login")
    visitor.goto("/register")
    check(visitor, "register")
    visitor.get_by_label("Username").fill("rowan_reads")  # taken
    visitor.get_by_label("Password", exact=False).fill("short")
    visitor.get_by_role("button", name="Register").click()
    expect(visitor.locator(".field-error").first).to_be_visible()
    check(visitor, "register (422, field errors)")
    for name, url in [
        ("house rules", "/rules"),
        ("house rules history", "/rules/history"),
        ("house rules version", "/rules/history/0"),
        ("forgot password", "/password/forgot"),
    ]:
        visitor.goto(url)
        check(visitor, name)

    member = new_page()
    sign_in(member, world["member"])
    for name, url in [
        ("home", "/"),
        ("thread with nested replies", world["thread"]),
        ("thread with a removed comment", world["other"]),
        ("tags", "/tags"),
        ("tag page", "/tags/funding"),
        ("search results", "/search?q=beds"),
        ("notifications", "/notifications"),
        ("settings (subscriptions)", "/settings/subscriptions"),
        ("settings/account", "/settings/account"),
    ]:
        member.goto(url)
        check(member, name)
    member.goto(world["thread"])
    first = member.locator("#c1")
    first.get_by_role("link", name="Reply").click()
    first.get_by_label("Your comment").fill(ACCUSATION)
    expect(first.get_by_role("status").locator("mark").first).to_be_visible()
    check(member, "thread, reply in place with the nudge")
    second = member.locator("#c2")
    second.get_by_role("link", name="Flag").click()
    flag = second.get_by_role("form", name="Flag #2")
    flag.get_by_role("radio", name="Something else").check()
    flag.get_by_role("button", name="Send to moderators").click()
    expect(flag.locator(".field-error")).to_be_visible()
    check(member, "thread, flag in place with an error")
    member.goto("/threads/new")
    member.get_by_label("Title").fill("Six tags is one too many")
    member.get_by_label("Post").fill("A post whose tags will not do.")
    member.get_by_label("Tags", exact=False).fill("a1, b2, c3, d4, e5, f6")
    member.get_by_role("button", name="Post thread").click()
    expect(member.locator(".field-error")).to_be_visible()
    check(member, "new thread (422, field error)")

    moderator = new_page()
    sign_in(moderator, world["moderator"])
    for name, url in [
        ("review queue", "/mod/queue"),
        ("queue item", world["item"]),
        ("mod dashboard", "/mod"),
    ]:
        moderator.goto(url)
        check(moderator, name)

    SCREENS.mkdir(exist_ok=True)
    (SCREENS / "axe.json").write_text(json.dumps(table, indent=2) + "\n")
    for failure in failures:
        print(failure)
    assert not failures, "axe found serious or critical violations:\n" + "\n".join(failures)


def test_the_comment_tree_reads_and_tabs_comment_by_comment(new_page) -> None:
    world = seed()
    page = new_page()
    sign_in(page, world["member"])
    page.goto(world["thread"])
    comments = page.locator("article.comment")
    expect(comments).to_have_count(5)  # four published, and the member's own held one

    # Each comment is an article named by its heading: number and author.
    for number, author in [(1, "rowan_reads"), (2, "marram"), (3, "sedge_w"), (4, "quill_host")]:
        article = page.get_by_role("article", name=re.compile(rf"^#{number} {author}\b"))
        expect(article).to_have_attribute("id", f"c{number}")
        expect(article.get_by_role("heading", level=3)).to_contain_text(f"#{number} {author}")

    # "in reply to" links point at the parent's anchor, and the parent is there.
    for child, parent, author in [(2, 1, "rowan_reads"), (3, 2, "marram")]:
        link = page.locator(f"#c{child} .in-reply-to a")
        expect(link).to_have_text(f"{author} #{parent}")
        expect(link).to_have_attribute("href", f"#c{parent}")
        expect(page.locator(f"#c{parent}")).to_have_count(1)
    page.locator("#c3 .in-reply-to a").click()
    assert page.evaluate("location.hash") == "#c2"

    # Tab from #2's first link: every link and button of #2, its actions last, before #3's.
    actions = page.locator("#c2 .comment-actions").locator("a, button")
    expected = actions.evaluate_all("els => els.map(e => e.textContent.trim())")
    assert {"Reply", "Quote", "Flag"} <= set(expected)
    page.locator("#c2 a").first.focus()
    visited: list[tuple[str, str]] = []
    for _ in range(20):
        where = page.evaluate(
            """() => {
                const el = document.activeElement;
                const article = el.closest("article.comment");
                return [article ? article.id : "", el.textContent.trim()];
            }"""
        )
        visited.append(tuple(where))
        if where[0] == "c3":
            break
        page.keyboard.press("Tab")
    in_order = [comment for comment, _ in visited]
    assert in_order[-1] == "c3", visited
    left = next(i for i, comment in enumerate(in_order) if comment != "c2")
    assert all(comment == "c2" for comment in in_order[:left]), visited
    assert "c2" not in in_order[left:], visited  # once out of #2, focus never returns to it
    assert [text for _, text in visited[:left]][-len(expected) :] == expected, visited
