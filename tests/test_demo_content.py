"""Structural rules for the demo content (forum/demo/: TOML data read by content.py), no app."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

import pytest

from forum.demo.content import TAGS, THREADS, USERS, DemoComment, DemoThread

USERNAME_RE = re.compile(r"[A-Za-z0-9_.-]{3,30}")
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
URL_RE = re.compile(r"https?://([^/\s)>\]]+)")
ALLOWED_URL_HOSTS = ("example.org", "example.net", "example.com")
# Words that attack a person; allowed only in expect_moderation comments, or inside a
# `>` quote / quotation marks when someone reports what was said.
PERSONAL_ATTACKS = re.compile(
    r"\byou liar\b|\byour ignorance\b|\bshills?\b|\btrolls?\b|\bidiots?\b|\byou people\b",
    re.IGNORECASE,
)
QUOTED_RE = re.compile(r"\"[^\"\n]*\"|“[^”\n]*”")

USERNAMES = {u.username for u in USERS}
TAG_SLUGS = {t.slug for t in TAGS}
THREADS_BY_KEY = {t.key: t for t in THREADS}
FLAGSHIP = THREADS[0]


def all_comments() -> list[tuple[DemoThread, DemoComment]]:
    return [(t, c) for t in THREADS for c in t.comments]


def depth(thread: DemoThread, comment: DemoComment) -> int:
    """1 for a reply to the post, 2 for a reply to that, and so on."""
    by_key = {c.key: c for c in thread.comments}
    d = 1
    while comment.reply_to is not None:
        comment = by_key[comment.reply_to]
        d += 1
    return d


def all_bodies() -> list[str]:
    return [t.body for t in THREADS] + [c.body for _, c in all_comments()]


# --- dataclasses ---------------------------------------------------------------------------


def test_records_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        USERS[0].username = "changed"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        FLAGSHIP.title = "changed"  # type: ignore[misc]
    assert isinstance(USERS, tuple) and isinstance(TAGS, tuple) and isinstance(THREADS, tuple)
    assert all(isinstance(t.comments, tuple) and isinstance(t.tags, tuple) for t in THREADS)


# --- users ---------------------------------------------------------------------------------


def test_users() -> None:
    assert len(USERS) >= 14
    names = [u.username for u in USERS]
    assert len(names) == len(set(names)), "usernames must be unique"
    assert len({n.casefold() for n in names}) == len(names), "usernames unique ignoring case"
    for name in names:
        assert USERNAME_RE.fullmatch(name), name
    roles = Counter(u.role for u in USERS)
    assert set(roles) <= {"member", "moderator", "admin"}
    assert roles["admin"] == 1
    assert roles["moderator"] == 2


# --- tags ----------------------------------------------------------------------------------


def test_tags() -> None:
    assert 12 <= len(TAGS) <= 18
    slugs = [t.slug for t in TAGS]
    assert len(slugs) == len(set(slugs))
    for tag in TAGS:
        assert SLUG_RE.fullmatch(tag.slug), tag.slug
        assert len(tag.slug) <= 40
        assert tag.name.strip()
        assert tag.description.strip()
        assert tag.description.count(".") <= 3, "one or two sentences"


def test_every_tag_is_used_or_at_least_the_core_ones() -> None:
    used = {slug for t in THREADS for slug in t.tags}
    for core in ("funding", "labor-trafficking", "decriminalization", "lgbt-youth"):
        assert core in used


# --- threads -------------------------------------------------------------------------------


def test_threads_basic_rules() -> None:
    assert len(THREADS) >= 5
    keys = [t.key for t in THREADS]
    assert len(keys) == len(set(keys))
    for thread in THREADS:
        assert SLUG_RE.fullmatch(thread.key), thread.key
        assert thread.author in USERNAMES, thread.author
        assert 1 <= len(thread.title) <= 200
        assert thread.title == thread.title.strip()
        assert 1 <= len(thread.tags) <= 5, thread.key
        assert len(set(thread.tags)) == len(thread.tags)
        assert set(thread.tags) <= TAG_SLUGS, set(thread.tags) - TAG_SLUGS
        assert thread.body.strip()
        assert thread.days_ago >= 0


@pytest.mark.parametrize("thread", THREADS, ids=lambda t: t.key)
def test_comment_structure(thread: DemoThread) -> None:
    seen: set[str] = set()
    last_minute = -1
    for comment in thread.comments:
        assert comment.key not in seen, f"duplicate key {comment.key}"
        assert comment.author in USERNAMES, comment.author
        assert comment.body.strip()
        if comment.reply_to is not None:
            assert comment.reply_to in seen, f"{comment.key} replies to a later/unknown key"
        assert comment.minutes_after > last_minute, f"{comment.key} is not after its predecessor"
        assert comment.minutes_after >= 0
        last_minute = comment.minutes_after
        seen.add(comment.key)


def test_exactly_one_question_deep_in_the_flagship() -> None:
    questions = [(t, c) for t, c in all_comments() if c.is_question]
    assert len(questions) == 1
    thread, comment = questions[0]
    assert thread is FLAGSHIP
    assert not comment.expect_moderation
    assert depth(thread, comment) >= 3, "the question sits deep in the thread"
    position = thread.comments.index(comment)
    assert position >= len(thread.comments) // 2, "asked late in the thread"
    assert "?" in comment.body
    # Somebody answers it in place before it gets promoted.
    assert any(c.reply_to == comment.key for c in thread.comments)


def test_expect_moderation_comments() -> None:
    flagged = [(t, c) for t, c in all_comments() if c.expect_moderation]
    assert 2 <= len(flagged) <= 3
    roles = {u.username: u.role for u in USERS}
    for thread, comment in flagged:
        assert thread is FLAGSHIP
        assert roles[comment.author] == "member"
        # Regulars respond by asking them to engage with the material.
        assert any(c.reply_to == comment.key for c in thread.comments), comment.key


def _unquoted(body: str) -> str:
    lines = [line for line in body.splitlines() if not line.lstrip().startswith(">")]
    return QUOTED_RE.sub("", "\n".join(lines))


def test_only_flagged_comments_attack_people() -> None:
    for thread, comment in all_comments():
        if comment.expect_moderation:
            continue
        match = PERSONAL_ATTACKS.search(_unquoted(comment.body))
        assert match is None, f"{thread.key}/{comment.key}: {match.group(0)!r}"
    for thread in THREADS:
        assert PERSONAL_ATTACKS.search(_unquoted(thread.body)) is None, thread.key


def test_links_only_to_example_domains() -> None:
    hosts = [h for body in all_bodies() for h in URL_RE.findall(body)]
    assert hosts, "some bare links are expected"
    for host in hosts:
        host = host.rstrip(".,;:").lower()
        assert host.endswith(ALLOWED_URL_HOSTS), host


# --- the five kinds of thread --------------------------------------------------------------


def test_flagship() -> None:
    comments = FLAGSHIP.comments
    assert 32 <= len(comments) <= 40
    assert len({c.author for c in comments}) >= 10
    assert max(depth(FLAGSHIP, c) for c in comments) >= 4
    assert sum(1 for c in comments if c.reply_to is not None) >= 10
    assert any(line.startswith(">") for c in comments for line in c.body.splitlines())
    assert sum(len(URL_RE.findall(c.body)) for c in comments) >= 2
    assert any(c.body.startswith("In response to") for c in comments)
    # Some replies address several earlier commenters by name.
    names = ("Harbor", "Tess", "Nneka", "Cez", "Juniper", "Mireille", "Brindle")
    assert any(sum(name in c.body for name in names) >= 3 for c in comments)


def test_resource_list() -> None:
    thread = THREADS_BY_KEY["resource-list"]
    assert re.search(r"^\*\*[^*]+\*\*$", thread.body, re.MULTILINE), "bold headings"
    assert re.search(r"^- ", thread.body, re.MULTILINE), "bullet list"
    for n in range(1, 4):
        assert f"[{n}]" in thread.body and f"[{n}] http" in thread.body, "footnote references"
    assert 3 <= len(thread.comments) <= 8


def test_labour_thread() -> None:
    thread = THREADS_BY_KEY["debt-on-the-books"]
    assert "labor-trafficking" in thread.tags
    assert 8 <= len(thread.comments) <= 12
    assert max(depth(thread, c) for c in thread.comments) >= 2


def test_decriminalisation_thread() -> None:
    thread = THREADS_BY_KEY["decrim-or-nordic"]
    assert {"decriminalization", "abolition"} <= set(thread.tags)
    assert 8 <= len(thread.comments) <= 12
    assert not any(c.expect_moderation for c in thread.comments)
    assert len({c.author for c in thread.comments}) >= 4


def test_guest_post() -> None:
    thread = THREADS_BY_KEY["guest-post-between-categories"]
    assert "Guest post by" in thread.body.split("\n\n", 1)[0]
    assert thread.tags[0] == "lgbt-youth"
    assert 4 <= len(thread.comments) <= 6
