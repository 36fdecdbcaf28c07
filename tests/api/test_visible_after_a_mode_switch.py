"""After a site's moderation mode is switched by another process, nothing this process serves says
the old mode's `visible` at a version the switch or a later change gave.

An integrator's walk: for two seconds after an admin's switch to pre-moderation (the web process's
copy of the site's row, site_rows.ROW_TTL), the changes feed served the switch's new versions with
`visible: true`, and a report's answer and webhook event did too; no later version corrected them,
and a polling site went on showing 368 held comments.
"""
from __future__ import annotations

from sqlalchemy import create_engine, select, text
from test_comment_lookup_and_reports import move, report, submit

from moderation import db
from moderation.models import Site, WebhookDelivery


def _switch_elsewhere(services, site_id: int, mode: str) -> None:
    """As another web process's admin page does it: the row and the versions, not through this process."""
    engine = create_engine(services.database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE sites SET moderation_mode = :m WHERE id = :s"), {"m": mode, "s": site_id})
        connection.execute(text("UPDATE comments SET version = version + 1 WHERE site_id = :s "
                                "AND status IN ('pending', 'held')"), {"s": site_id})
    engine.dispose()


def test_the_feed_a_lookup_and_a_reports_event_say_visible_as_committed(app, client, site, services):
    with app.app_context():
        row = db.session.get(Site, site.id)
        row.moderation_mode, row.webhook_url = "post", "https://receiver.example/hook"
        db.session.commit()
    held, published = submit(client, site, id="held"), submit(client, site, id="shown")
    move(app, held, "held")
    move(app, published, "published")
    cursor = client.get("/api/v1/comments/changes", headers=site.headers).get_json()["next_after"]
    assert client.get(f"/api/v1/comments/{held}", headers=site.headers).get_json()["visible"] is True  # copy kept

    _switch_elsewhere(services, site.id, "pre")
    page = client.get("/api/v1/comments/changes", headers=site.headers, query_string={"after": cursor}).get_json()
    assert [(c["id"], c["visible"]) for c in page["comments"]] == [(held, False)]
    assert client.get(f"/api/v1/comments/{held}", headers=site.headers).get_json()["visible"] is False
    assert client.get("/api/v1/comments/by-site-id/held", headers=site.headers).get_json()["visible"] is False

    # Two readers' reports hold the published one: held on a pre-moderated site is hidden.
    for reader in ("r-1", "r-2"):
        answer = report(client, site, published, reason="hate", reporter_id=reader).get_json()
    assert answer["comment"]["status"] == "held" and answer["comment"]["visible"] is False
    with app.app_context():
        event = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.comment_id == published)
                                   .order_by(WebhookDelivery.id.desc())).first().event
    assert event["comment"]["status"] == "held" and event["comment"]["visible"] is False
