"""An imported comment's card says the site's earlier system decided it, not "unknown"."""
from __future__ import annotations

from sqlalchemy import select

from moderation import db
from moderation.domain.scoring import score_pending
from moderation.models import Comment
from word_model import WordModel


def test_a_moderator_reads_who_decided_an_imported_comment(app, client, site, sign_in, moderator, grant):
    grant(moderator, site)
    client.post("/api/v1/comments:batch", headers=site.headers, json={"comments": [
        {"id": "old-1", "story_id": "s", "author_id": "a", "text": "An archived remark.",
         "created_at": "2019-03-01T10:00:00Z", "imported_decision": "rejected"}]})
    with app.app_context():
        comment_id = db.session.scalar(select(Comment.id))
        score_pending(db.session, lambda: WordModel(), [comment_id], batch_size=10)
    page = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)
    assert "by the site&#39;s earlier system" in page and "by unknown" not in page
