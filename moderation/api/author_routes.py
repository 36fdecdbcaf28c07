"""API routes about people rather than one comment: an author's record, a comment's reports.

Registered on the api blueprint (authentication, error handling) by moderation/api/__init__.py.
"""
from __future__ import annotations

from flask import g, jsonify
from flask.typing import ResponseReturnValue

from moderation import db
from moderation.api.routes import bp
from moderation.api.validation import lift_input, parse_json_object, path_id, sanction_input
from moderation.domain.authors import author_record, serialize_author
from moderation.domain.comments import comment_by_site_id, comment_for_site
from moderation.domain.reports import serialize_report
from moderation.domain.sanctions import lift_sanction, sanction_by_site
from moderation.domain.status import now
from moderation.request_input import request_body


@bp.get("/authors/<authorref:author_id>")
def get_author(author_id: str) -> ResponseReturnValue:
    at = now()
    return jsonify(serialize_author(author_record(db.session, _site_id(), path_id(author_id, "author_id"), at), at))


@bp.post("/sanctions")
def sanction() -> ResponseReturnValue:
    """Ban, suspend or pre-moderate a reader from the site's own CMS, as a moderator does on the
    author's page: a site that banned a reader in its community tools had no way to say so here.
    The author's id is in the body, not the path: "/authors/<id>/sanctions" would have made an
    author whose id ends in "/sanctions" one that DELETE /authors/<id> could no longer erase."""
    entered = sanction_input(parse_json_object(request_body()))
    _, new = sanction_by_site(db.session, _site(), entered["author_id"], entered["kind"], entered["reason"],
                              entered["days"])
    return _author(entered["author_id"]), 201 if new else 200


@bp.post("/sanctions/lift")
def lift() -> ResponseReturnValue:
    """End the sanctions the site put in force on the author: 404 when none is in force, 409 when only
    a moderator's is (sanctions.lift_sanction)."""
    entered = lift_input(parse_json_object(request_body()))
    lift_sanction(db.session, _site(), entered["author_id"], None, entered["reason"])
    return _author(entered["author_id"])


def _author(author_id: str) -> ResponseReturnValue:
    at = now()
    return jsonify(serialize_author(author_record(db.session, _site_id(), author_id, at), at))


@bp.get("/comments/<int8:comment_id>/reports")
def get_reports(comment_id: int) -> ResponseReturnValue:
    comment = comment_for_site(db.session, _site(), comment_id)
    return jsonify({"comment_id": comment.id, "reports": [serialize_report(r) for r in comment.reports]})


@bp.get("/comments/by-site-id/<anypath:site_comment_id>/reports")
def get_reports_by_site_id(site_comment_id: str) -> ResponseReturnValue:
    """As get_reports: every other verb on a comment took the site's own id, this one answered 405 (an integrator's walk)."""
    return get_reports(comment_by_site_id(db.session, _site(), site_comment_id).id)


def _site():
    return g.site


def _site_id() -> int:
    return g.site.id
