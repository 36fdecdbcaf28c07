"""Sites and their API keys.

A key is "mk_<key_id>_<secret>". Only an argon2 hash of the secret is stored. Argon2 is slow on
purpose (0.1-0.2 s of CPU), far too slow for every request, and when a cached verification
expired in every web thread at once they all ran it together and stalled for most of a second.
So each process remembers, per key (by its SHA-256), the site id and the hash the key was verified
against, and each request checks that against the site's row as site_rows.py keeps it (read at
most every ROW_TTL seconds): the site still active and still holding that hash. Only a changed
row sends the key through argon2 again. One kept row serves both the key check and the request.

Rotation gives the site a new key and keeps the old one valid, under its own key id, until the
grace period ends (the row's end of grace is compared with the clock on every request, so it
holds to the second). Rotating, revoking or deactivating is seen at once in the process that did
it (its flush forgets the row) and by the others within ROW_TTL seconds.

A site may also hold a scoring key, "mks_<key_id>_<secret>", for a Perspective client such as
Coral, whose admins and request logs see it: the Perspective endpoint takes it, the comment API
refuses it (KeyScope), so it cannot list, decide or erase readers' comments. Replacing it keeps the
old one working for a grace period too, scoring-scoped as it was (key_kinds.py: both kinds share it).

Failed checks are counted per key id and per client address by a limiter the caller passes in,
and past its limit a key is refused before argon2 runs: a guessed secret must not buy CPU.
Keys already in this process's cache are not limited, so a site under attack keeps working.
"""
from __future__ import annotations

import hashlib
import logging
import math
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlalchemy import false, or_, select, update
from sqlalchemy.orm import Session

from moderation.domain.errors import KeyScope, NotFound, TooManyAttempts, Unauthorized, ValidationFailed
from moderation.domain.key_kinds import API_KEY, KINDS, SCORING_KEY, KeyKind, new_key, replace_key
from moderation.domain.key_kinds import KeyInGrace as KeyInGrace  # callers catch it from here
from moderation.domain.lifecycle import MODE_MESSAGE, MODES, PRE_MODERATION
from moderation.domain.lookalikes import insert_named, new_name
from moderation.domain.passwords import hash_key_secret, verify_secret
from moderation.domain.storable import unstorable
from moderation.domain.settings import domain_settings
from moderation.domain.site_rows import forget as forget_site_row
from moderation.domain.site_rows import site_row
from moderation.domain.status import audit
from moderation.domain.webhook_urls import UrlPolicy, check_webhook_url
from moderation.domain.webhooks import SITE_DEACTIVATED
from moderation.models import DEFAULT_REPORT_THRESHOLD, Site, WebhookDelivery

log = logging.getLogger(__name__)

KEY_PREFIX = API_KEY.prefix
SCORING_KEY_PREFIX = SCORING_KEY.prefix
_MAX_VERIFIED = 10_000


class Limiter(Protocol):
    """Counts failures per subject (moderation.attempts.AttemptLimiter); sign-in uses it too."""

    limits: dict[str, int]

    def retry_after(self, subjects: dict[str, str | None], now: float | None = None) -> int: ...
    def failures(self, subjects: dict[str, str | None], now: float | None = None) -> tuple[dict[str, int], int]: ...
    def failed(self, subjects: dict[str, str | None], now: float | None = None) -> list[str]: ...
    def vouch(self, token: str) -> None: ...
    def vouched(self, token: str) -> bool: ...


@dataclass(frozen=True)
class _Verified:
    site_id: int
    key_hash: str  # the stored hash the key matched; the site's row must still hold it
    scoring: bool = False  # a scoring key (its prefix, as verified): the comment API refuses it


_verified: dict[str, _Verified] = {}
_verified_lock = threading.Lock()


@dataclass(frozen=True)
class NewSite:
    site: Site
    api_key: str
    webhook_secret: str


MAX_SITE_NAME_LENGTH = 200  # the column's


