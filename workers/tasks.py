"""Celery tasks: thin adapters that take ids, call one domain function, and retry on transient errors.

Each runs inside a Flask app context (moderation.celery_app.FlaskTask), so `db.session` is a
fresh session per task, removed when the task ends.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_init
from flask import current_app
from sqlalchemy.exc import DBAPIError, OperationalError
import urllib3

from moderation import db
from moderation.celery_app import TRAINING_QUEUE, WEBHOOK_QUEUE
from moderation.domain import direct_delivery, drift, retention, scoring, sweep as sweeping, webhook_turns, webhooks
from moderation.heartbeats import note_sweep
from moderation.long_lived import freeze_startup_objects
from moderation.domain.dispatch import HelperTurn, ScoringTurn, dispatcher
from moderation.domain.settings import domain_settings
from moderation.domain.sites import site_labels
from moderation.domain.webhook_health import EndpointHealth
from moderation.domain.webhook_urls import UrlPolicy, guarded_http
from moderation.scorer import get_provider, preload

log = logging.getLogger(__name__)

# Database restarts and dropped connections: worth another try shortly.
TRANSIENT = (OperationalError,)
# One task claims batch after batch while comments come; past this it sends a fresh task, so
# webhook retries and other tasks queued meanwhile get their turn.
MAX_BATCHES_PER_TASK = 50
# Keep-alive to sites' webhook endpoints; a pool process runs one task at a time. The pool manager
# checks every address it connects to against the webhook URL policy.
_http: dict[UrlPolicy, urllib3.PoolManager] = {}
# Longer waits than this are not held in the broker (a countdown past its visibility timeout is
# redelivered early): the delivery row keeps its due time and the sweep sends it then.
MAX_TASK_COUNTDOWN = 300.0
# How each site's endpoint answered this process: scoring POSTs the events of fast ones itself.
_health = EndpointHealth()


@worker_init.connect
def _load_model_before_forking(sender: object = None, **_: object) -> None:
    """Load the model once in the parent, so pool processes share it and the first batch is not slow.
    Not in the trainer or the webhook worker, which never score: they would only hold the model's
    memory and start slower."""
    queues = set(sender.app.amqp.queues.consume_from or ()) if sender is not None else set()
    if queues and (queues <= {TRAINING_QUEUE} or queues <= {WEBHOOK_QUEUE}):
        return
    from workers.entry import flask_app  # only in a worker process: importing it builds the app

    try:
        with flask_app.app_context():
            log.info("loaded model %s", preload(flask_app).version)
    except Exception:  # a missing model must not stop webhooks and the sweep; scoring retries the load
        log.exception("could not load the model at start; will try again when scoring")
    # The pool forks after this: its processes inherit the app and the model out of the collector's way.
    freeze_startup_objects()


def _shadow_getter():
    """The model provider's shadow (app.extensions["models"], domain/model_registry.py), if this
    app has one: scoring calls it once, after its batches, and it returns None when no version is
    in shadow. Without a provider there is no shadow."""
    provider = current_app.extensions.get("models")
    shadow = getattr(provider, "shadow", None)
    return shadow if callable(shadow) else None


def _webhook_settings() -> dict[str, object]:
    config = current_app.config
    policy = domain_settings(db.session).url_policy  # built once by create_app from the same config
    if policy not in _http:
        _http[policy] = guarded_http(policy)
    return dict(timeout=config["WEBHOOK_TIMEOUT"], max_retries=config["WEBHOOK_MAX_RETRIES"],
                backoff_base=config["WEBHOOK_BACKOFF_BASE"], backoff_max=config["WEBHOOK_BACKOFF_MAX"],
                policy=policy, http=_http[policy], paused=config.get("WEBHOOKS_PAUSED", False))


def _follow_up(outcomes: dict[int, webhooks.Outcome]) -> None:
    """The events that must wait go on together, one task per site and wait, so a failing endpoint
    costs one timeout a round; longer waits, and any the broker cannot take now, are left to the
    sweep (the row keeps its due time). Those a slow endpoint left untried wait for its site's turn."""
    rounds: dict[tuple[int | None, float, bool], list[int]] = {}
    later: dict[bool, dict[int, list[int]]] = {}  # by lane, then site
    not_sent = 0
    # One warning per site and error, naming the site: an SRE's walk found the failures only at INFO,
    # one line per event and no site, so a failing endpoint never showed in a WARNING grep.
    failed: dict[tuple[int | None, str], list[tuple[int, float]]] = {}
    dead: dict[tuple[int | None, str], list[int]] = {}  # ... and one per site and error for dead letters
    for delivery_id, outcome in outcomes.items():
        if outcome.state == "retry":
            if (outcome.error or "").startswith("not sent:"):
                not_sent += 1
            else:
                failed.setdefault((outcome.site_id, outcome.error or ""), []).append((delivery_id, outcome.retry_in))
        elif outcome.state == "failed":
            dead.setdefault((outcome.site_id, outcome.error or ""), []).append(delivery_id)
        if outcome.state == "retry" and outcome.retry_in <= MAX_TASK_COUNTDOWN:
            rounds.setdefault((outcome.site_id, outcome.retry_in, outcome.bulk), []).append(delivery_id)
        elif outcome.state == "later" and outcome.site_id is not None:
            later.setdefault(outcome.bulk, {}).setdefault(outcome.site_id, []).append(delivery_id)
    labels = site_labels(db.session, (site_id for site_id, _ in (*failed, *dead)))  # no query when nothing failed
    for (site_id, error), tries in failed.items():
        log.warning("site %s: its webhook endpoint failed (%s): %d event(s) (%s) retrying in %ss",
                    labels.get(site_id, site_id), error,
                    len(tries), ", ".join(str(d) for d, _ in tries[:5]) + (" ..." if len(tries) > 5 else ""),
                    min(r for _, r in tries))
    for (site_id, error), ids in dead.items():
        # 3,398 lines in a second, one per event, when a burst's retry span ran out (an operator's walk).
        log.warning("site %s: %s (listed on /admin): %s (%s)", labels.get(site_id, site_id),
                    "1 webhook delivery became a dead letter" if len(ids) == 1 else f"{len(ids)} webhook deliveries "
                    "became dead letters", error, ", ".join(map(str, ids[:5])) + (" ..." if len(ids) > 5 else ""))
    if not_sent:
        log.info("%d webhook deliveries not sent after their endpoint failed; retrying them with it", not_sent)
    for bulk, by_site in later.items():
        dispatcher(db.session).send_webhooks(by_site, bulk=bulk)
    for (site_id, countdown, bulk), ids in rounds.items():
        try:
            # When due, onto the site's list for its turn: sent as tasks that POST, 528 retry rounds
            # of one site back from an outage took most of the webhook threads, and another site's
            # events waited up to 31 s behind them (a re-check of turns).
            retry_in_turn.apply_async(args=[site_id, ids, bulk], countdown=countdown, retry=False)
        except Exception:
            log.warning("could not queue webhook deliveries %s; the sweep will send them", ids, exc_info=True)


