"""/admin/set-aside: what scoring set aside, for an admin to retry or reject."""
from __future__ import annotations

import re

from review_helpers import csrf_token, decide_form
from sqlalchemy import select, text

from moderation import db
from moderation.domain.scoring import claim_ids, score_pending
from moderation.models import AuditEntry, Comment


class FakeModel:
    version = "fake-1"
    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def score(self, texts):
        return [dict.fromkeys(("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat"), 0.01)
                for _ in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}


def poison_and_good(app, site_id: int) -> tuple[int, int]:
    """A row stored before created_at was checked (psycopg cannot read it) and a good one, then scoring."""
    with app.app_context():
        ids = [db.session.execute(text(
            "INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, created_at, status)"
            " VALUES (:site, :ext, 's', 'a', :body, 'x', CAST(:created AS timestamptz), 'pending') RETURNING id"),
            {"site": site_id, "ext": ext, "body": body, "created": created}).scalar_one()
            for ext, body, created in (("poison", "<b>bold</b> words", "9999-12-31T23:59:59-14:00"),
                                       ("good", "A fine comment", "2026-11-28T09:00:00Z"))]
        db.session.commit()
        assert score_pending(db.session, FakeModel, [], batch_size=10) == {ids[1]: "published"}
        return ids[0], ids[1]


def status_of(app, comment_id: int) -> tuple:
    with app.app_context():
        return db.session.execute(select(Comment.status, Comment.scoring_failed_at.is_not(None))
                                  .where(Comment.id == comment_id)).one()


def test_an_admin_sees_the_set_aside_comment_with_its_error_escaped(sign_in, admin, site, app):
    poison, good = poison_and_good(app, site.id)
    client = sign_in(admin)

    assert "/admin/set-aside" in client.get("/admin").get_data(as_text=True)
    html = client.get("/admin/set-aside").get_data(as_text=True)
    assert f"#{poison}" in html and f"#{good}" not in html
    assert "timestamp too large" in html and "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold" not in html


def test_moderators_may_not_see_or_act_on_it(sign_in, moderator, site, app, grant):
    grant(moderator, site)  # even a moderator of the comment's site: the page is for admins
    poison, _ = poison_and_good(app, site.id)
    client = sign_in(moderator)

    assert client.get("/admin/set-aside").status_code == 403
    assert client.post(f"/admin/set-aside/{poison}/retry", data={}).status_code in (400, 403)
    assert status_of(app, poison) == ("pending", True)


def test_retry_puts_it_back_to_be_claimed(sign_in, admin, site, app):
    poison, _ = poison_and_good(app, site.id)
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/set-aside").get_data(as_text=True))

    response = client.post(f"/admin/set-aside/{poison}/retry", data={"csrf_token": token})

    assert response.status_code == 303
    assert status_of(app, poison) == ("pending", False)
    with app.app_context():
        assert claim_ids(db.session, [], batch_size=10) == [poison]
        db.session.rollback()
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.comment_id == poison)) == "scoring:retry"


def test_reject_decides_it_even_though_the_row_cannot_be_fully_loaded(sign_in, admin, site, app):
    poison, _ = poison_and_good(app, site.id)
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/set-aside").get_data(as_text=True))

    assert client.post(f"/admin/set-aside/{poison}/reject", data={"csrf_token": token}).status_code == 303
    assert status_of(app, poison) == ("pending", True)  # a reason is required

    response = client.post(f"/admin/set-aside/{poison}/reject", data={"csrf_token": token, "reason": "corrupt row"},
                           follow_redirects=True)

    assert "rejected" in response.get_data(as_text=True)
    assert status_of(app, poison)[0] == "rejected"
    assert f"#{poison}" not in client.get("/admin/set-aside").get_data(as_text=True)
    # Said as what it is, and no judgement of its words: "corrupt row" alone was labelled toxic (a re-check).
    from moderation.domain.reason_labels import rejection_labels
    with app.app_context():
        reason = db.session.scalar(select(Comment.decision_reason).where(Comment.id == poison))
    assert reason == "Could not be scored: corrupt row" and rejection_labels(reason) == {}


def test_the_review_page_of_a_set_aside_row_that_cannot_be_loaded_still_opens(sign_in, admin, site, app):
    poison, _ = poison_and_good(app, site.id)

    response = sign_in(admin).get(f"/review/{poison}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'retry it from <a href="/admin/set-aside">Set aside</a>' in page  # an admin's: the way to retry it
    assert "DataError" in page  # and why it failed
    assert '<span class="markup">&lt;b&gt;</span>bold<span class="markup">&lt;/b&gt;</span> words' in page


def test_a_moderator_can_decide_such_a_row_from_its_review_page(sign_in, moderator, site, app, grant):
    grant(moderator, site)
    poison, _ = poison_and_good(app, site.id)

    client = sign_in(moderator)
    page = " ".join(client.get(f"/review/{poison}").get_data(as_text=True).split())
    assert "Not scored: scoring failed on this comment alone and set it aside" in page
    assert "DataError" not in page and "an admin can see why it failed" in page  # the error is the admin's to read
    assert "Not scored yet." not in page and 'href="/admin/set-aside"' not in page  # a moderator's: no link to an admin page

    response = decide_form(client, poison, action="reject", reason_choice="Off topic", reason_note="corrupt row")

    assert response.status_code in (302, 303) and status_of(app, poison)[0] == "rejected"


def test_a_deactivated_sites_set_aside_comments_are_neither_listed_counted_nor_rejected(sign_in, admin, site, app):
    """A re-check: /admin/set-aside listed them, Reject went through, and the site never heard of it."""
    from moderation.domain.operations import snapshot
    from moderation.models import Site

    poison, _ = poison_and_good(app, site.id)
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/set-aside").get_data(as_text=True))
    with app.app_context():
        assert snapshot(db.session).set_aside == 1
        db.session.get(Site, site.id).active = False
        db.session.commit()
        assert snapshot(db.session).set_aside == 0
    assert f"#{poison}" not in client.get("/admin/set-aside").get_data(as_text=True)
    response = client.post(f"/admin/set-aside/{poison}/reject", data={"csrf_token": token, "reason": "corrupt row"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    # One full stop, not none nor two (a re-check found "...to sanction its authors.." and then none).
    assert re.search(r"is deactivated: reactivate it to [a-z ]+\.\s*<", page)
    assert status_of(app, poison) == ("pending", True)
