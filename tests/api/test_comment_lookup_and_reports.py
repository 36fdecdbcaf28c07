"""Looking comments up and reporting them, as a site's program does."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation import db
from moderation.domain.lifecycle import ACTOR_KINDS, can_change, change_status, in_review_queue, now
from moderation.models import Comment, Report, WebhookDelivery

GOOD = {"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "A thoughtful comment."}


def submit(client, site, **fields) -> int:
    response = client.post("/api/v1/comments", json={**GOOD, **fields}, headers=site.headers)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def move(app, comment_id: int, status: str, **fields) -> None:
    if "priority" in fields:  # as scoring would have ranked it, before any report
        fields.setdefault("scored_priority", fields["priority"])
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        for name, value in fields.items():
            setattr(comment, name, value)
        # Whichever kind of actor may make this move: these tests are about what the API shows.
        by = next(kind for kind in ACTOR_KINDS if can_change(comment.status, status, by=kind))
        change_status(db.session, comment, status, actor="test", by=by)
        db.session.commit()


def report(client, site, comment_id: int, **body):
    return client.post(f"/api/v1/comments/{comment_id}/reports", json=body, headers=site.headers)


def status_of(client, site, comment_id: int) -> str:
    return client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()["status"]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_pending_comment_has_no_scores_yet(client, site):
    comment_id = submit(client, site)
    body = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["status"] == "pending" and body["scores"] is None and body["decision"] is None


def test_a_scored_comment_shows_its_scores_and_model_version(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "published", scores={"toxicity": 0.01}, model_version="m-1", scored_at=now())
    body = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["status"] == "published" and body["visible"] is True
    assert body["scores"] == {"toxicity": 0.01} and body["model_version"] == "m-1"


def test_a_decided_comment_shows_the_decision_and_its_reason(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "rejected", decision="rejected", decision_reason="insults another reader", decided_at=now())
    body = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["visible"] is False
    assert body["decision"]["action"] == "rejected" and body["decision"]["reason"] == "insults another reader"


def test_a_comment_can_be_found_by_the_sites_own_id(client, site):
    comment_id = submit(client, site, id="thread/42#7")
    response = client.get("/api/v1/comments/by-site-id/thread%2F42%237", headers=site.headers)
    assert response.status_code == 200 and response.get_json()["id"] == comment_id


@pytest.mark.parametrize("path", ["/api/v1/comments/{id}", "/api/v1/comments/by-site-id/c-1"])
def test_another_sites_comment_is_not_found_rather_than_forbidden(client, site, outsider, path):
    comment_id = submit(client, site)
    response = client.get(path.format(id=comment_id), headers=outsider.headers)
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/comments/999", "/api/v1/comments/99999999999999999999999",
                                  "/api/v1/comments/by-site-id/nope", "/api/v1/comments/abc", "/api/v1/nowhere"])
def test_unknown_comments_and_paths_are_json_404s(client, site, path):
    response = client.get(path, headers=site.headers)
    assert response.status_code == 404 and response.is_json
    assert "entered the URL manually" not in response.get_json()["error"]["message"]


def test_a_wrong_method_is_a_json_405(client, site):
    response = client.delete("/api/v1/comments", headers=site.headers)
    assert response.status_code == 405 and response.is_json and "POST" in response.headers["Allow"]
    # Which methods, in words a site's developer can act on (not Werkzeug's "not allowed for the URL").
    assert response.get_json()["error"]["message"] == "/api/v1/comments does not take DELETE; it takes GET or POST"


def test_lookups_need_a_key(client, site):
    comment_id = submit(client, site)
    assert client.get(f"/api/v1/comments/{comment_id}").status_code == 401


def test_a_report_is_recorded_with_its_reason_weight(app, client, site):
    comment_id = submit(client, site)
    response = report(client, site, comment_id, reason="spam", reporter_id="r-1", note="buy now links")
    assert response.status_code == 201
    body = response.get_json()
    assert body["report"]["weight"] == 1 and body["comment"]["report_weight"] == 1


def test_a_reporter_reporting_again_gets_the_first_report_back_and_another_reason_is_refused(app, client, site):
    """A retry gets its report back; another reason is a 409 naming the first (an integrator's walk:
    answered 200 with the spam report, the site told its reader "reported as hate")."""
    comment_id = submit(client, site)
    first = report(client, site, comment_id, reason="spam", reporter_id="r-1").get_json()["report"]
    again = report(client, site, comment_id, reason="spam", reporter_id="r-1")
    assert again.status_code == 200 and again.get_json()["report"]["id"] == first["id"]
    assert again.get_json()["comment"]["report_weight"] == 1
    other = report(client, site, comment_id, reason="hate", reporter_id="r-1")
    assert other.status_code == 409 and other.get_json()["error"]["field"] == "reason"
    assert "reported this comment already, as spam" in other.get_json()["error"]["message"]
    assert count(app, Report) == 1


def test_anonymous_reports_each_count(app, client, site):
    comment_id = submit(client, site)
    report(client, site, comment_id, reason="off_topic")
    report(client, site, comment_id, reason="off_topic")
    assert count(app, Report) == 2


def test_reports_reaching_the_threshold_hold_a_published_comment_and_tell_the_site(app, client, make_site):
    site = make_site("hooked", webhook_url="http://127.0.0.1:9/hook")
    comment_id = submit(client, site)
    move(app, comment_id, "published")
    assert report(client, site, comment_id, reason="spam", reporter_id="r-1").get_json()["comment"]["status"] == "published"
    body = report(client, site, comment_id, reason="uncivil", reporter_id="r-2").get_json()
    assert body["comment"]["status"] == "held" and "reports" in body["comment"]["flagged"]
    with app.app_context():
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))]
    assert [e["comment"]["status"] for e in events] == ["published", "held"]


def test_one_new_readers_hate_report_sends_a_comment_to_review_without_hiding_it_and_a_second_hides_it(
        app, client, site):
    """A head of community's walk: five new reader ids each hid civil comments with one report."""
    comment_id = submit(client, site)
    move(app, comment_id, "published")
    report(client, site, comment_id, reason="hate", reporter_id="r-1")
    assert status_of(client, site, comment_id) == "published"
    with app.app_context():
        assert in_review_queue(db.session.get(Comment, comment_id))  # the Reported tab
    report(client, site, comment_id, reason="hate", reporter_id="r-2")
    assert status_of(client, site, comment_id) == "held"


