"""A reader asks to be erased: their texts and name leave every table and export, and it is recorded."""
from __future__ import annotations

import hashlib

from sqlalchemy import select, text

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.label_export import export_site_labels
from moderation.domain.lifecycle import audit
from moderation.models import AuditEntry, AuthorErasure, Comment, Site, SiteMember, User

AUTHOR = "reader/7"
NAME = "Jane Quixote-Roe"
FIRST = "Zanzibar marmalade is the only honest thing in this town."
SECOND = "My neighbour on Zephyrine Lane agrees with the editorial."
NOTE = "Quokkaberry posted this twice, I saw it"
OTHER = "A different reader thinks the budget is fine."


def post(client, site, external_id: str, author_id: str, body: str, name: str | None = None) -> int:
    response = client.post("/api/v1/comments", headers=site.headers, json={
        "id": external_id, "story_id": "s-1", "author_id": author_id, "author_name": name, "text": body})
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def every_row_as_text() -> str:
    """Every row of every table, as PostgreSQL prints it."""
    tables = db.session.scalars(text(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"))
    return "\n".join(row for table in list(tables)
                     for row in db.session.scalars(text(f'SELECT t::text FROM "{table}" t')))


def test_erasing_an_author_removes_their_texts_and_name_everywhere_and_records_it(
        app, client, make_site, moderator, tmp_path):
    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")
    first = post(client, site, "c-1", AUTHOR, FIRST, NAME)
    second = post(client, site, "c-2", AUTHOR, SECOND, NAME)
    other = post(client, site, "c-3", "reader-8", OTHER, "Someone Else")
    reported = client.post(f"/api/v1/comments/{other}/reports", headers=site.headers,
                           json={"reason": "spam", "reporter_id": AUTHOR, "note": NOTE})
    assert reported.status_code == 201
    with app.app_context():
        row = db.session.get(Site, site.id)
        row.allow_text_export = True
        db.session.add(SiteMember(user_id=moderator.id, site_id=site.id))
        # A copy of the text and name in an audit entry, as a rule preview or an edit might keep one.
        audit(db.session, "system:test", "comment:copied", comment_id=second, text=SECOND, author_name=NAME)
        # The reviewer's highlights, as scoring stores them, quote the text.
        db.session.get(Comment, first).explanations = {
            "toxicity": [{"begin": 0, "end": 8, "score": 0.4, "text": FIRST[:8]}]}
        db.session.commit()
        user = db.session.get(User, moderator.id)
        for comment_id in (first, other):
            version = db.session.get(Comment, comment_id).version
            decide(db.session, comment_id, user=user, action="reject", reason="Harassment", expected_version=version)
        everything = every_row_as_text()
        assert FIRST in everything and NAME in everything and NOTE in everything  # the test sees them before

    response = client.delete("/api/v1/authors/reader%2F7", headers=site.headers)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    author_hash = hashlib.sha256(AUTHOR.encode()).hexdigest()
    assert body["author_id"] == AUTHOR and body["author_hash"] == author_hash
    assert body["counts"]["comments_deleted"] == 2 and body["counts"]["comments"] == 2
    assert body["counts"]["report_notes"] == 1 and body["counts"]["labelled_examples"] >= 1

    with app.app_context():
        everything = every_row_as_text()
        for gone in (FIRST, SECOND, NAME, NOTE, "Zanzibar", "zanzibar", "Quokkaberry"):
            assert gone not in everything, gone
        assert OTHER in everything and "Someone Else" in everything  # other readers are untouched
        out = tmp_path / "labels.csv"
        export_site_labels(db.session, db.session.get(Site, site.id), out)
        exported = out.read_text()
        assert OTHER in exported and FIRST not in exported

        erased = db.session.get(Comment, first)
        assert erased.status == "deleted" and erased.decision == "rejected" and erased.author_name is None
        assert erased.text_sha256 == hashlib.sha256(FIRST.encode()).hexdigest()
        record = db.session.scalars(select(AuthorErasure)).one()
        assert record.site_id == site.id and record.author_hash == author_hash
        assert record.requested_by == f"site:{site.id}"
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "author:erased")).one()
        assert entry.details["author_hash"] == author_hash
        # Every comment of theirs left the queue with an audited, announced status change.
        assert {e.action for e in db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == second))} >= {
            "status:pending->deleted"}

    # The site still sees the author's record, with the deleted comments counted.
    record = client.get("/api/v1/authors/reader%2F7", headers=site.headers).get_json()
    assert record["comments"]["by_status"]["deleted"] == 2
    # Asking again is harmless, and recorded again.
    again = client.delete("/api/v1/authors/reader%2F7", headers=site.headers)
    assert again.status_code == 200 and again.get_json()["counts"]["comments_deleted"] == 0


