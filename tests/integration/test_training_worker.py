"""Training on its own queue with real workers: a run started from the page reaches 100 % and is
registered; another is cancelled mid-run while the scoring worker keeps scoring; a run left
running by a dead trainer is failed when the trainer starts again."""
from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from training_data import MIN_POSITIVES, write_training_csv

from moderation import db
from moderation.models import Comment, ModelVersion, TrainingRun

pytestmark = pytest.mark.integration


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def trainer_env(tmp_path) -> dict[str, str]:
    data = tmp_path / "data"
    write_training_csv(data)
    return {"TRAINING_DATA_DIR": str(data), "TRAINING_MIN_POSITIVES": str(MIN_POSITIVES)}


@pytest.fixture
def long_trainer_env(tmp_path) -> dict[str, str]:
    """300 copies of the tiny CSV: a run that outlasts a comment being scored and a cancel click
    even on a busy machine, where the scorer shares two cores with the trainer and the rest of the
    suite. Ten copies train in about 1 s on a quiet machine, and CI's run finished before its
    cancel was read; 300 take about 6 s (the CSV is written in 0.2 s, and the run is cancelled or
    killed early, so the suite waits for none of it)."""
    data = tmp_path / "long-data"
    write_training_csv(data, copies=300)
    return {"TRAINING_DATA_DIR": str(data), "TRAINING_MIN_POSITIVES": str(MIN_POSITIVES)}


def _admin_client(app, admin):
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": admin.username, "password": admin.password,
                                       "csrf_token": token}).status_code == 302
    return client


def _start(client, **form: str) -> int:
    token = csrf_token(client.get("/admin/training").get_data(as_text=True))
    assert client.post("/admin/training", data={"csrf_token": token, **form}).status_code == 303
    return client.get("/admin/training/status").get_json()["run"]["id"]


def _watch(client, run_id: int, *, until, timeout: float = 240) -> list[dict]:
    """The page's view of the run every 0.2 s until `until(run)`; every view seen."""
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = client.get(f"/admin/training/status?run={run_id}").get_json()["run"]
        seen.append(run)
        if until(run):
            return seen
        time.sleep(0.2)
    raise AssertionError(f"run #{run_id} stuck: {seen[-1]}")


def test_a_run_from_the_page_trains_on_the_training_queue_to_100_percent(app, admin, start_worker, trainer_env):
    with app.app_context():  # left "running" by a trainer that was killed
        db.session.add(TrainingRun(requested_by="user:gone", state="running", progress=0.4))
        db.session.commit()
    start_worker(queues="training", **trainer_env)
    with app.app_context():
        interrupted = db.session.get(TrainingRun, 1)
        assert interrupted.state == "failed" and "process training it stopped" in interrupted.error

    client = _admin_client(app, admin)
    run_id = _start(client)
    seen = _watch(client, run_id, until=lambda run: not run["active"])
    final = seen[-1]
    assert (final["state"], final["progress"], final["stage"]) == ("succeeded", 1.0, "done"), final
    progress = [run["progress"] for run in seen]
    assert progress == sorted(progress)  # the bar never goes back
    assert any(0 < p < 1 for p in progress) or len(seen) < 3  # seen part-way unless it was very quick
    assert "fit heads" in final["log"] and f"registered candidate {final['version']}" in final["log"]
    with app.app_context():
        version = db.session.query(ModelVersion).filter_by(version=final["version"]).one()
        assert version.status == "candidate"
        assert (Path(app.config["VAR_DIR"]) / version.artifact).is_file()
    page = client.get("/admin/training").get_data(as_text=True)
    assert final["version"] in page and "Cancel run" not in page


