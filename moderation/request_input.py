"""Numbers and strings from URLs and forms, refused before they reach PostgreSQL.

PostgreSQL turns an id past its column's range into an error and a NUL into another, and Python's
`int()` reads "²" as a digit check passing and then fails: each was a 500. Routes get ids through
the bounded converters here and query numbers through `int_arg`, and a request carrying a NUL in
its query, path or (page) form is a 400 before any view runs.
"""
from __future__ import annotations

import time
import zlib
from collections.abc import Iterable, Mapping
from urllib.parse import unquote_to_bytes, urlencode

from flask import Flask, Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType
from werkzeug.routing import BaseConverter, Map, PathConverter, ValidationError

from moderation.domain.storable import unstorable
from moderation.domain.typed_numbers import typed_int

MAX_INT4 = 2**31 - 1  # sites.id, users.id
MAX_INT8 = 2**63 - 1  # comments.id and the other BIGSERIAL ids

# The JSON APIs read their own bodies (and check them field by field); reading their form here
# would consume the body before they do.
_BODY_READERS = {"api", "perspective"}


def with_query(endpoint: str, pairs: Iterable[tuple[str, str]], **values: object) -> str:
    """The endpoint's address with these query parameters as sent. Not as url_for's keywords: a
    parameter named "endpoint" or "_method" collides with its own arguments (a 500), and "_anchor"
    or "_external" would change the address (a re-check)."""
    pairs = list(pairs)
    return url_for(endpoint, **values) + ("?" + urlencode(pairs) if pairs else "")


def request_body(*, cache: bool = True) -> bytes:
    """The request's whole body, or RequestEntityTooLarge. A chunked body (no Content-Length) past the
    limit was cut at the limit and parsed as if whole: 202 for 3 MB, and for a body whose invalid tail
    lay past the cut (a security review). Werkzeug stops at the limit without looking further."""
    raw = request.get_data(cache=cache)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(raw) >= limit and request.environ["wsgi.input"].read(1):
        raise RequestEntityTooLarge()
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return _gunzip(raw, limit)
    if encoding not in ("", "identity"):
        # Read as if plain, a deflate body was "not valid JSON: it is not UTF-8" and a br one stored
        # unsaid; a .NET or Java client that compresses by default learnt nothing (an API contract walk).
        raise UnsupportedMediaType(f"Content-Encoding: {encoding[:40]} is not one we read: send the body "
                                   "gzip-compressed (Content-Encoding: gzip), the one encoding supported, or uncompressed")
    return raw


# How much of a refused body is read before the 413 is answered, at most, and for how long: past
# either the connection is closed with the rest unread. Unbounded in time, eight sockets trickling a
# few bytes each held every web thread, pages too (a re-check): a few seconds is what a client still
# sending a body a little too large needs on a working network.
DRAIN_AT_MOST = 32 * 1024 * 1024
DRAIN_SECONDS = 3.0


def drain_refused_body() -> bool:
    """Read and drop what is left of a body refused as too large, so its client hears the 413; whether
    it was read to its end. Answered while the client was still sending, the connection closed under
    it: Node's fetch reported "fetch failed (EPIPE)" for an 8.6 MiB batch, 2 times in 8, with no
    status, and a site retrying network errors would send it for ever (a Node integrator's walk)."""
    stream = request.environ.get("wsgi.input")
    if stream is None or (request.content_length or 0) > DRAIN_AT_MOST:
        return False
    if not (request.headers.get("Authorization") or request.args.get("key")):
        return False  # no client of ours: a stranger's body is not waited for at all
    sock = request.environ.get("gunicorn.socket")
    deadline = time.monotonic() + DRAIN_SECONDS
    left = request.content_length if request.content_length is not None else DRAIN_AT_MOST
    try:
        while left > 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if sock is not None:  # each read waits no longer than the time left
                sock.settimeout(remaining)
            chunk = stream.read(min(left, 1024 * 1024))
            if not chunk:
                break
            left -= len(chunk)
    except OSError:  # the client gave up, or was too slow: nothing more to read
        return False
    if sock is not None:  # read to its end: the connection may serve the next request as before
        sock.settimeout(None)
    return True


