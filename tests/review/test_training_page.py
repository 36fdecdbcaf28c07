"""/admin/training: start a run (sent to the "training" queue), one at a time, cancel, bad input."""
from __future__ import annotations

import json

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import TrainingRun


def _post(client, path: str, **form: str):
    token = csrf_token(client.get("/admin/training").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def _page_after(client, path: str, **form: str) -> str:
    """The page the form's redirect leads to, with its flash."""
    return client.get(_post(client, path, **form).headers["Location"]).get_data(as_text=True)


def _assert_no_runs(app) -> None:
    with app.app_context():
        assert db.session.query(TrainingRun).count() == 0


def _queued_messages(services) -> list[dict]:
    return [json.loads(raw) for raw in services.redis().lrange("training", 0, -1)]


def test_an_admin_starts_a_run_that_goes_to_the_training_queue(app, services, admin, site, sign_in):
    from moderation.domain.own_training import MIN_OWN_LABELS
    from moderation.models import LabelledExample

    with app.app_context():  # enough of its moderators' decisions to learn from
        db.session.add_all([LabelledExample(site_id=site.id, text=f"comment {i}", labels={"approved": 1.0},
                                            source="decision", kind="decision", actor="user:ada")
                            for i in range(MIN_OWN_LABELS)])
        db.session.commit()
    client = sign_in(admin)
    response = _post(client, "/admin/training", site_id=str(site.id))
    assert response.status_code == 303
    with app.app_context():
        run = db.session.scalar(select(TrainingRun))
        assert (run.state, run.site_id, run.requested_by) == ("queued", site.id, f"user:{admin.username}")
    messages = _queued_messages(services)
    assert [m["headers"]["task"] for m in messages] == ["workers.training.train_candidate"]
    assert services.redis().llen("moderation") == 0  # never on the scoring queue
    page = client.get("/admin/training").get_data(as_text=True)
    assert f"Training run #{run.id} queued." in page and "Cancel run" in page
    assert "Shared data + " in page and "disabled" in page  # no second start while it is queued
    status = client.get(f"/admin/training/status?run={run.id}").get_json()["run"]
    assert (status["state"], status["progress"], status["site"]) == ("queued", 0.0, site.name)


def test_a_second_start_is_refused_naming_whose_run_it_is_and_keeps_the_choice(app, admin, sign_in, site):
    """An admin's walk: two admins pressed at once, and the loser read "another training run was started"
    (whose? on which data?) with her choice of site reset to the shared data."""
    client = sign_in(admin)
    _post(client, "/admin/training")
    page = _page_after(client, "/admin/training")
    assert (f"training run #1 (user:{admin.username}, on the shared data only) is still queued; wait for it or "
            "cancel it first") in page
    refused = _post(client, "/admin/training", site_id=str(site.id))  # refused too (no labels of its own yet)
    assert refused.headers["Location"].endswith(f"/admin/training?site={site.id}")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert f'<option value="{site.id}" selected>' in page
    with app.app_context():
        assert db.session.query(TrainingRun).count() == 1


def test_cancelling_a_queued_run_frees_the_button(app, admin, sign_in):
    client = sign_in(admin)
    _post(client, "/admin/training")
    page = _page_after(client, "/admin/training/1/cancel")
    assert "Training run #1 cancelled." in page and "Cancel run" not in page
    page = _page_after(client, "/admin/training/1/cancel")
    assert "training run #1 already cancelled" in page


def test_an_unknown_site_is_a_form_error_not_a_500(app, admin, sign_in):
    client = sign_in(admin)
    for bad in ("abc", "999"):
        page = _page_after(client, "/admin/training", site_id=bad)
        assert "flash-error" in page
    _assert_no_runs(app)


def _started_run_page(app, client, **fields: str) -> str:
    """The training page once a run is started and has reached `fields` (its log, stage, state)."""
    _post(client, "/admin/training")
    with app.app_context():
        run = db.session.scalar(select(TrainingRun))
        for name, value in fields.items():
            setattr(run, name, value)
        db.session.commit()
    return client.get("/admin/training").get_data(as_text=True)


def test_the_log_is_escaped(app, admin, sign_in):
    page = _started_run_page(app, sign_in(admin), log="<script>alert(1)</script>\n")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_run_the_task_queue_cannot_take_fails_at_once_and_says_so(app, app_with, admin, sign_in):
    # Nothing listens on port 1: the broker is down as the admin starts a run.
    client = sign_in(admin, app_with(REDIS_URL="redis://127.0.0.1:1/0").test_client())
    page = _page_after(client, "/admin/training")
    assert "Could not reach the task queue (Redis): the run was not started." in page
    with app.app_context():
        run = db.session.scalar(select(TrainingRun))
        assert run.state == "failed", "a run nobody will ever train must not block the next start"


def test_a_run_for_a_site_without_decisions_is_refused_on_the_page(app, admin, site, sign_in):
    client = sign_in(admin)
    page = _page_after(client, "/admin/training", site_id=str(site.id))
    assert "daily-planet has 0 labelled comments of its own; training with its own labels needs at least 20" in page
    _assert_no_runs(app)


def test_a_runs_stage_is_told_in_words(app, admin, sign_in):
    from moderation.domain.training_runs import run_summary

    page = _started_run_page(app, sign_in(admin), stage="fit heads", state="running")
    with app.app_context():
        run = db.session.scalar(select(TrainingRun))
        assert run_summary(run)["stage_words"] == "learning each attribute: the longest step"
    assert "learning each attribute: the longest step" in page


def test_a_finished_run_links_its_version_and_the_next_steps(app, admin, sign_in, tmp_path):
    """An admin's walk: the new version was plain text, a dead end; `training run` prints the next steps."""
    from model_variants import model_variant

    from moderation.domain.model_registry import register_artifact

    client = sign_in(admin)
    _post(client, "/admin/training")
    with app.app_context():
        row = register_artifact(db.session, model_variant(tmp_path, "trained-k"), var_dir=app.config["VAR_DIR"],
                                actor=None)
        run = db.session.scalar(select(TrainingRun))
        run.state, run.version_id = "succeeded", row.id
        db.session.commit()
        version_id, version = row.id, row.version
    page = client.get("/admin/training").get_data(as_text=True)
    assert f'<a href="/admin/models/{version_id}/card"><code>{version}</code></a>' in page
    assert f'href="/admin/backtest?candidate={version}' in page and ">backtest it</a>" in page


def test_a_run_whose_process_died_shows_as_failed_when_the_page_or_its_poll_looks(app, admin, sign_in):
    """An admin's walk: a foreground `training run` killed at 25% showed "running 25%" for minutes,
    Train a candidate greyed out, until someone pressed Cancel."""
    from moderation.domain import training_runs as runs

    with app.app_context():
        run = runs.start_run(db.session, by="cli:root")
        run.state, run.progress, run.stage = "running", 0.25, "heads"  # nothing holds its lock: the process is gone
        db.session.commit()
        run_id = run.id
    client = sign_in(admin)
    polled = client.get(f"/admin/training/status?run={run_id}").get_json()["run"]
    assert polled["state"] == "failed"
    page = client.get("/admin/training").get_data(as_text=True)
    assert "the process training it stopped" in page
    with app.app_context():
        assert db.session.get(TrainingRun, run_id).state == "failed"


def test_a_running_runs_time_so_far_is_shown_after_a_reload(app, admin, sign_in, monkeypatch):
    """A data scientist's walk: the Took column of a running run said "—" once the page was reloaded."""
    import re
    from datetime import datetime, timedelta, timezone

    from moderation.domain import training_runs

    monkeypatch.setattr(training_runs, "fail_interrupted_runs", lambda session: 0)  # its trainer lives

    page = _started_run_page(app, sign_in(admin), state="running",
                             started_at=datetime.now(timezone.utc) - timedelta(seconds=95), finished_at=None)
    took = re.search(r'data-run-took-of="\d+">([^<]*)</td>', page).group(1)
    assert re.fullmatch(r"9[5-9] s so far", took), took
