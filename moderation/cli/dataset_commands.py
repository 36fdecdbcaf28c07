"""`moderation dataset export`: a site's own labels as a CSV of the shared training schema."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import click
from tqdm.auto import tqdm

from moderation import db
from moderation.cli.context import cli_actor, command_app
from moderation.domain.errors import DomainError


@click.group("dataset")
def dataset_group() -> None:
    """Training data from the service's own work: moderators' decisions, reports, suggestscore."""


@dataset_group.command("export")
@click.option("--site", "site_name", required=True, help="The site (by name) whose labels to export.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]), default=None,
              help="Only labels given on or after this date (UTC), e.g. 2026-01-31. Default: all.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="CSV to write: text, toxicity, severe_toxicity, insult, identity_attack, profanity, threat, "
                   "source (source = site:<name>).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def export_command(site_name: str, since: datetime | None, out: Path, quiet: bool) -> None:
    """Write a site's labels in the schema of the shared training data (one row per decided
    comment, by its final decision; see the label table in docs/model.md, "Training on a site's own
    labels"). Refused unless the site's admin turned on "Allow exporting comment text". Each export
    is audited.

    A training file: readers' texts are written as they came, so one that opens with = or + is a
    live formula if the file is opened in a spreadsheet (a security review). Read it with a CSV
    reader, or import it into a spreadsheet as text."""
    from moderation.domain.label_export import export_site_labels, find_site
    from moderation.domain.lifecycle import audit

    since = since.replace(tzinfo=timezone.utc) if since is not None else None
    app = command_app()
    with app.app_context():
        try:
            site = find_site(db.session, site_name)
            # Opened at the first progress, so a refused export prints its reason and no empty bar.
            bars: list[tqdm] = []

            def advance(done: int, total: int) -> None:
                if not bars:
                    bars.append(tqdm(desc="export", unit="label", total=total, disable=quiet))
                bars[0].update(done - bars[0].n)

            try:
                summary = export_site_labels(db.session, site, out, since=since, on_progress=advance)
            finally:
                for bar in bars:
                    bar.close()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        audit(db.session, cli_actor(), "dataset:exported", site_id=site.id, site=site.name, rows=summary.rows,
              since=since.isoformat() if since else None, out=str(out.resolve()))
        db.session.commit()
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(summary.by_kind.items())) or "none"
    click.echo(f"wrote {summary.rows} rows to {out} from {summary.examples} labels ({kinds}); "
               f"{summary.without_labels} comments without a toxicity-related label left out")
