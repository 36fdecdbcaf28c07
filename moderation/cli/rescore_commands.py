"""`moderation models rescore-held`: the thresholds page's "Score these again" (and, with --publish,
its "Publish these"), from the shell."""
from __future__ import annotations

import sys

import click

from moderation import db
from moderation.cli.context import cli_actor, site_id_named


def _said(result: dict, version: str) -> list[str]:
    from moderation.domain.held_rescoring import RESCORE_SIZE

    scored_before = ", ".join(f"{v}: {n:,}" for v, n in sorted(result["from_versions"].items())) or "-"
    n = result["scored"]
    lines = [f"scored {n:,} held comment{'' if n == 1 else 's'} again with {version}"
             f" (scored before by {scored_before}); nothing is stored on them",
             f"  {result['would_publish']:,} would be published by the thresholds in force on {version}'s scores"
             " (--publish, or the thresholds page's Publish these, publishes them)",
             f"  {result['held']:,} held by {version} too"]
    if result["would_reject"]:
        lines.append(f"  {result['would_reject']:,} the site's auto-reject would reject on the new scores")
    if result["held"] or result["would_reject"]:
        lines.append(f"  the queue keeps the old version's scores and order for the {result['held'] + result['would_reject']:,}"
                     f" {version} still holds; a moderator decides them")
    if result["failed"]:
        lines.append(f"  {result['failed']:,} could not be scored (the model gave no usable score): skipped")
    if result["left"]:
        lines.append(f"  {result['left']:,} not scored: decided, edited, reported or opened by a moderator meanwhile")
    if result["more"]:
        lines.append(f"  {result['more']:,} more wait: run this again (the newest {RESCORE_SIZE:,} at a time)")
    return lines


@click.command("rescore-held")
@click.option("--site", "site_name", required=True, metavar="NAME", help="The site whose held comments to score again.")
@click.option("--publish", is_flag=True, help="Then publish those the version in force would publish (asks first).")
@click.option("--yes", is_flag=True, help="With --publish: do not ask.")
def rescore_held_command(site_name: str, publish: bool, yes: bool) -> None:
    """Score a site's held comments again with the version in force for it, and say what it would do.

    A promotion changes only what is scored after it. This scores again the site's held comments
    that the model alone holds (every flag one of the version's attributes; no rule, open report or
    moderator's claim) and that another version scored, the newest 5,000 per run, and counts those
    the thresholds in force would publish, still hold or auto-reject, and those it could not score.
    It stores nothing on the comments, and takes the same per-site lock as the thresholds page's
    button (refused while a run is queued or going). The page then offers what it found for six hours.

    With --publish it then publishes those the version would publish (at most 500 at a time; asked
    first unless --yes): each is scored again and published only if it is still held, unchanged,
    and no rule, report, sanction, storm or moderator holds it; it takes the version's scores, and
    the site is told. Audited: the run, and each comment published.
    """
    import redis

    from moderation.cli.registry_commands import _app
    from moderation.domain.errors import DomainError
    from moderation.domain.held_rescoring import publish_scored, rescorable
    from moderation.domain.lifecycle import commit_and_send
    from moderation.domain.rescore_jobs import DONE, offered, read_job, run_here, scored_ids
    from moderation.models import Site
    from moderation.redis_client import redis_client
    from moderation.scorer import get_provider

    app = _app()
    with app.app_context():
        site = db.session.get(Site, site_id_named(site_name))
        provider = get_provider(app)
        provider.refresh(force=True)
        model = provider.for_site(site.id)
        store = redis_client(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"])
        try:
            scored = scored_ids(store, site.id, model.version)
        except redis.RedisError as error:
            raise click.ClickException(f"the job store (Redis) is unavailable: {error}") from None
        found = rescorable(db.session, site, model.version, model.attributes, scored=scored)
        db.session.rollback()
        if found.dropped:
            click.echo(f"{sum(found.dropped.values()):,} held comments flagged for an attribute {model.version} does not score"
                       f" ({', '.join(f'{a}: {n:,}' for a, n in sorted(found.dropped.items()))}) are not scored again:"
                       " they wait for a moderator")
        count = len(found.versions)
        if count:
            actor = cli_actor()
            try:
                with click.progressbar(length=count, label=f"scoring {count:,} held comments again with {model.version}",
                                       show_pos=True, file=sys.stderr) as bar:
                    job = run_here(db.session, store, site, model, by=actor, count=count,
                                   on_progress=lambda done, _total: bar.update(done - bar.pos))
            except DomainError as error:
                db.session.rollback()
                raise click.ClickException(error.message) from None
            except redis.RedisError as error:
                raise click.ClickException(f"the job store (Redis) is unavailable: {error}") from None
            if job["state"] != DONE:
                raise click.ClickException(f"scoring again stopped: {job.get('error', job['state'])}")
            click.echo("\n".join(_said(job["result"], model.version)))
        else:
            click.echo(f"nothing to score again: none of {site.name}'s held comments is one the model alone holds, "
                       f"unclaimed, scored by another version than {model.version}"
                       + (f" and not scored by {model.version}'s runs of the last six hours" if scored else ""))
            job = read_job(store, site.id)
            if not job or job.get("version") != model.version:
                return
        to_publish = {e[0]: e[1] for e in offered(job)}
        if not publish:
            return
        if not to_publish:
            click.echo("none to publish: the version in force would publish none of those it scored")
            return
        if not yes:
            click.confirm(f"Publish up to {min(len(to_publish), 500):,} held comments of {site.name} that "
                          f"{model.version} would publish? The site is told of each", abort=True)
        try:
            deliveries = publish_scored(db.session, site, model, to_publish, run_version=job["version"],
                                        actor=cli_actor())
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        commit_and_send(db.session, deliveries)
        n = len(deliveries)
        click.echo(f"published {n:,} held comment{'' if n == 1 else 's'}"
                   + (f"; {len(to_publish) - n:,} not published now: decided, edited, reported, claimed or held by a "
                      "rule, sanction or storm since the run, or past the 500 published at a time" if len(to_publish) > n else ""))
