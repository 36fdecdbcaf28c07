"""The score cache must not tell one site what another site analysed (a hit answers faster)."""
from __future__ import annotations

from perspective_helpers import ANALYZE, analyze_body


def test_another_sites_first_analysis_of_a_text_is_a_cache_miss(app, client, site, outsider):
    cache = app.extensions["perspective_cache"]
    body = analyze_body("Our council should fix the bridge before winter.")

    assert client.post(f"{ANALYZE}?key={site.api_key}", json=body).status_code == 200
    assert client.post(f"{ANALYZE}?key={outsider.api_key}", json=body).status_code == 200

    assert (cache.hits, cache.misses) == (0, 2)


def test_a_sites_repeat_of_its_own_text_is_still_a_cache_hit(app, client, site):
    cache = app.extensions["perspective_cache"]
    body = analyze_body("Our council should fix the bridge before winter.")

    for _ in range(2):
        assert client.post(f"{ANALYZE}?key={site.api_key}", json=body).status_code == 200

    assert (cache.hits, cache.misses) == (1, 1)
