"""Sub-threads fold without JavaScript: each comment with replies opens a <details> that
holds them, nested as the replies are, with a count in its summary."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.models import CommentStatus
from forum.threads.rules import Nesting, reply_groups
from tests.factories import make_comment, make_thread, make_user


@pytest.mark.parametrize(
    ("depths", "expected"),
    [
        ([], []),
        ([0, 0], [(0, 0), (0, 0)]),
        # 1 <- 2 <- 3, then 4 answers 1, then 5 starts afresh
        ([0, 1, 2, 1, 0], [(3, 0), (1, 0), (0, 1), (0, 1), (0, 0)]),
        # the thread ends three levels down: every group closes after the last comment
        ([0, 1, 2, 3], [(3, 0), (2, 0), (1, 0), (0, 3)]),
        # a hidden comment at depth 1: its replies (depth 2) stay siblings under the first
        ([0, 2, 2, 1, 0], [(3, 0), (0, 0), (0, 0), (0, 1), (0, 0)]),
        # the page starts below a hidden comment: nothing above to fold them under
        ([2, 2, 0, 1, 1], [(0, 0), (0, 0), (2, 0), (0, 0), (0, 1)]),
        # the display depth is capped: equal depths are siblings, not replies of each other
        ([0, 1, 1, 1], [(3, 0), (0, 0), (0, 0), (0, 1)]),
    ],
)
def test_reply_groups(depths: list[int], expected: list[tuple[int, int]]) -> None:
    assert reply_groups(depths) == [Nesting(replies=r, closes=c) for r, c in expected]


class _Outline(HTMLParser):
    """For each comment on a page: the comment numbers of the reply groups around it."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.last = ""
        self.groups: dict[str, list[str]] = {}
        self.summaries: list[str] = []
        self._in_summary = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "details" and found.get("class") == "replies":
            assert "open" in found  # open by default: folding is the reader's choice
            self.stack.append(self.last)
        elif tag == "details":
            self.stack.append("other")
        elif tag == "summary":
            self._in_summary = True
        elif tag == "article" and (found.get("id") or "").startswith("c"):
            self.last = found["id"]
            self.groups[self.last] = [g for g in self.stack if g != "other"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "details":
            self.stack.pop()
        elif tag == "summary":
            self._in_summary = False

    def handle_data(self, data: str) -> None:
        if self._in_summary and data.strip():
            self.summaries.append(data.strip())


def _outline(html: str) -> _Outline:
    outline = _Outline()
    outline.feed(html)
    assert outline.stack == [], "every reply group is closed"
    return outline


def test_the_thread_page_nests_replies_in_open_details(client) -> None:
    thread = make_thread()
    first = make_comment(thread)  # 1
    answer = make_comment(thread, parent=first)  # 2
    make_comment(thread, parent=answer)  # 3
    make_comment(thread, parent=first)  # 4
    make_comment(thread)  # 5

    outline = _outline(client.get(f"/threads/{thread.id}").get_data(as_text=True))

    assert outline.groups == {
        "c1": [],
        "c2": ["c1"],
        "c3": ["c1", "c2"],
        "c4": ["c1"],
        "c5": [],
    }
    assert outline.summaries == ["3 replies to #1", "1 reply to #2"]


def test_replies_to_a_comment_hidden_from_the_reader_stay_in_their_place(
    client, login_as, db
) -> None:
    thread = make_thread()
    first = make_comment(thread)  # 1
    held = make_comment(thread, parent=first)  # 2, held below
    make_comment(thread, parent=held)  # 3
    make_comment(thread, parent=held)  # 4
    held.status = CommentStatus.PENDING
    db.session.commit()

    login_as(make_user())
    outline = _outline(client.get(f"/threads/{thread.id}").get_data(as_text=True))
    assert outline.groups == {"c1": [], "c3": ["c1"], "c4": ["c1"]}
    assert outline.summaries == ["2 replies to #1"]

    login_as(held.author)  # the author sees their held comment with its replies under it
    outline = _outline(client.get(f"/threads/{thread.id}").get_data(as_text=True))
    assert outline.groups == {"c1": [], "c2": ["c1"], "c3": ["c1", "c2"], "c4": ["c1", "c2"]}
