"""Routes of the perspective blueprint: Perspective API's URLs, request and error shapes.

A site moving off Perspective changes only its endpoint URL, e.g. Coral's
"https://commentanalyzer.googleapis.com/v1alpha1" becomes "https://<our host>/v1alpha1".
"""
from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import BadRequest, HTTPException, RequestEntityTooLarge, UnsupportedMediaType

from classifiers import UntrustedModelError
from moderation import db
from moderation.domain.errors import DomainError
from moderation.domain.rules_in_force import flag_only_kinds
from moderation.domain.site_rows import site_row
from moderation.perspective import answers, plain_words
from moderation.perspective.analyze import analyze, parse_analyze
from moderation.perspective.auth import request_key, site_id_for_key
from moderation.perspective.cache import LRUCache
from moderation.perspective.discovery import VERSION, discovery_document
from moderation.perspective.errors import (
    InternalError,
    InvalidArgument,
    MethodNotAllowed,
    NotFound,
    PerspectiveError,
    ResourceExhausted,
    Unavailable,
)
from moderation.perspective.fields import parse_json
from moderation.perspective.partial import parse_fields, select_fields
from moderation.perspective.suggest import parse_suggest, store_suggestion, suggest_response
from moderation.request_input import request_body, drain_refused_body
from moderation.scorer import get_provider

if TYPE_CHECKING:
    from classifiers import CivilityModel

bp = Blueprint("perspective", __name__, url_prefix="/v1alpha1")


def _cache(app: Flask) -> LRUCache:
    return app.extensions.setdefault("perspective_cache", LRUCache())


@bp.record_once
def _setup(setup_state) -> None:
    app = setup_state.app
    _cache(app)
    app.extensions["perspective_refusals"] = answers.RefusalLog()
    # Perspective's discovery document lives at the host's root, outside /v1alpha1.
    app.add_url_rule("/$discovery/rest", endpoint="perspective_discovery", view_func=discovery)


@bp.errorhandler(PerspectiveError)
def _perspective_error(error: PerspectiveError) -> Response:
    g.perspective_error_type = getattr(error, "counted_as", None) or next(
        (d.get("errorType") for d in error.details if d.get("errorType")), None)
    return error.to_response()


@bp.after_request
def _counted(response: Response) -> Response:
    """Each answer to a site's key, by site and outcome (perspective/answers.py)."""
    site_id = g.pop("perspective_site_id", None)
    if site_id is not None:
        try:
            row = site_row(db.session, site_id)
        except SQLAlchemyError:  # the answer stands; it is counted under the site's id
            row = None
        answers.count(row.name if row is not None else str(site_id), request.path.rpartition(":")[2],
                      response.status_code, g.pop("perspective_error_type", None),
                      current_app.extensions["perspective_refusals"])
    return response


def _authorise() -> int:
    site_id = site_id_for_key(db.session, request_key(request), limiter=current_app.extensions.get("key_limiter"),
                              address=request.remote_addr)
    g.perspective_site_id = site_id
    limiter = current_app.extensions.get("perspective_limiter")  # built by create_app; None without Redis
    if limiter is not None:
        decision = limiter.hit(str(site_id))
        if not decision.allowed:
            raise ResourceExhausted(
                f"Quota exceeded: {limiter.limit} requests per minute for this site's keys together. "
                f"Retry after {decision.retry_after} seconds.",
                retry_after=decision.retry_after, limit=limiter.limit,
            )
    return site_id


def _body() -> dict:
    try:
        raw = request_body(cache=False)
    except RequestEntityTooLarge:  # Google's words for a request over its size limit
        raise InvalidArgument(f"Request payload size exceeds the limit: {current_app.config['MAX_CONTENT_LENGTH']} "
                              "bytes.") from None
    except UnsupportedMediaType as error:  # deflate, br: Google's shape, not an HTML page
        raise InvalidArgument(f"{error.description[:1].upper()}{error.description[1:]}.") from None
    except BadRequest as error:  # a body that says gzip and is not (request_input._gunzip)
        raise InvalidArgument(f"Invalid JSON payload received. {error.description[:1].upper()}{error.description[1:]}.") from None
    return parse_json(raw)


def _model(site_id: int) -> CivilityModel:
    """The site's active version; a promotion reaches this process within MODEL_CHECK_INTERVAL."""
    try:
        provider = get_provider()
        provider.refresh()
        return provider.for_site(site_id)
    except (OSError, ValueError, LookupError, UntrustedModelError, DomainError) as error:
        current_app.logger.error("perspective endpoint has no model: %s", error)
        raise Unavailable("The model is not available yet; try again shortly.", headers={"Retry-After": "30"}) from None


