"""A real worker scores with the live model and, alongside, with a shadow model whose rows stay apart."""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from classifiers import DEFAULT_MODEL_PATH, load_model
from classifiers.model import card_path_for
from moderation import db
from moderation.models import Comment, ShadowScore

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model at models/civility.skops"),
]

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
REPO = Path(__file__).resolve().parents[2]
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."


def trigger_happy_variant(directory: Path) -> Path:
    """The shipped weights with a card whose toxicity threshold is 1e-9: a new version that holds everything."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "trigger-happy.skops"
    shutil.copyfile(DEFAULT_MODEL_PATH, path)
    card = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    card.update(name="trigger-happy", thresholds={**card["thresholds"], "toxicity": 1e-9})
    card_path_for(path).write_text(json.dumps(card, indent=2, sort_keys=True) + "\n")
    return path


def wait_for(check, timeout: float):
    deadline = time.monotonic() + timeout
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_shadow_model_scores_alongside_the_live_one_without_changing_a_status(app, client, site, start_worker,
                                                                               tmp_path):
    shadow_path = trigger_happy_variant(tmp_path / "models")
    shadow_version, live_version = load_model(shadow_path).version, load_model(DEFAULT_MODEL_PATH).version
    assert shadow_version != live_version
    worker = start_worker(entry="shadow_worker_entry", SHADOW_MODEL_PATH=str(shadow_path),
                          PYTHONPATH=str(REPO / "tests" / "integration"))
    try:
        ids = []
        for n in range(10):
            body = {"id": f"c{n}", "story_id": "s", "author_id": f"a{n}", "text": ABUSIVE if n % 5 == 0 else f"{CIVIL} {n}"}
            response = client.post("/api/v1/comments", json=body, headers=site.headers)
            assert response.status_code == 202
            ids.append(response.get_json()["id"])

        def shadow_rows():
            with app.app_context():
                rows = db.session.scalars(select(ShadowScore)).all()
                return rows if len(rows) == len(ids) else None

        rows = wait_for(shadow_rows, timeout=30)
        assert rows, Path(worker.log_path).read_text()[-3000:]
    finally:
        worker.stop()
    with app.app_context():
        comments = {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(ids)))}
        assert {c.model_version for c in comments.values()} == {live_version}
        assert {c.status for i, c in comments.items()} == {"published", "held"}
        assert sum(c.status == "held" for c in comments.values()) == 2
        assert {r.version for r in rows} == {shadow_version} and {r.live_version for r in rows} == {live_version}
        assert {r.comment_id: r.live_status for r in rows} == {i: c.status for i, c in comments.items()}
        assert {r.would_be_status for r in rows} == {"held"}  # a toxicity threshold of 0 holds everything
        assert db.session.scalar(select(func.count()).select_from(ShadowScore)) == len(ids)  # once each
    assert "shadow scoring failed" not in Path(worker.log_path).read_text()


def test_the_registrys_shadow_scores_alongside_in_a_standard_worker(app, client, site, start_worker, tmp_path):
    """With the model registry (domain/model_registry.py): a version set to shadow there is picked
    up by an ordinary worker's model provider, no restart and no special entry module."""
    from moderation.domain import model_registry as registry  # an import error fails, not skips
    worker_log = tmp_path / "worker0.log"
    check_interval = 0.2  # how often the worker's provider re-reads the registry (MODEL_CHECK_INTERVAL)
    start_worker(MODEL_CHECK_INTERVAL=str(check_interval))
    with app.app_context():
        row = registry.register_artifact(db.session, trigger_happy_variant(tmp_path / "models"),
                                         var_dir=app.config["VAR_DIR"])
        registry.set_shadow(db.session, row.version, by="test")
        db.session.commit()
        shadow_version = row.version
    time.sleep(3 * check_interval)  # a worker notices at its next check, not the instant it is set
    ids = []
    for n in range(4):
        response = client.post("/api/v1/comments", headers=site.headers,
                               json={"id": f"r{n}", "story_id": "s", "author_id": "a", "text": f"{CIVIL} {n}"})
        ids.append(response.get_json()["id"])

    def shadow_rows():
        with app.app_context():
            rows = db.session.scalars(select(ShadowScore).where(ShadowScore.comment_id.in_(ids))).all()
            return rows if len(rows) == len(ids) else None

    try:
        rows = wait_for(shadow_rows, timeout=30)
    finally:
        with app.app_context():  # the registry outlives this test's tables: leave no shadow behind
            registry.set_shadow(db.session, None, by="test")
            db.session.commit()
    assert rows, worker_log.read_text()[-3000:]
    assert {(r.version, r.live_status, r.would_be_status) for r in rows} == {(shadow_version, "published", "held")}
    with app.app_context():
        assert {c.status for c in db.session.scalars(select(Comment).where(Comment.id.in_(ids)))} == {"published"}
