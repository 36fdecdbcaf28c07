"""`moderation db dump` and `db restore`: a backup brings back every row, on the embedded server the
service itself runs, whose PostgreSQL 18 Debian's own pg_dump refuses."""
from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from moderation.cli import main


def _run(services, *args: str, database_url: str | None = None, **kwargs):
    env = {**services.env(), "SECRET_KEY": "test-secret"}
    if database_url:
        env["DATABASE_URL"] = database_url
    return CliRunner().invoke(main, list(args), env=env, **kwargs)


def _sites(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(text("SELECT name FROM sites")))
    finally:
        engine.dispose()


@pytest.fixture
def spare_database(services):
    """A second database on the test server to restore into: the tests' own stays as their app left it."""
    name = f"spare_{uuid.uuid4().hex[:8]}"
    admin = create_engine(services.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield make_url(services.database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def test_a_restore_replaces_a_database_with_the_one_dumped(app, services, spare_database, tmp_path):
    dump = tmp_path / "moderation.dump"
    assert _run(services, "keys", "create", "morning-post").exit_code == 0
    dumped = _run(services, "db", "dump", str(dump))
    assert dumped.exit_code == 0, dumped.output
    assert f"wrote {dump}" in dumped.output and dump.stat().st_size > 10_000
    # Every comment and the webhook signing secrets are in it: its owner alone may read it.
    assert dump.stat().st_mode & 0o777 == 0o600

    # Another installation, with a site of its own, which the restore replaces.
    assert _run(services, "keys", "create", "evening-post", database_url=spare_database).exit_code == 0
    restored = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)
    assert restored.exit_code == 0, restored.output
    # Which database it replaced, in words (an operator's drill with production's environment had
    # been asked about "the database").
    target = f"DATABASE_URL's database ({make_url(spare_database).render_as_string(hide_password=True)})"
    assert f"restored {dump} into {target}; it is up to date" in restored.output
    assert _sites(spare_database) == {"morning-post"}
    # The audit log says so: what came after the backup vanished from it with no entry saying why.
    engine = create_engine(spare_database)
    try:
        with engine.connect() as connection:
            actor, details = connection.execute(text(
                "SELECT actor, details FROM audit_log WHERE action = 'db:restored'")).one()
    finally:
        engine.dispose()
    assert actor.startswith("cli:") and details["dump"] == str(dump) and details["backup_last_action_at"]
    # The restored installation works: a new site starts with its rules, as on the one dumped.
    assert "rules:          threats" in _run(services, "keys", "create", "noon-post", database_url=spare_database).output


def test_restore_refuses_while_a_service_is_connected_and_changes_nothing(app, services, spare_database, tmp_path):
    """A running service would go on writing into the tables being replaced: its decisions lost, its
    webhooks sent again."""
    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    assert _run(services, "keys", "create", "live-post", database_url=spare_database).exit_code == 0
    engine = create_engine(spare_database, connect_args={"application_name": "moderation-web"})
    with engine.connect() as service:
        service.execute(text("SELECT 1"))
        refused = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)
    engine.dispose()
    assert refused.exit_code == 1
    assert "the database is in use (connections: 1 from moderation-web)" in refused.output
    assert refused.output.startswith("Error: DATABASE_URL's database (") and make_url(spare_database).database in (
        refused.output.splitlines()[0])
    # Stopping the service, which the refusal says, is the wrong step for a drill: it says how to test a backup.
    assert "env -u DATABASE_URL MODERATION_VAR_DIR=/tmp/drill moderation db restore" in " ".join(refused.output.split())
    assert _sites(spare_database) == {"live-post"}


