"""Every refusal comes in Google's error shape, with Perspective's status names."""
from __future__ import annotations

import gzip
import json
import time
import types

import pytest
from perspective_helpers import ANALYZE, SUGGEST, analyze_body
from sqlalchemy import func, select

from moderation import db
from moderation.models import LabelledExample


def error_of(response, code: int, status: str) -> str:
    assert response.status_code == code, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["status"] == status
    return error["message"]


def error_type_of(response) -> str | None:
    """Perspective's `details[].errorType`, on which clients decide to skip a comment or fail."""
    [detail] = response.get_json()["error"]["details"]
    assert detail["@type"] == "type.googleapis.com/google.commentanalyzer.v1alpha1.Error"
    return detail["errorType"]


def test_it_rejects_a_missing_key(client, site):
    message = error_of(client.post(ANALYZE, json=analyze_body("Hello.")), 403, "PERMISSION_DENIED")
    assert "API key" in message


@pytest.mark.parametrize("key", ["nonsense", "mk_deadbeef_wrong", "mk_{key_id}_wrong-secret"])
def test_it_rejects_an_invalid_key(client, site, key):
    key = key.format(key_id=site.api_key.split("_")[1])
    error_of(client.post(f"{ANALYZE}?key={key}", json=analyze_body("Hello.")), 403, "PERMISSION_DENIED")
    error_of(client.post(SUGGEST, headers={"X-Goog-Api-Key": key}, json={}), 403, "PERMISSION_DENIED")


def test_it_rejects_an_unknown_attribute(client, site):
    message = error_of(client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hi.", "FLIRTATION")),
                       400, "INVALID_ARGUMENT")
    assert "FLIRTATION" in message and "dropUnsupportedAttributes" in message
    message = error_of(client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hi.", "TOXICITY", "NOT_A_THING")),
                       400, "INVALID_ARGUMENT")
    assert message.startswith("Unknown requested attribute: NOT_A_THING")


def test_perspectives_own_attributes_are_left_out_when_the_client_says_to_drop_them(client, site):
    """A client switching by URL that asks for SEXUALLY_EXPLICIT beside TOXICITY kept no score at all."""
    body = analyze_body("You are a fool.", "TOXICITY", "SEXUALLY_EXPLICIT", "FLIRTATION", dropUnsupportedAttributes=True)
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert set(response.get_json()["attributeScores"]) == {"TOXICITY"}
    only_theirs = client.post(f"{ANALYZE}?key={site.api_key}",
                              json=analyze_body("Hi.", "FLIRTATION", dropUnsupportedAttributes=True))
    assert only_theirs.status_code == 200 and not only_theirs.get_json().get("attributeScores")
    # A name Perspective never had is still a mistake the client should hear of.
    body = analyze_body("Hi.", "TOXICITY", "TOXICTY", dropUnsupportedAttributes=True)
    error_of(client.post(f"{ANALYZE}?key={site.api_key}", json=body), 400, "INVALID_ARGUMENT")


def test_it_rejects_a_request_without_attributes(client, site):
    body = {"comment": {"text": "Hi."}, "languages": ["en"]}
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
    error_of(response, 400, "INVALID_ARGUMENT")
    assert error_type_of(response) == "NO_REQUESTED_ATTRIBUTES"


def test_it_rejects_a_score_type_other_than_probability(client, site):
    body = analyze_body("Hi.")
    body["requestedAttributes"]["TOXICITY"] = {"scoreType": "STD_DEV_SCORE"}
    message = error_of(client.post(f"{ANALYZE}?key={site.api_key}", json=body), 400, "INVALID_ARGUMENT")
    assert "STD_DEV_SCORE" in message


@pytest.mark.parametrize("comment", [{"text": ""}, {"text": "   \n"}, {"text": "\u200b\u200b"}, {"text": "\u3164"},
                                     {}, None, {"text": "<p></p>"}, {"text": "&nbsp;"}, {"text": "<p>&nbsp;</p>"}])
def test_it_rejects_empty_text(client, site, comment):
    body = analyze_body("x")
    body["comment"] = comment
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
    assert error_of(response, 400, "INVALID_ARGUMENT") == "Comment must be non-empty."
    assert error_type_of(response) == "COMMENT_EMPTY"


