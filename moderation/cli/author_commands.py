"""`moderation authors ...`: a reader's data for the operator who answers their request: everything
held about them on a site (a subject access request), and their erasure, which had needed the
site's own API key (and a deactivated site's none worked)."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import click

from moderation.api.validation import path_id
from moderation.cli.context import cli_actor, command_session


@click.group("authors")
def authors_group() -> None:
    """A reader's data on a site: export it, or erase it."""


@authors_group.command("export")
@click.argument("site_name", metavar="SITE")
@click.argument("author_id")
@click.option("--story", "story_id", metavar="STORY_ID",
              help="Only their comments, and reports they filed, on this story (a production order for one thread).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the JSON here (readable by you alone) instead of standard output.")
def export_command(site_name: str, author_id: str, story_id: str | None, output: Path | None) -> None:
    """Everything held about reader AUTHOR_ID on SITE, as JSON: their comments with current and earlier
    texts and what happened to each, the copies kept to train the model, the reports they filed with
    their notes, their sanctions, any erasure of them, and the moderators' notes on their comments
    (no moderator's name). The file's SHA-256 is printed and kept in the audit log, so the service can
    later say whether a copy someone holds is the file it wrote."""
    from moderation.domain.sites import site_named
    from moderation.domain.status import audit
    from moderation.domain.subject_access import subject_access
    from moderation.private_files import open_private

    with command_session() as session:
        author_id = path_id(author_id, "author_id")  # as the API reads one: blank or not UTF-8 is refused
        story_id = path_id(story_id, "story_id") if story_id is not None else None
        site = site_named(session, site_name)
        held = subject_access(session, site, author_id, story_id=story_id)
        document = json.dumps(held, indent=2, ensure_ascii=False) + "\n"
        digest = hashlib.sha256(document.encode("utf-8")).hexdigest()
        if output is not None:
            try:
                with open_private(output, encoding="utf-8") as out:  # readers' texts: 0600 before a byte is written
                    out.write(document)
            except OSError as error:  # a folder that is not there, or not ours to write: one line, not a traceback
                raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
        audit(session, cli_actor(), "author:exported", site_id=site.id, comments=len(held["comments"]),
              reports_filed=len(held["reports_filed"]), sha256=digest,
              **({"story_id": story_id} if story_id is not None else {}))
    if output is None:
        click.echo(document, nl=False)
    else:
        click.echo(f"wrote {output}: {len(held['comments'])} comment(s), {len(held['reports_filed'])} report(s) filed",
                   err=True)
    click.echo(f"sha256 {digest} (kept in the audit log as author:exported)", err=True)


@authors_group.command("erase")
@click.argument("site_name", metavar="SITE")
@click.argument("author_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(site_name: str, author_id: str, yes: bool) -> None:
    """Erase reader AUTHOR_ID on SITE, as the site's DELETE /api/v1/authors/<id> does: their comments
    deleted, their texts and name erased everywhere, the notes of reports they filed too; recorded.
    Works on a deactivated site too. Other sites' readers of the same id are not touched."""
    from moderation.domain.erasure import erase_author
    from moderation.domain.lifecycle import commit_and_send
    from moderation.domain.sites import site_named

    if not yes:
        click.confirm(f"Erase {author_id} on {site_name} now? It cannot be undone.", abort=True)
    with command_session(need_redis=True) as session:
        author_id = path_id(author_id, "author_id")
        erased = erase_author(session, site_named(session, site_name), author_id, actor=cli_actor())
        counts = erased.record.counts
        commit_and_send(session, erased.deliveries)  # a message lost here is resent by the sweep
    click.echo(f"erased {author_id} on {site_name}: {counts.get('comments_deleted', 0)} comment(s) deleted, "
               f"{counts.get('report_notes', 0)} report note(s) erased; recorded under the id's SHA-256 "
               f"{erased.record.author_hash}")
