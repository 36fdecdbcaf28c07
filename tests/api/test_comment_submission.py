"""Submitting comments: what a site's program sees, and that bad input stores nothing."""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import pytest
from sqlalchemy import func, select

from moderation import db
from moderation.api.validation import comment_input
from moderation.models import Comment

GOOD = {"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "A thoughtful comment."}


def count_comments(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


def post(client, site, body, **kwargs):
    return client.post("/api/v1/comments", json=body, headers=site.headers, **kwargs)


def assert_error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    if field is not None:
        assert error["field"] == field
    return error


def test_it_accepts_a_comment_as_pending_and_hidden_until_scored(client, site):
    response = post(client, site, {**GOOD, "parent_id": 7, "story_url": "https://x.test/s",
                                   "story_title": "Story", "author_name": "Ann", "created_at": "2026-11-28T09:30:00Z"})
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "pending" and body["visible"] is False and isinstance(body["id"], int)
    assert response.headers["Location"].endswith(f"/api/v1/comments/{body['id']}")


def test_it_stores_an_integer_site_id_as_a_string(client, site):
    response = post(client, site, {**GOOD, "id": 12345})
    assert response.status_code == 202
    assert response.get_json()["site_comment_id"] == "12345"
    assert client.get("/api/v1/comments/by-site-id/12345", headers=site.headers).status_code == 200


def test_it_returns_the_existing_comment_when_the_same_body_is_posted_again(app, client, site):
    first = post(client, site, GOOD)
    again = post(client, site, GOOD)
    assert again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"]
    assert count_comments(app) == 1


def test_it_refuses_a_different_body_under_an_id_already_used(app, client, site):
    post(client, site, GOOD)
    response = post(client, site, {**GOOD, "text": "Edited afterwards."})
    assert_error(response, 409, "id")
    assert count_comments(app) == 1


def test_a_resend_writing_the_same_time_in_another_offset_is_the_same_comment(app, client, site):
    first = post(client, site, {**GOOD, "created_at": "2026-11-28T09:30:00Z"})
    again = post(client, site, {**GOOD, "created_at": "2026-11-28T11:30:00+02:00"})
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert_error(post(client, site, {**GOOD, "created_at": "2026-11-28T11:30:00+01:00"}), 409, "id")


def test_a_comment_stored_with_the_offset_it_was_sent_in_still_matches_its_resend(app, client, site):
    sent = {**GOOD, "created_at": "2026-11-28T11:30:00+02:00"}
    first = post(client, site, sent)
    with app.app_context():  # as rows stored before 2026-12-03 were hashed
        comment = db.session.scalars(select(Comment)).one()
        comment.body_hash = comment_input(sent, max_text_length=10_000)._hash(
            datetime.fromisoformat(sent["created_at"]))
        db.session.commit()
    again = post(client, site, sent)
    assert again.status_code == 200, again.get_data(as_text=True)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_two_sites_may_use_the_same_comment_id(app, client, site, outsider):
    assert post(client, site, GOOD).status_code == 202
    assert post(client, outsider, GOOD).status_code == 202
    assert count_comments(app) == 2


def test_concurrent_posts_of_one_comment_store_it_once(app, site):
    def send(_: int) -> int:
        with app.test_client() as c:
            return post(c, site, GOOD).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, range(12)))
    assert sorted(set(statuses)) in ([200, 202], [202])
    assert statuses.count(202) == 1
    assert count_comments(app) == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({k: v for k, v in GOOD.items() if k != "id"}, "id"),
        ({k: v for k, v in GOOD.items() if k != "story_id"}, "story_id"),
        ({k: v for k, v in GOOD.items() if k != "author_id"}, "author_id"),
        ({k: v for k, v in GOOD.items() if k != "text"}, "text"),
        ({**GOOD, "id": ""}, "id"),
        ({**GOOD, "id": True}, "id"),
        ({**GOOD, "id": 1.5}, "id"),
        ({**GOOD, "id": ["c-1"]}, "id"),
        ({**GOOD, "story_id": {"id": 1}}, "story_id"),
        ({**GOOD, "text": 42}, "text"),
        ({**GOOD, "text": ""}, "text"),
        ({**GOOD, "text": " \n\t "}, "text"),
        ({**GOOD, "text": "\u200b\u200b"}, "text"),  # zero-width spaces: nothing a reader can see
        ({**GOOD, "text": " \ufeff\u200d "}, "text"),
        ({**GOOD, "id": "\u200b"}, "id"),
        ({**GOOD, "text": "x" * 20_001}, "text"),
        ({**GOOD, "text": "nul\x00byte"}, "text"),
        ({**GOOD, "id": "nul\x00id"}, "id"),
        ({**GOOD, "author_name": "Ann\x00"}, "author_name"),
        ({**GOOD, "story_title": 3}, "story_title"),
        ({**GOOD, "story_url": "u" * 2001}, "story_url"),
        ({**GOOD, "parent_id": False}, "parent_id"),
        ({**GOOD, "parent_id": "c-1"}, "parent_id"),  # its own id: a card showed it replying to itself
        ({**GOOD, "created_at": "yesterday"}, "created_at"),
        ({**GOOD, "created_at": 1700000000}, "created_at"),
        ({**GOOD, "id": "i" * 201}, "id"),
    ],
)
def test_it_refuses_invalid_fields_and_stores_nothing(app, client, site, body, field):
    assert_error(post(client, site, body), 400, field)
    assert count_comments(app) == 0


