"""The worker's scoring reads the whole accepted text, with the shipped model."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from classifiers import CivilityModel, load_model
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import score_pending
from moderation.models import Comment, Site

INSULT = "You are a worthless idiot and I hope you die"
PADDING = {
    "spaces": " " * 5000,
    "zero-width spaces": "\u200b" * 5000,
    "civil text": ("Thanks for the thoughtful article, I learned a lot about the city budget. " * 100)[:5000] + " ",
}


@pytest.fixture(scope="module")
def shipped() -> CivilityModel:
    return load_model()


@pytest.mark.parametrize("padding", PADDING.values(), ids=PADDING.keys())
def test_an_insult_after_5000_characters_is_held_with_its_highlight(app, site, shipped, padding):
    text = padding + INSULT
    with app.app_context():
        n = db.session.scalar(select(func.count()).select_from(Comment))
        data = CommentInput(external_id=f"long{n}", story_id="s", author_id="a", text=text)
        comment_id = submit_comment(db.session, db.session.get(Site, site.id), data).comment.id

        assert score_pending(db.session, lambda: shipped, [comment_id], batch_size=10) == {comment_id: "held"}
        comment = db.session.get(Comment, comment_id)
        assert comment.scores["toxicity"] > 0.85
        top = comment.explanations["toxicity"][0]
        assert top["begin"] >= len(padding) and text[top["begin"]:top["end"]] == top["text"]