def test_what_people_wrote_about_the_authors_comments_goes_with_them(app, client, make_site, moderator, admin):
    """A privacy walk found these after an erasure: a moderator's note quoting the comment (on the row,
    in the API, the audit log, events and a bulk decision's entry), a threat rule's reason quoting it,
    another reader's report note, the sanction's reason, and a suggestscore label of the same text."""
    from moderation.domain.bulk import bulk_decide
    from moderation.domain.rule_sets import save_rules
    from moderation.domain.rules import validate_rules
    from moderation.domain.sanctions import sanction_author
    from moderation.domain.scoring import score_pending
    from moderation.models import AuthorSanction, LabelledExample
    from word_model import WordModel

    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")  # nothing answers: events stay
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id),
                   validate_rules([{"name": "threats", "kind": "threat_words"}]), actor="test")
        db.session.add(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
    held = post(client, site, "c-1", AUTHOR, "Quillfeather, I hope you die in a ditch.", NAME)
    decided = post(client, site, "c-2", AUTHOR, FIRST, NAME)
    bulked = post(client, site, "c-3", AUTHOR, SECOND, NAME)
    post(client, site, "c-4", "reader-8", OTHER, "Someone Else")
    assert client.post(f"/api/v1/comments/{held}/reports", headers=site.headers, json={
        "reason": "harassment", "reporter_id": "reader-9", "note": "Jane wrote Quillfeather twice"}).status_code == 201
    assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json={
        "comment": {"text": FIRST}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 1}}},
        "languages": ["en"]}).status_code == 200
    with app.app_context():
        score_pending(db.session, lambda: WordModel(), [held, decided, bulked], batch_size=10)
        assert "hope you die" in str(db.session.get(Comment, held).rule_hits)  # the rule quotes it
        user = db.session.get(User, moderator.id)
        decide(db.session, decided, user=user, action="reject", expected_version=db.session.get(Comment, decided).version,
               reason="Personal attack or insult: 'Zanzibar marmalade' aimed at me")
        bulk_decide(db.session, [(bulked, db.session.get(Comment, bulked).version)], user=user, action="reject",
                    reason="Zephyrine Lane again")
        sanction_author(db.session, db.session.get(Site, site.id), AUTHOR, "premoderate",
                        "Keeps writing Quillfeather at people", user)
        # An undone decision, with the undo's own reason, and a decision an admin reversed: their
        # notes stayed in the audit log and the earlier decision's events (a re-check walk).
        from datetime import timedelta

        from moderation.domain.undo import reverse_decision, undo_decision

        held_row = db.session.get(Comment, held)
        decide(db.session, held, user=user, action="reject", expected_version=held_row.version,
               reason="Harassment: Wobbleknot said it twice")
        undo_decision(db.session, held, user=user, expected_version=db.session.get(Comment, held).version,
                      window=timedelta(minutes=10), reason="Wobbleknot was quoting someone")
        decide(db.session, held, user=user, action="approve", expected_version=db.session.get(Comment, held).version,
               reason=None)
        admin_row = db.session.get(User, admin.id)
        reverse_decision(db.session, held, user=admin_row, expected_version=db.session.get(Comment, held).version,
                         reason="Wobbleknot is a threat after all")
        quoted = ("Quillfeather", "hope you die", "Zanzibar", "Zephyrine", FIRST, "Wobbleknot")
        everything = every_row_as_text()
        assert all(q in everything for q in quoted)  # the test sees them before

    assert client.delete("/api/v1/authors/reader%2F7", headers=site.headers).status_code == 200

    with app.app_context():
        everything = every_row_as_text()
        for gone in quoted:
            assert gone not in everything, [line for line in everything.splitlines() if gone in line]
        assert OTHER in everything
        row = db.session.get(Comment, decided)
        # What the comment broke stays, and its labels' reason: the moderator's words go.
        assert row.decision == "rejected" and row.decision_reason == "Personal attack or insult: [erased]"
        sanction = db.session.scalars(select(AuthorSanction)).one()
        assert sanction.kind == "premoderate" and sanction.reason == "[erased]" and sanction.lifted_at is None
        assert db.session.scalars(select(LabelledExample).where(LabelledExample.text == FIRST)).first() is None
    assert client.get(f"/api/v1/comments/{decided}", headers=site.headers).get_json()["decision"]["reason"] == (
        "Personal attack or insult: [erased]")


