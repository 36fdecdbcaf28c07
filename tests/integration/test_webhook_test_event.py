"""An admin sends a site's receiver a test event and sees at once how it answered.

Before, the first event came with the first comment decided, and a receiver that refused it was
learnt of from the dead letters after hours of retries.
"""
from __future__ import annotations

import re

from click.testing import CliRunner
from sqlalchemy import func, select
from webhook_receiver import WebhookReceiver

from moderation import db
from moderation.cli import main
from moderation.domain.settings import domain_settings
from moderation.domain.webhook_test_event import send_test_event
from moderation.models import AuditEntry, Site, WebhookDelivery

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _point(app, site, url: str | None) -> tuple[Site, str]:
    with app.app_context():
        row = db.session.get(Site, site.id)
        row.webhook_url = url
        db.session.commit()
        return row, row.webhook_secret


def _send(app, site_id: int):
    with app.app_context():
        return send_test_event(db.session.get(Site, site_id), policy=domain_settings(db.session).url_policy,
                               timeout=2.0)


def test_a_receiver_gets_a_signed_test_event_and_nothing_is_stored(app, site):
    with app.app_context():
        secret = db.session.get(Site, site.id).webhook_secret
    with WebhookReceiver(secret) as receiver:
        _point(app, site, receiver.url)
        outcome = _send(app, site.id)
        got = receiver.wait_for(1, timeout=5)
    assert outcome.delivered and "answered 2xx" in outcome.message
    assert len(got) == 1 and got[0].signature_valid
    assert got[0].event["type"] == "webhook.test" and got[0].event["site"] == site.name
    assert got[0].headers["X-Moderation-Delivery"] == outcome.delivery_id == got[0].event["delivery_id"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0  # not an event to retry


def test_a_refusing_receiver_a_missing_url_and_a_forbidden_address_each_say_why(app, app_with, site):
    with WebhookReceiver(status=500) as receiver:
        _point(app, site, receiver.url)
        outcome = _send(app, site.id)
    assert not outcome.delivered and "HTTP 500" in outcome.message

    _point(app, site, None)
    outcome = _send(app, site.id)
    assert not outcome.delivered and "has no webhook URL" in outcome.message

    strict = app_with(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOWED_NETWORKS="")
    with WebhookReceiver() as receiver:
        _point(app, site, receiver.url)
        outcome = _send(strict, site.id)
        assert receiver.received == []  # refused before any connection
    assert not outcome.delivered and "not sent: refused" in outcome.message and "loopback" in outcome.message


def test_the_admin_page_shows_the_answer_and_the_audit_log_keeps_it(app, site, admin):
    client = app.test_client()
    page = client.get("/login")
    client.post("/login", data={"username": admin.username, "password": admin.password,
                                "csrf_token": CSRF.search(page.get_data(as_text=True)).group(1)})
    with WebhookReceiver(status=503) as receiver:
        _point(app, site, receiver.url)
        token = CSRF.search(client.get(f"/admin/sites/{site.id}").get_data(as_text=True)).group(1)
        response = client.post(f"/admin/sites/{site.id}/webhook-test", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Not delivered: " in html and "HTTP 503" in html
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:webhook_test_sent")).one()
    assert entry.actor == f"user:{admin.username}" and entry.details["delivered"] is False


def test_the_command_exits_1_when_the_receiver_did_not_take_it(app, site, services):
    with app.app_context():
        secret = db.session.get(Site, site.id).webhook_secret
    with WebhookReceiver(secret) as receiver:
        _point(app, site, receiver.url)
        ok = CliRunner().invoke(main, ["webhooks", "test", site.name], env=services.env())
    assert ok.exit_code == 0 and ok.output.startswith("delivered: ") and receiver.received[0].signature_valid
    _point(app, site, None)
    refused = CliRunner().invoke(main, ["webhooks", "test", site.name], env=services.env())
    assert refused.exit_code == 1 and "has no webhook URL" in refused.output
    missing = CliRunner().invoke(main, ["webhooks", "test", "no-such-site"], env=services.env())
    assert missing.exit_code == 1 and "no such site" in missing.output


def test_what_a_peer_sends_is_never_shown_only_what_kind_of_failure_it_was(app, site):
    """A security review: a TCP service's greeting came back in the page and the audit log (an SSH
    banner through BadStatusLine), so a test was a banner grabber from inside the network."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def greet() -> None:
        conn, _ = listener.accept()
        conn.sendall(b"SSH-2.0-OpenSSH_9.2p1 internal-bastion-7\r\n")
        conn.close()

    threading.Thread(target=greet, daemon=True).start()
    _point(app, site, f"http://127.0.0.1:{listener.getsockname()[1]}/hook")
    try:
        outcome = _send(app, site.id)
    finally:
        listener.close()
    assert not outcome.delivered
    assert "OpenSSH" not in outcome.message and "bastion" not in outcome.message
    assert outcome.message.endswith("the receiver did not answer in HTTP"), outcome.message


def test_a_second_test_while_one_is_sent_is_refused_not_queued(app, site, admin):
    from moderation.admin import webhook_test

    client = app.test_client()
    page = client.get("/login")
    client.post("/login", data={"username": admin.username, "password": admin.password,
                                "csrf_token": CSRF.search(page.get_data(as_text=True)).group(1)})
    _point(app, site, "https://receiver.example/hook")
    token = CSRF.search(client.get(f"/admin/sites/{site.id}").get_data(as_text=True)).group(1)
    assert webhook_test._one_at_a_time.acquire(blocking=False)  # a test in flight
    try:
        busy = client.post(f"/admin/sites/{site.id}/webhook-test", data={"csrf_token": token})
    finally:
        webhook_test._one_at_a_time.release()
    assert busy.status_code == 429 and "another test is being sent" in busy.get_data(as_text=True)


def test_a_copy_with_webhooks_paused_sends_the_live_site_no_test_event(app, site, services):
    """A drill's copy holds the live site's URL and secret (an operator's upgrade drill)."""
    with app.app_context():
        secret = db.session.get(Site, site.id).webhook_secret
    with WebhookReceiver(secret) as receiver:
        _point(app, site, receiver.url)
        paused = CliRunner().invoke(main, ["webhooks", "test", site.name], env=services.env(WEBHOOKS_PAUSED="true"))
        assert paused.exit_code == 1 and "webhooks are paused here (WEBHOOKS_PAUSED)" in paused.output
        assert receiver.received == []
