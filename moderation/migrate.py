"""Run Alembic migrations from code, so `moderation db upgrade` and `moderation up` need no alembic.ini."""
from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class _QuietChecks(logging.Filter):
    """Alembic names the database's dialect and DDL mode each time it looks, and every admin command
    looks (it migrates first, in case): two log lines above the key or the user the command was run
    for. The migrations it runs ("Running upgrade ...") still print."""

    SAID_EVERY_TIME = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.SAID_EVERY_TIME)


logging.getLogger("alembic.runtime.migration").addFilter(_QuietChecks())


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would read the '%' of an escaped URL as a variable.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def revision(url: str, message: str) -> None:
    command.revision(alembic_config(url), message=message, autogenerate=True)