def check_report_threshold(value: float) -> float:
    """A positive, finite report weight: `keys create --report-threshold 0` (or nan) was stored, which
    the site page refuses, and with nan no number of reports ever reached it (an onboarding review)."""
    if not math.isfinite(value) or value <= 0:
        raise ValidationFailed("report threshold must be a positive number", field="report_threshold")
    if value > MAX_REPORT_THRESHOLD:
        # 1e308 was taken, and no number of reports ever reached it: reports turned off unseen (a walk).
        raise ValidationFailed(f"report threshold must be at most {MAX_REPORT_THRESHOLD:g}: a report weighs 1 or "
                               "2, so past that readers' reports never send a comment to review",
                               field="report_threshold")
    return float(value)


MAX_REPORT_THRESHOLD = 100.0


def create_site(
    session: Session,
    name: str,
    *,
    webhook_url: str | None = None,
    moderation_mode: str = PRE_MODERATION,
    report_threshold: float = DEFAULT_REPORT_THRESHOLD,
    url_policy: UrlPolicy | None = None,
) -> NewSite:
    """A new site with its API key and webhook secret; `url_policy` defaults to the
    session's settings (DomainSettings.url_policy)."""
    if moderation_mode not in MODES:
        raise ValidationFailed(MODE_MESSAGE, field="moderation_mode")
    report_threshold = check_report_threshold(report_threshold)
    # "City-Desk" beside "city-desk" would be two ticks nobody can tell apart in a form.
    name = new_name(session, name, select(Site.name), kind="site", label="name",
                    max_length=MAX_SITE_NAME_LENGTH)
    if webhook_url:
        check_webhook_url(webhook_url, url_policy or domain_settings(session).url_policy)
    key_id, secret = new_key()
    webhook_secret = "whsec_" + secrets.token_urlsafe(32)
    site = Site(
        name=name,
        key_id=key_id,
        key_hash=hash_key_secret(secret),
        webhook_secret=webhook_secret,
        webhook_url=webhook_url,
        moderation_mode=moderation_mode,
        report_threshold=report_threshold,
    )
    insert_named(session, site, name, kind="site", label="name")
    return NewSite(site=site, api_key=f"{KEY_PREFIX}_{key_id}_{secret}", webhook_secret=webhook_secret)


def site_for_key(session: Session, api_key: str | None, *, limiter: Limiter | None = None,
                 address: str | None = None, now: datetime | None = None, scoring_key_ok: bool = False) -> Site:
    """The active site an API key belongs to, or Unauthorized; no query while its row is kept.
    A scoring key is KeyScope unless `scoring_key_ok` (the Perspective endpoint)."""
    if not api_key:
        raise Unauthorized("missing API key")
    digest = hashlib.sha256(api_key.encode("utf-8", "surrogatepass")).hexdigest()
    wall = now or datetime.now(timezone.utc)
    with _verified_lock:
        known = _verified.get(digest)
    if known is not None:
        site = site_row(session, known.site_id)
        if site is not None and site.active and _holds(site, known.key_hash, wall):
            return _in_scope(site, known.scoring, scoring_key_ok)
        with _verified_lock:
            _verified.pop(digest, None)
    verified = _verify_limited(session, api_key, limiter, address, wall, digest)
    with _verified_lock:
        if len(_verified) >= _MAX_VERIFIED:
            _verified.clear()
        _verified[digest] = verified
    site = site_row(session, verified.site_id)
    if site is None or not site.active:
        raise Unauthorized("invalid API key")
    return _in_scope(site, verified.scoring, scoring_key_ok)


def site_id_for_key(session: Session, api_key: str | None, *, limiter: Limiter | None = None,
                    address: str | None = None, now: datetime | None = None, scoring_key_ok: bool = False) -> int:
    return site_for_key(session, api_key, limiter=limiter, address=address, now=now, scoring_key_ok=scoring_key_ok).id


