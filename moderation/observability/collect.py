"""What /metrics answers: every process's counters (summed from the metrics directory) and gauges
read from PostgreSQL and Redis at scrape time (domain/operations.py, the broker's queue lengths)."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy.orm import Session

from moderation.domain.operations import database_sizes, snapshot
from moderation.observability.metric_files import ReadableFilesCollector

log = logging.getLogger(__name__)

# kombu keeps a Redis list per queue; with priorities it adds "<queue>\x06\x16<n>" lists beside it.
CELERY_QUEUES = ("moderation", "webhooks", "training")
PRIORITY_SEPARATOR = "\x06\x16"


class StateCollector:
    """Gauges computed when scraped: nothing has to keep them up to date, and they are never stale."""

    def __init__(self, open_session: Callable[[], Session], redis_client: Callable[[], object] | None) -> None:
        self.open_session = open_session
        self.redis_client = redis_client

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        yield from self._database()
        yield from self._broker()
        yield GaugeMetricFamily("moderation_metrics_collect_seconds", "Time to read the gauges for this scrape",
                                value=time.perf_counter() - started)

    def _database(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("moderation_database_up", "1 if the gauges could be read from PostgreSQL")
        try:
            session = self.open_session()
            try:
                state = snapshot(session)
                total, tables = database_sizes(session)
            finally:
                session.close()
        except Exception:  # the counters are still worth answering with
            log.warning("could not read the metrics gauges from the database", exc_info=True)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("moderation_database_bytes", "Size of the database on disk", value=total)
        sizes = GaugeMetricFamily("moderation_table_bytes", "Size of each table that grows with traffic, with its "
                                  "indexes", labels=["table"])
        for table, size in tables.items():
            sizes.add_metric([table], size)
        yield sizes
        yield GaugeMetricFamily("moderation_comments_pending", "Comments waiting to be scored", value=state.pending)
        yield GaugeMetricFamily("moderation_comments_oldest_pending_seconds", "Age of the oldest comment waiting "
                                "to be scored", value=state.oldest_pending_seconds)
        yield GaugeMetricFamily("moderation_comments_set_aside", "Comments scoring failed on, left to an admin",
                                value=state.set_aside)
        yield GaugeMetricFamily("moderation_webhooks_undelivered", "Webhook events not delivered yet (not dead "
                                "letters)", value=state.webhooks_undelivered)
        yield GaugeMetricFamily("moderation_webhooks_oldest_undelivered_seconds", "Age of the oldest webhook "
                                "event not delivered yet", value=state.oldest_undelivered_seconds)
        yield GaugeMetricFamily("moderation_webhooks_dead_letters", "Webhook events that used up their retries",
                                value=state.dead_letters)
        backlog = GaugeMetricFamily("moderation_review_backlog", "Comments in the review queue, by site",
                                    labels=["site"])
        oldest = GaugeMetricFamily("moderation_review_oldest_held_seconds", "How long the longest-held comment "
                                   "has waited for a moderator, by site", labels=["site"])
        for site in state.backlog:
            backlog.add_metric([site.site], site.waiting)
            oldest.add_metric([site.site], site.oldest_held_seconds)
        yield backlog
        yield oldest
        models = GaugeMetricFamily("moderation_model_version_info", "The model version each scope scores with "
                                   "(scope: a site, or (global) for every other site)", labels=["scope", "version"])
        for scope, version in state.models:
            models.add_metric([scope, version], 1)
        yield models

    def _broker(self) -> Iterator[Metric]:
        if self.redis_client is None:
            return
        length = GaugeMetricFamily("moderation_celery_queue_length", "Tasks waiting in the broker, by queue",
                                   labels=["queue"])
        try:
            client = self.redis_client()
            for queue in CELERY_QUEUES:
                keys = [queue, *(f"{queue}{PRIORITY_SEPARATOR}{n}" for n in (3, 6, 9))]
                length.add_metric([queue], sum(client.llen(key) for key in keys))
        except Exception:  # Redis down: the gauge is missing from this scrape rather than a lie
            log.warning("could not read the Celery queue lengths", exc_info=True)
            return
        yield length


def exposition(directory: Path, state: StateCollector | None) -> bytes:
    """The text format Prometheus scrapes."""
    registry = CollectorRegistry()
    ReadableFilesCollector(registry, path=str(directory))
    if state is not None:
        registry.register(state)
    return generate_latest(registry)


def perspective_answers(directory: Path) -> dict[str, dict[str, int]]:
    """moderation_perspective_answers_total as the web processes counted it since they started: site ->
    outcome -> count, both methods together, for /admin/operations on installs without Prometheus."""
    found: dict[str, dict[str, int]] = {}
    for family in ReadableFilesCollector(CollectorRegistry(), path=str(directory)).collect():
        if family.name != "moderation_perspective_answers":
            continue
        for sample in family.samples:
            if sample.name.endswith("_total"):
                by_outcome = found.setdefault(sample.labels["site"], {})
                outcome = sample.labels["outcome"]
                by_outcome[outcome] = by_outcome.get(outcome, 0) + int(sample.value)
    return dict(sorted(found.items()))
