"""Held comments scored again by the version in force after a promotion: the queue had kept the old
version's scores, and the thresholds page could offer none of them for publishing. The run stores
nothing on the comments (a re-check: storing the new scores on held comments left cards, the API,
the version-effect page and the drift check contradicting themselves); those the new version would
publish are offered, scored again and read again when an admin publishes them."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from review_helpers import csrf_token
from sqlalchemy import select, text

from moderation import db
from moderation.admin import held_rescore as rescore_pages
from moderation.domain import held_rescoring
from moderation.domain.claims import claim
from moderation.domain.errors import Conflict
from moderation.domain.lifecycle import now
from moderation.domain.rescore_jobs import RESCORE_TASK, read_job, run_job, start_job
from moderation.model_provider import FixedModels
from moderation.models import AuditEntry, Comment, Report, Site, User, WebhookDelivery

OLD, NEW = "test-model-1", "test-model-2"
CIVIL = "That is a silly take on the bridge."
INSULT = "You absolute idiot, read the plans."
STORED = ("status", "version", "scores", "model_version", "scored_at", "flagged", "priority", "scored_priority",
          "explanations")


class VersionTwo:
    """The promoted version: finds the silly take civil, and the idiot an insult as well as toxic;
    a text saying "poison" it scores NaN (a model failing on one comment)."""
    version = NEW
    attributes = ("toxicity", "insult")
    thresholds = {"toxicity": 0.5, "insult": 0.5}
    card: dict = {}

    def score(self, texts):
        return [{"toxicity": float("nan"), "insult": 0.1} if "poison" in t else
                {"toxicity": 0.93, "insult": 0.88} if "idiot" in t else {"toxicity": 0.2, "insult": 0.1} for t in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {a: [{"begin": 0, "end": 3, "score": 0.5, "text": text[:3]}] for a in attributes or ()}


@pytest.fixture
def promoted(app, make_site):
    app.extensions["models"] = FixedModels(VersionTwo())
    return make_site("promoted-gazette", webhook_url="https://hooks.promoted-gazette.example/moderation")


def _held_by_old(make_comment, site, text_, **fields):
    values = dict(scores={"toxicity": 0.62, "insult": 0.58}, flagged=["toxicity", "insult"], model_version=OLD,
                  priority=1.24, scored_at=datetime.now(timezone.utc) - timedelta(days=2))
    return make_comment(site.id, text_, **{**values, **fields})


def _stored(comment_ids):
    rows = {c: db.session.get(Comment, c) for c in comment_ids}
    return {c: tuple(getattr(row, name) for name in STORED) for c, row in rows.items()}


def _run(app, site_id, by="user:ada", model=None):
    """The page's click, then the worker's part: the finished job."""
    with app.app_context():
        store = rescore_pages._store()
        job = start_job(store, site=db.session.get(Site, site_id), version=NEW, count=1, by=by)
        return run_job(db.session, store, site_id, job["id"], model_for=lambda _: model or VersionTwo())


def _effect(site_id):
    from moderation.domain.version_effect import by_version, daily_shares

    return [(s.version, s.scored, s.flagged) for s in by_version(daily_shares(db.session)).get(site_id, [])]


def test_a_run_scores_them_again_and_stores_nothing_on_them(app, promoted, make_comment, admin):
    civil = _held_by_old(make_comment, promoted, CIVIL)
    insult = _held_by_old(make_comment, promoted, INSULT, scores={"toxicity": 0.71, "insult": 0.3}, flagged=["toxicity"])
    claimed = _held_by_old(make_comment, promoted, "A silly take a moderator is reading.")
    # A reader's report, below the site's threshold: left to the moderator who answers it, as it was.
    reported = _held_by_old(make_comment, promoted, "A silly take someone reported.", report_weight=1.0)
    ruled = _held_by_old(make_comment, promoted, "A silly take a rule holds.",
                         rule_hits=[{"rule": "links", "action": "hold", "reason": "a link"}])
    current = _held_by_old(make_comment, promoted, "Scored by the new one already.", model_version=NEW)
    everyone = (civil, insult, claimed, reported, ruled, current)
    with app.app_context():
        claim(db.session, claimed, db.session.get(User, admin.id), at=now(), lease=timedelta(minutes=5))
        db.session.commit()
        before, effect_before = _stored(everyone), _effect(promoted.id)

    job = _run(app, promoted.id)

    r = job["result"]
    assert (r["scored"], r["would_publish"], r["held"], r["failed"], r["left"], r["more"]) == (2, 1, 1, 0, 0, 0)
    assert [(e[0], e[2], e[3]) for e in job["comments"]] == [
        (insult, "held", {"toxicity": 0.93, "insult": 0.88}), (civil, "publish", {"toxicity": 0.2, "insult": 0.1})]
    with app.app_context():
        # Scores, version, scored_at, flags, highlights and place in the queue: as they were, every one.
        assert _stored(everyone) == before
        assert _effect(promoted.id) == effect_before  # /admin/models/effect reads no "scored today" by NEW
        assert db.session.scalars(select(WebhookDelivery)).all() == []
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescored")).all()
        assert entry.actor == "user:ada" and entry.details["version"] == NEW
        assert entry.details["from_versions"] == {OLD: 2} and entry.details["would_publish"] == 1
        assert "comments" not in entry.details


def test_the_version_effect_page_is_the_same_after_a_run(app, promoted, make_comment, admin, sign_in):
    for i in range(3):
        _held_by_old(make_comment, promoted, f"silly take {i}")
    ada = sign_in(admin)

    def effect_rows():
        page = ada.get("/admin/models/effect").get_data(as_text=True)
        return re.findall(r"<tr>.*?</tr>", " ".join(page.split()))

    before = effect_rows()
    assert _run(app, promoted.id)["result"]["would_publish"] == 3
    assert effect_rows() == before


def test_a_comment_the_model_fails_on_is_counted_and_skipped(app, promoted, make_comment):
    """NaN for one comment had failed every run, for good, with the page saying "press again"."""
    poison = _held_by_old(make_comment, promoted, "poison text")
    others = [_held_by_old(make_comment, promoted, f"Silly take number {i}") for i in range(3)]

    job = _run(app, promoted.id)

    assert job["state"] == "done"
    r = job["result"]
    assert (r["scored"], r["failed"], r["would_publish"]) == (3, 1, 3)
    assert [e[0] for e in job["comments"] if e[2] == "failed"] == [poison]
    assert sorted(job_id for job_id in {e[0] for e in job["comments"] if e[2] == "publish"}) == sorted(others)


def test_a_run_stopped_part_way_is_audited_with_what_it_did(app, promoted, make_comment):
    for i in range(3):
        _held_by_old(make_comment, promoted, f"Silly take number {i}")

    def interrupted(done, total, _scored):
        raise KeyboardInterrupt  # Ctrl-C on the command after the first batch

    with app.app_context():
        with pytest.raises(KeyboardInterrupt):
            held_rescoring.score_held(db.session, db.session.get(Site, promoted.id), VersionTwo(), actor="cli:root",
                                      batch_size=1, progress=interrupted)
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescored")).all()
        assert (entry.details["scored"], entry.details["more"], entry.details["stopped"]) == (1, 2, "KeyboardInterrupt")


def test_admins_publish_what_the_run_found_each_scored_again_and_audited(
        app, sign_in, admin, make_site_admin, promoted, make_comment, monkeypatch):
    civil = _held_by_old(make_comment, promoted, CIVIL)
    insult = _held_by_old(make_comment, promoted, INSULT)
    sent = []
    monkeypatch.setattr(rescore_pages, "send_task", lambda session, name, args: sent.append((name, args)) or True)
    site_admin = sign_in(make_site_admin("sadie", sites=[promoted]))
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    action = f"/admin/sites/{promoted.id}/thresholds/rescore-held"

    assert "Score these 2 again with test-model-2" in page
    shown_to_site_admin = site_admin.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    assert "Score these" not in shown_to_site_admin and "An admin can have these 2 scored again" in shown_to_site_admin
    assert site_admin.post(action, data={"csrf_token": csrf_token(shown_to_site_admin)}).status_code == 403
    assert client.post(action, data={"version": NEW}).status_code == 400  # no CSRF token
    assert sent == []

    form = {"csrf_token": csrf_token(page), "version": NEW}
    first = client.post(action, data=form)
    again = client.get(client.post(action, data=form).headers["Location"]).get_data(as_text=True)  # a double click

    assert first.status_code == 303 and len(sent) == 1 and sent[0][0] == RESCORE_TASK
    assert "being scored again already (started by ada)" in again
    assert "Waiting for a worker to score 2 held comments again" in again and "Score these" not in again
    with app.app_context():  # the worker's part
        store = rescore_pages._store()
        job = run_job(db.session, store, *sent[0][1], model_for=lambda _: VersionTwo())
        assert job["state"] == "done" and read_job(store, promoted.id)["result"]["scored"] == 2
    after = " ".join(client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())
    assert "ada had 2 held comments scored again with <code>test-model-2</code>" in after
    assert "1 of the held comments test-model-1 scored, test-model-2 would publish under the thresholds in force" in after
    assert ("The queue keeps <code>test-model-1</code>'s scores and order for the 1 the new version still holds; "
            "a moderator decides them") in after
    publish_form = re.search(r'<form[^>]*id="rescored-publish".*?</form>', after).group(0)
    assert re.search(r'name="ids" value="([^"]*)"', publish_form).group(1) == str(civil)
    assert "Publish this held comment" in publish_form
    seen_by_site_admin = " ".join(site_admin.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())
    assert "test-model-2 would publish" in seen_by_site_admin and "Publish this held comment" not in seen_by_site_admin
    publish = f"/admin/sites/{promoted.id}/thresholds/publish-rescored"
    fields = dict(re.findall(r'name="(version|job|ids)" value="([^"]*)"', publish_form))
    assert site_admin.post(publish, data={**fields, "csrf_token": csrf_token(seen_by_site_admin)}).status_code == 403
    assert client.post(publish, data=fields).status_code == 400  # no CSRF token

    published = client.post(publish, data={**fields, "csrf_token": csrf_token(after)})

    assert "Published 1 held comment test-model-2 would publish" in client.get(published.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        row = db.session.get(Comment, civil)
        assert (row.status, row.model_version, row.scores, row.flagged, row.explanations) == (
            "published", NEW, {"toxicity": 0.2, "insult": 0.1}, [], None)
        assert db.session.get(Comment, insult).model_version == OLD  # still held, as it was
        [delivery] = db.session.scalars(select(WebhookDelivery)).all()
        assert delivery.comment_id == civil
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == civil)).all()
        assert entry.actor == "user:ada" and entry.details["model_version"] == NEW
        assert entry.details["held_by_version"] == OLD and entry.details["thresholds"] == {"toxicity": 0.5, "insult": 0.5}
    log = client.get("/admin/audit").get_data(as_text=True)
    assert "promoted-gazette: 2 held comments scored again with test-model-2, nothing stored (1 it would publish)" in log
    assert "held before by version" in log  # the published comment's entry names the version that had held it


def test_publishing_leaves_alone_what_was_decided_edited_reported_or_claimed_since_the_run(
        app, promoted, make_comment, admin):
    decided, edited, reported, opened, kept = (
        _held_by_old(make_comment, promoted, f"A silly take, {what}.")
        for what in ("rejected meanwhile", "edited meanwhile", "reported meanwhile", "opened meanwhile", "left alone"))
    job = _run(app, promoted.id)
    assert job["result"]["would_publish"] == 5
    with app.app_context():
        site = db.session.get(Site, promoted.id)
        db.session.execute(text("UPDATE comments SET status = 'rejected', version = version + 1 WHERE id = :id"),
                           {"id": decided})
        db.session.execute(text("UPDATE comments SET text = 'A silly take, now an idiot one.', version = version + 1 "
                                "WHERE id = :id"), {"id": edited})
        db.session.add(Report(comment_id=reported, reporter_id="r9", reason="uncivil", weight=1.0))
        db.session.get(Comment, reported).report_weight = 1.0  # as filing one sets it
        claim(db.session, opened, db.session.get(User, admin.id), at=now(), lease=timedelta(minutes=5))
        db.session.commit()
        before = _stored((decided, edited, reported, opened))

        deliveries = held_rescoring.publish_scored(db.session, site, VersionTwo(), {e[0]: e[1] for e in job["comments"]},
                                                   run_version=NEW, actor="user:ada")
        db.session.commit()

        assert [d.comment_id for d in deliveries if d is not None] == [kept]
        assert _stored((decided, edited, reported, opened)) == before
        assert db.session.get(Comment, kept).status == "published"


def test_publishing_refuses_when_another_version_is_in_force_since_the_run(app, promoted, make_comment):
    civil = _held_by_old(make_comment, promoted, CIVIL)
    job = _run(app, promoted.id)

    class VersionThree(VersionTwo):
        version = "test-model-3"

    with app.app_context():
        with pytest.raises(Conflict, match="now test-model-3, not test-model-2"):
            held_rescoring.publish_scored(db.session, db.session.get(Site, promoted.id), VersionThree(),
                                          {civil: job["comments"][0][1]}, run_version=NEW, actor="user:ada")
        assert db.session.get(Comment, civil).status == "held"


def test_publishing_reads_the_new_scores_against_a_strict_story(app, promoted, make_comment):
    """Scored again when published: a story made strict since the run (half thresholds) keeps 0.3 held."""
    from moderation.domain.stories import set_story

    class Middling(VersionTwo):
        def score(self, texts):
            return [{"toxicity": 0.3, "insult": 0.1} for _ in texts]

    civil = _held_by_old(make_comment, promoted, CIVIL)
    job = _run(app, promoted.id, model=Middling())
    assert job["result"]["would_publish"] == 1
    with app.app_context():
        set_story(db.session, db.session.get(Site, promoted.id), "story-1", closed=False, premoderated=False,
                  strict=True, actor="user:ada")
        db.session.commit()
        assert held_rescoring.publish_scored(db.session, db.session.get(Site, promoted.id), Middling(),
                                             {civil: job["comments"][0][1]}, run_version=NEW, actor="user:ada") == []


def test_a_run_reads_a_strict_storys_thresholds(app, promoted, make_comment):
    from moderation.domain.stories import set_story

    class Middling(VersionTwo):
        def score(self, texts):
            return [{"toxicity": 0.3, "insult": 0.1} for _ in texts]

    with app.app_context():
        set_story(db.session, db.session.get(Site, promoted.id), "story-1", closed=False, premoderated=False,
                  strict=True, actor="user:ada")
        db.session.commit()
    _held_by_old(make_comment, promoted, CIVIL)  # on story-1: held at 0.25
    _held_by_old(make_comment, promoted, CIVIL, story_id="story-2")

    r = _run(app, promoted.id, model=Middling())["result"]
    assert (r["would_publish"], r["held"]) == (1, 1)


def test_a_page_drawn_before_another_promotion_scores_nothing(app, sign_in, admin, promoted, make_comment, monkeypatch):
    _held_by_old(make_comment, promoted, CIVIL)
    monkeypatch.setattr(rescore_pages, "send_task", lambda *args: pytest.fail("no task for another version's count"))
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True)
    response = client.post(f"/admin/sites/{promoted.id}/thresholds/rescore-held",
                           data={"csrf_token": csrf_token(page), "version": "test-model-0"})
    assert "the version in force for promoted-gazette is now test-model-2, not test-model-0" in \
        client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_deactivated_site_is_offered_no_button(app, sign_in, admin, promoted, make_comment):
    _held_by_old(make_comment, promoted, CIVIL)
    _run(app, promoted.id)
    with app.app_context():
        db.session.get(Site, promoted.id).active = False
        db.session.commit()
    page = " ".join(sign_in(admin).get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())
    assert "Publish this held comment" not in page and "Score this one again" not in page
    assert "promoted-gazette is deactivated: reactivate it to publish these" in page


def test_held_comments_flagged_for_a_head_the_new_version_lacks_are_counted(app, sign_in, admin, make_site, make_comment):
    class OneHead(VersionTwo):
        attributes = ("toxicity",)
        thresholds = {"toxicity": 0.5}

    app.extensions["models"] = FixedModels(OneHead())
    site = make_site("one-head-gazette")
    _held_by_old(make_comment, site, "a", flagged=["toxicity", "insult"])
    _held_by_old(make_comment, site, "b", flagged=["toxicity"])
    _held_by_old(make_comment, site, "c", flagged=["insult"])
    page = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    assert ("2 held comments another version flagged for an attribute <code>test-model-2</code> does not score "
            "(insult: 2) are not scored again") in page
    assert "Score this one again with test-model-2" in page


def test_the_command_takes_the_pages_lock_and_publishes_on_request(app, shell, promoted, make_comment, monkeypatch):
    import moderation.scorer

    monkeypatch.setattr(moderation.scorer, "get_provider", lambda app=None: FixedModels(VersionTwo()))
    civil = _held_by_old(make_comment, promoted, CIVIL)
    _held_by_old(make_comment, promoted, INSULT)
    with app.app_context():
        store = rescore_pages._store()
        job = start_job(store, site=db.session.get(Site, promoted.id), version=NEW, count=2, by="user:ada")

    refused = shell("models", "rescore-held", "--site", promoted.name, ok=False)
    assert "being scored again already (started by ada)" in refused.output
    with app.app_context():
        store.delete(f"held-rescore:{promoted.id}:running")  # the page's run ended
        assert db.session.get(Comment, civil).model_version == OLD

    assert "--publish" in shell("models", "rescore-held", "--help").output
    counted = shell("models", "rescore-held", "--site", promoted.name).output
    assert "scored 2 held comments again with test-model-2 (scored before by test-model-1: 2); nothing is stored" in counted
    assert "1 would be published by the thresholds in force" in counted
    with app.app_context():
        assert db.session.get(Comment, civil).model_version == OLD
        assert read_job(store, promoted.id)["by"].startswith("cli:")  # the page's last run is the command's
    shell("models", "rescore-held", "--site", promoted.name, "--publish", input="n\n", ok=False)
    with app.app_context():
        assert db.session.get(Comment, civil).status == "held"
    published = shell("models", "rescore-held", "--site", promoted.name, "--publish", "--yes").output
    assert "published 1 held comment" in published
    with app.app_context():
        assert (db.session.get(Comment, civil).status, db.session.get(Comment, civil).model_version) == ("published", NEW)


def test_the_command_with_the_shipped_model_counts_and_stores_nothing(app, shell, site, make_comment):
    from classifiers import DEFAULT_MODEL_PATH
    from moderation.domain.model_registry import ensure_bootstrapped

    with app.app_context():
        shipped = ensure_bootstrapped(db.session, var_dir=app.config["VAR_DIR"], model_path=DEFAULT_MODEL_PATH).version
        db.session.commit()
    held = make_comment(site.id, "You are an idiot and your article is garbage.", model_version="2025.01.01-old")
    with app.app_context():
        before = _stored([held])

    output = shell("models", "rescore-held", "--site", site.name).output

    assert f"scored 1 held comment again with {shipped} (scored before by 2025.01.01-old: 1); nothing is stored" in output
    with app.app_context():
        assert _stored([held]) == before


def test_a_run_replaced_after_its_lock_expired_neither_runs_nor_frees_the_new_ones_lock(app, promoted, make_comment):
    """A task that waited past its lock: a second click's run replaces it; the first, taken late, does nothing."""
    _held_by_old(make_comment, promoted, CIVIL)
    with app.app_context():
        store = rescore_pages._store()
        site = db.session.get(Site, promoted.id)
        first = start_job(store, site=site, version=NEW, count=1, by="user:ada")
        store.delete(f"held-rescore:{promoted.id}:running")  # expired, as its TTL would
        assert read_job(store, promoted.id)["stale"]
        second = start_job(store, site=site, version=NEW, count=1, by="user:bob")

        assert run_job(db.session, store, promoted.id, first["id"], model_for=lambda _: VersionTwo())["state"] == "superseded"
        assert read_job(store, promoted.id)["id"] == second["id"]
        assert store.get(f"held-rescore:{promoted.id}:running").decode().startswith(second["id"])
        assert run_job(db.session, store, promoted.id, second["id"], model_for=lambda _: VersionTwo())["state"] == "done"
        assert store.get(f"held-rescore:{promoted.id}:running") is None


