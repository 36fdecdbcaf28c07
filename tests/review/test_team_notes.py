"""Notes for the team on a comment (domain/team_notes.py): seen by moderators, never by the site."""
from __future__ import annotations

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, WebhookDelivery


def test_a_note_left_on_a_held_card_is_seen_by_the_next_moderator_and_never_sent_to_the_site(
        app, sign_in, moderator, make_moderator, grant, site, outsider, make_comment):
    """A team lead's walk: sam left a reader at risk held on purpose, as the card asks; nia, told
    nothing, approved it. And a lead had nowhere to coach a new moderator but the reversal's reason,
    which the site may show the reader."""
    grant(moderator, site)
    nia = make_moderator("nia", sites=[site])
    comment_id = make_comment(site.id, "I can't do this anymore.")
    sam = sign_in(moderator)
    page = sam.get("/review").get_data(as_text=True)
    added = sam.post(f"/review/{comment_id}/note", data={
        "csrf_token": csrf_token(page), "next": "/review", "note": "Left held: the health desk is calling the reader."})
    assert added.status_code == 303 and added.headers["Location"] == "/review"
    assert "the site is not told" in sam.get("/review").get_data(as_text=True)

    nia_client = sign_in(nia)
    card = nia_client.get("/review").get_data(as_text=True)
    assert "Note from mona" in card and "Left held: the health desk is calling the reader." in card
    history = nia_client.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Note for the team (not sent to the site)" in history
    with app.app_context():
        assert db.session.scalars(select(WebhookDelivery)).all() == []  # nothing for the site
        assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.comment_id == comment_id)).all() == [
            "comment:team_note"]

    empty = nia_client.post(f"/review/{comment_id}/note", data={"csrf_token": csrf_token(card), "note": "  "})
    assert empty.status_code == 303
    assert "No note added: write the note first." in nia_client.get(empty.headers["Location"]).get_data(as_text=True)
    other = make_moderator("otto", sites=[outsider])
    otto = sign_in(other)
    assert otto.post(f"/review/{comment_id}/note", data={
        "csrf_token": csrf_token(otto.get("/review").get_data(as_text=True)), "note": "x"}).status_code == 404
    assert otto.post(f"/review/{comment_id}/note", data={"note": "x"}).status_code == 400  # no CSRF token


def test_an_authors_erasure_blanks_the_notes_on_their_comments(app, sign_in, moderator, grant, site, make_comment):
    from moderation.domain.erasure import erase_author
    from moderation.models import Site

    grant(moderator, site)
    comment_id = make_comment(site.id, "Something personal.", author_id="reader-9")
    client = sign_in(moderator)
    client.post(f"/review/{comment_id}/note", data={
        "csrf_token": csrf_token(client.get("/review").get_data(as_text=True)), "note": "She lives on Mill Lane."})
    with app.app_context():
        erase_author(db.session, db.session.get(Site, site.id), "reader-9", actor="test")
        db.session.commit()
        note = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "comment:team_note")).one()
        assert "Mill Lane" not in str(note.details)


def test_a_note_loses_text_direction_controls_and_none_is_added_to_an_erased_comment(
        app, sign_in, moderator, grant, site, make_comment):
    """A re-check: a note showed "evil" as "live" by its direction controls, one of zero-width spaces
    was taken, and after an author's erasure a note about them was kept for good."""
    from moderation.domain.erasure import erase_author
    from moderation.models import Site

    grant(moderator, site)
    comment_id = make_comment(site.id, "Something.", author_id="reader-3")
    client = sign_in(moderator)
    token = csrf_token(client.get("/review").get_data(as_text=True))
    client.post(f"/review/{comment_id}/note", data={"csrf_token": token, "note": "\u202eevil\u202c is here"})
    refused = client.post(f"/review/{comment_id}/note", data={"csrf_token": token, "note": "\u200b\u200b"})
    assert "No note added: write the note first." in client.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.details["team_note"].astext).where(
            AuditEntry.action == "comment:team_note")).all() == ["evil is here"]
        erase_author(db.session, db.session.get(Site, site.id), "reader-3", actor="test")
        db.session.commit()
    page = client.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "(erased with its author&#39;s data)" in page
    after = client.post(f"/review/{comment_id}/note", data={"csrf_token": token, "note": "She moved to Leeds."})
    assert "text was erased" in client.get(after.headers["Location"]).get_data(as_text=True)