def trusted_reporter(app, client, site, reporter_id: str) -> None:
    """A reader one of whose reports, filed while the comment was shown, a moderator upheld."""
    earlier = submit(client, site, id=f"upheld-by-{reporter_id}")
    report(client, site, earlier, reason="hate", reporter_id=reporter_id)
    with app.app_context():
        filed = db.session.scalars(select(Report).where(Report.comment_id == earlier)).one()
        filed.outcome, filed.filed_on_status = "upheld", "published"
        db.session.commit()


def test_a_reader_whose_reports_were_upheld_before_holds_a_comment_alone(app, client, site):
    trusted_reporter(app, client, site, "r-1")
    comment_id = submit(client, site)
    move(app, comment_id, "published")
    report(client, site, comment_id, reason="hate", reporter_id="r-1")
    assert status_of(client, site, comment_id) == "held"


def test_after_approval_only_new_reports_reopen_review(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "held")
    report(client, site, comment_id, reason="hate", reporter_id="r-1")
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    report(client, site, comment_id, reason="spam", reporter_id="r-2")
    assert status_of(client, site, comment_id) == "approved"
    body = report(client, site, comment_id, reason="spam", reporter_id="r-3").get_json()["comment"]
    # Back for another look, and still shown: two new reader ids had hidden approved comments again
    # and again (a raid's walk), each time undoing the moderator's decision.
    assert (body["status"], body["visible"]) == ("held", True)
    assert "reported_after_approval" in body["flagged"]
    listed = client.get("/api/v1/comments", query_string={"story_id": GOOD["story_id"]}, headers=site.headers)
    assert [(c["id"], c["visible"]) for c in listed.get_json()["comments"]] == [(comment_id, True)]


def test_one_untried_readers_report_leaves_an_approved_comment_approved(app, client, site):
    """A re-check: one new reader id's hate report (weight 2, the threshold) sent any approved comment
    back to review, ten a minute, again after every approval."""
    comment_id = submit(client, site)
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    body = report(client, site, comment_id, reason="hate", reporter_id="u-1").get_json()["comment"]
    assert (body["status"], body["visible"], body["version"]) == ("approved", True, 2)


def test_a_reader_whose_reports_were_upheld_may_hide_an_approved_comment_again(app, client, site):
    trusted_reporter(app, client, site, "trusted")
    comment_id = submit(client, site)
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    body = report(client, site, comment_id, reason="hate", reporter_id="trusted").get_json()["comment"]
    assert (body["status"], body["visible"]) == ("held", False)