@bp.post("/comments:analyze")
def analyze_comment() -> Response:
    site_id = _authorise()
    analyze_request = parse_analyze(_body())
    selection = parse_fields(request.args.get("fields"))
    model = _model(site_id)
    kinds = plain_words.lifting(flag_only_kinds(db.session, site_id))
    with current_app.extensions["perspective_slots"].take(site_id, analyze_request.text):
        scored = analyze(model, analyze_request, _cache(current_app), site_id, kinds)
    # Perspective's answer has no field for it: a client (or its admin, after a promotion) reads here
    # which version scored, and so which threshold to set (a data scientist's walk).
    return jsonify(select_fields(scored, selection)), 200, {"X-Model-Version": model.version}


@bp.post("/comments:suggestscore")
def suggest_score() -> Response:
    site_id = _authorise()
    suggestion = parse_suggest(_body(), max_context_bytes=current_app.config["SUGGEST_MAX_CONTEXT_BYTES"])
    selection = parse_fields(request.args.get("fields"))  # refused before anything is stored
    store_suggestion(db.session, site_id, suggestion)
    db.session.commit()
    return jsonify(select_fields(suggest_response(suggestion), selection))


@bp.get("/$discovery/rest")
def discovery() -> Response:
    version = request.args.get("version", VERSION)
    if version != VERSION:
        return NotFound(f"Discovery document not found for API service: commentanalyzer.googleapis.com/{version}").to_response()
    config = current_app.config
    root = config.get("PUBLIC_URL")
    if not root:
        if _every_address(config["HOST"]):
            # http://0.0.0.0:8080/ would send a client's comments, and its key, to its own machine.
            return Unavailable("This server's PUBLIC_URL is not set, so its discovery document cannot name the "
                               "address clients reach it at; set PUBLIC_URL, e.g. https://moderation.example.org/"
                               ).to_response()
        root = f"http://{config['HOST']}:{config['PORT']}/"
    return jsonify(discovery_document(root))


def perspective_routing_error(exc: HTTPException) -> Response:
    """A wrong URL or method under /v1alpha1 (and Google's /batch, which the discovery document's
    batchPath names), in Google's error shape: a client parses it instead of choking on HTML."""
    if exc.code == 405:
        methods = exc.valid_methods or ["POST"]
        named = " or ".join(m for m in methods if m not in ("OPTIONS", "HEAD"))
        error: PerspectiveError = MethodNotAllowed(f"{request.path} takes {named} only, not {request.method}.",
                                                   headers={"Allow": ", ".join(methods)})
    elif request.path == "/batch":
        error = NotFound("Batch requests are not supported: send each comment in a request of its own.")
    elif "//" in request.path:
        error = NotFound(f"Method not found: {request.path}. The path has a slash too many: set the endpoint "
                         "without a trailing slash (https://HOST/v1alpha1).")
    elif request.path.endswith("/") and request.path.rstrip("/") != (bp.url_prefix or "/v1alpha1"):
        error = NotFound(f"Method not found: {request.path}. Take the slash off its end.")
    elif request.path.startswith("/comments:"):
        error = NotFound(f"Method not found: {request.path}. Perspective's methods are under /v1alpha1: "
                         "end the endpoint you set with /v1alpha1.")
    else:  # 404, the only other routing error
        error = NotFound(f"Method not found: {request.path}. This service answers comments:analyze and "
                         "comments:suggestscore.")
    return error.to_response()


def perspective_request_error(exc: HTTPException) -> Response:
    """A request too large or unreadable before any view read it, in Google's shape."""
    if exc.code == 413:
        drained = drain_refused_body()
        response = InvalidArgument(f"Request payload size exceeds the limit: {current_app.config['MAX_CONTENT_LENGTH']} "
                                   "bytes.").to_response()
        if not drained:  # the rest of the body is still on its way: this connection serves nothing more
            response.headers["Connection"] = "close"
        return response
    return InvalidArgument(f"Invalid request: {exc.description or exc.name}").to_response()


def _every_address(host: str) -> bool:
    """0.0.0.0, ::, [::], 0 and blank all listen everywhere: no address a client could be sent to."""
    try:
        return ipaddress.ip_address(host.strip().strip("[]") or "0.0.0.0").is_unspecified
    except ValueError:
        return host.strip() == "0"


@bp.errorhandler(500)
def _internal_error(error: Exception) -> Response:
    # Clients parse Google's shape even for our own failures; the traceback goes to the log.
    return InternalError("Internal error encountered.").to_response()
