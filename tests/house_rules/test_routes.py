"""The house rules pages: reading, history with diffs, the admins' editor, and the links from
nudges, removal notices and the moderators' pages to the section each rule enforces."""

from __future__ import annotations

import re

from sqlalchemy import select

from forum.house_rules import rules
from forum.house_rules.service import default_text
from forum.models import HouseRulesVersion, ModerationAction
from forum.moderation import service as moderation
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user


def _html(response) -> str:
    return response.get_data(as_text=True)


def _edited(text: str = "", *, note: str = "") -> dict[str, str]:
    """The shipped rules with one sentence added to the first section."""
    body = default_text().replace(
        "the one thing this forum exists to keep out.",
        "the one thing this forum exists to keep out. " + (text or "Sarcasm counts too."),
    )
    return {"body": body, "note": note}


def test_the_rules_page_shows_numbered_sections_with_their_anchors(client) -> None:
    response = client.get("/rules")
    html = _html(response)
    assert response.status_code == 200
    assert "<h1>House rules</h1>" in html
    for anchor in ("ideas-not-persons", "no-guessing-motives", "lived-experience", "appeals"):
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html
    assert re.search(r'href="#ideas-not-persons"[^>]*>1\.</a> Argue with ideas, not persons', html)
    assert "Over the line" in html
    assert "The rules this forum started with" in html


def test_every_page_links_to_the_rules_in_its_footer(client) -> None:
    thread = make_thread()
    for url in ("/", f"/threads/{thread.id}/{thread.slug}", "/login", "/moderation"):
        html = _html(client.get(url))
        footer = html[html.index('<footer class="site-footer">') :]
        assert '<a href="/rules">House rules</a>' in footer, url


def test_an_admin_saves_a_new_version_and_it_is_logged(client, login_as, db) -> None:
    admin = make_admin("quill")
    login_as(admin)
    form = client.get("/rules/edit")
    assert form.status_code == 200
    assert "## Argue with ideas, not persons {#ideas-not-persons}" in _html(form)

    response = client.post("/rules/edit", data=_edited(note="Sarcasm is named now."))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/rules")
    page = _html(client.get("/rules"))
    assert "Sarcasm counts too." in page
    assert "Version 1," in page and "by quill" in page

    row = db.session.scalar(select(HouseRulesVersion))
    assert (row.number, row.author_id, row.note) == (1, admin.id, "Sarcasm is named now.")
    logged = db.session.scalar(
        select(ModerationAction).where(ModerationAction.action == "house_rules_edit")
    )
    assert logged.actor_id == admin.id and logged.target_id == 1
    assert logged.reason == "Sarcasm is named now."
    log = _html(client.get("/mod/log"))
    assert 'href="/rules/history/1">house rules v1</a>' in log


def test_history_lists_versions_and_shows_a_word_diff(client, login_as) -> None:
    login_as(make_admin("quill"))
    client.post("/rules/edit", data=_edited("Sarcasm counts too.", note="First"))
    client.post("/rules/edit", data=_edited("Irony counts too.", note="Second"))
    history = _html(client.get("/rules/history"))
    assert history.index("Version 2") < history.index("Version 1") < history.index("Version 0")
    assert "Second" in history and "the rules the forum shipped with" in history

    diff = _html(client.get("/rules/history/2"))
    assert "<del>Sarcasm</del>" in diff and "<ins>Irony</ins>" in diff
    assert 'href="/rules/history/1">version 1</a>' in diff
    first = _html(client.get("/rules/history/1"))
    assert "keep out.<ins> Sarcasm counts too.</ins>" in first
    shipped = client.get("/rules/history/0")
    assert shipped.status_code == 200 and "<del>" not in _html(shipped)
    assert client.get("/rules/history/9").status_code == 404


def test_members_and_moderators_may_not_edit(client, login_as, db) -> None:
    for person in (make_user(), make_moderator()):
        login_as(person)
        assert client.get("/rules/edit").status_code == 403
        assert client.post("/rules/edit", data=_edited()).status_code == 403
        page = _html(client.get("/rules"))
        assert "Edit the rules" not in page
    assert db.session.scalar(select(HouseRulesVersion)) is None


def test_signed_out_readers_are_sent_to_sign_in(client) -> None:
    response = client.get("/rules/edit")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    assert client.post("/rules/edit", data=_edited()).status_code == 302