def _send_scored(session, deliveries: list) -> None:
    """A scored batch's events: POSTed from here to endpoints this process saw answer fast, the rest by task."""
    _follow_up(direct_delivery.deliver_scored(session, deliveries, health=_health, settings=_webhook_settings()))


def _is_transient(exc: BaseException) -> bool:
    return isinstance(exc, TRANSIENT) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


@shared_task(bind=True, name="workers.tasks.score_comments", max_retries=5)
def score_comments(self, comment_ids: list[int], helper_slot: int | None = None) -> dict[str, str]:
    """The scoring task, or with `helper_slot` a helper while a backlog lasts (domain/dispatch.py)."""
    ids = [int(i) for i in comment_ids or []]
    batch_size = current_app.config["SCORE_BATCH_SIZE"]
    turn = ScoringTurn(db.session) if helper_slot is None else HelperTurn(db.session, int(helper_slot))
    try:
        scored = scoring.score_pending(db.session, get_provider(), ids, batch_size=batch_size,
                                       max_batches=MAX_BATCHES_PER_TASK, get_shadow=_shadow_getter(),
                                       send=_send_scored, release=turn.release, carry_on=turn.carry_on,
                                       on_claim=turn.claimed, linger=current_app.config["SCORE_LINGER"])
    except Exception as exc:
        db.session.rollback()
        if _is_transient(exc):
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 30))
        raise  # anything else leaves the comments pending; the sweep tries again later
    finally:
        turn.finish()
    return {str(k): v for k, v in scored.items()}


# The one-event webhook task of releases before 6 December, whose messages an upgrade finds still
# queued: their events are rows the sweep sends again, so each is let go in a line. Unregistered,
# an operator's upgrade logged 116 ERROR tracebacks "... ignored and discarded" and could not tell
# that nothing was lost.
@shared_task(name="workers.tasks.deliver_webhook", ignore_result=True)
def older_release_webhook(delivery_id: object = None, *_: object, **__: object) -> str:
    log.info("webhook delivery %s was queued by an older release's task: the sweep sends it", delivery_id)
    return "left to the sweep"


@shared_task(bind=True, name="workers.tasks.deliver_webhooks", max_retries=5)
def deliver_webhooks(self, delivery_ids: list[int]) -> dict[str, str]:
    """Events in one task: a scored batch's, or one site's round of retries (_follow_up)."""
    try:
        outcomes = webhooks.deliver_many(db.session, [int(i) for i in delivery_ids], health=_health,
                                         **_webhook_settings())
    except Exception as exc:
        db.session.rollback()
        if _is_transient(exc):
            raise self.retry(exc=exc, countdown=min(2 ** self.request.retries, 30))
        raise  # undelivered events are resent by the sweep
    _follow_up(outcomes)
    return {str(k): v.state for k, v in outcomes.items()}