@pytest.mark.parametrize("text", ["<b>no</b>", "a < b", "5 &lt; 6", "&amp;", "<3"])
def test_markup_around_words_or_text_that_only_looks_like_markup_is_scored(client, site, text):
    assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text)).status_code == 200


def test_it_rejects_text_over_20_kb_of_utf8(client, site):
    fits = "é" * (20 * 1024 // 2)  # two bytes each: exactly 20 KB
    too_long = fits + "e"

    assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(fits)).status_code == 200
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(too_long))
    message = error_of(response, 400, "INVALID_ARGUMENT")
    assert message == "Comment text was too many bytes. Value (20481) exceeded limit (20480)."  # Google's words
    assert error_type_of(response) == "COMMENT_TOO_LONG"


def test_it_rejects_a_body_over_the_request_size_limit_in_the_same_shape(client, site):
    huge = analyze_body("x" * (2 * 1024 * 1024))
    message = error_of(client.post(f"{ANALYZE}?key={site.api_key}", json=huge), 400, "INVALID_ARGUMENT")
    assert message == "Request payload size exceeds the limit: 1048576 bytes."


def test_a_chunked_body_over_the_limit_is_refused_too_not_cut_and_scored(client, site):
    """A security review: sent chunked, a 3 MB request was cut at 1 MiB and scored."""
    import io
    import json

    body = json.dumps(analyze_body("Hello.")).encode() + b" " * (3 * 1024 * 1024)
    response = client.post(f"{ANALYZE}?key={site.api_key}", input_stream=io.BytesIO(body),
                           headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})  # as gunicorn reads chunks
    assert error_of(response, 400, "INVALID_ARGUMENT") == "Request payload size exceeds the limit: 1048576 bytes."


@pytest.mark.parametrize("payload, says", [
    (gzip.compress(b'{"comment": {"text": "Hi."}}', mtime=0), "The body is compressed (gzip): say so with Content-Encoding: gzip, or send it uncompressed."),
    ('{"comment": {"text": "Café"}}'.encode("latin-1"), "The body is not UTF-8 text."),
], ids=["gzip", "latin-1"])  # named: each test process collects the same ids
def test_a_body_that_is_not_utf8_is_refused_in_plain_words(client, site, payload, says):
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=payload, content_type="application/json")
    assert error_of(response, 400, "INVALID_ARGUMENT") == f"Invalid JSON payload received. {says}"


def test_a_body_with_a_byte_order_mark_is_read(client, site):
    body = b"\xef\xbb\xbf" + json.dumps(analyze_body("Thanks for the report.")).encode()
    assert client.post(f"{ANALYZE}?key={site.api_key}", data=body, content_type="application/json").status_code == 200


@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_it_rejects_malformed_json(client, site, payload):
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=payload, content_type="application/json")
    assert "Invalid JSON payload" in error_of(response, 400, "INVALID_ARGUMENT")


@pytest.mark.parametrize("payload, says", [
    (b"[" * 100_000, "Arrays or objects are nested too deeply."),
    (b'{"comment": {"text": "Hi."}, "n": ' + b"9" * 5000 + b"}", "A number in it is too long."),
], ids=["deep", "long-number"])
def test_a_body_python_cannot_read_is_refused_without_quoting_python(client, site, payload, says):
    """It answered "maximum recursion depth exceeded" and "use sys.set_int_max_str_digits()" (a re-check)."""
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=payload, content_type="application/json")
    message = error_of(response, 400, "INVALID_ARGUMENT")
    assert says in message and "sys." not in message and "recursion" not in message


def test_it_rejects_languages_other_than_english_and_says_so(client, site):
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Das ist ein guter Artikel über die Stadt.", languages=["de"]))
    message = error_of(response, 400, "INVALID_ARGUMENT")
    assert message == "Attribute TOXICITY does not support request languages: de"  # Perspective's, word for word
    # What clients read to skip the comment rather than fail (Perspective's details, field for field).
    assert error_type_of(response) == "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE"
    assert response.get_json()["error"]["details"][0]["languageNotSupportedByAttributeError"] == {
        "requestedLanguages": ["de"], "detectedLanguages": ["de"], "attribute": "TOXICITY"}


def test_other_errors_carry_no_details(client, site):
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hi.", "FLIRTATION"))
    assert "details" not in response.get_json()["error"]


