"""Pure rules for threads and comments: limits, slugs, and the comment tree's sort key."""

from __future__ import annotations

import re
import unicodedata

TITLE_MAX = 200
THREAD_BODY_MAX = 50_000
COMMENT_MAX = 20_000
SLUG_MAX = 80
# Sub-addresses of a thread; a slug equal to one would shadow it (/threads/<id>/reply).
RESERVED_SLUGS = frozenset({"reply", "comments", "edit", "delete", "feed-atom", "promote"})
# Stored tree depth; replies below it become the deepest level's siblings, still "in reply to".
MAX_TREE_DEPTH = 32
PATH_SEGMENT = 6  # digits per level: up to 999,999 comments in a thread


def check_title(title: str) -> str | None:
    """The problem with a (cleaned) title, or None."""
    if not title:
        return "Give the thread a title."
    if len(title) > TITLE_MAX:
        return f"Keep the title to {TITLE_MAX} characters; it has {len(title)}."
    return None


def check_body(body: str, limit: int) -> str | None:
    if not body.strip():
        return "Write something first."
    if len(body) > limit:
        return f"Keep it to {limit:,} characters; it has {len(body):,}. Your text is kept below."
    return None


def slugify(title: str) -> str:
    """A readable URL slug for a title; the thread id stays the real address."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    if slug in RESERVED_SLUGS:
        slug += "-thread"
    return slug or "thread"


def comment_position(parent_path: str | None, parent_depth: int, number: int) -> tuple[str, int]:
    """(path, depth) of comment ``number`` replying to a parent (None for the post).

    Paths are fixed-width digit strings with no separator, so plain string order is the tree
    order under any database collation.
    """
    segment = f"{number:0{PATH_SEGMENT}d}"
    if parent_path is None:
        return segment, 0
    if parent_depth + 1 < MAX_TREE_DEPTH:
        return parent_path + segment, parent_depth + 1
    return parent_path[:-PATH_SEGMENT] + segment, parent_depth


def quote_markdown(author: str, number: int, body: str) -> str:
    """A Markdown block quoting a comment with attribution, to start a reply with."""
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.strip().splitlines())
    return f"In response to {author} (#{number}):\n\n{quoted}\n\n"
