"""A test event, sent now, so whoever sets up a site's receiver sees it answer (or why not) at once.

Without it the first event came with the first comment a moderator decided, and a receiver that
refused it was learnt of from the dead letters hours later, after its retries. A test event is
signed like any other and POSTed the same guarded way (the URL policy, then its addresses after
DNS), but it is not stored and never retried: the answer is the result.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import orjson

from sqlalchemy.orm import Session

from moderation.domain.lifecycle import audit
from moderation.domain.status import now
from moderation.domain.webhook_posts import post_all
from moderation.domain.webhook_urls import UrlPolicy, guarded_http
from moderation.domain.webhooks import signed_post, site_refusal
from moderation.models import Site

EVENT = "webhook.test"


@dataclass(frozen=True)
class TestOutcome:
    delivered: bool
    message: str  # what happened, in words an admin acts on
    delivery_id: str | None = None  # "test-…": the X-Moderation-Delivery header it was sent with


def webhook_test_body(site: Site, delivery_id: str) -> dict[str, Any]:
    return {"type": EVENT, "delivery_id": delivery_id, "site": site.name, "occurred_at": now().isoformat()}


def send_and_audit(session: Session, site: Site, *, policy: UrlPolicy, timeout: float, actor: str,
                   paused: bool = False) -> TestOutcome:
    """Send the test event with no transaction held while the receiver takes its time (a pool
    connection and a snapshot for up to twice `timeout`: a security review), then audit it and
    commit. The admin page and `moderation webhooks test` both."""
    session.expunge(site)
    session.rollback()
    outcome = send_test_event(site, policy=policy, timeout=timeout, paused=paused)
    audit(session, actor, "site:webhook_test_sent", site_id=site.id, site=site.name, delivered=outcome.delivered,
          result=outcome.message)
    session.commit()
    return outcome


def send_test_event(site: Site, *, policy: UrlPolicy, timeout: float, http: Any = None,
                    paused: bool = False) -> TestOutcome:
    """POST a signed `webhook.test` event to the site's webhook URL and say how it answered."""
    if paused:  # a copy of the database (WEBHOOKS_PAUSED) has the live site's URL and secret
        return TestOutcome(False, "not sent: webhooks are paused here (WEBHOOKS_PAUSED)")
    if not site.webhook_url:
        return TestOutcome(False, f"not sent: {site.name} has no webhook URL; set one on its admin page first")
    refused = site_refusal(site, policy)
    if refused is not None:
        return TestOutcome(False, f"not sent: {refused[0]}")
    delivery_id = f"test-{secrets.token_hex(6)}"
    body = orjson.dumps(webhook_test_body(site, delivery_id), option=orjson.OPT_SORT_KEYS)
    started = time.monotonic()
    error = post_all([signed_post(site, body, delivery_id)], timeout=timeout,
                     http=http if http is not None else guarded_http(policy))[0]
    took = f"{(time.monotonic() - started) * 1000:.0f} ms"
    if error is not None:
        return TestOutcome(False, f"{site.webhook_url} did not take it ({took}): {in_words(error)}", delivery_id)
    return TestOutcome(True, f"{site.webhook_url} answered 2xx in {took}", delivery_id)


# What a failed POST was, in a fixed word or two: the error's own text could carry what the peer
# sent (an SSH server's greeting, through BadStatusLine) and what the resolver answered, so a test
# was a banner grabber from inside the network (a security review).
_KINDS = {"NewConnectionError": "the connection was refused or could not be made",
          "ConnectTimeoutError": "no connection in time", "ReadTimeoutError": "no answer in time",
          "NameResolutionError": "the host name does not resolve", "SSLError": "the TLS handshake failed",
          "ProtocolError": "the receiver did not answer in HTTP"}


def in_words(error: str) -> str:
    if error.startswith("HTTP "):  # "HTTP 503", "HTTP 302 (redirects are not followed)": the receiver's own answer
        return error
    if error.startswith("Timeout"):
        return "no complete answer in time"
    if error.startswith("refused to connect"):
        return "refused: the address the host name gives is not one webhooks may reach (WEBHOOK_ALLOWED_NETWORKS)"
    return _KINDS.get(error.split(":", 1)[0], "the POST failed")
