"""`moderation drift check`: the daily drift comparison, run now (domain/drift.py)."""
from __future__ import annotations

import click

from moderation import db
from moderation.cli.context import command_app
from moderation.cli.finite import FiniteRange


@click.group("drift")
def drift_group() -> None:
    """Compare live scores with the model card's validation scores."""


@drift_group.command("check")
@click.option("--hours", type=FiniteRange(1, 24 * 90), default=24, show_default=True,
              help="How far back to read live scores.")
def check_command(hours: float) -> None:
    """Compare the live models' scores of the last day with their validation data (the global
    version and every site's own), store a drift report for each (shown on /admin/drift) and print
    them. Exits 1 when a report warns."""
    from datetime import timedelta

    from moderation.domain.drift import DriftSettings, check_models
    from moderation.scorer import models_in_use

    app = command_app()
    with app.app_context():
        reports = check_models(db.session, models_in_use(app), DriftSettings.from_config(app.config),
                               window=timedelta(hours=hours))
        db.session.commit()
        for report in reports:
            _echo(report, hours, app.config["DRIFT_PSI_WARN"])
        if any(report.warning for report in reports):
            raise SystemExit(1)


def _echo(report, hours: float, psi_warn: float) -> None:  # noqa: ANN001 - a DriftReport
    click.echo(f"model {report.version}: {report.comments} comments scored in the last {hours:g} h")
    if report.held_rate is not None or report.validation_held_rate is not None:
        click.echo(f"held at the model's thresholds: live {_share(report.held_rate)}, "
                   f"validation {_share(report.validation_held_rate)}")
    for attribute, value in sorted(report.psi.items()):
        click.echo(f"  PSI {attribute:<16} {value:7.3f}")
    if report.note:
        click.echo(report.note)
    if report.warning:
        click.echo(f"WARNING: PSI {report.max_psi:.3f} is above DRIFT_PSI_WARN ({psi_warn})")


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
