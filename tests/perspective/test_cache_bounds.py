"""The score cache is bounded in bytes, not only in entries.

A migrating site's walk: a span-annotated 20 KB text of short sentences kept about 10 MB in the
cache (one dict per sentence per attribute); 200 of them, well inside a key's quota, grew each web
process by a gigabyte, and 20,000 were allowed.
"""
from __future__ import annotations

from perspective_helpers import ANALYZE, analyze_body

from moderation.perspective.analyze import MAX_SPANS, SCORES_BYTES, SPAN_BYTES
from moderation.perspective.cache import LRUCache

ALL = ("TOXICITY", "SEVERE_TOXICITY", "INSULT", "IDENTITY_ATTACK", "PROFANITY", "THREAT")


def test_span_scores_are_counted_by_their_size_and_short_texts_stay_cached(app, client, site):
    cache = app.extensions["perspective_cache"]
    short = analyze_body("The council should publish the budget.")
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=short).status_code == 200

    for n in range(5):
        body = analyze_body(f"{n}! " + "a! " * 2000, *ALL, spanAnnotations=True)
        answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
        assert answer.status_code == 200
        assert len(answer.get_json()["attributeScores"]["TOXICITY"]["spanScores"]) == MAX_SPANS

    # Six texts' scores, and five texts' 100 spans of six attributes, each weighed as it takes memory.
    assert cache.bytes == 6 * SCORES_BYTES + 5 * MAX_SPANS * len(ALL) * SPAN_BYTES <= cache.max_bytes
    hits = cache.hits
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=short).status_code == 200
    assert cache.hits == hits + 1


def test_the_oldest_entries_go_when_the_bytes_are_spent():
    cache = LRUCache(max_entries=1_000, max_bytes=64_000)
    for n in range(70):
        cache.put(n, f"entry {n}", size=1_000)
    assert cache.bytes == 64_000 and len(cache) == 64
    assert cache.get(5) is None and cache.get(6) == "entry 6"
    cache.put("big", "too big", size=1_001)  # more than a 64th of the bytes: not kept
    assert cache.get("big") is None and len(cache) == 64
    cache.put(69, "entry 69 again", size=1_000)  # replacing an entry counts its bytes once
    assert cache.bytes == 64_000 and cache.get(69) == "entry 69 again"


def test_a_text_of_thousands_of_sentences_has_at_most_a_hundred_spans_covering_them_in_order(client, site):
    """A migrating site's walk: each of 6,826 sentences scored on its own, 15 such requests a second
    held every other site's answers past Coral's 800 ms."""
    text = "0! " + "a! " * 2000
    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text, spanAnnotations=True, doNotStore=True))
    spans = answer.get_json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert len(spans) == 100
    assert spans[0]["begin"] == 0 and spans[-1]["end"] == len(text.rstrip())
    assert all(a["end"] <= b["begin"] for a, b in zip(spans, spans[1:]))
