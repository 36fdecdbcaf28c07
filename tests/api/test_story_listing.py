"""A site lists a story's comments with their statuses, page by page, and counts them."""
from __future__ import annotations

from test_comment_lookup_and_reports import move, report, submit


def listing(client, site, **query):
    return client.get("/api/v1/comments", headers=site.headers, query_string=query)


def test_a_storys_comments_come_page_by_page_without_gaps_or_repeats(client, site):
    ours = [submit(client, site, id=f"c-{n}", story_id="s-1") for n in range(5)]
    submit(client, site, id="elsewhere", story_id="s-2")

    first = listing(client, site, story_id="s-1", limit=2).get_json()
    # A comment arriving between two pages is neither skipped nor repeated.
    ours.append(submit(client, site, id="late", story_id="s-1"))
    seen = [c["id"] for c in first["comments"]]
    next_url = first["next"]
    while next_url:
        page = client.get(next_url, headers=site.headers).get_json()
        seen += [c["id"] for c in page["comments"]]
        next_url = page["next"]

    assert seen == ours
    assert first["next_after"] == ours[1]


def test_the_listing_filters_by_status_and_echoes_the_stored_fields(app, client, site):
    held = submit(client, site, id="c-1", story_id="s-1", parent_id="c-0", author_name="Lois")
    published = submit(client, site, id="c-2", story_id="s-1")
    move(app, held, "held")
    move(app, published, "published")

    body = listing(client, site, story_id="s-1", status="held").get_json()

    assert [c["id"] for c in body["comments"]] == [held] and body["next"] is None
    comment = body["comments"][0]
    assert (comment["parent_id"], comment["author_name"], comment["story_id"]) == ("c-0", "Lois", "s-1")
    assert "text" not in comment
    with_text = listing(client, site, story_id="s-1", status="held,published", include="text").get_json()
    assert [c["text"] for c in with_text["comments"]] == ["A thoughtful comment."] * 2


def test_one_readers_comments_are_listed_across_stories(client, site):
    """A site answering a subject access request got every reader's comments: author_id was ignored."""
    theirs = [submit(client, site, id="c-1", story_id="s-1", author_id="reader-zq"),
              submit(client, site, id="c-3", story_id="s-2", author_id="reader-zq")]
    submit(client, site, id="c-2", story_id="s-1", author_id="reader-other")
    assert [c["id"] for c in listing(client, site, author_id="reader-zq").get_json()["comments"]] == theirs
    assert [c["id"] for c in listing(client, site, author_id="reader-zq", story_id="s-2").get_json()["comments"]] == (
        theirs[1:])
    for worst in ("  ", "\u200b", "a" * 5000):  # blank, invisible, huge
        refused = listing(client, site, author_id=worst)
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == "author_id", repr(worst)
    assert listing(client, site, author_id="reader\x00zq").status_code == 400  # a NUL: refused for any URL
    assert listing(client, site, author_id="読者-🙂").get_json()["comments"] == []  # odd but valid: none such


def test_another_sites_comments_are_never_listed(client, site, outsider):
    submit(client, site, story_id="s-1")
    assert listing(client, outsider, story_id="s-1").get_json()["comments"] == []


