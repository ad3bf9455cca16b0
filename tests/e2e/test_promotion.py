"""The promotion story in a real browser: the host gives a question its own thread, moving
the replies; both threads link to each other; the asker is told and hides their name."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import sign_in
from tests.factories import make_comment, make_thread, make_user


def test_host_promotes_a_question_and_the_asker_hides_their_name(new_page) -> None:
    host = make_user("quillhost")
    asker = make_user("fennel_asks")
    helper = make_user("juniper_v")
    thread = make_thread(
        host, title="Where does the anti-trafficking money go?", tags=["funding", "raids"]
    )
    make_comment(thread, author=helper, body="The task forces get twice what shelters get.")
    question = make_comment(
        thread,
        author=asker,
        body="If an operation does happen, where should a woman sleep that first night?",
    )
    make_comment(thread, author=helper, parent=question, body="A bed that is not a cell, first.")

    page = new_page()
    sign_in(page, "quillhost")
    page.goto(f"/threads/{thread.id}")
    asked = page.locator("#c2")
    expect(asked.locator(".question-marker")).to_have_text("question")
    asked.get_by_role("link", name="Promote to thread").click()

    expect(page.get_by_label("Title")).to_have_value(
        "If an operation does happen, where should a woman sleep that first night?"
    )
    expect(page.get_by_label("Tags", exact=False)).to_have_value("funding, raids")
    expect(page.locator(".promoted-quote")).to_contain_text("fennel_asks, on ")
    page.get_by_label("Title").fill("The first night after an operation")
    page.get_by_label("Your introduction").fill(
        "Thank you, Fennel. This deserves its own thread, so here is a first answer."
    )
    page.get_by_label("Move the replies beneath this comment into the new thread").check()
    page.get_by_role("button", name="Promote to thread").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The first night after an operation")
    banner = page.locator(".promoted-from")
    expect(banner).to_contain_text("Promoted from a comment by fennel_asks in")
    expect(page.locator(".thread .body")).to_contain_text("fennel_asks, on ")
    expect(page.locator("#c1")).to_contain_text("A bed that is not a cell")
    expect(page.get_by_role("heading", name="1 reply", exact=True)).to_be_visible()

    banner.get_by_role("link", name="Where does the anti-trafficking money go?").click()
    expect(page.locator("#c2")).to_contain_text(
        "This question now has its own thread: The first night after an operation (1 reply)"
    )
    expect(page.locator("#c2")).to_contain_text(
        "1 reply moved to The first night after an operation"
    )
    expect(page.locator("#c3")).to_have_count(0)
    expect(page.locator("#c2").get_by_role("link", name="Promote to thread")).to_have_count(0)

    reader = new_page()
    sign_in(reader, "fennel_asks")
    reader.get_by_role("link", name="Notifications").click()
    note = reader.locator(".notification").filter(has_text="gave your question its own thread")
    expect(note).to_contain_text("quillhost gave your question its own thread")
    note.get_by_role("button", name='Quote me as "a reader" instead of my name').click()

    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "The first night after an operation"
    )
    expect(reader.locator(".thread .body")).to_contain_text("a reader, on ")
    expect(reader.locator(".thread .body")).not_to_contain_text("fennel_asks")
    expect(reader.locator(".promoted-from")).to_contain_text("Promoted from a comment by a reader")
