"""`moderation keys deactivate`: an agency offboarding one of its sites found no way to. Revoking the
keys left its held comments at the top of every admin's queue and 501 webhook events retrying to the
departed site's URL for 11 hours, then as dead letters no one could clear."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from moderation import db
from moderation.cli import main
from moderation.domain.dead_letters import count_dead_letters
from moderation.models import Comment, WebhookDelivery


def _run(services, *args: str):
    return CliRunner().invoke(main, list(args), env={**services.env(), "SECRET_KEY": "test-secret"})


def _post(client, site, n: int):
    return client.post("/api/v1/comments", headers=site.headers,
                       json={"id": f"c-{n}", "story_id": "s", "author_id": "a", "text": "You utter idiot."})


def test_a_deactivated_site_is_refused_out_of_the_queue_and_its_events_closed_not_dead_letters(
        app, client, services, make_site, admin, sign_in):
    admin_client = sign_in(admin)
    leaving = make_site("leaving-post", webhook_url="http://127.0.0.1:9/hooks")
    assert _post(client, leaving, 1).status_code == 202
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        comment.status = "held"
        db.session.add(WebhookDelivery(site_id=leaving.id, comment_id=comment.id, event={"type": "comment.status_changed"}))
        db.session.add(WebhookDelivery(site_id=leaving.id, comment_id=comment.id, event={"type": "x"}, failed=True,
                                       attempts=12, last_error="timed out"))  # a dead letter before
        db.session.commit()
    assert f"#{comment.id}" in admin_client.get("/review").get_data(as_text=True)

    refused = _run(services, "keys", "deactivate", "leaving-post")
    assert refused.exit_code == 1 and "Aborted" in refused.output  # it asks first
    done = _run(services, "keys", "deactivate", "leaving-post", "--yes")
    assert done.exit_code == 0, done.output
    assert "deactivated leaving-post; 1 waiting webhook event closed" in done.output

    assert _post(client, leaving, 2).status_code == 401
    assert f"#{comment.id}" not in admin_client.get("/review").get_data(as_text=True)
    with app.app_context():
        waiting = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.failed.is_(False),
                                                                   WebhookDelivery.delivered_at.is_(None))).all()
        assert waiting == []
        assert count_dead_letters(db.session) == 0  # neither the closed event nor the older dead letter
    assert "(inactive)" in admin_client.get("/admin").get_data(as_text=True)

    back = _run(services, "keys", "reactivate", "leaving-post")
    assert back.exit_code == 0 and "reactivated leaving-post" in back.output
    assert _post(client, leaving, 3).status_code == 202
    with app.app_context():
        # The one that was a dead letter before; not the event its deactivation closed, which replay
        # would have sent stale (the next re-check).
        assert count_dead_letters(db.session) == 1
