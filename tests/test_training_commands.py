"""`moderation training run|list|cancel`: the training page's runs from the shell."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from training_data import MIN_POSITIVES, write_training_csv

from moderation import db
from moderation.cli import main
from moderation.cli.context import cli_actor
from moderation.models import ModelVersion, TrainingRun


@pytest.fixture
def cli(services, tmp_path):
    def run(*args: str):
        env = services.env(TRAINING_DATA_DIR=str(tmp_path / "data"), TRAINING_MIN_POSITIVES=str(MIN_POSITIVES))
        return CliRunner().invoke(main, ["training", *args], env=env)
    return run


def test_run_trains_a_candidate_in_the_foreground_and_list_shows_it(app, cli, tmp_path):
    write_training_csv(tmp_path / "data")
    result = cli("run", "--quiet")
    assert result.exit_code == 0, result.output
    assert "training run #1" in result.output and "registered candidate" in result.output
    with app.app_context():
        run = db.session.get(TrainingRun, 1)
        assert (run.state, run.progress, run.requested_by) == ("succeeded", 1.0, cli_actor())
        version = db.session.scalar(select(ModelVersion.version).where(ModelVersion.id == run.version_id))
    assert f"promote it with `moderation models promote {version}`" in result.output  # as `train` says (an operator's walk)
    listed = cli("list")
    assert listed.exit_code == 0
    assert "succeeded" in listed.output and "100%" in listed.output and version in listed.output


def test_run_refuses_while_another_run_is_active_and_cancel_ends_it(app, cli):
    with app.app_context():
        db.session.add(TrainingRun(requested_by="user:alice", state="queued"))
        db.session.commit()
    refused = cli("run", "--quiet")
    assert refused.exit_code == 1 and "training run #1 (user:alice, on the shared data only) is still queued" in refused.output
    assert cli("cancel", "1").output.strip() == "training run #1 cancelled"
    again = cli("cancel", "1")
    assert again.exit_code == 1 and "already cancelled" in again.output


def test_a_run_without_data_fails_with_the_reason(cli, tmp_path):
    (tmp_path / "data").mkdir()
    result = cli("run", "--quiet")
    assert result.exit_code == 1 and "failed" in result.output and "no licence-cleared training CSVs" in result.output


def test_unknown_site_and_help(cli):
    assert "no such site: nowhere" in cli("run", "--site", "nowhere").output
    for command in ("run", "list", "cancel"):
        assert cli(command, "--help").exit_code == 0


def test_ctrl_c_cancels_the_run_and_exits_as_an_interrupt(app, cli, monkeypatch):
    """Ctrl-C had exited 1, as a failure does; a script could not tell the two apart."""
    from moderation.domain import training_runs as runs

    def interrupted(settings):
        def train(*args, **kwargs):
            raise KeyboardInterrupt
        return train

    monkeypatch.setattr(runs, "default_trainer", interrupted)
    result = cli("run", "--quiet")
    assert result.exit_code == 130 and "training run #1 cancelled" in result.output
    with app.app_context():
        run = db.session.get(TrainingRun, 1)
        assert run.state == "cancelled" and "cancelled with Ctrl-C" in run.log
        assert runs.start_run(db.session, by="cli").id == 2  # and the next run may start
