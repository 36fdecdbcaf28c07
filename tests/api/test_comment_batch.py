"""POST /api/v1/comments:batch: many comments in one request, each with its own outcome."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from moderation import db
from moderation.models import Comment

URL = "/api/v1/comments:batch"


def item(n: int, **changes: object) -> dict:
    return {"id": f"c-{n}", "story_id": "s-1", "author_id": f"a-{n}", "text": f"Comment number {n}.", **changes}


def post_batch(client, site, comments, **kwargs):
    return client.post(URL, json={"comments": comments}, headers=site.headers, **kwargs)


def stored(app) -> list[tuple[str, str]]:
    with app.app_context():
        return list(db.session.execute(select(Comment.external_id, Comment.text).order_by(Comment.id)).all())


def test_it_stores_every_comment_and_answers_each_as_a_single_post_would(app, client, site):
    response = post_batch(client, site, [item(n) for n in range(3)])
    assert response.status_code == 200
    body = response.get_json()
    assert [r["status"] for r in body["results"]] == [202, 202, 202]
    assert [r["index"] for r in body["results"]] == [0, 1, 2]
    assert [r["id"] for r in body["results"]] == ["c-0", "c-1", "c-2"]
    assert (body["created"], body["existing"], body["failed"]) == (3, 0, 0)
    first = body["results"][0]["comment"]
    assert first["status"] == "pending" and first["visible"] is False and first["site_comment_id"] == "c-0"
    # The same comment is there for the single-comment routes too.
    single = client.get(f"/api/v1/comments/{first['id']}", headers=site.headers).get_json()
    assert single["site_comment_id"] == "c-0" and single["status"] == "pending"
    assert [external_id for external_id, _ in stored(app)] == ["c-0", "c-1", "c-2"]


def test_sending_the_same_batch_again_stores_nothing_twice(app, client, site):
    comments = [item(n) for n in range(4)]
    first = post_batch(client, site, comments).get_json()
    again = post_batch(client, site, comments).get_json()
    assert [r["status"] for r in again["results"]] == [200] * 4
    assert [r["comment"]["id"] for r in again["results"]] == [r["comment"]["id"] for r in first["results"]]
    assert (again["created"], again["existing"]) == (0, 4)
    assert len(stored(app)) == 4


def test_a_batch_and_single_posts_share_ids_and_conflicts(app, client, site):
    client.post("/api/v1/comments", json=item(1), headers=site.headers)
    client.post("/api/v1/comments", json=item(2), headers=site.headers)
    body = post_batch(client, site, [item(1), item(2, text="Edited afterwards."), item(3)]).get_json()
    assert [r["status"] for r in body["results"]] == [200, 409, 202]
    assert body["results"][1]["error"]["field"] == "id" and "comment" not in body["results"][1]
    # What differs, said: "a different body" alone had its developer diffing bodies by hand (a Node walk).
    assert body["results"][1]["error"]["message"] == ("comment 'c-2' was already submitted with a different body: "
                                                      "its text or created_at differs from the first submission's "
                                                      "(the text byte for byte)")
    assert ("c-2", "Comment number 2.") in stored(app)  # the stored text was not replaced
    assert client.post("/api/v1/comments", json=item(3), headers=site.headers).status_code == 200


def test_each_invalid_item_is_refused_alone_and_the_rest_are_stored(app, client, site):
    comments = [item(0), item(1, text="   "), "not an object", item(3, author_id=None), item(4, id=True),
                item(5, text="a\x00b"), item(6, created_at="9999-12-31T23:59:59-14:00"), item(7)]
    response = post_batch(client, site, comments)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == [202, 400, 400, 400, 400, 400, 400, 202]
    assert [r["error"]["field"] for r in results[1:7]] == ["text", None, "author_id", "id", "text", "created_at"]
    assert all(r["error"]["message"] for r in results[1:7])
    assert results[4]["id"] is None  # a boolean id is not echoed as if it were one
    assert [external_id for external_id, _ in stored(app)] == ["c-0", "c-7"]


def test_an_id_repeated_within_a_batch_is_one_comment(app, client, site):
    body = post_batch(client, site, [item(1), item(1), item(1, text="Another body.")]).get_json()
    assert [r["status"] for r in body["results"]] == [202, 200, 409]
    assert body["results"][0]["comment"]["id"] == body["results"][1]["comment"]["id"]
    assert len(stored(app)) == 1


def test_a_repeated_id_meets_the_stored_comment_not_the_answer_its_first_item_got(app, client, site):
    """Two single POSTs, a conflicting body then the stored one, answer 409 then 200; in one batch
    they had answered 409 twice."""
    post_batch(client, site, [item(1)])
    body = post_batch(client, site, [item(1, text="Another body."), item(1)]).get_json()
    assert [r["status"] for r in body["results"]] == [409, 200]
    assert body["results"][1]["comment"]["site_comment_id"] == "c-1"
    assert (body["existing"], body["failed"]) == (1, 1)
    assert stored(app) == [("c-1", "Comment number 1.")]


def test_the_same_time_in_another_offset_is_the_same_comment_in_and_across_batches(app, client, site):
    utc, cet = item(1, created_at="2026-11-28T09:30:00Z"), item(1, created_at="2026-11-28T10:30:00+01:00")
    assert [r["status"] for r in post_batch(client, site, [utc, cet]).get_json()["results"]] == [202, 200]
    again = post_batch(client, site, [cet, item(1, created_at="2026-11-28T10:30:00+02:00")]).get_json()
    assert [r["status"] for r in again["results"]] == [200, 409]
    assert len(stored(app)) == 1


def test_a_batch_takes_500_comments_and_refuses_501_storing_none(app, client, site):
    too_many = post_batch(client, site, [item(n) for n in range(501)])
    assert too_many.status_code == 400
    assert too_many.get_json()["error"]["field"] == "comments"
    assert stored(app) == []
    full = post_batch(client, site, [item(n) for n in range(500)])
    assert full.status_code == 200 and full.get_json()["created"] == 500
    assert len(stored(app)) == 500


def test_a_body_that_is_not_a_list_of_comments_is_a_400(app, client, site):
    for body in ({}, {"comments": {}}, {"comments": []}, [item(1)]):
        response = client.post(URL, json=body, headers=site.headers)
        assert response.status_code == 400, body
        assert response.is_json and response.get_json()["error"]["message"]
    malformed = client.post(URL, data=b"{not json", headers={**site.headers, "Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.get_json()["error"]["code"] == "malformed_json"
    # Said in a site's words, not Python's ("use sys.set_int_max_str_digits()", "maximum recursion depth").
    for body, says in ((b'{"comments": ' + b"1" * 5000 + b"}", "a number in it is too long"),
                       (b"[" * 100_000 + b"]" * 100_000, "nests arrays or objects too deeply")):
        answer = client.post(URL, data=body, headers={**site.headers, "Content-Type": "application/json"})
        message = answer.get_json()["error"]["message"]
        assert answer.status_code == 400 and says in message and "sys." not in message and "recursion" not in message
    assert stored(app) == []


def test_a_batch_may_be_larger_than_a_single_post_but_not_unbounded(app, app_with, site):
    # 300 comments of 4,000 characters: past the 1 MiB every other route takes.
    big = [item(n, text="word " * 800) for n in range(300)]
    assert app.test_client().post(URL, json={"comments": big}, headers=site.headers).status_code == 200
    small = app_with(BATCH_MAX_BYTES=100_000).test_client()
    refused = small.post(URL, json={"comments": [item(n, text="x" * 1000) for n in range(200, 400)]}, headers=site.headers)
    assert refused.status_code == 413 and refused.is_json
    assert refused.get_json()["error"]["message"] == ("the request body is larger than the 100,000 bytes this "
                                                      "endpoint takes; send fewer comments a batch")


def test_a_batch_needs_a_key_and_only_touches_its_own_site(app, client, site, outsider):
    assert client.post(URL, json={"comments": [item(1)]}).status_code == 401
    post_batch(client, outsider, [item(1)])
    body = post_batch(client, site, [item(1)]).get_json()
    assert body["results"][0]["status"] == 202  # the other site's c-1 is another comment
    assert len(stored(app)) == 2


def test_concurrent_batches_with_the_same_ids_store_each_comment_once(app, site):
    comments = [item(n) for n in range(50)]

    def send(_: int) -> list[int]:
        with app.test_client() as c:
            return [r["status"] for r in post_batch(c, site, comments).get_json()["results"]]

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(send, range(4)))
    for n in range(50):
        assert sorted(o[n] for o in outcomes) == [200, 200, 200, 202]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Comment)) == 50


def test_a_batch_of_new_comments_reads_no_stored_comment(app, client, site):
    """Its cost must not grow with the table: on a table PostgreSQL had not analyzed yet, a SELECT
    of the batch's ids filtered every comment of the site, and the batch row of bench/e2e.py fell
    further behind with every batch. New ids are told apart by the INSERT's unique index alone."""
    from sqlalchemy import event

    post_batch(client, site, [item(n) for n in range(3)])  # stored comments it must not look through
    reads: list[object] = []
    engine = app.extensions["db_engine"]

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        # Reads of stored comments by id; not back-pressure's count of pending ones (bounded by its
        # LIMIT), which runs whenever its recheck interval has passed: on a slow machine, here too.
        if statement.lstrip().startswith("SELECT") and "FROM comments" in statement and "external_id" in statement:
            reads.append(parameters)

    event.listen(engine, "before_cursor_execute", record)
    try:
        response = post_batch(client, site, [item(n) for n in range(3, 8)] + [item(0)])
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert [r["status"] for r in response.get_json()["results"]] == [202] * 5 + [200]
    assert len(reads) == 1 and "c-0" in str(reads[0])  # only for the one id it already had
    assert not any(f"c-{n}" in str(reads[0]) for n in range(3, 8))
    assert [e for e, _ in stored(app)] == [f"c-{n}" for n in range(8)]


