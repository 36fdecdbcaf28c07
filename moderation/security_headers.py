"""Headers every response carries: no framing (clickjacking a decide button), no MIME sniffing,
only our own scripts and styles, no review URLs in the Referer of links to a site's stories, review
and admin pages never kept in a browser's cache, and HSTS when the service is served over HTTPS
(SESSION_COOKIE_SECURE).

The templates have no inline script or style (the score bars use classes), so the policy needs no
'unsafe-inline' and no nonces; a template that adds one will be blocked in the browser.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000; includeSubDomains"


# Pages a signed-in person reads: on a newsroom's shared computer, Back after "Sign out" showed the
# queue from the browser's cache (a security review). Not static files, the APIs or plots' PNGs.
_PRIVATE_BLUEPRINTS = {"review", "admin"}


def _add_headers(response: Response) -> Response:
    headers = response.headers
    if request.blueprint in _PRIVATE_BLUEPRINTS and response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")  # for browsers without frame-ancestors
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    app.after_request(_add_headers)
