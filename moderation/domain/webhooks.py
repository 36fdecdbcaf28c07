"""Delivering status-change events to a site's webhook URL, signed.

Each POST carries:
    X-Moderation-Timestamp: <unix seconds>
    X-Moderation-Signature: v1=<hex HMAC-SHA256(webhook_secret, "<timestamp>.<raw body>")>
        (during a secret rotation's grace period: "v1=<new secret's>,v1=<old secret's>")
    X-Moderation-Delivery: <delivery id>  (the same on every retry: use it to ignore repeats)

A site verifies with `verify_signature` below (copy it; it needs only the standard library),
against the raw request body as received, before parsing it. Events may arrive out of order (a
retry lands after a later change): apply one only if its "version" is newer than the one you hold.

Delivery happens in its own task, or from the scoring task for an endpoint that answered fast
last time (moderation/domain/direct_delivery.py), so a slow or failing endpoint never delays
scoring by more than one short timeout. A delivery is claimed with an advisory lock on its id
while it is POSTed: a second task for the same delivery (a redelivered message, the sweep) skips
it while it is in flight and finds `delivered_at` set afterwards, so a success is POSTed once
(unless the worker dies between the POST and the commit: sites dedupe on X-Moderation-Delivery).
Not a row lock: that gives the transaction an id for as long as the POSTs take, and every site's
changes feed reads only below the oldest such id (domain/change_feed.py), so one site's slow
receiver held the others' feeds back. Failures are counted on the row;
after `max_retries` retries, `backoff_base` doubling up to `backoff_max` apart, the delivery is
marked failed: a dead letter, listed on /admin and replayable (moderation/domain/dead_letters.py).
Every attempt checks the URL against the webhook URL policy (moderation/domain/webhook_urls.py).
"""
from __future__ import annotations

import hashlib
import hmac
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import orjson
from sqlalchemy import false, select, text, update
from sqlalchemy.orm import Session

from moderation.domain.errors import ValidationFailed
from moderation.domain.json_rows import RowUpdate
from moderation.domain.settings import domain_settings
from moderation.domain.status import now
from moderation.domain.webhook_health import EndpointHealth
from moderation.domain.webhook_posts import PARALLEL_POSTS, Outgoing, post_all
from moderation.domain.webhook_urls import UrlPolicy, check_webhook_url, guarded_http
from moderation.models import Site, WebhookDelivery
from moderation.observability import metrics

SIGNATURE_VERSION = "v1"
MAX_ERROR_LENGTH = 500
DEFAULT_BACKOFF_MAX = 3600.0


def sign(secret: str, body: bytes, timestamp: int) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def verify_signature(
    secret: str,
    body: bytes,
    timestamp: str | int,
    signature: str,
    tolerance: int = 300,
    at: float | None = None,
) -> bool:
    """True when `signature` is ours for this raw body and the timestamp is recent.

    The tolerance (seconds) bounds how long a captured request could be replayed. While a secret
    rotation's grace period lasts the header carries two signatures ("v1=<new>,v1=<old>"): one
    made with the secret you hold is enough.
    """
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    current = time.time() if at is None else at
    if abs(current - ts) > tolerance:
        return False
    expected = sign(secret, body, ts).encode()
    candidates = [part.strip().encode() for part in (signature or "").split(",")]
    return any([hmac.compare_digest(expected, candidate) for candidate in candidates])


def signature_header(site: Site, body: bytes, timestamp: int) -> str:
    """The new secret's signature, and the previous secret's while its grace period lasts."""
    signatures = [sign(site.webhook_secret, body, timestamp)]
    expires = site.previous_webhook_secret_expires_at
    if site.previous_webhook_secret and expires is not None and expires > now():
        signatures.append(sign(site.previous_webhook_secret, body, timestamp))
    return ",".join(signatures)


def event_body(delivery: WebhookDelivery) -> bytes:
    """Compact UTF-8 JSON with sorted keys (orjson: several times faster than json.dumps, on every POST)."""
    payload: dict[str, Any] = {"delivery_id": delivery.id, **delivery.event}
    return orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)