def test_a_trusted_reader_hides_a_comment_untried_ones_sent_back_and_a_new_approval_starts_afresh(app, client, site):
    """A re-check: once untried readers had sent an approved comment back (shown), neither a trusted
    reader's report nor a second approval let anyone hide it again: the flag stayed for good."""
    from moderation.domain.decisions import decide
    from moderation.models import User

    trusted_reporter(app, client, site, "trusted")
    trusted_reporter(app, client, site, "trusted-b")
    comment_id = submit(client, site)
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    for reader in ("u-1", "u-2"):
        body = report(client, site, comment_id, reason="hate", reporter_id=reader).get_json()["comment"]
    assert (body["status"], body["visible"]) == ("held", True)
    body = report(client, site, comment_id, reason="hate", reporter_id="trusted").get_json()["comment"]
    assert (body["status"], body["visible"]) == ("held", False) and "reported_after_approval" not in body["flagged"]
    with app.app_context():
        from moderation.domain.history import comment_history
        from moderation.models import AuditEntry

        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == comment_id))
        lines = [event.what for event in comment_history(db.session, db.session.get(Comment, comment_id), entries)]
    assert "Hidden on the site: reported by a reader whose reports were upheld" in lines

    second = submit(client, site, id="c-2")
    move(app, second, "approved", decision="approved", decided_at=now())
    for reader in ("u-1", "u-2"):
        body = report(client, site, second, reason="hate", reporter_id=reader).get_json()["comment"]
    with app.app_context():  # approved again: the flag goes with the decision
        moderator = User(username="mo", role="admin", password_hash="x")
        db.session.add(moderator)
        db.session.commit()
        decide(db.session, second, user=moderator, action="approve", reason=None, expected_version=body["version"])
    body = report(client, site, second, reason="hate", reporter_id="trusted-b").get_json()["comment"]
    assert (body["status"], body["visible"]) == ("held", False)


def test_reports_on_a_rejected_comment_change_nothing(app, client, site):
    comment_id = submit(client, site)
    move(app, comment_id, "rejected")
    report(client, site, comment_id, reason="hate")
    assert status_of(client, site, comment_id) == "rejected"


def test_reports_on_a_pending_comment_wait_for_scoring(app, client, site):
    comment_id = submit(client, site)
    body = report(client, site, comment_id, reason="hate", reporter_id="r-1").get_json()
    assert body["comment"]["status"] == "pending" and body["comment"]["report_weight"] == 2


@pytest.mark.parametrize(
    "body, field",
    [({}, "reason"), ({"reason": "boring"}, "reason"), ({"reason": 3}, "reason"),
     ({"reason": "spam", "reporter_id": ["x"]}, "reporter_id"), ({"reason": "spam", "note": "a\x00b"}, "note"),
     ({"reason": "spam", "note": "n" * 2001}, "note")],
)
def test_it_refuses_invalid_reports_and_stores_nothing(app, client, site, body, field):
    comment_id = submit(client, site)
    response = report(client, site, comment_id, **body)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field
    assert count(app, Report) == 0


def test_reports_on_unknown_or_foreign_comments_are_404(app, client, site, outsider):
    comment_id = submit(client, site)
    assert report(client, outsider, comment_id, reason="spam").status_code == 404
    assert report(client, site, 424242, reason="spam").status_code == 404
    assert count(app, Report) == 0


def test_a_report_with_malformed_json_is_refused(app, client, site):
    comment_id = submit(client, site)
    response = client.post(f"/api/v1/comments/{comment_id}/reports", data="{", headers=site.headers,
                           content_type="application/json")
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "malformed_json"


