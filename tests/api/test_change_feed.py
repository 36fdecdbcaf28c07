"""A site that polls learns every outcome from one feed: GET /api/v1/comments/changes.

Before it, a decision on yesterday's comment changed no id, so a polling site read all of its pending
and held comments again on every poll to find the few that moved.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from test_comment_lookup_and_reports import move, submit

from moderation import db
from moderation.backup import after_restore
from moderation.domain.lifecycle import now
from moderation.domain.retention import erase_expired_texts
from moderation.models import Site


def feed(client, site, **query):
    response = client.get("/api/v1/comments/changes", headers=site.headers, query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def drain(client, site, after=None):
    """Every page from `after` on, as a poller follows `next`: the (id, status, version) it saw, and where it stopped."""
    seen, query = [], ({} if after is None else {"after": after})
    while True:
        page = feed(client, site, limit=2, **query)
        seen += [(c["id"], c["status"], c["version"]) for c in page["comments"]]
        query = {"after": page["next_after"]}
        if not page["more"]:
            return seen, page["next_after"]


def test_a_decision_on_an_old_comment_comes_to_a_site_that_polls(app, client, site):
    first, second, third = (submit(client, site, id=f"c-{n}") for n in range(3))
    seen, cursor = drain(client, site)
    assert [c for c, _, _ in seen] == [first, second, third]  # from the start: every comment, once

    move(app, second, "held")
    move(app, first, "published")
    seen, cursor = drain(client, site, cursor)
    # In the order the changes committed, each as it is now: not by id.
    assert [(c, status) for c, status, _ in seen] == [(second, "held"), (first, "published")]

    move(app, second, "rejected")
    again, cursor = drain(client, site, cursor)
    assert [(c, status) for c, status, _ in again] == [(second, "rejected")]
    assert again[0][2] > seen[0][2]  # a newer version: a site that applies only newer ones takes it
    assert drain(client, site, cursor) == ([], cursor)  # nothing new: the same cursor back


def test_now_skips_the_past_and_next_is_the_same_query_from_where_it_ended(app, client, site):
    old = submit(client, site, id="old")
    start = feed(client, site, after="now")
    assert start["comments"] == [] and start["more"] is False

    move(app, old, "published")
    new = submit(client, site, id="new")
    page = client.get(start["next"], headers=site.headers).get_json()
    assert [c["id"] for c in page["comments"]] == [old, new]
    with_text = feed(client, site, after=start["next_after"], include="text")
    assert [c["text"] for c in with_text["comments"]] == ["A thoughtful comment."] * 2
    assert "include=text" in with_text["next"]


def test_a_text_erased_by_retention_comes_again_without_its_text(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "rejected")
    with app.app_context():
        db.session.get(Site, site.id).retention_days = 1
        db.session.commit()
    _, cursor = drain(client, site)

    with app.app_context():
        assert erase_expired_texts(db.session, at=now() + timedelta(days=2)) == 1
    page = feed(client, site, after=cursor, include="text")
    assert [(c["id"], c["text"]) for c in page["comments"]] == [(comment_id, "")]
    assert page["comments"][0]["text_erased_at"] is not None


def test_a_change_still_in_flight_holds_the_feed_back_and_none_is_lost(app, client, site, services):
    """Transaction ids are drawn in one order and committed in another. A feed that read past a
    change still in flight would never list it: the poller's cursor had moved beyond it."""
    slow, quick = submit(client, site, id="slow"), submit(client, site, id="quick")
    _, cursor = drain(client, site)
    engine = create_engine(services.database_url)
    try:
        with Session(engine) as in_flight:
            in_flight.execute(text("UPDATE comments SET status = 'held', version = version + 1 WHERE id = :id"),
                              {"id": slow})  # draws its transaction id first, commits last
            move(app, quick, "published")
            assert feed(client, site, after=cursor)["comments"] == []  # held back, not passed over
            in_flight.commit()
    finally:
        engine.dispose()
    seen, _ = drain(client, site, cursor)
    assert [(c, status) for c, status, _ in seen] == [(slow, "held"), (quick, "published")]


def test_a_cursor_from_before_a_restore_starts_again_from_the_beginning(app, client, site, services):
    """A restore raises every version and may land on another server, whose transaction ids are
    not comparable with the cursor's: the site hears every comment again, none lost."""
    comments = [submit(client, site, id=f"c-{n}") for n in range(3)]
    _, cursor = drain(client, site)
    epoch, site_id, _, last = cursor.split("-")
    # The backup's server had drawn far more transaction ids than the one it is restored onto.
    cursor = f"{epoch}-{site_id}-{2**40}-{last}"
    after_restore(services.database_url)
    seen, _ = drain(client, site, cursor)
    assert sorted(c for c, _, _ in seen) == comments
    assert all(version > 1000 for _, _, version in seen)


def test_another_sites_comments_never_come_nor_does_its_cursor_work_here(client, site, outsider):
    """An integrator's walk: a cursor copied from the other site's poller had skipped 110 of 193 changes, unsaid."""
    submit(client, site)
    assert feed(client, outsider)["comments"] == []
    theirs = feed(client, outsider)["next_after"]
    refused = client.get("/api/v1/comments/changes", headers=site.headers, query_string={"after": theirs})
    assert refused.status_code == 400 and "another site's cursor" in refused.get_json()["error"]["message"]


def test_bad_parameters_are_400s_naming_the_parameter(client, site):
    cursor = feed(client, site)["next_after"]
    epoch, site_id, xid, comment_id = cursor.split("-")
    for query, field in (({"after": "12"}, "after"), ({"after": cursor + "0" * 20}, "after"),
                         ({"after": f"1-{site_id}-99999999999999999999-1"}, "after"), ({"after": "-1-1-1"}, "after"),
                         ({"after": "١-1-1-1"}, "after"), ({"after": cursor + "\n"}, "after"),
                         ({"after": f"0{epoch}-{site_id}-{xid}-{comment_id}"}, "after"),
                         # Past every transaction this database has drawn: not ours (a poller stalled on one).
                         ({"after": f"{epoch}-{site_id}-18446744073709551615-0"}, "after"),
                         ({"limit": "0"}, "limit"), ({"limit": "501"}, "limit"), ({"include": "secrets"}, "include")):
        response = client.get("/api/v1/comments/changes", headers=site.headers, query_string=query)
        assert response.status_code == 400, query
        assert response.get_json()["error"]["field"] == field, query


def test_the_feed_reads_along_its_index_from_the_cursor(app, client, site):
    """A poll every few seconds reads from its cursor on, not the site's every comment."""
    submit(client, site)
    with app.app_context():
        # A table of one row is read whole, or by any index and sorted: on a site's thousands, the
        # feed's index gives the rows in order. Planned as there (a fresh-clone run chose another index here).
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        db.session.execute(text("SET LOCAL enable_sort = off"))
        plan = "\n".join(db.session.execute(text(
            "EXPLAIN SELECT id FROM comments WHERE site_id = :s AND (changed_xid, id) > ('5'::xid8, 7) "
            "AND changed_xid < pg_snapshot_xmin(pg_current_snapshot()) ORDER BY changed_xid, id LIMIT 101"),
            {"s": site.id}).scalars())
    assert "ix_comments_changes" in plan and "ROW(changed_xid, id) >" in plan.split("Filter")[0], plan
