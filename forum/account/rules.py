"""Pure account rules: what a deleted account looks like, and what the account forms accept.

Deleting an account keeps its row (comments, flags and the moderation log point at it) but
wipes what identifies the person; these names say what readers see instead.
"""

from __future__ import annotations

import enum

# Shown wherever the account's name was; brackets and the space can't occur in a real
# username (forum.auth.rules.USERNAME_RE), so no one can register it and pose as the placeholder.
DELETED_NAME = "[deleted account]"
# Stands in for removed writing: a comment's place in the tree, a thread's opening post.
DELETED_TEXT = "[deleted]"
DELETED_BODY_HTML = '<p class="placeholder">[deleted]</p>'
# A thread whose author took their words with them keeps its replies under this title.
DELETED_TITLE = "[removed by its author]"
DELETED_SLUG = "removed"
# A promoted thread titled with the words of a question its asker took back.
DELETED_QUESTION_TITLE = "A question from a reader (its words were removed by its author)"

TOKEN_NAME_MAX = 60
# Plenty for a few scripts and devices; a cap keeps a stolen session from minting hundreds.
MAX_ACTIVE_TOKENS = 20


class DeleteChoice(enum.StrEnum):
    """What happens to what the person wrote when they delete their account."""

    ANONYMISE = "anonymise"  # it stays, under DELETED_NAME
    REMOVE = "remove"  # it is replaced by DELETED_TEXT; replies and numbering stay


def check_delete_choice(choice: str) -> str | None:
    if choice not in set(DeleteChoice):
        return "Choose whether your comments stay without your name or are removed."
    return None


def check_new_password(new: str, confirm: str) -> str | None:
    if new != confirm:
        return "The two new passwords differ; type the same one twice."
    return None


def check_token_name(name: str, active_tokens: int) -> str | None:
    """``name`` already cleaned to one line."""
    if not name:
        return "Name the token after where you'll use it, e.g. “laptop script”."
    if len(name) > TOKEN_NAME_MAX:
        return f"Keep the name to {TOKEN_NAME_MAX} characters; it has {len(name)}."
    if active_tokens >= MAX_ACTIVE_TOKENS:
        return f"You have {MAX_ACTIVE_TOKENS} tokens already; revoke one you no longer use."
    return None
