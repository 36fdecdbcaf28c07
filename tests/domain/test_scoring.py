"""Scoring pending comments: the policy applied, each comment scored once, batches claimed safely."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fake_model import FakeModel
from moderation import db
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.policy import MODEL_BANDS
from moderation.domain.reports import file_report
from moderation.domain.scoring import score_batch, score_pending
from moderation.models import AuditEntry, Comment, Site, WebhookDelivery


def add_comment(site_id: int, text: str, external_id: str | None = None) -> int:
    site = db.session.get(Site, site_id)
    n = db.session.scalar(select(func.count()).select_from(Comment))
    data = CommentInput(external_id=external_id or f"c{n}", story_id="s", author_id="a", text=text)
    return submit_comment(db.session, site, data).comment.id


def scoring_audits(comment_id: int) -> int:
    return db.session.scalar(
        select(func.count()).select_from(AuditEntry)
        .where(AuditEntry.comment_id == comment_id, AuditEntry.action.like("status:pending->%"))
    )


@pytest.fixture
def model() -> FakeModel:
    return FakeModel()


def test_a_civil_comment_is_published_and_an_abusive_one_held_with_highlights(app, site, model):
    with app.app_context():
        civil = add_comment(site.id, "Thanks for the reporting.")
        abusive = add_comment(site.id, "You idiot.")
        assert score_pending(db.session, lambda: model, [civil, abusive], batch_size=10) == {
            civil: "published", abusive: "held"}
        civil_row, abusive_row = db.session.get(Comment, civil), db.session.get(Comment, abusive)
        assert civil_row.model_version == "fake-1" and civil_row.scored_at and civil_row.scores["toxicity"] == 0.01
        assert civil_row.explanations is None
        assert abusive_row.flagged == ["toxicity", "insult"]
        floor, ceiling = MODEL_BANDS["insult"]  # the worst it flagged; insult 0.95 is halfway from 0.9 to sure
        assert abusive_row.priority == pytest.approx(floor + (ceiling - floor) * 0.5)
        assert abusive_row.explanations["toxicity"][0]["text"] == "idiot"


def test_the_texts_of_a_batch_are_scored_in_one_model_call(app, site):
    calls = []

    class Counting(FakeModel):
        def score(self, texts):
            calls.append(len(texts))
            return super().score(texts)

    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(5)]
        score_pending(db.session, Counting, ids, batch_size=10)
    assert calls == [5]


def test_a_batch_reads_at_most_its_budget_of_characters_and_the_rest_wait_for_the_next_claim(app, site,
                                                                                            monkeypatch):
    """A chaos walk: 130 long texts in one batch kept their rows locked for four minutes, past the
    claim's idle limit, and every reader's edit of one waited 30 s for a 503."""
    from moderation.domain import scoring

    calls = []

    class Counting(FakeModel):
        def score(self, texts):
            calls.append(len(texts))
            return super().score(texts)

    monkeypatch.setattr(scoring, "BATCH_CHARACTERS", 100)
    with app.app_context():
        ids = [add_comment(site.id, f"{i} " + "a long civil comment about the bridge " * 2) for i in range(3)]
        scored = score_pending(db.session, Counting, ids, batch_size=10, max_batches=5)
    assert calls == [1, 1, 1] and set(scored) == set(ids)  # 78 characters each: one a batch, none left pending


def test_scoring_a_comment_twice_changes_nothing(app, site, model):
    with app.app_context():
        comment_id = add_comment(site.id, "You idiot.")
        score_pending(db.session, lambda: model, [comment_id], batch_size=10)
        before = db.session.get(Comment, comment_id)
        version, scored_at = before.version, before.scored_at
        assert score_pending(db.session, lambda: model, [comment_id], batch_size=10) == {}
        db.session.expire_all()
        after = db.session.get(Comment, comment_id)
        assert (after.version, after.scored_at, after.status) == (version, scored_at, "held")
        assert scoring_audits(comment_id) == 1
    assert model.scored == ["You idiot."]


def test_the_model_is_not_loaded_when_nothing_is_pending(app, site):
    def no_model():
        raise AssertionError("loaded the model for nothing")

    with app.app_context():
        assert score_pending(db.session, no_model, [12345], batch_size=10) == {}


def test_the_given_comments_come_first_then_other_pending_ones_fill_the_batch(app, site, model):
    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(5)]
        result = score_batch(db.session, model, [ids[4], ids[3]], batch_size=3)
        db.session.commit()
    claimed = list(result.scored)
    assert set(claimed[:2]) == {ids[3], ids[4]} and claimed[2] == ids[0]


def test_several_batches_score_every_given_comment(app, site, model):
    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(7)]
        scored = score_pending(db.session, lambda: model, ids, batch_size=3, max_batches=3)
    assert sorted(scored) == ids


def test_a_comment_locked_by_another_worker_is_skipped_not_waited_for(app, site, model):
    with app.app_context():
        busy, free = add_comment(site.id, "busy"), add_comment(site.id, "free")
        with app.extensions["db_engine"].connect() as other:
            other.exec_driver_sql(f"SELECT id FROM comments WHERE id = {busy} FOR UPDATE")
            assert score_pending(db.session, lambda: model, [busy, free], batch_size=10) == {free: "published"}
            other.rollback()
        assert db.session.get(Comment, busy).status == "pending"


def test_reports_filed_while_pending_hold_the_comment_when_it_is_scored(app, site, model):
    with app.app_context():
        comment_id = add_comment(site.id, "A perfectly civil remark.")
        alone = add_comment(site.id, "Another perfectly civil remark.")
        for reporter in ("r-1", "r-2"):
            file_report(db.session, db.session.get(Site, site.id), comment_id, reason="harassment",
                        reporter_id=reporter)
        # One untried reader's reports flag it for review and do not hold it, as on a published comment.
        file_report(db.session, db.session.get(Site, site.id), alone, reason="harassment", reporter_id="r-3")
        db.session.commit()
        assert score_pending(db.session, lambda: model, [comment_id, alone], batch_size=10) == {
            comment_id: "held", alone: "published"}
        assert db.session.get(Comment, comment_id).flagged == db.session.get(Comment, alone).flagged == ["reports"]


def test_a_report_of_self_harm_filed_while_pending_ranks_the_comment_when_it_is_scored(app, site, model):
    with app.app_context():
        crisis, other = add_comment(site.id, "I can't go on like this."), add_comment(site.id, "Nice weather.")
        twin = add_comment(site.id, "I can't go on like this.")
        for comment_id, reason in ((crisis, "self_harm"), (other, "off_topic")):
            file_report(db.session, db.session.get(Site, site.id), comment_id, reason=reason, reporter_id="r-1")
        db.session.commit()
        score_pending(db.session, lambda: model, [crisis, other, twin], batch_size=10)
        file_report(db.session, db.session.get(Site, site.id), twin, reason="self_harm", reporter_id="r-1")
        db.session.commit()
        # Above held group hate (with threats once a reporter of it has had a report upheld), and alike
        # whether the report came before scoring or after.
        assert db.session.get(Comment, crisis).priority > 3.0
        assert db.session.get(Comment, crisis).priority == pytest.approx(db.session.get(Comment, twin).priority)
        assert db.session.get(Comment, other).priority < 1.0


def test_a_sites_own_thresholds_and_auto_reject_apply(app, site, model):
    with app.app_context():
        row = db.session.get(Site, site.id)
        row.thresholds = {"toxicity": 0.995}
        row.auto_reject = True
        row.reject_thresholds = {"toxicity": 0.98}
        db.session.commit()
        mild, vile = add_comment(site.id, "You idiot."), add_comment(site.id, "vile")
        scored = score_pending(db.session, lambda: model, [mild, vile], batch_size=10)
    # insult (0.95 >= 0.9) still holds the first; the second is over the reject threshold.
    assert scored == {mild: "held", vile: "rejected"}


def test_a_status_change_queues_one_webhook_for_a_site_that_has_one(app, make_site, model):
    hooked = make_site("hooked", webhook_url="http://127.0.0.1:9/hook")
    with app.app_context():
        comment_id = add_comment(hooked.id, "You idiot.")
        score_pending(db.session, lambda: model, [comment_id], batch_size=10)
        events = [d.event for d in db.session.scalars(select(WebhookDelivery))]
    assert len(events) == 1
    assert events[0]["previous_status"] == "pending" and events[0]["comment"]["status"] == "held"


def test_an_explanation_failure_does_not_stop_scoring(app, site):
    class Broken(FakeModel):
        def explain(self, *args, **kwargs):
            raise RuntimeError("boom")

    with app.app_context():
        comment_id = add_comment(site.id, "You idiot.")
        assert score_pending(db.session, Broken, [comment_id], batch_size=10) == {comment_id: "held"}
        assert db.session.get(Comment, comment_id).explanations is None


def test_only_attributes_the_model_scores_reliably_are_stored(app, site, model):
    with app.app_context():
        comment_id = add_comment(site.id, "Well damn, nice reporting.")
        assert score_pending(db.session, lambda: model, [comment_id], batch_size=10) == {comment_id: "published"}
        stored = db.session.get(Comment, comment_id).scores
    assert set(stored) == set(model.attributes)  # profanity's 0.99 is a copy the model cannot vouch for


def add_comment_apart(site_id: int, text: str, external_id: str) -> int:
    """A comment committed by another connection, as a web request does while a task scores."""
    with Session(db.session.get_bind(), info=dict(db.session.info)) as other:
        data = CommentInput(external_id=external_id, story_id="s", author_id="a", text=text)
        return submit_comment(other, other.get(Site, site_id), data).comment.id


def arriving_model(site_id: int) -> tuple[type[FakeModel], list[int]]:
    """A model during whose first batch another comment arrives; the ids of the comments that arrived."""
    arrived: list[int] = []

    class Arriving(FakeModel):
        def score(self, texts):
            if not arrived:
                arrived.append(add_comment_apart(site_id, "arrived while the first batch scored", "during"))
            return super().score(texts)

    return Arriving, arrived


def test_a_scoring_task_scores_what_arrives_while_it_scores_then_releases_and_claims_once_more(app, site):
    Arriving, arrived = arriving_model(site.id)
    released: list[int] = []

    def release() -> None:
        released.append(1)
        # Committed after the claim that found nothing, while the POST still saw "a task will claim".
        arrived.append(add_comment_apart(site.id, "arrived just before the release", "before-release"))

    with app.app_context():
        first = add_comment(site.id, "the comment the task was sent for")
        scored = score_pending(db.session, Arriving, [first], batch_size=10, max_batches=10, release=release)
    assert set(scored) == {first, *arrived} and len(arrived) == 2
    assert released == [1]


def test_without_a_release_scoring_stops_at_the_first_batch_that_is_not_full(app, site):
    Arriving, arrived = arriving_model(site.id)
    with app.app_context():
        first = add_comment(site.id, "the comment the sweep found")
        assert set(score_pending(db.session, Arriving, [first], batch_size=10, max_batches=10)) == {first}
        assert db.session.get(Comment, arrived[0]).status == "pending"


def test_a_task_that_reaches_its_batch_limit_hands_the_rest_on_and_one_that_finishes_does_not(app, site, model):
    carried: list[int] = []
    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(5)]
        scored = score_pending(db.session, lambda: model, [], batch_size=2, max_batches=2,
                               release=lambda: None, carry_on=lambda: carried.append(1))
        assert len(scored) == 4 and carried == [1]  # one left: a fresh task will score it

        scored = score_pending(db.session, lambda: model, [], batch_size=2, max_batches=5,
                               release=lambda: None, carry_on=lambda: carried.append(2))
        assert list(scored) == [ids[4]] and carried == [1]


def test_a_scored_batch_is_stored_as_scoring_set_it_with_sql_nulls_where_nothing_was_set(app, site, model):
    with app.app_context():
        civil = add_comment(site.id, "Thanks for the reporting.")
        abusive = add_comment(site.id, "You idiot.")
        score_pending(db.session, lambda: model, [civil, abusive], batch_size=10)
        rows = {row.id: row for row in db.session.execute(select(
            Comment.id, Comment.status, Comment.version, Comment.scores, Comment.flagged, Comment.priority,
            Comment.model_version, Comment.scored_at, Comment.status_changed_at,
            Comment.explanations.is_(None).label("no_explanations"), Comment.rule_hits.is_(None).label("no_rule_hits"),
        ).where(Comment.id.in_([civil, abusive])))}
    assert rows[civil].status == "published" and rows[abusive].status == "held"
    assert rows[civil].version == rows[abusive].version == 2
    assert rows[abusive].scores["toxicity"] > 0.5 > rows[civil].scores["toxicity"]
    assert "toxicity" in rows[abusive].flagged and rows[abusive].priority > rows[civil].priority
    assert rows[civil].model_version == model.version and rows[civil].scored_at <= rows[civil].status_changed_at
    # A published comment has no highlights and no rule hits: SQL NULL, as the ORM wrote None.
    assert rows[civil].no_explanations and rows[civil].no_rule_hits and not rows[abusive].no_explanations


def test_a_batch_that_changed_a_column_it_does_not_write_fails_rather_than_lose_the_change(app, site):
    from moderation.domain.status_writes import BatchWrites

    with app.app_context():
        comment = db.session.get(Comment, add_comment(site.id, "Thanks for the reporting."))
        comment.decision_reason = "set by mistake while scoring"
        with pytest.raises(RuntimeError, match=r"Comment \d+ changed \['decision_reason'\]"):
            BatchWrites().write(db.session, [comment])


def test_a_full_batch_asks_for_a_helper_which_scores_other_comments_meanwhile(app, site, model):
    """What a helper task does while the first holds its batch: claims past the locked rows."""
    by_helper: dict[int, str] = {}

    def on_claim(full: bool) -> None:
        if by_helper or not full:
            return
        helper = app.extensions[db.SESSIONS]()  # a second session of the app's, as a helper task has
        try:
            by_helper.update(score_pending(helper, lambda: model, [], batch_size=2, send=lambda *_: None))
        finally:
            helper.close()

    with app.app_context():
        ids = [add_comment(site.id, f"comment {i}") for i in range(5)]
        scored = score_pending(db.session, lambda: model, [], batch_size=2, max_batches=10, on_claim=on_claim)

    assert list(by_helper) == ids[2:4]  # the next two: the first two were locked
    assert list(scored) == [ids[0], ids[1], ids[4]]
    assert set(scored) | set(by_helper) == set(ids)  # each scored once


def test_a_batch_that_is_not_full_is_claimed_as_such(app, site, model):
    asked: list[int] = []
    with app.app_context():
        add_comment(site.id, "only one")
        score_pending(db.session, lambda: model, [], batch_size=2, max_batches=10, on_claim=asked.append)
    assert asked == [False]


def test_a_stream_is_gathered_into_larger_batches_and_a_burst_is_not_held_back(app, site, model, monkeypatch):
    from moderation.domain import scoring

    pauses: list[float] = []
    monkeypatch.setattr(scoring.time, "sleep", pauses.append)
    # Longer than any batch here takes even on a busy machine, so each pause is what remains of it;
    # time.sleep only records it.
    linger = 30.0
    arrivals = iter(range(3))

    class Streaming(FakeModel):
        def score(self, texts):  # while each of its first three batches scores, more comments arrive
            wave = next(arrivals, None)
            for i in range(scoring.LINGER_FROM if wave is not None else 0):
                add_comment_apart(site.id, f"streaming {wave}-{i}", f"wave-{wave}-{i}")
            return super().score(texts)

    with app.app_context():
        for i in range(scoring.LINGER_FROM):
            add_comment(site.id, f"a burst {i}")
        score_pending(db.session, lambda: model, [], batch_size=50, max_batches=5, release=lambda: None, linger=linger)
        assert pauses == []  # one claim, and nothing after it

        for i in range(scoring.LINGER_FROM):
            add_comment(site.id, f"the stream begins {i}")
        scored = score_pending(db.session, Streaming, [], batch_size=50, max_batches=10, release=lambda: None, linger=linger)
        assert len(scored) == 4 * scoring.LINGER_FROM
        assert len(pauses) == 3 and all(0 < p < linger for p in pauses)  # after the 2nd, 3rd and 4th claims


def test_a_site_threshold_below_the_floor_saved_before_it_still_scores_its_comments(app, site, model):
    """An admin's walk: a hold threshold of 5e-324 made every priority infinite, which no row holds,
    and set every comment of the site aside, with a raw error quoting each one's text."""
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {"toxicity": 5e-324}
        db.session.commit()
        comment_id = add_comment(site.id, "The new library opening hours are very welcome.")
        assert score_pending(db.session, lambda: model, [comment_id], batch_size=10) == {comment_id: "held"}
        comment = db.session.get(Comment, comment_id)
        assert comment.scoring_failed_at is None and comment.priority < 1e7


