"""Steps the browser tests share."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.factories import PASSWORD


def sign_in(page: Page, username: str) -> None:
    """Sign in through the form and wait until the main navigation names the person."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # On a phone the link is folded into the menu: present, if not in sight.
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=username, include_hidden=True)).to_be_attached()
