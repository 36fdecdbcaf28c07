"""Legal holds keep comments as evidence: retention and a reader's erasure leave them be until lifted.

Counsel at a regional paper watched a reader's erasure request destroy two comments named in a
solicitor's letter, and retention erase 25 more, with no way to keep them for the claim."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from moderation import db
from moderation.domain.legal_holds import hold_input, lift_hold, place_hold
from moderation.domain.retention import erase_expired_texts
from moderation.domain.status import now
from moderation.models import Comment, LegalHold, Site, User
from review_helpers import csrf_token


def post(client, site, external_id: str, author: str, story: str = "s-1") -> int:
    answer = client.post("/api/v1/comments", headers=site.headers, json={
        "id": external_id, "story_id": story, "author_id": author, "text": f"Councillor Pryce took bribes ({external_id})."})
    assert answer.status_code == 202
    return answer.get_json()["id"]


def hold(app, site_id: int, user_id: int, scope: str, target: str) -> int:
    with app.app_context():
        placed = place_hold(db.session, hold_input(site_id, scope, target, "Solicitor's letter SL-2026-12-06"),
                            db.session.get(User, user_id))
        db.session.commit()
        return placed.id


def texts(app) -> dict[str, str]:
    with app.app_context():
        return dict(db.session.execute(select(Comment.external_id, Comment.text)).all())


def test_an_erasure_of_an_author_a_hold_covers_is_refused_until_it_is_lifted(app, client, site, admin):
    post(client, site, "c-1", "reader-62")
    held = post(client, site, "c-2", "reader-62", story="s-pryce")
    post(client, site, "c-3", "reader-9", story="s-pryce")
    hold_id = hold(app, site.id, admin.id, "comment", f"#{held}")

    refused = client.delete("/api/v1/authors/reader-62", headers=site.headers)

    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "legal_hold" and error["field"] == "author_id" and f"hold #{hold_id} on comment" in error["message"]
    assert texts(app)["c-1"] and texts(app)["c-2"]  # nothing erased, not even the comment the hold does not cover
    with app.app_context():
        lift_hold(db.session, hold_id, db.session.get(User, admin.id), "the claim was settled")
        db.session.commit()
    assert client.delete("/api/v1/authors/reader-62", headers=site.headers).status_code == 200
    assert texts(app) == {"c-1": "", "c-2": "", "c-3": "Councillor Pryce took bribes (c-3)."}


def test_retention_leaves_the_texts_a_hold_covers_and_takes_them_once_it_is_lifted(app, client, site, admin):
    kept, gone = post(client, site, "c-1", "reader-1", story="s-pryce"), post(client, site, "c-2", "reader-2")
    with app.app_context():
        row = db.session.get(Site, site.id)
        row.retention_days = 30
        for comment_id in (kept, gone):
            client.delete(f"/api/v1/comments/{comment_id}", headers=site.headers)
    hold_id = hold(app, site.id, admin.id, "story", "s-pryce")
    with app.app_context():
        db.session.get(Site, site.id).retention_days = 30
        db.session.commit()
        assert erase_expired_texts(db.session, at=now() + timedelta(days=31)) == 1
    assert texts(app) == {"c-1": "Councillor Pryce took bribes (c-1).", "c-2": ""}
    with app.app_context():
        lift_hold(db.session, hold_id, db.session.get(User, admin.id), "the claim was settled")
        db.session.commit()
        assert erase_expired_texts(db.session, at=now() + timedelta(days=31)) == 1
    assert texts(app)["c-1"] == ""


def test_a_readers_deletion_on_a_site_that_erases_at_once_keeps_a_held_text(app, client, site, admin):
    held, other = post(client, site, "c-1", "reader-1"), post(client, site, "c-2", "reader-1")
    with app.app_context():
        db.session.get(Site, site.id).retention_days = 0
        db.session.commit()
    hold(app, site.id, admin.id, "author", "reader-1")
    assert client.delete(f"/api/v1/comments/{held}?by=author", headers=site.headers).get_json()["status"] == "deleted"
    assert texts(app)["c-1"] == "Councillor Pryce took bribes (c-1)."
    assert other


def test_an_admin_places_and_lifts_a_hold_on_the_page_and_a_bad_one_is_a_form_error(app, client, site, admin, sign_in):
    post(client, site, "c-1", "reader-62")
    page = sign_in(admin)
    form = page.get("/admin/legal-holds").get_data(as_text=True)
    token = csrf_token(form)
    bad = page.post("/admin/legal-holds", data={"csrf_token": token, "site_id": str(site.id), "scope": "comment",
                                                "target": "the councillor", "reason": "SL-1"})
    assert bad.status_code == 400 and "A comment is held by its number here, as #305." in bad.get_data(as_text=True)
    placed = page.post("/admin/legal-holds", data={"csrf_token": token, "site_id": str(site.id), "scope": "author",
                                                   "target": " reader-62 ", "reason": "Solicitor's letter <SL-1>"})
    assert placed.status_code == 303
    listing = page.get("/admin/legal-holds").get_data(as_text=True)
    assert "reader-62" in listing and "Solicitor&#39;s letter &lt;SL-1&gt;" in listing and "No legal holds" not in listing
    with app.app_context():
        hold_id = db.session.scalar(select(LegalHold.id))
    lifted = page.post(f"/admin/legal-holds/{hold_id}/lift", data={"csrf_token": token, "reason": "settled"})
    assert lifted.status_code == 303
    with app.app_context():
        row = db.session.get(LegalHold, hold_id)
        assert row.lifted_at is not None and row.lift_reason == "settled" and row.target == "reader-62"
    again = page.post(f"/admin/legal-holds/{hold_id}/lift", data={"csrf_token": token, "reason": "twice"}, follow_redirects=True)
    assert "was lifted on" in again.get_data(as_text=True)


def test_a_comment_number_in_other_digits_is_a_form_error_not_a_500_nor_another_comment(app, client, site, admin, sign_in):
    """A re-check: "²" was a 500 and "٣" put the hold on comment #3."""
    page = sign_in(admin)
    token = csrf_token(page.get("/admin/legal-holds").get_data(as_text=True))
    for typed in ("²", "٣", "１２"):  # and, as an author's id, a zero-width space alone
        answer = page.post("/admin/legal-holds", data={"csrf_token": token, "site_id": str(site.id), "scope": "comment",
                                                       "target": typed, "reason": "SL-1"})
        assert answer.status_code == 400, typed
    with app.app_context():
        assert db.session.scalar(select(LegalHold.id)) is None