def test_one_sites_erasure_leaves_another_sites_author_alone(app, client, site, outsider):
    theirs = post(client, outsider, "c-1", AUTHOR, FIRST, NAME)
    nothing = client.delete("/api/v1/authors/reader%2F7", headers=site.headers)
    # An author with nothing here gets the same keys, at 0: a site reading counts["comments"] must not fail.
    assert nothing.status_code == 200 and nothing.get_json()["counts"] == {
        "audit_log": 0, "author_sanctions": 0, "comment_revisions": 0, "comments": 0, "comments_deleted": 0,
        "labelled_examples": 0, "report_notes": 0, "reports": 0, "webhook_deliveries": 0}
    assert client.delete("/api/v1/authors/reader%2F7").status_code == 401
    with app.app_context():
        comment = db.session.get(Comment, theirs)
        assert comment.text == FIRST and comment.author_name == NAME and comment.status == "pending"


def test_the_deleted_event_of_an_erasure_says_the_text_was_erased_as_get_does(app, client, make_site):
    """It said text_erased_at: null, so a site mirroring comments from webhooks never learnt it."""
    from moderation.models import WebhookDelivery

    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")  # nothing answers: all unsent
    comment_id = post(client, site, "c-1", AUTHOR, FIRST, NAME)
    assert client.delete("/api/v1/authors/reader%2F7", headers=site.headers).status_code == 200
    polled = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    with app.app_context():
        events = [d.event for d in db.session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.comment_id == comment_id).order_by(WebhookDelivery.id))]
    deleted = events[-1]
    assert deleted["comment"]["status"] == "deleted" and deleted["version"] == polled["version"]
    assert polled["text_erased_at"] is not None
    assert deleted["comment"]["text_erased_at"] == polled["text_erased_at"]
    # And the hash a site matches its own copy by (an integrator's walk: null in the event).
    assert polled["text_sha256"] is not None and deleted["comment"]["text_sha256"] == polled["text_sha256"]
    # The event's comment is GET's at that version, field for field.
    assert deleted["comment"] == {k: v for k, v in polled.items() if k != "text"}


def test_an_author_id_in_the_path_is_read_as_a_posted_one_is(client, site):
    """Erasing author " " was accepted, though POST refuses that id; "reader-7 " found nothing of reader-7."""
    post(client, site, "c-1", "reader-7", OTHER)
    blank = client.delete("/api/v1/authors/%20", headers=site.headers)
    assert blank.status_code == 400 and blank.get_json()["error"]["field"] == "author_id"
    assert client.get("/api/v1/authors/%20%20", headers=site.headers).status_code == 400
    spaced = client.delete("/api/v1/authors/reader-7%20", headers=site.headers)
    assert spaced.status_code == 200 and spaced.get_json()["author_id"] == "reader-7"
    assert spaced.get_json()["counts"]["comments_deleted"] == 1


def test_a_path_whose_bytes_are_not_utf8_is_refused_not_read_as_a_replacement_character(client, site):
    """Erasing author "%C0%AF" answered 200: it erased an author "\ufffd"."""
    response = client.delete("/api/v1/authors/%C0%AF", headers=site.headers)
    assert response.status_code == 400 and response.get_json()["error"]["field"] == "author_id"


