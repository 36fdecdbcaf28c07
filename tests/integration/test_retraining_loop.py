"""The whole loop an admin runs, on real PostgreSQL, Redis and workers: moderators decide 300
comments by the site's own standard; the admin exports them, trains a candidate that includes
them, backtests it against the active model, runs it in shadow, promotes it, and rolls back. The
scoring worker is never restarted: the comment after each change records the version that
scored it."""
from __future__ import annotations

import csv
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from training_data import MIN_POSITIVES, write_training_csv

from classifiers import DEFAULT_MODEL_PATH
from moderation import db
from moderation.domain import model_registry as registry
from moderation.domain.backtest import backtest
from moderation.domain.decisions import decide
from moderation.domain.label_export import export_site_labels
from moderation.models import Comment, ModelVersion, ShadowScore, Site, User

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")]

CHECK_INTERVAL = 0.5
DECISIONS = 300
LATER = 40  # decided after the candidate was trained: what its backtest judges it on
# This site's community rejects "zorbo", a local insult no public dataset knows: only the site's
# own labels can teach it to a model.
INSULTS = ["you absolute zorbo", "typical zorbo nonsense", "only a zorbo would write this",
           "go away zorbo", "what a zorbo take"]
CIVIL = ["the bridge vote is on tuesday", "thanks for covering the library hours",
         "the bus timetable changed again", "good piece on the harbour cleanup",
         "I disagree with the council on parking"]


def _text(n: int) -> tuple[str, bool]:
    rejected = n % 2 == 0
    pool = INSULTS if rejected else CIVIL
    return f"{pool[n // 2 % len(pool)]} ({n})", rejected


def _post(client, site, external_id: str, text: str) -> int:
    response = client.post("/api/v1/comments", headers=site.headers,
                           json={"id": external_id, "story_id": "s-1", "author_id": f"a-{external_id}", "text": text})
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["id"]


def _wait(what: str, check, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"waited {timeout} s for {what}")


def _scored_by(app, comment_id: int) -> str:
    def version() -> str | None:
        with app.app_context():
            return db.session.scalar(select(Comment.model_version).where(Comment.id == comment_id))
    return _wait(f"comment {comment_id} to be scored", version, timeout=30)


def _decide(app, client, site, moderator_id: int, numbers: range) -> list[int]:
    """Post comments numbered `numbers`, wait for them to be scored, and decide each by the site's standard."""
    ids = [_post(client, site, f"c-{n}", _text(n)[0]) for n in numbers]
    for comment_id in ids:
        _scored_by(app, comment_id)
    with app.app_context():
        moderator = db.session.get(User, moderator_id)
        for n, comment_id in zip(numbers, ids):
            comment = db.session.get(Comment, comment_id)
            rejected = _text(n)[1]
            decide(db.session, comment_id, user=moderator, action="reject" if rejected else "approve",
                   reason="Personal attack or insult" if rejected else None, expected_version=comment.version)
    return ids


def _admin_post(client, page: str, path: str, **form: str):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)
    return client.post(path, data={"csrf_token": token, **form})


def _signed_in(app, user):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": user.username, "password": user.password,
                                       "csrf_token": token}).status_code == 302
    return client


