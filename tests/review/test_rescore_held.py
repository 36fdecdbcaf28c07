"""Held comments scored again by the version in force after a promotion: the queue had kept the old
version's scores and order, and the thresholds page could offer none of them for publishing."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from review_helpers import csrf_token
from sqlalchemy import select, text

from moderation import db
from moderation.admin import held_rescore as rescore_pages
from moderation.domain import held_rescoring
from moderation.domain.claims import claim
from moderation.domain.lifecycle import now
from moderation.domain.rescore_jobs import RESCORE_TASK, read_job, run_job
from moderation.domain.threshold_release import releasable
from moderation.model_provider import FixedModels
from moderation.models import AuditEntry, Comment, Site, User, WebhookDelivery

OLD, NEW = "test-model-1", "test-model-2"
CIVIL = "That is a silly take on the bridge."
INSULT = "You absolute idiot, read the plans."


class VersionTwo:
    """The promoted version: finds the silly take civil, and the idiot an insult as well as toxic."""
    version = NEW
    attributes = ("toxicity", "insult")
    thresholds = {"toxicity": 0.5, "insult": 0.5}
    card: dict = {}

    def score(self, texts):
        return [{"toxicity": 0.93, "insult": 0.88} if "idiot" in t else {"toxicity": 0.2, "insult": 0.1} for t in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {a: [{"begin": 0, "end": 3, "score": 0.5, "text": text[:3]}] for a in attributes or ()}


@pytest.fixture
def promoted(app, make_site):
    app.extensions["models"] = FixedModels(VersionTwo())
    return make_site("promoted-gazette", webhook_url="https://hooks.promoted-gazette.example/moderation")


def _held_by_old(make_comment, site, text_, **fields):
    values = dict(scores={"toxicity": 0.62, "insult": 0.58}, flagged=["toxicity", "insult"], model_version=OLD,
                  priority=1.24)
    return make_comment(site.id, text_, **{**values, **fields})


def _rescore(app, site_id):
    with app.app_context():
        result = held_rescoring.rescore_held(db.session, db.session.get(Site, site_id), VersionTwo(), actor="user:ada")
    return result


def test_held_comments_are_scored_again_by_the_promoted_version_and_stay_held(app, promoted, make_comment, admin):
    civil = _held_by_old(make_comment, promoted, CIVIL)
    insult = _held_by_old(make_comment, promoted, INSULT, scores={"toxicity": 0.71, "insult": 0.3}, flagged=["toxicity"],
                          priority=1.42)
    claimed = _held_by_old(make_comment, promoted, "A silly take a moderator is reading.")
    # A reader's report, below the site's threshold: left to the moderator who answers it, as it was.
    reported = _held_by_old(make_comment, promoted, "A silly take someone reported.", report_weight=1.0)
    ruled = _held_by_old(make_comment, promoted, "A silly take a rule holds.",
                         rule_hits=[{"rule": "links", "action": "hold", "reason": "a link"}])
    current = _held_by_old(make_comment, promoted, "Scored by the new one already.", model_version=NEW)
    with app.app_context():
        claim(db.session, claimed, db.session.get(User, admin.id), at=now(), lease=timedelta(minutes=5))
        db.session.commit()

    result = _rescore(app, promoted.id)

    assert (result.rescored, result.would_publish, result.held, result.left, result.more) == (2, 1, 1, 0, 0)
    with app.app_context():
        rows = {c: db.session.get(Comment, c) for c in (civil, insult, claimed, reported, ruled, current)}
        assert {c: row.status for c, row in rows.items()} == dict.fromkeys(rows, "held")
        assert (rows[civil].model_version, rows[civil].scores) == (NEW, {"toxicity": 0.2, "insult": 0.1})
        # Kept under the flags it waits for, at the bottom of the queue: the release section offers it.
        assert rows[civil].flagged == ["toxicity", "insult"] and rows[civil].priority == pytest.approx(0.4)
        assert (rows[insult].model_version, rows[insult].flagged) == (NEW, ["toxicity", "insult"])
        assert rows[insult].priority == pytest.approx(1.86) and rows[insult].explanations["insult"][0]["text"] == "You"
        for untouched in (claimed, reported, ruled):
            assert (rows[untouched].model_version, rows[untouched].scores) == (OLD, {"toxicity": 0.62, "insult": 0.58})
        assert db.session.scalars(select(WebhookDelivery)).all() == []  # nothing changed for the site
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescored")).all()
        assert entry.actor == "user:ada" and entry.details["version"] == NEW
        assert entry.details["from_versions"] == {OLD: 2} and entry.details["would_publish"] == 1
        found = releasable(db.session, db.session.get(Site, promoted.id), NEW, VersionTwo.attributes, VersionTwo.thresholds)
        assert [c.id for c in found.comments] == [civil]


def test_a_comment_decided_or_claimed_while_it_runs_is_left_as_the_moderator_left_it(
        app, promoted, make_comment, admin, monkeypatch):
    decided = _held_by_old(make_comment, promoted, "A silly take, rejected meanwhile.")
    opened = _held_by_old(make_comment, promoted, "A silly take, opened meanwhile.")
    scored = _held_by_old(make_comment, promoted, CIVIL)
    read = held_rescoring.rescorable

    def moderators_meanwhile(*args, **kwargs):
        found = read(*args, **kwargs)
        with db.session.get_bind().connect() as other:  # a moderator's requests, as they would commit
            other.execute(text("UPDATE comments SET status = 'rejected', version = version + 1 WHERE id = :id"),
                          {"id": decided})
            other.execute(text("INSERT INTO review_claims (comment_id, user_id, expires_at) "
                               "VALUES (:id, :user, now() + interval '5 minutes')"), {"id": opened, "user": admin.id})
            other.commit()
        return found

    monkeypatch.setattr(held_rescoring, "rescorable", moderators_meanwhile)
    result = _rescore(app, promoted.id)

    assert (result.rescored, result.left) == (1, 2)
    with app.app_context():
        rows = {c: db.session.get(Comment, c) for c in (decided, opened, scored)}
        assert [(rows[c].status, rows[c].model_version) for c in (decided, opened, scored)] == [
            ("rejected", OLD), ("held", OLD), ("held", NEW)]


def test_the_thresholds_page_offers_admins_to_score_them_again_and_then_counts_them_as_the_new_versions(
        app, sign_in, admin, make_site_admin, promoted, make_comment, monkeypatch):
    civil = _held_by_old(make_comment, promoted, CIVIL)
    _held_by_old(make_comment, promoted, INSULT)
    sent = []
    monkeypatch.setattr(rescore_pages, "send_task", lambda session, name, args: sent.append((name, args)) or True)
    site_admin = sign_in(make_site_admin("sadie", sites=[promoted]))
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    action = f"/admin/sites/{promoted.id}/thresholds/rescore-held"

    assert "Score these 2 again with test-model-2" in page
    assert "nothing scores held comments again" not in page
    assert "a held comment keeps the scores it had until it is scored again here" in page
    shown_to_site_admin = site_admin.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    assert "Score these" not in shown_to_site_admin and "An admin can have these 2 scored again" in shown_to_site_admin
    assert site_admin.post(action, data={"csrf_token": csrf_token(shown_to_site_admin)}).status_code == 403
    assert client.post(action, data={"version": NEW}).status_code == 400  # no CSRF token
    assert sent == []

    form = {"csrf_token": csrf_token(page), "version": NEW}
    first = client.post(action, data=form)
    again = client.get(client.post(action, data=form).headers["Location"]).get_data(as_text=True)  # a double click

    assert first.status_code == 303 and sent == [(RESCORE_TASK, [promoted.id])]
    assert "being scored again already (started by ada)" in again
    assert "Waiting for a worker to score 2 held comments again" in again and "Score these" not in again
    with app.app_context():  # the worker's part
        store = rescore_pages._store()
        job = run_job(db.session, store, promoted.id, model_for=lambda _: VersionTwo())
        assert job["state"] == "done" and read_job(store, promoted.id)["result"]["rescored"] == 2
    after = " ".join(client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())
    assert "ada had 2 held comments scored again with <code>test-model-2</code>" in after
    assert "1 held comment would be published under the thresholds in force now" in after
    assert re.search(r'name="ids" value="([^"]*)"', after).group(1) == str(civil)
    assert "Score these" not in after
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "promoted-gazette: 2 held comments scored again with test-model-2, all still held (1 it would publish)" in log


def test_a_page_drawn_before_another_promotion_scores_nothing(app, sign_in, admin, promoted, make_comment, monkeypatch):
    _held_by_old(make_comment, promoted, CIVIL)
    monkeypatch.setattr(rescore_pages, "send_task", lambda *args: pytest.fail("no task for another version's count"))
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    response = client.post(f"/admin/sites/{promoted.id}/thresholds/rescore-held",
                           data={"csrf_token": csrf_token(page), "version": "test-model-0"})
    assert "the version in force for promoted-gazette is now test-model-2, not test-model-0" in \
        client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_command_scores_them_again_with_the_version_in_force(app, shell, site, make_comment):
    from classifiers import DEFAULT_MODEL_PATH
    from moderation.domain.model_registry import ensure_bootstrapped

    with app.app_context():
        shipped = ensure_bootstrapped(db.session, var_dir=app.config["VAR_DIR"], model_path=DEFAULT_MODEL_PATH).version
        db.session.commit()
    held = make_comment(site.id, "You are an idiot and your article is garbage.", model_version="2025.01.01-old")

    assert "Score a site's held comments again" in shell("models", "rescore-held", "--help").output
    output = shell("models", "rescore-held", "--site", site.name).output

    assert f"scored 1 held comment again with {shipped} (scored before by 2025.01.01-old: 1)" in output
    with app.app_context():
        row = db.session.get(Comment, held)
        assert (row.status, row.model_version) == ("held", shipped)
        assert row.scores != {"toxicity": 0.91, "severe_toxicity": 0.12, "insult": 0.88, "identity_attack": 0.03,
                              "profanity": 0.20, "threat": 0.01}
    assert "nothing to score again" in shell("models", "rescore-held", "--site", site.name).output


def test_the_worker_task_runs_the_pages_job_and_frees_the_site_for_the_next_click(app, promoted, make_comment):
    from moderation.domain.rescore_jobs import start_job
    from workers.rescore_tasks import rescore_held_comments

    held = _held_by_old(make_comment, promoted, CIVIL)
    with app.app_context():
        store = rescore_pages._store()
        start_job(store, site=db.session.get(Site, promoted.id), version=NEW, count=1, by="user:ada")

    assert rescore_held_comments.apply(args=[promoted.id]).get() == "done"
    with app.app_context():
        assert db.session.get(Comment, held).model_version == NEW
        start_job(rescore_pages._store(), site=db.session.get(Site, promoted.id), version=NEW, count=0, by="user:ada")


def test_a_run_scores_the_newest_up_to_its_cap_and_says_how_many_wait(app, promoted, make_comment):
    older = _held_by_old(make_comment, promoted, CIVIL)
    newer = _held_by_old(make_comment, promoted, INSULT)
    with app.app_context():
        site = db.session.get(Site, promoted.id)
        result = held_rescoring.rescore_held(db.session, site, VersionTwo(), actor="user:ada", limit=1)
        assert (result.rescored, result.more) == (1, 1)
        assert [db.session.get(Comment, c).model_version for c in (older, newer)] == [OLD, NEW]
        assert held_rescoring.rescorable(db.session, site, NEW, VersionTwo.attributes).total == 1