def test_a_redis_error_on_a_progress_line_does_not_stop_the_run(app, promoted, make_comment):
    import redis as redis_lib

    for i in range(3):
        _held_by_old(make_comment, promoted, f"silly take {i}")

    class Flaky:
        def __init__(self, real):
            self.real, self.writes = real, 0

        def set(self, *args, **kwargs):
            self.writes += 1
            if self.writes in (4, 5):  # the progress line after the first batch, and the first try of the result
                raise redis_lib.ConnectionError("Redis went away for a moment")
            return self.real.set(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.real, name)

    with app.app_context():
        real = rescore_pages._store()
        job = start_job(real, site=db.session.get(Site, promoted.id), version=NEW, count=3, by="user:ada")
        run_job(db.session, Flaky(real), promoted.id, job["id"], model_for=lambda _: VersionTwo())
        assert read_job(real, promoted.id)["state"] == "done"
        assert real.get(f"held-rescore:{promoted.id}:running") is None


def test_a_record_of_the_release_before_is_not_read_as_this_ones(app, promoted):
    """It had stored on the comments, and its counts were named otherwise: the page would have misread them."""
    import json

    with app.app_context():
        store = rescore_pages._store()
        store.set(f"held-rescore:{promoted.id}", json.dumps({"state": "done", "result": {"rescored": 5}, "created": 0}))
        assert read_job(store, promoted.id) is None