def test_decisions_become_a_candidate_that_is_backtested_shadowed_promoted_and_rolled_back(
        app, client, site, make_moderator, admin, start_worker, tmp_path):
    shared = tmp_path / "shared"
    write_training_csv(shared)
    start_worker(MODEL_CHECK_INTERVAL=str(CHECK_INTERVAL))
    start_worker(queues="training", TRAINING_DATA_DIR=str(shared), TRAINING_MIN_POSITIVES=str(MIN_POSITIVES))
    mona = make_moderator("mona-retrain", [site])

    # Moderators decide 300 scored comments by the site's standard.
    ids = _decide(app, client, site, mona.id, range(DECISIONS))
    active = _scored_by(app, ids[0])

    # The admin allows text export and exports the site's labels in the shared data's schema.
    admin_client = _signed_in(app, admin)
    with app.app_context():
        db.session.get(Site, site.id).allow_text_export = True
        db.session.commit()
        summary = export_site_labels(db.session, db.session.get(Site, site.id), tmp_path / "labels.csv")
    with (tmp_path / "labels.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (shared / "tiny_train.csv").open(encoding="utf-8") as handle:
        assert list(rows[0]) == list(csv.DictReader(handle).fieldnames)
    assert summary.rows == len(rows) == DECISIONS
    assert sum(row["toxicity"] == "1" for row in rows) == DECISIONS // 2
    assert {row["source"] for row in rows} == {f"site:{site.name}"}

    # A candidate trained on the trainer's queue from the shared data plus the site's labels.
    assert _admin_post(admin_client, "/admin/training", "/admin/training", site_id=str(site.id)).status_code == 303
    run = _wait("the training run to end", lambda: (lambda r: r if not r["active"] else None)(
        admin_client.get("/admin/training/status").get_json()["run"]), timeout=300)
    assert run["state"] == "succeeded", run
    candidate = run["version"]
    with app.app_context():
        row = registry.get_version(db.session, candidate)
        assert row.status == "candidate"
        assert row.card["training_data"]["own_labels"][f"site:{site.name}"]["rows"] == DECISIONS


    # Backtest on the decisions made after it was trained: it learned what the active model cannot
    # know. The 300 it learnt from are left out, where it would score itself perfect.
    _decide(app, client, site, mona.id, range(DECISIONS, DECISIONS + LATER))
    with app.app_context():
        var_dir = Path(app.config["VAR_DIR"])
        result = backtest(db.session, db.session.get(Site, site.id), registry.load_version(row, var_dir),
                          registry.load_version(registry.active_version(db.session, site.id), var_dir),
                          limit=DECISIONS + LATER)
        assert (result.comments, result.rejected, result.left_out) == (LATER, LATER // 2, DECISIONS)
        assert result.active.version == active and result.candidate.version == candidate
        assert result.candidate.roc_auc > 0.95 > result.active.roc_auc, (result.candidate.roc_auc, result.active.roc_auc)

    # In shadow, the candidate scores live comments apart; statuses stay the active model's.
    assert _admin_post(admin_client, "/admin/models", "/admin/models/shadow", version=candidate).status_code == 303
    time.sleep(CHECK_INTERVAL * 2)
    shadowed = _post(client, site, "shadowed", "you absolute zorbo, again")
    assert _scored_by(app, shadowed) == active

    def shadow_row():
        with app.app_context():
            return db.session.scalars(select(ShadowScore).where(ShadowScore.comment_id == shadowed)).first()
    shadow = _wait("the shadow score", shadow_row, timeout=30)
    assert shadow.version == candidate and shadow.would_be_status == "held"
    with app.app_context():
        assert db.session.get(Comment, shadowed).status == shadow.live_status
    assert "would" in admin_client.get("/admin/shadow").get_data(as_text=True).lower()

    # Promoted: the next comment is scored by the candidate, with no restart of web or worker.
    assert _admin_post(admin_client, "/admin/models", "/admin/models/promote", version=candidate).status_code == 303
    time.sleep(CHECK_INTERVAL * 2)
    promoted = _post(client, site, "after-promotion", "you absolute zorbo, once more")
    assert _scored_by(app, promoted) == candidate
    with app.app_context():
        assert db.session.get(Comment, promoted).status == "held"

    # Rolled back in one action: the comment after that is scored by the old version again.
    assert _admin_post(admin_client, "/admin/models", "/admin/models/rollback").status_code == 303
    time.sleep(CHECK_INTERVAL * 2)
    assert _scored_by(app, _post(client, site, "after-rollback", "the bridge vote moved to friday")) == active
    with app.app_context():
        assert registry.active_version(db.session).version == active
        assert db.session.scalar(select(ModelVersion.status).where(ModelVersion.version == candidate)) != "active"
