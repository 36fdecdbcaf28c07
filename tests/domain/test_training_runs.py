"""Training runs: one at a time, cancelled between steps, failed when their worker died, registered when done."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from training_data import MIN_POSITIVES, write_training_csv

from classifiers.train import TrainingCancelled
from moderation import db
from moderation.domain import training_runs as runs
from moderation.domain.errors import NotFound, ValidationFailed
from moderation.models import AuditEntry, ModelVersion, TrainingRun


def _execute(app, run_id: int, tmp_path: Path, trainer=None) -> str:
    with app.app_context():
        settings = runs.TrainingSettings(min_positives=MIN_POSITIVES)
        return runs.execute_run(db.session, run_id, var_dir=tmp_path / "var", data_dir=tmp_path / "data",
                                trainer=trainer or runs.default_trainer(settings))


def _start(app, **kwargs) -> int:
    with app.app_context():
        run = runs.start_run(db.session, by="cli", **kwargs)
        db.session.commit()
        return run.id


def _run(app, run_id: int) -> TrainingRun:
    with app.app_context():
        run = db.session.get(TrainingRun, run_id)
        db.session.expunge(run)
        return run


def test_it_refuses_a_second_run_while_one_is_active(app):
    first = _start(app)
    with app.app_context(), pytest.raises(runs.RunActive, match=rf"run #{first} \(cli, on the shared data only\) is still queued"):
        runs.start_run(db.session, by="cli")


def test_a_new_run_may_start_once_the_last_one_is_cancelled(app):
    first = _start(app)
    with app.app_context():
        runs.cancel_run(db.session, first, by="cli")
        db.session.commit()
    assert _start(app) == first + 1


def test_a_run_cancelled_while_queued_is_never_trained(app, tmp_path):
    run_id = _start(app)
    with app.app_context():
        runs.cancel_run(db.session, run_id, by="cli")
        db.session.commit()

    def trainer(*args, **kwargs):
        raise AssertionError("a cancelled run was trained")

    assert _execute(app, run_id, tmp_path, trainer) == "cancelled"
    assert _run(app, run_id).finished_at is not None


def test_cancel_stops_a_running_run_at_its_next_step(app, tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "WRITE_EVERY", 0.0)
    run_id = _start(app)
    steps: list[str] = []

    def trainer(session, site, *, data_dir, out_dir, on_progress, should_stop):
        for stage in ("read", "featurise train", "fit heads", "write"):
            if should_stop():
                raise TrainingCancelled(f"cancelled during {stage}")
            steps.append(stage)
            on_progress(stage, len(steps) / 4)
            if stage == "featurise train":  # an admin presses Cancel while this step runs
                with app.app_context():
                    runs.cancel_run(db.session, run_id, by="user:alice")
                    db.session.commit()
        raise AssertionError("trained past a cancel")

    assert _execute(app, run_id, tmp_path, trainer) == "cancelled"
    assert steps == ["read", "featurise train"]
    run = _run(app, run_id)
    assert (run.state, run.progress) == ("cancelled", 0.5)
    assert "cancel requested" in run.log and run.log.rstrip().endswith("cancelled")
    assert not (tmp_path / "var" / "training" / f"run-{run_id}").exists()


def _running(app, run_id: int) -> None:
    with app.app_context():
        db.session.get(TrainingRun, run_id).state = "running"
        db.session.commit()


def _hold_lock(app, run_id: int):
    """A connection holding the run's lock, as the process training it does."""
    with app.app_context():
        conn = db.session.get_bind().connect()
    assert conn.scalar(select(func.pg_try_advisory_lock(runs.RUN_LOCK, run_id)))
    conn.commit()
    return conn


def _wait_until_let_go(app, run_id: int, timeout: float = 10.0) -> None:
    """The server lets go of a closed connection's lock as its backend notices, a moment later."""
    import time

    deadline = time.monotonic() + timeout
    with app.app_context():
        while not runs._process_gone(db.session, run_id):
            db.session.rollback()
            assert time.monotonic() < deadline, "the closed connection's lock was never let go"
            time.sleep(0.05)
        db.session.rollback()


def test_a_run_left_running_by_a_dead_worker_is_marked_failed(app):
    run_id = _start(app)
    _running(app, run_id)  # its worker was killed mid-run: nothing holds its lock
    with app.app_context():
        assert runs.fail_interrupted_runs(db.session) == [run_id]
        db.session.commit()
    run = _run(app, run_id)
    assert run.state == "failed" and "process training it stopped" in run.error
    assert _start(app) == run_id + 1  # no longer blocks the next one


