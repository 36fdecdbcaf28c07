"""`moderation status`: whether the service runs and can work, and what needs attention, with an
exit code a script can read. The running service's case is in integration/test_up_command.py."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner

from moderation import db
from moderation.cli import main
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.lifecycle import SCORER, change_status
from moderation.models import Site


def test_without_a_database_url_or_a_running_up_it_says_not_running_and_starts_nothing(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    (var_dir / "up.lock").write_text("999999999")  # left by an `up` long gone
    done = CliRunner().invoke(main, ["status"], env={"MODERATION_VAR_DIR": str(var_dir), "DATABASE_URL": ""})
    assert done.exit_code == 3, done.output
    assert done.output.startswith(f"not running: no `moderation up` on {var_dir}")
    assert sorted(p.name for p in var_dir.iterdir()) == ["up.lock"]  # no database made to answer


def test_it_lists_what_needs_attention_and_exits_1(app, services, make_site):
    site = make_site("hooked", webhook_url="https://hooked.example/hook")
    with app.app_context():
        comment = submit_comment(db.session, db.session.get(Site, site.id), CommentInput(
            external_id="c-1", story_id="s", author_id="a", text="hi")).comment
        delivery = change_status(db.session, comment, "published", actor="test", by=SCORER)
        db.session.flush()
        delivery.attempts, delivery.failed, delivery.last_error = 21, True, "HTTP 502"
        waiting = submit_comment(db.session, db.session.get(Site, site.id), CommentInput(
            external_id="c-2", story_id="s", author_id="a", text="hello")).comment
        change_status(db.session, waiting, "published", actor="test", by=SCORER)
        db.session.commit()

    done = CliRunner().invoke(main, ["status"], env=services.env())

    assert done.exit_code == 1, done.output
    assert "database:   ok" in done.output and "broker:     ok" in done.output
    # No worker runs in this test: nothing would score the comments the site sends.
    assert "no worker for the moderation queue answered within 2 s: comments are not scored" in done.output
    assert "no worker for the webhooks queue answered within 2 s: webhook events are not sent" in done.output
    assert "1 webhook dead letter(s): `moderation webhooks dead-letters`" in done.output
    # How long the oldest event has waited, before it is a problem (a newsroom's first day: "ok" for 3 minutes).
    assert re.search(r"webhooks:   1 to deliver, the oldest [0-9.]+ s, 1 dead letters", done.output), done.output
    as_json = json.loads(CliRunner().invoke(main, ["status", "--json"], env=services.env()).output)
    assert as_json["running"] and as_json["dead_letters"] == 1 and as_json["workers"] == []
    # How big the database is and what grows it (a soak walk: 2 GB a day at 6 comments/s, and nothing said so).
    size = r"[0-9.,]+ (?:bytes|kB|MB|GB)"
    assert re.search(rf"storage:    database {size} \(comments {size}, webhook events {size}, audit log {size}\)",
                     done.output), done.output
    assert as_json["storage"]["database_bytes"] > 0 and set(as_json["storage"]["tables_bytes"]) == {
        "comments", "webhook events", "audit log"}


def test_a_disk_filling_up_under_the_embedded_database_needs_attention():
    from moderation.cli.status_commands import verdict

    state = {"running": True, "database": "ok", "broker": "not asked", "queues": {}, "web": "not asked",
             "storage": {"database_bytes": 10**9, "tables_bytes": {}, "disk_free_bytes": 1 * 1024**3,
                         "disk_total_bytes": 50 * 1024**3}}
    code, problems = verdict(state)
    assert code == 1 and problems == ['the database\'s disk has 1.0 GB free: the database grows about 4 kB a comment '
                                      '(docs/api.md, "How big it grows")']
    roomy = {**state, "storage": {**state["storage"], "disk_free_bytes": 20 * 1024**3}}
    assert verdict(roomy) == (0, [])


def test_a_lock_file_that_is_not_a_regular_file_is_not_read(tmp_path):
    """A security review: a FIFO as up.lock hung the command, /dev/zero ate the memory."""
    import os

    var_dir = tmp_path / "var"
    var_dir.mkdir()
    os.mkfifo(var_dir / "up.lock")
    done = CliRunner().invoke(main, ["status"], env={"MODERATION_VAR_DIR": str(var_dir), "DATABASE_URL": ""})
    assert done.exit_code == 3 and done.output.startswith("not running")


def test_status_in_process_leaves_the_environment_as_it_found_it(services, monkeypatch):
    """A fresh-clone run: `status` run through CliRunner left LOG_LEVEL=WARNING in the test process,
    and a later test's `db upgrade` subprocess no longer said what it migrated."""
    import os

    monkeypatch.delenv("LOG_LEVEL", raising=False)
    CliRunner().invoke(main, ["status", "--no-web"], env=services.env())
    assert "LOG_LEVEL" not in os.environ


def test_a_late_sweep_behind_a_scoring_backlog_names_the_busy_workers_not_only_beat():
    """A chaos walk: with both scoring processes on long batches, the sweep waited in their queue and
    the status sent the operator to look at beat, which was sending it on time."""
    from moderation.cli.status_commands import verdict

    state = {"running": True, "database": "ok", "broker": "not asked", "queues": {}, "web": "not asked",
             "last_sweep_seconds": 166.0, "sweep_interval": 30, "oldest_pending_seconds": 169.0}
    problems = verdict(state)[1]
    assert any("the scoring workers may be busy" in p and "169 s" in p for p in problems), problems
    quiet = verdict({**state, "oldest_pending_seconds": 2.0})[1]
    assert any("is beat running?" in p for p in quiet), quiet
