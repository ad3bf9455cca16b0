"""The foundation's story in a real browser: register, open a thread, reply to a reply."""

from __future__ import annotations

from playwright.sync_api import Page, expect

PASSWORD = "a long enough password"


def register(page: Page, username: str) -> None:
    page.goto("/register")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("link", name=username)).to_be_visible()


def test_register_post_thread_and_reply_to_a_comment(new_page) -> None:
    author = new_page()
    register(author, "janfray")
    author.get_by_role("link", name="New thread").click()
    author.get_by_label("Title").fill("Where does anti-trafficking money go?")
    author.get_by_label("Post").fill("Let's compare **grants** for shelters with grants for raids.")
    author.get_by_label("Tags", exact=False).fill("Funding, labor trafficking")
    author.get_by_role("button", name="Post thread").click()
    expect(author.get_by_role("heading", level=1)).to_have_text(
        "Where does anti-trafficking money go?"
    )
    expect(author.get_by_role("link", name="labor-trafficking", exact=True)).to_be_visible()
    author.get_by_label("Your comment").fill("Shelter beds first, in my view.")
    author.get_by_role("button", name="Post reply").click()
    expect(author.locator("#c1")).to_contain_text("Shelter beds first")

    reader = new_page()
    register(reader, "cezraa")
    reader.goto(author.url)
    first = reader.locator("#c1")
    first.get_by_role("link", name="Reply").click()  # the reply form opens under the comment
    first.get_by_label("Your comment").fill("Beds without caseworkers don't help for long.")
    first.get_by_role("button", name="Post reply").click()

    reply = reader.locator("#c2")
    expect(reply).to_contain_text("in reply to janfray #1")
    expect(reply).to_have_class("comment indent-1")
    assert reader.url.endswith("#c2")