@dataclass(frozen=True)
class Outcome:
    state: str  # "delivered", "skipped" (done, failed, gone or in flight), "retry", "failed", or
    # "later": not tried, its site's endpoint slow enough that the site's next turn sends it
    # (domain/webhook_turns.py)
    retry_in: float | None = None
    error: str | None = None
    site_id: int | None = None  # whose endpoint: retries are sent on together, one task per site
    bulk: bool = False  # in the site's bulk lane (dispatch.py)


def deliver(
    session: Session,
    delivery_id: int,
    *,
    timeout: float,
    max_retries: int,
    backoff_base: float,
    backoff_max: float = DEFAULT_BACKOFF_MAX,
    policy: UrlPolicy | None = None,
    http: Any = None,
    health: EndpointHealth | None = None,
    paused: bool = False,
) -> Outcome:
    """POST one delivery and record the result (commits). Raises nothing for HTTP trouble."""
    return deliver_many(session, [delivery_id], timeout=timeout, max_retries=max_retries,
                        backoff_base=backoff_base, backoff_max=backoff_max, policy=policy,
                        http=http, health=health, paused=paused).get(delivery_id, Outcome("skipped"))


def deliver_many(
    session: Session,
    delivery_ids: list[int],
    *,
    timeout: float,
    max_retries: int,
    backoff_base: float,
    backoff_max: float = DEFAULT_BACKOFF_MAX,
    policy: UrlPolicy | None = None,
    http: Any = None,
    health: EndpointHealth | None = None,
    in_hand: Sequence[WebhookDelivery] = (),
    yield_after: float | None = None,
    yield_if: Callable[[], bool] | None = None,
    paused: bool = False,
) -> dict[int, Outcome]:
    """Deliver events and record every result in one commit.

    Rows are claimed for the length of the batch, so a second task for the same delivery (a
    redelivered message, the sweep) skips them. Each site's events go in id order, those of its
    bulk lane (an import's, dispatch.py) after the others, its first one alone and then
    PARALLEL_POSTS at a time (so they may arrive slightly out of order, which the version rule
    already covers). Once a site's endpoint fails, the rest of that site's events are
    not POSTed: each waits as long as the one that failed (`_defer`), so a dead endpoint costs one
    timeout per round of retries rather than one per event (a hanging one, given a task per event,
    held the workers for minutes), and other sites still get theirs.

    `policy` defaults to the session's settings (DomainSettings.url_policy); `http` to a pool
    manager that enforces it after DNS (webhook_urls.guarded_http). `health`, if given, learns how each site's endpoint answered.
    `in_hand`: the rows themselves, just committed in this session (a scored batch's events), so
    only their locks are read, not the rows and their sites again. `yield_after`: seconds of POSTing
    a site's events after which the rest are left untried ("later") when `yield_if()` says so (always,
    if not given); after `timeout` they are in any case.
    `paused` (WEBHOOKS_PAUSED, a copy of the database): nothing is claimed, POSTed or recorded, so
    each event waits as it was, and the sweep sends it again once a start is not paused.
    """
    if paused:
        return {}
    if policy is None:
        policy = domain_settings(session).url_policy
    if http is None:
        http = guarded_http(policy)
    if in_hand:
        deliveries, sites = _claim_in_hand(session, in_hand)
    else:
        claimed = claim(session, delivery_ids)
        deliveries = list(session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.id.in_(claimed))
            .order_by(WebhookDelivery.bulk, WebhookDelivery.id)
            .execution_options(populate_existing=True)
        )) if claimed else []
        sites = {site.id: site for site in session.scalars(
            select(Site).where(Site.id.in_({d.site_id for d in deliveries}))
        )}
    outcomes: dict[int, Outcome] = {}
    schedule = _Schedule(max_retries, backoff_base, backoff_max)
    by_site: dict[int, list[WebhookDelivery]] = {}
    for delivery in deliveries:
        if delivery.delivered_at is not None or delivery.failed:
            outcomes[delivery.id] = Outcome("skipped")
        else:
            by_site.setdefault(delivery.site_id, []).append(delivery)
    order = sorted(by_site, key=health.order) if health is not None else list(by_site)
    recovered = []
    for site_id in order:
        # An event whose own POST had failed, now delivered with none failing: the endpoint is back. Not
        # one merely kept back ("not sent: ..."): behind an event the endpoint refuses, those are taken
        # every round, and counted as recovery they pulled the refused one forward each time, its
        # backoff spent in seconds (a security review).
        retried = {d.id for d in by_site[site_id] if d.last_error is not None and not d.last_error.startswith("not sent")}
        outcomes.update(_deliver_site(by_site[site_id], sites.get(site_id), schedule, timeout=timeout, policy=policy,
                                      http=http, health=health, yield_after=yield_after, yield_if=yield_if,
                                      still_sendable=lambda site: _still_sendable(session, site)))
        states = {outcomes[d.id].state for d in by_site[site_id]}
        if any(outcomes[i].state == "delivered" for i in retried) and not states & {"retry", "failed"}:
            recovered.append(site_id)
    _RECORDED.write_and_release(session, [d for d in deliveries if outcomes[d.id].state not in _UNCHANGED])
    metrics.webhook_outcomes(session, [o.state for o in outcomes.values() if o.state not in _UNCHANGED])
    due = _due_now(session, recovered)
    session.commit()
    if due:
        from moderation.domain.dispatch import resend_webhooks  # dispatch's protocol names this module's rows

        resend_webhooks(session, due)
    return outcomes


