"""The `moderation` command: run the service, manage keys and users, train and evaluate models."""
from __future__ import annotations

import click

from moderation.config import ConfigError
from moderation.cli.admin_commands import db_group, keys_group, users_group
from moderation.cli.backtest_commands import backtest_command
from moderation.cli.rescore_commands import rescore_held_command
from moderation.cli.model_commands import evaluate_command, train_command
from moderation.cli.dataset_commands import dataset_group
from moderation.cli import accounts_commands  # noqa: F401  (adds list/disable/rotate/... to users and keys)
from moderation.cli import member_commands  # noqa: F401  (adds grant and revoke to users_group)
from moderation.cli.service_commands import beat_command, up_command, web_command, worker_command
from moderation.cli.status_commands import status_command
from moderation.cli.training_commands import training_group
from moderation.cli.author_commands import authors_group
from moderation.cli.webhook_commands import webhooks_group
from moderation.cli.registry_commands import models_group
from moderation.cli.drift_commands import drift_group


class _Main(click.Group):
    """A setting the service cannot run with is a one-line error naming it, not a traceback."""

    def invoke(self, ctx: click.Context):
        from sqlalchemy.exc import OperationalError

        from moderation.migrate import NewerDatabase

        try:
            return super().invoke(ctx)
        except (ConfigError, NewerDatabase) as error:  # every admin command migrates first, as `db upgrade` does
            raise click.ClickException(str(error)) from None
        except OperationalError as error:  # the database is down or not where DATABASE_URL says
            reason = str(error.orig or error).strip().splitlines()[0] if (error.orig or error) else "no answer"
            raise click.ClickException(f"cannot reach the database (DATABASE_URL): {reason}") from None


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Self-hosted comment moderation for news sites."""


for command in (up_command, status_command, web_command, worker_command, beat_command, db_group, keys_group, users_group):
    main.add_command(command)
main.add_command(webhooks_group)
main.add_command(models_group)
main.add_command(drift_group)
main.add_command(dataset_group)
main.add_command(training_group)
main.add_command(authors_group)

main.add_command(train_command)
main.add_command(evaluate_command)

models_group.add_command(backtest_command)
models_group.add_command(rescore_held_command)