def test_a_batch_that_postgresql_aborts_to_break_a_deadlock_is_tried_again(app, site):
    """Two batches of the same new ids in opposite orders each waited on a row the other had inserted:
    PostgreSQL broke the deadlock by aborting one, which answered 503 in three rounds of five (a
    re-check). Here one side inserts x, the batch inserts y and waits on x, then the first side
    inserts y: the batch is aborted, tried again, and meets both as stored."""
    import threading
    import time

    from moderation.domain.batch_submission import submit_comments
    from moderation.domain.comments import CommentInput, insert_new
    from moderation.models import Site

    x, y = (CommentInput(external_id=name, story_id="s-1", author_id="a", text=f"Comment {name}.") for name in "xy")
    holding, answers = threading.Event(), {}

    def other_batch() -> None:
        with app.app_context():
            other_site = db.session.get(Site, site.id)
            insert_new(db.session, other_site, [(x, x.body_hash())])
            holding.set()
            time.sleep(0.5)  # the batch below is waiting on x by now
            insert_new(db.session, other_site, [(y, y.body_hash())])
            db.session.commit()

    def batch() -> None:
        with app.app_context():
            holding.wait(10)
            try:
                answers["batch"] = [r.status for r in submit_comments(db.session, db.session.get(Site, site.id), [y, x])]
            except Exception as error:  # noqa: BLE001 - what the route had turned into a 503
                answers["batch"] = type(error).__name__

    threads = [threading.Thread(target=other_batch), threading.Thread(target=batch)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == {"batch": [200, 200]}
    assert sorted(external_id for external_id, _ in stored(app)) == ["x", "y"]


def test_five_batches_of_the_same_new_ids_in_their_own_orders_all_answer(app, site):
    """A re-check: with three tries, 2 in 25 of five such batches still answered 503."""
    import random
    import threading

    from moderation.domain.batch_submission import submit_comments
    from moderation.domain.comments import CommentInput
    from moderation.models import Site

    items = [CommentInput(external_id=f"c-{n}", story_id="s-1", author_id="a", text=f"Comment {n}.") for n in range(200)]
    orders = [random.Random(seed).sample(items, len(items)) for seed in range(5)]
    answers, start = [], threading.Barrier(5)

    def send(batch: list) -> None:
        with app.app_context():
            start.wait(10)
            try:
                answers.append(len(submit_comments(db.session, db.session.get(Site, site.id), batch)))
            except Exception as error:  # noqa: BLE001 - what the route had turned into a 503
                answers.append(type(error).__name__)

    threads = [threading.Thread(target=send, args=(batch,)) for batch in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [200] * 5 and len(stored(app)) == 200


def test_a_batch_aborted_by_a_deadlock_tries_again_in_id_order_and_keeps_its_own_order_first(app, site, monkeypatch):
    """Tried again in its own order, a batch could meet the others in a cycle again: five racing
    batches ran out of ten tries one run in eight. In one order, retrying batches cannot deadlock."""
    from psycopg.errors import DeadlockDetected
    from sqlalchemy.exc import OperationalError

    from moderation.domain import batch_submission
    from moderation.domain.comments import CommentInput
    from moderation.models import Site

    orders, real_insert = [], batch_submission.insert_new

    def deadlocking_once(session, site_row, new):
        orders.append([data.external_id for data, _ in new])
        if len(orders) == 1:
            raise OperationalError("INSERT", {}, DeadlockDetected("deadlock detected"))
        return real_insert(session, site_row, new)

    monkeypatch.setattr(batch_submission, "insert_new", deadlocking_once)
    ids = ["c-9", "c-10", "c-1", "c-30"]
    with app.app_context():
        batch = [CommentInput(external_id=external_id, story_id="s-1", author_id="a", text=f"On {external_id}.")
                 for external_id in ids]
        results = batch_submission.submit_comments(db.session, db.session.get(Site, site.id), batch)
    assert [result.status for result in results] == [202] * 4
    assert orders == [ids, sorted(ids)]


def test_a_reply_to_another_storys_comment_is_refused_alone_whether_its_parent_is_stored_or_in_the_batch(app, client, site):
    assert post_batch(client, site, [item(0, story_id="s-2")]).status_code == 200

    body = post_batch(client, site, [
        item(1, parent_id="c-0"),                   # its parent stored, on s-2
        item(2, story_id="s-3"),
        item(3, parent_id="c-2"),                   # its parent earlier in this batch, on s-3
        item(4, story_id="s-2", parent_id="c-0"),   # on its parent's story
    ]).get_json()

    assert [r["status"] for r in body["results"]] == [400, 202, 400, 202]
    assert body["results"][0]["error"]["field"] == "parent_id"
    assert "is a comment on story 's-3'" in body["results"][2]["error"]["message"]
    assert [external_id for external_id, _ in stored(app)] == ["c-0", "c-2", "c-4"]


def test_a_byte_that_is_not_utf8_is_named_with_where_it_is(client, site):
    """An archive import's walk: one Latin-1 byte refused a 500-comment batch with no word of where."""
    body = b'{"comments": [{"id": "c-1", "story_id": "s", "author_id": "a", "text": "caf\xe9 au lait"}]}'
    answer = client.post(URL, data=body, headers={**site.headers, "Content-Type": "application/json"})
    assert answer.status_code == 400
    message = answer.get_json()["error"]["message"]
    assert message.startswith("the request body is not valid JSON: it is not UTF-8 (byte 75: ")
    assert "caf' comes before it" in message