def test_restore_asks_first_and_a_missing_dump_is_a_clear_error(app, services, spare_database, tmp_path):
    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    assert _run(services, "keys", "create", "kept", database_url=spare_database).exit_code == 0
    declined = _run(services, "db", "restore", str(dump), database_url=spare_database, input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert _sites(spare_database) == {"kept"}
    missing = _run(services, "db", "restore", str(tmp_path / "nothing.dump"), "--yes")
    assert missing.exit_code == 2 and "does not exist" in missing.output
    (tmp_path / "notes.txt").write_text("not a dump")
    wrong = _run(services, "db", "restore", str(tmp_path / "notes.txt"), "--yes", database_url=spare_database)
    assert wrong.exit_code == 1 and "is not a whole dump `moderation db dump` wrote" in wrong.output
    assert _sites(spare_database) == {"kept"}


def _sql(database_url: str, statement: str) -> object:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            result = connection.execute(text(statement))
            return result.scalar() if result.returns_rows else None
    finally:
        engine.dispose()


def test_a_damaged_dump_or_a_newer_releases_changes_nothing(app, services, spare_database, tmp_path):
    """A disaster-recovery drill: a dump cut in half passed the header check, and the restore dropped
    every table first, leaving comments and no sites, users or keys; a newer release's dump wiped
    the older install's data, then failed on a migration the code did not have."""
    dump = tmp_path / "moderation.dump"
    assert _run(services, "keys", "create", "morning-post").exit_code == 0
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    assert _run(services, "keys", "create", "kept", database_url=spare_database).exit_code == 0
    cut = tmp_path / "cut.dump"
    cut.write_bytes(dump.read_bytes()[: dump.stat().st_size * 2 // 3])
    refused = _run(services, "db", "restore", str(cut), "--yes", database_url=spare_database)
    assert refused.exit_code == 1 and "is not a whole dump" in refused.output and "nothing was changed" in refused.output
    assert _sites(spare_database) == {"kept"}

    # The same dump as a newer release would write it: its database at a migration this code lacks.
    assert _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database).exit_code == 0
    _sql(spare_database, "UPDATE alembic_version SET version_num = '9999_from_a_newer_release'")
    newer = tmp_path / "newer.dump"
    assert _run(services, "db", "dump", str(newer), database_url=spare_database).exit_code == 0
    _sql(spare_database, "UPDATE alembic_version SET version_num = (SELECT max(version_num) FROM alembic_version)")
    assert _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database).exit_code == 0
    assert _run(services, "keys", "create", "kept-too", database_url=spare_database).exit_code == 0
    refused = _run(services, "db", "restore", str(newer), "--yes", database_url=spare_database)
    assert refused.exit_code == 1, refused.output
    assert "comes from a newer release (its database is at migration 9999_from_a_newer_release" in refused.output
    assert _sites(spare_database) == {"morning-post", "kept-too"}


def test_after_a_restore_no_id_or_version_a_site_may_hold_is_given_out_again(app, client, site, services,
                                                                             spare_database, tmp_path):
    """What was posted after the backup is lost; its ids, webhook delivery ids and versions must not be
    reused (the drill: a comment id the site held named another comment, and a new decision lost to the
    lost one's equal version)."""
    posted = client.post("/api/v1/comments", headers=site.headers,
                         json={"id": "c-1", "story_id": "s", "author_id": "a", "text": "Hello there."})
    assert posted.status_code == 202
    comment_id, version = posted.get_json()["id"], posted.get_json()["version"]
    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    restored = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)
    assert restored.exit_code == 0, restored.output
    assert "the backup's last recorded action was at" in restored.output
    assert "new ids start far past the backup's and this database's" in restored.output
    first = _sql(spare_database, "SELECT nextval('comments_id_seq')")
    assert first > comment_id + 1_000_000_000
    assert _sql(spare_database, f"SELECT version FROM comments WHERE id = {comment_id}") == version + 1_000
    # The same dump again: past what the first restore gave out, not the same ids once more (a re-check).
    assert _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database).exit_code == 0
    assert _sql(spare_database, "SELECT nextval('comments_id_seq')") > first + 1_000_000_000
    # Past the highest version before, not by it: versions had doubled with every restore.
    assert _sql(spare_database, f"SELECT version FROM comments WHERE id = {comment_id}") == version + 2_000