def test_a_hold_placed_while_an_erasure_runs_waits_for_it_and_stands_after(app, site, admin):
    """A re-check: a hold placed 0.05 s into an erasure of 500 comments said it stood while the erasure
    went on to empty all 500."""
    import threading

    from sqlalchemy import text

    from moderation.domain.legal_holds import HOLDS_LOCK

    with app.app_context():
        eraser = db.session.get_bind().connect()
        transaction = eraser.begin()
        eraser.execute(text("SELECT pg_advisory_xact_lock_shared(:space, :site)"), {"space": HOLDS_LOCK, "site": site.id})
        placed: list[int] = []
        placing = threading.Thread(target=lambda: placed.append(hold(app, site.id, admin.id, "author", "reader-62")))
        placing.start()
        placing.join(0.5)
        assert placing.is_alive() and placed == []  # waits for the erasure in flight
        transaction.commit()
        eraser.close()
        placing.join(30)
    assert len(placed) == 1


def test_an_id_with_nothing_visible_is_no_hold(app, site, admin):
    import pytest as _pytest

    from moderation.domain.errors import ValidationFailed

    for scope in ("author", "story"):
        with _pytest.raises(ValidationFailed) as refused:
            hold_input(site.id, scope, "\u200b", "SL-1")
        assert refused.value.field == "target"
