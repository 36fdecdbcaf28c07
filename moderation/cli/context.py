"""Building a configured app for a CLI command, starting embedded servers where no URL is set."""
from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.config import Config
from moderation.embedded import NoDatabase, resolve_urls


def command_app(*, need_redis: bool = False, create_database: bool = False) -> Flask:
    """The app on the service's database: DATABASE_URL's, or the embedded one `up` made in the var
    dir. Only commands that set a database up (`db upgrade`, `db restore`) make an embedded one."""
    from moderation.app import create_app

    config = Config.from_env()
    try:
        resolve_urls(config, need_redis=need_redis, create_database=create_database)
        return create_app(config)
    except NoDatabase as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:  # a var dir this user may not make or write: a 40-line traceback was all it said
        if error.filename is None:
            raise
        raise click.ClickException(f"{error.filename}: {error.strerror}; this command runs as {_user()} with "
                                   f"MODERATION_VAR_DIR={config.VAR_DIR}") from None


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return f"uid {os.getuid()}"


def echo_upgrade_hints(database_url: str, model_path: Path | None) -> None:
    """What an upgraded installation does not take up by itself (moderation/upgrade_hints.py)."""
    from classifiers.paths import DEFAULT_MODEL_PATH
    from moderation.upgrade_hints import upgrade_hints

    hints = upgrade_hints(database_url, Path(model_path or DEFAULT_MODEL_PATH), record=True)
    if hints:
        click.echo("Since the last release:\n" + "\n".join(hints))


def site_id_named(name: str | None) -> int | None:
    """A site's id from the name a command was given (None stays None: every site, or the global scope)."""
    from moderation import db
    from moderation.models import Site

    if name is None:
        return None
    site_id = db.session.scalar(select(Site.id).where(Site.name == name))
    if site_id is None:
        raise click.ClickException(f"no such site: {name}")
    return site_id


def cli_actor() -> str:
    """Who the audit log names for a command: `cli:` and the shell account that ran it, as there is no
    signed-in user to name; one spelling, so "cli" in the log's Who filter finds every command."""
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):  # no login name in some containers
        return "cli:unknown"


@contextmanager
def command_session(*, need_redis: bool = False) -> Iterator[Session]:
    """A session on the service's database (migrated), committed when the command succeeds; a
    domain error is the command's one-line refusal."""
    from moderation import db
    from moderation.domain.errors import DomainError
    from moderation.migrate import upgrade

    app = command_app(need_redis=need_redis)
    with app.app_context():
        upgrade(app.config["DATABASE_URL"])
        try:
            yield db.session
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(exc.message) from exc

