"""Promote and roll back without a restart: a running worker scores the next comment with the
version an admin just made active, and every comment records the version that scored it."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from moderation.models import Comment, User

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")]

CHECK_INTERVAL = 0.5
TEXT = "You are a worthless idiot and a stupid piece of shit, shut up."


def post(client, site, external_id: str) -> int:
    body = {"id": external_id, "story_id": "s-1", "author_id": "reader-1", "text": f"{TEXT} ({external_id})"}
    response = client.post("/api/v1/comments", json=body, headers=site.headers)
    assert response.status_code == 202, response.get_data(as_text=True)
    return response.get_json()["id"]


# How long the worker may take to score a comment: well under a second on a quiet machine, or a
# few seconds when it first loads a newly promoted version, but a busy CI machine (three test
# processes on two cores) can stretch that many times over. A wait ends as soon as it is met.
SLOW_MACHINE = 60


def scored_by(app, comment_id: int, timeout: float = SLOW_MACHINE) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.app_context():
            version = db.session.scalar(select(Comment.model_version).where(Comment.id == comment_id))
        if version:
            return version
        time.sleep(0.05)
    raise AssertionError(f"comment {comment_id} was not scored in {timeout} s")


def change(app, action, *args, **kwargs) -> None:
    """An admin's registry change, then long enough for every process to have checked again."""
    with app.app_context():
        action(db.session, *args, **kwargs)
        db.session.commit()
    time.sleep(CHECK_INTERVAL * 1.5)


def test_a_running_worker_scores_with_each_promoted_version_and_goes_back_on_rollback(
        app, client, make_site, admin, start_worker, tmp_path):
    site, other = make_site("daily-planet"), make_site("evening-star")
    worker = start_worker(MODEL_CHECK_INTERVAL=str(CHECK_INTERVAL))
    pid = worker.proc.pid

    version_a = scored_by(app, post(client, site, "1"))
    with app.app_context():
        assert registry.active_version(db.session).version == version_a
        b = registry.register_artifact(db.session, model_variant(tmp_path, "candidate-b"),
                                       var_dir=app.config["VAR_DIR"], trained_by=admin.id)
        db.session.commit()
        version_b = b.version
    assert version_b != version_a

    by = lambda: db.session.get(User, admin.id)  # noqa: E731 - the admin, in the session of the change
    change(app, lambda s: registry.promote(s, version_b, by=by()))
    assert scored_by(app, post(client, site, "2")) == version_b
    assert scored_by(app, post(client, other, "2")) == version_b

    change(app, lambda s: registry.rollback(s, by=by()))
    assert scored_by(app, post(client, site, "3")) == version_a

    # A version for one site only: the other keeps the global one.
    change(app, lambda s: registry.promote(s, version_b, by=by(), site_id=site.id))
    assert scored_by(app, post(client, site, "4")) == version_b
    assert scored_by(app, post(client, other, "4")) == version_a

    assert worker.proc.pid == pid and worker.proc.poll() is None  # never restarted
    log = Path(worker.log_path).read_text()
    assert log.count(f"loaded model {version_b} in") == 1  # loaded once, kept while a site uses it
