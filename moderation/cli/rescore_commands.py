"""`moderation models rescore-held`: the thresholds page's "score held comments again", from the shell."""
from __future__ import annotations

import sys

import click

from moderation import db
from moderation.cli.context import cli_actor
from moderation.domain.errors import DomainError


def _bar(length: int, label: str, quiet: bool):  # noqa: ANN202 - a click progress bar, or a stand-in
    if quiet:
        return _Silent()
    return click.progressbar(length=length, label=label, show_pos=True, file=sys.stderr)


class _Silent:
    def __enter__(self) -> "_Silent":
        return self

    def __exit__(self, *_: object) -> None:
        pass

    def update(self, _: int) -> None:
        pass


@click.command("rescore-held")
@click.option("--site", "site_name", required=True, help="The site whose held comments are scored again (by name).")
@click.option("--publish", is_flag=True,
              help="Then publish those the version in force would publish at the site's thresholds now.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def rescore_held_command(site_name: str, publish: bool, quiet: bool) -> None:
    """Score the site's comments held by the model alone again with the version in force for it.

    The scores are kept apart, as the site's one run (replacing its last): the comments stay held and
    keep their scores. Prints how many the version would publish at the site's thresholds now; with
    --publish, publishes them, each read again first (one edited, decided or held by anything else
    since stays held); each keeps the scores it arrived with, the version's in its history. The
    thresholds page offers the same.
    """
    from moderation.cli.registry_commands import bootstrapped_app
    from moderation.domain.held_rescore import held_count, score_held_again
    from moderation.domain.held_rescore_publish import offer, publish_run
    from moderation.domain.sites import site_named
    from moderation.scorer import get_provider

    app = bootstrapped_app()
    with app.app_context():
        try:
            site = site_named(db.session, site_name)
            provider = get_provider(app)
            provider.refresh()
            model = provider.for_site(site.id)
            to_score = held_count(db.session, site, model.version, model.attributes)
            if not to_score:
                # A run then read the held comments for none, and replaced the last run and its results.
                click.echo(f"Nothing to score again: no held comment of {site.name} that the model alone holds was "
                           f"scored by a version other than {model.version}, the version in force.")
                return
            with _bar(to_score, f"scoring with {model.version}", quiet) as bar:
                run = score_held_again(db.session, site, lambda _: model, by=cli_actor(), progress=bar.update)
            if not quiet:
                click.echo("counting those it would publish...", err=True)
            found = offer(db.session, site, model.version, model.attributes, model.thresholds)
            click.echo(f"{model.version} scored {run.scored:,} held comment{'' if run.scored == 1 else 's'} of "
                       f"{site.name} again{'' if publish else '; they stay held'}. At the site's thresholds now it would publish {found.count:,}"
                       + (f" of the first {found.read:,} read, and up to {found.unread:,} more (each read when "
                          "published)." if found.unread else "."))
            if not publish:
                return
            with _bar(run.scored, "publishing", quiet) as bar:
                released = publish_run(db.session, site, model.version, model.attributes, model.thresholds,
                                       actor=cli_actor(), shown_run=run.id, progress=bar.update,
                                       in_force=lambda: _in_force(provider, site.id))
        except DomainError as error:
            raise click.ClickException(error.message) from error
    click.echo(f"published {released.published:,}; left held: {released.changed:,} edited since, "
               f"{released.decided:,} decided meanwhile, {released.other_hold:,} held by something besides the model, "
               f"{released.held_at_thresholds:,} held at the thresholds")
    if released.stopped:
        raise click.ClickException(f"stopped before the end: {released.stopped}; the rest stay held")


def _in_force(provider, site_id: int) -> str | None:
    """Read again before publishing and at each page: the version was read once before scoring,
    minutes earlier on a big site, and a rollback meanwhile did not stop the publish (a re-check)."""
    provider.refresh(force=True)
    return provider.for_site(site_id).version
