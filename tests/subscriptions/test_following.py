"""Following from the tag page, the thread page and /settings/subscriptions."""

from __future__ import annotations

import pytest
from sqlalchemy import insert, select

from forum.models import Tag, TagSubscription, ThreadSubscription
from forum.models.base import utcnow
from forum.subscriptions import rules, service
from forum.tags.service import get_tag, resolve_or_create_tags
from tests.factories import make_moderator, make_thread, make_user

LEVELS = ["new_threads", "all", "daily", "weekly", "muted"]


def level_of(db, user, slug: str) -> str | None:
    tag = get_tag(slug)
    return db.session.scalar(
        select(TagSubscription.level).where(
            TagSubscription.user_id == user.id, TagSubscription.tag_id == tag.id
        )
    )


# --- the tag page ------------------------------------------------------------------------------


@pytest.mark.parametrize("level", LEVELS)
def test_following_a_tag_from_its_page_at_each_level(client, login_as, db, level) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    response = client.post("/tags/housing/follow", data={"level": level})
    assert response.status_code == 302 and response.location.endswith("/tags/housing")
    assert level_of(db, user, "housing") == level
    page = client.get("/tags/housing").get_data(as_text=True)
    assert f'<option value="{level}" selected>' in page
    assert "Unfollow" in page


def test_unfollowing_from_the_tag_page(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    client.post("/tags/housing/follow", data={"level": "all"})
    client.post("/tags/housing/follow", data={"level": "unfollow"})
    assert level_of(db, user, "housing") is None
    assert "Follow this tag:" in client.get("/tags/housing").get_data(as_text=True)


def test_the_tag_page_refuses_an_unknown_level_and_an_unknown_tag(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    response = client.post("/tags/housing/follow", data={"level": "hourly"})
    assert response.status_code == 422
    assert "Choose how to follow the tag" in response.get_data(as_text=True)
    assert level_of(db, user, "housing") is None
    assert client.post("/tags/nowhere/follow", data={"level": "all"}).status_code == 404


def test_following_a_merged_tag_follows_its_target(client, login_as, db) -> None:
    from forum.tags.service import merge_tags

    make_thread(tags=["housing"])
    make_thread(tags=["shelter"])
    merge_tags(get_tag("shelter"), get_tag("housing"))
    user = make_user()
    login_as(user)
    client.post("/tags/shelter/follow", data={"level": "all"})
    assert level_of(db, user, "housing") == "all"


def test_anonymous_readers_are_sent_to_sign_in_to_follow(client) -> None:
    thread = make_thread(tags=["housing"])
    response = client.post("/tags/housing/follow", data={"level": "all"})
    assert response.status_code == 302 and "/login" in response.location
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "follow"})
    assert response.status_code == 302 and "/login" in response.location
    page = client.get("/tags/housing").get_data(as_text=True)
    assert "to follow this tag" in page and 'id="follow-level"' not in page


# --- the thread page ---------------------------------------------------------------------------


def test_follow_unfollow_and_mute_from_the_thread_page(client, login_as, db) -> None:
    thread = make_thread(tags=["housing", "funding"])
    user = make_user()
    login_as(user)
    url = f"/threads/{thread.id}/{thread.slug}"
    page = client.get(url).get_data(as_text=True)
    assert "Follow thread" in page
    assert 'href="/tags/funding#follow"' in page and 'href="/tags/housing#follow"' in page
    client.post(f"/threads/{thread.id}/follow", data={"action": "follow"})
    assert service.thread_state(user, thread) == "following"
    assert "Following" in client.get(url).get_data(as_text=True)
    client.post(f"/threads/{thread.id}/follow", data={"action": "mute"})
    assert service.thread_state(user, thread) == "muted"
    assert "Muted" in client.get(url).get_data(as_text=True)
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "unfollow"})
    assert response.location.endswith(url)
    assert service.thread_state(user, thread) is None


def test_the_thread_follow_button_refuses_nonsense(client, login_as) -> None:
    thread = make_thread()
    login_as(make_user())
    assert client.post(f"/threads/{thread.id}/follow", data={"action": "x"}).status_code == 400
    assert client.post("/threads/999999/follow", data={"action": "follow"}).status_code == 404


def test_the_thread_page_query_count_stays_constant_when_signed_in(
    client, login_as, db, count_queries
) -> None:
    from tests.factories import make_comment

    small, big = make_thread(tags=["a"]), make_thread(tags=["a", "b", "c"])
    for _ in range(6):
        make_comment(big)
    user = make_user()
    service.follow_thread(user, big, "follow")
    login_as(user)

    def queries(thread) -> int:
        db.session.expire_all()
        with count_queries() as counter:
            assert client.get(f"/threads/{thread.id}/{thread.slug}").status_code == 200
        return counter.count

    assert queries(small) == queries(big)


