"""Accounts and keys from the command line: list, disable/enable, reset and re-role users; list, rotate and
revoke sites' API keys. Added to the `users` and `keys` groups of admin_commands."""
from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime

import click

from moderation.cli.admin_commands import keys_group, users_group
from moderation.cli.context import cli_actor, command_session
from moderation.models import ROLES



def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def _read_password(from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("New password", hide_input=True, confirmation_prompt=True)


@users_group.command("list")
def users_list() -> None:
    """List users with their role, whether they may sign in, their last sign-in and the sites a
    moderator works (an admin works every site)."""
    from sqlalchemy import select

    from moderation.domain.users import list_users
    from moderation.models import Site, SiteMember

    with command_session() as session:
        works: dict[int, list[str]] = {}
        for user_id, site_name in session.execute(select(SiteMember.user_id, Site.name)
                                                  .join(Site, Site.id == SiteMember.site_id).order_by(Site.name)):
            works.setdefault(user_id, []).append(site_name)
        rows = [(u.username, u.role, "active" if u.active else "disabled", _when(u.last_login_at),
                 "every site" if u.role == "admin" else ", ".join(works.get(u.id, [])) or "none yet")
                for u in list_users(session)]
    if not rows:
        click.echo("no users yet: moderation users create NAME --role admin")
        return
    width = max(len("user"), *(len(r[0]) for r in rows))
    last_width = max(len("last sign-in"), *(len(r[3]) for r in rows))
    click.echo(f"{'user':<{width}}  {'role':<10}  {'state':<8}  {'last sign-in':<{last_width}}  sites")
    for name, role, state, last, sites in rows:
        click.echo(f"{name:<{width}}  {role:<10}  {state:<8}  {last:<{last_width}}  {sites}")


def _user_action(name: str, action: Callable[..., None], done: str, *args: object) -> None:
    from moderation.domain.users import user_named

    with command_session() as session:
        action(session, user_named(session, name), *args, actor=cli_actor())
    click.echo(done)


@users_group.command("disable")
@click.argument("name")
def users_disable(name: str) -> None:
    """Stop NAME signing in; their open sessions end at once."""
    from moderation.domain.users import disable_user

    _user_action(name, disable_user, f"disabled {name}; their sessions have ended")


@users_group.command("enable")
@click.argument("name")
def users_enable(name: str) -> None:
    """Let a disabled user NAME sign in again, with the password the account has (set a new one with
    reset-password first if anyone else may know it: a phished account's attacker signed back in)."""
    from moderation.domain.users import enable_user

    _user_action(name, enable_user, f"enabled {name}, with the password the account had: "
                                    f"`moderation users reset-password {name}` if anyone else may know it")


@users_group.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def users_reset_password(name: str, password_stdin: bool) -> None:
    """Give NAME a new password (from a prompt or stdin); their open sessions end and any sign-in
    lockout is lifted, so the new password works at once."""
    from flask import current_app

    from moderation.domain.accounts import give_new_password
    from moderation.domain.users import user_named

    password = _read_password(password_stdin)
    with command_session() as session:
        user = user_named(session, name)
        lifted = give_new_password(session, user, password, actor=cli_actor(),
                                   guard=current_app.extensions["sign_in_guard"])
        window = current_app.config["LOGIN_FAILURE_WINDOW"]
    click.echo(f"new password set for {user.username}; their sessions have ended")
    if lifted:
        click.echo("any sign-in lockout is lifted")
    else:
        click.echo(f"Redis could not be reached, so a sign-in lockout, if any, stays until it ends by itself "
                   f"(within {max(1, window // 60)} minutes)", err=True)


@users_group.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def users_role(name: str, role: str) -> None:
    """Make NAME a moderator, a site admin (runs the sites they are a member of) or an admin; their
    open sessions end."""
    from moderation.domain.users import a_role, set_role

    _user_action(name, set_role, f"{name} is now {a_role(role)}; their sessions have ended",
                 role)


@keys_group.command("list")
def keys_list() -> None:
    """List sites with their key ids (never secrets), any rotated-out key still in its grace period,
    and any scoring key for the Perspective endpoint, with the one it replaced while that still works."""
    from sqlalchemy import select

    from moderation.domain.sites import key_summary
    from moderation.models import Site

    with command_session() as session:
        rows = []
        for site in session.scalars(select(Site).order_by(Site.name)):
            keys = key_summary(site)
            previous = f"{keys['previous']} until {_when(keys['previous_valid_until'])}" if keys["previous"] else "—"
            has_scoring = keys["scoring"] or keys["previous_scoring"]
            scoring = f"  scoring: {keys['scoring'] or 'revoked'}" if has_scoring else ""
            if keys["previous_scoring"]:
                scoring += (f"  previous scoring: {keys['previous_scoring']} until "
                            f"{_when(keys['previous_scoring_valid_until'])}")
            rows.append((site.name, keys["current"] or "revoked", previous, scoring,
                         "" if site.active else "(inactive)"))
    if not rows:
        click.echo("no sites yet: moderation keys create NAME")
    width = max((len(r[0]) for r in rows), default=0)
    for name, current, previous, scoring, inactive in rows:
        click.echo(f"{name:<{width}}  {current:<24}  previous: {previous}{scoring} {inactive}".rstrip())


@keys_group.command("rotate")
@click.argument("name")
@click.option("--grace", default="24h", show_default=True,
              help="How long the current key keeps working beside the new one: 0, 30m, 24h, 7d (at most 90d).")
@click.option("--replace-previous", is_flag=True,
              help="Rotate even while an earlier rotation's old key is in its grace period: that key stops at once.")
def keys_rotate(name: str, grace: str, replace_previous: bool) -> None:
    """Issue a new API key for site NAME and print it once; the old key works until the grace period ends.
    Refused while an earlier rotation's old key still works, which it would end (--replace-previous)."""
    from moderation.domain.sites import KeyInGrace, parse_grace, rotate_key, site_named

    with command_session() as session:
        period = parse_grace(grace)
        site = site_named(session, name)
        had_key = bool(site.key_hash)  # revoked keys stay revoked: no grace for them
        try:
            new_key = rotate_key(session, site, grace=period, actor=cli_actor(), replace_previous=replace_previous)
        except KeyInGrace as refused:
            raise click.ClickException(f"{refused.message} (moderation keys revoke {name} --previous), or rotate "
                                       "with --replace-previous to end it now") from refused
    click.echo(f"api key:        {new_key}")
    if not had_key:
        then = "The site had no working key; this is its only one."
    elif period:
        then = f"The old key keeps working for {grace}."
    else:
        then = "The old key has stopped working."
    click.echo("Store it now: it is not shown again. " + then, err=True)


@keys_group.command("scoring")
@click.argument("name")
@click.option("--grace", default="24h", show_default=True,
              help="How long the scoring key being replaced keeps working beside the new one: 0, 30m, 24h, 7d "
                   "(at most 90d).")
@click.option("--replace-previous", is_flag=True,
              help="Replace even while an earlier replacement's old key is in its grace period: that key stops "
                   "at once.")
@click.option("--revoke", is_flag=True,
              help="End the scoring key, and the one it replaced, now instead of issuing one.")
@click.option("--previous", is_flag=True, help="With --revoke: end only the replaced scoring key's grace period.")
def keys_scoring(name: str, grace: str, replace_previous: bool, revoke: bool, previous: bool) -> None:
    """Issue site NAME a scoring key and print it once: the Perspective endpoint (/v1alpha1) takes it,
    the comment API refuses it. Paste it into Coral or another Perspective client instead of the
    site's API key, which can also read, decide and erase comments. A new one replaces the old one,
    which keeps working until the grace period ends (Coral publishes comments unscored while its key
    fails). Refused while an earlier replacement's old key still works, which it would end."""
    from moderation.domain.sites import KeyInGrace, issue_scoring_key, parse_grace, site_named

    if previous and not revoke:
        raise click.UsageError("--previous goes with --revoke")
    # Read as asked, "--revoke --grace 1h" ended both keys at once without a word (a re-check).
    given = click.get_current_context().get_parameter_source("grace") is not click.core.ParameterSource.DEFAULT
    if revoke and (given or replace_previous):
        raise click.UsageError("--grace and --replace-previous go with a new key, not --revoke, which ends "
                               "keys now: replace the key with --grace to keep the old one working a while")
    if revoke:
        _revoke_scoring(name, previous)
        return

    with command_session() as session:
        period = parse_grace(grace)
        site = site_named(session, name)
        replaced = bool(site.scoring_key_hash)
        try:
            new_key = issue_scoring_key(session, site, grace=period, actor=cli_actor(),
                                        replace_previous=replace_previous)
        except KeyInGrace as refused:
            raise click.ClickException(f"{refused.message} (moderation keys scoring {name} --revoke --previous), or "
                                       "replace it with --replace-previous to end it now") from refused
    click.echo(f"scoring key:    {new_key}")
    if not replaced:
        then = "It reaches /v1alpha1 only."
    elif period:
        then = f"The old scoring key keeps working for {grace}: paste this one into the client before then."
    else:
        then = "The old scoring key has stopped working."
    click.echo("Store it now: it is not shown again. " + then, err=True)


def _revoke_scoring(name: str, previous_only: bool) -> None:
    from moderation.domain.sites import key_summary, revoke_scoring_key, site_named

    with command_session() as session:
        site = site_named(session, name)
        keys = key_summary(site)
        had = keys["previous_scoring"] if previous_only else keys["scoring"] or keys["previous_scoring"]
        if had:
            revoke_scoring_key(session, site, actor=cli_actor(), previous_only=previous_only)
    what = "previous scoring key" if previous_only else "scoring key"
    if not had:
        click.echo(f"{name} has no {what}{' in its grace period' if previous_only else ''}; nothing changed")
    elif previous_only:
        click.echo(f"revoked the previous scoring key of {name}, {keys['previous_scoring']}")
    else:
        click.echo(f"revoked the scoring key of {name}"
                   + (f" and the one it replaced, {keys['previous_scoring']}" if keys["previous_scoring"] else ""))


@keys_group.command("deactivate")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def keys_deactivate(name: str, yes: bool) -> None:
    """Offboard site NAME: its keys stop working, its comments leave every queue and site picker,
    and its webhook events are closed, not retried. Its data stays (erase authors first if you
    must); `keys reactivate NAME` takes it back."""
    from moderation.domain.sites import set_site_active, site_named

    if not yes:
        click.confirm(f"Deactivate {name} now?", abort=True)
    with command_session() as session:
        site = site_named(session, name)
        if not site.active:
            click.echo(f"{name} is already deactivated; nothing changed")
            return
        closed = set_site_active(session, site, active=False, actor=cli_actor())
    click.echo(f"deactivated {name}; {closed:,} waiting webhook event{'' if closed == 1 else 's'} closed")


@keys_group.command("reactivate")
@click.argument("name")
def keys_reactivate(name: str) -> None:
    """Take back site NAME after `keys deactivate`: its keys, queue and webhooks work again (the
    events closed while it was away stay closed)."""
    from moderation.domain.sites import set_site_active, site_named

    with command_session() as session:
        site = site_named(session, name)
        if site.active:
            click.echo(f"{name} is active; nothing changed")
            return
        set_site_active(session, site, active=True, actor=cli_actor())
    click.echo(f"reactivated {name}")


@keys_group.command("webhook")
@click.argument("name")
@click.argument("url", required=False)
@click.option("--none", "clear", is_flag=True, help="Send this site no webhooks (it polls the changes feed).")
def keys_webhook(name: str, url: str | None, clear: bool) -> None:
    """Point site NAME's webhooks at URL, or with --none at nothing; events waiting go to the new
    URL. Checked and audited as on /admin; the signing secret stays (`webhooks rotate-secret`)."""
    from moderation.domain.sites import set_webhook_url, site_named

    url = (url or "").strip() or None  # a blank one had cleared the webhooks, saying they went to "   "
    if clear == bool(url):
        raise click.UsageError("give a URL, or --none for no webhooks")
    with command_session() as session:
        changed = set_webhook_url(session, site_named(session, name), None if clear else url, actor=cli_actor())
    said = f"{name} gets no webhooks" if clear else f"{name}'s webhooks go to {url}"
    click.echo(f"{said} now" if changed else f"{said} already; nothing changed")


@keys_group.command("revoke")
@click.argument("name")
@click.option("--previous", is_flag=True,
              help="End only the rotated-out API key's grace period (a replaced scoring key's: "
                   "`keys scoring NAME --revoke --previous`).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def keys_revoke(name: str, previous: bool, yes: bool) -> None:
    """End site NAME's API keys at once (all of them, its scoring keys too, or with --previous only
    the old API key; `keys scoring NAME --revoke` ends the scoring keys alone).

    After revoking all keys the site has none until `moderation keys rotate NAME`. Other web
    processes notice within 2 seconds (they re-read the site's row every site_rows.ROW_TTL).
    """
    from moderation.domain.sites import revoke_keys, site_named

    what = "the previous key" if previous else "every key"
    if not yes:
        click.confirm(f"Revoke {what} of {name} now?", abort=True)
    with command_session() as session:
        revoke_keys(session, site_named(session, name), actor=cli_actor(), previous_only=previous)
    click.echo(f"revoked {what} of {name}")
