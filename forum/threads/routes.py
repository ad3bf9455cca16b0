"""Home page, thread pages and the comment forms (every action also works without JS)."""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable
from dataclasses import dataclass
from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import cache as page_cache
from forum import httpcache, permissions
from forum.converters import id_arg
from forum.errors import ConflictError, ValidationError
from forum.extensions import db
from forum.models import Comment, CommentStatus, Thread
from forum.models.base import utcnow
from forum.moderation.common import NudgeRequired
from forum.moderation.highlight import Piece, Span, highlight
from forum.moderation.policy import opening_post_text
from forum.ratelimit import rate_limit
from forum.subscriptions import service as subscriptions
from forum.tags.service import active_tags
from forum.templating import relative_time
from forum.text import clean_line, clean_text, render_markdown
from forum.threads import history, outline, promotion, rules, service
from forum.webmention import service as webmentions

bp = Blueprint("threads", __name__)


def comment_url(comment: Comment, thread: Thread | None = None, **kwargs: object) -> str:
    """Where a comment is read: its anchor on the thread page, or, in a thread longer than
    a page, its permalink (with the same anchor), which finds the page that holds it."""
    thread = thread or comment.thread
    if thread.comment_count > current_app.config["THREAD_PAGE_SIZE"]:
        return url_for(
            "threads.permalink", comment_id=comment.id, _anchor=f"c{comment.number}", **kwargs
        )
    return url_for(
        "threads.view",
        thread_id=thread.id,
        slug=thread.slug,
        _anchor=f"c{comment.number}",
        **kwargs,
    )


# Anonymous home and thread pages kept in the shared cache are answered before Flask
# (forum.httpcache.CachedPages), under the same versions public_page reads below.
httpcache.keep_pages(bp, "threads.home", lambda args: page_cache.LISTING)


def _discovery_headers(url: Callable[[str], str]) -> list[tuple[str, str]]:
    """Webmention discovery (the page's <link rel="webmention"> says the same), absolute for
    the host that was asked, so added to each response rather than kept with the page."""
    return [("Link", f'<{url("webmention.receive")}>; rel="webmention"')]


httpcache.keep_pages(
    bp,
    "threads.view",
    lambda args: page_cache.thread_key(args["thread_id"]),
    headers=_discovery_headers,
)


@bp.get("/")
def home() -> str | Response:
    # --- HTTP and shared caching (forum.httpcache): anonymous readers only; the first page
    # (no query string) is kept in the shared cache under the thread list's version.
    if httpcache.is_public_request():
        return httpcache.public_page(
            _render_home, page_cache.listing_version, store=not request.query_string
        )
    return _render_home()


def _render_home() -> str:
    stmt = subscriptions.without_muted(service.latest_threads(), current_user)
    before, after = request.args.get("before"), request.args.get("after")
    first_page = before is None and after is None
    pinned, stmt = service.pinned_first(stmt, tag=None, now=utcnow(), first_page=first_page)
    listing = service.thread_page(
        stmt, before=before, after=after, per_page=current_app.config["THREADS_PER_PAGE"]
    )
    return render_template(
        "threads/home.html",
        listing=listing,
        pinned=pinned,
        active_tags=active_tags(),
        questions=promotion.latest_open_questions(),
    )


@bp.route("/threads/new", methods=["GET", "POST"])
@login_required
@rate_limit("post", methods=["POST"])
def new() -> str | Response | tuple[str, int]:
    if not permissions.can_post(current_user):
        abort(403)
    if request.method == "GET":
        return render_template(
            "threads/new.html", form={"tags": request.args.get("tag", "")}, errors={}
        )
    form = request.form
    try:
        thread = service.create_thread(
            author=current_user,
            title=form.get("title", ""),
            body=form.get("body", ""),
            tags=form.get("tags", ""),
            confirmed=form.get("confirm") == "1",
            nudged=form.get("nudged") == "1",
        )
    except NudgeRequired as exc:
        # Nothing was written: the title and post come back with what matched marked.
        nudge = _opening_post_nudge(form.get("title", ""), form.get("body", ""), exc)
        return render_template("threads/new.html", form=form, errors={}, nudge=nudge), 422
    except ValidationError as exc:
        return render_template("threads/new.html", form=form, errors=exc.fields), 422
    if thread.status == CommentStatus.PENDING:
        flash("Your thread is waiting for a moderator. Until then only you can see it.")
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))