def _gunzip(raw: bytes, limit: int | None) -> bytes:
    """A body sent with Content-Encoding: gzip, as Google's Java and .NET clients send by default
    (every such Perspective call had been refused), unpacked to at most `limit` bytes, so a small
    body cannot unpack into gigabytes."""
    unpacker = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        body = unpacker.decompress(raw, (limit or 1024 * 1024) + 1)
    except zlib.error:
        raise BadRequest("the body says Content-Encoding: gzip but is not gzip data") from None
    if len(body) > (limit or 1024 * 1024):
        raise RequestEntityTooLarge()
    if not unpacker.eof:
        raise BadRequest("the body says Content-Encoding: gzip but its gzip data is cut short")
    if unpacker.unused_data:
        # A second member or junk after the first: read by another tool as part of the body, here it
        # was dropped unsaid, so what was stored differed from what a proxy saw (a security review).
        raise BadRequest("the body says Content-Encoding: gzip but has more after its gzip data: send one gzip stream")
    return body


def parse_int(text: str | None, maximum: int = MAX_INT4, minimum: int = 1) -> int | None:
    """ASCII digits within [minimum, maximum], else None (typed_numbers.typed_int)."""
    return typed_int(text, maximum, minimum)


def shown_ids(form: Mapping[str, str], limit: int) -> set[int]:
    """The comment ids a page offered to act on, from its `ids` field (comma-separated): only those
    are acted on (a page drawn before a claim ended had said 3 and published 5)."""
    raw_ids = form.get("ids", "").split(",")[:limit]
    return {i for i in (parse_int(raw.strip(), maximum=MAX_INT8) for raw in raw_ids) if i is not None}


def int_arg(name: str, maximum: int = MAX_INT4) -> int | None:
    return parse_int(request.args.get(name), maximum)


class _BoundedInt(BaseConverter):
    """A positive id that fits its column; anything else matches no route (a 404)."""

    regex = r"\d+"
    maximum = MAX_INT4
    part_isolating = True

    def __init__(self, url_map: Map, maximum: int | None = None) -> None:
        super().__init__(url_map)
        if maximum is not None:
            self.maximum = maximum

    def to_python(self, value: str) -> int:
        parsed = parse_int(value, self.maximum, minimum=0)
        if parsed is None:
            raise ValidationError()
        return parsed

    def to_url(self, value: int) -> str:
        return str(int(value))


# The regex also bounds the length: Werkzeug checks a rule's methods before its converter, so an id
# the converter refuses on a path with routes for other methods answered 405, not 404
# (GET /api/v1/comments/<25 digits>/reports, found by the fuzzer).
class Int4Converter(_BoundedInt):
    regex = r"[0-9]{1,10}"
    maximum = MAX_INT4


class Int8Converter(_BoundedInt):
    regex = r"[0-9]{1,19}"
    maximum = MAX_INT8


class SiteCommentIdConverter(PathConverter):
    """A site's own comment id: slashes allowed, a leading one too (as `anypath`), but a path ending
    in /reports is the reports-by-site-id route's, so GET there is a 405 naming POST, not the
    comment "<id>/reports"."""

    # [\s\S], not ".": an id the API took with a newline in it was out of reach (a re-check).
    regex = r"(?![\s\S]*/reports$)[\s\S]+?"
    part_isolating = False


class AuthorIdConverter(PathConverter):
    """A site's author id, story id or comment id: any characters, slashes too, a leading one
    included ("/lead"), which <path:> refuses: ids the API took at POST could not be read back (a re-check)."""

    regex = r"[\s\S]+?"  # a newline too, which "." leaves out: that reader could not be erased (a re-check)
    part_isolating = False  # spans "/" (werkzeug guesses from a "/" in the regex)