def test_text_with_something_visible_beside_invisible_characters_is_accepted(client, site):
    assert post(client, site, {**GOOD, "text": "\u200bno\u00ad\u200bway"}).status_code == 202


def test_it_accepts_text_of_exactly_the_maximum_length(client, site):
    assert post(client, site, {**GOOD, "text": "x" * 20_000}).status_code == 202


def test_it_refuses_a_text_that_expands_past_twice_the_limit_once_read_and_takes_a_few_ligatures(app, client, site):
    """A chaos walk: 260 comments of 20,000 U+FDFA (18 characters each once normalised) kept both
    scoring processes busy for four minutes, every site's comments pending meanwhile."""
    crafted = post(client, site, {**GOOD, "id": "crafted", "text": "\ufdfa" * 5_000 + " words"})
    assert_error(crafted, 400, "text")
    assert "too long once read" in crafted.get_json()["error"]["message"]
    edit = client.patch(f"/api/v1/comments/{post(client, site, GOOD).get_json()['id']}", headers=site.headers,
                        json={"text": "\ufdfa" * 3_000})
    assert_error(edit, 400, "text")
    batch = client.post("/api/v1/comments:batch", headers=site.headers,
                        json={"comments": [{**GOOD, "id": "b-1", "text": "\ufdfa" * 2_300}]})
    assert batch.get_json()["results"][0]["status"] == 400
    devout = "The imam said the Prophet \ufdfa taught patience; " * 300  # 15,900 characters, 21,000 once read
    assert post(client, site, {**GOOD, "id": "devout", "text": devout}).status_code == 202


def test_it_refuses_an_unpaired_surrogate_which_postgres_cannot_store(app, client, site):
    raw = '{"id": "c", "story_id": "s", "author_id": "a", "text": "bad \\ud800 char"}'
    response = client.post("/api/v1/comments", data=raw, content_type="application/json", headers=site.headers)
    assert_error(response, 400, "text")
    assert count_comments(app) == 0


@pytest.mark.parametrize("raw", ["", "{not json", "[1, 2]", '"text"', "null", b"\xff\xfe"])
def test_it_refuses_a_body_that_is_not_a_json_object(app, client, site, raw):
    response = client.post("/api/v1/comments", data=raw, content_type="application/json", headers=site.headers)
    assert assert_error(response, 400)["code"] == "malformed_json"
    assert count_comments(app) == 0


def test_it_answers_a_body_over_a_megabyte_with_a_json_413(app, client, site):
    raw = json.dumps({**GOOD, "text": "x" * (1024 * 1024 + 10)})
    response = client.post("/api/v1/comments", data=raw, content_type="application/json", headers=site.headers)
    error = assert_error(response, 413)
    assert error["message"] == "the request body is larger than the 1,048,576 bytes this endpoint takes"
    assert count_comments(app) == 0


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer"}, {"Authorization": "Bearer mk_nope_nope"}, {"Authorization": "Basic abc"}],
)
def test_it_refuses_a_missing_or_wrong_api_key(app, client, site, headers):
    response = client.post("/api/v1/comments", json=GOOD, headers=headers)
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert count_comments(app) == 0


