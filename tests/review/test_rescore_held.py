"""Held comments scored again by the version in force after a promotion, the scores kept apart, and
those it would publish at the thresholds in force published on an admin's word."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from moderation import db
from moderation.domain import held_rescore, held_rescore_publish
from moderation.domain.held_rescore import score_held_again
from moderation.domain.held_rescore_publish import RunOutOfDate, offer, publish_run
from moderation.domain.rule_sets import save_rules
from moderation.domain.rules import validate_rules
from moderation.model_provider import FixedModels
from moderation.models import AuditEntry, Comment, LegalHold, HeldRescoreResult, HeldRescoreRun, Site, WebhookDelivery

OLD, NEW = "test-model-1", "test-model-2"
OLD_SCORES = {"toxicity": 0.81, "insult": 0.77}
ATTRIBUTES = ("toxicity", "insult")


class Promoted:
    """The promoted version: a comment's toxicity is the number its text ends with, in hundredths."""

    def __init__(self, version: str = NEW) -> None:
        self.version = version
        self.attributes = ATTRIBUTES
        self.thresholds = {"toxicity": 0.5, "insult": 0.5}
        self.card: dict = {}
        self.calls = 0

    def score(self, texts):
        self.calls += 1
        return [{"toxicity": int(t.rsplit(" ", 1)[-1]) / 100, "insult": 0.1, "threat": 0.9} for t in texts]

    def explain(self, text, attributes=None, top_k=5):
        return {}


@pytest.fixture
def promoted(app, make_site):
    model = Promoted()
    app.extensions["models"] = FixedModels(model)
    site = make_site("promoted-gazette", webhook_url="https://hooks.promoted-gazette.example/moderation")
    return site


def _held(make_comment, site, toxicity: int, words: str = "A silly take on the bridge", **fields) -> int:
    """Held by the old version on its scores alone; the new one scores it `toxicity` hundredths."""
    values = dict(scores=OLD_SCORES, flagged=["toxicity", "insult"], model_version=OLD, priority=1.2)
    return make_comment(site.id, f"{words} {toxicity}", **{**values, **fields})


def _run(app, site_id, model=None, **kwargs):
    with app.app_context():
        site = db.session.get(Site, site_id)
        return score_held_again(db.session, site, lambda _: model or Promoted(), by="user:ada", **kwargs).id


def _offer(app, site_id, version=NEW, thresholds=None):
    with app.app_context():
        found = offer(db.session, db.session.get(Site, site_id), version, ATTRIBUTES,
                      thresholds or {"toxicity": 0.5, "insult": 0.5})
        return found.count, sorted(c.id for c, _ in found.examples), found.out_of_date


def _publish(app, site_id, version=NEW, **kwargs):
    with app.app_context():
        return publish_run(db.session, db.session.get(Site, site_id), version, ATTRIBUTES,
                           {"toxicity": 0.5, "insult": 0.5}, actor="user:ada", **kwargs)


def _section(page: str) -> str:
    """The rescore section's words, without its tags."""
    section = page.split('id="rescore-held"')[1].split(">", 1)[1].split("</section>")[0]
    return " ".join(re.sub(r"<[^>]+>", "", section).split())


def _rows(app, ids):
    with app.app_context():
        return {i: (c.status, c.model_version, c.scores) for i in ids for c in [db.session.get(Comment, i)]}