def test_it_limits_requests_per_key_per_minute(app_with, services, site, outsider, monkeypatch):
    # The limiter's allowance comes back with time.time(): on a busy machine (the first request loads
    # the model, seconds) a request's worth would be back before the third.
    from moderation.perspective import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_030.0,
                                                                  monotonic=time.monotonic))
    client = app_with(PERSPECTIVE_RATE_LIMIT=2).test_client()

    for _ in range(2):
        assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello.")).status_code == 200
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello."))

    error_of(response, 429, "RESOURCE_EXHAUSTED")
    error = response.get_json()["error"]
    assert int(response.headers["Retry-After"]) == 30  # one request's worth of a two-a-minute allowance
    # As Google's quota errors: clients that back off read these, not the header.
    assert [d.get("reason") or d.get("retryDelay") for d in error["details"]] == ["RATE_LIMIT_EXCEEDED", "30s"]
    # Another key has its own allowance.
    assert client.post(f"{ANALYZE}?key={outsider.api_key}", json=analyze_body("Hello.")).status_code == 200


def test_it_keeps_scoring_when_redis_is_down(app_with, services, site, tmp_path):
    client = app_with(PERSPECTIVE_RATE_LIMIT=1, REDIS_URL=f"redis+socket://{tmp_path}/nothing.sock").test_client()

    for _ in range(3):
        assert client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Hello.")).status_code == 200


def suggest_body(**changes: object) -> dict:
    body = {"comment": {"text": "You idiot."}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
            "languages": ["en"], "clientToken": "t"}
    body.update(changes)
    return body


@pytest.mark.parametrize("body", [
    suggest_body(attributeScores={"TOXICITY": {"summaryScore": {"value": 1.5}}}),
    suggest_body(attributeScores={"TOXICITY": {"summaryScore": {"value": -0.1}}}),
    suggest_body(attributeScores={"TOXICITY": {"summaryScore": {"value": "1"}}}),
    suggest_body(attributeScores={"TOXICITY": {"summaryScore": {}}}),
    suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": 0, "end": 3, "score": {"value": 2}}]}}),
    suggest_body(attributeScores={"HIGHLIGHTED": {"summaryScore": {"value": 1}}, "DELETED": {"summaryScore": {"value": 1}}}),
    suggest_body(attributeScores={"SPAM": {"summaryScore": {"value": 1}}}),
    suggest_body(attributeScores={}),
    suggest_body(comment={"text": ""}),
    suggest_body(languages=["fr"]),
    {**suggest_body(comment={"text": "Ferme ta gueule, espèce de connard."}), "languages": []},
    suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": 5, "end": 2, "score": {"value": 1}}]}}),
    suggest_body(attributeScores={"TOXICITY": {"summaryScore": {"value": 1},
                                               "spanScores": [{"begin": -1, "end": 2, "score": {"value": 1}}]}}),
    suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": 0, "end": 2 ** 40, "score": {"value": 1}}]}}),
    suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": 0.5, "end": 3, "score": {"value": 1}}]}}),
    suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": "0", "end": "9" * 5000, "score": {"value": 1}}]}}),
], ids=["above-one", "below-zero", "string", "no-value", "span-above-one", "approved-and-deleted", "unknown-attribute",
        "no-scores", "empty-text", "french", "detected-french", "span-ends-before-it-begins", "span-negative-beside-summary",
        "span-past-the-text", "span-fractional", "span-of-5000-digits-in-a-string"])
def test_suggestscore_rejects_bad_labels_and_stores_nothing(client, app, site, body):
    error_of(client.post(f"{SUGGEST}?key={site.api_key}", json=body), 400, "INVALID_ARGUMENT")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LabelledExample)) == 0


@pytest.mark.parametrize("begin, end", [(0.0, 3), ("0", "3"), (0, 10)])
def test_suggestscore_takes_offsets_as_proto3_json_spells_them(client, site, begin, end):
    """A re-check: 0.0 and "0" were refused; "You idiot." is 10 long, so 10 is its end."""
    body = suggest_body(attributeScores={"TOXICITY": {"spanScores": [{"begin": begin, "end": end, "score": {"value": 1}}]}})
    assert client.post(f"{SUGGEST}?key={site.api_key}", json=body).status_code == 200


