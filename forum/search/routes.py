"""The search page: a GET form, so results have a URL that can be shared and bookmarked."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from forum.converters import page_number
from forum.ratelimit import rate_limit
from forum.search import service
from forum.search.rules import MAX_PAGE, QUERY_MAX

bp = Blueprint("search", __name__)


@bp.get("/search")
@rate_limit("search")
def results() -> str:
    # No CSRF: a GET changes nothing. Every parameter is echoed only through Jinja escaping.
    found = service.search(
        request.args.get("q", ""),
        tag=request.args.get("tag", ""),
        author=request.args.get("author", ""),
        page=page_number(request.args.get("page")),
    )
    return render_template(
        "search/results.html",
        results=found,
        tag=request.args.get("tag", "")[:60],
        author=request.args.get("author", "")[:60],
        query_max=QUERY_MAX,
        max_page=MAX_PAGE,
    )