def test_an_unexpected_failure_is_a_json_500_not_an_html_page(client, site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("moderation.api.routes.comment_for_site", broken)
    response = client.get("/api/v1/comments/1", headers=site.headers)
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"
    assert "fire" not in response.get_data(as_text=True)


def test_concurrent_reports_all_count_and_hold_the_comment_once(app, make_site):
    from concurrent.futures import ThreadPoolExecutor

    site = make_site("hooked", webhook_url="http://127.0.0.1:9/hook")
    with app.test_client() as c:
        comment_id = submit(c, site)
    move(app, comment_id, "published")

    def send(i: int) -> int:
        with app.test_client() as c:
            return report(c, site, comment_id, reason="spam", reporter_id=f"r-{i % 5}").status_code

    with ThreadPoolExecutor(max_workers=5) as pool:
        codes = list(pool.map(send, range(10)))
    assert codes.count(201) == 5 and codes.count(200) == 5
    with app.app_context():
        assert db.session.get(Comment, comment_id).report_weight == 5
        held = [d for d in db.session.scalars(select(WebhookDelivery)) if d.event["comment"]["status"] == "held"]
    assert len(held) == 1


def test_a_trusted_reader_who_reported_before_the_approval_hides_it_when_reporting_again(app, client, site):
    """The re-check after: their repeat returned the first report and left the comment shown."""
    trusted_reporter(app, client, site, "trusted")
    comment_id = submit(client, site)
    move(app, comment_id, "held")
    report(client, site, comment_id, reason="hate", reporter_id="trusted")
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    for reader in ("u-1", "u-2"):
        body = report(client, site, comment_id, reason="hate", reporter_id=reader).get_json()["comment"]
    assert (body["status"], body["visible"]) == ("held", True)
    again = report(client, site, comment_id, reason="hate", reporter_id="trusted")
    assert again.status_code == 200 and (again.get_json()["comment"]["visible"]) is False


def test_on_a_post_moderation_site_a_trusted_reader_changes_nothing_the_site_sees(app, client, site):
    """Held comments show there anyway: no new version, no visibility event (the re-check after)."""
    from moderation.models import Site, WebhookDelivery

    with app.app_context():
        db.session.get(Site, site.id).moderation_mode = "post"
        db.session.commit()
    trusted_reporter(app, client, site, "trusted")
    comment_id = submit(client, site)
    move(app, comment_id, "approved", decision="approved", decided_at=now())
    for reader in ("u-1", "u-2"):
        body = report(client, site, comment_id, reason="hate", reporter_id=reader).get_json()["comment"]
    with app.app_context():
        events = db.session.query(WebhookDelivery).count()
    after = report(client, site, comment_id, reason="hate", reporter_id="trusted").get_json()["comment"]
    assert (after["visible"], after["version"]) == (True, body["version"])
    with app.app_context():
        assert db.session.query(WebhookDelivery).count() == events


@pytest.mark.parametrize("number", ["NaN", "-Infinity", "1e999"])
def test_a_number_json_cannot_hold_is_malformed_json_not_stored(app, client, site, number):
    """Python reads these as floats; a strict JSON parser, and PostgreSQL's jsonb, refuse them."""
    comment_id = submit(client, site)
    response = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers, content_type="application/json",
                           data='{"reason": "spam", "weight": %s}' % number)
    error = response.get_json()["error"]
    assert response.status_code == 400 and error["code"] == "malformed_json" and "number" in error["message"]
    assert count(app, Report) == 0


def test_a_reader_cannot_report_their_own_comment(app, client, site):
    """Upheld when a moderator rejected it, a report on one's own abuse made a reporter whose lone
    report then held anyone's comment (an integrator's walk)."""
    comment_id = submit(client, site, author_id="troll")

    response = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam", "reporter_id": "troll"},
                           headers=site.headers)

    assert response.status_code == 409 and response.get_json()["error"]["field"] == "reporter_id"
    assert "their own comment" in response.get_json()["error"]["message"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Report)) == 0
    other = client.post(f"/api/v1/comments/{comment_id}/reports", json={"reason": "spam", "reporter_id": "reader"},
                        headers=site.headers)
    assert other.status_code == 201


def test_a_report_on_a_pending_comment_sends_it_for_scoring_again(app, client, site, monkeypatch):
    """A WordPress walk: a report filed within milliseconds of the POST held the comment's row while
    its scoring task claimed (claims skip locked rows), and the comment waited 30-60 s for the sweep."""
    sent: list[list[int]] = []
    monkeypatch.setattr(app.extensions["dispatcher"], "send_for_scoring", lambda ids: sent.append(list(ids)) or True)
    comment_id = client.post("/api/v1/comments", headers=site.headers,
                             json={"id": "c-race", "story_id": "s", "author_id": "a", "text": "Hello there."}).get_json()["id"]
    assert sent == [[comment_id]]
    response = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                           json={"reason": "spam", "reporter_id": "r-1"})
    assert response.status_code == 201 and response.get_json()["comment"]["status"] == "pending"
    assert sent == [[comment_id], [comment_id]]


def test_a_report_on_a_held_comment_adds_the_reports_flag_a_statement_of_reasons_reads(app, client, site):
    """A readers' editor's walk: "calling me a liar", reported on a comment the model held, left no
    `reports` flag, so the site's DSA table could not see that a notice came."""
    comment_id = submit(client, site)
    move(app, comment_id, "held", flagged=["toxicity"])
    report(client, site, comment_id, reason="harassment", reporter_id="reader-12")
    body = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["status"] == "held" and body["flagged"] == ["reports", "toxicity"]
