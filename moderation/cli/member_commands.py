"""`moderation users grant|revoke NAME --site SITE`: which sites a moderator works."""
from __future__ import annotations

import click

from moderation import db
from moderation.cli.admin_commands import users_group
from moderation.cli.context import cli_actor, command_app
from moderation.domain.errors import DomainError


def _change(action: str, name: str, site: str) -> None:
    from moderation.domain.membership import grant, revoke
    from moderation.migrate import upgrade

    app = command_app()
    with app.app_context():
        upgrade(app.config["DATABASE_URL"])
        try:
            (grant if action == "grant" else revoke)(db.session, name, site, actor=cli_actor())
            db.session.commit()
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc


@users_group.command("grant")
@click.argument("name")
@click.option("--site", "site", required=True, help="The site's name, as given to `keys create`.")
def users_grant(name: str, site: str) -> None:
    """Make moderator or site admin NAME a member of SITE: they see, search and decide its comments (a site
    admin runs it too)."""
    _change("grant", name, site)
    click.echo(f"{name} now moderates {site}")


@users_group.command("revoke")
@click.argument("name")
@click.option("--site", "site", required=True, help="The site's name, as given to `keys create`.")
def users_revoke(name: str, site: str) -> None:
    """End moderator NAME's membership of SITE: its comments disappear from their queue at once."""
    _change("revoke", name, site)
    click.echo(f"{name} no longer moderates {site}")
