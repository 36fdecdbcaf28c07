"""Admin commands; they work beside a running `moderation up`, on the same embedded data."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from moderation import db
from moderation.cli.context import cli_actor, command_app, echo_upgrade_hints
from moderation.config import Config
from moderation.domain.errors import DomainError
from moderation.domain.lifecycle import MODES, PRE_MODERATION
from moderation.models import DEFAULT_REPORT_THRESHOLD, ROLES
from moderation.moved_database import mark_moved_if_dumped_here, note_dump


@click.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    from moderation.migrate import NewerDatabase, upgrade

    app = command_app(create_database=True)
    try:
        upgrade(app.config["DATABASE_URL"])
    except NewerDatabase as error:
        raise click.ClickException(str(error)) from None
    click.echo("database is up to date")
    echo_upgrade_hints(app.config["DATABASE_URL"], app.config.get("MODEL_PATH"))


@db_group.command("dump")
@click.argument("target", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def db_dump(target: Path) -> None:
    """Back up the whole database to TARGET (pg_dump's custom format).

    Comments, decisions, reports, keys, users, settings, the audit log and every registered model's
    artifact are in it. Works beside a running `moderation up`, on the embedded server or on
    DATABASE_URL's.
    """
    from moderation.backup import BackupError, dump

    embedded = not os.environ.get("DATABASE_URL")
    secret = Config.from_env().VAR_DIR / "secret_key"
    had_secret = secret.exists()
    app = command_app()
    try:
        dump(app.config["DATABASE_URL"], target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"wrote {target} ({target.stat().st_size:,} bytes)")
    if embedded:  # restored into a real server, this var dir's database will be marked moved
        note_dump(Path(app.config["VAR_DIR"]), target)
    if os.environ.get("SECRET_KEY"):
        return
    if not had_secret:
        # Made just now by the app this command started: a key that never signed anything. Run from
        # another checkout or host with DATABASE_URL, the dump had said to keep this one (an operator's walk).
        secret.unlink(missing_ok=True)
        click.echo("SECRET_KEY is not set here and this var dir has no secret_key of its own: keep a copy of the "
                   "service's own with the dump (its SECRET_KEY, or the secret_key file in the var dir it runs with). "
                   "Without it, every moderator's id that sites see changes where you restore.")
        return
    click.echo(f"SECRET_KEY is not set, so this installation's is in {secret}: keep a copy with the dump. Where "
               f"you restore, set SECRET_KEY to it, or set MODERATOR_ID_SECRET to what `moderation keys "
               f"moderator-id-secret` prints here: otherwise every moderator's id that sites see changes.")


@db_group.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
def db_restore(source: Path, yes: bool) -> None:
    """Replace the database (embedded, or DATABASE_URL's) with the dump SOURCE, then migrate it.

    Stop the service first: its workers would write into a database being replaced. A dump from an
    older release is brought up to date by the migrations that follow.
    """
    from moderation import db
    from moderation.backup import (
        BackupError,
        after_restore,
        erasures_before_restore,
        restore,
        sequence_marks,
        shown_url,
    )
    from moderation.domain.erasure_replay import keep_until_applied, replay_erasures
    from moderation.domain.errors import ValidationFailed
    from moderation.config import Config
    from moderation.migrate import known_revisions, upgrade
    from moderation.models import AuditEntry

    config = Config.from_env()
    new_key = not config.SECRET_KEY and not (config.VAR_DIR / "secret_key").exists()
    app = command_app(create_database=True)  # restoring onto a new machine's embedded server
    url = app.config["DATABASE_URL"]
    # Which database, in words: a drill run with production's environment named only "the database",
    # and MODERATION_VAR_DIR, which docs/operations.md's drill set, changes nothing while DATABASE_URL is set.
    target = (f"DATABASE_URL's database ({shown_url(url)})"
              if config.DATABASE_URL else f"the embedded database in {config.VAR_DIR}")
    if not yes:
        click.confirm(f"Replace every table of {target} with {source}?", abort=True)
    before = sequence_marks(url)
    # Read before they are replaced, and kept in a file until applied again after: held in memory
    # alone, a restore cut short in between lost them for good (a security review).
    pending = config.VAR_DIR / "erasures-to-apply.json"
    config.VAR_DIR.mkdir(parents=True, exist_ok=True)
    try:
        erasures = keep_until_applied(pending, erasures_before_restore(url))
    except ValidationFailed as error:
        raise click.ClickException(error.message) from None
    try:
        ignored = restore(url, source, known_revisions(url))
    except BackupError as error:
        drill = (" To test a backup without touching it, restore into a scratch var dir with DATABASE_URL unset: "
                 f"env -u DATABASE_URL MODERATION_VAR_DIR=/tmp/drill moderation db restore {source}"
                 if config.DATABASE_URL and "in use" in str(error) else "")
        raise click.ClickException(f"{target}: {str(error).rstrip('.')}.{drill}") from None
    upgrade(url)
    last = after_restore(url, before)
    with app.app_context():
        replayed = replay_erasures(db.session, erasures, actor=cli_actor())
        # Said in the audit log too: decisions and deletions after the backup vanished from it with no
        # entry saying why, where only the sites had been told (an operator's restore walk).
        db.session.add(AuditEntry(actor=cli_actor(), action="db:restored", details={
            "dump": str(source), "backup_last_action_at": last, "erased_again": replayed.authors,
            "errors_ignored": len(ignored)}))
        db.session.commit()
    pending.unlink(missing_ok=True)
    if config.DATABASE_URL and mark_moved_if_dumped_here(config.VAR_DIR, source, target):
        click.echo(f"{source} is the dump of the embedded database in {config.VAR_DIR}: commands run there without "
                   f"DATABASE_URL now refuse rather than act on the old copy (remove {config.VAR_DIR / 'moved.json'} "
                   "to use it anyway)")
    if ignored:
        click.echo(f"ignored {len(ignored)} error(s) an older server gives a newer dump: {ignored[0]}")
    click.echo(f"restored {source} into {target}; it is up to date")
    if last is not None:
        click.echo(f"the backup's last recorded action was at {last}: comments, decisions and settings after "
                   "that are not in it (a site's comments since then can be posted again)")
    if replayed.authors or replayed.suggestions or replayed.kept:
        click.echo(f"erasures made after the backup, applied again: {replayed.authors} reader(s) erased again, "
                   f"{replayed.suggestions} suggestion label(s) deleted again, {replayed.kept} record(s) kept with "
                   "nothing of theirs in the backup")
    if replayed.sites_gone:
        click.echo("erasures on sites the backup does not have (by name and the moment the site was made) were not "
                   f"applied: {', '.join(replayed.sites_gone)}")
    click.echo("new ids start far past the backup's and this database's, and every comment's version past any "
               "given out before, so nothing a site received after the backup is reused")
    if new_key:  # a drill: the restored machine made its own key, and no one said so
        click.echo(f"note: this machine had no SECRET_KEY, so a new one is in {config.VAR_DIR / 'secret_key'}: "
                   "everyone signs in again and the moderator ids sites see change; to keep them, copy the old "
                   "machine's var/secret_key over it (or set SECRET_KEY) before starting")


@click.group("keys")
def keys_group() -> None:
    """API keys for news sites (one site per key)."""


@keys_group.command("moderator-id-secret")
def keys_moderator_id_secret() -> None:
    """Print the key behind the moderator ids sites see, as MODERATOR_ID_SECRET takes it.

    Run it before giving the installation a new SECRET_KEY (moving off the embedded default, which
    keeps one in var/secret_key, or rotating it) and set MODERATOR_ID_SECRET to what it prints:
    the ids stay the same. Treat it as a secret.
    """
    from moderation.domain.settings import DERIVED_PREFIX, DomainSettings

    app = command_app()
    click.echo(DERIVED_PREFIX + DomainSettings.from_config(app.config).pseudonym_key.hex())


@keys_group.command("create")
@click.argument("name")
@click.option("--webhook-url", help="Where status changes are POSTed, signed with HMAC-SHA256.")
@click.option("--mode", type=click.Choice(MODES), default=PRE_MODERATION, show_default=True,
              help="pre: what the model and rules pass is published, held comments stay hidden until approved; "
                   "post: held comments visible until rejected; hold_all: every comment held, nothing published "
                   "until a moderator approves it.")
@click.option("--report-threshold", type=float, default=DEFAULT_REPORT_THRESHOLD, show_default=True,
              help="Report weight that sends a comment to review.")
@click.option("--rules", "rule_choice", type=click.Choice(["starter", "none"]), default="starter", show_default=True,
              help="starter: hold threats and hate against a group said in plain words, which the model often "
                   "misses, a reader at risk of harming themselves and urging someone to, comments in a language "
                   "the model cannot read, and phone numbers, e-mail and street addresses and card numbers (rules "
                   "'threats', 'group-hate', 'at-risk', 'urging-self-harm', 'other-language', 'phone-numbers', "
                   "'email-addresses', 'street-addresses', 'card-numbers'); none: no rules. Edit them on /admin.")
def keys_create(name: str, webhook_url: str | None, mode: str, report_threshold: float, rule_choice: str) -> None:
    """Create a site NAME and print its API key and webhook secret once."""
    from moderation.domain.accounts import add_site
    from moderation.domain.rule_sets import starter_rules
    from moderation.migrate import upgrade

    app = command_app()
    rules = starter_rules() if rule_choice == "starter" else []
    with app.app_context():
        upgrade(app.config["DATABASE_URL"])
        try:
            new = add_site(db.session, name, webhook_url=webhook_url, moderation_mode=mode,
                           report_threshold=report_threshold, starter=rule_choice == "starter", actor=cli_actor())
            db.session.commit()  # one transaction: no site without its rules
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    click.echo(f"site:           {new.site.name}")
    click.echo(f"api key:        {new.api_key}")
    click.echo(f"webhook secret: {new.webhook_secret}")
    if rules:
        click.echo(f"rules:          {', '.join(r['name'] for r in rules)} (hold; edit on /admin, Rules and stories)")
    else:
        click.echo("rules:          none (add them on /admin, Rules and stories)")
    click.echo("Store both now: they are not shown again.", err=True)


@click.group("users")
def users_group() -> None:
    """Moderators, site admins and admins of the review pages."""


@users_group.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="moderator", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--site", "sites", multiple=True, metavar="SITE",
              help="A site the moderator works or the site admin runs (its name); repeat for more. "
                   "Admins see every site.")
def users_create(name: str, role: str, password_stdin: bool, sites: tuple[str, ...]) -> None:
    """Create a user NAME; the password comes from a prompt or from stdin."""
    from moderation.domain.accounts import add_account
    from moderation.domain.sites import site_named
    from moderation.migrate import upgrade

    if password_stdin or not sys.stdin.isatty():
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    app = command_app()
    with app.app_context():
        upgrade(app.config["DATABASE_URL"])
        try:
            site_ids = [site_named(db.session, site).id for site in sites]
            add_account(db.session, name, password, role, site_ids=site_ids, actor=cli_actor())
            db.session.commit()
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
    doing = "running" if role == "site_admin" else "moderating"
    click.echo(f"created {role.replace('_', ' ')} {name}" + (f", {doing} {', '.join(sorted(set(sites)))}" if sites else ""))
