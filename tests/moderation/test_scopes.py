"""A moderator scoped to some tags writes rules for those tags only, can't change the rules
that reach the whole forum (the defaults among them), and previews over their tags' comments
only. Admins and moderators of the whole forum keep every rule."""

from __future__ import annotations

import pytest

from forum.errors import PermissionDeniedError, ValidationError
from forum.models import CommentStatus
from forum.moderation import service as moderation
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

HOLD_WINDBAG = {
    "id": "windbag",
    "kind": "lexicon",
    "terms": ["windbag"],
    "action": "hold",
    "message": "calls someone a {term}",
    "target": "any",
}


@pytest.fixture
def housing_moderator(app):
    make_thread(tags=["housing"])
    moderator = make_moderator()
    moderation.set_moderator_scopes(moderator, ["housing"], actor=make_admin())
    return moderator


def test_a_scoped_moderators_rule_must_stay_in_their_tags(housing_moderator) -> None:
    with pytest.raises(ValidationError, match="Limit the rule to your tags: housing"):
        moderation.save_rule(HOLD_WINDBAG, actor=housing_moderator)
    with pytest.raises(ValidationError):
        moderation.save_rule(
            {**HOLD_WINDBAG, "tags": ["housing", "funding"]}, actor=housing_moderator
        )
    rule = moderation.save_rule({**HOLD_WINDBAG, "tags": ["housing"]}, actor=housing_moderator)
    assert rule.tags == ("housing",)
    # It holds in their tag and nowhere else.
    author = make_user()
    text = "What a windbag argument, honestly."
    inside = threads.reply(
        thread=make_thread(tags=["housing"]), author=author, body=text, confirmed=True
    )
    outside = threads.reply(thread=make_thread(tags=["funding"]), author=author, body=text)
    assert inside.status == CommentStatus.PENDING
    assert outside.status == CommentStatus.PUBLISHED


def test_a_scoped_moderator_cannot_touch_a_rule_that_reaches_everywhere(
    housing_moderator,
) -> None:
    default = moderation.get_rule("accuse.role")
    from forum.moderation.rules import rule_to_dict

    disabled = {**rule_to_dict(default), "enabled": False}
    with pytest.raises(PermissionDeniedError, match="beyond the tags you moderate"):
        moderation.save_rule(disabled, actor=housing_moderator)
    with pytest.raises(PermissionDeniedError):
        moderation.save_rule({**disabled, "tags": ["housing"]}, actor=housing_moderator)
    assert moderation.get_rule("accuse.role").enabled
    # Nor may a moderator of the whole forum: a default rule holds in every tag. An admin may.
    with pytest.raises(PermissionDeniedError, match="only an admin"):
        moderation.save_rule(disabled, actor=make_moderator())
    moderation.save_rule(disabled, actor=make_admin())
    assert not moderation.get_rule("accuse.role").enabled


def test_a_scoped_moderator_previews_over_their_tags_only(housing_moderator) -> None:
    inside = make_comment(make_thread(tags=["housing"]), body="A windbag point about rents.")
    make_comment(make_thread(tags=["funding"]), body="A windbag point about grants.")
    rule = {**HOLD_WINDBAG, "tags": ["housing"]}
    caught = moderation.dry_run_rule(rule, actor=housing_moderator)
    assert [c.id for c, _ in caught] == [inside.id]
    assert len(moderation.dry_run_rule(rule, actor=make_admin())) == 1  # the rule's own tag
    everywhere = moderation.dry_run_rule(HOLD_WINDBAG, actor=make_admin())
    assert len(everywhere) == 2


def test_the_rule_pages_answer_a_scoped_moderator_with_reasons(
    client, login_as, housing_moderator
) -> None:
    login_as(housing_moderator)
    form = {"kind": "lexicon", "action": "hold", "message": "calls someone a {term}",
            "terms": "windbag", "target": "any", "enabled": "1"}  # fmt: skip
    response = client.post("/mod/rules/new", data={**form, "id": "windbag"})
    assert response.status_code == 422
    assert "Limit the rule to your tags: housing" in response.get_data(as_text=True)
    response = client.post("/mod/rules/new", data={**form, "id": "windbag", "tags": "housing"})
    assert response.status_code == 302
    response = client.post("/mod/rules/accuse.role", data={**form, "terms": "pimp"})
    assert response.status_code == 403
