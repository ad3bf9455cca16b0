"""Who gets what: every URL rule and method × seven personas, each cell one expected answer.

The personas (tests/authz_world.py builds them and one of every object):

- anonymous: reads everything public. Pages that need an account send them to
  /login?next=<the page>; the API answers 401 (with a Bearer challenge) to anything that
  needs a token.
- member: an account with nothing of its own. May post, flag, follow, change its own
  settings; may not touch anyone's objects or any moderator page (403).
- author: owns the objects the row acts on (the comment, the thread, the question that was
  promoted, the removed comment, the notification, the mailed links, the feed token). May
  edit, delete, retag, promote in their thread, anonymise their promoted question, appeal
  their removal; may not flag their own comment.
- other: a member with objects of the same kinds (a question in the author's thread, a flag
  on the author's comment, a flag outcome notice). Gets no more than member on the author's
  objects, and knowing their ids changes nothing: marking the author's notification read
  "succeeds" without touching it.
- moderator (no tag scope) and admin: everything member may, plus the queue, the log, the
  rules, users' records, warnings, suspensions, tag curation, editing and deleting others'
  comments, promoting and undoing promotions. Only admins set moderators' tag scopes.
- suspended: a member whose suspension runs. Reads everything a member reads and manages
  their own account (settings, follows, notifications, feeds), but may not write for others
  to see: no thread, comment, flag, promotion, retag (403, on the site and in the API).

Held and removed comments don't exist for those who may not see them (404, so their ids
can't be probed). Capability URLs (private feed, mailed links) work for whoever holds them:
the secret in the URL is the credential, and tests/test_authorization_ids.py checks that
guessed or altered ones open nothing.

Each cell is ``status`` or ``status+``. For unsafe methods (and for any ``+`` cell) the whole
database is compared before and after: ``+`` means the action must have changed something,
a bare status that it changed nothing. ``login`` is a 302 to /login?next=<the path>, and a
bare 302 must not go to the login page. CSRF is off here (tests/test_csrf.py covers it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, g

from forum import create_app
from forum.extensions import db
from forum.house_rules.service import default_text
from tests.authz_world import (
    ANONYMOUS,
    PERSONAS,
    World,
    build_world,
    changed_tables,
    dump,
    restore,
    snapshot,
)
from tests.conftest import _empty_tables, base_config

# Rules the table leaves out, and why. HEAD and OPTIONS are answered by Flask for every GET
# rule and are left out everywhere.
EXCLUDED = {"static": "files from static/, the same for everyone and no object behind them"}
AUTOMATIC_METHODS = {"HEAD", "OPTIONS"}


@dataclass(frozen=True)
class Row:
    """One rule and method, with a body, and the answer for each persona in PERSONAS order."""

    endpoint: str
    method: str
    path: str  # "{name}" is filled from World.ids
    expect: str
    data: dict[str, Any] | None = None  # form fields (site) or JSON (API)
    note: str = ""
    cells: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        cells = tuple(self.expect.split())
        assert len(cells) == len(PERSONAS), f"{self.endpoint}: {len(cells)} cells"
        object.__setattr__(self, "cells", cells)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}" + (f" ({self.note})" if self.note else "")


# Shorthands for the most common lines; columns in PERSONAS order:
#      anonymous member author other moderator admin suspended
EVERYONE = "200 200 200 200 200 200 200"
SIGNED_IN = "login 200 200 200 200 200 200"
MODERATORS = "login 403 403 403 200 200 403"
MODERATORS_ACT = "login 403 403 403 302+ 302+ 403"
ADMINS_ACT = "login 403 403 403 403 302+ 403"
POSTERS_ACT = "login 302+ 302+ 302+ 302+ 302+ 403"
OWN_SETTINGS = "login 302+ 302+ 302+ 302+ 302+ 302+"
API_SIGNED_IN = "401 200 200 200 200 200 200"
API_POSTERS = "401 201+ 201+ 201+ 201+ 201+ 403"
API_MODERATORS = "401 403 403 403 200 200 403"

COMMENT_BODY = "The council pays for most of the beds, according to the 2025 report."
NEW_RULE = {
    "kind": "lexicon",
    "terms": "stooge",
    "target": "person",
    "action": "flag",
    "message": "Calling someone a {term} attacks the person.",
    "enabled": "1",
    "tags": "",
    "save": "1",
}

ROWS = [
    # --- threads and comments -----------------------------------------------------------------
    Row("threads.home", "GET", "/", EVERYONE),
    Row("threads.questions", "GET", "/questions", EVERYONE),
    Row("threads.view", "GET", "/threads/{thread}/{slug}", EVERYONE),
    Row("threads.view", "GET", "/threads/{thread}", EVERYONE),
    Row("threads.new", "GET", "/threads/new", "login 200 200 200 200 200 403"),
    Row(
        "threads.new",
        "POST",
        "/threads/new",
        POSTERS_ACT,
        {"title": "Night shelter opening hours", "body": "When do they open?", "tags": "housing"},
    ),
    Row("threads.reply_form", "GET", "/threads/{thread}/reply", "login 200 200 200 200 200 403"),
    Row("threads.reply", "POST", "/threads/{thread}/comments", POSTERS_ACT, {"body": COMMENT_BODY}),
    Row("threads.permalink", "GET", "/comments/{comment}", "302 302 302 302 302 302 302"),
    Row("threads.permalink", "GET", "/comments/{held}", "404 404 302 404 302 302 404", note="held"),
    Row(
        "threads.permalink",
        "GET",
        "/comments/{removed}",
        "404 404 302 404 302 302 404",
        note="removed",
    ),
    Row("threads.edit", "GET", "/comments/{comment}/edit", "login 403 200 403 200 200 403"),
    Row(
        "threads.edit", "GET", "/comments/{held}/edit", "login 403 200 403 200 200 403", note="held"
    ),
    Row(
        "threads.edit",
        "POST",
        "/comments/{comment}/edit",
        "login 403 302+ 403 302+ 302+ 403",
        {"body": COMMENT_BODY},
    ),
    Row("threads.delete", "POST", "/comments/{comment}/delete", "login 403 302+ 403 302+ 302+ 403"),
    Row(
        "threads.retag",
        "POST",
        "/threads/{thread}/tags",
        "login 403 302+ 403 302+ 302+ 403",
        {"tags": "housing, funding"},
    ),
    # Promotion: the thread's author (here, author) or a moderator gives other's question
    # its own thread; other, who asked it, may not.
    Row("threads.promote", "GET", "/comments/{question}/promote", "login 403 200 403 200 200 403"),
    Row(
        "threads.promote",
        "GET",
        "/comments/{held}/promote",
        "login 404 409 404 409 409 404",
        note="held",
    ),
    Row(
        "threads.promote",
        "POST",
        "/comments/{question}/promote",
        "login 403 302+ 403 302+ 302+ 403",
        {"title": "Should the county pay for the night shelter?", "tags": "housing"},
    ),
    Row(
        "threads.anonymise",
        "POST",
        "/promotions/{promotion}/anonymise",
        "login 403 302+ 403 403 403 403",
    ),
    Row("threads.undo_promotion", "POST", "/promotions/{promotion}/undo", MODERATORS_ACT),
    # Threads under moderation: a held or removed one exists only for its author and
    # moderators; its author edits and deletes it; anyone reads a public post's history.
    Row(
        "threads.view",
        "GET",
        "/threads/{held_thread}",
        "404 404 200 404 200 200 404",
        note="held",
    ),
    Row(
        "threads.view",
        "GET",
        "/threads/{removed_thread}",
        "404 404 200 404 200 200 404",
        note="removed",
    ),
    Row("threads.edit_thread", "GET", "/threads/{thread}/edit", "login 403 200 403 200 200 403"),
    Row(
        "threads.edit_thread",
        "POST",
        "/threads/{thread}/edit",
        "login 403 302+ 403 302+ 302+ 403",
        {"title": "Who pays for shelter beds in winter", "body": COMMENT_BODY, "tags": "housing"},
    ),
    Row(
        "threads.delete_thread",
        "POST",
        "/threads/{thread}/delete",
        "login 403 302+ 403 403 403 403",
        note="moderators remove instead",
    ),
    Row("threads.comment_history", "GET", "/comments/{comment}/history", EVERYONE),
    Row(
        "threads.comment_history",
        "GET",
        "/comments/{removed}/history",
        "404 404 200 404 200 200 404",
        note="removed",
    ),
    Row("threads.thread_history", "GET", "/threads/{thread}/history", EVERYONE),
    Row(
        "threads.thread_history",
        "GET",
        "/threads/{held_thread}/history",
        "404 404 200 404 200 200 404",
        note="held",
    ),
    # --- tags ---------------------------------------------------------------------------------
    Row("tags.index", "GET", "/tags", EVERYONE),
    Row("tags.view", "GET", "/tags/{tag}", EVERYONE),
    Row("tags.edit", "GET", "/tags/{tag}/edit", MODERATORS),
    Row(
        "tags.edit",
        "POST",
        "/tags/{tag}/edit",
        MODERATORS_ACT,
        {"name": "Housing", "description": "Beds, rent and tenancy."},
    ),
    Row("tags.merge", "POST", "/tags/{other_tag}/merge", MODERATORS_ACT, {"target": "{tag}"}),
    Row("tags.follow", "POST", "/tags/{tag}/follow", OWN_SETTINGS, {"level": "all"}),
    # --- following and notifications -----------------------------------------------------------
    Row("subscriptions.notifications", "GET", "/notifications", SIGNED_IN),
    Row(
        "subscriptions.mark_read",
        "POST",
        "/notifications/read",
        "login 302 302+ 302 302 302 302",
        {"id": "{notification}"},
        note="the author's notification",
    ),
    Row("subscriptions.settings", "GET", "/settings/subscriptions", SIGNED_IN),
    Row(
        "subscriptions.save_settings",
        "POST",
        "/settings/subscriptions",
        OWN_SETTINGS,
        {"auto_follow_threads": "0"},
    ),
    Row(
        "subscriptions.add_tag",
        "POST",
        "/settings/subscriptions/tags",
        OWN_SETTINGS,
        {"tag": "{other_tag}", "level": "all"},
    ),
    # The author and other already follow the thread they posted in: nothing to change.
    Row(
        "subscriptions.follow_thread",
        "POST",
        "/threads/{thread}/follow",
        "login 302+ 302 302 302+ 302+ 302+",
        {"action": "follow"},
    ),
    Row(
        "threads.preview",
        "POST",
        "/preview",
        "login 200 200 200 200 200 403",
        data={"body": "A **draft** reply."},
    ),
    # --- feeds --------------------------------------------------------------------------------
    Row("feeds.tag_feed", "GET", "/tags/{tag}/feed.atom", EVERYONE),
    Row("feeds.thread_feed", "GET", "/threads/{thread}/feed.atom", EVERYONE),
    Row("feeds.private_feed", "GET", "/users/me/feed/{feed_token}.atom", EVERYONE),
    Row(
        "feeds.private_feed",
        "GET",
        "/users/me/feed/{guessed_feed_token}.atom",
        "404 404 404 404 404 404 404",
        note="guessed token",
    ),
    # The first visit creates the reader's token; the author has one already.
    Row("feeds.settings", "GET", "/settings/feed", "login 200+ 200 200+ 200+ 200+ 200+"),
    Row("feeds.reset_token", "POST", "/settings/feed/reset", OWN_SETTINGS),
    # --- the account's own settings ---------------------------------------------------------
    Row("account.settings", "GET", "/settings/account", SIGNED_IN),
    Row(
        "account.change_password",
        "POST",
        "/settings/account/password",
        OWN_SETTINGS,
        data={
            "current_password": "{password}",
            "new_password": "a different long passphrase",
            "confirm_password": "a different long passphrase",
        },
    ),
    Row(
        "account.create_token",
        "POST",
        "/settings/account/tokens",
        "login 201+ 201+ 201+ 201+ 201+ 201+",
        data={"name": "laptop"},
    ),
    # Someone else's token is not there for them: 404, and it stays valid.
    Row(
        "account.revoke_token",
        "POST",
        "/settings/account/tokens/{author_token}/revoke",
        "login 404 302+ 404 404 404 404",
    ),
    # Someone else's sign-in is not there for them; the author ending their own signs out.
    Row(
        "account.revoke_session",
        "POST",
        "/settings/account/sessions/{author_session}/revoke",
        "login 404 302+ 404 404 404 404",
    ),
    Row("account.sign_out_everywhere", "POST", "/settings/account/sessions/end-all", OWN_SETTINGS),
    Row("account.export", "GET", "/settings/account/export", SIGNED_IN),
    Row(
        "account.delete",
        "POST",
        "/settings/account/delete",
        OWN_SETTINGS,
        data={"password": "{password}", "choice": "anonymise"},
    ),
    # --- mail ---------------------------------------------------------------------------------
    Row("mail.settings", "GET", "/settings/email", SIGNED_IN),
    Row(
        "mail.settings",
        "POST",
        "/settings/email",
        OWN_SETTINGS,
        {"email": "reader@example.org", "notifications": "1"},
    ),
    # Mailed links act for whoever holds them: opened on another device, signed in or not.
    Row(
        "mail.verify",
        "GET",
        "/settings/email/verify/{verify_token}",
        "302+ 302+ 302+ 302+ 302+ 302+ 302+",
    ),
    Row("mail.unsubscribe_confirm", "GET", "/unsubscribe/{unsubscribe_token}", EVERYONE),
    Row(
        "mail.unsubscribe",
        "POST",
        "/unsubscribe/{unsubscribe_token}",
        "200+ 200+ 200+ 200+ 200+ 200+ 200+",
    ),
    # --- webmention: other sites' servers, signed in or not alike; it only queues a check ----
    Row(
        "webmention.receive",
        "POST",
        "/webmention",
        "202+ 202+ 202+ 202+ 202+ 202+ 202+",
        data={
            "source": "https://blog.example/2026/beds",
            "target": "http://localhost/threads/{thread}/{slug}",
        },
    ),
    # --- accounts -----------------------------------------------------------------------------
    Row("auth.login", "GET", "/login", EVERYONE),
    Row(
        "auth.login",
        "POST",
        "/login",
        # Every sign-in is a row the server can end; signing in again replaces this one's.
        "302+ 302+ 302+ 302+ 302+ 302+ 302+",
        {"username": "{member_name}", "password": "{password}"},
    ),
    Row("auth.register", "GET", "/register", "200 302 302 302 302 302 302"),
    Row(
        "auth.register",
        "POST",
        "/register",
        "302+ 302 302 302 302 302 302",
        {"username": "newcomer", "password": "a long enough password"},
    ),
    Row("auth.logout", "POST", "/logout", "302 302+ 302+ 302+ 302+ 302+ 302+"),
    # Password reset: the same answer for every address; a known, confirmed one queues a mail.
    Row("auth.forgot_password", "GET", "/password/forgot", EVERYONE),
    Row(
        "auth.forgot_password",
        "POST",
        "/password/forgot",
        "302 302 302 302 302 302 302",
        {"email": "nobody@example.org"},
        note="unknown address",
    ),
    Row(
        "auth.forgot_password",
        "POST",
        "/password/forgot",
        "302+ 302+ 302+ 302+ 302+ 302+ 302+",
        {"email": "oli@example.org"},
        note="other's confirmed address",
    ),
    # The mailed link acts for whoever holds it, signed in or not (as the verify link does).
    Row("auth.reset_password", "GET", "/password/reset/{reset_token}", EVERYONE),
    Row(
        "auth.reset_password",
        "POST",
        "/password/reset/{reset_token}",
        "302+ 302+ 302+ 302+ 302+ 302+ 302+",
        {"new_password": "a fresh passphrase", "confirm_password": "a fresh passphrase"},
    ),
    # --- house rules: everyone reads them and their history; only admins rewrite them -------
    Row("house_rules.view", "GET", "/rules", EVERYONE),
    Row("house_rules.history", "GET", "/rules/history", EVERYONE),
    Row("house_rules.version", "GET", "/rules/history/0", EVERYONE),
    Row("house_rules.edit", "GET", "/rules/edit", "login 403 403 403 403 200 403"),
    Row(
        "house_rules.edit",
        "POST",
        "/rules/edit",
        "login 403 403 403 403 302+ 403",
        {"body": default_text() + "\nOne more sentence.", "note": "matrix"},
    ),
    Row("users.profile", "GET", "/users/{author_name}", EVERYONE),
    Row("search.results", "GET", "/search?q=shelter", EVERYONE),
    # --- moderation ---------------------------------------------------------------------------
    Row("moderation.queue", "GET", "/mod/queue", MODERATORS),
    Row("moderation.item", "GET", "/mod/queue/{item}", MODERATORS),
    Row("moderation.item", "POST", "/mod/queue/{item}", MODERATORS_ACT, {"decision": "approve"}),
    Row(
        "moderation.bulk",
        "POST",
        "/mod/queue/bulk",
        MODERATORS_ACT,
        {"decision": "approve", "item_id": "{item}"},
    ),
    Row("moderation.log", "GET", "/mod/log", MODERATORS),
    Row("moderation.dashboard", "GET", "/mod", MODERATORS),
    # The nudge as one types: it reads the text and writes nothing, for those who may post.
    Row(
        "moderation.assess",
        "POST",
        "/moderation/assess",
        "login 200 200 200 200 200 403",
        data={"body": "Are some of you pimps yourselves?"},
    ),
    Row("moderation.rules", "GET", "/mod/rules", MODERATORS),
    Row("moderation.rule_new", "GET", "/mod/rules/new", MODERATORS),
    # Only admins write rules for the whole forum (422: limit it to tags; 403: a default
    # rule applies everywhere); moderators write rules limited to tags.
    Row(
        "moderation.rule_new",
        "POST",
        "/mod/rules/new",
        "login 403 403 403 422 302+ 403",
        {**NEW_RULE, "id": "matrix.stooge"},
    ),
    Row(
        "moderation.rule_new",
        "POST",
        "/mod/rules/new",
        MODERATORS_ACT,
        {**NEW_RULE, "id": "matrix.stooge", "tags": "{tag}"},
    ),
    Row("moderation.rule_edit", "GET", "/mod/rules/{rule}", MODERATORS),
    Row(
        "moderation.rule_edit",
        "POST",
        "/mod/rules/{rule}",
        "login 403 403 403 403 302+ 403",
        NEW_RULE,
    ),
    Row("moderation.user_page", "GET", "/mod/users/{author_name}", MODERATORS),
    Row(
        "moderation.warn",
        "POST",
        "/mod/users/{author_name}/warn",
        MODERATORS_ACT,
        {"reason": "Argue with the report, not with the person."},
    ),
    Row(
        "moderation.suspend",
        "POST",
        "/mod/users/{author_name}/suspend",
        MODERATORS_ACT,
        {"days": "3", "reason": "Repeated personal attacks."},
    ),
    Row(
        "moderation.scopes",
        "POST",
        "/mod/users/{moderator_name}/scopes",
        "login 403 403 403 403 302+ 403",
        {"tags": "housing"},
    ),
    Row("moderation.flag", "GET", "/comments/{comment}/flag", "login 200 403 409 200 200 403"),
    Row("moderation.flag", "GET", "/comments/{held}/flag", "login 404 404 404 404 404 404", "held"),
    Row(
        "moderation.flag",
        "POST",
        "/comments/{comment}/flag",
        "login 302+ 403 409 302+ 302+ 403",
        {"reason": "spam"},
    ),
    Row("moderation.appeal", "GET", "/comments/{removed}/appeal", "login 403 200 403 403 403 403"),
    Row(
        "moderation.appeal",
        "POST",
        "/comments/{removed}/appeal",
        "login 403 302+ 403 403 403 403",
        {"reason": "It linked to the council's own report."},
    ),
    Row("moderation.flag_thread", "GET", "/threads/{thread}/flag", "login 200 403 200 200 200 403"),
    Row(
        "moderation.flag_thread",
        "GET",
        "/threads/{held_thread}/flag",
        "login 404 404 404 404 404 404",
        note="held",
    ),
    Row(
        "moderation.flag_thread",
        "POST",
        "/threads/{thread}/flag",
        "login 302+ 403 302+ 302+ 302+ 403",
        {"reason": "off_topic"},
    ),
    Row(
        "moderation.appeal_thread",
        "GET",
        "/threads/{removed_thread}/appeal",
        "login 403 200 403 403 403 403",
    ),
    Row(
        "moderation.appeal_thread",
        "POST",
        "/threads/{removed_thread}/appeal",
        "login 403 302+ 403 403 403 403",
        {"reason": "The link was to the council's own report."},
    ),
    Row("moderation.remove_comment", "GET", "/comments/{comment}/remove", MODERATORS),
    Row(
        "moderation.remove_comment",
        "POST",
        "/comments/{comment}/remove",
        MODERATORS_ACT,
        {"reason": "Off topic here.", "category": "off_topic"},
    ),
    Row("moderation.restore_comment", "POST", "/comments/{removed}/restore", MODERATORS_ACT),
    Row(
        "moderation.remove_thread",
        "POST",
        "/threads/{thread}/remove",
        MODERATORS_ACT,
        {"reason": "Spam link.", "category": "spam"},
    ),
    Row("moderation.restore_thread", "POST", "/threads/{removed_thread}/restore", MODERATORS_ACT),
    Row(
        "moderation.lock_thread",
        "POST",
        "/threads/{thread}/lock",
        MODERATORS_ACT,
        {"reason": "Cooling off for a day."},
    ),
    Row("moderation.unlock_thread", "POST", "/threads/{locked_thread}/unlock", MODERATORS_ACT),
    Row("moderation.pin_thread", "POST", "/threads/{thread}/pin", MODERATORS_ACT, {"days": "7"}),
    Row("moderation.unpin_thread", "POST", "/threads/{pinned_thread}/unpin", MODERATORS_ACT),
    # The public record of moderation: counts, no names.
    Row("moderation.transparency", "GET", "/moderation", EVERYONE),
    Row("moderation.tag_transparency", "GET", "/tags/{tag}/moderation", EVERYONE),
    # Ignoring: the author can't ignore themselves; ``other`` already ignores the author.
    Row(
        "users.ignore",
        "POST",
        "/users/{author_name}/ignore",
        "login 302+ 302 302 302+ 302+ 302+",
    ),
    Row(
        "users.unignore",
        "POST",
        "/users/{author_name}/unignore",
        "login 302 302 302+ 302 302 302",
    ),
    Row("users.ignored", "GET", "/settings/ignored", SIGNED_IN),
    # --- API ----------------------------------------------------------------------------------
    Row("api.openapi_document", "GET", "/api/v1/openapi.json", EVERYONE),
    Row("api.list_threads", "GET", "/api/v1/threads", EVERYONE),
    Row("api.get_thread", "GET", "/api/v1/threads/{thread}", EVERYONE),
    Row("api.list_tags", "GET", "/api/v1/tags", EVERYONE),
    Row("api.search", "GET", "/api/v1/search?q=shelter", EVERYONE),
    Row(
        "api.create_thread",
        "POST",
        "/api/v1/threads",
        API_POSTERS,
        {"title": "Night shelter opening hours", "body": "When?", "tags": ["housing"]},
    ),
    Row(
        "api.create_comment",
        "POST",
        "/api/v1/threads/{thread}/comments",
        API_POSTERS,
        {"body": COMMENT_BODY},
    ),
    Row(
        "api.flag_comment",
        "POST",
        "/api/v1/comments/{comment}/flags",
        "401 201+ 403 409 201+ 201+ 403",
        {"reason": "spam"},
    ),
    Row(
        "api.flag_comment",
        "POST",
        "/api/v1/comments/{held}/flags",
        "401 404 404 404 404 404 404",
        {"reason": "spam"},
        note="held",
    ),
    Row(
        "api.flag_thread",
        "POST",
        "/api/v1/threads/{thread}/flags",
        "401 201+ 403 201+ 201+ 201+ 403",
        {"reason": "off_topic"},
    ),
    Row(
        "api.flag_thread",
        "POST",
        "/api/v1/threads/{held_thread}/flags",
        "401 404 404 404 404 404 404",
        {"reason": "spam"},
        note="held",
    ),
    Row(
        "api.get_thread",
        "GET",
        "/api/v1/threads/{held_thread}",
        "404 404 200 404 200 200 404",
        note="held",
    ),
    Row(
        "api.edit_thread",
        "PATCH",
        "/api/v1/threads/{thread}",
        "401 403 200+ 403 200+ 200+ 403",
        {"title": "Who pays for shelter beds in winter"},
    ),
    Row(
        "api.delete_thread",
        "DELETE",
        "/api/v1/threads/{thread}",
        "401 403 204+ 403 403 403 403",
    ),
    Row(
        "api.edit_comment",
        "PATCH",
        "/api/v1/comments/{comment}",
        "401 403 200+ 403 200+ 200+ 403",
        {"body": COMMENT_BODY + " Edited."},
    ),
    Row(
        "api.delete_comment",
        "DELETE",
        "/api/v1/comments/{comment}",
        "401 403 204+ 403 204+ 204+ 403",
    ),
    Row(
        "api.promote_comment",
        "POST",
        "/api/v1/comments/{question}/promote",
        "401 403 201+ 403 201+ 201+ 403",
        {},
    ),
    Row("api.moderation_queue", "GET", "/api/v1/moderation/queue", API_MODERATORS),
    Row(
        "api.decide_queue_item",
        "POST",
        "/api/v1/moderation/queue/{item}",
        "401 403 403 403 200+ 200+ 403",
        {"decision": "approve"},
    ),
    Row(
        "api.follow_tag",
        "PUT",
        "/api/v1/tags/{tag}/subscription",
        "401 200+ 200+ 200+ 200+ 200+ 200+",
        {"level": "all"},
    ),
    # Only the author follows the tag; for everyone else there is nothing to end.
    Row(
        "api.unfollow_tag",
        "DELETE",
        "/api/v1/tags/{tag}/subscription",
        "401 204 204+ 204 204 204 204",
    ),
    Row("api.list_subscriptions", "GET", "/api/v1/subscriptions", API_SIGNED_IN),
    Row("api.export_me", "GET", "/api/v1/me/export", API_SIGNED_IN),
    Row("api.list_notifications", "GET", "/api/v1/notifications", API_SIGNED_IN),
    Row(
        "api.mark_notifications_read",
        "POST",
        "/api/v1/notifications/read",
        "401 200 200+ 200 200 200 200",
        {"ids": ["{notification}"]},
        note="the author's notification",
    ),
]


# --- the world, built once per module and put back after every cell that changed it ----------


class Matrix:
    """The module's app and world; ``fresh`` restores the rows after a cell changed them."""

    def __init__(self, app: Flask, world: World) -> None:
        self.app = app
        self.world = world
        self.rows = dump()
        self.dirty = False

    def fresh(self) -> World:
        if self.dirty:
            restore(self.rows)
            self.dirty = False
        return self.world


