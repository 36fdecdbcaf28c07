"""The admins' webhook pages: URL checks on the site page, secret rotation, moderator names, dead letters."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import SCORER, change_status, now
from moderation.models import AuditEntry, Site, WebhookDelivery


def _settings(client, site_id: int, **form: str):
    token = csrf_token(client.get(f"/admin/sites/{site_id}").get_data(as_text=True))
    data = {"csrf_token": token, "moderation_mode": "pre", "report_threshold": "2", **form}
    return client.post(f"/admin/sites/{site_id}", data=data)


def test_the_admin_settings_page_refuses_a_metadata_url(app_with, sign_in, admin, site):
    strict = app_with(WEBHOOK_ALLOW_HTTP=False, WEBHOOK_ALLOWED_NETWORKS="")
    client = sign_in(admin, strict.test_client())
    response = _settings(client, site.id, webhook_url="https://169.254.169.254/latest/meta-data/")
    assert response.status_code == 400
    assert "169.254.169.254 is a link-local (cloud metadata) address" in response.get_data(as_text=True)
    with strict.app_context():
        assert db.session.get(Site, site.id).webhook_url is None


def test_an_admin_opts_a_site_in_to_moderator_names_and_it_is_audited(app, sign_in, admin, site):
    client = sign_in(admin)
    assert 'name="share_moderator_names"' in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert _settings(client, site.id, share_moderator_names="on").status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).share_moderator_names is True
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:settings_changed")).one()
        assert entry.details == {"site_id": site.id, "site": site.name, "setting": "share_moderator_names",
                                 "old": False, "new": True, "session_tag": entry.details["session_tag"]}


# Rotating the webhook secret

def _rotate(client, site_id: int, grace: str = "24h"):
    token = csrf_token(client.get(f"/admin/sites/{site_id}").get_data(as_text=True))
    return client.post(f"/admin/sites/{site_id}/webhook-secret", data={"csrf_token": token, "grace": grace})


def test_an_admin_rotates_the_webhook_secret_and_sees_the_new_one_once(app, sign_in, admin, site):
    client = sign_in(admin)
    response = _rotate(client, site.id)
    assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
    shown = re.search(r"whsec_[A-Za-z0-9_-]+", response.get_data(as_text=True)).group(0)
    with app.app_context():
        stored = db.session.get(Site, site.id)
        assert stored.webhook_secret == shown and stored.previous_webhook_secret == site.webhook_secret
        assert timedelta(hours=23) < stored.previous_webhook_secret_expires_at - now() <= timedelta(hours=24)
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:webhook_secret_rotated")).one()
        assert entry.actor == "user:ada" and entry.details["grace_seconds"] == 86400
        assert shown not in str(entry.details) and site.webhook_secret not in str(entry.details)
    assert shown not in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)


def test_a_second_rotation_in_the_grace_is_refused_and_a_leaked_previous_secret_can_be_ended_now(
        app, sign_in, admin, site):
    """An incident walk: a leaked secret's grace could only be ended by rotating again with none,
    which ended the new secret's too; and as with the API key, a rotation sent again (the page that
    showed the secret, reloaded) would end the secret the site still verified with."""
    client = sign_in(admin)
    first = re.search(r"whsec_[A-Za-z0-9_-]+", _rotate(client, site.id).get_data(as_text=True)).group(0)
    again = _rotate(client, site.id)
    assert again.status_code == 409 and "previous webhook secret of daily-planet still signs until" in again.get_data(as_text=True)
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "End the previous secret now" in page
    ended = client.post(f"/admin/sites/{site.id}/webhook-secret/end-previous", data={"csrf_token": csrf_token(page)})
    assert ended.status_code == 303
    assert "has stopped signing" in client.get(ended.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        stored = db.session.get(Site, site.id)
        assert stored.webhook_secret == first and stored.previous_webhook_secret is None
        assert db.session.scalars(select(AuditEntry.actor).where(
            AuditEntry.action == "site:webhook_secret_previous_ended")).one() == "user:ada"
    assert _rotate(client, site.id).status_code == 200  # nothing in its grace now


def test_rotating_needs_a_csrf_token_and_a_valid_grace(app, sign_in, admin, site):
    client = sign_in(admin)
    assert client.post(f"/admin/sites/{site.id}/webhook-secret", data={"grace": "24h"}).status_code == 400
    response = _rotate(client, site.id, grace="forever")
    assert response.status_code == 400 and "Grace period must look like" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, site.id).webhook_secret == site.webhook_secret


def test_a_moderator_cannot_rotate_or_see_dead_letters(app, sign_in, moderator, site):
    client = sign_in(moderator)
    token = csrf_token(client.get("/review").get_data(as_text=True))
    assert client.post(f"/admin/sites/{site.id}/webhook-secret",
                       data={"csrf_token": token, "grace": "1h"}).status_code == 403
    assert client.get("/admin/webhooks/dead-letters").status_code == 403
    assert client.post("/admin/webhooks/dead-letters/replay",
                       data={"csrf_token": token, "action": "all"}).status_code == 403
    with app.app_context():
        assert db.session.get(Site, site.id).webhook_secret == site.webhook_secret


# Dead letters

@pytest.fixture
def dead_letters(app, make_site):
    """Two sites' deliveries that used up their retries, and one still being retried."""
    def make(site, count: int, *, failed: bool = True) -> list[int]:
        with app.app_context():
            ids = []
            for i in range(count):
                data = CommentInput(external_id=f"{site.name}-{failed}-{i}", story_id="s", author_id="a", text="hi")
                comment = submit_comment(db.session, db.session.get(Site, site.id), data).comment
                delivery = change_status(db.session, comment, "published", actor="test", by=SCORER)
                db.session.flush()
                delivery.attempts, delivery.failed = 21, failed
                delivery.last_error = "ConnectionError: <b>connection refused</b>"
                delivery.created_at = now() - timedelta(hours=12)
                ids.append(delivery.id)
            db.session.commit()
            return ids

    planet = make_site("daily-planet", webhook_url="https://planet.example/hook")
    bugle = make_site("daily-bugle", webhook_url="https://bugle.example/hook")
    return planet, bugle, make(planet, 2), make(bugle, 1), make(planet, 1, failed=False)