@pytest.mark.parametrize("headers", [lambda key: {"Authorization": key}, lambda key: {"X-API-Key": key},
                                     lambda key: {"Authorization": f"Token {key}"}])
def test_a_key_sent_the_wrong_way_is_refused_saying_how_to_send_it(app, client, site, headers):
    """A Node integrator's walk: the key sent bare, or as X-API-Key, was answered "missing API key"."""
    response = client.post("/api/v1/comments", json=GOOD, headers=headers(site.api_key))
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == (
        "the API key goes in the Authorization header as `Authorization: Bearer <key>`")
    assert count_comments(app) == 0


def test_a_resend_with_another_body_names_what_differs(client, site):
    first = client.post("/api/v1/comments", json={**GOOD, "id": "c-told"}, headers=site.headers)
    assert first.status_code == 202
    again = client.post("/api/v1/comments", json={**GOOD, "id": "c-told", "author_id": "someone-else"},
                        headers=site.headers)
    assert again.status_code == 409 and again.get_json()["error"] == {
        "code": "conflict", "field": "id",
        "message": "comment 'c-told' was already submitted with a different body: its author_id differs from the "
                   "first submission's"}


def test_it_refuses_the_right_key_id_with_a_wrong_secret(app, client, site):
    prefix, key_id, _ = site.api_key.split("_", 2)
    response = client.post("/api/v1/comments", json=GOOD, headers={"Authorization": f"Bearer {prefix}_{key_id}_x"})
    assert_error(response, 401)


def test_an_id_sent_with_spaces_around_it_is_found_by_the_same_spelling(client, site):
    posted = post(client, site, {**GOOD, "id": " lead ", "story_id": " s-9"})
    assert posted.status_code == 202 and posted.get_json()["site_comment_id"] == "lead"
    found = client.get("/api/v1/comments/by-site-id/%20lead%20", headers=site.headers)
    assert found.status_code == 200 and found.get_json()["id"] == posted.get_json()["id"]
    assert client.get("/api/v1/stories/%20s-9", headers=site.headers).get_json()["comments"]["total"] == 1
    listed = client.get("/api/v1/comments", query_string={"story_id": " s-9"}, headers=site.headers)
    assert [c["id"] for c in listed.get_json()["comments"]] == [posted.get_json()["id"]]


@pytest.mark.parametrize("blank", ["   ", "\u200b\u200b", "\u00ad \u2060", "\u3164", "\u2800", "\ufe0f\u034f", "\U000e0100"])
def test_an_author_name_or_story_title_with_nothing_visible_is_no_name(app, client, site, blank):
    # A card said "by " with an empty link: a reader could hide from moderators behind a blank name.
    response = post(client, site, {**GOOD, "author_name": blank, "story_title": blank})
    assert response.status_code == 202
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert (comment.author_name, comment.story_title) == (None, None)


def test_a_reply_to_a_comment_on_another_story_is_refused(app, client, site):
    """An integrator's mix-up of ids: the card quoted another story's comment as the one replied to."""
    assert post(client, site, {**GOOD, "id": "p-1", "story_id": "s-other"}).status_code == 202

    refused = post(client, site, {**GOOD, "id": "r-1", "parent_id": "p-1"})
    same_story = post(client, site, {**GOOD, "id": "r-2", "story_id": "s-other", "parent_id": "p-1"})
    unknown_parent = post(client, site, {**GOOD, "id": "r-3", "parent_id": "never-sent"})

    assert_error(refused, 400, "parent_id")
    assert "is a comment on story 's-other'" in refused.get_json()["error"]["message"]
    assert same_story.status_code == 202 and unknown_parent.status_code == 202  # a parent may predate us
    assert count_comments(app) == 3