@bp.get("/threads/<id:thread_id>")
@bp.get("/threads/<id:thread_id>/<slug>")
def view(thread_id: int, slug: str | None = None) -> Response:
    # --- HTTP and shared caching (forum.httpcache): anonymous readers get the page kept under
    # the thread's version, which the services bump on every change (forum.cache).
    if httpcache.is_public_request():
        response = httpcache.public_page(
            lambda: _render_view(thread_id, slug),
            partial(page_cache.thread_version, thread_id),
            store=not request.query_string,
        )
    else:
        response = make_response(_render_view(thread_id, slug))
    for name, value in _discovery_headers(lambda to: url_for(to, _external=True)):
        response.headers.add(name, value)
    return response


def _render_view(thread_id: int, slug: str | None) -> str | Response:
    thread = service.shown_thread(thread_id, viewer=current_user)
    if slug is not None and slug != thread.slug:
        return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug), 301)
    after = _page_arg("after")
    start = _page_arg("start") or 0
    ignored = subscriptions.ignored_ids(current_user)
    size = current_app.config["THREAD_PAGE_SIZE"]
    page = service.comment_page(
        thread,
        viewer=current_user,
        max_indent=current_app.config["MAX_DISPLAY_DEPTH"],
        ignored=ignored,
        after=after,
        size=size,
    )
    shown = start + len(page.comments)
    promotions = promotion.thread_promotions(thread)
    context = {
        "thread": thread,
        "page": page,
        "comments": page.comments,
        "entries": _comment_entries(page.comments, thread, promotions.outgoing),
        "more": max(0, min(size, thread.comment_count - shown)),
        "next_start": shown,
        "promotions": promotions,
        "ignored": ignored,
        "now": utcnow(),
    }
    if request.args.get("part") == "comments":
        # "Show more" with JavaScript: only the next comments and the link after them.
        return render_template("threads/_comment_page.html", **context)
    context["mentions"] = webmentions.shown_mentions(thread)
    # The side panel, from the comments already loaded (forum.threads.outline).
    context["participants"] = outline.participants(page.comments, ignored)
    context["outline"] = outline.outline(page.comments, ignored)
    return render_template("threads/view.html", form={}, errors={}, **context)


def _comment_entries(
    comments: list[service.ShownComment], thread: Thread, promoted: Container[int]
) -> list[tuple[Hashable | None, tuple[service.ShownComment, permissions.CommentActions | None]]]:
    """Each comment with the actions this reader gets on it (None signed out), keyed for
    ``fragments`` by all its HTML shows: the comment as shown, its shown time ("3 days ago")
    and those actions, so readers with the same actions share one rendering. What else hangs
    on the reader (the note on a comment not published, the link from a promoted question,
    which the asker may hide, a form with their CSRF token) is drawn every time: key None."""
    actions: list[permissions.CommentActions | None]
    if permissions.is_signed_in(current_user):
        actions = permissions.page_comment_actions(
            permissions.snapshot(current_user),
            comments,
            thread_author_id=thread.author_id,
            can_reply_here=permissions.can_reply(current_user, thread),
            promoted=promoted,
        )
    else:
        actions = [None] * len(comments)
    return [
        (
            (c, relative_time(c.created_at), can)
            if c.is_visible and c.id not in promoted and not (can and can.posts_forms)
            else None,
            (c, can),
        )
        for c, can in zip(comments, actions, strict=True)
    ]


def _page_arg(name: str) -> int | None:
    """A comment number or count from the query string; a 404 for anything else, since
    only our own links carry these."""
    raw = request.args.get(name)
    if raw is None:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        abort(404)
    return int(raw)


@bp.get("/threads/<id:thread_id>/reply")
@login_required
def reply_form(thread_id: int) -> str:
    """The no-JavaScript reply page; ``?to=ID`` replies to a comment, ``&quote=1`` quotes it."""
    thread = service.shown_thread(thread_id, viewer=current_user)
    # As the new-thread form: no form for a reply that would be refused, and the reason.
    service.check_can_reply(current_user, thread)
    parent = _parent_in(thread, request.args.get("to"))
    body = ""
    if parent is not None and request.args.get("quote") and parent.is_visible:
        body = rules.quote_markdown(parent.author.username, parent.number, parent.body_src)
    return render_template(
        "threads/reply.html", thread=thread, parent=parent, form={"body": body}, errors={}
    )


