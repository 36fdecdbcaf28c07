"""The service's Prometheus metrics, counted in every process and summed at scrape time.

Always in prometheus_client's multiprocess mode: gunicorn workers and Celery's prefork children
each write their own small mmapped file under the metrics directory (METRICS_DIR, by default
`$MODERATION_VAR_DIR/metrics`), and whichever process serves /metrics adds them up. A file is named
after its process's role, host and pid (`counter_worker-web1-4242.db`), so each kind of process
clears only its own kind's files from earlier runs on its own host when it starts (`clear_role`).

Counts that describe a committed change (a comment scored, a decision, a webhook outcome) are
recorded with `after_commit`: a batch rolled back and scored again one by one is counted once.
Gauges read from the database and the broker (queue depth, backlog, oldest undelivered webhook)
are computed when /metrics is scraped (collect.py), not kept by any process.
"""
from __future__ import annotations

import glob
import logging
import os
import re
import socket
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from prometheus_client import Counter, Histogram, values

from moderation.observability.metric_files import ReservedMmapedDict
from moderation.processes import process_alive
from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

ROLE_VARIABLE = "MODERATION_METRICS_ROLE"  # set by `moderation web|worker|beat|up` for their processes
_PENDING = "metrics_after_commit"
_configured: dict[str, str] = {}

# Seconds: from a few ms (a scoring batch) to the minutes a backlog can take.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900)
BATCH_SIZE_BUCKETS = (1, 2, 5, 10, 25, 50, 100, 256, 500, 1000)

# Created unregistered: in multiprocess mode the files are the registry (collect.py reads them).
HTTP_REQUESTS = Counter("moderation_http_requests", "HTTP requests answered, by route and status",
                        ["route", "method", "status"], registry=None)
HTTP_LATENCY = Histogram("moderation_http_request_duration_seconds", "Time to answer an HTTP request, by route",
                         ["route", "method"], buckets=LATENCY_BUCKETS, registry=None)
RECEIVED = Counter("moderation_comments_received", "Comments accepted by the API (stored)", ["site"], registry=None)
SCORED = Counter("moderation_comments_scored", "Comments scored, by the status scoring gave them",
                 ["site", "status"], registry=None)
HELD = Counter("moderation_comments_held", "Comments sent to review: by the model ('scorer'), an author's "
               "sanction, readers' reports, a story's storm mode, or an undone decision", ["site", "by"], registry=None)
DECIDED = Counter("moderation_comments_decided", "Moderators' decisions, by outcome", ["site", "status"],
                  registry=None)
DECISIONS_BY_MODERATOR = Counter("moderation_decisions", "Decisions made, by moderator (login name)",
                                 ["moderator"], registry=None)
TIME_TO_STATUS = Histogram("moderation_comment_time_to_status_seconds",
                           "From the API accepting a comment (or a reader's edit of it) to scoring giving it its status",
                           ["status"], buckets=LATENCY_BUCKETS, registry=None)
BATCH_SIZE = Histogram("moderation_scoring_batch_size", "Comments per scoring batch", ["model_version"],
                       buckets=BATCH_SIZE_BUCKETS, registry=None)
BATCH_DURATION = Histogram("moderation_scoring_batch_duration_seconds",
                           "Time to claim, score, move and commit one batch", ["model_version"],
                           buckets=LATENCY_BUCKETS, registry=None)
WEBHOOKS = Counter("moderation_webhook_deliveries", "Webhook delivery attempts by outcome "
                   "(delivered, retry: to be tried again, also for events not sent because their site's endpoint had just "
                   "failed, failed: a dead letter)",
                   ["outcome"], registry=None)
PERSPECTIVE_ANSWERS = Counter("moderation_perspective_answers", "comments:analyze and comments:suggestscore "
                              "answers to a site's key, by outcome (answered; quota: 429; a 400's errorType, or "
                              "invalid; error): each refusal is a comment its client publishes unscored",
                              ["site", "method", "outcome"], registry=None)
BEAT_SENT = Counter("moderation_beat_tasks_sent", "Periodic tasks beat sent to the workers", ["task"],
                    registry=None)


def metrics_dir(var_dir: Path, setting: str | None = None) -> Path:
    return Path(setting) if setting else Path(var_dir) / "metrics"