def test_a_run_whose_process_lives_is_not_failed_when_a_worker_starts(app):
    """A trainer worker starting had failed a live foreground `training run`: two trainings at once."""
    run_id = _start(app)
    _running(app, run_id)
    holder = _hold_lock(app, run_id)
    try:
        with app.app_context():
            assert runs.fail_interrupted_runs(db.session) == []
            db.session.commit()
            with pytest.raises(runs.RunActive, match=rf"run #{run_id} \(cli, on the shared data only\) is still running"):
                runs.start_run(db.session, by="cli")
        assert _run(app, run_id).state == "running"
    finally:
        holder.rollback()
        holder.invalidate()  # closed as a killed process's connection is: the server lets go of the lock
    _wait_until_let_go(app, run_id)
    next_id = _start(app)  # its process gone, the run no longer blocks the next one
    assert next_id == run_id + 1
    assert _run(app, run_id).state == "failed"


def test_cancelling_a_run_whose_process_died_ends_it_at_once(app):
    run_id = _start(app)
    _running(app, run_id)
    with app.app_context():
        run = runs.cancel_run(db.session, run_id, by="user:alice")
        db.session.commit()
        assert run.state == "cancelled" and "process training it had stopped" in run.log


def test_a_failing_trainer_fails_the_run_with_its_message(app, tmp_path):
    run_id = _start(app)
    # No CSVs in the data dir: the default trainer says where it looked.
    assert _execute(app, run_id, tmp_path) == "failed"
    run = _run(app, run_id)
    assert "no licence-cleared training CSVs" in run.error and "failed:" in run.log


def test_our_own_refusal_is_logged_as_a_sentence_and_a_crash_with_its_traceback(app, tmp_path, caplog):
    """`training run` printed a traceback above an erasure's refusal, which is a sentence for the admin."""
    from moderation.domain.errors import Conflict

    def refused(*args, **kwargs):
        raise Conflict("2 reader erasure requests arrived while this run trained on its labels")

    def crashed(*args, **kwargs):
        raise RuntimeError("disk on fire")

    assert _execute(app, _start(app), tmp_path, trainer=refused) == "failed"
    refusal = [r for r in caplog.records if "failed" in r.getMessage()][-1]
    assert refusal.exc_info is None and "2 reader erasure requests" in refusal.getMessage()
    assert _execute(app, _start(app), tmp_path, trainer=crashed) == "failed"
    crash = [r for r in caplog.records if "failed" in r.getMessage()][-1]
    assert crash.exc_info is not None and "RuntimeError: disk on fire" in _run(app, crash.args[0]).error


def test_a_run_trains_reports_progress_and_registers_a_candidate(app, tmp_path):
    write_training_csv(tmp_path / "data")
    run_id = _start(app)
    assert _execute(app, run_id, tmp_path) == "succeeded"
    run = _run(app, run_id)
    assert (run.progress, run.stage) == (1.0, "done")
    for stage in ("started", "read", "featurise train", "fit heads", "write", "registered candidate"):
        assert stage in run.log
    with app.app_context():
        version = db.session.scalar(select(ModelVersion).where(ModelVersion.id == run.version_id))
        assert version.status == "candidate" and version.notes == f"training run #{run_id}"
        assert (tmp_path / "var" / version.artifact).is_file()
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[0] == "training:started" and actions[-1] == "training:succeeded"


def test_executing_an_unknown_run_says_so(app, tmp_path):
    with pytest.raises(NotFound):
        _execute(app, 404, tmp_path)


def test_a_run_for_a_site_trains_with_its_own_labels(app, site, tmp_path, monkeypatch):
    from moderation.domain import own_training

    calls = []

    def train_with_own_labels(session, run_site, *, data_dir, out_dir, weight, progress, on_progress, should_stop,
                              min_positives):
        calls.append((run_site.name, weight, progress, min_positives))
        on_progress("export own labels", 0.03)
        raise ValueError("stopped here by the test")

    monkeypatch.setattr(own_training, "train_with_own_labels", train_with_own_labels)
    _label(app, site, own_training.MIN_OWN_LABELS)
    run_id = _start(app, site_id=site.id)
    with app.app_context():
        trainer = runs.default_trainer(runs.TrainingSettings(own_label_weight=3.0))
        assert runs.execute_run(db.session, run_id, var_dir=tmp_path, data_dir=tmp_path, trainer=trainer) == "failed"
    assert calls == [(site.name, 3.0, False, runs.TrainingSettings().min_positives)]
    run = _run(app, run_id)
    assert "export own labels" in run.log and run.error == "ValueError: stopped here by the test"
    # Its outcome in the audit log beside its start, both filed under the site (an admin's walk: the
    # site's filter showed starts only, and a run failing at once seemed to be going on still).
    from moderation.domain.audit_search import audit_page

    with app.app_context():
        entries = [(e.action, e.details.get("site")) for e in audit_page(db.session, what="training", site_id=site.id).entries]
    assert entries == [("training:failed", site.name), ("training:started", site.name)]


