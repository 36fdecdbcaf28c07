"""deploy/nginx/moderation.conf, the proxy docs/operations.md tells operators to put in front of gunicorn.

An operator's walk pasted the README's first version: nginx refused to start (client_header_timeout
inside `location`), and once mended it logged every Perspective client's `?key=` in its default
access log format. nginx is not on every machine the tests run on, so this reads the file as nginx
would place each directive; `nginx -t` took it on 2026-12-05 (docs/operations.md).
"""
from __future__ import annotations

import re
from pathlib import Path

from moderation.config import Config

CONF = Path(__file__).resolve().parents[1] / "deploy" / "nginx" / "moderation.conf"
# Directives nginx refuses inside `location` (its documentation's Context lines).
SERVER_OR_HTTP_ONLY = ("client_header_timeout", "log_format", "listen", "server_name", "ssl_certificate")


def _uncommented(line: str) -> str:
    quote = None
    for at, char in enumerate(line):
        if char in "'\"" and quote in (None, char):
            quote = None if quote else char
        elif char == "#" and quote is None:
            return line[:at]
    return line


def _directives() -> list[tuple[tuple[str, ...], str, str]]:
    """(the blocks it sits in, name, arguments) for every directive, comments dropped."""
    text = "\n".join(_uncommented(line) for line in CONF.read_text().splitlines())
    found, blocks = [], []
    # A quoted argument may hold braces and semicolons (the JSON of a `return`).
    for token in re.findall(r"""(?:[^{};'"]|'[^']*'|"[^"]*")+[{;]|}""", text, flags=re.S):
        if token == "}":
            blocks.pop()
            continue
        name, _, args = token[:-1].strip().partition(" ")
        if token.endswith("{"):
            blocks.append(name)
        else:
            found.append((tuple(blocks), name, " ".join(args.split())))
    assert not blocks, "unbalanced braces"
    return found


def test_each_directive_is_where_nginx_takes_it():
    for blocks, name, _ in _directives():
        if name in SERVER_OR_HTTP_ONLY:
            assert "location" not in blocks, f"{name} inside location: nginx refuses to start"


def test_the_access_log_never_holds_a_query_string_and_batches_fit():
    directives = _directives()
    formats = {args.split(" ", 1)[0]: args for _, name, args in directives if name == "log_format"}
    logs = [args.split() for _, name, args in directives if name == "access_log"]
    assert logs and all(len(log) == 2 and log[1] in formats for log in logs), "a log in nginx's default format"
    for layout in formats.values():
        assert not re.search(r"\$(request|request_uri|args|query_string|arg_\w+)\b", layout), layout
    size = next(args for _, name, args in directives if name == "client_max_body_size")
    assert int(size.rstrip("m")) * 1024 * 1024 > Config().BATCH_MAX_BYTES


def test_the_proxy_names_the_host_the_browser_asked_for():
    """An operator's walk and a security review: without Host and X-Forwarded-Host, every sign-in over
    https failed the forms' referrer check, and a client's own X-Forwarded-Host went through."""
    headers = {args.split(" ", 1)[0]: args.split(" ", 1)[1] for _, name, args in _directives()
               if name == "proxy_set_header"}
    assert headers["Host"] == headers["X-Forwarded-Host"] == "$http_host"


def test_one_perspective_keys_flood_is_refused_at_the_proxy_in_perspectives_shape():
    """A migrating site's walk: one site far over its quota held a neighbour's comments:analyze answers
    at p50 1.7 s, past Coral's 800 ms, since each refused request still took a gunicorn thread. Checked
    with nginx 1.22 on 2026-12-05: a key flooding at a lowered rate got 992 of 1,200 refused as below,
    another key answered 200 meanwhile; a flood spelling its key afresh each time, 525 of 600 by its
    address's limit."""
    directives = _directives()
    assert [blocks for blocks, name, _ in directives if name == "limit_req_zone"] == [(), ()], "they belong in http"
    assert {blocks for blocks, _, _ in directives if "map" in blocks} == {("map",)}, "map belongs in http"
    zones = {args.split()[0]: args for _, name, args in directives if name == "limit_req_zone"}
    for zone in zones.values():
        rate = int(re.search(r"rate=(\d+)r/s", zone).group(1))
        assert rate > Config().PERSPECTIVE_RATE_LIMIT / 60, "the proxy would refuse what the service allows"
    # A security review spelt one key afresh each time ("%6d" for "m", "Key=" beside "key="), each a
    # bucket of its own to nginx: every client address has a limit too.
    assert set(zones) == {"$perspective_key", "$binary_remote_addr"}
    limits = [args for blocks, name, args in directives if blocks == ("server", "location") and name == "limit_req"]
    assert sorted(limit.split()[0] for limit in limits) == ["zone=perspective_addresses", "zone=perspective_keys"]
    perspective = {name: args for blocks, name, args in directives if blocks == ("server", "location")
                   and name in ("limit_req_status", "error_page", "limit_req_log_level")}
    # Each refusal logged at nginx's default level wrote the request line, key and all, to its error log.
    assert perspective["limit_req_log_level"] == "info"
    assert perspective["limit_req_status"] == "429" and perspective["error_page"] == "429 = @perspective_quota"
    refusal = {name: args for blocks, name, args in directives if blocks == ("server", "location")
               and name in ("default_type", "return", "add_header")}
    assert refusal["default_type"] == "application/json" and refusal["add_header"] == "Retry-After 1 always"
    assert refusal["return"].startswith("429 ") and '"status": "RESOURCE_EXHAUSTED"' in refusal["return"]
