"""A site deletes a comment: it leaves the queue for good, the audit log keeps it, the site hears of it."""
from __future__ import annotations

import hashlib

from sqlalchemy import select

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.errors import DomainError
from moderation.domain.lifecycle import HELD, SCORER, change_status, in_review_queue
from moderation.models import AuditEntry, Comment, Site, SiteMember, User, WebhookDelivery

TEXT = "Call me at 555-0100, the mayor is a crook."


def submit(client, site, external_id: str = "c-1", text: str = TEXT) -> int:
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": external_id, "story_id": "s-1", "author_id": "reader-7", "text": text})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def hold(app, comment_id: int) -> None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        change_status(db.session, comment, HELD, actor="system:scorer", by=SCORER)
        db.session.commit()
        assert in_review_queue(comment)


def held_and_decided(app, comment_id: int, moderator, action: str, reason: str | None = None) -> None:
    """Held, then decided by a moderator of its site."""
    hold(app, comment_id)
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        db.session.merge(SiteMember(user_id=moderator.id, site_id=comment.site_id))
        db.session.commit()
        decide(db.session, comment_id, user=db.session.get(User, moderator.id), action=action, reason=reason,
               expected_version=comment.version)


def test_a_deleted_comment_leaves_the_queue_stays_in_the_audit_log_and_is_announced(app, client, make_site, moderator):
    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")
    comment_id = submit(client, site)
    hold(app, comment_id)

    response = client.delete(f"/api/v1/comments/{comment_id}?by=author", headers=site.headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "deleted" and body["visible"] is False and body["text_erased_at"] is None

    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert not in_review_queue(comment)
        assert comment.text == TEXT  # no retention set: the text is kept
        actions = [(e.action, e.details.get("requested_by")) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.comment_id == comment_id).order_by(AuditEntry.id))]
        assert actions[-1] == ("status:held->deleted", "author")
        # By id: a delivery row updated by a send attempt moves in the heap, so an unordered scan can
        # return the older event last.
        events = [d.event for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id).order_by(WebhookDelivery.id))]
        assert events[-1]["comment"]["status"] == "deleted" and events[-1]["previous_status"] == "held"
        # A moderator holding a stale card cannot bring it back.
        db.session.merge(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
        try:
            decide(db.session, comment_id, user=db.session.get(User, moderator.id), action="approve", reason=None,
                   expected_version=comment.version)
        except DomainError as refused:
            assert refused.status == 409
        else:
            raise AssertionError("a deleted comment was approved")

    again = client.delete(f"/api/v1/comments/{comment_id}", headers=site.headers)
    assert again.status_code == 200 and again.get_json()["version"] == body["version"]
    assert client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()["status"] == "deleted"
    report = client.post(f"/api/v1/comments/{comment_id}/reports", headers=site.headers,
                         json={"reason": "spam", "reporter_id": "reader-9"})
    # The same code as an edit of it gets (test_comment_edits.py): it had been `conflict` here.
    assert report.status_code == 409 and report.get_json()["error"] == {
        "code": "comment_deleted", "field": "id", "message": "this comment was deleted; there is nothing left to report"}


def test_with_a_retention_of_zero_days_the_text_goes_at_once_and_its_hash_stays(app, client, make_site):
    site = make_site("erases-at-once", webhook_url="https://hooks.example/moderation")
    with app.app_context():
        db.session.get(Site, site.id).retention_days = 0
        db.session.commit()
    comment_id = submit(client, site)
    body = client.delete(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["status"] == "deleted" and body["text_erased_at"] is not None
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.text == "" and comment.text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
        # Told as the retention sweep tells it: a plugin erases its copy on this event (a WordPress walk).
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id)
                                                      .order_by(WebhookDelivery.id))]
        assert [e["type"] for e in events][-2:] == ["comment.status_changed", "comment.text_erased"]
        assert events[-1]["text_sha256"] == comment.text_sha256 and events[-1]["text_erased_at"] == body["text_erased_at"]


def test_deleting_another_sites_comment_or_a_bad_requester_is_refused(client, site, outsider):
    theirs = submit(client, outsider)
    response = client.delete(f"/api/v1/comments/{theirs}", headers=site.headers)
    assert response.status_code == 404 and response.get_json()["error"]["field"] == "id"
    ours = submit(client, site)
    response = client.delete(f"/api/v1/comments/{ours}?by=moderator", headers=site.headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "by"
    assert client.get(f"/api/v1/comments/{ours}", headers=site.headers).get_json()["status"] == "pending"
    assert client.delete(f"/api/v1/comments/{ours}").status_code == 401


def test_a_reader_deleting_their_comment_withdraws_it_from_training_and_the_export_lists_what_is_kept(
        app, client, site, moderator):
    """A readers' editor's walk: a comment its reader deleted, phone number and all, was still a training
    example, and the subject access export said nothing of training copies."""
    from moderation.domain.subject_access import subject_access
    from moderation.models import LabelledExample

    kept, deleted = submit(client, site, "c-1"), submit(client, site, "c-2", "Another comment of mine, 555-0199.")
    for comment_id in (kept, deleted):
        held_and_decided(app, comment_id, moderator, "approve")
    assert client.delete(f"/api/v1/comments/{deleted}?by=author", headers=site.headers).status_code == 200

    with app.app_context():
        assert db.session.scalars(select(LabelledExample.comment_id)).all() == [kept]
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == deleted)
                                   .order_by(AuditEntry.id.desc())).first()
        assert entry.details["training_examples_withdrawn"] == 1
        export = subject_access(db.session, db.session.get(Site, site.id), "reader-7")
    assert [(e["comment_id"], e["kind"], e["text"]) for e in export["training_examples"]] == [(kept, "decision", TEXT)]


def test_the_subject_access_export_says_what_happened_to_each_comment_without_moderators_names(
        app, client, site, moderator):
    """A readers' editor's walk: a removal later reversed, and the reason given for it, were missing from
    the export, which held only the comment's current decision."""
    from moderation.domain.subject_access import subject_access

    comment_id = submit(client, site)
    held_and_decided(app, comment_id, moderator, "reject", "Misinformation: unsupported claim")
    with app.app_context():
        export = subject_access(db.session, db.session.get(Site, site.id), "reader-7")
    happened = export["comments"][0]["what_happened"]
    assert [(e["change"], e["by"], e["reason"]) for e in happened][-1] == (
        "held -> rejected", "a moderator", "Misinformation: unsupported claim")
    assert moderator.username not in str(export)


def test_a_readers_deletion_after_the_sites_still_withdraws_it_from_training(app, client, site, moderator):
    """A second re-check: the site deleted the comment first, and the reader's own request then returned
    "deleted" and left the training examples in place."""
    from moderation.models import LabelledExample

    comment_id = submit(client, site)
    held_and_decided(app, comment_id, moderator, "reject", "Spam")
    assert client.delete(f"/api/v1/comments/{comment_id}", headers=site.headers).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(LabelledExample)).all() != []
    assert client.delete(f"/api/v1/comments/{comment_id}?by=author", headers=site.headers).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(LabelledExample)).all() == []
        assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.comment_id == comment_id)
                                  .order_by(AuditEntry.id.desc())).first() == "comment:training_withdrawn"
