"""API routes a comment system needs beyond submitting: edit, list a story, its changes, story counts
and settings, and reports by the site's own id.

Registered on the api blueprint (authentication, error handling) by moderation/api/__init__.py.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue

from moderation import db
from moderation.api.query_input import (
    changes_query,
    include_text,
    listing_query,
    story_settings_input,
)
from moderation.api.load import admit, mark
from moderation.api.routes import _site, bp, report_response
from moderation.api.validation import edit_input, new_path_id, parse_json_object, refuse_changed_fields
from moderation.request_input import request_body, with_query
from moderation.domain.change_feed import changes
from moderation.domain.comments import comment_by_site_id, comment_for_site
from moderation.domain.dispatch import send_for_scoring
from moderation.domain.edits import edit_comment
from moderation.domain.lifecycle import commit_and_send, serialize_comment
from moderation.domain.stories import change_story
from moderation.domain.story_comments import story_comments, story_counts


@bp.patch("/comments/<int8:comment_id>")
def patch_comment(comment_id: int) -> ResponseReturnValue:
    with_text = include_text(request.args)  # read before the write: a bad one is a 400 with nothing changed
    body = parse_json_object(request_body())
    text = edit_input(body, max_text_length=current_app.config["MAX_TEXT_LENGTH"])
    refuse_changed_fields(body, comment_for_site(db.session, _site(), comment_id))
    # An edit is scored again, as a new comment is: past the hard limit it waits its turn as POSTs do,
    # or a site refused new comments could still fill the backlog with edits (a re-check).
    admitted = admit(_site().id, incoming=1)
    edit = edit_comment(db.session, _site(), comment_id, text=text)
    commit_and_send(db.session, [edit.delivery])
    if edit.changed:
        # After the commit: the task must find the row pending. A lost message is the sweep's.
        send_for_scoring(db.session, [edit.comment.id])
    return mark(jsonify(serialize_comment(edit.comment, include_text=with_text)), admitted)


@bp.get("/comments")
def list_comments() -> ResponseReturnValue:
    query = listing_query(request.args)
    with_text = include_text(request.args)
    page = story_comments(db.session, _site(), query["story_id"], statuses=query["statuses"],
                          after=query["after"], limit=query["limit"], author_id=query["author_id"])
    next_url = None
    if page.next_after is not None:
        # The same query from where this page ended; every other parameter is kept as sent.
        kept = [(name, value) for name, value in request.args.items(multi=True) if name != "after"]
        next_url = with_query("api.list_comments", [*kept, ("after", str(page.next_after))])
    return jsonify({
        "comments": [serialize_comment(c, include_text=with_text) for c in page.comments],
        "next_after": page.next_after,
        "next": next_url,
    })


@bp.get("/comments/changes")
def list_changes() -> ResponseReturnValue:
    query = changes_query(request.args)
    with_text = include_text(request.args)
    page = changes(db.session, _site(), query["after"], limit=query["limit"])
    kept = [(name, value) for name, value in request.args.items(multi=True) if name != "after"]
    return jsonify({
        "comments": [serialize_comment(c, include_text=with_text) for c in page.comments],
        "next_after": str(page.next_after),
        "more": page.more,
        "next": with_query("api.list_changes", [*kept, ("after", str(page.next_after))]),
    })


@bp.get("/stories/<anypath:story_id>")
def get_story(story_id: str) -> ResponseReturnValue:
    return jsonify(story_counts(db.session, _site(), story_id))


@bp.patch("/stories/<anypath:story_id>")
def patch_story(story_id: str) -> ResponseReturnValue:
    """Close a story's comments or pre-moderate them, from the site's own CMS (as an admin does on /admin)."""
    story_id = new_path_id(story_id, "story_id")
    settings = story_settings_input(parse_json_object(request_body()))
    site = _site()
    change_story(db.session, site, story_id, settings, actor=f"site:{site.id}")
    db.session.commit()
    return jsonify(story_counts(db.session, site, story_id))


@bp.patch("/comments/by-site-id/<siteref:site_comment_id>")
def patch_comment_by_site_id(site_comment_id: str) -> ResponseReturnValue:
    """The same edit, by the site's own id: without it a site kept our id, or asked for it, per edit."""
    return patch_comment(comment_by_site_id(db.session, _site(), site_comment_id).id)


@bp.post("/comments/by-site-id/<anypath:site_comment_id>/reports")
def post_report_by_site_id(site_comment_id: str) -> ResponseReturnValue:
    return report_response(comment_by_site_id(db.session, _site(), site_comment_id).id)