def _parent_in(thread: Thread, raw_id: str | None) -> Comment | None:
    """The comment a reply goes under (``to=`` or ``parent_id=``); none given is None, and
    anything but a comment of this thread is a 404, a number past 64 bits included."""
    if raw_id is None or raw_id == "":
        return None
    comment_id = id_arg(raw_id)
    parent = db.session.get(Comment, comment_id) if comment_id is not None else None
    if parent is None or parent.thread_id != thread.id:
        abort(404)
    return parent


@bp.post("/threads/<id:thread_id>/comments")
@login_required
@rate_limit("post")
def reply(thread_id: int) -> Response | tuple[str, int]:
    thread = service.shown_thread(thread_id, viewer=current_user)
    parent = _parent_in(thread, request.form.get("parent_id"))
    body = request.form.get("body", "")
    try:
        comment = service.reply(
            thread=thread,
            author=current_user,
            body=body,
            parent=parent,
            confirmed=request.form.get("confirm") == "1",
            nudged=request.form.get("nudged") == "1",
        )
    except NudgeRequired as exc:
        # Nothing was written: show the author what matched and why, with their text intact.
        page = render_template(
            "threads/reply.html",
            thread=thread,
            parent=parent,
            form=request.form,
            errors={},
            nudge=_nudge_view(body, exc),
        )
        return page, 422
    except ValidationError as exc:
        page = render_template(
            "threads/reply.html", thread=thread, parent=parent, form=request.form, errors=exc.fields
        )
        return page, 422
    if comment.status == CommentStatus.PENDING:
        flash("Your comment is waiting for a moderator. Until then only you can see it.")
    return redirect(comment_url(comment, thread))


def _draft_text() -> str:
    """The ``body`` field of a live-preview request, as the services would store it; 422 when
    there is nothing to show or more than any post may hold (a thread's opening post)."""
    body = clean_text(request.form.get("body", ""))
    if problem := service.body_problem(body, rules.THREAD_BODY_MAX):
        raise ValidationError(problem, fields={"body": problem})
    return body


@bp.post("/preview")
@login_required
@rate_limit("preview")
def preview() -> Response:
    """The Markdown preview under a text box, as JSON: the same sanitised HTML the post will
    show. Only for people who may post; nothing is written."""
    if not permissions.can_post(current_user):
        abort(403)
    return jsonify(html=render_markdown(_draft_text()))


@dataclass(frozen=True)
class Reason:
    """One explanation of a nudge, with the rule behind it (for the link to its house rule)."""

    text: str
    rule_id: str

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class NudgeView:
    pieces: list[Piece]
    explanations: list[Reason]
    holds: bool
    # A thread's title, marked the same way, when the nudge is about a new or edited thread.
    title_pieces: list[Piece] | None = None


def _nudge_view(body: str, exc: NudgeRequired, *, offset: int = 0) -> NudgeView:
    """What the author sees: ``body`` with the matches marked (matches count from ``offset``
    in the text the rules read)."""
    matches = exc.assessment.matches
    spans = [
        Span(max(m.start - offset, 0), m.end - offset, m.explanation)
        for m in matches
        if m.end > offset
    ]
    reasons: dict[str, Reason] = {}  # one line per explanation, with the first rule giving it
    for m in matches:
        reasons.setdefault(m.explanation, Reason(m.explanation, m.rule_id))
    return NudgeView(
        pieces=highlight(body, spans),
        explanations=list(reasons.values()),
        holds=exc.assessment.action == "hold",
    )


def _opening_post_nudge(title: str, body: str, exc: NudgeRequired) -> NudgeView:
    """The nudge for a thread: the rules read title and post as one text
    (forum.moderation.policy.opening_post_text), so each gets its own matches back."""
    title, body = clean_line(title), clean_text(body)
    offset = len(opening_post_text(title, ""))
    title_spans = [
        Span(m.start, min(m.end, len(title)), m.explanation)
        for m in exc.assessment.matches
        if m.start < len(title)
    ]
    view = _nudge_view(body, exc, offset=offset)
    return NudgeView(view.pieces, view.explanations, view.holds, highlight(title, title_spans))


@bp.get("/comments/<id:comment_id>")
def permalink(comment_id: int) -> Response:
    """A comment's lasting address: the thread page that holds it, at its anchor."""
    comment = service.get_comment(comment_id)
    if not permissions.can_view_comment(current_user, comment):
        abort(404)
    thread = comment.thread
    after = service.page_start_for(
        comment, viewer=current_user, size=current_app.config["THREAD_PAGE_SIZE"]
    )
    return redirect(
        url_for(
            "threads.view",
            thread_id=thread.id,
            slug=thread.slug,
            after=after,
            _anchor=f"c{comment.number}",
        )
    )


