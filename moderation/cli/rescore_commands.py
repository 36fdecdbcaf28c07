"""`moderation models rescore-held`: the thresholds page's "Score these again", from the shell."""
from __future__ import annotations

import sys

import click

from moderation import db
from moderation.cli.context import cli_actor, site_id_named


def _said(result) -> list[str]:  # noqa: ANN001 - held_rescoring.Rescored: the domain is imported when the command runs
    from moderation.domain.held_rescoring import RESCORE_SIZE

    scored_before = ", ".join(f"{v}: {n:,}" for v, n in sorted(result.from_versions.items())) or "-"
    lines = [f"scored {result.rescored:,} held comment{'' if result.rescored == 1 else 's'} again with {result.version}"
             f" (scored before by {scored_before});"
             " all stay held: this publishes nothing",
             f"  {result.would_publish:,} the thresholds in force would publish on the new scores: the thresholds page"
             " now counts them under 'would be published now', and its Publish these publishes them",
             f"  {result.held:,} held by {result.version} too, with its flags and place in the queue"]
    if result.would_reject:
        lines.append(f"  {result.would_reject:,} the site's auto-reject would reject: held for a moderator, first in the queue")
    if result.left:
        lines.append(f"  {result.left:,} left as they were: decided, edited, reported or opened by a moderator meanwhile")
    if result.more:
        lines.append(f"  {result.more:,} more wait: run this again (the newest {RESCORE_SIZE:,} at a time)")
    return lines


@click.command("rescore-held")
@click.option("--site", "site_name", required=True, metavar="NAME", help="The site whose held comments to score again.")
def rescore_held_command(site_name: str) -> None:
    """Score a site's held comments again with the version in force for it.

    A promotion changes only what is scored after it. This scores again the site's held comments
    that the model alone holds (every flag one of the version's attributes; no rule, open report or
    moderator's claim) and that another version scored, the newest 5,000 per run. They stay held,
    with the version's scores, flags, highlights and queue priority: nothing is published or told
    to the site. The thresholds page then counts those the thresholds in force would publish, and
    its "Publish these" publishes them. Audited (one entry with the counts and both versions).
    """
    from moderation.cli.registry_commands import _app
    from moderation.domain.errors import DomainError
    from moderation.domain.held_rescoring import rescorable, rescore_held
    from moderation.models import Site
    from moderation.scorer import get_provider

    app = _app()
    with app.app_context():
        site = db.session.get(Site, site_id_named(site_name))
        provider = get_provider(app)
        provider.refresh(force=True)
        model = provider.for_site(site.id)
        count = len(rescorable(db.session, site, model.version, model.attributes).versions)
        db.session.rollback()
        if not count:
            click.echo(f"nothing to score again: each of {site.name}'s held comments the model alone holds was "
                       f"scored by {model.version}")
            return
        try:
            with click.progressbar(length=count, label=f"scoring {count:,} held comments again with {model.version}", show_pos=True,
                                   file=sys.stderr) as bar:
                result = rescore_held(db.session, site, model, actor=cli_actor(),
                                      progress=lambda done, _total: bar.update(done - bar.pos))
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        click.echo("\n".join(_said(result)))
