"""METRICS_PORT: /metrics served on a port of its own, for Prometheus, with the same numbers."""
from __future__ import annotations

import requests

from moderation.observability.port import start_metrics_server


def test_the_metrics_port_answers_prometheus_without_signing_in(app, client, site):
    assert client.post("/api/v1/comments", headers=site.headers, json={
        "id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "A fine piece."}).status_code == 202
    server, thread = start_metrics_server(app, host="127.0.0.1", port=0)
    try:
        response = requests.get(f"http://127.0.0.1:{server.server_port}/metrics", timeout=10)
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert response.status_code == 200
    assert 'moderation_comments_pending 1.0' in response.text
    assert 'moderation_comments_received_total{site="daily-planet"}' in response.text
    # How big the database grows, to alert on (left since several stops; `moderation status` said it).
    sizes = dict(line.rsplit(" ", 1) for line in response.text.splitlines()
                 if line.startswith(("moderation_database_bytes", "moderation_table_bytes")))
    assert float(sizes["moderation_database_bytes"]) > 0
    assert float(sizes['moderation_table_bytes{table="comments"}']) > 0
    assert 'moderation_table_bytes{table="webhook events"}' in sizes and 'moderation_table_bytes{table="audit log"}' in sizes
