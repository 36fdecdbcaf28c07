"""Every webhook event the service writes is described in the OpenAPI document, field by field.

A site generating its receiver's types from the document had found no event in it: they were in the
README alone. Each event here is made by the code that makes it for a site, then held to its schema
with no field left undescribed.
"""
from __future__ import annotations

from datetime import timedelta

import jsonschema_rs
from sqlalchemy import select
from test_comment_lookup_and_reports import move, report, submit
from test_openapi import _strict

from moderation import db
from moderation.backup import after_restore
from moderation.domain.decisions import decide
from moderation.domain.lifecycle import now, visibility_changed
from moderation.domain.retention import erase_expired_texts
from moderation.domain.sanctions import lift_sanction, sanction_author, sanction_in_bulk
from moderation.domain.storms import _start, calm_storms
from moderation.domain.undo import review_again, undo_decision
from moderation.domain.webhook_test_event import webhook_test_body
from moderation.models import Comment, Site, User, WebhookDelivery


def _every_kind_of_event(app, client, site, admin, services) -> list[dict]:
    with app.app_context():
        db.session.get(Site, site.id).webhook_url = "https://receiver.example/hook"
        db.session.commit()
    held = submit(client, site, id="c-1", parent_id="c-0", author_name="Lois")
    move(app, held, "held")
    report(client, site, held, reason="hate", reporter_id="r-1", note="Look at this.")
    report(client, site, held, reason="spam")  # anonymous: no reporter id
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == admin.username))
        comment = db.session.get(Comment, held)
        decided = decide(db.session, held, user=user, action="reject", reason="Hate speech",
                         expected_version=comment.version, reports_seen=2)
        undo_decision(db.session, held, user=user, expected_version=decided.version, window=timedelta(minutes=10))
        row = db.session.get(Site, site.id)
        sanction_author(db.session, row, "a-1", "suspend", "Repeated insults", user, days=3)
        # A bulk rejection's pre-moderation waits beneath the suspension: its event says from when.
        sanction_in_bulk(db.session, [db.session.get(Comment, held)], "premoderate", "Afterwards", user)
        db.session.commit()
        lift_sanction(db.session, row, "a-1", user, "Appealed")
        _start(db.session, row, "s-9", "held 10 of 12", now())
        db.session.commit()
        calm_storms(db.session, at=now() + timedelta(days=1))
        visibility_changed(db.session, row, actor="test")
        db.session.commit()
    again = submit(client, site, id="c-3", author_name="Jimmy")
    move(app, again, "rejected")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == admin.username))
        review_again(db.session, again, user=user, expected_version=db.session.get(Comment, again).version,
                     reason="the ban was a mistake")
    gone = submit(client, site, id="c-2", author_name="Clark")
    move(app, gone, "rejected")
    with app.app_context():
        db.session.get(Site, site.id).retention_days = 1
        db.session.commit()
        erase_expired_texts(db.session, at=now() + timedelta(days=2))  # retention tells the site
    after_restore(services.database_url)  # a restore: each site with a webhook hears of it
    with app.app_context():
        row = db.session.get(Site, site.id)
        events = [{"delivery_id": d.id, **d.event}
                  for d in db.session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))]
        return [*events, webhook_test_body(row, "test-0a1b2c")]


def test_every_event_a_site_receives_matches_its_schema_with_nothing_undescribed(app, client, site, admin, services):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas, hooks = document["components"]["schemas"], document["x-webhooks"]
    events = _every_kind_of_event(app, client, site, admin, services)

    made = {event["type"] for event in events}
    assert made == set(hooks), "an event type the code writes and the document lacks, or the other way"
    for event in events:
        schema = hooks[event["type"]]["post"]["requestBody"]["content"]["application/json"]["schema"]
        jsonschema_rs.validator_for(_strict(schema, schemas)).validate(event)
    fields = {name for event in events for name in event}
    assert {"reversal", "reversed_decision", "visibility_changed", "applies_from", "previous_outcome",
            "sent_to_review", "reversed_by"} <= fields


def test_an_undescribed_field_is_refused_by_the_schemas(client):
    """The check above can fail: the event schemas are closed."""
    document = client.get("/api/v1/openapi.json").get_json()
    schema = _strict({"$ref": "#/components/schemas/ReportResolvedEvent"}, document["components"]["schemas"])
    event = {"type": "report.resolved", "delivery_id": 1, "occurred_at": "2026-12-05T08:00:00+00:00",
             "comment_id": 1, "report_id": 2, "outcome": "upheld",
             "report": {"id": 2, "comment_id": 1, "reason": "spam", "reporter_id": None, "note": None, "weight": 1.0,
                        "created_at": "2026-12-05T07:00:00+00:00", "outcome": "upheld",
                        "resolved_at": "2026-12-05T08:00:00+00:00"}}
    assert jsonschema_rs.validator_for(schema).is_valid(event)
    assert not jsonschema_rs.validator_for(schema).is_valid({**event, "secret_field": 1})


def test_a_restore_tells_each_site_with_a_webhook_which_comments_it_lost(app, client, site, outsider, services):
    """An integrator's walk: after a restore a webhook-only site heard nothing, and held a reader's
    delete and 157 comments the backup did not have."""
    with app.app_context():
        db.session.get(Site, site.id).webhook_url = "https://receiver.example/hook"
        db.session.commit()
    kept = [submit(client, site, id=f"c-{n}") for n in range(2)]
    submit(client, outsider, id="theirs")  # no webhook: no event
    after_restore(services.database_url)
    with app.app_context():
        events = [d.event for d in db.session.scalars(select(WebhookDelivery).where(
            WebhookDelivery.event["type"].astext == "database.restored"))]
    assert len(events) == 1
    restored = events[0]
    assert restored["comments_through"] == max(kept)
    assert restored["first_new_comment_id"] > max(kept) + 1_000_000  # the restore's gap
    assert restored["backup_last_action_at"] is not None
    assert submit(client, site, id="after") >= restored["first_new_comment_id"]