@pytest.fixture(scope="module")
def matrix(migrated: str) -> Iterator[Matrix]:
    app = create_app(base_config(migrated))

    @app.before_request
    def forget_cached_user() -> None:
        # One app context for the module (as conftest's ``app``): forget the signed-in user.
        g.pop("_login_user", None)

    with app.app_context():
        yield Matrix(app, build_world())
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(value: Any, ids: dict[str, Any]) -> Any:
    """Fill "{name}" placeholders; a value that is only a placeholder keeps the id's type."""
    if isinstance(value, str):
        if value.startswith("{") and value.endswith("}") and value[1:-1] in ids:
            return ids[value[1:-1]]
        # Only known names: a rule's message keeps its own "{term}".
        return PLACEHOLDER.sub(lambda m: str(ids.get(m[1], m[0])), value)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def send(matrix: Matrix, row: Row, persona: str) -> Any:
    world = matrix.world
    client = matrix.app.test_client()
    headers = {}
    if persona != ANONYMOUS and row.is_api:
        headers["Authorization"] = f"Bearer {world.tokens[persona]}"
    elif persona != ANONYMOUS:
        with client.session_transaction() as session:
            session["_user_id"] = world.sessions[persona]
            session["_fresh"] = True
    body = {} if row.data is None else {"json" if row.is_api else "data": fill(row.data, world.ids)}
    return client.open(fill(row.path, world.ids), method=row.method, headers=headers, **body)