def test_bad_listing_parameters_are_400s_naming_the_parameter(client, site):
    for query, field in (({"status": "lost"}, "status"), ({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
                         ({"after": "-1"}, "after"), ({"after": "²"}, "after"), ({"include": "secrets"}, "include")):
        response = listing(client, site, **query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["field"] == field


def test_a_parameter_sent_twice_is_a_400_naming_it_not_cut_to_its_first_value(app, client, site):
    """`status=held&status=published` (how axios, requests and Go send a list) listed held comments
    alone, with no error; `changes?after=now&after=garbage` never read the garbage (an API contract walk)."""
    held = submit(client, site, id="c-1", story_id="s-1")
    move(app, held, "held")
    for path, field in (("/api/v1/comments?status=held&status=published", "status"),
                        ("/api/v1/comments?story_id=s-1&story_id=s-2", "story_id"),
                        ("/api/v1/comments?limit=1&limit=2", "limit"),
                        ("/api/v1/comments/changes?after=now&after=garbage", "after"),
                        (f"/api/v1/comments/{held}?include=text&include=text", "include")):
        response = client.get(path, headers=site.headers)
        assert response.status_code == 400, path
        assert response.get_json()["error"]["field"] == field
    message = client.get("/api/v1/comments?status=held&status=published", headers=site.headers).get_json()
    assert "status=held,published" in message["error"]["message"]
    deleting = client.delete(f"/api/v1/comments/{held}?by=author&by=site", headers=site.headers)
    assert deleting.status_code == 400 and deleting.get_json()["error"]["field"] == "by"
    assert client.get(f"/api/v1/comments/{held}", headers=site.headers).get_json()["status"] == "held"


def test_a_story_counts_its_comments_by_status(app, client, site):
    ids = [submit(client, site, id=f"c-{n}", story_id="s-1") for n in range(4)]
    submit(client, site, id="elsewhere", story_id="s-2")
    move(app, ids[0], "published")
    move(app, ids[1], "held")
    move(app, ids[2], "published")
    for reporter in ("r-1", "r-2"):  # held again by two readers' reports
        report(client, site, ids[2], reason="hate", reporter_id=reporter)

    body = client.get("/api/v1/stories/s-1", headers=site.headers).get_json()

    assert body["story_id"] == "s-1"
    counts = body["comments"]
    assert counts["total"] == 4
    assert counts["by_status"] == {"pending": 1, "published": 1, "held": 2, "approved": 0, "rejected": 0,
                                   "deleted": 0}
    assert counts["visible"] == 1 and counts["in_review"] == 2  # pre-moderation hides pending and held


def test_a_story_without_comments_has_zeros(client, site, outsider):
    submit(client, site, story_id="s-1")
    body = client.get("/api/v1/stories/s-1", headers=outsider.headers).get_json()
    assert body["comments"]["total"] == 0


def test_a_story_id_no_comment_could_have_is_a_400_not_zeros(client, site):
    """A 300-character id answered 200 with zeros, as if the story had no comments yet (a walk)."""
    response = client.get(f"/api/v1/stories/{'s' * 201}", headers=site.headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "story_id"
    assert client.get(f"/api/v1/stories/{'s' * 200}", headers=site.headers).status_code == 200


def test_a_nul_in_a_malformed_api_path_is_a_json_400(client, site):
    response = client.patch("/api/v1/comments/-1?q=%00", headers=site.headers, json={"text": "x"})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_character"


def test_a_story_says_whether_it_is_closed_premoderated_or_in_a_storm(app, client, site):
    from datetime import datetime, timezone

    from moderation import db
    from moderation.domain.stories import set_story
    from moderation.models import Site, StoryStorm

    quiet = client.get("/api/v1/stories/s-1", headers=site.headers).get_json()
    assert (quiet["closed"], quiet["premoderated"], quiet["storm"]) == (False, False, None)
    with app.app_context():
        set_story(db.session, db.session.get(Site, site.id), "s-1", closed=True, premoderated=True, actor="user:t")
        at = datetime(2026, 11, 29, 9, 0, tzinfo=timezone.utc)
        db.session.add(StoryStorm(site_id=site.id, story_id="s-1", started_at=at, last_stormy_at=at,
                                  trigger="130 comments in the last minute (limit 100)"))
        db.session.commit()

    body = client.get("/api/v1/stories/s-1", headers=site.headers).get_json()

    assert (body["closed"], body["premoderated"]) == (True, True)
    assert body["storm"]["active"] is True and body["storm"]["trigger"].startswith("130 comments")
    assert body["storm"]["started_at"] == "2026-11-29T09:00:00+00:00"
    other = client.get("/api/v1/stories/s-2", headers=site.headers).get_json()
    assert (other["closed"], other["storm"]) == (False, None)


def test_a_poller_never_moves_past_an_id_that_commits_later(app, client, site):
    """A batch drew its ids, a single comment drew the next and committed first: a site polling with
    `after` saw the single one, moved past it, and never saw the batch (1,782 of 2,073 missed)."""
    import threading

    from moderation import db
    from moderation.domain.comments import CommentInput, insert_new
    from moderation.models import Site

    drawn, release, listed = threading.Event(), threading.Event(), {}

    def slow_batch() -> None:  # draws its id, then waits before committing, like a big batch
        with app.app_context():
            data = CommentInput(external_id="early", story_id="s-1", author_id="a", text="first in line")
            listed["early"] = insert_new(db.session, db.session.get(Site, site.id), [(data, data.body_hash())])["early"].id
            drawn.set()
            release.wait(10)
            db.session.commit()

    def poll() -> None:
        with app.app_context():
            listed["ids"] = [c["id"] for c in listing(app.test_client(), site, story_id="s-1").get_json()["comments"]]

    batch = threading.Thread(target=slow_batch)
    batch.start()
    assert drawn.wait(10)
    late = submit(client, site, id="late", story_id="s-1")  # a later id, committed first
    poller = threading.Thread(target=poll)
    poller.start()
    poller.join(1.0)
    assert poller.is_alive(), f"the page was read before the earlier id committed: {listed}"
    release.set()
    batch.join(10)
    poller.join(10)
    assert listed["ids"] == [listed["early"], late] and listed["early"] < late


def test_a_parameter_named_as_flasks_own_is_kept_in_next_not_a_500(client, site):
    """A re-check: "endpoint" or "_method" in the query collided with url_for's arguments."""
    for n in range(3):
        submit(client, site, id=f"c-{n}", story_id="s-1")
    response = listing(client, site, story_id="s-1", limit=1, endpoint="x", _method="POST", _anchor="frag", after=0)
    assert response.status_code == 200
    next_url = response.get_json()["next"]
    assert next_url.startswith("/api/v1/comments?") and "#" not in next_url
    assert all(part in next_url for part in ("endpoint=x", "_method=POST", "_anchor=frag", "story_id=s-1"))
    assert next_url.count("after=") == 1
