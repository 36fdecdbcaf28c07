"""API routes that remove things: a comment (DELETE) and an author's texts and names (erasure).

Registered on the api blueprint (authentication, error handling) by moderation/api/__init__.py.
"""
from __future__ import annotations

from flask import g, jsonify, request
from flask.typing import ResponseReturnValue

from moderation import db
from moderation.api.routes import bp
from moderation.api.validation import path_id
from moderation.domain.comments import comment_by_site_id
from moderation.domain.erasure import erase_author, serialize_erasure
from moderation.domain.lifecycle import commit_and_send, serialize_comment
from moderation.domain.removal import delete_comment


@bp.delete("/comments/<int8:comment_id>")
def delete_comment_route(comment_id: int) -> ResponseReturnValue:
    site = g.site
    removal = delete_comment(db.session, site, comment_id, actor=f"site:{site.id}",
                             requested_by=request.args.get("by", "site"))
    commit_and_send(db.session, [removal.delivery])
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
