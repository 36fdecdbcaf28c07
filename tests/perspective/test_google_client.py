"""Google's own client library, as Perspective's documentation tells people to use it, works
against our server once it is given our discovery URL."""
from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from googleapiclient import discovery
from googleapiclient.errors import HttpError
from werkzeug.serving import make_server


@pytest.fixture
def base_url(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url  # the port is known only now; the discovery document points clients here
    yield url
    server.shutdown()
    thread.join(timeout=10)


def build_client(base_url: str, key: str):
    return discovery.build(
        "commentanalyzer", "v1alpha1", developerKey=key, static_discovery=False, cache_discovery=False,
        discoveryServiceUrl=base_url + "/$discovery/rest?version={apiVersion}",
    )


def test_googleapiclient_gets_scores_through_its_normal_api(base_url, site):
    client = build_client(base_url, site.api_key)

    answer = client.comments().analyze(body={
        "comment": {"text": "You are a pathetic idiot."},
        "requestedAttributes": {"TOXICITY": {}, "INSULT_EXPERIMENTAL": {}},
        "languages": ["en"],
    }).execute()

    assert 0.5 < answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"] <= 1.0
    assert "INSULT_EXPERIMENTAL" in answer["attributeScores"]


def test_googleapiclient_sends_suggestions(base_url, site):
    client = build_client(base_url, site.api_key)

    answer = client.comments().suggestscore(body={
        "comment": {"text": "You are a pathetic idiot."},
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "clientToken": "from-google-client",
    }).execute()

    assert answer["clientToken"] == "from-google-client"


def test_googleapiclient_raises_its_usual_error_for_a_bad_key(base_url, site):
    client = build_client(base_url, "mk_0000_nope")

    with pytest.raises(HttpError) as raised:
        client.comments().analyze(body={"comment": {"text": "Hi"}, "requestedAttributes": {"TOXICITY": {}}}).execute()

    assert raised.value.resp.status == 403
    assert raised.value.status_code == 403
    assert "API key not valid" in raised.value.reason