def test_only_comments_the_model_alone_holds_are_counted_and_published(app, promoted, make_comment, admin):
    site = promoted
    alone = _held(make_comment, site, 20)
    ruled = _held(make_comment, site, 20, words="Buy cheap watches here")
    reported = _held(make_comment, site, 20, words="Another silly take", report_weight=3.0,
                     flagged=["toxicity", "reports"])
    sent_back = _held(make_comment, site, 20, words="A take a moderator sent back", flagged=["toxicity", "sent_to_review"])
    evidence = _held(make_comment, site, 20, words="A take named in a letter")
    banned = _held(make_comment, site, 20, words="A take by a raider", author_id="raider-1")
    still_over = _held(make_comment, site, 90)
    # Scored by the version in force already: the release section above the run offers it, not the run.
    its_own = _held(make_comment, site, 20, words="Scored after the promotion", model_version=NEW,
                    scores={"toxicity": 0.2, "insult": 0.1})
    with app.app_context():
        site_row = db.session.get(Site, site.id)
        save_rules(db.session, site_row, validate_rules([{"name": "watches", "kind": "banned_words",
                                                           "words": ["cheap watches"]}]), actor="test")
        db.session.add(LegalHold(site_id=site.id, scope="comment", target=str(evidence), reason="solicitor's letter"))
        db.session.execute(text("INSERT INTO author_sanctions (site_id, author_id, kind, reason, created_at) "
                                "VALUES (:site, 'raider-1', 'ban', 'raid', now())"), {"site": site.id})
        db.session.commit()

    _run(app, site.id)

    assert _offer(app, site.id)[:2] == (1, [alone])
    released = _publish(app, site.id)
    # The reported and sent-back ones were never scored: their flags are not only the model's; nor the
    # banned author's or the one under a legal hold. The rule saved after it was held is read when publishing.
    assert (released.published, released.other_hold, released.held_at_thresholds) == (1, 1, 1)
    with app.app_context():
        assert its_own not in db.session.scalars(select(HeldRescoreResult.comment_id)).all()
    rows = _rows(app, [alone, ruled, reported, sent_back, evidence, banned, still_over])
    assert rows.pop(alone) == ("published", OLD, OLD_SCORES)  # its arrival scoring stays its record
    assert list(rows.values()) == [("held", OLD, OLD_SCORES)] * 6
    with app.app_context():
        [event] = [d.event for d in db.session.scalars(select(WebhookDelivery))]
        assert (event["comment"]["id"], event["previous_status"], event["comment"]["status"]) == (alone, "held", "published")
        [history] = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == alone)).all()
        assert history.actor == "user:ada" and history.action == "status:held->published"
        assert history.details["model_version"] == NEW and "scored it again" in history.details["reason"]
        assert history.details["scores"] == {"toxicity": 0.2, "insult": 0.1}
        [summary] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescore_published"))
        assert summary.details["published"] == 1 and summary.details["site_id"] == site.id


def test_the_run_writes_nothing_on_the_comments_and_those_that_stay_held_keep_their_scores(
        app, promoted, make_comment):
    site = promoted
    published, held = _held(make_comment, site, 20), _held(make_comment, site, 70)
    _run(app, site.id)
    assert _rows(app, [published, held]) == {published: ("held", OLD, OLD_SCORES), held: ("held", OLD, OLD_SCORES)}
    _publish(app, site.id)
    assert _rows(app, [published, held]) == {published: ("published", OLD, OLD_SCORES),
                                             held: ("held", OLD, OLD_SCORES)}


def test_a_comment_edited_after_the_run_is_skipped(app, promoted, make_comment):
    site = promoted
    edited = _held(make_comment, site, 20)
    _run(app, site.id)
    with app.app_context():  # the reader's edit, scored again and held by the old version meanwhile
        db.session.execute(text("UPDATE comments SET text = 'You absolute idiot 20', version = version + 1 "
                                "WHERE id = :id"), {"id": edited})
        db.session.commit()
    assert _offer(app, site.id)[0] == 0
    released = _publish(app, site.id)
    assert (released.published, released.changed) == (0, 1)
    assert _rows(app, [edited])[edited] == ("held", OLD, OLD_SCORES)


def test_comments_decided_meanwhile_are_left_as_the_moderator_left_them(app, promoted, make_comment):
    site = promoted
    decided = _held(make_comment, site, 20)
    _run(app, site.id)
    with app.app_context():
        db.session.execute(text("UPDATE comments SET status = 'rejected', version = version + 1 WHERE id = :id"),
                           {"id": decided})
        db.session.commit()
    assert _publish(app, site.id).decided == 1
    assert _rows(app, [decided])[decided] == ("rejected", OLD, OLD_SCORES)


