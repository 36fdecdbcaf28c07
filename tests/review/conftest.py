"""Helpers for the review and admin page tests: comments written straight to the database, and sign-in."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from review_helpers import csrf_token
from sqlalchemy import delete

from moderation import db
from moderation.models import AuditEntry, Comment, Report


@pytest.fixture
def make_comment(app):
    """A comment as the scorer would have left it: held, with scores, flags and explanation spans."""
    counter = iter(range(1, 10_000))

    def make(site_id: int, text: str = "You are an idiot and your article is garbage.", *,
             reports: list[dict[str, Any]] | None = None, **fields: Any) -> int:
        n = next(counter)
        values: dict[str, Any] = dict(
            site_id=site_id,
            external_id=f"c{n}",
            story_id="story-1",
            story_url="https://daily-planet.example/stories/1",
            story_title="City council approves the new bridge",
            author_id=f"reader-{n}",
            author_name=f"Reader {n}",
            text=text,
            body_hash=hashlib.sha256(text.encode()).hexdigest(),
            status="held",
            scores={"toxicity": 0.91, "severe_toxicity": 0.12, "insult": 0.88, "identity_attack": 0.03,
                    "profanity": 0.20, "threat": 0.01},
            flagged=["toxicity", "insult"],
            explanations={"insult": [{"begin": 11, "end": 16, "score": 0.7, "text": text[11:16]}]},
            model_version="test-model-1",
            scored_at=datetime.now(timezone.utc),
            received_at=datetime.now(timezone.utc) - timedelta(minutes=10) + timedelta(seconds=n),
            priority=0.9,
        )
        values.update(fields)
        # Scored at that priority, as far as reports filed later and decisions are concerned.
        values.setdefault("scored_priority", values["priority"])
        if values["status"] == "published":  # on the word of the version that scored it, as scoring writes it
            values.setdefault("published_by_version", values["model_version"])
        with app.app_context():
            comment = Comment(**values)
            db.session.add(comment)
            db.session.flush()
            if reports is None and values.get("report_weight"):
                # Report weight comes from reports: the Reported tab looks for an open one.
                reports = [{"weight": values["report_weight"]}]
            for i, report in enumerate(reports or []):
                db.session.add(Report(comment_id=comment.id, reporter_id=report.get("reporter_id", f"r{i}"),
                                      reason=report.get("reason", "uncivil"), note=report.get("note"),
                                      weight=report.get("weight", 1.0), weight_reason=report.get("weight_reason"),
                                      outcome=report.get("outcome"),
                                      **({"created_at": report["created_at"]} if "created_at" in report else {})))
            db.session.commit()
            return comment.id

    return make


@pytest.fixture
def sign_in(app):
    """Sign a persona in through the real form; returns the test client."""

    def sign_in(user, client=None):
        client = client or app.test_client()
        page = client.get("/login")
        response = client.post("/login", data={"username": user.username, "password": user.password,
                                               "csrf_token": csrf_token(page.get_data(as_text=True))})
        assert response.status_code == 302, response.get_data(as_text=True)
        # The sign-in's own audit entry is tested where sign-in is (test_access.py); the tests that
        # count what a page wrote to the log count from after it.
        with app.app_context():
            db.session.execute(delete(AuditEntry).where(AuditEntry.action == "auth:signed_in",
                                                        AuditEntry.actor == f"user:{user.username}"))
            db.session.commit()
        return client

    return sign_in
