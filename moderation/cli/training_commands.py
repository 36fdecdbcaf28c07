"""`moderation training run|list|cancel`: the /admin/training page from the shell."""
from __future__ import annotations

import shlex
from pathlib import Path

import click
from sqlalchemy import select

from moderation import db
from moderation.cli.context import cli_actor, command_app
from moderation.domain import training_runs as runs
from moderation.domain.errors import DomainError
from moderation.domain.lifecycle import now
from moderation.models import Site


@click.group("training")
def training_group() -> None:
    """Train candidate models as tracked runs (the same runs as /admin/training)."""


@training_group.command("run")
@click.option("--site", "site_name", help="Add this site's own labels to the shared data.")
@click.option("--data-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="The public training CSVs (default: TRAINING_DATA_DIR).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run_command(site_name: str | None, data_dir: Path | None, quiet: bool) -> None:
    """Train a candidate here, in the foreground, with a progress bar; the run is listed on the page.

    Ctrl-C cancels it. A finished candidate is registered (status candidate) and scores nothing
    until promoted."""
    from tqdm.auto import tqdm

    app = command_app()
    config = app.config
    with app.app_context():
        site_id = None
        if site_name:
            site_id = db.session.scalar(select(Site.id).where(Site.name == site_name))
            if site_id is None:
                raise click.ClickException(f"no such site: {site_name}")
        try:
            run = runs.start_run(db.session, by=cli_actor(), site_id=site_id)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        run_id = run.id
        click.echo(f"training run #{run_id}" + (f" with {site_name}'s own labels" if site_name else ""))
        settings = runs.TrainingSettings(min_positives=config["TRAINING_MIN_POSITIVES"],
                                         own_label_weight=config["OWN_LABEL_WEIGHT"])
        inner = runs.default_trainer(settings)
        with tqdm(total=100, unit="%", disable=quiet, bar_format="{l_bar}{bar}| {n:.0f}% [{elapsed}<{remaining}]") as bar:

            def trainer(session, site, *, on_progress, **kwargs):
                def both(stage: str, fraction: float) -> None:
                    on_progress(stage, fraction)
                    bar.set_description(stage)
                    bar.n = round(fraction * 100, 1)
                    bar.refresh()

                return inner(session, site, on_progress=both, **kwargs)

            try:
                state = runs.execute_run(db.session, run_id, var_dir=config["VAR_DIR"],
                                         data_dir=data_dir or config["TRAINING_DATA_DIR"], trainer=trainer)
            except KeyboardInterrupt:
                db.session.rollback()
                runs.end_abandoned_run(db.session, run_id, "cancelled with Ctrl-C", by=cli_actor())
                db.session.commit()
                click.echo(f"training run #{run_id} cancelled", err=True)
                raise SystemExit(130) from None  # the shell's own code for Ctrl-C: not a failure
        db.session.expire_all()
        run = runs.get_run(db.session, run_id)
        if state != runs.SUCCEEDED:
            raise click.ClickException(f"training run #{run_id} {state}" + (f": {run.error}" if run.error else ""))
        # With the site for a site's own model: the bare promote made it every site's (a re-check).
        site = f" --site {shlex.quote(site_name)}" if site_name else ""
        click.echo(f"registered candidate {run.version.version} ({run.artifact}); compare it on /admin/models or with "
                   f"`moderation models backtest --candidate {run.version.version}{site or ' --site NAME'}`, promote it with "
                   f"`moderation models promote {run.version.version}{site}`")


@training_group.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
def list_command(limit: int) -> None:
    """Training runs, newest first: state, progress, data, who, when, result."""
    app = command_app()
    with app.app_context():
        found = runs.list_runs(db.session, limit=limit)
        if not found:
            click.echo("no training runs")
            return
        click.echo(f"{'id':>5}  {'state':<10} {'progress':>8}  {'data':<24} {'requested by':<20} {'started (UTC)':<17} "
                   f"{'took':>6}  result")
        for run in found:
            took = ""
            if run.started_at:
                took = f"{((run.finished_at or now()) - run.started_at).total_seconds():.0f}s"
            started = run.started_at.strftime("%Y-%m-%d %H:%M") if run.started_at else "-"
            data = f"shared + {run.site.name}" if run.site else "shared"
            result = run.version.version if run.version else (run.error or run.stage or "")
            click.echo(f"{run.id:>5}  {run.state:<10} {run.progress:>8.0%}  {data[:24]:<24} {run.requested_by[:20]:<20} "
                       f"{started:<17} {took:>6}  {result}")


@training_group.command("cancel")
@click.argument("run_id", type=click.IntRange(1, 2**31 - 1))
def cancel_command(run_id: int) -> None:
    """Cancel a run: a queued one at once, a running one at its next step. Audited."""
    app = command_app()
    with app.app_context():
        try:
            run = runs.cancel_run(db.session, run_id, by=cli_actor())
        except DomainError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"training run #{run_id} " + ("cancelled" if run.state == runs.CANCELLED
                                                  else "stops at its next step"))
