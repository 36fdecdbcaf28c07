"""A batch of comments through a real Celery worker: every one scored once, and one webhook each."""
from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import select

from moderation import db
from moderation.models import Comment
from webhook_receiver import TO_THIS_RECEIVER, WebhookReceiver
from shipped_path import ABUSIVE, CIVIL, NEEDS_SHIPPED_MODEL

pytestmark = NEEDS_SHIPPED_MODEL


def test_a_batch_of_300_is_scored_and_each_comment_reaches_the_site_once(app, client, make_site, start_worker):
    with WebhookReceiver() as receiver:
        site = make_site("daily-planet", webhook_url=receiver.url)
        receiver.secret = site.webhook_secret
        start_worker(**TO_THIS_RECEIVER)
        comments = [{"id": f"b-{n}", "story_id": "s-1", "author_id": f"a-{n % 7}",
                     "text": (ABUSIVE if n % 10 == 0 else CIVIL) + f" #{n}"} for n in range(300)]
        body = client.post("/api/v1/comments:batch", json={"comments": comments}, headers=site.headers).get_json()
        assert body["created"] == 300
        received = receiver.wait_for(300, timeout=60)
        time.sleep(0.5)  # a duplicate would arrive just after
        received = list(receiver.received)
    assert len(received) == 300 and all(r.signature_valid for r in received)
    per_comment = Counter(r.event["comment"]["site_comment_id"] for r in received)
    assert set(per_comment.values()) == {1} and len(per_comment) == 300
    with app.app_context():
        final = dict(db.session.execute(select(Comment.external_id, Comment.status)).all())
    assert final["b-0"] == "held" and final["b-1"] == "published"
    assert "pending" not in final.values()