# Events pulled forward at once when an endpoint comes back; the rest follow at the next success.
PULL_FORWARD = 5000


def _due_now(session: Session, site_ids: Sequence[int]) -> list[WebhookDelivery]:
    """The recovered sites' events still waiting out a backoff, made due now, oldest first. Each had
    kept its own schedule, so after an outage the oldest arrived last, up to WEBHOOK_BACKOFF_MAX (an
    hour) after the endpoint answered again (an integrator's walk: 2.5 minutes after a 3-minute outage)."""
    due: list[WebhookDelivery] = []
    for site_id in site_ids:
        waiting = (select(WebhookDelivery.id)
                   .where(WebhookDelivery.site_id == site_id, WebhookDelivery.delivered_at.is_(None),
                          WebhookDelivery.failed == false(), WebhookDelivery.next_attempt_at > now())
                   .order_by(WebhookDelivery.created_at, WebhookDelivery.id).limit(PULL_FORWARD)
                   .with_for_update(skip_locked=True))
        due += session.scalars(
            update(WebhookDelivery).where(WebhookDelivery.id.in_(waiting.scalar_subquery()))
            .values(next_attempt_at=now()).returning(WebhookDelivery)
            .execution_options(synchronize_session=False)).all()
    return sorted(due, key=lambda d: (d.created_at, d.id))


_UNCHANGED = ("skipped", "later")
# What recording a POST's outcome changes on its row (_record, _give_up): a batch's rows in one
# statement (json_rows.py), where the unit of work's executemany took a third more of a scoring
# task's delivery CPU.
# A row closed meanwhile (its site deactivated: sites.set_site_active, which does not wait for a
# POST in flight) stays closed, unless this POST delivered it.
_RECORDED = RowUpdate(WebhookDelivery.__tablename__, {
    "attempts": "integer", "delivered_at": "timestamptz", "last_error": "text",
    "next_attempt_at": "timestamptz", "failed": "boolean"},
    where="(NOT webhook_deliveries.failed OR v.delivered_at IS NOT NULL)")


# The advisory locks' first key; the second is the delivery's id, cut to 31 bits (two deliveries
# 2**31 ids apart are never in flight together).
DELIVERY_LOCK = 0x7768  # "wh"
_CLAIM = text("SELECT k FROM unnest(CAST(:ids AS bigint[])) AS k "
              "WHERE pg_try_advisory_xact_lock(:ns, CAST(k & 2147483647 AS integer))")


