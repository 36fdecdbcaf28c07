"""Routes of the api blueprint: parse, call one domain function, serialise.

Every route but the OpenAPI document needs `Authorization: Bearer <api key>`; the key decides
which site's comments the caller sees. The OpenAPI document (moderation/api/openapi.py) describes
each route here, and a test keeps the two in step.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, request, url_for
from flask.typing import ResponseReturnValue

from moderation import db, session_tags
from moderation.api.errors import register_error_handlers
from moderation.api.load import admit, mark
from moderation.api.openapi import openapi_document
from moderation.api.query_input import include_text
from moderation.api.validation import batch_items, comment_input, parse_json_object, report_input
from moderation.domain.batch_submission import MAX_BATCH_ITEMS, ItemResult, submit_comments
from moderation.domain.comments import comment_by_site_id, comment_for_site, submit_comment
from moderation.domain.dispatch import send_for_scoring
from moderation.domain.lifecycle import PENDING, commit_and_send
from moderation.domain.backpressure import Overloaded
from moderation.domain.errors import NotFound, Unauthorized
from moderation.domain.reports import ReportLimits, file_report, serialize_report
from moderation.domain.sites import site_for_key
from moderation.domain.status import serialize_comment
from moderation.domain.replies import refuse_parent_elsewhere
from moderation.domain.stories import refuse_closed
from moderation.models import Site
from moderation.request_input import request_body

bp = Blueprint("api", __name__, url_prefix="/api/v1")
register_error_handlers(bp)

PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" and (header.strip() or request.headers.get("X-API-Key")):
        # The key was sent, the wrong way: "missing API key" sent a Node developer looking for a lost key.
        raise Unauthorized("the API key goes in the Authorization header as `Authorization: Bearer <key>`")
    if scheme.lower() == "bearer" and key.strip():
        session_tags.mark_key(None, key.strip())
    g.site = site_for_key(db.session, key.strip() if scheme.lower() == "bearer" else None,
                          limiter=current_app.extensions.get("key_limiter"), address=request.remote_addr)
    session_tags.mark_key(g.site.id, key.strip())


def _site() -> Site:
    return g.site


@bp.post("/comments")
def post_comment() -> ResponseReturnValue:
    # Read before anything is stored: checked while answering, a bad ?include= was a 400 for a comment
    # stored, scored and announced (an integrator's walk); so for an edit and a report.
    with_text = include_text(request.args)
    data = comment_input(parse_json_object(request_body()), max_text_length=current_app.config["MAX_TEXT_LENGTH"])
    try:
        admitted = admit(_site().id, incoming=1)  # past the hard limit: 503 with Retry-After, nothing stored
    except Overloaded:
        # A retry of a comment stored before the overload still gets its answer: it adds nothing.
        if not _stored_before(data.external_id):
            raise
        admitted = None
    submission = submit_comment(db.session, _site(), data)
    comment = submission.comment
    if submission.created:
        # After the commit in submit_comment: the task must find the row. If the broker is down
        # the comment stays pending and the sweep scores it.
        send_for_scoring(db.session, [comment.id])
    response = jsonify(serialize_comment(comment, include_text=with_text))
    response.headers["Location"] = url_for("api.get_comment", comment_id=comment.id)
    if admitted is not None:
        mark(response, admitted)
    return response, 202 if submission.created else 200


def _stored_before(external_id: str) -> bool:
    try:
        comment_by_site_id(db.session, _site(), external_id)
    except NotFound:
        return False
    return True


@bp.post("/comments:batch")
def post_comments_batch() -> ResponseReturnValue:
    """Up to MAX_BATCH_ITEMS comments; 200 with one result per item, each as its single POST would answer."""
    request.max_content_length = current_app.config["BATCH_MAX_BYTES"]
    body = parse_json_object(request_body())
    items = batch_items(body, max_items=MAX_BATCH_ITEMS, max_text_length=current_app.config["MAX_TEXT_LENGTH"])
    items = refuse_parent_elsewhere(db.session, _site(), refuse_closed(db.session, _site(), items))
    admitted = admit(_site().id, incoming=len(items))  # past the hard limit: 503 with Retry-After, nothing stored
    results = submit_comments(db.session, _site(), items)
    created = [r.comment.id for r in results if r.created and r.comment is not None]
    if created:
        send_for_scoring(db.session, created)  # after the commit in submit_comments, as for one comment
    response = jsonify({
        "results": [_item_body(result, item) for result, item in zip(results, body["comments"], strict=True)],
        "created": len(created),
        "existing": sum(1 for r in results if r.status == 200),
        "failed": sum(1 for r in results if r.error is not None),
    })
    return mark(response, admitted), 200


def _item_body(result: ItemResult, item: object) -> dict[str, object]:
    sent_id = item.get("id") if isinstance(item, dict) else None
    body: dict[str, object] = {
        "index": result.index,
        "id": str(sent_id) if isinstance(sent_id, (str, int)) and not isinstance(sent_id, bool) else None,
        "status": result.status,
    }
    if result.comment is not None:
        body["comment"] = serialize_comment(result.comment)
    if result.error is not None:
        body["error"] = {"code": result.error.code, "message": result.error.message, "field": result.error.field}
    return body


@bp.get("/comments/<int8:comment_id>")
def get_comment(comment_id: int) -> ResponseReturnValue:
    comment = comment_for_site(db.session, _site(), comment_id)
    return jsonify(serialize_comment(comment, include_text=include_text(request.args)))


@bp.get("/comments/by-site-id/<siteref:site_comment_id>")
def get_comment_by_site_id(site_comment_id: str) -> ResponseReturnValue:
    comment = comment_by_site_id(db.session, _site(), site_comment_id)
    return jsonify(serialize_comment(comment, include_text=include_text(request.args)))


def report_limits() -> ReportLimits:
    config = current_app.config
    return ReportLimits(per_comment=config["REPORTS_PER_COMMENT_PER_MINUTE"],
                        per_reporter=config["REPORTS_PER_REPORTER_PER_MINUTE"],
                        anonymous_weight_cap=config["ANONYMOUS_REPORT_WEIGHT_CAP"],
                        anonymous_factor=config["ANONYMOUS_REPORT_FACTOR"],
                        anonymous_threshold_share=config["ANONYMOUS_REPORT_THRESHOLD_SHARE"])


def report_response(comment_id: int) -> ResponseReturnValue:
    """File a report on one of the caller's comments (by our id, or resolved from the site's)."""
    with_text = include_text(request.args)
    fields = report_input(parse_json_object(request_body()))
    filing = file_report(db.session, _site(), comment_id, limits=report_limits(), **fields)
    commit_and_send(db.session, [filing.delivery, *filing.also])
    if filing.comment.status == PENDING:
        # The report held the comment's row while its scoring task claimed, which skips locked rows:
        # it waited for the sweep, 30-60 s (a WordPress walk reported within milliseconds of posting).
        send_for_scoring(db.session, [filing.comment.id])
    body = {"report": serialize_report(filing.report),
            "comment": serialize_comment(filing.comment, include_text=with_text)}
    return jsonify(body), 201 if filing.created else 200


@bp.post("/comments/<int8:comment_id>/reports")
def post_report(comment_id: int) -> ResponseReturnValue:
    return report_response(comment_id)


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document(max_text_length=current_app.config["MAX_TEXT_LENGTH"],
                                    batch_max_bytes=current_app.config["BATCH_MAX_BYTES"]))