@shared_task(name="workers.tasks.deliver_site_webhooks")
def deliver_site_webhooks(site_id: int) -> dict[str, str]:
    """A site's turn (domain/webhook_turns.py). Not retried: a failed turn's events are rows the
    sweep sends again, and the site's other events have their next turn queued already."""
    outcomes = webhook_turns.deliver_turn(db.session, int(site_id), health=_health, **_webhook_settings())
    _follow_up(outcomes)
    return {str(k): v.state for k, v in outcomes.items()}


@shared_task(name="workers.tasks.retry_in_turn")
def retry_in_turn(site_id: int | None, delivery_ids: list[int], bulk: bool = False) -> None:
    """Retries now due, onto their site's list for its next turn: no POST here, so they take their
    place behind the other sites' turns. A lost one leaves its rows to the sweep."""
    ids = [int(i) for i in delivery_ids]
    if site_id is None:  # no site to wait for (its row went): as a batch of their own
        deliver_webhooks.apply_async(args=[ids], retry=False)
    else:
        dispatcher(db.session).send_webhooks({int(site_id): ids}, bulk=bool(bulk))


@shared_task(bind=True, name="workers.tasks.sweep", max_retries=0)
def sweep(self) -> dict[str, int]:
    config = current_app.config
    try:
        result = sweeping.sweep(
            db.session,
            get_provider(),
            pending_after=config["PENDING_RESEND_AFTER"],
            batch_size=config["SCORE_BATCH_SIZE"],
            resend_webhooks_after=timedelta(seconds=config["WEBHOOK_RESEND_AFTER"]),
            get_shadow=_shadow_getter(),
        )
    except OperationalError as error:
        # The database down: said in a line, as beat and web say it; a traceback every 30 s read as a
        # bug (an operator's walk). The next sweep runs in SWEEP_INTERVAL seconds anyway.
        db.session.rollback()
        log.warning("sweep skipped: the database does not answer (%s)", str(error.orig or error).splitlines()[0])
        return {"scored": 0, "webhooks_resent": 0, "storms_ended": 0}
    except Exception:
        db.session.rollback()
        raise  # the next sweep runs in SWEEP_INTERVAL seconds anyway
    note_sweep(config["REDIS_URL"], timeout=config["REDIS_COUNTER_TIMEOUT"])
    if result.scored or result.webhooks_resent or result.storms_ended or result.overdue_lifted:
        log.info("sweep scored %d comments, resent %d webhooks, ended %d storms, lifted %d comments whose "
                 "reports waited past the window", result.scored, result.webhooks_resent, result.storms_ended,
                 result.overdue_lifted)
    return {"scored": result.scored, "webhooks_resent": result.webhooks_resent, "storms_ended": result.storms_ended,
            "overdue_lifted": result.overdue_lifted}


@shared_task(bind=True, name="workers.tasks.check_drift", max_retries=0)
def check_drift(self) -> dict[str, object]:
    from moderation.scorer import models_in_use  # the global active version and sites' own

    try:
        reports = drift.check_models(db.session, models_in_use(), drift.DriftSettings.from_config(current_app.config))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise  # beat runs it again tomorrow; `moderation drift check` runs it now
    for report in reports:
        if report.warning:
            log.warning("drift: model %s, largest PSI %.3f over %d comments (see /admin/drift)",
                        report.version, report.max_psi, report.comments)
    first = reports[0]  # the global version's
    return {"version": first.version, "comments": first.comments, "max_psi": first.max_psi,
            "warning": any(r.warning for r in reports), "versions": [r.version for r in reports]}


@shared_task(bind=True, name="workers.tasks.erase_expired_texts", max_retries=0)
def erase_expired_texts(self) -> dict[str, int]:
    try:
        erased = retention.erase_expired_texts(db.session)
        events = retention.delete_delivered_events(db.session, days=current_app.config["WEBHOOK_EVENT_DAYS"])
        audit_entries = retention.delete_old_audit_entries(db.session, days=current_app.config["AUDIT_LOG_DAYS"])
    except Exception:
        db.session.rollback()
        raise  # beat runs it again in RETENTION_INTERVAL seconds; committed batches stay erased
    if erased:
        log.info("retention erased the text of %d comments", erased)
    if events:
        log.info("retention deleted %d webhook events delivered over %d days ago", events,
                 current_app.config["WEBHOOK_EVENT_DAYS"])
    if audit_entries:
        log.info("retention deleted %d audit entries over %d days old", audit_entries,
                 current_app.config["AUDIT_LOG_DAYS"])
    return {"erased": erased, "events_deleted": events, "audit_entries_deleted": audit_entries}