def claim(session: Session, ids: Sequence[int]) -> list[int]:
    """The ids no other transaction holds, now held by this one until it ends. An advisory lock
    takes no transaction id (a row lock does: see the module's docstring). Read the rows after
    this, in a statement of their own, to see what the last holder committed."""
    if not ids:
        return []
    return list(session.scalars(_CLAIM, {"ids": sorted(set(ids)), "ns": DELIVERY_LOCK}))


def _claim_in_hand(session: Session, in_hand: Sequence[WebhookDelivery]
                   ) -> tuple[list[WebhookDelivery], dict[int, Site | None]]:
    """Claim the undelivered ones among rows this session holds. Reading the rows again cost the scoring
    task two statements and their events' JSON per batch; their sites are read again, in one statement:
    as the session held them, a site deactivated while its batch was scored still got its events (a
    re-check: 17 arrived after `keys deactivate` had answered)."""
    claimed = claim(session, [d.id for d in in_hand])
    waiting = set(session.scalars(
        select(WebhookDelivery.id)
        .where(WebhookDelivery.id.in_(claimed), WebhookDelivery.delivered_at.is_(None),
               WebhookDelivery.failed == false())
    )) if claimed else set()
    deliveries = sorted((d for d in in_hand if d.id in waiting), key=lambda d: (d.bulk, d.id))
    wanted = {d.site_id for d in deliveries}
    sites = {site.id: site for site in session.scalars(
        select(Site).where(Site.id.in_(wanted)).execution_options(populate_existing=True))} if wanted else {}
    return deliveries, {site_id: sites.get(site_id) for site_id in wanted}


def _still_sendable(session: Session, site: Site) -> bool:
    """The site is active still, at the URL its events are being sent to (a statement of its own: it
    sees what committed since the batch began). Not flushing the outcomes recorded so far: written,
    they would give the transaction an id, and lock their rows, for the rest of the turn."""
    with session.no_autoflush:
        row = session.execute(select(Site.active, Site.webhook_url).where(Site.id == site.id)).first()
    return row is not None and row.active and row.webhook_url == site.webhook_url


# How often a site's turn looks again whether the site is still active at the same URL. A claim does
# not make a deactivation wait, as the rows' locks had, so a turn went on POSTing new chunks to the
# departed site for seconds after `keys deactivate` answered (a security review: 24 POSTs, 2.4 s).
RECHECK_SECONDS = 0.25