def test_a_scoring_error_keeps_its_first_line_not_the_row_postgresql_quotes(app, site):
    from moderation.domain.scoring import _describe

    class Driver(Exception):
        pass

    error = Driver('null value in column "priority" violates not-null constraint\n'
                   'DETAIL:  Failing row contains (7, 2, c-7, reader-z, The new library opening hours).')
    assert _describe(error) == 'Driver: null value in column "priority" violates not-null constraint'


def test_a_comment_rejected_unseen_keeps_the_threshold_that_rejected_it_in_its_history(app, site, model):
    """A readers' editor's walk: after the site raised its auto-reject threshold, a comment rejected at
    the old one had no word of why it and not a worse one."""
    from moderation.domain.history import comment_history
    from moderation.models import AuditEntry, Site

    with app.app_context():
        row = db.session.get(Site, site.id)
        row.auto_reject, row.reject_thresholds = True, {"toxicity": 0.75}
        db.session.commit()
        comment_id = add_comment(site.id, "You idiot.")
        score_pending(db.session, lambda: model, [comment_id], batch_size=10)
        comment = db.session.get(Comment, comment_id)
        assert comment.status == "rejected"
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == comment_id)).all()
        assert entries[-1].details["auto_reject_at"] == {"toxicity": 0.75}
        scored = [e for e in comment_history(db.session, comment, entries) if e.kind == "scoring"][-1]
    assert "rejected unseen at toxicity ≥ 0.75" in scored.what