def _label(app, site, n: int) -> None:
    from moderation.models import LabelledExample

    with app.app_context():
        db.session.add_all([LabelledExample(site_id=site.id, text=f"comment {i}", labels={"rejected": 1.0},
                                            source="decision", kind="decision", actor="user:ada") for i in range(n)])
        db.session.commit()


def test_a_run_for_a_site_with_too_few_labels_of_its_own_is_refused_before_it_starts(app, site):
    """With no decisions it trained for six minutes and registered the public model under the site's name."""
    from moderation.domain.own_training import MIN_OWN_LABELS

    _label(app, site, MIN_OWN_LABELS - 1)
    with app.app_context(), pytest.raises(ValidationFailed, match=f"has {MIN_OWN_LABELS - 1} labelled comments"):
        runs.start_run(db.session, by="test", site_id=site.id)


def test_a_comment_with_a_decision_and_a_report_outcome_counts_once(app, site):
    """A rejected comment that readers reported leaves two examples; the pre-check read nine such
    comments as eighteen and queued a run the export then refused."""
    from moderation.domain.comments import CommentInput, submit_comment
    from moderation.domain.own_training import own_examples
    from moderation.models import LabelledExample, Site

    with app.app_context():
        planet = db.session.get(Site, site.id)
        for i in range(9):
            comment = submit_comment(db.session, planet, CommentInput(external_id=f"c{i}", story_id="s", author_id="a",
                                                                      text=f"comment {i}")).comment
            db.session.add_all([LabelledExample(site_id=site.id, comment_id=comment.id, text=comment.text, labels=labels,
                                                source="moderator", kind=kind, actor="user:ada")
                                for kind, labels in (("decision", {"toxicity": 1}), ("report_outcome", {"insult": 1}))])
        db.session.add(LabelledExample(site_id=site.id, text="a suggestion", labels={"toxicity": 1.0},
                                       source="suggestscore", kind="suggestscore", actor=f"site:{site.id}"))
        db.session.commit()
        assert own_examples(db.session, planet) == 10


def test_a_second_cancel_of_a_run_being_cancelled_is_refused_and_not_audited_again(app):
    """An admin's walk: two admins' Cancel both said "stops at its next step", and the audit named both."""
    run_id = _start(app)
    _running(app, run_id)
    holder = _hold_lock(app, run_id)  # its process lives
    try:
        with app.app_context():
            runs.cancel_run(db.session, run_id, by="user:ada")
            db.session.commit()
            with pytest.raises(runs.NotCancellable, match="being cancelled already"):
                runs.cancel_run(db.session, run_id, by="user:bob")
            db.session.rollback()
            cancels = db.session.scalars(select(AuditEntry.actor).where(AuditEntry.action == "training:cancelled")).all()
        assert cancels == ["user:ada"]
    finally:
        holder.rollback()
        holder.invalidate()


def test_a_dead_trainers_label_export_is_removed_by_the_next_run(tmp_path):
    """A data protection officer's walk: a run killed with kill -9 left the site's labelled texts in
    /tmp/own-labels-*/ for good, out of reach of erasure and retention."""
    import os
    import subprocess
    import sys

    from moderation.domain.own_training import sweep_leftover_exports

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    out_dir = tmp_path / "training" / "run-3"
    dead, running = out_dir / f"own-labels-{gone.pid}-ab12", out_dir / f"own-labels-{os.getpid()}-cd34"
    earlier = tmp_path / "training" / "run-2" / f"own-labels-{gone.pid}-ef56"
    for folder in (dead, running, earlier):
        folder.mkdir(parents=True)
        (folder / "civility-herald.csv").write_text("text,toxicity\nA reader's words,0\n")

    assert sweep_leftover_exports(out_dir) == 2
    assert running.exists() and not dead.exists() and not earlier.exists()


def test_a_dead_trainers_label_export_is_removed_when_its_death_is_found_not_only_by_the_next_run(tmp_path):
    """An admin's walk: a trainer killed mid-run left a site's 1,039 labelled texts under var/training
    after the worker restarted, and a reader's erasure did not reach them; only a next run, weeks away
    perhaps, would have removed them. The worker removes them when it starts and when a child dies."""
    import os
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    training = tmp_path / "var" / runs.WORK_DIR
    dead = training / "run-7" / f"own-labels-{gone.pid}-ab12"
    running = training / "run-8" / f"own-labels-{os.getpid()}-cd34"
    for folder in (dead, running):
        folder.mkdir(parents=True)
        (folder / "civility-herald.csv").write_text("text,toxicity\nAll useless piles of crap.,1\n")

    assert runs.remove_dead_trainers_exports(tmp_path / "var") == 1
    assert running.exists() and not dead.exists()
    assert runs.remove_dead_trainers_exports(tmp_path / "nothing-yet") == 0