def _deliver_site(queue: list[WebhookDelivery], site: Site | None, schedule: "_Schedule", *, timeout: float,
                  policy: UrlPolicy, http: Any, health: EndpointHealth | None = None,
                  yield_after: float | None = None, yield_if: Callable[[], bool] | None = None,
                  still_sendable: Callable[[Site], bool] | None = None) -> dict[int, Outcome]:
    """One site's events in order: the first alone, then PARALLEL_POSTS at a time, until one fails."""
    refusal = site_refusal(site, policy)  # once for the site, not per event: the check parses the URL each time
    if refusal is not None:
        why, counts_as_attempt = refusal
        return {d.id: _give_up(d, why, attempted=counts_as_attempt) for d in queue}
    outcomes: dict[int, Outcome] = {}
    # A whole POST is cut off at twice the timeout (webhook_posts); a probe still out after that is gone.
    if health is not None and not health.may_post(site.id, wait=schedule.backoff_base, probe_for=2 * timeout + 1):
        why = "not sent: the endpoint failed just now, and is tried again once at a time"
        return {d.id: _defer(d, why, schedule, schedule.backoff_base, site.id) for d in queue}
    window, start = 1, 0  # the first alone: a dead endpoint costs one timeout per batch
    probed = False
    began = checked = time.monotonic()
    while start < len(queue):
        elapsed = time.monotonic() - began
        if start and still_sendable is not None and time.monotonic() - checked >= RECHECK_SECONDS:
            checked = time.monotonic()
            if not still_sendable(site):
                # Deactivated (its rows closed) or sent elsewhere now: the rest wait for the next turn,
                # which reads the site afresh.
                for delivery in queue[start:]:
                    outcomes[delivery.id] = Outcome("later", site_id=site.id, bulk=delivery.bulk)
                break
        if start and (elapsed > timeout or (yield_after is not None and elapsed > yield_after
                                            and (yield_if is None or yield_if()))):
            # Slow but answering (a body sent a byte a second), or a turn's time is up: the rest wait
            # for the site's next turn, so one endpoint holds neither this task's other sites nor a
            # worker for long.
            for delivery in queue[start:]:
                outcomes[delivery.id] = Outcome("later", site_id=site.id, bulk=delivery.bulk)
            break
        chunk = queue[start:start + window]
        start += len(chunk)
        # Only the POSTs run in threads; the rows are changed here, in the session's thread.
        started = time.monotonic()
        errors = post_all([_outgoing(site, delivery) for delivery in chunk], timeout=timeout, http=http)
        # One taken is an endpoint that answers: the ones it failed wait, the rest go on (below).
        answering = any(error is None for error in errors)
        if health is not None:
            health.record(site.id, ok=answering, seconds=time.monotonic() - started)
        for delivery, error in zip(chunk, errors, strict=True):
            outcomes[delivery.id] = _record(delivery, error, schedule, site.id)
        failed = next((e for e in errors if e is not None), None)
        if failed is not None and start == 1 and chunk[0].attempts > 1 and not probed and start < len(queue):
            # The oldest failed again: the endpoint may be down, or refuse this one event alone. The
            # next is tried by itself before the rest are kept back: kept back behind a refused event,
            # they waited as long as it did, round after round, 12 minutes and counting while events
            # sent since arrived in seconds (an integrator's walk).
            probed = True
            continue
        if failed is not None and answering:
            # Some of the chunk taken: an endpoint failing a share of its POSTs (one bad server of ten
            # behind a balancer) had its site's events kept back at every failure, and got 122 of 600
            # events in a minute (an integrator's walk). The failed ones wait out their own backoff.
            window = PARALLEL_POSTS
            continue
        if failed is not None:
            why = f"not sent: the endpoint failed another event just now ({failed})"
            # As long as the failed ones wait; if one became a dead letter, one backoff_base.
            wait = max((o.retry_in for d in queue[:start] if (o := outcomes[d.id]).state == "retry"
                        and o.retry_in is not None), default=schedule.backoff_base)
            for delivery in queue[start:]:
                outcomes[delivery.id] = _defer(delivery, why, schedule, wait, site.id)
            break
        window = PARALLEL_POSTS
    return outcomes


@dataclass(frozen=True)
class _Schedule:
    max_retries: int
    backoff_base: float
    backoff_max: float

    def wait_after(self, attempts: int) -> float:
        return min(self.backoff_base * 2 ** min(attempts - 1, 60), self.backoff_max)

    def kept_back_wait(self, age: timedelta) -> float:
        """How long an event kept back from a failing endpoint waits, by how long it has waited: about
        half its age, on the schedule's steps (so a round's events share a few waits, each one task).
        At a fixed backoff_base every kept-back event was taken and kept back again every 5 s: 5,000
        events waiting on a dead endpoint cost 529,000 row updates in 15 minutes. Waiting longer
        delays none of them: when the endpoint takes a retried event again, every waiting one is
        due at once (_due_now)."""
        half = age.total_seconds() / 2
        if half < self.backoff_base:
            return 0.0
        return self.wait_after(int(math.log2(half / self.backoff_base)) + 1)

    def span(self) -> float:
        """Seconds from a first failure to giving up, for an event that fails every retry (about 11 hours)."""
        return sum(self.wait_after(attempts) for attempts in range(1, self.max_retries + 1))


