"""Generated avatars: drawn from the account id alone, inline, decorative, and the same on
every page (issue 17: locally generated avatars, no outside service, no uploads)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from forum.users.rules import identicon_svg
from tests.factories import make_comment, make_thread, make_user

SVG = "{http://www.w3.org/2000/svg}"


def test_one_id_one_picture_and_ids_tell_apart() -> None:
    assert identicon_svg(7) == identicon_svg(7)
    pictures = {identicon_svg(user_id) for user_id in range(1, 1001)}
    assert len(pictures) >= 990  # two accounts rarely share a picture


def test_the_picture_is_inert_svg_mirrored_left_to_right() -> None:
    for user_id in (1, 2, 99, 123_456_789):
        markup = identicon_svg(user_id)
        svg = ET.fromstring(markup.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))
        assert svg.get("aria-hidden") == "true" and svg.get("focusable") == "false"
        (path,) = list(svg)
        assert re.fullmatch(r"#[0-9a-f]{6}", path.get("fill"))
        cells = {(int(x), int(y)) for x, y in re.findall(r"M(\d) (\d)h1v1h-1z", path.get("d"))}
        assert cells and cells == {(4 - x, y) for x, y in cells}
        assert "href" not in markup and "url(" not in markup and "<script" not in markup


def test_pages_show_each_author_with_their_picture(client, login_as) -> None:
    hazel, rowan = make_user("hazel"), make_user("rowan")
    thread = make_thread(hazel, title="Beds in winter")
    make_comment(thread, author=rowan, body="The council pays for ten.")
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    assert f"{identicon_svg(hazel.id)}hazel</a>" in page
    assert f"{identicon_svg(rowan.id)}rowan</a>" in page
    profile = client.get("/users/rowan").get_data(as_text=True)
    assert f'<h1 class="profile-name">{identicon_svg(rowan.id)}rowan</h1>' in profile
    assert "<img" not in page
