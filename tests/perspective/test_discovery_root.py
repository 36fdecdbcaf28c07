"""The discovery document tells clients where to send comments: never where the Host header says."""
from __future__ import annotations

import pytest


def test_the_root_url_ignores_the_host_header(client):
    document = client.get("/$discovery/rest?version=v1alpha1", headers={"Host": "evil.example"}).get_json()

    assert "evil.example" not in document["rootUrl"] + document["baseUrl"]
    assert document["rootUrl"] == "http://127.0.0.1:8080/"


def test_the_root_url_is_the_configured_public_url(app_with):
    client = app_with(PUBLIC_URL="https://moderation.daily-planet.example").test_client()

    document = client.get("/$discovery/rest?version=v1alpha1", headers={"Host": "evil.example"}).get_json()

    assert document["rootUrl"] == "https://moderation.daily-planet.example/"


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "[::]", "0"])
def test_a_server_on_every_address_without_public_url_says_to_set_it(app_with, host):
    """http://0.0.0.0:8080/ as rootUrl sent Google's client, and its key, to the client's own machine."""
    client = app_with(HOST=host).test_client()

    response = client.get("/$discovery/rest?version=v1alpha1")

    assert response.status_code == 503 and "PUBLIC_URL" in response.get_json()["error"]["message"]