def test_more_comments_than_one_page_are_all_scored_and_all_published(app, promoted, make_comment):
    site = promoted
    ids = [_held(make_comment, site, 20, words=f"Silly take number {n}") for n in range(7)]
    model = Promoted()
    _run(app, site.id, model, page=3)
    assert model.calls == 3  # 3 + 3 + 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(HeldRescoreResult)) == 7
    assert _offer(app, site.id)[0] == 7
    released = _publish(app, site.id, page=3)
    assert released.published == 7
    assert [status for status, _, _ in _rows(app, ids).values()] == ["published"] * 7


def test_moving_a_threshold_changes_the_count_without_scoring_again(app, promoted, make_comment):
    site = promoted
    low, middle = _held(make_comment, site, 20), _held(make_comment, site, 60)
    model = Promoted()
    _run(app, site.id, model)
    assert _offer(app, site.id)[:2] == (1, [low])
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {"toxicity": 0.7}
        db.session.commit()
    assert _offer(app, site.id)[:2] == (2, [low, middle])
    assert model.calls == 1
    assert _publish(app, site.id).published == 2


def test_a_run_for_a_version_no_longer_in_force_is_not_offered(app, promoted, make_comment):
    site = promoted
    held = _held(make_comment, site, 20)
    _run(app, site.id)
    assert _offer(app, site.id, version="test-model-3") == (0, [], True)
    with pytest.raises(RunOutOfDate):
        _publish(app, site.id, version="test-model-3")
    assert _rows(app, [held])[held] == ("held", OLD, OLD_SCORES)


def test_a_second_run_replaces_the_first_and_a_failed_one_leaves_nothing_offered(app, promoted, make_comment):
    site = promoted
    first = _held(make_comment, site, 20)
    first_run = _run(app, site.id)
    with app.app_context():  # decided between the runs
        db.session.execute(text("UPDATE comments SET status = 'approved' WHERE id = :id"), {"id": first})
        db.session.commit()
    second = _held(make_comment, site, 30)
    second_run = _run(app, site.id)
    with app.app_context():
        assert db.session.scalars(select(HeldRescoreRun.id)).all() == [second_run] != [first_run]
        assert db.session.scalars(select(HeldRescoreResult.comment_id)).all() == [second]
    assert _offer(app, site.id)[:2] == (1, [second])

    class Broken(Promoted):
        def score(self, texts):
            raise RuntimeError("the artifact is damaged")

    with pytest.raises(RuntimeError):
        _run(app, site.id, Broken())
    assert _offer(app, site.id)[0] == 0  # neither the failed run's part nor the run before it
    with app.app_context():
        [run] = db.session.scalars(select(HeldRescoreRun)).all()
        assert run.failed == "RuntimeError: the artifact is damaged" and run.finished_at is None
        assert db.session.scalar(select(func.count()).select_from(HeldRescoreResult)) == 0
    with pytest.raises(RunOutOfDate):
        _publish(app, site.id)


def test_a_new_run_started_while_one_scores_stops_the_old_one(app, promoted, make_comment, monkeypatch):
    site = promoted
    _held(make_comment, site, 20), _held(make_comment, site, 30)
    with app.app_context():
        replaced = held_rescore.start_run(db.session, db.session.get(Site, site.id), by="user:ada")
        replaced.progressed_at -= timedelta(hours=1)  # taken for dead, its worker wakes after the new run began
        replaced = replaced.id
        db.session.commit()
        newer = held_rescore.start_run(db.session, db.session.get(Site, site.id), by="user:bea").id
        db.session.commit()
    with pytest.raises(held_rescore.Conflict):
        _run(app, site.id, run_id=replaced)
    with app.app_context():
        assert db.session.scalars(select(HeldRescoreRun.id)).all() == [newer]


