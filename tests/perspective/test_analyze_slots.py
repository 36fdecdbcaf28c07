"""Long texts take at most a site's share of a web process's threads: one site's crafted long texts
kept another site's API waiting 14 s (a security review)."""
from __future__ import annotations

import threading

import pytest

from moderation.perspective.errors import ResourceExhausted
from moderation.perspective.slots import LONG, AnalyzeSlots


def test_a_sites_second_long_text_at_once_is_refused_and_another_site_still_scores():
    slots = AnalyzeSlots(per_site=1, total=2)
    long_text = "x" * (LONG + 1)
    with slots.take(1, long_text):
        with pytest.raises(ResourceExhausted) as refused:
            with slots.take(1, long_text):
                pass
        assert refused.value.retry_after == 1 and "over 2,000 characters at once" in refused.value.message
        with slots.take(1, "A short comment."), slots.take(1, "Another."):  # short texts are never counted
            pass
        with slots.take(2, long_text):
            with pytest.raises(ResourceExhausted):  # two in all: a third site waits its turn
                with slots.take(3, long_text):
                    pass
    with slots.take(1, long_text):  # freed when each ended, an error's included
        pass


def test_slots_are_counted_across_threads():
    slots = AnalyzeSlots(per_site=1, total=2)
    inside, release, outcomes = threading.Event(), threading.Event(), []

    def hold() -> None:
        with slots.take(7, "y" * 5000):
            inside.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(5)
    try:
        with slots.take(7, "y" * 5000):
            outcomes.append("scored")
    except ResourceExhausted:
        outcomes.append("refused")
    release.set()
    holder.join(5)
    assert outcomes == ["refused"]


def test_the_endpoint_answers_a_long_text_beyond_the_sites_share_with_a_quota_refusal(app, client, site):
    from perspective_helpers import ANALYZE, analyze_body

    long_text = "The council's budget, line by line. " * 100
    slots = app.extensions["perspective_slots"]
    with slots.take(site.id, long_text), slots.take(site.id, long_text):  # other threads scoring two
        busy = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(long_text))
        short = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Thanks for the article."))
    assert busy.status_code == 429 and busy.headers["Retry-After"] == "1"
    assert busy.get_json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert short.status_code == 200
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(long_text)).status_code == 200


def test_each_answer_names_the_version_that_scored_it(app, client, site):
    from perspective_helpers import ANALYZE, analyze_body

    from moderation.scorer import get_provider

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Thanks for the article."))
    with app.app_context():
        assert response.headers["X-Model-Version"] == get_provider().for_site(site.id).version


def test_a_short_text_that_expands_when_read_counts_as_long():
    """A re-check: 1,990 x U+FDFA passed as short (each is 18 characters once read) and slowed every
    other site's calls 40 times."""
    from moderation.perspective.slots import is_long

    assert is_long("\ufdfa" * 1_990) and is_long("x" * (LONG + 1))
    assert not is_long("A civil comment about the council's budget. " * 40)