def test_the_follow_button_is_read_with_the_thread_for_its_reader(
    client, login_as, db, count_queries
) -> None:
    """The button's state comes with the thread's select, not a select of its own, and a
    thread read for one reader never answers for another."""
    from forum.models import User
    from forum.threads.service import shown_thread

    thread = make_thread()
    url, thread_id = f"/threads/{thread.id}/{thread.slug}", thread.id
    readers = {"ferry": "follow", "marl": "mute", "quill": None}
    for name, action in readers.items():
        user = make_user(name)
        if action:
            service.follow_thread(user, thread, action)
    shown = {"ferry": "Following", "marl": "Muted", "quill": "Follow thread"}
    for name in readers:
        login_as(db.session.scalar(select(User).filter_by(username=name)))
        db.session.remove()
        with count_queries() as counter:
            page = client.get(url).get_data(as_text=True)
        assert f'<span class="follow-state">{shown[name]}</span>' in page or (
            name == "quill" and 'class="secondary">Follow thread</button>' in page
        ), name
        apart = [s for s in counter.statements if "thread_subscriptions" in s]
        assert all("FROM threads" in s for s in apart), (name, apart)
    db.session.remove()
    user = {name: db.session.scalar(select(User).filter_by(username=name)) for name in readers}
    read_for_ferry = shown_thread(thread_id, viewer=user["ferry"])
    assert service.thread_state(user["ferry"], read_for_ferry) == "following"
    assert service.thread_state(user["marl"], read_for_ferry) == "muted"
    assert service.thread_state(user["quill"], read_for_ferry) is None


# --- re-tagging --------------------------------------------------------------------------------