def _in_scope(site: Site, scoring: bool, scoring_key_ok: bool) -> Site:
    # By the key as verified, not by the site's row: a process's copy of the row, up to ROW_TTL old,
    # did not yet hold a scoring key just issued, and the key read the comment API for 2 s (a
    # security review).
    if scoring and not scoring_key_ok:
        raise KeyScope(f"this is {site.name}'s scoring key ({SCORING_KEY_PREFIX}_…): it reaches the Perspective "
                       f"endpoint, /v1alpha1, only; the comment API takes the site's API key ({KEY_PREFIX}_…)")
    return site


def _holds(site: Site, key_hash: str, wall: datetime) -> bool:
    """The site still takes a key verified against `key_hash`: a current one of either kind, or one
    in its grace period."""
    return any(kind.holds(site, key_hash, wall) for kind in KINDS.values())


def _verify_limited(session: Session, api_key: str, limiter: Limiter | None, address: str | None,
                    wall: datetime, digest: str) -> _Verified:
    parts = api_key.split("_", 2)
    subjects = {"key": parts[1][:32] if len(parts) == 3 else None, "addr": address}
    if limiter is not None:
        failures, retry_after = limiter.failures(subjects)
        over = {kind for kind, count in failures.items() if count >= limiter.limits[kind]}
        # An address over its limit still lets through key ids that have not failed in this window:
        # otherwise one site's mistyped secret, sent with every comment, locks out every other site
        # behind the same address (an office, a proxy, a host) whose key this process has not cached
        # yet, as after each restart. A guesser there gets one try per key id it knows.
        # The key's own holder is let past a lockout of its id that guessers caused, once any process
        # has seen this very key pass: locked out, a site's real key was refused by every web process
        # that had not cached it, after each restart, for as long as 20 wrong secrets a minute came
        # (an integrator's walk; the key id is printed by `keys list` and sits in every key).
        if ("key" in over or ("addr" in over and failures.get("key"))) and not limiter.vouched(digest):
            raise TooManyAttempts(f"too many failed API key checks; retry after {retry_after} seconds",
                                  retry_after=retry_after)
    try:
        verified = _verify(session, parts, wall)
    except _CannotSucceed:
        # No secret opens a revoked, expired or unknown key, so trying one is not guessing: counted,
        # a site still sending its revoked key (or a typo) locked out every other key behind its address.
        raise
    except Unauthorized:
        if limiter is not None:
            for kind in limiter.failed(subjects):
                log.warning("API key checks locked for this window: %s %s (from %s)", kind, subjects[kind], address)
        raise
    if limiter is not None:
        limiter.vouch(digest)  # once per process and key: verified keys are kept (_verified)
    return verified


class _CannotSucceed(Unauthorized):
    """A key that no secret opens: not of our shape, of no site, of a site turned off, revoked or expired."""


def _verify(session: Session, parts: list[str], wall: datetime) -> _Verified:
    # A NUL (or an unpaired surrogate) is in no key we issue, and PostgreSQL refuses it in a query.
    if len(parts) != 3 or parts[0] not in KINDS or unstorable(parts):
        raise _CannotSucceed("invalid API key")
    kind, key_id, secret = KINDS[parts[0]], parts[1], parts[2]
    # The row as it is now, not a copy this session holds (site_rows): a key issued by another process
    # within the copy's ROW_TTL was refused with 401 and counted as a failed check (a security review).
    site = session.scalars(select(Site).where(or_(kind.column("id") == key_id, kind.column("previous_id") == key_id))
                           .execution_options(populate_existing=True)).first()
    if site is None or not site.active:
        raise _CannotSucceed("invalid API key")
    stored = kind.stored_hash(site, key_id, wall)
    if not stored:  # revoked, or past its grace: refused without hashing
        raise _CannotSucceed("invalid API key")
    if not verify_secret(stored, secret):
        raise Unauthorized("invalid API key")
    return _Verified(site.id, stored, scoring=kind is SCORING_KEY)


def forget_verified_keys() -> None:
    """For tests: start from an empty cache."""
    with _verified_lock:
        _verified.clear()
    forget_site_row()


