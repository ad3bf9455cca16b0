"""The thread page's side panel: participants and outline from the comments already shown."""

from __future__ import annotations

from dataclasses import dataclass

from forum.threads.outline import outline, participants


@dataclass
class Shown:
    number: int
    author_id: int
    author: str
    status: str = "published"
    indent: int = 0
    body_html: str = "<p>A point about the evidence.</p>"


def test_participants_are_ranked_by_replies_and_count_what_is_left_out() -> None:
    comments = [Shown(1, 1, "ana"), Shown(2, 2, "ben", indent=1), Shown(3, 2, "ben")]
    comments += [Shown(4 + n, 10 + n, f"reader{n}") for n in range(3)]
    shown, more = participants(comments, limit=3)
    assert [(p.name, p.comments) for p in shown] == [("ben", 2), ("ana", 1), ("reader0", 1)]
    assert more == 2


def test_removed_held_and_ignored_comments_name_nobody() -> None:
    comments = [
        Shown(1, 1, "ana"),
        Shown(2, 2, "removed_author", status="removed"),
        Shown(3, 3, "held_author", status="pending_review"),
        Shown(4, 4, "ignored_author"),
    ]
    shown, _ = participants(comments, ignored={4})
    assert [p.name for p in shown] == ["ana"]
    entries, more = outline(comments, ignored={4})
    assert [e.number for e in entries] == [1] and more == 0


def test_the_outline_lists_top_level_replies_with_their_first_words() -> None:
    body = "<p>The <strong>2019</strong> audit &amp; the survey " + "disagree " * 40 + "</p>"
    comments = [
        Shown(1, 1, "ana", body_html=body),
        Shown(2, 2, "ben", indent=1),
        Shown(3, 2, "ben"),
    ]
    entries, more = outline(comments, limit=5)
    assert [e.number for e in entries] == [1, 3] and more == 0
    first = entries[0].summary
    assert first.startswith("The 2019 audit & the survey disagree") and first.endswith("…")
    assert len(first) <= 80 and "<" not in first


def test_a_long_comment_is_read_only_at_its_start_and_never_cut_inside_a_tag() -> None:
    body = "<p>" + "word " * 199 + '<a href="https://example.org/' + "x" * 5_000 + '">link</a></p>'
    entries, _ = outline([Shown(1, 1, "ana", body_html=body)])
    assert "href" not in entries[0].summary and "<" not in entries[0].summary


def test_the_outline_stops_at_its_limit() -> None:
    entries, more = outline([Shown(n, n, f"u{n}") for n in range(1, 31)], limit=20)
    assert len(entries) == 20 and more == 10
