"""A worker frozen while it holds a claim does not keep its comments from the sweep for good."""
from __future__ import annotations

import contextlib
import time

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from moderation import db
from moderation.domain import scoring
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import claim_ids
from moderation.models import Site


def test_a_claim_left_idle_ends_and_the_next_claim_takes_its_comments(app, site, monkeypatch):
    """A frozen pool process held 150 comments pending for as long as it was stopped (2 min 16 s),
    every sweep skipping its locked rows; the server now ends the idle claim."""
    monkeypatch.setattr(scoring, "CLAIM_IDLE_LIMIT_SECONDS", 1.0)
    with app.app_context():
        comment_id = submit_comment(db.session, db.session.get(Site, site.id),
                                    CommentInput(external_id="c1", story_id="s", author_id="a", text="Hello.")).comment.id
        db.session.commit()
        assert claim_ids(db.session, [comment_id], batch_size=10) == [comment_id]  # held, then frozen
        with Session(app.extensions["db_engine"]) as sweep:
            assert claim_ids(sweep, [comment_id], batch_size=10) == []  # skipped while held
            sweep.rollback()
            time.sleep(2.5)
            assert claim_ids(sweep, [comment_id], batch_size=10) == [comment_id]
            sweep.rollback()
        # Woken, the frozen worker finds its transaction ended: its batch fails, and was scored meanwhile.
        with pytest.raises(DBAPIError, match="idle-in-transaction timeout") as ended:
            db.session.execute(select(1))
        assert ended.value.connection_invalidated  # what the scoring task retries on (workers/tasks.py)
        with contextlib.suppress(DBAPIError):
            db.session.rollback()
