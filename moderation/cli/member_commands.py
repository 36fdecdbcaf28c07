"""`moderation users grant|revoke NAME --site SITE`: which sites a moderator works or a site admin runs."""
from __future__ import annotations

import click

from moderation import db
from moderation.cli.admin_commands import users_group
from moderation.cli.context import cli_actor, command_app
from moderation.domain.errors import DomainError


def _change(action: str, name: str, site: str) -> str:
    """Grant or revoke; what the user does on a site, in words ("moderates", "runs")."""
    from moderation.domain.membership import grant, revoke
    from moderation.migrate import upgrade

    app = command_app()
    with app.app_context():
        upgrade(app.config["DATABASE_URL"])
        try:
            user = (grant if action == "grant" else revoke)(db.session, name, site, actor=cli_actor())
            db.session.commit()
        except DomainError as exc:
            raise click.ClickException(exc.message) from exc
        return "runs" if user.role == "site_admin" else "moderates"


@users_group.command("grant")
@click.argument("name")
@click.option("--site", "site", required=True, help="The site's name, as given to `keys create`.")
def users_grant(name: str, site: str) -> None:
    """Make moderator or site admin NAME a member of SITE: they see, search and decide its comments (a site
    admin runs it too)."""
    does = _change("grant", name, site)
    click.echo(f"{name} now {does} {site}")


@users_group.command("revoke")
@click.argument("name")
@click.option("--site", "site", required=True, help="The site's name, as given to `keys create`.")
def users_revoke(name: str, site: str) -> None:
    """End moderator or site admin NAME's membership of SITE: its comments disappear from their queue at once."""
    does = _change("revoke", name, site)
    click.echo(f"{name} no longer {does} {site}")