@bp.route("/comments/<id:comment_id>/edit", methods=["GET", "POST"])
@login_required
@rate_limit("post", methods=["POST"])
def edit(comment_id: int) -> str | Response | tuple[str, int]:
    comment = service.get_comment(comment_id)
    if not permissions.can_edit_comment(current_user, comment):
        abort(403)
    if request.method == "GET":
        return render_template(
            "threads/edit.html", comment=comment, form={"body": comment.body_src}, errors={}
        )
    form = request.form
    try:
        service.edit_comment(
            comment,
            actor=current_user,
            body=form.get("body", ""),
            confirmed=form.get("confirm") == "1",
            nudged=form.get("nudged") == "1",
        )
    except NudgeRequired as exc:
        nudge = _nudge_view(clean_text(form.get("body", "")), exc)
        page = render_template(
            "threads/edit.html", comment=comment, form=form, errors={}, nudge=nudge
        )
        return page, 422
    except ValidationError as exc:
        page = render_template("threads/edit.html", comment=comment, form=form, errors=exc.fields)
        return page, 422
    if comment.status == CommentStatus.PENDING:
        flash("Your edit is waiting for a moderator. Until then only you can see the comment.")
    return redirect(comment_url(comment))


@bp.post("/comments/<id:comment_id>/delete")
@login_required
def delete(comment_id: int) -> Response:
    comment = service.get_comment(comment_id)
    if not permissions.can_delete_comment(current_user, comment):
        abort(403)
    service.delete_comment(comment, actor=current_user)
    return redirect(comment_url(comment))


@bp.route("/threads/<id:thread_id>/edit", methods=["GET", "POST"])
@login_required
@rate_limit("post", methods=["POST"])
def edit_thread(thread_id: int) -> str | Response | tuple[str, int]:
    """The author changes the title, opening post and tags (moderators may too)."""
    thread = service.shown_thread(thread_id, viewer=current_user)
    if not permissions.can_edit_thread(current_user, thread):
        abort(403)
    if request.method == "GET":
        form = {
            "title": thread.title,
            "body": thread.body_src,
            "tags": ", ".join(t.slug for t in thread.tags),
        }
        return render_template("threads/edit_thread.html", thread=thread, form=form, errors={})
    form = request.form
    try:
        service.edit_thread(
            thread,
            actor=current_user,
            title=form.get("title", ""),
            body=form.get("body", ""),
            tags=form.get("tags", ""),
            confirmed=form.get("confirm") == "1",
            nudged=form.get("nudged") == "1",
        )
    except NudgeRequired as exc:
        nudge = _opening_post_nudge(form.get("title", ""), form.get("body", ""), exc)
        page = render_template(
            "threads/edit_thread.html", thread=thread, form=form, errors={}, nudge=nudge
        )
        return page, 422
    except ValidationError as exc:
        page = render_template(
            "threads/edit_thread.html", thread=thread, form=form, errors=exc.fields
        )
        return page, 422
    if thread.status == CommentStatus.PENDING:
        flash("Your edit is waiting for a moderator. Until then only you can see the thread.")
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))


@bp.post("/threads/<id:thread_id>/delete")
@login_required
def delete_thread(thread_id: int) -> Response:
    """The author blanks their opening post; the replies stay."""
    thread = service.shown_thread(thread_id, viewer=current_user)
    if not permissions.can_delete_thread(current_user, thread):
        abort(403)
    service.delete_thread(thread, actor=current_user)
    flash("Your opening post is deleted; the replies stay under it.")
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))


# --------------------------------------------------------------------------- edit history


@bp.get("/comments/<id:comment_id>/history")
def comment_history(comment_id: int) -> str:
    """Every version of a comment, who edited it and when, each edit as a word diff."""
    comment = service.get_comment(comment_id)
    thread = service.shown_thread(comment.thread_id, viewer=current_user)
    if not permissions.can_see_history(current_user, comment):
        abort(404)
    return render_template(
        "threads/history.html",
        thread=thread,
        comment=comment,
        history=history.comment_history(comment),
    )


@bp.get("/threads/<id:thread_id>/history")
def thread_history(thread_id: int) -> str:
    """Every version of a thread's title, opening post and tags."""
    thread = service.shown_thread(thread_id, viewer=current_user)
    if not permissions.can_see_history(current_user, thread):
        abort(404)
    return render_template(
        "threads/history.html", thread=thread, comment=None, history=history.thread_history(thread)
    )