def test_a_published_comment_keeps_the_hold_thresholds_and_rules_it_was_routed_by(app, site, model):
    """Counsel's walk: published at toxicity 0.74 under a hold at 0.95, then the site went back to 0.51,
    and the history read as a comment the model should have held, with a flag rule's reason beside
    "published" as if it were why."""
    from moderation.domain.history import comment_history
    from moderation.domain.rule_sets import save_rules
    from moderation.models import AuditEntry, Site

    with app.app_context():
        row = db.session.get(Site, site.id)
        row.thresholds = {"toxicity": 1.0, "insult": 0.96}  # toxicity off: said so too (a re-check)
        save_rules(db.session, row, [{"name": "our-reporter", "kind": "suspect_words", "words": ["whitcombe"],
                                      "action": "flag", "reason": "names our journalist"}], actor="user:t")
        db.session.commit()
        comment_id = add_comment(site.id, "Whitcombe is an idiot.")
        score_pending(db.session, lambda: model, [comment_id], batch_size=10)
        row.thresholds = {}
        db.session.commit()
        comment = db.session.get(Comment, comment_id)
        assert comment.status == "published"
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.comment_id == comment_id)).all()
        assert entries[-1].details["hold_at"]["insult"] == 0.96 and entries[-1].details["rules_version"] == 1
        scored = [e for e in comment_history(db.session, comment, entries) if e.kind == "scoring"][-1]
    assert "held then at identity attack ≥ 0.9, insult ≥ 0.96, toxicity off" in scored.what
    assert "rules version 1" in scored.what
    assert scored.why.startswith("Flagged, not held: ") and "names our journalist" in scored.why
