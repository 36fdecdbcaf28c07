"""`moderation webhooks ...`: dead letters listed and replayed, the signing secret rotated."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from moderation import db
from moderation.cli import main
from moderation.cli.context import cli_actor
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import SCORER, change_status, now
from moderation.models import AuditEntry, Site, WebhookDelivery


@pytest.fixture
def cli(services):
    def run(*args: str):
        return CliRunner().invoke(main, ["webhooks", *args], env=services.env())
    return run


@pytest.fixture
def dead(app, make_site):
    def make(site, count: int) -> list[int]:
        with app.app_context():
            ids = []
            for i in range(count):
                data = CommentInput(external_id=f"{site.name}-{i}", story_id="s", author_id="a", text="hi")
                comment = submit_comment(db.session, db.session.get(Site, site.id), data).comment
                delivery = change_status(db.session, comment, "published", actor="test", by=SCORER)
                db.session.flush()
                delivery.attempts, delivery.failed, delivery.last_error = 21, True, "HTTP 502"
                ids.append(delivery.id)
            db.session.commit()
            return ids

    planet = make_site("daily-planet", webhook_url="https://planet.example/hook")
    bugle = make_site("daily-bugle", webhook_url="https://bugle.example/hook")
    return make(planet, 2), make(bugle, 1)


def _failed(app) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(select(WebhookDelivery.id).where(WebhookDelivery.failed.is_(True))))


def test_dead_letters_lists_them_and_filters_by_site(cli, dead):
    planet, bugle = dead
    result = cli("dead-letters")
    assert result.exit_code == 0, result.output
    assert "daily-planet" in result.output and "daily-bugle" in result.output and "HTTP 502" in result.output
    only = cli("dead-letters", "--site", "daily-bugle").output
    assert "daily-bugle" in only and "daily-planet" not in only
    assert "no such site" in cli("dead-letters", "--site", "nope").output


def test_replay_by_id_and_all_of_a_site_resets_them_and_audits(app, cli, dead):
    planet, bugle = dead
    result = cli("replay", str(planet[0]))
    assert result.exit_code == 0 and "replayed 1" in result.output
    assert _failed(app) == {planet[1], bugle[0]}
    assert cli("replay", "--all", "--site", "daily-bugle").exit_code == 0
    assert _failed(app) == {planet[1]}
    with app.app_context():
        actors = {e.actor for e in db.session.scalars(select(AuditEntry).where(AuditEntry.action == "webhook:replayed"))}
    assert actors == {cli_actor()}


def test_replay_wants_ids_or_all(cli, dead):
    result = cli("replay")
    assert result.exit_code == 2 and "give delivery ids or --all" in result.output


def test_replaying_only_ids_that_are_not_dead_letters_fails(cli, dead):
    result = cli("replay", "999999")
    assert result.exit_code == 1 and "replayed 0 of 1" in result.output
    assert "999999: not a dead letter: no such delivery" in result.output


def test_replay_says_why_each_id_it_left_was_not_a_dead_letter(app, cli, dead):
    """"the others are not dead letters" left an operator guessing at a mistyped id (an operator's walk)."""
    planet, _ = dead
    with app.app_context():
        db.session.get(WebhookDelivery, planet[1]).delivered_at = now()
        db.session.commit()

    result = cli("replay", str(planet[0]), str(planet[1]), "424242")

    assert result.exit_code == 0 and "replayed 1 of 3" in result.output
    assert f"{planet[1]}: not a dead letter: delivered already" in result.output
    assert "424242: not a dead letter: no such delivery" in result.output


def test_rotate_secret_prints_the_new_secret_and_keeps_the_old_one_for_the_grace(app, cli, site):
    result = cli("rotate-secret", "daily-planet", "--grace", "2h")
    assert result.exit_code == 0, result.output
    shown = re.search(r"whsec_[A-Za-z0-9_-]+", result.output).group(0)
    with app.app_context():
        stored = db.session.get(Site, site.id)
        assert stored.webhook_secret == shown and stored.previous_webhook_secret == site.webhook_secret
        assert timedelta(hours=1) < stored.previous_webhook_secret_expires_at - now() <= timedelta(hours=2)
        assert db.session.scalars(select(AuditEntry.action)).all() == ["site:webhook_secret_rotated"]
    assert "no such site" in cli("rotate-secret", "nope").output
    assert cli("rotate-secret", "daily-planet", "--grace", "soon").exit_code != 0


def test_a_sites_webhook_url_is_changed_and_cleared_from_the_shell(app, services, make_site):
    """A Node integrator's walk: a headless deployment moving its receiver had only /admin to do it."""
    make_site("moving-post", webhook_url="https://old.moving-post.example/hook")
    run = lambda *args: CliRunner().invoke(main, ["keys", "webhook", "moving-post", *args], env=services.env())  # noqa: E731

    moved = run("https://new.moving-post.example/hook")
    assert moved.exit_code == 0
    assert "moving-post's webhooks go to https://new.moving-post.example/hook now" in moved.output
    refused = run("ftp://new.moving-post.example/hook")
    assert refused.exit_code == 1 and "webhook URL" in refused.output
    assert run().exit_code == 2 and run("https://x.example/h", "--none").exit_code == 2  # one or the other
    assert run("   ").exit_code == 2  # blank is not --none (a re-check: it cleared them, saying "go to    ")
    cleared = run("--none")
    assert cleared.exit_code == 0 and "moving-post gets no webhooks now" in cleared.output
    with app.app_context():
        assert db.session.scalar(select(Site.webhook_url).where(Site.name == "moving-post")) is None
        changes = [(e.details["old"], e.details["new"]) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "site:settings_changed").order_by(AuditEntry.id))]
    assert changes == [("https://old.moving-post.example/hook", "https://new.moving-post.example/hook"),
                       ("https://new.moving-post.example/hook", None)]


def test_rotating_the_secret_twice_ends_no_secret_in_its_grace_unless_asked(cli, make_site):
    """An incident walk: a leaked webhook secret's grace could not be ended early."""
    make_site("daily-planet", webhook_url="https://planet.example/hook")
    assert cli("rotate-secret", "daily-planet", "--grace", "24h").exit_code == 0
    refused = cli("rotate-secret", "daily-planet", "--grace", "24h")
    assert refused.exit_code != 0 and "still signs until" in refused.output and "end-previous-secret" in refused.output
    assert "has stopped signing" in cli("end-previous-secret", "daily-planet").output
    assert "nothing changed" in cli("end-previous-secret", "daily-planet").output
    assert "whsec_" in cli("rotate-secret", "daily-planet", "--grace", "24h").output
    assert "whsec_" in cli("rotate-secret", "daily-planet", "--replace-previous").output