# --------------------------------------------------------------------------- promotion


def _promotable_comment(comment_id: int) -> Comment:
    """The comment, or 404 for one the viewer can't see; held ones exist only for their
    author and moderators."""
    comment = service.get_comment(comment_id)
    if not permissions.can_view_comment(current_user, comment):
        abort(404)
    return comment


@bp.route("/comments/<id:comment_id>/promote", methods=["GET", "POST"])
@login_required
def promote(comment_id: int) -> str | Response | tuple[str, int]:
    """Give a question its own thread: title, quote, intro, tags, and whether replies move."""
    comment = _promotable_comment(comment_id)
    try:
        promotion.check_promotable(comment, actor=current_user)
    except promotion.AlreadyPromotedError as exc:
        flash("That comment already has its own thread.")
        new = exc.promotion.thread
        return redirect(url_for("threads.view", thread_id=new.id, slug=new.slug))
    draft = promotion.draft(comment)
    if request.method == "GET":
        form = {"title": draft.title, "tags": draft.tags, "intro": ""}
        return render_template(
            "threads/promote.html", comment=comment, draft=draft, form=form, errors={}
        )
    form = request.form
    try:
        thread = promotion.promote_question(
            comment,
            actor=current_user,
            title=form.get("title", ""),
            tags=form.get("tags", ""),
            intro=form.get("intro", ""),
            move_replies=form.get("move_replies") == "1",
        )
    except NudgeRequired as exc:
        page = render_template(
            "threads/promote.html",
            comment=comment,
            draft=draft,
            form=form,
            errors={"intro": exc.fields.get("body", "")},
            nudge=_nudge_view(form.get("intro", ""), exc),
        )
        return page, 422
    except ValidationError as exc:
        page = render_template(
            "threads/promote.html", comment=comment, draft=draft, form=form, errors=exc.fields
        )
        return page, 422
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))


@bp.post("/promotions/<id:promotion_id>/anonymise")
@login_required
def anonymise(promotion_id: int) -> Response:
    """The asker has the new thread quote them as "a reader"."""
    found = promotion.get_promotion(promotion_id)
    if not permissions.can_hide_attribution(current_user, found.comment.author_id):
        abort(403)
    thread = promotion.hide_attribution(found, actor=current_user)
    flash('The new thread now quotes you as "a reader".')
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))


@bp.post("/promotions/<id:promotion_id>/undo")
@login_required
def undo_promotion(promotion_id: int) -> Response:
    found = promotion.get_promotion(promotion_id)
    if not permissions.can_undo_promotion(current_user, found.thread or found.source_thread):
        abort(403)
    question = found.comment
    try:
        promotion.undo_promotion(found, actor=current_user)
    except ConflictError as exc:
        flash(exc.message)
        if found.thread is not None:
            return redirect(
                url_for("threads.view", thread_id=found.thread.id, slug=found.thread.slug)
            )
        return redirect(comment_url(question))
    flash("The promotion was undone and the thread removed.")
    return redirect(comment_url(question))


@bp.get("/questions")
def questions() -> str:
    """Open questions across the forum, newest first; ``?tag=`` narrows to one topic."""
    tag = request.args.get("tag", "").strip()
    # By keyset, as thread listings are: a deep page costs what the first does, and no page
    # counts every open question.
    listing = service.keyset_page(
        promotion.open_questions(tag or None),
        Comment.created_at,
        Comment.id,
        before=request.args.get("before"),
        after=request.args.get("after"),
        per_page=current_app.config["THREADS_PER_PAGE"],
    )
    items = [(c, rules.question_sentence(c.body_src) or "") for c in listing.items]
    return render_template("threads/questions.html", listing=listing, items=items, tag=tag)


# --------------------------------------------------------------------------- re-tagging


@bp.post("/threads/<id:thread_id>/tags")
@login_required
def retag(thread_id: int) -> Response:
    """The thread page's tag form, for its author and moderators."""
    thread = service.shown_thread(thread_id, viewer=current_user)
    if not permissions.can_retag(current_user, thread):
        abort(403)
    try:
        added = service.retag(thread, actor=current_user, tags=request.form.get("tags", ""))
    except ValidationError as exc:
        # Back to the page, which shows the current tags; the message says what to change.
        flash(f"Tags not changed: {exc.fields.get('tags', exc.message)}")
        return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug), 303)
    if added:
        flash(f"Tags saved; followers of {', '.join(t.slug for t in added)} will hear of it.")
    else:
        flash("Tags saved.")
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))
