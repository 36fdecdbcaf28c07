"""The Grafana dashboard and the compose `monitoring` profile ask only for metrics the service has."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from moderation import db
from moderation.observability import metrics
from moderation.observability.collect import StateCollector

REPO = Path(__file__).resolve().parents[2]
SUFFIXES = {"counter": ["_total"], "histogram": ["_bucket", "_sum", "_count"]}


def _served_names(app) -> set[str]:
    names = set()
    for value in vars(metrics).values():
        if isinstance(value, (metrics.Counter, metrics.Histogram)):
            names |= {value._name + suffix for suffix in SUFFIXES[value._type]}
    with app.app_context():
        for family in StateCollector(lambda: app.extensions[db.SESSIONS](), None).collect():
            names.add(family.name)
    return names | {"moderation_celery_queue_length"}  # needs Redis; collect() without it leaves it out


def test_every_dashboard_query_names_a_metric_the_service_serves(app):
    dashboard = json.loads((REPO / "deploy/grafana/dashboards/moderation.json").read_text())
    asked = {name for panel in dashboard["panels"] for target in panel.get("targets", [])
             for name in re.findall(r"\bmoderation_[a-z_]+", target["expr"])}
    assert asked and asked <= _served_names(app), sorted(asked - _served_names(app))
    # Every kind of number the issue lists has a panel.
    for name in ("moderation_http_requests_total", "moderation_http_request_duration_seconds_bucket",
                 "moderation_comments_received_total", "moderation_comments_scored_total",
                 "moderation_comments_held_total", "moderation_comments_decided_total",
                 "moderation_comment_time_to_status_seconds_bucket", "moderation_scoring_batch_size_sum",
                 "moderation_scoring_batch_duration_seconds_bucket", "moderation_comments_pending",
                 "moderation_celery_queue_length", "moderation_webhook_deliveries_total",
                 "moderation_webhooks_oldest_undelivered_seconds", "moderation_review_backlog",
                 "moderation_review_oldest_held_seconds", "moderation_decisions_total",
                 "moderation_model_version_info", "moderation_perspective_answers_total"):
        assert name in asked, name


def test_the_monitoring_profile_scrapes_the_web_services_metrics_port():
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["prometheus"]["profiles"] == ["monitoring"] == services["grafana"]["profiles"]
    port = services["web"]["environment"]["METRICS_PORT"]
    scrape = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    assert scrape["scrape_configs"][0]["static_configs"][0]["targets"] == [f"web:{port}"]
    mounted = " ".join(services["grafana"]["volumes"])
    assert "./deploy/grafana/dashboards:" in mounted and "./deploy/grafana/provisioning:" in mounted