def test_an_admin_starts_a_run_from_the_thresholds_page_and_publishes_what_it_offers(
        app, sign_in, admin, make_site_admin, promoted, make_comment, monkeypatch):
    from review_helpers import csrf_token

    from moderation.admin import held_rescore as pages
    from workers.rescore_tasks import score_held_again as task

    site = promoted
    low, high = _held(make_comment, site, 20), _held(make_comment, site, 90)
    sent = []
    monkeypatch.setattr(pages, "send_task", lambda session, name, args: sent.append((name, args)) or True)
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    page = client.get(url).get_data(as_text=True)
    assert "Score held comments with test-model-2" in page
    assert client.post(f"{url}/rescore-held", data={"csrf_token": csrf_token(page)}).status_code == 303
    [(name, [site_id, run_id])] = sent
    assert (name, site_id) == ("workers.rescore_tasks.score_held_again", site.id)
    waiting = _section(client.get(url).get_data(as_text=True))
    assert "Waiting for a worker to score the held comments again with test-model-2: 0 scored so far of 2" in waiting
    assert "Score held comments" not in waiting  # one run at a time while it moves

    with app.app_context():
        assert task(site.id, run_id) == "scored 2"
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescored"))
        assert (entry.actor, entry.details["scored"], entry.details["version"]) == ("user:ada", 2, NEW)
    page = client.get(url).get_data(as_text=True)
    said = " ".join(page.split('id="rescore-held">')[1].split("</section>")[0].split())
    assert "it would publish <strong>1</strong> of them" in said and "Publish these 1" in said
    assert f"#{low}</a> A silly take on the bridge 20" in said and f"#{high}<" not in said

    site_admin = sign_in(make_site_admin("sam", sites=[site]))
    theirs = site_admin.get(url).get_data(as_text=True)
    assert 'id="rescore-held"' not in theirs
    assert site_admin.post(f"{url}/publish-rescored", data={"csrf_token": csrf_token(theirs), "version": NEW}
                           ).status_code == 403

    # A threshold raised after the page counted 1: the 90 would be published too, which it never showed.
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {"toxicity": 0.95}
        db.session.commit()
    form = {"csrf_token": csrf_token(page), "version": NEW, "run": re.search(r'name="run" value="(\d+)"', page).group(1),
            "thresholds": re.search(r'name="thresholds" value="([^"]*)"', page).group(1).replace("&#34;", '"')}
    refused = client.post(f"{url}/publish-rescored", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Nothing published: the site&#39;s thresholds changed since the page counted these" in refused
    assert _rows(app, [low])[low][0] == "held"
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {}
        db.session.commit()

    response = client.post(f"{url}/publish-rescored", data=form)
    after = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Published 1 held comment on test-model-2&#39;s scores; the site is told. Left held: 1 held at the thresholds" in after
    assert _rows(app, [low, high]) == {low: ("published", OLD, OLD_SCORES),
                                       high: ("held", OLD, OLD_SCORES)}


def test_the_command_scores_them_again_with_a_progress_bar_and_publishes_with_publish(
        app, services, make_site, make_comment):
    from click.testing import CliRunner

    from moderation.cli import main

    site = make_site("shell-gazette")
    civil = make_comment(site.id, "Thanks for the thoughtful article about the new bridge.", scores=OLD_SCORES,
                         flagged=["toxicity"], model_version="retired-0")
    runner = CliRunner()
    said = runner.invoke(main, ["models", "rescore-held", "--help"]).output
    assert "--site" in said and "--publish" in said and "stay held" in " ".join(said.split())

    result = runner.invoke(main, ["models", "rescore-held", "--site", site.name], env=services.env())
    assert result.exit_code == 0, result.output
    assert "scored 1 held comment of shell-gazette again; they stay held. At the site's thresholds now it would " \
           "publish 1." in result.output
    assert "scoring with" in result.stderr  # the progress bar
    assert _rows(app, [civil])[civil] == ("held", "retired-0", OLD_SCORES)

    result = runner.invoke(main, ["models", "rescore-held", "--site", site.name, "--publish"], env=services.env())
    assert result.exit_code == 0, result.output
    assert "published 1; left held: 0 edited since" in result.output
    assert "stay held" not in result.output  # it said so, then published them (an admin's walk)
    assert _rows(app, [civil])[civil] == ("published", "retired-0", OLD_SCORES)
    with app.app_context():
        [history] = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == civil)).all()
        assert history.details["model_version"] not in (None, "retired-0") and history.details["scores"]["toxicity"] < 0.5


