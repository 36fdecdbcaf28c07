"""`moderation authors ...`: a reader's data for the operator who answers their request: everything
held about them on a site (a subject access request), and their erasure, which had needed the
site's own API key (and a deactivated site's none worked)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from moderation import db
from moderation.cli.context import cli_actor, command_app


@click.group("authors")
def authors_group() -> None:
    """A reader's data on a site: export it, or erase it."""


def _site(name: str):
    from moderation.domain.errors import NotFound
    from moderation.domain.sites import site_named

    try:
        return site_named(db.session, name)
    except NotFound as error:
        raise click.ClickException(error.message) from None


@authors_group.command("export")
@click.argument("site_name", metavar="SITE")
@click.argument("author_id")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON here (readable by you alone) instead of standard output.")
def export_command(site_name: str, author_id: str, output: Path | None) -> None:
    """Everything held about reader AUTHOR_ID on SITE, as JSON: their comments with current and earlier
    texts, the reports they filed with their notes, their sanctions and any erasure of them."""
    from moderation.domain.status import audit
    from moderation.domain.subject_access import subject_access
    from moderation.private_files import open_private

    app = command_app()
    with app.app_context():
        site = _site(site_name)
        held = subject_access(db.session, site, author_id)
        audit(db.session, cli_actor(), "author:exported", site_id=site.id, comments=len(held["comments"]),
              reports_filed=len(held["reports_filed"]))
        db.session.commit()
    document = json.dumps(held, indent=2, ensure_ascii=False)
    if output is None:
        click.echo(document)
        return
    with open_private(output, encoding="utf-8") as out:  # readers' texts: 0600 before a byte is written
        out.write(document + "\n")
    click.echo(f"wrote {output}: {len(held['comments'])} comment(s), {len(held['reports_filed'])} report(s) filed",
               err=True)


@authors_group.command("erase")
@click.argument("site_name", metavar="SITE")
@click.argument("author_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(site_name: str, author_id: str, yes: bool) -> None:
    """Erase reader AUTHOR_ID on SITE, as the site's DELETE /api/v1/authors/<id> does: their comments
    deleted, their texts and name erased everywhere, the notes of reports they filed too; recorded.
    Works on a deactivated site too. Other sites' readers of the same id are not touched."""
    from moderation.domain.dispatch import send_webhooks
    from moderation.domain.erasure import erase_author

    if not yes:
        click.confirm(f"Erase {author_id} on {site_name} now? It cannot be undone.", abort=True)
    app = command_app(need_redis=True)
    with app.app_context():
        site = _site(site_name)
        erased = erase_author(db.session, site, author_id, actor=cli_actor())
        db.session.commit()
        counts = erased.record.counts
        try:
            send_webhooks(db.session, erased.deliveries)
        except Exception as error:  # the sweep sends what waits; the erasure is done and committed
            click.echo(f"the site's webhook events wait for the sweep ({error.__class__.__name__})", err=True)
    click.echo(f"erased {author_id} on {site_name}: {counts.get('comments_deleted', 0)} comment(s) deleted, "
               f"{counts.get('report_notes', 0)} report note(s) erased; recorded under the id's SHA-256 "
               f"{erased.record.author_hash}")