def _outgoing(site: Site, delivery: WebhookDelivery) -> Outgoing:
    return signed_post(site, event_body(delivery), str(delivery.id))


def signed_post(site: Site, body: bytes, delivery_id: str) -> Outgoing:
    """The POST of one event body to the site's URL, signed now."""
    timestamp = int(time.time())
    return Outgoing(site.webhook_url or "", body, {
        "Content-Type": "application/json",
        "User-Agent": "civility-moderation-webhook/1",
        "X-Moderation-Timestamp": str(timestamp),
        "X-Moderation-Signature": signature_header(site, body, timestamp),
        "X-Moderation-Delivery": delivery_id,
    })


# The last error of a deactivated site's events (domain/sites.set_site_active): closed, not dead letters.
SITE_DEACTIVATED = "not sent: the site was deactivated"


def site_refusal(site: Site | None, policy: UrlPolicy) -> tuple[str, bool] | None:
    """Why none of the site's events can be POSTed (no URL, or one the policy refuses), and whether
    that counts as an attempt; None if they can. Its events become dead letters: retrying cannot help."""
    if site is None or not site.webhook_url:
        return "the site has no webhook URL any more", False
    if not site.active:
        return SITE_DEACTIVATED, False
    try:
        check_webhook_url(site.webhook_url, policy)
    except ValidationFailed as refused:  # set before the policy existed, or the policy changed
        return f"refused: {refused.message}", True
    return None


def _record(delivery: WebhookDelivery, error: str | None, schedule: _Schedule, site_id: int | None = None) -> Outcome:
    """Record one POST's result on its row (the caller commits)."""
    delivery.attempts += 1
    if error is None:
        delivery.delivered_at = now()
        delivery.last_error = None
        return Outcome("delivered")
    if delivery.attempts > schedule.max_retries:
        return _give_up(delivery, error)
    delivery.last_error = error[:MAX_ERROR_LENGTH]
    retry_in = schedule.wait_after(delivery.attempts)
    delivery.next_attempt_at = now() + timedelta(seconds=retry_in)
    return Outcome("retry", retry_in=retry_in, error=error, site_id=site_id, bulk=delivery.bulk)


def _defer(delivery: WebhookDelivery, why: str, schedule: _Schedule, wait: float, site_id: int) -> Outcome:
    """Not POSTed, because its endpoint failed another event: it waits as long as that one did, and
    no attempt is counted. Counted, an endpoint failing one POST in ten used up the 20 retries of
    thousands of events it was never sent (a backlog after an outage): they became dead letters in
    minutes. One kept from its endpoint for the whole retry span (about 11 hours), the endpoint
    failing still, becomes a dead letter as one sent every time would have."""
    delivery.last_error = why[:MAX_ERROR_LENGTH]
    if now() - delivery.created_at > timedelta(seconds=schedule.span()):
        # Not `why`, which says it will be tried again: a dead letter's error read "is tried again
        # once at a time" on the list of those given up (an operator's walk).
        # Nor "never sent" for one that was POSTed and failed before being kept back (a re-check).
        given_up = "never sent" if not delivery.attempts else f"given up after {delivery.attempts} failed POST(s)"
        return _give_up(delivery, f"{given_up}: its endpoint was failing for the whole retry span "
                                  f"({schedule.span():,.0f} s) since this event was made")
    wait = max(wait, schedule.kept_back_wait(now() - delivery.created_at))
    delivery.next_attempt_at = now() + timedelta(seconds=wait)
    return Outcome("retry", retry_in=wait, error=why, site_id=site_id, bulk=delivery.bulk)


def _give_up(delivery: WebhookDelivery, error: str, *, attempted: bool = False) -> Outcome:
    """A dead letter: kept with its last error for an admin to see and replay."""
    delivery.attempts += attempted
    delivery.failed = True
    delivery.last_error = error[:MAX_ERROR_LENGTH]
    return Outcome("failed", error=error, site_id=delivery.site_id)
