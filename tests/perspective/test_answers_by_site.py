"""Which site's Perspective client is refused, and why, is counted and logged by site.

A migrating site's walk: 20,167 quota refusals, 46 wrong keys and 13 language refusals among 42,000
calls from two sites, each a comment Coral published unscored; the counters had route and status
only, the log nothing, so which site it was could not be told.
"""
from __future__ import annotations

import logging
import re

import requests
from perspective_helpers import ANALYZE, analyze_body

from moderation.perspective.answers import RefusalLog
from moderation.observability.port import start_metrics_server


def _answers(app) -> dict[tuple[str, str], float]:
    """(site, outcome) -> count of analyze answers, as Prometheus would scrape them."""
    server, thread = start_metrics_server(app, host="127.0.0.1", port=0)
    try:
        text = requests.get(f"http://127.0.0.1:{server.server_port}/metrics", timeout=10).text
    finally:
        server.shutdown()
        thread.join(timeout=10)
    found = re.findall(r'moderation_perspective_answers_total\{method="analyze",outcome="([^"]+)",site="([^"]+)"\} (\S+)', text)
    return {(site, outcome): float(n) for outcome, site, n in found}


def test_refusals_are_counted_and_logged_by_site(app, client, site, outsider, caplog, monkeypatch):
    limiter = app.extensions.get("perspective_limiter")
    assert limiter is not None
    monkeypatch.setattr(limiter, "limit", 2)  # two a minute, per key
    caplog.set_level(logging.WARNING, logger="moderation.perspective.answers")
    # A fresh log: an earlier test's refusals, in this process, were logged just now.
    monkeypatch.setitem(app.extensions, "perspective_refusals", RefusalLog())

    before = _answers(app)
    for _ in range(4):
        client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("A fine piece."))
    client.post(f"{ANALYZE}?key={outsider.api_key}", json=analyze_body("Ein guter Artikel.", languages=["de"]))

    after = _answers(app)
    added = {key: n - before.get(key, 0) for key, n in after.items() if n != before.get(key, 0)}
    assert added == {("daily-planet", "answered"): 2, ("daily-planet", "quota"): 2,
                     ("other-gazette", "language_not_supported_by_attribute"): 1}
    # One line for the site at once; the next within 10 s are counted for the next line, not written.
    refused = [r.getMessage() for r in caplog.records]
    assert refused == [
        "site daily-planet: Perspective requests refused (its client publishes them unscored): 1 analyze quota",
        "site other-gazette: Perspective requests refused (its client publishes them unscored): "
        "1 analyze language_not_supported_by_attribute"]


def test_too_many_long_texts_at_once_are_counted_apart_from_the_quota(app, client, site, monkeypatch):
    """An SRE's walk: a site sending a sixth of PERSPECTIVE_RATE_LIMIT in long texts was refused by the
    per-site concurrency cap, and the operations page, /metrics and the log all said "over quota"."""
    monkeypatch.setitem(app.extensions, "perspective_refusals", RefusalLog())
    slots = app.extensions["perspective_slots"]
    long_text = "A long and careful comment about the council's plans. " * 50
    before = _answers(app)
    with slots.take(site.id, long_text), slots.take(site.id, long_text):  # the site's two are busy
        refused = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(long_text))
    assert refused.status_code == 429 and "at once" in refused.get_json()["error"]["message"]
    after = _answers(app)
    added = {key: n - before.get(key, 0) for key, n in after.items() if n != before.get(key, 0)}
    assert added == {("daily-planet", "long_texts_at_once"): 1}
