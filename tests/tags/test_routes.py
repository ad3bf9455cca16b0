"""Tag index, tag pages, and the moderators' edit and merge forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.models import Tag
from forum.tags import service as tags
from tests.factories import make_moderator, make_thread, make_user
from tests.markup import without_site_script


def _html(response) -> str:
    return response.get_data(as_text=True)


def _tag(db, slug: str) -> Tag:
    db.session.expire_all()
    return db.session.scalar(select(Tag).where(Tag.slug == slug))


# --- Index and tag pages --------------------------------------------------------------------


def test_tag_index_lists_tags_busiest_first_with_counts(client) -> None:
    make_thread(tags=["housing", "funding"])
    make_thread(tags=["funding"])
    html = _html(client.get("/tags"))
    assert html.index(">funding</a>") < html.index(">housing</a>")
    assert "2 threads" in html and "1 thread<" in html


def test_tag_index_when_empty(client) -> None:
    assert "No tags yet." in _html(client.get("/tags"))


def test_tag_page_lists_only_its_threads(client) -> None:
    make_thread(title="About housing", tags=["housing"])
    make_thread(title="About funding", tags=["funding"])
    html = _html(client.get("/tags/housing"))
    assert "About housing" in html
    assert "About funding" not in html
    assert "<h1>housing <span" in html


def test_tag_page_offers_a_new_thread_in_the_tag_to_members_only(client, login_as) -> None:
    make_thread(tags=["housing"])
    assert 'href="/threads/new?tag=housing"' not in _html(client.get("/tags/housing"))
    login_as(make_user())
    assert 'href="/threads/new?tag=housing"' in _html(client.get("/tags/housing"))


@pytest.mark.parametrize("typed", ["Housing", "HOUSING", "hous%E2%80%8Bing", "h%D0%BEusing"])
def test_unnormalised_tag_address_redirects_permanently(client, typed) -> None:
    make_thread(tags=["housing"])
    response = client.get(f"/tags/{typed}")
    assert response.status_code == 301
    assert response.location == "/tags/housing"


def test_merged_tag_address_redirects_to_the_canonical_tag(client) -> None:
    make_thread(title="Old tag thread", tags=["rent"])
    make_thread(tags=["housing"])
    tags.merge_tags(tags.get_tag("rent"), tags.get_tag("housing"))

    response = client.get("/tags/rent")
    assert response.status_code == 301
    assert response.location == "/tags/housing"
    assert "Old tag thread" in _html(client.get(response.location))
    # The synonym is no longer listed as a topic of its own.
    assert ">rent</a>" not in _html(client.get("/tags"))


@pytest.mark.parametrize("slug", ["nope", "%21%21%21", "x" * 300])
def test_unknown_tag_is_a_404_page(client, slug) -> None:
    make_thread(tags=["housing"])
    response = client.get(f"/tags/{slug}")
    assert response.status_code == 404
    assert '<nav class="site-nav"' in _html(response)


def test_tag_page_pages_by_cursor_within_its_tag(app, client) -> None:
    app.config["THREADS_PER_PAGE"] = 2
    for n in range(3):
        make_thread(title=f"Housing thread {n}", tags=["housing"])
        make_thread(title=f"Other thread {n}", tags=["funding"])
    first = _html(client.get("/tags/housing"))
    assert "Housing thread 2" in first and "Housing thread 1" in first
    older = re.search(r'<a rel="next" href="([^"]+)"', first)
    assert older and older.group(1).startswith("/tags/housing?before=")
    second = _html(client.get(older.group(1)))
    assert "Housing thread 0" in second and "Other thread" not in second
    assert 'rel="next"' not in second and 'rel="prev"' in second


def test_tag_page_with_a_broken_cursor_is_a_400(client) -> None:
    make_thread(title="Housing thread", tags=["housing"])
    response = client.get("/tags/housing?before=zzz")
    assert response.status_code == 400
    assert "That page link is broken" in _html(response)


# --- Editing --------------------------------------------------------------------------------


def test_moderator_sees_the_edit_link_and_renames_and_describes_a_tag(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    login_as(make_moderator())
    assert 'href="/tags/housing/edit">Edit tag</a>' in _html(client.get("/tags/housing"))

    form = _html(client.get("/tags/housing/edit"))
    assert 'name="name" maxlength="60" required value="housing"' in form
    response = client.post(
        "/tags/housing/edit", data={"name": "Housing & shelter", "description": "Where to stay."}
    )

    assert response.status_code == 302
    assert response.location == "/tags/housing"
    html = _html(client.get("/tags/housing"))
    assert "Tag saved." in html
    assert "<h1>Housing &amp; shelter <span" in html
    assert "Where to stay." in html


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"name": "", "description": "Kept description"}, "name"),
        ({"name": "n" * 61, "description": "Kept description"}, "name"),
        ({"name": "Kept name", "description": "d" * 2001}, "description"),
    ],
)
def test_bad_tag_edit_is_rerendered_with_the_error_and_input_kept(
    client, login_as, db, form, field
) -> None:
    make_thread(tags=["housing"])
    login_as(make_moderator())
    response = client.post("/tags/housing/edit", data=form)
    assert response.status_code == 422
    html = _html(response)
    assert f'<p class="field-error" id="{field}-error">' in html
    assert f'value="{form["name"]}"' in html
    assert f">{form['description']}</textarea>" in html
    tag = _tag(db, "housing")
    assert tag.name == "housing" and tag.description == ""


def test_hostile_tag_name_and_description_are_escaped(client, login_as) -> None:
    make_thread(tags=["housing"])
    login_as(make_moderator())
    client.post(
        "/tags/housing/edit",
        data={"name": "<script>alert(1)</script>", "description": "<img src=x onerror=alert(1)>"},
    )
    for url in ("/tags/housing", "/tags", "/tags/housing/edit"):
        html = _html(client.get(url))
        assert "<script" not in without_site_script(html) and "<img" not in html, url
        assert "&amp;lt;" not in html, url
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in _html(client.get("/tags/housing"))


def test_member_may_not_edit_or_merge_tags_and_sees_no_edit_link(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    make_thread(tags=["rent"])
    login_as(make_user())

    assert "/tags/housing/edit" not in _html(client.get("/tags/housing"))
    assert client.get("/tags/housing/edit").status_code == 403
    edit = client.post("/tags/housing/edit", data={"name": "Vandalised"})
    assert edit.status_code == 403
    assert "<h1>403</h1>" in _html(edit)
    assert client.post("/tags/rent/merge", data={"target": "housing"}).status_code == 403

    assert _tag(db, "housing").name == "housing"
    assert _tag(db, "rent").canonical_id is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/tags/housing/edit"),
        ("post", "/tags/housing/edit"),
        ("post", "/tags/housing/merge"),
    ],
)
def test_anonymous_tag_curation_is_redirected_to_sign_in(client, db, method, url) -> None:
    make_thread(tags=["housing", "rent"])
    response = getattr(client, method)(url, data={"name": "x", "target": "rent"})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert _tag(db, "housing").canonical_id is None


def test_editing_an_unknown_tag_is_a_404(client, login_as) -> None:
    login_as(make_moderator())
    assert client.get("/tags/nope/edit").status_code == 404


# --- Merging --------------------------------------------------------------------------------


def test_moderator_merges_a_tag_and_its_threads_follow(client, login_as, db) -> None:
    make_thread(title="Rent strike", tags=["rent"])
    make_thread(title="Shelter beds", tags=["housing"])
    login_as(make_moderator())

    response = client.post("/tags/rent/merge", data={"target": "Housing"})

    assert response.status_code == 302
    assert response.location == "/tags/housing"
    html = _html(client.get("/tags/housing"))
    assert "Merged rent into housing" in html
    assert "Rent strike" in html and "Shelter beds" in html
    assert client.get("/tags/rent").location == "/tags/housing"
    # A merged tag is not curated on its own any more.
    assert client.get("/tags/rent/edit").status_code == 404


@pytest.mark.parametrize(
    ("target", "message"),
    [("no-such-tag", "No tag by that name."), ("housing", "can&#39;t be merged into itself")],
)
def test_bad_merge_is_rerendered_with_the_error_by_the_field(
    client, login_as, db, target, message
) -> None:
    make_thread(tags=["housing"])
    login_as(make_moderator())
    response = client.post("/tags/housing/merge", data={"target": target})
    assert response.status_code == 422
    html = _html(response)
    error = re.search(r'<p class="field-error" id="target-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'name="target" required value="{target}"' in html
    assert _tag(db, "housing").canonical_id is None


def test_merge_is_post_only(client, login_as) -> None:
    make_thread(tags=["housing"])
    login_as(make_moderator())
    response = client.get("/tags/housing/merge")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
