"""Migration 0046_version_trainer: a candidate `moderation train` registered before the upgrade is
named by the shell account its registration was audited as; nothing else is named by it."""
from __future__ import annotations

import json

from alembic import command
from migration_databases import fresh_database
from sqlalchemy import create_engine, text

from moderation.migrate import alembic_config, upgrade

DATABASE = "migration_0046_version_trainer"
OLD_HEAD = "0045_deleted_priority"


def _version(connection, version: str, notes: str | None, registered_by: str | None) -> None:
    connection.execute(text(
        "INSERT INTO model_versions (version, sha256, artifact, artifact_bytes, card_bytes, card, notes) "
        "VALUES (:v, :v, 'models/x.skops', '', '', '{}', :notes)"), {"v": version, "notes": notes})
    if registered_by is not None:
        connection.execute(text("INSERT INTO audit_log (actor, action, details) VALUES (:actor, 'model:registered', "
                                "CAST(:details AS jsonb))"),
                           {"actor": registered_by, "details": json.dumps({"version": version, "sha256": version})})


def test_versions_train_registered_are_named_by_the_shell_account_the_log_names(services):
    url = fresh_database(services.database_url, DATABASE)
    upgrade(url, OLD_HEAD)
    engine = create_engine(url)
    with engine.begin() as connection:
        _version(connection, "2026.11.30-trained", "moderation train, civility.skops", "cli:newsdesk")
        _version(connection, "2026.11.30-registered", "from the data team", "cli:newsdesk")  # models register
        _version(connection, "2026.11.30-run", "training run #3", "user:alice")
        _version(connection, "2026.11.30-pruned", "moderation train, civility.skops", None)  # its entry pruned
        # Registrations from 2026-11-29 to 12-02 were audited as plain "cli" (a re-check).
        _version(connection, "2026.12.01-trained", "moderation train, civility.skops", "cli")
    upgrade(url)
    with engine.connect() as connection:
        named = dict(connection.execute(text("SELECT version, trainer_name FROM model_versions")).all())
    assert named == {"2026.11.30-trained": "cli:newsdesk", "2026.11.30-registered": None, "2026.11.30-run": None,
                     "2026.11.30-pruned": None, "2026.12.01-trained": "cli"}
    command.downgrade(alembic_config(url), OLD_HEAD)
    upgrade(url)
    engine.dispose()