def test_the_database_password_goes_to_pg_dump_in_its_environment_not_its_command_line():
    """An operator saw `--dbname=postgresql://modprod:S3cret...@...` in `ps` while a backup ran."""
    from moderation.backup import _password_env, libpq_url

    url = "postgresql+psycopg://modprod:S3cretPgPass%21x@db.internal:5432/modprod"
    assert libpq_url(url).startswith("postgresql://modprod@db.internal:5432/modprod?connect_timeout=10&")
    assert _password_env(url)["PGPASSWORD"] == "S3cretPgPass!x"
    # libpq takes it in the query too: kept off the command line and out of what is shown (a security review).
    from moderation.backup import shown_url

    queried = "postgresql+psycopg://modprod@db.internal/modprod?password=QueryPassw0rd&sslmode=require"
    assert "QueryPassw0rd" not in libpq_url(queried) and "sslmode=require" in libpq_url(queried)
    assert _password_env(queried)["PGPASSWORD"] == "QueryPassw0rd"
    assert shown_url("postgresql+psycopg://u:UserinfoPw@db/x?password=QueryPassw0rd&sslpassword=Key") == (
        "postgresql+psycopg://u:***@db/x")
    assert _password_env("postgresql+psycopg://modprod@db.internal/modprod").get("PGPASSWORD") == os.environ.get(
        "PGPASSWORD")  # none in the URL: libpq's own sources (PGPASSWORD, ~/.pgpass) as ever


def test_a_failed_dump_leaves_last_nights_backup_whole_and_a_missing_folder_is_one_line(services, tmp_path):
    """A re-check walk: a failed `db dump` to a fixed name truncated the good backup to 0 bytes, and
    one into a missing folder printed a Python traceback."""
    good = tmp_path / "nightly.dump"
    good.write_bytes(b"last night's backup")
    gone = make_url(services.database_url).set(database="no_such_database").render_as_string(hide_password=False)
    broken = _run(services, "db", "dump", str(good), database_url=gone)
    assert broken.exit_code == 1 and "pg_dump failed" in broken.output, broken.output
    assert good.read_bytes() == b"last night's backup"
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.dump"]  # no partial file left beside it
    missing = _run(services, "db", "dump", str(tmp_path / "no-such-folder" / "x.dump"))
    assert missing.exit_code == 1 and "is not a directory: nothing was written" in missing.output
    assert "Traceback" not in missing.output


def test_erasures_made_after_the_backup_are_applied_again_when_it_is_restored(app, client, site, services,
                                                                               spare_database, tmp_path):
    """A data protection officer's walk: readers erased after the backup came back with a restore,
    texts, names and drafts, and the records of their erasures were gone with the database replaced."""
    for n, (author, text_) in enumerate([("ivy", "Ivy here, I work at the Northgate clinic."), ("ann", "Nice piece.")]):
        body = {"id": f"c-{n}", "story_id": "s", "author_id": author, "author_name": author.title(), "text": text_}
        assert client.post("/api/v1/comments", headers=site.headers, json=body).status_code == 202
    assert client.post("/api/v1/comments/by-site-id/c-1/reports", headers=site.headers,
                       json={"reason": "spam", "reporter_id": "ivy", "note": "Ivy Chen, ivy@clinic.example"}
                       ).status_code == 201
    _suggested(client, site, "comment:77")
    dump = _restored_copy(services, spare_database, tmp_path)
    # The restored service erases a reader and a suggestion after the backup.
    _erase_in(spare_database, site.id, author_id="ivy", client_token="comment:77")

    again = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)

    assert again.exit_code == 0, again.output
    assert "1 reader(s) erased again, 1 suggestion label(s) deleted again" in again.output
    left = _sql(spare_database, "SELECT count(*) FROM comments WHERE text LIKE '%Northgate%' OR author_name = 'Ivy'")
    assert left == 0
    assert _sql(spare_database, "SELECT count(*) FROM reports WHERE note LIKE '%ivy@%'") == 0
    assert _sql(spare_database, "SELECT count(*) FROM labelled_examples WHERE client_token = 'comment:77'") == 0
    assert _sql(spare_database, "SELECT count(*) FROM author_erasures WHERE erased_at = '2026-12-05T02:40:00Z'") == 1
    assert _sql(spare_database, "SELECT count(*) FROM author_erasures") == 2
    assert _sql(spare_database, "SELECT count(*) FROM comments WHERE author_id = 'ann' AND text = 'Nice piece.'") == 1


