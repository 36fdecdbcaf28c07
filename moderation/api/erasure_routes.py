"""API routes that remove things: a comment (DELETE) and an author's texts and names (erasure).

Registered on the api blueprint (authentication, error handling) by moderation/api/__init__.py.
"""
from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from moderation import db
from moderation.api.query_input import one_arg
from moderation.api.routes import bp
from moderation.api.validation import path_id
from moderation.domain.comments import comment_by_site_id
from moderation.domain.erasure import erase_author, serialize_erasure
from moderation.domain.lifecycle import commit_and_send, serialize_comment
from moderation.domain.removal import delete_comment
from moderation.domain.suggestion_erasure import erase_suggestions


@bp.delete("/comments/<int8:comment_id>")
def delete_comment_route(comment_id: int) -> ResponseReturnValue:
    site = g.site
    by = one_arg(request.args, "by")
    removal = delete_comment(db.session, site, comment_id, actor=f"site:{site.id}",
                             requested_by="site" if by is None else by)
    commit_and_send(db.session, removal.deliveries)
    return jsonify(serialize_comment(removal.comment))


@bp.delete("/comments/by-site-id/<siteref:site_comment_id>")
def delete_comment_by_site_id(site_comment_id: str) -> ResponseReturnValue:
    return delete_comment_route(comment_by_site_id(db.session, g.site, site_comment_id).id)


@bp.delete("/authors/<authorref:author_id>")
def erase_author_route(author_id: str) -> ResponseReturnValue:
    site = g.site
    author_id = path_id(author_id, "author_id")
    erased = erase_author(db.session, site, author_id, actor=f"site:{site.id}")
    body = {"author_id": author_id, **serialize_erasure(erased.record)}
    commit_and_send(db.session, erased.deliveries)
    return jsonify(body)


@bp.delete("/suggestions/by-client-token/<authorref:client_token>")
def erase_suggestions_by_token(client_token: str) -> ResponseReturnValue:
    """The texts a Perspective client sent to comments:suggestscore under this clientToken."""
    return _erased_suggestions(client_token=client_token)


@bp.delete("/suggestions/by-text-sha256/<text_sha256>")
def erase_suggestions_by_text(text_sha256: str) -> ResponseReturnValue:
    """The texts a Perspective client sent to comments:suggestscore whose UTF-8 SHA-256 is this."""
    return _erased_suggestions(text_sha256=text_sha256)


def _erased_suggestions(**which: str) -> ResponseReturnValue:
    site = g.site
    erased = erase_suggestions(db.session, site, actor=f"site:{site.id}", **which)
    db.session.commit()
    return jsonify({"deleted": erased.deleted, "erased_at": erased.record.erased_at.isoformat()})