def test_an_author_id_with_a_leading_or_doubled_slash_is_that_author_not_another(client, site):
    """DELETE /api/v1/authors/%2Flead answered 308 to /api/v1/authors/lead: a client that follows
    redirects would have erased reader "lead", and reader "/lead" could not be reached (a re-check)."""
    post(client, site, "c-1", "/lead", FIRST)
    post(client, site, "c-2", "lead", SECOND)
    post(client, site, "c-3", "a//b", OTHER)
    assert client.get("/api/v1/authors/a%2F%2Fb", headers=site.headers).get_json()["author_id"] == "a//b"
    erased = client.delete("/api/v1/authors/%2Flead", headers=site.headers)
    assert erased.status_code == 200 and erased.get_json()["author_id"] == "/lead"
    assert erased.get_json()["counts"]["comments_deleted"] == 1
    kept = client.get("/api/v1/authors/lead", headers=site.headers).get_json()
    assert kept["author_id"] == "lead" and kept["comments"]["total"] == 1


def test_an_id_with_a_newline_is_in_reach_and_one_a_client_would_resolve_is_refused(client, site):
    """A re-check: author "x\nreader" was stored and its erasure answered 404; an author
    "x/../victim" was stored, and curl's DELETE of it erased "victim"."""
    post(client, site, "c-1", "x\nreader", FIRST)
    post(client, site, "line\none", "victim", SECOND)
    erased = client.delete("/api/v1/authors/x%0Areader", headers=site.headers)
    assert erased.status_code == 200 and erased.get_json()["counts"]["comments_deleted"] == 1
    assert client.get("/api/v1/comments/by-site-id/line%0Aone", headers=site.headers).get_json()["author_id"] == "victim"
    for field, value in (("author_id", "x/../victim"), ("id", ".."), ("story_id", "a/./b"), ("author_id", "x/.")):
        body = {"id": "c-9", "story_id": "s-1", "author_id": "a", "text": FIRST, field: value}
        refused = client.post("/api/v1/comments", headers=site.headers, json=body)
        assert refused.status_code == 400 and refused.get_json()["error"]["field"] == field
    assert client.get("/api/v1/comments/by-site-id/c-9", headers=site.headers).status_code == 404
    post(client, site, "c-10", "a/..b/.c", OTHER)  # dots inside a segment are just dots


def test_a_reader_stored_with_dot_segments_before_they_were_refused_can_still_be_erased(app, client, site):
    """A re-check: the path's id was checked as a posted one is, so that reader could no longer be reached."""
    with app.app_context():
        db.session.execute(text("INSERT INTO comments (site_id, external_id, story_id, author_id, text, body_hash, status) "
                                "VALUES (:site, 'legacy', 's-1', 'old/../victim2', 'Old words.', 'x', 'published')"),
                           {"site": site.id})
        db.session.commit()
    erased = client.delete("/api/v1/authors/old%2F..%2Fvictim2", headers=site.headers)
    assert erased.status_code == 200 and erased.get_json()["author_id"] == "old/../victim2"
    assert erased.get_json()["counts"]["comments_deleted"] == 1


def test_an_erasure_waits_for_the_authors_comments_still_being_inserted(app, client, site):
    """An erasure sent 80 ms after a 500-comment batch deleted none of the batch's comments: it read
    the author's comments before the batch committed."""
    import threading

    from moderation.domain.comments import CommentInput, insert_new

    inserted, release, answered = threading.Event(), threading.Event(), {}

    def slow_batch() -> None:  # inserted, not yet committed, like a big batch
        with app.app_context():
            data = CommentInput(external_id="in-flight", story_id="s-1", author_id="reader-9", text="Mine, for now.")
            insert_new(db.session, db.session.get(Site, site.id), [(data, data.body_hash())])
            inserted.set()
            release.wait(10)
            db.session.commit()

    def erase() -> None:
        answered["status"] = app.test_client().delete("/api/v1/authors/reader-9", headers=site.headers).status_code

    batch = threading.Thread(target=slow_batch)
    batch.start()
    assert inserted.wait(10)
    eraser = threading.Thread(target=erase)
    eraser.start()
    eraser.join(1.0)
    assert eraser.is_alive(), f"the erasure did not wait for the insert under way: {answered}"
    release.set()
    batch.join(10)
    eraser.join(10)
    assert answered["status"] == 200
    with app.app_context():
        comment = db.session.scalar(select(Comment).where(Comment.external_id == "in-flight"))
        assert comment.status == "deleted" and "Mine, for now." not in comment.text
    # The lock was let go: the site's next comment goes in at once.
    assert post(client, site, "after", "reader-1", "A new comment.") > 0


