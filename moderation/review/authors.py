"""The author page: one author on one site, their comments, reports against them, sanctions,
and the forms to sanction or lift. Also the author's line on each review card.

Routes are added to the review blueprint (moderation/review/__init__.py imports this module).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.domain.bulk import author_approved_comments, author_held_comments, author_published_comments
from moderation.domain.authors import AuthorRecord, author_comments, author_record, author_records
from moderation.domain.errors import Conflict, NotFound, ValidationFailed
from moderation.domain.membership import can_see_site
from moderation.domain.sanction_repair import rejected_by_sanction, send_back_to_review
from moderation.domain.sanctions import (KIND_LABELS, MAX_SUSPENSION_DAYS, NOUNS, lift_sanction, sanction_author,
                                         weaker)
from moderation.models import Comment, Site
from moderation.request_input import parse_int
from moderation.review.presenting import at
from moderation.review.routes import bp


def author_line(comment: Comment) -> AuthorRecord | None:
    """The card's author summary. The first card asks for every comment this request has loaded
    (the page's cards), so a page of fifty cards costs three queries, not fifty times as many."""
    cache: dict[tuple[int, str], AuthorRecord | None] | None = g.get("author_lines")
    key = (comment.site_id, comment.author_id)
    if cache is None or key not in cache:
        loaded = [obj for obj in db.session.identity_map.values() if isinstance(obj, Comment)]
        pairs = {(c.site_id, c.author_id) for c in loaded} | {key}
        cache = g.author_lines = {**(cache or {}), **dict.fromkeys(pairs), **author_records(db.session, pairs)}
    return cache[key]


def author_url(site_id: int, author_id: str, **values: str) -> str:
    """The author page's address. In the path as a rule; in the query string when a browser would
    change the path before asking for it: a segment "." or ".." is resolved away ("a/../b" asked for
    author "b", and author "../x" was out of reach) and an empty one merged ("a//b")."""
    if {"", ".", ".."} & set(author_id.split("/")):
        return url_for("review.author_page_by_query", site_id=site_id, id=author_id, **values)
    return url_for("review.author_page", site_id=site_id, author_id=author_id, **values)


@bp.app_context_processor
def _author_helpers() -> dict[str, object]:
    return {"author_line": author_line, "author_url": author_url,
            "sanction_label": lambda kind: KIND_LABELS.get(kind, kind)}


def site_or_404(site_id: int) -> Site:
    """A site the viewer works on; another site's authors are not found, as its comments are not."""
    site = db.session.get(Site, site_id)
    if site is None or not can_see_site(db.session, auth.current_user(), site.id):
        abort(404)
    return site


@bp.get("/review/authors/<int:site_id>/<path:author_id>")
@auth.login_required("moderator")
def author_page(site_id: int, author_id: str) -> str:
    return _author_page(site_or_404(site_id), author_id)


@bp.get("/review/authors/<int:site_id>")
@auth.login_required("moderator")
def author_page_by_query(site_id: int) -> str:
    """The author page of an id `author_url` cannot put in the path."""
    return _author_page(site_or_404(site_id), request.args.get("id", ""))


def _author_page(site: Site, author_id: str, sanction_entered: dict[str, str] | None = None) -> str:
    """The page; `sanction_entered` is a refused sanction form's values, shown again to correct."""
    try:
        record = author_record(db.session, site.id, author_id)
    except NotFound:
        abort(404)
    return render_template("review/author.html", site=site, record=record,
                           rejected_by_sanction=len(rejected_by_sanction(db.session, site.id, author_id)),
                           comments=author_comments(db.session, site.id, author_id), kinds=KIND_LABELS,
                           weaker=weaker, nouns=NOUNS,
                           held=author_held_comments(db.session, site.id, author_id, viewer=auth.current_user()),
                           published=author_published_comments(db.session, site.id, author_id,
                                                               viewer=auth.current_user()),
                           approved=author_approved_comments(db.session, site.id, author_id,
                                                             viewer=auth.current_user()),
                           entered=sanction_entered or {}, max_days=MAX_SUSPENSION_DAYS)


def _back_to_author(site_id: int, author_id: str) -> Response:
    return redirect(author_url(site_id, author_id), code=303)


@bp.post("/review/authors/<int:site_id>/sanction")
@auth.login_required("moderator")
def sanction(site_id: int) -> Response | tuple[str, int]:
    site = site_or_404(site_id)
    author_id = request.form.get("author_id", "")
    entered = {name: request.form.get(name, "").strip() for name in ("kind", "days", "reason")}
    try:
        made = sanction_author(db.session, site, author_id, entered["kind"], entered["reason"], auth.current_user(),
                               days=parse_int(entered["days"], maximum=10**6))  # the domain says if it is too long
    except (ValidationFailed, Conflict) as error:
        # The form comes back as it was typed: a redirect reset its kind, days and reason.
        db.session.rollback()
        flash(f"Not sanctioned: {error.sentence}", "error")
        return _author_page(site, author_id, entered), 400
    else:
        # A <time>, shown in the moderator's zone as the page below shows it: the flash said 22:01 UTC
        # over a sanction line saying 17:01 EST (a moderator's walk).
        until = Markup(" until {}").format(at(made.expires_at)) if made.expires_at else ""
        flash(Markup("{}: {}{}.").format(author_id, KIND_LABELS[made.kind], until) + _still_published(site.id, author_id),
              "success")
    return _back_to_author(site.id, author_id)


def _still_published(site_id: int, author_id: str) -> Markup:
    """What a sanction leaves up, said with it: it acts on the next comments, and a banned author's
    published threat stayed up unnoticed (an election night's lead)."""
    by_status = author_record(db.session, site_id, author_id).comments_by_status
    shown, approved = by_status.get("published", 0), by_status.get("approved", 0)
    said = Markup("")
    if shown:
        said += Markup(' {} of their comments {} still published: <a href="#published">take {} down below</a>.').format(
            shown, "is" if shown == 1 else "are", "it" if shown == 1 else "them")
    if approved:
        # A colleague's decision is undone or reversed on its own card, not taken down in bulk; left
        # unsaid, a banned author's approved comment stayed up unnoticed (a re-check).
        said += Markup(' {} approved by a moderator {} shown too: <a href="#approved">listed below</a>, '
                       'each undone or reversed on its own page.').format(approved, "is" if approved == 1 else "are")
    return said


@bp.post("/review/authors/<int:site_id>/lift")
@auth.login_required("moderator")
def lift(site_id: int) -> Response:
    site = site_or_404(site_id)
    author_id = request.form.get("author_id", "")
    reason = request.form.get("reason", "")
    try:
        lift_sanction(db.session, site, author_id, auth.current_user(), reason)
    except (NotFound, ValidationFailed, Conflict) as error:
        flash(f"Nothing lifted: {error.sentence}", "warning")
        return _back_to_author(site.id, author_id)
    sent, found = 0, 0
    if request.form.get("review_rejected") == "on":
        sent, found = send_back_to_review(db.session, site, author_id, auth.current_user(), reason.strip() or "lifted")
    said = f"{author_id}: sanction lifted"
    if found:
        said += (f"; {sent} comment{'s' if sent != 1 else ''} it rejected {'are' if sent != 1 else 'is'} held for review"
                 + (f"; {found - sent} changed meanwhile and stay rejected: open each to send it to review"
                    if sent < found else ""))
    flash(said + ".", "success" if sent == found else "warning")
    return _back_to_author(site.id, author_id)