def forget_site_keys(site_id: int) -> None:
    """This process stops trusting its cached checks of the site's keys (after a rotation or revocation)."""
    with _verified_lock:
        for digest in [d for d, v in _verified.items() if v.site_id == site_id]:
            del _verified[digest]
    forget_site_row(site_id)


def rotate_key(session: Session, site: Site, *, grace: timedelta, actor: str, now: datetime | None = None,
               expected_key_id: str | None = None, replace_previous: bool = False) -> str:
    """A new key for the site, returned once; the current one stays valid for `grace`. At most two
    keys work at a time: KeyInGrace while an earlier rotated-out key is in its grace, unless
    `replace_previous`; Conflict if the current key is not `expected_key_id` (key_kinds.replace_key).
    The caller commits."""
    new = replace_key(session, site, API_KEY, grace=grace, now=now or datetime.now(timezone.utc),
                      expected_key_id=expected_key_id, replace_previous=replace_previous)
    # The keys named: "which key did the leak's revocation end?" had to be read off earlier rows (an incident walk).
    audit(session, actor, "site:key_rotated", site_id=site.id, site=site.name, key_id=new.key_id,
          previous_key_id=new.rotated_out, ended_key_ids=new.ended,
          previous_valid_until=new.valid_until.isoformat() if new.valid_until else None)
    session.flush()
    forget_site_keys(site.id)
    return new.key


def issue_scoring_key(session: Session, site: Site, *, actor: str, grace: timedelta = timedelta(hours=24),
                      now: datetime | None = None, expected_key_id: str | None = None,
                      replace_previous: bool = False) -> str:
    """A new scoring key for the site, returned once; one it had stays valid for `grace`, as
    `rotate_key` keeps an API key, and is refused the same way. The default is the shell's and the
    page's: ending the old key too soon is what let comments through unscored. The caller commits."""
    replaced = bool(site.scoring_key_hash)
    new = replace_key(session, site, SCORING_KEY, grace=grace, now=now or datetime.now(timezone.utc),
                      expected_key_id=expected_key_id, replace_previous=replace_previous)
    audit(session, actor, "site:scoring_key_issued", site_id=site.id, site=site.name, key_id=new.key_id,
          replaced=replaced, previous_key_id=new.rotated_out, ended_key_ids=new.ended,
          previous_valid_until=new.valid_until.isoformat() if new.valid_until else None)
    session.flush()
    forget_site_keys(site.id)
    return new.key


def revoke_scoring_key(session: Session, site: Site, *, actor: str, previous_only: bool = False,
                       now: datetime | None = None) -> None:
    """End the site's scoring key and the one it replaced now (or only that one); its API key goes
    on working. The caller commits."""
    ended = SCORING_KEY.end_previous(site, now or datetime.now(timezone.utc))
    if not previous_only:
        ended = SCORING_KEY.end_current(site) + ended
    audit(session, actor, "site:key_revoked", site_id=site.id, site=site.name,
          which="previous_scoring" if previous_only else "scoring", ended_key_ids=ended)
    session.flush()
    forget_site_keys(site.id)


def revoke_keys(session: Session, site: Site, *, actor: str, previous_only: bool = False,
                now: datetime | None = None) -> None:
    """End the site's keys now, of both kinds, or only the rotated-out API key; `rotate_key` issues
    a new one. The caller commits.

    `previous_only` leaves a replaced scoring key in its grace: it is what a refused second rotation
    tells an admin to run, and ending the key Coral still sends publishes Coral's comments unscored
    (a re-check); `revoke_scoring_key(previous_only=True)` ends that one."""
    now = now or datetime.now(timezone.utc)
    if previous_only:
        ended = API_KEY.end_previous(site, now)
    else:
        ended = [key for kind in KINDS.values() for key in kind.end_current(site)] + \
            [key for kind in KINDS.values() for key in kind.end_previous(site, now)]
    audit(session, actor, "site:key_revoked", site_id=site.id, site=site.name,
          which="previous" if previous_only else "all", ended_key_ids=ended)
    session.flush()
    forget_site_keys(site.id)