def test_an_erased_comment_shows_its_texts_sha256_for_the_site_to_match_its_copy(client, site):
    """The README promised it; no body had it (a re-check)."""
    comment_id = post(client, site, "c-1", "reader-7", "Naïve café prices, 50 € a coffee")
    assert client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()["text_sha256"] is None
    assert client.delete("/api/v1/authors/reader-7", headers=site.headers).status_code == 200
    body = client.get(f"/api/v1/comments/{comment_id}", headers=site.headers).get_json()
    assert body["text_sha256"] == hashlib.sha256("Naïve café prices, 50 € a coffee".encode()).hexdigest()


def test_erasure_takes_the_row_a_stored_scoring_error_quoted(app, client, site):
    """An admin's walk: PostgreSQL's DETAIL had put the failing row, text and author, in the set-aside
    comment's scoring error, which the erasure left."""
    comment_id = post(client, site, "c-err", "reader-z", "The new library opening hours are very welcome.")
    with app.app_context():
        db.session.get(Comment, comment_id).scoring_error = (
            'NotNullViolation: null value in column "priority"\nDETAIL:  Failing row contains '
            '(7, reader-z, The new library opening hours are very welcome.)')
        db.session.commit()
    assert client.delete("/api/v1/authors/reader-z", headers=site.headers).status_code == 200
    with app.app_context():
        assert "library" not in every_row_as_text() and "reader-z, The" not in every_row_as_text()
        assert db.session.get(Comment, comment_id).scoring_error == 'NotNullViolation: null value in column "priority"'


def test_an_erasure_takes_the_authors_text_from_another_labels_context(app, client, site):
    """A data protection officer's walk: a Perspective client sends the parent comment as the context of
    a reply's suggestscore; the parent's author was erased and their address stayed in that context."""
    from moderation.models import LabelledExample

    parent = "Pat Doe here, I live at 9 Birch Lane."
    assert client.post("/api/v1/comments", headers=site.headers, json={
        "id": "p-1", "story_id": "s", "author_id": "pat", "text": parent}).status_code == 202
    for token, context in (("reply-1", parent), ("reply-2", "Someone else's parent comment.")):
        assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json={
            "comment": {"text": "A reply to it."}, "context": {"entries": [{"text": context}]}, "clientToken": token,
            "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}}}).status_code == 200

    assert client.delete("/api/v1/authors/pat", headers=site.headers).status_code == 200

    with app.app_context():
        contexts = dict(db.session.execute(select(LabelledExample.client_token, LabelledExample.context)).all())
    assert contexts == {"reply-1": None, "reply-2": {"entries": [{"text": "Someone else's parent comment."}]}}


def test_erasing_a_reporter_leaves_the_names_of_those_they_reported_in_the_events(app, client, make_site):
    """A data protection officer's walk: erasing alice, who had reported carol's comment, blanked
    carol's name in the events stored for carol's comment, so the log no longer said what was sent."""
    from moderation.domain.scoring import score_pending
    from moderation.models import WebhookDelivery
    from word_model import WordModel

    site = make_site("hooked-herald", webhook_url="http://127.0.0.1:9/hooks")  # nothing answers: events stay
    carols = post(client, site, "c-1", "carol", "A remark some readers disliked.", "Carol White")
    with app.app_context():
        score_pending(db.session, lambda: WordModel(), [carols], batch_size=10)
    assert client.post(f"/api/v1/comments/{carols}/reports", headers=site.headers, json={
        "reason": "harassment", "reporter_id": "alice", "note": "Alice Smith finds this rude"}).status_code == 201

    assert client.delete("/api/v1/authors/alice", headers=site.headers).status_code == 200

    with app.app_context():
        events = db.session.scalars(select(WebhookDelivery.event).where(WebhookDelivery.comment_id == carols)).all()
    assert events and all(e.get("comment", e).get("author_name") == "Carol White" for e in events)
    assert "Alice Smith" not in str(events)