def test_a_run_is_cancelled_mid_run_and_scoring_goes_on_meanwhile(app, admin, site, client, start_worker,
                                                                  long_trainer_env):
    trainer = start_worker(queues="training", **long_trainer_env)
    scorer = start_worker()
    # Only the scoring worker holds the scoring model (a few hundred MB); the trainer never scores.
    assert b"loaded model" in scorer.log_path.read_bytes()
    assert b"loaded model" not in trainer.log_path.read_bytes()
    admin_client = _admin_client(app, admin)
    run_id = _start(admin_client)
    _watch(admin_client, run_id, until=lambda run: run["state"] == "running" and run["progress"] > 0)

    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": "c-1", "story_id": "s-1", "author_id": "a-1", "text": "A kind word."})
    comment_id = response.get_json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with app.app_context():
            status = db.session.get(Comment, comment_id).status
            still_training = db.session.get(TrainingRun, run_id).state == "running"
        if status != "pending":
            break
        time.sleep(0.2)
    assert status == "published" and still_training, "scoring waited behind training"

    token = csrf_token(admin_client.get("/admin/training").get_data(as_text=True))
    assert admin_client.post(f"/admin/training/{run_id}/cancel", data={"csrf_token": token}).status_code == 303
    cancelled_at = time.monotonic()
    final = _watch(admin_client, run_id, until=lambda run: not run["active"])[-1]
    assert final["state"] == "cancelled" and final["progress"] < 1 and final["version"] is None
    assert "cancel requested" in final["log"]
    print(f"cancelled {time.monotonic() - cancelled_at:.1f}s after the click, at {final['progress']:.0%}")
    with app.app_context():
        assert db.session.query(ModelVersion).count() == 0 or all(
            v.notes != f"training run #{run_id}" for v in db.session.query(ModelVersion))


def test_a_run_whose_process_is_killed_fails_at_once_and_the_next_one_may_start(app, admin, start_worker,
                                                                                long_trainer_env):
    """An operator's walk: kill -9 of the training child (as the out-of-memory killer does) left the
    run "running" for good, and every next run was refused, while the trainer's main process lived on."""
    import os
    import signal

    import psutil

    trainer = start_worker(queues="training", **long_trainer_env)
    client = _admin_client(app, admin)
    run_id = _start(client)
    _watch(client, run_id, until=lambda run: run["state"] == "running" and run["progress"] > 0)
    children = psutil.Process(trainer.proc.pid).children()
    assert children, "the trainer runs its task in a pool child"
    for child in children:
        os.kill(child.pid, signal.SIGKILL)
    final = _watch(client, run_id, until=lambda run: not run["active"], timeout=60)[-1]
    assert final["state"] == "failed" and "its training process died" in final["error"]
    assert trainer.proc.poll() is None  # the worker lives on, and takes the next run
    assert _start(client) == run_id + 1


def test_a_foreground_run_lives_through_a_trainer_start_and_its_kill_frees_the_next_run(app, services,
                                                                                       start_worker, long_trainer_env):
    """An operator's walk: a foreground `training run` killed with -9 stayed "running" and refused
    every next run; and a trainer worker starting failed a live foreground run, so two trained at once."""
    import os
    import signal
    import subprocess
    import sys

    from moderation.domain import training_runs as runs

    cli = subprocess.Popen([sys.executable, "-m", "moderation.cli", "training", "run", "--quiet"],
                           env=services.env(**long_trainer_env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            with app.app_context():
                run = db.session.scalar(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(1))
                if run is not None and run.state == "running" and run.progress > 0:
                    break
            assert time.monotonic() < deadline and cli.poll() is None, "the foreground run never got going"
            time.sleep(0.2)
        run_id = run.id
        start_worker(queues="training", **long_trainer_env)  # waits until the worker is ready
        with app.app_context():
            assert db.session.get(TrainingRun, run_id).state == "running"
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait(timeout=10)
    finally:
        if cli.poll() is None:
            cli.kill()
    deadline = time.monotonic() + 10  # the server lets go of the dead connection's lock as its backend notices
    with app.app_context():
        while True:
            try:
                next_run = runs.start_run(db.session, by="cli")
                break
            except runs.RunActive:
                db.session.rollback()
                assert time.monotonic() < deadline, "the killed run still blocks the next one"
                time.sleep(0.1)
        db.session.commit()
        assert next_run.id == run_id + 1
        ended = db.session.get(TrainingRun, run_id)
        assert ended.state == "failed" and "process training it stopped" in ended.error