def test_an_erasure_made_once_a_hold_was_lifted_is_applied_again_though_the_backup_holds_it(
        app, client, site, services, spare_database, tmp_path, admin):
    """A re-check: the backup's legal hold, lifted before the erasure, held the erasure back on restore
    for good, saying nothing, where the site had been told the reader was erased."""
    from moderation import db
    from moderation.domain.legal_holds import hold_input, place_hold
    from moderation.models import User

    body = {"id": "c-0", "story_id": "s", "author_id": "ivy", "author_name": "Ivy", "text": "Ivy at the Northgate clinic."}
    assert client.post("/api/v1/comments", headers=site.headers, json=body).status_code == 202
    with app.app_context():
        place_hold(db.session, hold_input(site.id, "author", "ivy", "SL-1"), db.session.get(User, admin.id))
        db.session.commit()
    dump = _restored_copy(services, spare_database, tmp_path)
    engine = create_engine(spare_database)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE legal_holds SET lifted_at = now(), lift_reason = 'settled'")
    engine.dispose()
    _erase_in(spare_database, site.id, author_id="ivy")

    again = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)

    assert again.exit_code == 0, again.output
    assert "1 reader(s) erased again" in again.output
    assert _sql(spare_database, "SELECT count(*) FROM comments WHERE text LIKE '%Northgate%'") == 0


def _suggested(client, site, client_token: str) -> None:
    """A Perspective client's suggestscore label under this token."""
    assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json={
        "comment": {"text": "Coral sent this one."}, "clientToken": client_token,
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}}}).status_code == 200


def _restored_copy(services, spare_database: str, tmp_path):
    """The tests' database dumped and restored into the spare one; the dump's path."""
    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    assert _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database).exit_code == 0
    return dump


def _erase_in(database_url: str, site_id: int, author_id: str | None = None, client_token: str | None = None) -> None:
    from datetime import datetime, timezone

    from sqlalchemy.orm import Session

    from moderation.domain.erasure import erase_author
    from moderation.domain.suggestion_erasure import erase_suggestions
    from moderation.models import Site

    engine = create_engine(database_url)
    with Session(engine) as session:
        site = session.get(Site, site_id)
        if author_id:
            erase_author(session, site, author_id, actor=f"site:{site_id}", at=datetime(2026, 12, 5, 2, 40, tzinfo=timezone.utc))
        if client_token:
            erase_suggestions(session, site, actor=f"site:{site_id}", client_token=client_token)
        session.commit()
    engine.dispose()


