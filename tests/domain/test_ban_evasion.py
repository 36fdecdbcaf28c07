"""A banned author's rejected text, sent again under another author id, is held for a person.

A trust and safety walk: a banned author's harassment of a named teacher was published word for word
under a new id the minute after the ban."""
from __future__ import annotations

from sqlalchemy import select
from test_sanctions_from_the_site import post_and_score as posted_and_scored

from moderation import db
from moderation.domain.decisions import decide
from moderation.models import Comment, SiteMember, User

HARASSMENT = "Ask Sarah Jennings where the trip money went. She should be sacked and shamed."


def post_and_score(app, client, site, author_id: str, external_id: str, text: str = HARASSMENT) -> dict:
    return posted_and_scored(app, client, site, author_id, external_id, text)


def reject(app, comment: dict, moderator) -> None:
    with app.app_context():
        row = db.session.get(Comment, comment["id"])
        db.session.merge(SiteMember(user_id=moderator.id, site_id=row.site_id))
        db.session.commit()
        decide(db.session, row.id, user=db.session.get(User, moderator.id), action="reject", reason="Harassment",
               expected_version=row.version)


def test_a_banned_authors_rejected_text_from_another_id_is_held_and_says_whose_it_was(app, client, site, moderator):
    first = post_and_score(app, client, site, "evader-1", "c-1")
    assert first["status"] == "published"  # the model let it through; readers reported it, a moderator rejected it
    reject(app, first, moderator)
    assert client.post("/api/v1/sanctions", headers=site.headers,
                       json={"author_id": "evader-1", "kind": "ban", "reason": "harassment"}).status_code == 201

    again = post_and_score(app, client, site, "evader-2", "c-2", "  ask sarah jennings where the trip money went. "
                                                                 "She should be sacked and shamed.")
    assert again["status"] == "held"
    assert [(r["rule"], r["action"], r["reason"]) for r in again["rules"]] == [(
        "sanctioned_author_text", "hold", f"the same text as comment #{first['id']}, rejected, by evader-1, banned "
                                          "when this came")]
    with app.app_context():  # its history says which check held it, in words
        from moderation.domain.history import comment_history
        from moderation.models import AuditEntry

        held = db.session.get(Comment, again["id"])
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == held.id)).all()
        assert [e.who for e in comment_history(db.session, held, entries) if e.kind == "scoring"] == [
            "the ban-evasion check"]
    # A re-check: "!" for ".", a zero-width space, a fullwidth letter.
    for n, variant in enumerate(["Ask Sarah Jennings where the trip money went! She should be sacked and shamed!!",
                                 "Ask Sarah Jen\u200bnings where the trip money went. She should be sacked and shamed",
                                 "Ask Sarah Jennings where the trip money went. She should be sacked and ｓhamed.",
                                 # A second re-check: a dot or hyphen inside a word, spaced-out letters.
                                 "Ask Sarah Jen-nings where the trip money went. She should be sa.cked and shamed.",
                                 "Ask S a r a h Jennings where the trip money went. She should be sacked and shamed."]):
        assert post_and_score(app, client, site, f"evader-v{n}", f"c-v{n}", variant)["status"] == "held", variant

    # Once the ban is lifted, or for a text no sanctioned author's rejection shares, nothing is held.
    other = post_and_score(app, client, site, "evader-2", "c-3", "The school trip was lovely, thanks to all.")
    assert other["status"] == "published"
    assert client.post("/api/v1/sanctions/lift", headers=site.headers,
                       json={"author_id": "evader-1", "reason": "appeal"}).status_code in (200, 201)
    assert post_and_score(app, client, site, "evader-3", "c-4")["status"] == "published"


def test_a_text_the_banned_author_edited_away_still_counts_and_the_copy_is_hidden_on_post_moderation(
        app, client, site, moderator):
    """A re-check: the banned author edited their rejected comment, and a new id's copy of the old text
    was published; and on a post-moderation site the held copy was shown."""
    from moderation.models import Site

    with app.app_context():
        db.session.get(Site, site.id).moderation_mode = "post"
        db.session.commit()
    first = post_and_score(app, client, site, "evader-1", "c-1")
    reject(app, first, moderator)
    edited = client.patch(f"/api/v1/comments/{first['id']}", headers=site.headers,
                          json={"text": "Nothing to see here any more, all fine."})
    assert edited.status_code == 200, edited.get_json()
    assert client.post("/api/v1/sanctions", headers=site.headers,
                       json={"author_id": "evader-1", "kind": "suspend", "days": 3, "reason": "harassment"}).status_code == 201
    copy = post_and_score(app, client, site, "evader-2", "c-2")
    assert copy["status"] == "held" and copy["visible"] is False
    assert "suspended when this came" in copy["rules"][0]["reason"]


def test_a_rejected_text_its_banned_author_then_deleted_still_counts(app, client, site, moderator):
    """A second re-check: the banned author deleted their rejected comment, and a new id's copy was published."""
    first = post_and_score(app, client, site, "evader-1", "c-1")
    reject(app, first, moderator)
    assert client.post("/api/v1/sanctions", headers=site.headers,
                       json={"author_id": "evader-1", "kind": "ban", "reason": "harassment"}).status_code == 201
    assert client.delete(f"/api/v1/comments/{first['id']}?by=author", headers=site.headers).status_code == 200
    assert post_and_score(app, client, site, "evader-2", "c-2")["status"] == "held"