def test_the_task_goes_to_the_trainers_queue_not_behind_scoring(app):
    celery = app.extensions["celery"]
    assert celery.conf.task_routes[RESCORE_TASK] == {"queue": "training"}


def test_the_worker_task_runs_the_pages_job_and_frees_the_site_for_the_next_click(app, promoted, make_comment):
    from workers.rescore_tasks import rescore_held_comments

    _held_by_old(make_comment, promoted, CIVIL)
    with app.app_context():
        store = rescore_pages._store()
        job = start_job(store, site=db.session.get(Site, promoted.id), version=NEW, count=1, by="user:ada")

    assert rescore_held_comments.apply(args=[promoted.id, job["id"]]).get() == "done"
    with app.app_context():
        assert read_job(store, promoted.id)["result"]["would_publish"] == 1
        start_job(rescore_pages._store(), site=db.session.get(Site, promoted.id), version=NEW, count=0, by="user:ada")


def test_the_next_run_scores_the_next_ones_and_the_page_still_offers_the_first_runs(
        app, sign_in, admin, promoted, make_comment, monkeypatch):
    """Nothing stored on the comments: the same newest ones had been scored run after run."""
    import functools

    from moderation.domain import rescore_jobs

    older = _held_by_old(make_comment, promoted, CIVIL)
    newer = _held_by_old(make_comment, promoted, "Another silly take on the tolls.")
    monkeypatch.setattr(rescore_jobs, "score_held", functools.partial(held_rescoring.score_held, limit=1))
    client = sign_in(admin)

    first = _run(app, promoted.id)
    page = " ".join(client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())
    assert [e[0] for e in first["comments"]] == [newer] and first["result"]["more"] == 1
    assert "Score this one again with test-model-2" in page  # the older one, not the same again
    second = _run(app, promoted.id)
    page = " ".join(client.get(f"/admin/sites/{promoted.id}/thresholds").get_data(as_text=True).split())

    assert [e[0] for e in second["comments"]] == [older] and second["result"]["more"] == 0
    assert "2 of the held comments test-model-1 scored, test-model-2 would publish" in page
    assert "Score this one again" not in page and "Score these" not in page


def test_a_run_scores_the_newest_up_to_its_cap_and_says_how_many_wait(app, promoted, make_comment):
    older = _held_by_old(make_comment, promoted, CIVIL)
    newer = _held_by_old(make_comment, promoted, INSULT)
    with app.app_context():
        site = db.session.get(Site, promoted.id)
        result = held_rescoring.score_held(db.session, site, VersionTwo(), actor="user:ada", limit=1)
        assert (result.scored, result.more) == (1, 1)
        assert [e[0] for e in result.comments] == [newer]
        assert held_rescoring.rescorable(db.session, site, NEW, VersionTwo.attributes).total == 2
        assert db.session.get(Comment, older).model_version == OLD