def test_a_restore_cut_short_keeps_the_erasures_it_carried_for_the_next(app, client, site, services, spare_database,
                                                                        tmp_path):
    """A security review: killed between pg_restore and the erasures' replay, a restore lost them for good."""
    from moderation.backup import erasures_before_restore, restore
    from moderation.domain.erasure_replay import keep_until_applied
    from moderation.migrate import known_revisions

    body = {"id": "c-1", "story_id": "s", "author_id": "ivy", "text": "Ivy here, Northgate clinic."}
    assert client.post("/api/v1/comments", headers=site.headers, json=body).status_code == 202
    dump = _restored_copy(services, spare_database, tmp_path)
    _erase_in(spare_database, site.id, author_id="ivy")
    pending = Path(services.env()["MODERATION_VAR_DIR"]) / "erasures-to-apply.json"
    # The first restore's steps, up to where it was killed: the records kept, the database replaced.
    keep_until_applied(pending, erasures_before_restore(spare_database))
    restore(spare_database, dump, known_revisions(spare_database))
    assert _sql(spare_database, "SELECT count(*) FROM author_erasures") == 0

    again = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)

    assert "1 reader(s) erased again" in again.output, again.output
    assert _sql(spare_database, "SELECT count(*) FROM comments WHERE text LIKE '%Northgate%'") == 0
    assert not pending.exists()


def test_another_installations_erasures_are_not_applied_to_a_backup_of_a_site_of_the_same_name(
        app, client, site, services, spare_database, tmp_path):
    """A security review: a trial server's "herald" erased its test reader "bob"; restoring production's
    backup over it erased production's bob."""
    body = {"id": "c-1", "story_id": "s", "author_id": "bob", "text": "Production's bob."}
    assert client.post("/api/v1/comments", headers=site.headers, json=body).status_code == 202
    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    # The trial server: a site of the same name, made there, with a reader of the same id erased.
    assert _run(services, "keys", "create", site.name, database_url=spare_database).exit_code == 0
    trial_site = _sql(spare_database, f"SELECT id FROM sites WHERE name = '{site.name}'")
    _erase_in(spare_database, trial_site, author_id="bob")

    restored = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)

    assert f"were not applied: {site.name}" in restored.output, restored.output
    assert _sql(spare_database, "SELECT text FROM comments WHERE author_id = 'bob'") == "Production's bob."


def test_an_author_named_like_a_suggestion_erasure_is_not_erased_in_its_place(app, client, site, services,
                                                                               spare_database, tmp_path):
    """A security review: author and suggestion erasures keep their hashes in one column, and replaying an
    erasure of client token comment:7 erased the author "client_token:comment:7" instead of the label."""
    odd = {"id": "c-1", "story_id": "s", "author_id": "client_token:comment:7", "text": "An odd id, a real reader."}
    assert client.post("/api/v1/comments", headers=site.headers, json=odd).status_code == 202
    _suggested(client, site, "comment:7")
    dump = _restored_copy(services, spare_database, tmp_path)
    _erase_in(spare_database, site.id, client_token="comment:7")

    again = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)

    assert "0 reader(s) erased again, 1 suggestion label(s) deleted again" in again.output, again.output
    assert _sql(spare_database, "SELECT text FROM comments WHERE external_id = 'c-1'") == "An odd id, a real reader."


def test_an_unreadable_file_of_erasures_to_apply_is_one_line_and_changes_nothing(app, client, site, services,
                                                                                  spare_database, tmp_path):
    """The file a restore cut short leaves, edited or cut short by hand: a traceback had been the answer."""
    dump = _restored_copy(services, spare_database, tmp_path)
    pending = Path(services.env()["MODERATION_VAR_DIR"]) / "erasures-to-apply.json"
    pending.write_text('[{"site_name": "daily-planet"', encoding="utf-8")
    try:
        refused = _run(services, "db", "restore", str(dump), "--yes", database_url=spare_database)
    finally:
        pending.unlink()
    assert refused.exit_code == 1 and "cannot be read" in refused.output and "nothing was changed" in refused.output
    assert "Traceback" not in refused.output



