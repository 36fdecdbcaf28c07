"""JSON errors for everything under /api: `{"error": {"code", "message", "field"}}`, never HTML.

Routing errors (an unknown path, a wrong method) happen before any blueprint is chosen, so their
handlers are app-wide and answer JSON only for paths under the API prefix, leaving other pages'
errors to moderation/error_pages.py.
"""
from __future__ import annotations

import logging

from flask import Blueprint, Response, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from moderation.domain.errors import DomainError
from moderation.error_pages import html_error_page
from moderation.request_input import drain_refused_body
from moderation.unavailable import api_response as unavailable_response, database_unavailable, log_unavailable

log = logging.getLogger(__name__)


def error_response(status: int, code: str, message: str, field: str | None = None) -> tuple[Response, int]:
    return jsonify({"error": {"code": code, "message": message, "field": field}}), status


def _message(exc: HTTPException) -> str:
    """The exception's own words, but not Werkzeug's page-for-people defaults ("If you entered the URL
    manually please check your spelling and try again."), which told an SRE's client nothing."""
    if exc.code == 404 and exc.description == type(exc).description:
        without = request.path.rstrip("/")
        if without != request.path and _routed(without):
            # A base URL ending in "/" joined to "comments/" is a common slip (a Node integrator's walk).
            return f"there is nothing at {request.path}: drop the trailing slash ({without})"
        return f"there is nothing at {request.path}: no such comment, or no such endpoint (see /api/v1/openapi.json)"
    if exc.code == 405 and getattr(exc, "valid_methods", None):
        allowed = sorted(set(exc.valid_methods) - {"HEAD", "OPTIONS"}) or sorted(exc.valid_methods)
        listed = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " or " + allowed[-1]
        return f"{request.path} does not take {request.method}; it takes {listed}"
    return exc.description or exc.name


def _routed(path: str) -> bool:
    """Whether `path` is an endpoint taking this request's method."""
    try:
        current_app.url_map.bind("localhost").match(path, method=request.method)
    except HTTPException:
        return False
    return True


def _http_code(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_")


def register_error_handlers(bp: Blueprint) -> None:
    prefix = bp.url_prefix or ""

    @bp.errorhandler(DomainError)
    def _domain(exc: DomainError) -> ResponseReturnValue:
        response, status = error_response(exc.status, exc.code, exc.message, exc.field)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="moderation"'
        if getattr(exc, "retry_after", None):
            response.headers["Retry-After"] = str(exc.retry_after)
        return response, status

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> ResponseReturnValue:
        if exc.code == 413:  # Werkzeug's words name no limit; the site needs the number to split by
            drained = drain_refused_body()
            limit = request.max_content_length
            response, status = error_response(413, _http_code(exc), f"the request body is larger than the {limit:,} "
                                              "bytes this endpoint takes" + ("; send fewer comments a batch"
                                                                             if "batch" in request.path else ""))
            if not drained:  # the rest of the body is still on its way: this connection serves nothing more
                response.headers["Connection"] = "close"
            return response, status
        return error_response(exc.code or 500, _http_code(exc), _message(exc))

    @bp.errorhandler(Exception)
    def _unexpected(exc: Exception) -> ResponseReturnValue:
        # This handler is the blueprint's, so it is found before the app's database-outage handler.
        if database_unavailable(exc):
            log_unavailable(exc)
            return unavailable_response(exc)
        log.exception("unhandled error in %s %s", request.method, request.path)
        return error_response(500, "internal_error", "something went wrong on our side; please retry")

    def _routing(exc: HTTPException) -> ResponseReturnValue:
        if request.path == prefix or request.path.startswith(prefix + "/"):
            # An app-wide handler for a code comes before this blueprint's for HTTPException: its words.
            response, status = _http(exc)
            if exc.code == 405 and getattr(exc, "valid_methods", None):
                response.headers["Allow"] = ", ".join(exc.valid_methods)
            return response, status
        return html_error_page(exc)

    bp.app_errorhandler(404)(_routing)
    bp.app_errorhandler(405)(_routing)
    # Raised outside the API's views too: a review or admin form too large to read, or unreadable.
    bp.app_errorhandler(400)(_routing)
    bp.app_errorhandler(413)(_routing)
