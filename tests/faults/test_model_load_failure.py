"""A model file that fails to load at start-up: the worker starts anyway and says why, the API
keeps accepting comments, nothing is scored by a half-loaded model, and once the file is fixed
and the worker restarted every comment is scored exactly once."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from moderation import db
from moderation.models import AuditEntry, WebhookDelivery
from invariants import Traffic, check_after_fault
from stack import REPO, Stack, wait_for

pytestmark = pytest.mark.faults

CIVIL = "Thank you for this careful reporting, I learned a lot about the council's budget."
ABUSIVE = "You are a worthless idiot and a stupid piece of shit, shut up."
GOOD_MODEL = REPO / "models" / "civility.skops"


def test_a_model_that_fails_to_load_scores_nothing_until_fixed_then_everything_once(
    stack: Stack, endpoint, record, tmp_path
):
    corrupt = tmp_path / "civility.skops"
    corrupt.write_bytes(GOOD_MODEL.read_bytes()[:4096])  # a copy cut short, as by a failed upload
    (tmp_path / "civility.card.json").write_bytes((REPO / "models" / "civility.card.json").read_bytes())
    app = stack.app()
    site = stack.make_site(app, "daily-planet", webhook_url=endpoint.url)
    endpoint.secret = site.webhook_secret
    sweep = dict(SWEEP_INTERVAL="1", PENDING_RESEND_AFTER="1")
    broken = stack.start_worker(tmp_path / "worker0.log", beat=True, MODEL_PATH=str(corrupt), **sweep)
    traffic = Traffic("model-load-failure")
    client = app.test_client()

    for i in range(40):
        assert traffic.post(client, site, str(i), f"{ABUSIVE if i % 4 == 0 else CIVIL} ({i})") == 202
    # The task for these posts and a sweep after them have both tried, and failed, to load the model.
    wait_for(lambda: broken.log().count("raised unexpected") >= 2, timeout=30, what="scoring to be tried")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == 0
        assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    assert endpoint.posts == []
    assert client.get(f"/api/v1/comments/{traffic.accepted[0]}", headers=site.headers).get_json()["status"] == "pending"
    broken.stop()

    fixed = stack.start_worker(tmp_path / "worker1.log", beat=True, MODEL_PATH=str(GOOD_MODEL), **sweep)
    check_after_fault(app, endpoint, traffic, logs=lambda: broken.log() + fixed.log(),
                      says=r"(?s)ERROR.*could not load the model at start.*not a readable skops artifact", record=record, timeout=60)