@pytest.mark.parametrize("method, path, code", [
    ("GET", ANALYZE, 405), ("PUT", ANALYZE, 405), ("POST", "/v1alpha1/comments:bogus", 404), ("POST", "/batch", 404),
    ("POST", "/comments:analyze", 404),  # an endpoint set without /v1alpha1
    ("POST", "/v1alpha1//comments:analyze", 404),  # one set with a trailing slash
])
def test_a_wrong_url_or_method_answers_in_googles_shape_not_html(client, site, method, path, code):
    response = client.open(f"{path}?key={site.api_key}", method=method, json=analyze_body("Hello."))
    assert response.status_code == code and response.is_json
    assert response.get_json()["error"]["code"] == code
    if code == 405:
        assert "POST" in response.headers["Allow"]
        assert response.get_json()["error"]["message"] == f"{ANALYZE} takes POST only, not {method}."
        # A name of google.rpc.Code, which clients map the status onto (an integrator's walk).
        assert response.get_json()["error"]["status"] == "NOT_FOUND"
    if path == "/comments:analyze":
        assert "end the endpoint you set with /v1alpha1" in response.get_json()["error"]["message"]
    if "//" in path:
        assert "a slash too many: set the endpoint without a trailing slash" in response.get_json()["error"]["message"]


def test_a_relaxed_body_must_be_short_and_a_long_one_strict_json(client, site):
    """The JSON5 parser is pure Python: a 64 KB relaxed body cost up to 4 s of CPU, and eight at once
    held another site's request for 23 s."""
    long_text = "word " * 1000
    body = ('{comment: {text: "' + long_text + '"}, requestedAttributes: {TOXICITY: {}}}').encode()
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=body, content_type="application/json")
    assert "bodies over 4096 bytes must be strict JSON" in error_of(response, 400, "INVALID_ARGUMENT")


def test_a_field_given_twice_is_refused_as_the_comment_api_refuses_it(client, site):
    """A re-check: {"text": "you are an idiot", "text": "have a nice day"} scored the second."""
    raw = ('{"comment": {"text": "you are an idiot", "text": "have a nice day"}, '
           '"requestedAttributes": {"TOXICITY": {}}}')
    response = client.post(f"/v1alpha1/comments:analyze?key={site.api_key}", data=raw, content_type="application/json")

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == 'Invalid JSON payload received. Duplicate field "text".'


def test_a_gzip_body_sent_as_googles_java_and_net_clients_send_it_is_read(client, site):
    """An integrator's walk: those clients gzip request bodies by default, and every call was refused."""
    body = gzip.compress(json.dumps(analyze_body("Thanks for the report.")).encode())
    headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=body, headers=headers)
    assert response.status_code == 200 and "TOXICITY" in response.get_json()["attributeScores"]
    bomb = client.post(f"{ANALYZE}?key={site.api_key}", data=gzip.compress(b" " * (2 * 1024 * 1024)), headers=headers)
    assert error_of(bomb, 400, "INVALID_ARGUMENT") == "Request payload size exceeds the limit: 1048576 bytes."


def test_a_body_that_says_gzip_and_is_not_is_refused_in_googles_shape(client, site):
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=json.dumps(analyze_body("Hi.")).encode(),
                           headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert response.status_code == 400 and response.get_json()["error"]["status"] == "INVALID_ARGUMENT"


def test_gzip_with_more_after_its_stream_is_refused_not_cut_unsaid(client, site):
    """A security review: a second gzip member, or junk after the first, was dropped unsaid."""
    first = gzip.compress(json.dumps(analyze_body("Thanks for the report.")).encode())
    for body in (first + gzip.compress(b'{"more": 1}'), first + b"GARBAGE"):
        response = client.post(f"{ANALYZE}?key={site.api_key}", data=body,
                               headers={"Content-Type": "application/json", "Content-Encoding": "gzip"})
        assert "has more after its gzip data" in error_of(response, 400, "INVALID_ARGUMENT")


def test_a_slash_at_the_end_of_the_method_is_named_as_such(client, site):
    response = client.post(f"{ANALYZE}/?key={site.api_key}", json=analyze_body("Hello."))
    assert response.get_json()["error"]["message"].endswith("Take the slash off its end.")


def test_a_body_in_an_encoding_other_than_gzip_is_refused_in_googles_shape_naming_it(client, site):
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=json.dumps(analyze_body("Hi.")).encode(),
                           headers={"Content-Type": "application/json", "Content-Encoding": "br"})
    assert "Content-Encoding: br is not one we read" in error_of(response, 400, "INVALID_ARGUMENT")