def _replay(client, **form):
    token = csrf_token(client.get("/admin/webhooks/dead-letters").get_data(as_text=True))
    return client.post("/admin/webhooks/dead-letters/replay", data={"csrf_token": token, **form})


def _states(app, ids):
    with app.app_context():
        rows = db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(ids))).all()
        return {r.id: (r.failed, r.attempts) for r in rows}


def test_an_admin_sees_dead_letters_with_site_event_comment_attempts_error_and_age(app, sign_in, admin, dead_letters):
    planet, bugle, planet_dead, bugle_dead, retrying = dead_letters
    client = sign_in(admin)
    assert "/admin/webhooks/dead-letters" in client.get("/admin").get_data(as_text=True)
    html = client.get("/admin/webhooks/dead-letters").get_data(as_text=True)
    assert "daily-planet" in html and "daily-bugle" in html and "comment.status_changed" in html
    assert "&lt;b&gt;connection refused&lt;/b&gt;" in html and "<b>connection" not in html
    assert ">21<" in html and "12 h" in html
    for delivery_id in planet_dead + bugle_dead:
        assert f'name="ids" value="{delivery_id}"' in html
    assert f'name="ids" value="{retrying[0]}"' not in html, "a delivery still being retried is not a dead letter"
    only_bugle = client.get(f"/admin/webhooks/dead-letters?site={bugle.id}").get_data(as_text=True)
    assert f'name="ids" value="{bugle_dead[0]}"' in only_bugle and f'name="ids" value="{planet_dead[0]}"' not in only_bugle


def test_an_admin_replays_one_dead_letter_and_it_is_reset_and_audited(app, sign_in, admin, dead_letters):
    planet, bugle, planet_dead, bugle_dead, _ = dead_letters
    response = _replay(sign_in(admin), one=str(planet_dead[0]))
    assert response.status_code == 303
    assert _states(app, planet_dead + bugle_dead) == {planet_dead[0]: (False, 0), planet_dead[1]: (True, 21),
                                                      bugle_dead[0]: (True, 21)}
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "webhook:replayed")).one()
        assert entry.actor == "user:ada" and entry.details["delivery_id"] == planet_dead[0]


def test_an_admin_replays_selected_dead_letters_or_all_of_a_site(app, sign_in, admin, dead_letters):
    planet, bugle, planet_dead, bugle_dead, _ = dead_letters
    client = sign_in(admin)
    _replay(client, action="selected", ids=[str(planet_dead[1]), str(bugle_dead[0])])
    assert _states(app, planet_dead + bugle_dead) == {planet_dead[0]: (True, 21), planet_dead[1]: (False, 0),
                                                      bugle_dead[0]: (False, 0)}
    _replay(client, action="site", site_id=str(planet.id))
    assert _states(app, planet_dead)[planet_dead[0]] == (False, 0)


def test_replaying_needs_a_csrf_token(app, sign_in, admin, dead_letters):
    planet, bugle, planet_dead, bugle_dead, _ = dead_letters
    response = sign_in(admin).post("/admin/webhooks/dead-letters/replay", data={"one": str(planet_dead[0])})
    assert response.status_code == 400
    assert _states(app, [planet_dead[0]]) == {planet_dead[0]: (True, 21)}


def test_a_webhook_rotation_sent_again_or_at_once_with_another_ends_no_secret_the_site_holds(app, sign_in, admin, site):
    """A re-check: a rotation with no grace sent again by a reload ended the secret just shown, and
    three sent at once each showed a secret, one of which signed: the page loaded the row before the lock."""
    from sqlalchemy.orm import Session as OrmSession

    from moderation.domain.webhook_secrets import SecretInGrace, rotate_webhook_secret

    client = sign_in(admin)
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    form = {"csrf_token": csrf_token(page), "grace": "0",
            "drawn_with": re.search(r'name="drawn_with" value="([0-9a-f]+)"', page).group(1)}
    assert client.post(f"/admin/sites/{site.id}/webhook-secret", data=form).status_code == 200
    reloaded = client.post(f"/admin/sites/{site.id}/webhook-secret", data=form)
    assert reloaded.status_code == 409 and "rotated since this page was drawn" in reloaded.get_data(as_text=True)

    with app.app_context():
        stale = db.session.get(Site, site.id)  # loaded first, as the page does
        assert stale.previous_webhook_secret is None
        with OrmSession(bind=app.extensions["db_engine"]) as other:  # another admin's rotation, committed first
            rotate_webhook_secret(other, site.id, timedelta(hours=1), actor="user:bea")
            other.commit()
        with pytest.raises(SecretInGrace):
            rotate_webhook_secret(db.session, site.id, timedelta(hours=1), actor="user:ada")
        db.session.rollback()