def set_site_active(session: Session, site: Site, *, active: bool, actor: str) -> int:
    """Offboard a site, or take it back. An inactive site's keys are refused, its comments are out
    of every queue and picker, and its webhook events are not sent: those waiting are closed as
    failed, and are not dead letters to replay (an agency offboarding a customer found no way to,
    and 501 events kept retrying to the departed site's URL). Its data stays until erased or
    reactivated. Returns how many waiting events were closed. The caller commits."""
    closed = 0
    if site.active != active:
        site.active = active
        if not active:
            closed = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.site_id == site.id, WebhookDelivery.delivered_at.is_(None),
                       WebhookDelivery.failed == false())
                .values(failed=True, next_attempt_at=None, last_error=SITE_DEACTIVATED)).rowcount
        audit(session, actor, "site:activated" if active else "site:deactivated", site_id=site.id, site=site.name,
              webhook_events_closed=closed)
        session.flush()
        forget_site_keys(site.id)
    return closed


def key_summary(site: Site, now: datetime | None = None) -> dict[str, object]:
    """What an admin may see of a site's keys: ids and dates, never a secret or a hash. "previous"
    and "previous_scoring" are the rotated-out keys still in their grace, with the ends of it."""
    now = now or datetime.now(timezone.utc)

    def shown(kind: KeyKind, key_id: str | None) -> str | None:
        return kind.shown(key_id) if key_id else None

    previous, previous_scoring = API_KEY.previous(site, now), SCORING_KEY.previous(site, now)
    return {
        "current": shown(API_KEY, API_KEY.current(site)),
        "previous": shown(API_KEY, previous),
        "previous_valid_until": site.previous_key_expires_at if previous else None,
        "scoring": shown(SCORING_KEY, SCORING_KEY.current(site)),
        "previous_scoring": shown(SCORING_KEY, previous_scoring),
        "previous_scoring_valid_until": site.previous_scoring_key_expires_at if previous_scoring else None,
    }


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
MAX_GRACE = timedelta(days=90)


def parse_grace(text: str, maximum: timedelta = MAX_GRACE) -> timedelta:
    """"24h", "30m", "7d", "90s" or "0" as a grace period of at most `maximum`, or ValidationFailed."""
    raw = text.strip().lower()
    number, unit = (raw[:-1], raw[-1]) if raw and raw[-1] in _UNITS else (raw, "s")
    if not (number.isascii() and number.isdigit()) or len(number) > 7:
        raise ValidationFailed("grace period must look like 24h, 30m, 7d or 0", field="grace")
    grace = timedelta(seconds=int(number) * _UNITS[unit])
    if grace > maximum:
        raise ValidationFailed(f"grace period must be at most {maximum.days} days", field="grace")
    return grace


def site_named(session: Session, name: str) -> Site:
    site = session.scalar(select(Site).where(Site.name == name))
    if site is None:
        raise NotFound(f"no site named {name!r}", field="name")
    return site


def site_labels(session: Session, site_ids: Iterable[int | None]) -> dict[int, str]:
    """How a log line names each site: "'flood' (2)". By number alone, an operator had to look each
    one up (an operator's walk). One query."""
    known = {i for i in site_ids if i is not None}
    if not known:
        return {}
    return {site_id: f"{name!r} ({site_id})"
            for site_id, name in session.execute(select(Site.id, Site.name).where(Site.id.in_(known)))}


def set_webhook_url(session: Session, site: Site, url: str | None, *, actor: str) -> bool:
    """Point the site's webhooks at `url` (None: none), checked as on /admin, audited as a setting
    changed there; whether it changed. A deployment moving its receiver had only the admin page to
    do it from (a Node integrator's walk). Events waiting go to the new URL. The caller commits."""
    url = (url or "").strip() or None
    if url is not None:
        check_webhook_url(url, domain_settings(session).url_policy)
    if url == site.webhook_url:
        return False
    audit(session, actor, "site:settings_changed", site_id=site.id, site=site.name, setting="webhook_url",
          old=site.webhook_url, new=url)
    site.webhook_url = url
    forget_site_row(site.id)
    return True