def test_the_author_and_moderators_retag_from_the_thread_page(client, login_as, db) -> None:
    author = make_user()
    thread = make_thread(author, tags=["housing"])
    login_as(author)
    page = client.get(f"/threads/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert f'action="/threads/{thread.id}/tags"' in page
    response = client.post(f"/threads/{thread.id}/tags", data={"tags": "housing, grants"})
    assert response.status_code == 302
    db.session.refresh(thread)
    assert [t.slug for t in thread.tags] == ["grants", "housing"]
    login_as(make_moderator())
    client.post(f"/threads/{thread.id}/tags", data={"tags": "grants"})
    db.session.refresh(thread)
    assert [t.slug for t in thread.tags] == ["grants"]


def test_others_may_not_retag_and_bad_tags_change_nothing(client, login_as, db) -> None:
    author = make_user()
    thread = make_thread(author, tags=["housing"])
    login_as(make_user())
    assert f'action="/threads/{thread.id}/tags"' not in client.get(
        f"/threads/{thread.id}/{thread.slug}"
    ).get_data(as_text=True)
    assert client.post(f"/threads/{thread.id}/tags", data={"tags": "x"}).status_code == 403
    login_as(author)
    response = client.post(f"/threads/{thread.id}/tags", data={"tags": "a, b, c, d, e, f"})
    assert response.status_code == 303
    assert "Tags not changed" in client.get(response.location).get_data(as_text=True)
    db.session.refresh(thread)
    assert [t.slug for t in thread.tags] == ["housing"]


# --- the home page -----------------------------------------------------------------------------


def test_muted_tags_leave_the_signed_in_home_page(client, login_as) -> None:
    kept = make_thread(title="About grants", tags=["grants"])
    hidden = make_thread(title="About quarrels", tags=["quarrels", "grants"])
    user = make_user()
    service.follow_tag(user, get_tag("quarrels"), "muted")
    login_as(user)
    page = client.get("/").get_data(as_text=True)
    assert kept.title in page and hidden.title not in page
    assert "Threads in tags you muted are hidden" in page
    other = make_user()
    login_as(other)
    assert hidden.title in client.get("/").get_data(as_text=True)


def test_anonymous_home_page_shows_everything(client) -> None:
    thread = make_thread(tags=["quarrels"])
    service.follow_tag(make_user(), get_tag("quarrels"), "muted")
    assert thread.title in client.get("/").get_data(as_text=True)


# --- /settings/subscriptions -------------------------------------------------------------------


def test_settings_lists_follows_and_changes_levels(client, login_as, db) -> None:
    make_thread(tags=["housing", "funding"])
    user = make_user()
    service.follow_tag(user, get_tag("housing"), "new_threads")
    service.follow_tag(user, get_tag("funding"), "all")
    login_as(user)
    page = client.get("/settings/subscriptions").get_data(as_text=True)
    assert "housing" in page and "funding" in page
    housing, funding = get_tag("housing"), get_tag("funding")
    response = client.post(
        "/settings/subscriptions",
        data={f"level-{housing.id}": "weekly", f"level-{funding.id}": "muted"},
    )
    assert response.status_code == 302
    assert level_of(db, user, "housing") == "weekly"
    assert level_of(db, user, "funding") == "muted"
    db.session.refresh(user)
    assert user.auto_follow_threads is False  # the box was left unticked


def test_settings_auto_follow_checkbox(client, login_as, db) -> None:
    user = make_user()
    service.set_auto_follow(user, False)
    login_as(user)
    client.post("/settings/subscriptions", data={"auto_follow_threads": "1"})
    db.session.refresh(user)
    assert user.auto_follow_threads is True


def test_settings_refuses_an_unknown_level_and_changes_nothing(client, login_as, db) -> None:
    make_thread(tags=["housing", "funding"])
    user = make_user()
    service.follow_tag(user, get_tag("housing"), "all")
    service.follow_tag(user, get_tag("funding"), "all")
    login_as(user)
    data = {f"level-{get_tag('housing').id}": "daily", f"level-{get_tag('funding').id}": "x"}
    response = client.post("/settings/subscriptions", data=data)
    assert response.status_code == 422
    assert "must be one of" in response.get_data(as_text=True)
    assert level_of(db, user, "housing") == "all"


def test_settings_ignores_tags_one_does_not_follow(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    client.post("/settings/subscriptions", data={f"level-{get_tag('housing').id}": "all"})
    assert level_of(db, user, "housing") is None


def test_settings_unfollow_button(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    service.follow_tag(user, get_tag("housing"), "all")
    login_as(user)
    response = client.post("/settings/subscriptions", data={"unfollow": "housing"})
    assert response.status_code == 302
    assert level_of(db, user, "housing") is None


def test_settings_add_a_tag(client, login_as, db) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    response = client.post(
        "/settings/subscriptions/tags", data={"tag": "Housing", "level": "daily"}
    )
    assert response.status_code == 302
    assert level_of(db, user, "housing") == "daily"
    assert "You follow housing (daily)." in client.get("/settings/subscriptions").get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"tag": "nowhere", "level": "all"}, "There is no tag by that name."),
        ({"tag": "", "level": "all"}, "Type the name of a tag."),
        ({"tag": "housing", "level": "hourly"}, "must be one of"),
    ],
)
def test_settings_add_a_tag_refuses_bad_input(client, login_as, db, data, message) -> None:
    make_thread(tags=["housing"])
    user = make_user()
    login_as(user)
    response = client.post("/settings/subscriptions/tags", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert level_of(db, user, "housing") is None


def test_following_more_than_the_limit_is_refused(client, login_as, db) -> None:
    user = make_user()
    slugs = [f"topic-{n}" for n in range(rules.MAX_FOLLOWED_TAGS + 1)]
    resolve_or_create_tags(slugs)
    db.session.commit()
    ids = db.session.scalars(select(Tag.id).where(Tag.slug.in_(slugs[:-1]))).all()
    db.session.execute(
        insert(TagSubscription),
        [{"user_id": user.id, "tag_id": i, "level": "all", "created_at": utcnow()} for i in ids],
    )
    db.session.commit()
    login_as(user)
    response = client.post("/settings/subscriptions/tags", data={"tag": slugs[-1], "level": "all"})
    assert response.status_code == 422
    assert f"at most {rules.MAX_FOLLOWED_TAGS} tags" in response.get_data(as_text=True)
    # Changing the level of one already followed is still fine.
    response = client.post(
        "/settings/subscriptions/tags", data={"tag": slugs[0], "level": "weekly"}
    )
    assert response.status_code == 302


def test_settings_list_followed_threads(client, login_as, db) -> None:
    thread = make_thread(title="A thread worth following")
    user = make_user()
    service.follow_thread(user, thread, "follow")
    login_as(user)
    page = client.get("/settings/subscriptions").get_data(as_text=True)
    assert "A thread worth following" in page
    client.post(f"/threads/{thread.id}/follow", data={"action": "unfollow"})
    assert (
        db.session.scalar(select(ThreadSubscription).where(ThreadSubscription.user_id == user.id))
        is None
    )


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/settings/subscriptions"),
        ("post", "/settings/subscriptions"),
        ("post", "/settings/subscriptions/tags"),
    ],
)
def test_settings_need_sign_in(client, method, url) -> None:
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response.location


def test_new_comment_notifications_are_worded(client, login_as) -> None:
    from forum import outbox
    from tests.factories import make_comment

    thread = make_thread(title="Shelter funding")
    watcher = make_user()
    service.follow_thread(watcher, thread, "follow")
    make_comment(thread, author=make_user("rowan_k"))
    outbox.drain()
    login_as(watcher)
    page = client.get("/notifications").get_data(as_text=True)
    assert (
        "<strong>rowan_k</strong> commented in <em>Shelter funding</em>, which you follow" in page
    )