def configure(directory: Path) -> Path:
    """Count into files under `directory` from now on (idempotent; a process counts into one place)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if _configured.get("dir") == str(directory):
        return directory
    if _configured:
        log.warning("metrics already go to %s; not switching to %s", _configured["dir"], directory)
        return Path(_configured["dir"])
    role = process_role()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)
    # The pid is read at every update, so a forked child (gunicorn worker, Celery pool process)
    # starts files of its own instead of writing into its parent's.
    host = host_tag()
    values.ValueClass = values.MultiProcessValue(process_identifier=lambda: f"{role}-{host}-{os.getpid()}")
    values.MmapedDict = ReservedMmapedDict  # no SIGBUS on a full disk (metric_files.py)
    _configured["dir"] = str(directory)
    return directory


def process_role(argv: list[str] | None = None) -> str:
    """web, worker, webhooks, trainer or beat: from the command that started this process (`moderation up`
    runs them all with one environment), unless MODERATION_METRICS_ROLE says otherwise."""
    if os.environ.get(ROLE_VARIABLE):
        return os.environ[ROLE_VARIABLE]
    words = " ".join(argv if argv is not None else sys.argv)
    if "gunicorn" in words:
        return "web"
    if "celery" in words and " beat" in words:
        return "beat"
    if "celery" in words and " worker" in words:
        if "training" in words:
            return "trainer"
        # The webhook worker (`--queues webhooks` alone): its own files, which its own start clears.
        return "webhooks" if re.search(r"-Q webhooks(\s|$)", words) else "worker"
    return "app"  # a CLI command, a test: clearing leaves these alone


def host_tag(hostname: str | None = None) -> str:
    """This machine's (or container's) name as it goes into file names. Containers sharing one
    metrics volume (docker-compose's worker scaled out) number their processes alike, so the pid
    alone would have two processes write one file; prometheus_client splits names at "_" and
    clear_role's pattern at "-", so neither may appear in it."""
    name = hostname if hostname is not None else socket.gethostname()
    return re.sub(r"[^A-Za-z0-9.]", ".", name) or "host"


def clear_role(directory: Path, role: str, host: str | None = None) -> int:
    """Remove a role's files left by earlier runs on this host (called by the command starting
    that role); other containers of the same role sharing the directory keep theirs, and so do
    processes of the role still running here: a second scoring worker started beside the first
    deleted its files, and the first one's counts fell out of /metrics for good."""
    removed = 0
    host = host_tag() if host is None else host
    for path in glob.glob(os.path.join(str(directory), f"*_{role}-{host}-*.db")):
        pid = path[:-len(".db")].rsplit("-", 1)[-1]
        if pid.isdigit() and process_alive(int(pid)):
            continue
        os.unlink(path)
        removed += 1
    return removed



def clear_all(directory: Path) -> None:
    """`moderation up` starts every process at once: nothing earlier is still counting."""
    for path in glob.glob(os.path.join(str(directory), "*.db")):
        os.unlink(path)


def after_commit(session: Session, record: Callable[[], None]) -> None:
    """Run `record` once the session's transaction commits; forget it if it rolls back."""
    session.info.setdefault(_PENDING, []).append(record)


@event.listens_for(Session, "after_commit")
def _run_recorded(session: Session) -> None:
    for recorded in session.info.pop(_PENDING, []):
        record(recorded)


def record(count: Callable[[], None]) -> None:
    """Count now; a metric must never fail the work it counts (a full disk: see metric_files.py).
    A failure is logged with its traceback once a minute at most: on a full disk each request's
    failed metric wrote 25 lines, 26,754 in under a minute, onto the disk that was full."""
    global _last_failure_logged
    try:
        count()
    except Exception:
        now = time.monotonic()
        if now - _last_failure_logged >= FAILURE_LOG_EVERY:
            _last_failure_logged = now
            log.warning("could not record a metric (said once a minute at most)", exc_info=True)


FAILURE_LOG_EVERY = 60.0
_last_failure_logged = -FAILURE_LOG_EVERY


@event.listens_for(Session, "after_rollback")
def _forget_recorded(session: Session) -> None:
    session.info.pop(_PENDING, None)


def _seconds_since(moment: datetime | None) -> float | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (datetime.now(timezone.utc) - moment).total_seconds())


def status_changed(session: Session, *, site: str, new: str, by: str, actor: str, scored: bool, held: bool,
                   decided: bool, pending_since: datetime | None) -> None:
    """Count one status change once it commits. lifecycle.change_status says what kind of change it
    is (it owns the status words): scoring gave a status, the comment went to review, a decision."""
    def record() -> None:
        if scored:
            SCORED.labels(site, new).inc()
            waited = _seconds_since(pending_since)
            if waited is not None:
                TIME_TO_STATUS.labels(new).observe(waited)
        if held:
            HELD.labels(site, by).inc()
        if decided:
            DECIDED.labels(site, new).inc()
            DECISIONS_BY_MODERATOR.labels(actor.removeprefix("user:")).inc()

    after_commit(session, record)


def comment_received(session: Session, site: str, count: int = 1) -> None:
    if count:
        after_commit(session, lambda: RECEIVED.labels(site).inc(count))


def scoring_batch(session: Session, *, size: int, seconds: float, model_versions: set[str]) -> None:
    """One committed scoring batch (a batch of several sites' models counts under each version)."""
    def record() -> None:
        for version in model_versions or {"none"}:
            BATCH_SIZE.labels(version).observe(size)
            BATCH_DURATION.labels(version).observe(seconds)

    after_commit(session, record)


def webhook_outcomes(session: Session, outcomes: list[str]) -> None:
    def record() -> None:
        for outcome in outcomes:
            WEBHOOKS.labels(outcome).inc()

    after_commit(session, record)


def beat_sent(task: str) -> None:
    record(lambda: BEAT_SENT.labels(task).inc())
