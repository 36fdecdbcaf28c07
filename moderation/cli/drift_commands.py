"""`moderation drift check`: the daily drift comparison, run now (domain/drift.py)."""
from __future__ import annotations

import click

from moderation import db
from moderation.cli.context import command_app


@click.group("drift")
def drift_group() -> None:
    """Compare live scores with the model card's validation scores."""


@drift_group.command("check")
@click.option("--hours", type=click.FloatRange(1, 24 * 90), default=24, show_default=True,
              help="How far back to read live scores.")
def check_command(hours: float) -> None:
    """Compare the live model's scores of the last day with its validation data, store a drift report
    (shown on /admin/drift) and print it. Exits 1 when the report warns."""
    from datetime import timedelta

    from moderation.domain.drift import DriftSettings, check_drift
    from moderation.scorer import get_model

    app = command_app()
    with app.app_context():
        model = get_model(app)
        report = check_drift(db.session, model, DriftSettings.from_config(app.config), window=timedelta(hours=hours))
        db.session.commit()
        click.echo(f"model {report.version}: {report.comments} comments scored in the last {hours:g} h")
        if report.held_rate is not None or report.validation_held_rate is not None:
            click.echo(f"held at the model's thresholds: live {_share(report.held_rate)}, "
                       f"validation {_share(report.validation_held_rate)}")
        for attribute, value in sorted(report.psi.items()):
            click.echo(f"  PSI {attribute:<16} {value:7.3f}")
        if report.note:
            click.echo(report.note)
        if report.warning:
            click.echo(f"WARNING: PSI {report.max_psi:.3f} is above DRIFT_PSI_WARN ({app.config['DRIFT_PSI_WARN']})")
            raise SystemExit(1)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