def test_bad_text_gets_a_422_that_keeps_what_was_typed(client, login_as, db) -> None:
    login_as(make_admin())
    too_long = "## Ideas {#ideas-not-persons}\n" + "Keep it civil. " * 2100
    response = client.post("/rules/edit", data={"body": too_long, "note": "long"})
    html = _html(response)
    assert response.status_code == 422
    assert "keep them under 30,000" in html
    assert "Keep it civil. Keep it civil." in html  # the text is back in the box
    assert 'value="long"' in html

    response = client.post("/rules/edit", data={"body": "  ", "note": ""})
    assert response.status_code == 422
    assert "can&#39;t be empty" in _html(response)

    unchanged = client.post("/rules/edit", data={"body": default_text(), "note": ""})
    assert unchanged.status_code == 422
    assert "already shown" in _html(unchanged)
    assert db.session.scalar(select(HouseRulesVersion)) is None


def test_dropping_a_section_that_rules_link_to_is_refused(client, login_as, db) -> None:
    login_as(make_admin())
    body = default_text().replace("{#no-guessing-motives}", "{#motives}")
    response = client.post("/rules/edit", data={"body": body, "note": ""})
    html = _html(response)
    assert response.status_code == 422
    assert "#no-guessing-motives" in html
    assert "{#motives}" in html  # the edit is kept to fix
    assert db.session.scalar(select(HouseRulesVersion)) is None
    assert "no-guessing-motives" in rules.linked_anchors()


def test_a_nudge_links_each_reason_to_its_house_rule(client, login_as) -> None:
    thread = make_thread()
    login_as(make_user())
    body = "What is your real agenda here?"
    response = client.post(f"/threads/{thread.id}/comments", data={"body": body})
    html = _html(response)
    assert response.status_code == 422
    link = '<a class="rules-link" href="/rules#no-guessing-motives">'
    assert link + "House rules: No guessing motives</a>" in html

    # The nudge as one types says the same.
    live = client.post("/moderation/assess", data={"body": body}).get_json()
    assert live["matches"][0]["rules_url"] == "/rules#no-guessing-motives"


def test_a_removal_notice_links_the_author_to_the_rule_and_to_appeals(client, login_as) -> None:
    comment = make_comment(body="A comment that a moderator will take down.")
    moderation.remove_post(
        comment, actor=make_moderator(), reason="Off topic here.", category="off_topic"
    )
    login_as(comment.author)
    html = _html(client.get(f"/threads/{comment.thread.id}/{comment.thread.slug}"))
    assert '<a class="rules-link" href="/rules#on-topic">House rules: Stay on topic</a>' in html
    assert 'href="/rules#appeals">how appeals work</a>' in html
    notices = _html(client.get("/notifications"))
    assert 'href="/rules#on-topic">House rules: Stay on topic</a>' in notices


def test_a_held_notice_says_where_to_read_why(client, login_as, db) -> None:
    thread = make_thread()
    login_as(make_user())
    client.post(
        f"/threads/{thread.id}/comments",
        data={"body": "Are you a pimp yourself?", "confirm": "1", "nudged": "1"},
    )
    html = _html(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert "Waiting for a moderator" in html
    assert 'href="/rules#how-moderation-works">House rules: How moderation works</a>' in html


def test_moderators_rules_list_and_the_public_record_name_the_section(client, login_as) -> None:
    login_as(make_moderator())
    html = _html(client.get("/mod/rules"))
    assert '<th scope="col">Enforces</th>' in html
    assert 'href="/rules#no-guessing-motives">3. No guessing motives</a>' in html
    assert 'href="/rules#ideas-not-persons">1. Argue with ideas, not persons</a>' in html


def test_a_renamed_section_is_named_by_its_new_title_everywhere(client, login_as) -> None:
    login_as(make_admin())
    body = default_text().replace("## No guessing motives", "## Motives are off limits")
    assert client.post("/rules/edit", data={"body": body, "note": ""}).status_code == 302
    html = _html(client.get("/mod/rules"))
    assert 'href="/rules#no-guessing-motives">3. Motives are off limits</a>' in html


def test_markup_in_the_rules_is_shown_as_text_never_run(client, login_as) -> None:
    login_as(make_admin())
    body = default_text() + (
        "\n\n## Hostile <script>alert(1)</script>\n"
        "<img src=x onerror=alert(2)> [a link](javascript:alert(3))\n"
    )
    assert client.post("/rules/edit", data={"body": body, "note": ""}).status_code == 302
    html = _html(client.get("/rules"))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<img" not in html and 'href="javascript:' not in html
    assert 'id="hostile-script-alert-1-script"' in html
