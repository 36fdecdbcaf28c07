"""`moderation webhooks ...`: dead letters (deliveries that used up their retries), the signing secret, a test event."""
from __future__ import annotations

import click

from moderation import db
from moderation.cli.context import cli_actor, command_app, site_id_named
from moderation.domain.errors import DomainError


@click.group("webhooks")
def webhooks_group() -> None:
    """Webhook dead letters and signing secrets."""


@webhooks_group.command("dead-letters")
@click.option("--site", "site_name", help="Only this site's (by name).")
@click.option("--limit", type=click.IntRange(1, 10_000), default=200, show_default=True)
def dead_letters_command(site_name: str | None, limit: int) -> None:
    """List deliveries that used up their retries, oldest first."""
    from moderation.domain.dead_letters import count_dead_letters, list_dead_letters
    from moderation.domain.status import now

    app = command_app()
    with app.app_context():
        site_id = site_id_named(site_name)
        letters = list_dead_letters(db.session, site_id=site_id, limit=limit)
        total = count_dead_letters(db.session, site_id=site_id)
    if not letters:
        click.echo("no dead letters")
        return
    click.echo(f"{'id':>8}  {'site':<20} {'event':<24} {'comment':>8} {'attempts':>8} {'age (h)':>8}  last error")
    for letter in letters:
        hours = (now() - letter.created_at).total_seconds() / 3600
        click.echo(f"{letter.id:>8}  {letter.site_name[:20]:<20} {letter.event_type[:24]:<24} "
                   f"{letter.comment_id or '-':>8} {letter.attempts:>8} {hours:>8.1f}  {letter.last_error or ''}")
    if total > len(letters):
        click.echo(f"... and {total - len(letters)} more", err=True)


@webhooks_group.command("replay")
@click.argument("ids", nargs=-1, type=click.IntRange(1, 2**63 - 1))
@click.option("--all", "replay_all", is_flag=True, help="Every dead letter (of --site, if given).")
@click.option("--site", "site_name", help="With --all: only this site's.")
def replay_command(ids: tuple[int, ...], replay_all: bool, site_name: str | None) -> None:
    """Send dead letters again: by delivery ID, or --all [--site NAME]. Each replay is audited."""
    from moderation.domain.dead_letters import replay_dead_letters, send_replayed, why_not_dead_letters

    if bool(ids) == replay_all:
        raise click.UsageError("give delivery ids or --all (not both)")
    if site_name and not replay_all:
        raise click.UsageError("--site goes with --all")
    app = command_app(need_redis=True)
    with app.app_context():
        site_id = site_id_named(site_name)
        replayed = replay_dead_letters(db.session, actor=cli_actor(), ids=list(ids) if ids else None, site_id=site_id)
        db.session.commit()
        send_replayed(db.session, replayed)  # a message lost here is resent by the sweep within a minute or two
        others = why_not_dead_letters(db.session, [i for i in dict.fromkeys(ids) if i not in {d.id for d in replayed}])
    click.echo(f"replayed {len(replayed)}" + (f" of {len(set(ids))}" if others else ""))
    for delivery_id, why in others.items():
        click.echo(f"  {delivery_id}: not a dead letter: {why}")
    if ids and not replayed:  # a script replaying ids it was given should hear that none were
        raise SystemExit(1)


@webhooks_group.command("rotate-secret")
@click.argument("site_name", metavar="SITE")
@click.option("--grace", default="24h", show_default=True,
              help="How long the old secret keeps signing too: 24h, 30m, 7d, or 0 to stop it at once.")
@click.option("--replace-previous", is_flag=True,
              help="Rotate even while an earlier rotation's secret still signs: that secret stops at once.")
def rotate_secret_command(site_name: str, grace: str, replace_previous: bool) -> None:
    """Give SITE a new webhook signing secret (printed once); both sign deliveries during the grace.
    Refused while an earlier rotation's secret still signs, which it would end (--replace-previous)."""
    from moderation.domain.webhook_secrets import SecretInGrace, parse_grace, rotate_webhook_secret

    app = command_app()
    with app.app_context():
        try:
            period = parse_grace(grace)
            rotation = rotate_webhook_secret(db.session, site_id_named(site_name), period, actor=cli_actor(),
                                             replace_previous=replace_previous)
            db.session.commit()
        except SecretInGrace as exc:
            raise click.ClickException(f"{exc.message} (moderation webhooks end-previous-secret {site_name}), or "
                                       "rotate with --replace-previous") from exc
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(f"webhook secret: {rotation.secret}")
    if rotation.previous_valid_until:
        click.echo(f"the old secret signs too until {rotation.previous_valid_until:%Y-%m-%d %H:%M} UTC")
    click.echo("Store it now: it is not shown again.", err=True)


@webhooks_group.command("end-previous-secret")
@click.argument("site_name", metavar="SITE")
def end_previous_secret_command(site_name: str) -> None:
    """Stop SITE's previous webhook secret signing now (a leaked one), before its grace ends."""
    from moderation.domain.webhook_secrets import end_previous_webhook_secret

    app = command_app()
    with app.app_context():
        try:
            ended = end_previous_webhook_secret(db.session, site_id_named(site_name), actor=cli_actor())
            db.session.commit()
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(f"the previous webhook secret of {site_name} has stopped signing" if ended
               else f"{site_name} has no previous webhook secret signing; nothing changed")


@webhooks_group.command("test")
@click.argument("site_name", metavar="SITE")
def test_command(site_name: str) -> None:
    """POST a signed webhook.test event to SITE's webhook URL now and say how it answered (exit 1 if not 2xx)."""
    from flask import current_app

    from moderation.domain.settings import domain_settings
    from moderation.domain.webhook_test_event import send_and_audit
    from moderation.models import Site

    app = command_app()
    with app.app_context():
        site = db.session.get(Site, site_id_named(site_name))
        outcome = send_and_audit(db.session, site, policy=domain_settings(db.session).url_policy,
                                 timeout=current_app.config["WEBHOOK_TIMEOUT"], actor=cli_actor(), paused=current_app.config.get("WEBHOOKS_PAUSED", False))
    click.echo(("delivered: " if outcome.delivered else "not delivered: ") + outcome.message
               + (f" (delivery {outcome.delivery_id})" if outcome.delivery_id else ""))
    if not outcome.delivered:
        raise SystemExit(1)
