"""The browser budgets of issue 8, as sizes (deterministic, unlike timings): the thread page
with 200 comments under 150 KB of compressed HTML for every kind of reader, and the CSS and
JS it loads under 50 KB compressed, all served by the forum itself.
``python bench/page_weight.py`` prints the same figures."""

from __future__ import annotations

import re

from bench.page_weight import ASSET_BUDGET, HTML_BUDGET, assets_of, measure, seed_thread


def test_the_200_comment_thread_page_and_its_assets_are_within_budget(client) -> None:
    thread, member, moderator = seed_thread()
    weights = measure(client, thread, member, moderator)

    pages, assets = weights[:3], weights[3]
    for page in pages:
        assert page.compressed < HTML_BUDGET, page
        assert page.raw > 100_000, page  # it really holds 200 comments
    assert assets.compressed < ASSET_BUDGET, assets
    assert "forum.css" in assets.name and "forum.js" in assets.name


def test_pages_load_nothing_from_elsewhere_and_no_script_blocks_rendering(client) -> None:
    html = client.get("/").get_data(as_text=True)
    resources = re.findall(r'<(?:link|script)[^>]*(?:href|src)="([^"]+)"', html)
    assert resources
    for url in resources:
        assert url.startswith("/"), url  # same origin: no fonts, scripts or trackers elsewhere
    for script in re.findall(r"<script[^>]*>", html):
        assert " defer" in script, script
    assert all(u.startswith("/static/") for u in assets_of(html))