def test_a_run_no_worker_finished_can_be_replaced_from_the_page(app, sign_in, admin, promoted, make_comment):
    site = promoted
    _held(make_comment, site, 20)
    with app.app_context():
        run = held_rescore.start_run(db.session, db.session.get(Site, site.id), by="user:ada")
        run.requested_at -= timedelta(hours=2)
        run.progressed_at -= timedelta(hours=2)
        db.session.commit()
    said = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    assert "No worker finished the run user:ada asked for" in said
    assert "Score held comments again with test-model-2" in said and "Publish these" not in said


def test_a_copy_of_a_banned_authors_rejected_text_stays_held_here_and_in_the_older_release(
        app, promoted, make_comment, admin):
    """Ban evasion is read as scoring reads it: a new id's copy of a banned author's rejected text was
    published by the run (and the older release shares the check)."""
    from moderation.domain.threshold_release import releasable
    site = promoted
    words = "Mr Hale the maths teacher at Riverside is a disgrace and should be sacked"
    theirs = _held(make_comment, site, 20, words=words, author_id="banned-y")
    copy = _held(make_comment, site, 20, words=words, author_id="new-id-x")
    # Held under earlier thresholds by the version in force: the older release's to offer.
    copy_scored = make_comment(site.id, f"{words} 20", author_id="new-id-z", scores={"toxicity": 0.6, "insult": 0.1},
                               flagged=["toxicity"], model_version=NEW)
    plain = _held(make_comment, site, 20)
    with app.app_context():
        db.session.execute(text("UPDATE comments SET status='rejected', decision='rejected', decided_by=:u, "
                                "decided_at=now() WHERE id=:id"), {"u": admin.id, "id": theirs})
        db.session.execute(text("INSERT INTO author_sanctions (site_id, author_id, kind, reason, created_at) "
                                "VALUES (:site, 'banned-y', 'ban', 'harassment', now())"), {"site": site.id})
        db.session.commit()
        found = releasable(db.session, db.session.get(Site, site.id), NEW, ATTRIBUTES,
                           {"toxicity": 0.7, "insult": 0.5})
        assert copy_scored not in [c.id for c in found.comments]
    _run(app, site.id)
    assert _offer(app, site.id)[:2] == (1, [plain])
    released = _publish(app, site.id)
    assert (released.published, released.other_hold) == (1, 1)
    assert _rows(app, [copy])[copy][0] == "held"


def test_publishing_leaves_the_arrival_scoring_so_the_site_the_api_and_the_version_pages_agree(
        app, promoted, make_comment):
    """The new version's scores were written after the event was built (the site got the old ones with
    "published", the API then said the new version), and the published comments moved from the old
    version's span to the new one's on the version-effect page and into drift's window."""
    from datetime import timedelta

    from moderation.domain.drift import DriftSettings, check_drift
    from moderation.domain.lifecycle import now, serialize_comment
    from moderation.domain.version_effect import by_version, daily_shares
    site = promoted
    for n in range(10):  # the new version's own traffic today
        flagged = ["toxicity"] if n < 4 else []
        make_comment(site.id, f"live {n}", status="held" if flagged else "published", flagged=flagged,
                     model_version=NEW, scores={"toxicity": 0.8 if flagged else 0.1, "insult": 0.1})
    days_ago = now() - timedelta(days=3)
    ids = [_held(make_comment, site, 20, words=f"Old held take {n}", scored_at=days_ago, received_at=days_ago)
           for n in range(5)]

    class InForce:
        version, card, thresholds = NEW, {}, {"toxicity": 0.5}

    def effect():
        spans = by_version(daily_shares(db.session))[site.id]
        return sorted((s.version, s.scored, s.flagged) for s in spans)

    with app.app_context():
        before, window = effect(), check_drift(db.session, InForce, DriftSettings(0.2, 1)).comments
    _run(app, site.id)
    assert _publish(app, site.id).published == 5
    with app.app_context():
        assert effect() == before == [(OLD, 5, 5), (NEW, 10, 4)]
        assert check_drift(db.session, InForce, DriftSettings(0.2, 1)).comments == window
        for delivery in db.session.scalars(select(WebhookDelivery)):
            sent = delivery.event["comment"]
            api = serialize_comment(db.session.get(Comment, sent["id"]))
            assert sent["id"] in ids and sent["status"] == api["status"] == "published"
            assert (sent["version"], sent["model_version"], sent["scores"]) == \
                   (api["version"], api["model_version"], api["scores"])