def check_status(response: Any, path: str, expected: str) -> None:
    location = response.headers.get("Location", "")
    if expected == "login":
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
        where = urlsplit(location)
        assert where.path == "/login", location
        assert parse_qs(where.query).get("next") == [path.split("?")[0]], location
        return
    assert response.status_code == int(expected), response.get_data(as_text=True)[:300]
    if response.status_code in (301, 302, 303):
        assert urlsplit(location).path != "/login", location


CELLS = [
    pytest.param(row, persona, id=f"{row.endpoint} {row.label} [{persona}]")
    for row in ROWS
    for persona in PERSONAS
]


@pytest.mark.parametrize(("row", "persona"), CELLS)
def test_cell(matrix: Matrix, row: Row, persona: str) -> None:
    world = matrix.fresh()
    expected = row.cells[PERSONAS.index(persona)]
    writes = expected.endswith("+")
    compare = writes or row.method != "GET"
    before = snapshot() if compare else None
    response = send(matrix, row, persona)
    db.session.rollback()
    check_status(response, fill(row.path, world.ids), expected.removesuffix("+"))
    if before is None:
        return
    changed = changed_tables(before, snapshot())
    if changed:
        matrix.dirty = True
    if writes:
        assert changed, "the action was answered but changed nothing"
    else:
        assert not changed, f"a refused or idempotent request changed {changed}"


# --- the table covers the app ----------------------------------------------------------------


class _AnyValue(dict):
    def __missing__(self, key: str) -> str:
        return "1"


def test_every_rule_and_method_has_a_row(matrix: Matrix) -> None:
    """A new route fails here until its line in ROWS says who may use it."""
    app = matrix.app
    adapter = app.url_map.bind("localhost")
    covered = set()
    for row in ROWS:
        rule, _args = adapter.match(
            row.path.split("?")[0].format_map(_AnyValue()), method=row.method, return_rule=True
        )
        assert rule.endpoint == row.endpoint, row.label
        covered.add((rule.rule, row.method))
    wanted = {
        (rule.rule, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXCLUDED
        for method in rule.methods - AUTOMATIC_METHODS
    }
    assert sorted(wanted - covered) == [], "routes with no row in ROWS"
    assert {r.endpoint for r in app.url_map.iter_rules()} >= set(EXCLUDED)