def test_a_chunked_body_past_the_limit_is_refused_not_cut_and_parsed(app, client, site):
    """A security review: sent chunked (no Content-Length), a 3 MB body was cut at 1 MiB and stored,
    and so was one whose invalid tail lay past the cut."""
    import io

    body = json.dumps({**GOOD, "id": "chunked-big"}).encode() + b" " * 1_100_000 + b"garbage"
    small = json.dumps({**GOOD, "id": "chunked-small"}).encode()

    def chunked(data: bytes):
        return client.post("/api/v1/comments", input_stream=io.BytesIO(data),
                           headers={**site.headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
                           environ_overrides={"wsgi.input_terminated": True})  # as gunicorn reads chunks

    refused = chunked(body)
    assert refused.status_code == 413 and refused.get_json()["error"]["code"]
    assert chunked(small).status_code == 202  # a chunked body within the limit is read whole
    assert count_comments(app) == 1


def test_a_key_sent_twice_in_one_object_is_refused_naming_it(app, client, site):
    """json.loads kept the last "text": the abuse before it went unseen by us, not by a proxy reading the first."""
    raw = ('{"id": "dup-1", "story_id": "s", "author_id": "a", "text": "You are a worthless idiot", '
           '"text": "Lovely day."}')
    response = client.post("/api/v1/comments", data=raw, content_type="application/json", headers=site.headers)

    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "malformed_json"
    assert '"text" comes twice' in response.get_json()["error"]["message"]


def test_a_gzip_body_is_read_when_it_says_so_and_refused_in_those_words_when_not(client, site):
    import gzip
    import json

    body = gzip.compress(json.dumps({**GOOD, "id": "gz-1"}).encode())
    said = client.post("/api/v1/comments", data=body, headers={**site.headers, "Content-Type": "application/json",
                                                                "Content-Encoding": "gzip"})
    unsaid = client.post("/api/v1/comments", data=gzip.compress(json.dumps({**GOOD, "id": "gz-2"}).encode()),
                         headers={**site.headers, "Content-Type": "application/json"})

    assert said.status_code == 202 and said.get_json()["site_comment_id"] == "gz-1"
    assert unsaid.status_code == 400
    assert "compressed (gzip): say so with Content-Encoding: gzip, or send it uncompressed" in unsaid.get_json()["error"]["message"]
    # A small body that unpacks past the limit is refused, as a large one is; one that is not gzip, named.
    bomb = client.post("/api/v1/comments", data=gzip.compress(b" " * (2 * 1024 * 1024)),
                       headers={**site.headers, "Content-Type": "application/json", "Content-Encoding": "gzip"})
    fake = client.post("/api/v1/comments", data=json.dumps({**GOOD, "id": "gz-3"}).encode(),
                       headers={**site.headers, "Content-Type": "application/json", "Content-Encoding": "gzip"})
    assert bomb.status_code == 413 and fake.status_code == 400
    assert fake.get_json()["error"]["message"] == "the body says Content-Encoding: gzip but is not gzip data"


@pytest.mark.parametrize("text", ["\u0301\u0301\u0301", "\ufe0f", "\u2800\u2800", "\u3164\u3164", "\u2063\u0094", "\u115f",
                                  "\u0001\u0002\u0003\u0007", "\b\b", "\x1b[31m"[:1]])
def test_text_that_shows_a_reader_nothing_is_refused_as_comments_analyze_refuses_it(client, site, text):
    """An integrator's walk: combining marks alone, a variation selector, the braille blank and Hangul
    fillers were published here while comments:analyze refused them as COMMENT_EMPTY."""
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={**GOOD, "id": f"blank-{len(text)}", "text": text})
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "text"
    analyzed = client.post(f"/v1alpha1/comments:analyze?key={site.api_key}",
                           json={"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})
    assert analyzed.status_code == 400


def test_a_field_of_ours_in_camel_case_is_refused_naming_ours(client, site):
    """An integrator's walk: "parentId" was ignored like any unknown field, and the reply stored as a
    top-level comment; "reporterId" made a named report an anonymous one at half weight."""
    reply = client.post("/api/v1/comments", headers=site.headers, json={**GOOD, "id": "cc-1", "parentId": "c-0"})
    assert reply.status_code == 400 and reply.get_json()["error"] == {
        "code": "invalid_field", "field": "parent_id",
        "message": "parentId is spelt parent_id here (this API's fields are snake_case)"}
    posted = client.post("/api/v1/comments", headers=site.headers, json={**GOOD, "id": "cc-2"}).get_json()
    named = client.post(f"/api/v1/comments/{posted['id']}/reports", headers=site.headers,
                        json={"reason": "spam", "reporterId": "r-1"})
    assert named.status_code == 400 and named.get_json()["error"]["field"] == "reporter_id"
    # Both spellings, or one we do not have, change nothing: the site's own fields are let be.
    both = client.post("/api/v1/comments", headers=site.headers,
                       json={**GOOD, "id": "cc-3", "parent_id": "c-0", "parentId": "c-0", "siteSection": "news"})
    assert both.status_code == 202


@pytest.mark.parametrize(("method", "path", "endpoint"), [("post", "/api/v1/comments/", "/api/v1/comments"),
                                                          ("post", "/api/v1/sanctions/", "/api/v1/sanctions")])
def test_a_trailing_slash_is_named_in_the_404(client, site, method, path, endpoint):
    """A Node integrator's walk: a base URL ending in "/" joined to "comments/" got "no such comment,
    or no such endpoint"."""
    response = getattr(client, method)(path, json=GOOD, headers=site.headers)
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == f"there is nothing at {path}: drop the trailing slash ({endpoint})"


def test_a_resend_after_its_author_was_erased_does_not_blame_the_name(client, site):
    """A re-check: the erasure took the author's name, and the 409 then said author_name differed."""
    assert client.post("/api/v1/comments", json={**GOOD, "id": "c-gone", "author_id": "leaver",
                                                  "author_name": "Lea"}, headers=site.headers).status_code == 202
    assert client.delete("/api/v1/authors/leaver", headers=site.headers).status_code == 200
    again = client.post("/api/v1/comments", json={**GOOD, "id": "c-gone", "author_id": "leaver", "author_name": "Lea",
                                                  "text": "Another text."}, headers=site.headers)
    assert again.status_code == 409
    assert again.get_json()["error"]["message"].endswith("the first submission's text was erased since, so nothing "
                                                         "can be told apart")


def test_a_body_in_an_encoding_other_than_gzip_is_a_415_naming_it_not_read_as_plain(client, site):
    """Content-Encoding: deflate was "not valid JSON: it is not UTF-8", and br on a plain body was
    stored unsaid (an API contract walk)."""
    import json
    import zlib

    plain = json.dumps({**GOOD, "id": "enc-1"}).encode()
    for encoding, body in (("deflate", zlib.compress(plain)), ("br", plain)):
        response = client.post("/api/v1/comments", data=body, headers={
            **site.headers, "Content-Type": "application/json", "Content-Encoding": encoding})
        assert response.status_code == 415, encoding
        error = response.get_json()["error"]
        assert error["code"] == "unsupported_media_type"
        assert f"Content-Encoding: {encoding}" in error["message"] and "gzip" in error["message"]
    assert client.get("/api/v1/comments/by-site-id/enc-1", headers=site.headers).status_code == 404
    identity = client.post("/api/v1/comments", data=plain, headers={
        **site.headers, "Content-Type": "application/json", "Content-Encoding": "identity"})
    assert identity.status_code == 202


def test_ids_are_stored_less_the_whitespace_around_them_as_the_openapi_says(client, site):
    """Trimmed unsaid: the document said only "stored as a string", so a site whose ids carry spaces
    got back a `site_comment_id` other than the one it sent (an API contract walk)."""
    posted = client.post("/api/v1/comments", headers=site.headers,
                         json={**GOOD, "id": "  sp-57  ", "author_id": " au-57 "}).get_json()
    assert (posted["site_comment_id"], posted["author_id"]) == ("sp-57", "au-57")
    assert client.get("/api/v1/comments/by-site-id/%20sp-57%20", headers=site.headers).get_json()["id"] == posted["id"]
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    assert "less the whitespace around it" in schemas["NewComment"]["properties"]["id"]["description"]
    assert "less the whitespace around it" in schemas["Comment"]["properties"]["site_comment_id"]["description"]
    by_site = document["paths"]["/api/v1/comments/by-site-id/{site_comment_id}"]["get"]["parameters"][0]
    assert "less the whitespace around it" in by_site["description"]
