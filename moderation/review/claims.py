"""Claims and live updates on the review pages: the JSON the queue page's scripts talk to
(static/claims.js claims the focused card and polls an open comment's page, static/live.js polls
the queue page for what changed), and the
template helpers that show who holds each card.

Routes are added to the review blueprint (moderation/review/__init__.py imports this module).
The POST routes are CSRF-protected like every form: the scripts send the page's token in the
X-CSRFToken header, which Flask-WTF reads.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue

from moderation import auth, db
from moderation.api.errors import error_response
from moderation.domain.claims import Claim, claim, live_claims, release
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.domain.queue_filters import parse_filters, parse_tab
from moderation.domain.queue_updates import MAX_IDS, card_states, queue_updates
from moderation.domain.report_wait import parse_sort
from moderation.domain.status import now
from moderation.models import Comment
from moderation.request_input import MAX_INT8, parse_int
from moderation.review.routes import bp


def lease() -> timedelta:
    return timedelta(seconds=current_app.config["CLAIM_LEASE_SECONDS"])


def claim_on_open(comment_id: int) -> None:
    """Opening a comment's page claims it (the detail view calls this); another's claim is shown, not taken."""
    try:
        claim(db.session, comment_id, auth.current_user(), at=now(), lease=lease())
    except NotFound:
        pass  # the view answers 404 itself


def claim_of(comment: Comment) -> Claim | None:
    """The live claim on a card, if any. The first card asks for every comment this request has
    loaded (the page's cards), so a page of fifty cards costs one query."""
    cache: dict[int, Claim | None] | None = g.get("claims")
    if cache is None or comment.id not in cache:
        loaded = {obj.id for obj in db.session.identity_map.values() if isinstance(obj, Comment)} | {comment.id}
        cache = g.claims = {**(cache or {}), **dict.fromkeys(loaded), **live_claims(db.session, loaded, at=now())}
    return cache[comment.id]


@bp.app_context_processor
def _claim_helpers() -> dict[str, object]:
    return {"claim_of": claim_of, "page_loaded_at": lambda: now().isoformat()}


def _claim_json(result: Claim) -> dict[str, object]:
    user = auth.current_user()
    return {"comment_id": result.comment_id, "claimed": result.mine(user), "holder": result.holder,
            "expires_at": result.expires_at.isoformat() if result.expires_at else None}


@bp.post("/review/<int8:comment_id>/claim")
@auth.login_required("moderator")
def claim_comment(comment_id: int) -> ResponseReturnValue:
    """Take or renew the signed-in moderator's claim: 200 with it, or 409 naming who holds the comment."""
    at = now()
    try:
        result = claim(db.session, comment_id, auth.current_user(), at=at, lease=lease())
    except NotFound as error:
        return error_response(404, error.code, error.message)
    if result.held_by_other(auth.current_user()):
        body = {"error": {"code": "claimed_by_other", "message": result.describe(at), "field": None},
                "claim": _claim_json(result)}
        return jsonify(body), 409
    answer = _claim_json(result)
    if result.holder is None:
        # Nothing to claim: decided (or deleted, changed) since the page was drawn. Said with the card's
        # state, which greys it at once: three moderators at the queue's top read and chose a reason for
        # cards a colleague had decided seconds before, the empty answer leaving them looking free.
        state = card_states(db.session, auth.current_user(), [comment_id], at=at).get(comment_id)
        answer["state"] = state.as_json() if state is not None else None
    return jsonify(answer)


@bp.post("/review/<int8:comment_id>/release")
@auth.login_required("moderator")
def release_comment(comment_id: int) -> ResponseReturnValue:
    """Give the claim back (the page is left); another moderator's claim is never touched."""
    try:
        released = release(db.session, comment_id, auth.current_user())
    except NotFound as error:
        return error_response(404, error.code, error.message)
    return jsonify({"comment_id": comment_id, "released": released})


def _ids(raw: str) -> list[int]:
    parts = [part for part in raw.split(",") if part.strip()]
    if len(parts) > MAX_IDS:
        raise ValidationFailed(f"ids must list at most {MAX_IDS} comments", field="ids")
    ids = [parse_int(part.strip(), MAX_INT8) for part in parts]
    if None in ids:
        raise ValidationFailed("ids must be comment ids separated by commas", field="ids")
    return ids  # type: ignore[return-value]


def _loaded_at(raw: str | None) -> datetime:
    """When the page was rendered. Not `since`: that is the queue's "received from" filter, passed along too."""
    try:
        loaded_at = datetime.fromisoformat(raw or "")
    except ValueError:
        loaded_at = None
    if loaded_at is None or loaded_at.tzinfo is None:
        raise ValidationFailed("loaded_at must be the time the page was loaded, with its time zone", field="loaded_at")
    return loaded_at


@bp.get("/review/updates")
@auth.login_required("moderator")
def updates() -> ResponseReturnValue:
    """What changed on an open queue page: tab counts, each listed card's state, how many new comments."""
    try:
        tab, filters = parse_tab(request.args), parse_filters(request.args)
        sort = parse_sort(request.args, tab)
        ids, loaded_at = _ids(request.args.get("ids", "")), _loaded_at(request.args.get("loaded_at"))
    except ValidationFailed as error:
        return error_response(400, error.code, error.message, error.field)
    found = queue_updates(db.session, viewer=auth.current_user(), tab=tab, filters=filters, ids=ids, since=loaded_at,
                          at=now())
    # The banner in the page's own words, drawn as the page draws it: "" when no report is late now.
    banner = (render_template("review/_report_wait_banner.html", waiting=found.waiting, tab=tab, sort=sort,
                              kept=filters.as_args()) if found.waiting and found.waiting.reports else "")
    return jsonify({"counts": found.counts, "count_labels": found.count_labels, "new": found.new,
                    "cards": {str(comment_id): state.as_json() for comment_id, state in found.cards.items()},
                    "report_wait_banner": banner.strip()})


@bp.get("/review/<int8:comment_id>/state")
@auth.login_required("moderator")
def card_state(comment_id: int) -> ResponseReturnValue:
    """A comment's own page polls this: whether it is still decidable and who holds it, so a
    colleague's decision or claim shows there as on the queue page, without the tab counts."""
    state = card_states(db.session, auth.current_user(), [comment_id], at=now()).get(comment_id)
    if state is None:  # missing, or another site's: the same answer
        return error_response(404, "not_found", f"comment {comment_id} does not exist")
    return jsonify(state.as_json())
