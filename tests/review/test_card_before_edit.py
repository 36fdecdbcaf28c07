"""A card held again because its reader edited it after a decision shows what it said before."""
from __future__ import annotations

from moderation import db
from moderation.domain.edits import edit_comment
from moderation.domain.scoring import score_pending
from moderation.models import Site
from word_model import WordModel


def test_the_card_shows_what_an_approved_comment_said_before_the_reader_edited_it(app, site, sign_in, moderator,
                                                                                    grant, make_comment):
    """The card said only "edited after decision": a reader could edit abuse into an approved comment
    and the moderator had to open its history to see what changed."""
    comment_id = make_comment(site.id, "A fair point about the budget.", status="approved", decision="approved",
                              flagged=[])
    with app.app_context():
        edit_comment(db.session, db.session.get(Site, site.id), comment_id,
                     text="A fair point about the budget, <b>you useless idiot</b>.")
        db.session.commit()
        assert score_pending(db.session, lambda: WordModel(), [comment_id], batch_size=10)[comment_id] == "held"
    grant(moderator, site)

    page = sign_in(moderator).get("/review").get_data(as_text=True)

    assert "Edited by the reader after it was approved" in page
    assert '<blockquote class="text earlier" dir="auto">A fair point about the budget.</blockquote>' in page
    assert "you useless idiot" in page and "<b>you useless" not in page  # the new text, its tag shown as text
    # Its own page says so too: it had left the note out (a moderator's walk).
    detail = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Edited by the reader after it was approved" in detail and "A fair point about the budget.</blockquote>" in detail