def test_the_page_reads_at_most_so_many_by_the_router_and_publishing_reads_them_all(
        app, sign_in, admin, promoted, make_comment, monkeypatch):
    """The page ran the site's rules over every result on every render: ~10 s at 5,000, ~60 s at 20,000."""
    from moderation.domain import threshold_release
    site = promoted
    ids = [_held(make_comment, site, 20, words=f"A silly take number {n}") for n in range(7)]
    _run(app, site.id)
    routed = []
    real = threshold_release.nothing_else_holds

    def counting(session, site, policy, comments, scores=None):
        routed.append(len(comments))
        return real(session, site, policy, comments, scores)

    monkeypatch.setattr(held_rescore_publish, "nothing_else_holds", counting)
    monkeypatch.setattr(held_rescore_publish, "AT_ONCE", 3)
    with app.app_context():
        found = offer(db.session, db.session.get(Site, site.id), NEW, ATTRIBUTES, {"toxicity": 0.5, "insult": 0.5},
                      page=2, at_most=3)
        assert (found.count, found.read, found.unread, sum(routed)) == (3, 3, 4, 3)
    monkeypatch.setattr(held_rescore_publish.offer, "__kwdefaults__", {"page": 2, "at_most": 3})
    page = sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True)
    assert "3 counted of the first 3, and up to\n      4 more" in page and "Publish these 3 and the rest, up to\n          7" in page
    assert _publish(app, site.id, page=2).published == 7
    assert {status for status, _, _ in _rows(app, ids).values()} == {"published"}


def test_publish_refuses_when_the_site_was_scored_again_since_the_page_counted(
        app, sign_in, admin, promoted, make_comment):
    """The form pinned version and thresholds, not the run: "Publish these 1" published 41."""
    from review_helpers import csrf_token
    site = promoted
    first = _held(make_comment, site, 20)
    _run(app, site.id)
    client = sign_in(admin)
    url = f"/admin/sites/{site.id}/thresholds"
    page = client.get(url).get_data(as_text=True)
    assert "Publish these 1<" in page
    form = {"csrf_token": csrf_token(page), "version": NEW, "run": re.search(r'name="run" value="(\d+)"', page).group(1),
            "thresholds": re.search(r'name="thresholds" value="([^"]*)"', page).group(1).replace("&#34;", '"')}
    more = [_held(make_comment, site, 20, words=f"Another take number {n}") for n in range(4)]
    _run(app, site.id)  # another admin's run, same version and thresholds
    after = client.post(f"{url}/publish-rescored", data=form, follow_redirects=True).get_data(as_text=True)
    assert "Nothing published: the held comments were scored again since the page counted these" in after
    assert {status for status, _, _ in _rows(app, [first, *more]).values()} == {"held"}


def test_a_rollback_while_publishing_stops_it_at_the_next_page_and_says_so(app, promoted, make_comment):
    """The version was read once: 6 of 6 were published on test-model-2 after a rollback after page 1."""
    site = promoted
    ids = [_held(make_comment, site, 20, words=f"A silly take number {n}") for n in range(6)]
    _run(app, site.id)

    def rolled_back(_n):
        app.extensions["models"] = FixedModels(Promoted(OLD))

    released = _publish(app, site.id, page=2, progress=rolled_back,
                        in_force=lambda: app.extensions["models"].for_site(site.id).version)
    assert released.published == 2 and released.stopped == f"the version in force is now {OLD}, not {NEW}"
    assert [status for status, _, _ in _rows(app, ids).values()] == ["published"] * 2 + ["held"] * 4
    with app.app_context():
        [summary] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescore_published"))
        assert summary.details["published"] == 2 and OLD in summary.details["stopped"]