def _refuse_unstorable() -> ResponseReturnValue | None:
    # Perspective's query holds only its key and Google's ignored parameters, none of them stored:
    # a key with a NUL is an invalid key (403), as any other key no site has.
    strings = [] if request.blueprint == "perspective" else [s for pair in request.args.items(multi=True) for s in pair]
    strings += [str(v) for v in (request.view_args or {}).values()]
    if request.blueprint not in _BODY_READERS:
        strings += [s for pair in request.form.items(multi=True) for s in pair]
    if not unstorable(strings):
        return None
    message = "The request contains a character we cannot store (NUL or an unpaired surrogate)."
    # An /api path no route matched (a malformed id) has no blueprint, but its caller reads JSON.
    if request.blueprint == "api" or request.path.startswith("/api/"):
        from moderation.api.errors import error_response

        return error_response(400, "invalid_character", message, _field_named())
    if request.blueprint == "perspective":
        from moderation.perspective.errors import InvalidArgument

        return InvalidArgument(message).to_response()
    return render_template("error.html", title="Bad request", message=message), 400


def _field_named() -> str | None:
    """The path id or query parameter holding the character: a NUL in `?story_id=` had answered
    `field: null`, where one in a path named its id (an API contract walk)."""
    for name, value in (request.view_args or {}).items():
        if unstorable([str(value)]):
            return name
    for name, value in request.args.items(multi=True):
        if unstorable([value]) and not unstorable([name]):
            return name
    return None


def _path_is_utf8() -> bool:
    """Whether the path's bytes, once percent-decoded, are UTF-8. Werkzeug reads those that are not
    as U+FFFD, so only the path as sent (RAW_URI: gunicorn's, Werkzeug's server's and test client's;
    else the WSGI path, its bytes as Latin-1) tells "%FF" from a real "%EF%BF%BD"."""
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    try:
        if raw:
            path = unquote_to_bytes(raw.encode("latin-1").split(b"?", 1)[0].split(b"#", 1)[0])
        else:
            path = request.environ.get("PATH_INFO", "").encode("latin-1")
    except UnicodeEncodeError:  # a server that gave text, not bytes: nothing of ours to judge
        return True
    try:
        path.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_undecodable_path() -> ResponseReturnValue | None:
    """A path id whose bytes are not UTF-8 ("%C0", a Latin-1 id) is a 400 naming it, on every API
    route: read as U+FFFD, GET, PATCH, DELETE and reports by site id all acted on the comment "\ufffd",
    and many ids collapsed onto it (an API contract walk). A real U+FFFD, sent as %EF%BF%BD, is
    still that id: POST takes it, so its comment stays reachable."""
    if not (request.blueprint == "api" or request.path.startswith("/api/")) or _path_is_utf8():
        return None
    for name, value in (request.view_args or {}).items():
        if isinstance(value, str) and "\ufffd" in value:
            from moderation.api.errors import error_response

            return error_response(400, "invalid_field", f"{name} in the URL is not valid UTF-8 once percent-decoded",
                                  name)
    return None  # the bytes are in no id (a path no route has): its 404 says so


def _bare_options(response: Response) -> Response:
    """Flask answers OPTIONS itself: 200, an empty body typed text/html, which a client reading our
    JSON errors took for a page (a re-check). 204 and the Allow header say the same with no body."""
    if request.method == "OPTIONS" and response.status_code == 200 and not response.get_data():
        response.status_code = 204
        response.headers.remove("Content-Type")
    return response


def init_app(app: Flask) -> None:
    """Call before registering blueprints: their rules are compiled with these converters."""
    # Safe by default: a plain <int:...> is bounded to INT4, the type of most of our ids; routes on
    # BIGINT ids say <int8:...>.
    app.url_map.converters["int"] = Int4Converter
    app.url_map.converters["int8"] = Int8Converter
    app.url_map.converters["siteref"] = SiteCommentIdConverter
    app.url_map.converters["authorref"] = AuthorIdConverter
    app.url_map.converters["anypath"] = AuthorIdConverter
    # Ids may hold slashes ("/lead", "a//b"). Merged, "/api/v1/authors/%2Flead" answered 308 to
    # ".../authors/lead", another reader, whom a client following redirects would have erased.
    app.url_map.merge_slashes = False
    app.before_request(_refuse_undecodable_path)
    app.before_request(_refuse_unstorable)
    app.after_request(_bare_options)