def test_after_moving_off_the_embedded_database_commands_without_database_url_refuse_the_old_copy(
        app, services, spare_database, tmp_path):
    """An operator's walk: after the move, `keys revoke` typed without the service's environment
    revoked the key in the trial's embedded database, said so, exited 0, and production took the key."""
    from moderation.moved_database import note_dump

    dump = tmp_path / "moderation.dump"
    assert _run(services, "db", "dump", str(dump)).exit_code == 0
    trial = tmp_path / "trial-var"
    trial.mkdir()
    note_dump(trial, dump)  # as `db dump` notes it on the embedded database
    env = {"MODERATION_VAR_DIR": str(trial)}
    moved = CliRunner().invoke(main, ["db", "restore", str(dump), "--yes"],
                               env={**services.env(), **env, "SECRET_KEY": "test-secret", "DATABASE_URL": spare_database})
    assert moved.exit_code == 0, moved.output
    assert f"is the dump of the embedded database in {trial}" in moved.output
    assert (trial / "moved.json").stat().st_mode & 0o777 == 0o600  # it names a server: its owner's alone

    with socket.socket() as probe:  # `up` checks its port first
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    without = {**services.env(), **env, "DATABASE_URL": "", "PORT": port}
    for command in (["keys", "revoke", "morning-post", "--yes"], ["up"]):
        refused = CliRunner().invoke(main, command, env=without)
        assert refused.exit_code == 1, refused.output
        assert (f"Error: DATABASE_URL is not set, and the embedded database in {trial} moved to DATABASE_URL's "
                "database (") in refused.output
        assert f"remove {trial / 'moved.json'}" in " ".join(refused.output.split())
    # Another dump restored there (not this var dir's) marks nothing.
    other = tmp_path / "other-var"
    other.mkdir()
    again = CliRunner().invoke(main, ["db", "restore", str(dump), "--yes"], env={
        **services.env(), "MODERATION_VAR_DIR": str(other), "SECRET_KEY": "test-secret", "DATABASE_URL": spare_database})
    assert again.exit_code == 0 and "is the dump of" not in again.output and not (other / "moved.json").exists()


def test_a_dump_from_a_server_that_takes_the_connection_and_never_answers_gives_up(services, tmp_path, monkeypatch):
    """An operator's walk: such a server held `db dump` (a nightly cron job) for good; the app's own
    connections gave up in about 10 s."""
    import threading
    import time

    from moderation import backup

    monkeypatch.setattr(backup, "CONNECT_SECONDS", 2)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held = []
    threading.Thread(target=lambda: held.append(listener.accept()), daemon=True).start()
    port = listener.getsockname()[1]
    started = time.monotonic()
    try:
        silent = _run(services, "db", "dump", str(tmp_path / "x.dump"),
                      database_url=f"postgresql+psycopg://moderation@127.0.0.1:{port}/moderation")
    finally:
        listener.close()
    assert silent.exit_code == 1 and "pg_dump failed" in silent.output, silent.output
    assert time.monotonic() - started < 30


def test_a_dump_from_another_checkout_names_the_services_key_and_makes_none_of_its_own(services, tmp_path):
    """An operator's walk: run with DATABASE_URL from a checkout with no var dir of its own, the dump
    made a new var/secret_key and said to keep that with the dump: a key that had never signed anything."""
    elsewhere = tmp_path / "other-checkout-var"
    env = {**services.env(), "SECRET_KEY": None, "MODERATION_VAR_DIR": str(elsewhere)}
    dumped = CliRunner().invoke(main, ["db", "dump", str(tmp_path / "x.dump")],
                                env={**env, "DATABASE_URL": services.database_url})
    assert dumped.exit_code == 0, dumped.output
    assert "keep a copy of the service's own with the dump" in dumped.output
    assert "so this installation's is in" not in dumped.output and not (elsewhere / "secret_key").exists()

    (elsewhere / "secret_key").write_text("a" * 64)  # where the service runs: its own key, named
    dumped = CliRunner().invoke(main, ["db", "dump", str(tmp_path / "y.dump")],
                                env={**env, "DATABASE_URL": services.database_url})
    assert f"so this installation's is in {elsewhere / 'secret_key'}: keep a copy with the dump" in dumped.output
