"""The page a person gets for an address that is not there (404) or a wrong method (405).

Routing errors have no blueprint, so moderation/api/errors.py's app-wide handlers answer JSON under
/api and hand everything else here. Without this, a moderator following a link to a comment that
is gone or on another site got Flask's bare "Not Found", with no way back but the browser's.
"""
from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from moderation.perspective.routes import bp as perspective_bp, perspective_request_error, perspective_routing_error

PAGES = {
    400: ("Cannot read this request", "This page could not read what was sent. Nothing was saved: go back, "
          "reload the page and try again."),
    404: ("Not found", "There is nothing at this address, or it belongs to a site you do not moderate."),
    405: ("Not allowed here", "This address does not take that kind of request."),
    # A rules list pasted whole got Werkzeug's bare page, no way back and no limit named (an admin's walk).
    413: ("Too large", "What you sent is larger than the {limit} bytes a page takes. Nothing was saved: go back "
          "(your browser keeps what you typed) and send less; a site's rules may be at most 200,000 characters."),
}


def html_error_page(exc: HTTPException) -> ResponseReturnValue:
    # Perspective's clients are programs that parse Google's error shape (moderation/perspective).
    # An endpoint set without /v1alpha1 ("https://HOST" + "/comments:analyze") is a Perspective client too.
    if (request.path.startswith(perspective_bp.url_prefix or "/v1alpha1") or request.path == "/batch"
            or request.path.startswith("/comments:")):
        return perspective_routing_error(exc) if exc.code in (404, 405) else perspective_request_error(exc)
    if exc.code not in PAGES:
        return exc
    title, message = PAGES[exc.code]
    message = message.format(limit=f"{request.max_content_length or 0:,}")
    headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else {}
    return render_template("error.html", title=title, message=message), exc.code, headers