def test_another_admins_new_run_while_publishing_stops_it_and_the_entry_says_so(app, promoted, make_comment):
    """A new run deletes this one's results: the publish ended at 2 of 6 looking complete."""
    from sqlalchemy.orm import Session as Own

    from moderation.domain.held_rescore import start_run
    site = promoted
    ids = [_held(make_comment, site, 20, words=f"A silly take number {n}") for n in range(6)]
    _run(app, site.id)
    started = []

    def another_admin_scores_again(_n):
        if not started:
            started.append(True)
            with app.app_context(), Own(db.session.get_bind()) as own:
                start_run(own, own.get(Site, site.id), by="user:bea")
                own.commit()

    released = _publish(app, site.id, page=2, progress=another_admin_scores_again)
    assert released.published == 2 and "scored again meanwhile" in released.stopped
    assert [status for status, _, _ in _rows(app, ids).values()] == ["published"] * 2 + ["held"] * 4
    with app.app_context():
        [summary] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:held_rescore_published"))
        assert "scored again meanwhile" in summary.details["stopped"]


def test_a_strict_storys_thresholds_count_as_the_thresholds_not_as_another_hold(app, promoted, make_comment):
    """0.30 over a strict story's halved 0.25 was reported as held by "a rule, report, sanction, storm..."."""
    from moderation.models import Story
    site = promoted
    plain = _held(make_comment, site, 30, words="Plain take", story_id="s-plain")
    strict = _held(make_comment, site, 30, words="Strict story take", story_id="s-strict")
    with app.app_context():
        db.session.add(Story(site_id=site.id, story_id="s-strict", strict=True))
        db.session.commit()
    _run(app, site.id)
    released = _publish(app, site.id)
    assert (released.published, released.held_at_thresholds, released.other_hold) == (1, 1, 0)
    assert (_rows(app, [plain])[plain][0], _rows(app, [strict])[strict][0]) == ("published", "held")


def test_the_progress_bars_length_is_what_the_run_reads(app, promoted, make_comment):
    """The shell's bar was every held comment long, but advanced only for those the run reads."""
    from moderation.domain.held_rescore import held_count
    site = promoted
    for n in range(3):
        _held(make_comment, site, 20, words=f"A silly take number {n}")
    _held(make_comment, site, 20, words="Scored after the promotion", model_version=NEW)
    _held(make_comment, site, 20, words="Erased take", text_erased_at=None)
    advanced = []
    _run(app, site.id, progress=advanced.append)
    with app.app_context():
        assert held_count(db.session, db.session.get(Site, site.id), NEW, ATTRIBUTES) == sum(advanced) == 4


@pytest.mark.parametrize("set_since", ["story pre-moderated", "site holds all"])
def test_a_story_or_site_set_to_hold_for_a_person_since_is_not_scored_nor_offered(app, promoted, make_comment, set_since):
    """Publishing leaves such a comment held for a person (stories.story_hit): counted as the model's
    alone, it was scored, left held, and offered again after every run."""
    from moderation.domain.lifecycle import HOLD_ALL
    from moderation.models import HeldRescoreResult, Story
    site = promoted
    elsewhere = _held(make_comment, site, 20, words="A take on another story", story_id="s-open")
    waiting = _held(make_comment, site, 20, words="A take on the inquiry", story_id="s-inquiry")
    with app.app_context():
        if set_since == "story pre-moderated":
            db.session.add(Story(site_id=site.id, story_id="s-inquiry", premoderated=True))
        else:
            db.session.get(Site, site.id).moderation_mode = HOLD_ALL
        db.session.commit()
    _run(app, site.id)
    with app.app_context():
        scored = set(db.session.scalars(select(HeldRescoreResult.comment_id)))
    expected = [elsewhere] if set_since == "story pre-moderated" else []
    assert waiting not in scored and _offer(app, site.id)[:2] == (len(expected), expected)
