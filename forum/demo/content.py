"""Demo content for a fresh forum: users, tags and a handful of lively threads.

Everything here is original text written for this project. It is modelled on the *kinds* of
conversation described in shared/SEEDS.md (long comment threads on anti-trafficking funding,
resource lists, guest posts, hard disagreement, and a few comments that attack people rather
than arguments) but copies none of them. People, organisations, studies and figures are
fictional; every link points at an example.org / example.net address.

The records are data files beside this module: ``users.toml``, ``tags.toml`` and one file per
thread in ``threads/`` (TOML, read with the standard library; bodies are Markdown in
multi-line literal strings). This module reads them into the frozen records below, and
``forum.demo.load`` turns those into rows. Standard library only: no Flask, no database.

Conventions the loader and the tests rely on:

* ``DemoComment.reply_to`` names an earlier comment key in the same thread (None = the post).
* ``minutes_after`` strictly increases within a thread, so list order is time order.
* Exactly one comment in the whole set has ``is_question=True``: a sincere question that the
  forum's "promote to its own thread" action is demonstrated on.
* ``expect_moderation=True`` marks the few comments that attack a *person* (motive-guessing,
  "your ignorance", sock-puppet insinuation). Everything else, however fierce, is about ideas
  and must not be held by moderation.
"""

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@dataclass(frozen=True)
class DemoUser:
    username: str  # pseudonymous handle, 3-30 chars of [A-Za-z0-9_.-]
    role: str = "member"  # "member" | "moderator" | "admin"
    bio: str = ""


@dataclass(frozen=True)
class DemoComment:
    key: str  # unique within the thread, e.g. "c1"
    author: str  # a DemoUser.username
    body: str  # Markdown
    reply_to: str | None = None  # key of an earlier comment in the same thread; None = the post
    minutes_after: int = 0  # minutes after the thread was posted; strictly increasing
    is_question: bool = False  # a real question that deserves its own thread
    expect_moderation: bool = False  # True only for comments that attack a person


@dataclass(frozen=True)
class DemoThread:
    key: str
    author: str
    title: str  # 1-200 chars
    tags: tuple[str, ...]  # 1-5 tag slugs from TAGS
    body: str  # Markdown
    days_ago: int  # when it was posted, relative to load time
    comments: tuple[DemoComment, ...] = ()


@dataclass(frozen=True)
class DemoTag:
    slug: str
    name: str
    description: str


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _thread(data: dict[str, Any]) -> DemoThread:
    comments = tuple(DemoComment(**c) for c in data.pop("comments", ()))
    return DemoThread(**{**data, "tags": tuple(data["tags"])}, comments=comments)


USERS: tuple[DemoUser, ...] = tuple(DemoUser(**u) for u in _read(HERE / "users.toml")["users"])
TAGS: tuple[DemoTag, ...] = tuple(DemoTag(**t) for t in _read(HERE / "tags.toml")["tags"])
# Files are numbered in the order the threads are listed (the loader sorts them by age).
THREADS: tuple[DemoThread, ...] = tuple(
    _thread(_read(path)) for path in sorted((HERE / "threads").glob("*.toml"))
)
