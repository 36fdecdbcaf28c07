"""A flood of reports cannot push one comment's weight (and review priority) without bound."""
from __future__ import annotations

import pytest

from test_comment_lookup_and_reports import GOOD, move, report, submit


def test_reports_on_one_comment_beyond_the_per_minute_limit_get_429(app_with, site):
    client = app_with(REPORTS_PER_COMMENT_PER_MINUTE=5).test_client()
    comment_id = submit(client, site)

    statuses = [report(client, site, comment_id, reason="spam").status_code for _ in range(8)]

    assert statuses == [201] * 5 + [429] * 3
    refused = report(client, site, comment_id, reason="spam")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"]["code"] == "rate_limited"
    assert refused.get_json()["error"]["field"] is None  # it had named "id", a field the body never had


def test_anonymous_report_weight_on_one_comment_is_capped(app_with, site):
    client = app_with(ANONYMOUS_REPORT_WEIGHT_CAP=0.75).test_client()
    comment_id = submit(client, site)

    bodies = [report(client, site, comment_id, reason="hate").get_json() for _ in range(5)]

    # Half of hate's 2 each, and together no more than the cap (itself below half the threshold).
    assert [b["report"]["weight"] for b in bodies] == [0.75, 0.0, 0.0, 0.0, 0.0]
    assert bodies[-1]["comment"]["report_weight"] == 0.75
    named = report(client, site, comment_id, reason="hate", reporter_id="reader-1").get_json()
    assert named["comment"]["report_weight"] == 2.75  # a named reader's report still counts in full


def test_one_reporter_filing_too_fast_gets_429_and_others_do_not(app_with, site):
    client = app_with(REPORTS_PER_REPORTER_PER_MINUTE=3).test_client()
    ids = [submit(client, site, id=f"c-{n}") for n in range(5)]

    statuses = [report(client, site, i, reason="spam", reporter_id="busy-reader").status_code for i in ids]

    assert statuses == [201, 201, 201, 429, 429]
    assert report(client, site, ids[4], reason="spam", reporter_id="calm-reader").status_code == 201


def test_a_reporters_limit_is_per_site(app_with, site, outsider):
    client = app_with(REPORTS_PER_REPORTER_PER_MINUTE=1).test_client()
    ours = submit(client, site)
    theirs = submit(client, outsider)

    assert report(client, site, ours, reason="spam", reporter_id="reader").status_code == 201
    assert report(client, outsider, theirs, reason="spam", reporter_id="reader").status_code == 201
    # ... and it does hold on each: a second on the same site within the minute is refused.
    assert report(client, site, submit(client, site, id="c-2"), reason="spam", reporter_id="reader").status_code == 429


def test_reports_past_the_threshold_raise_a_published_comments_priority_by_their_own_weight_only(app, client, site):
    """Each report on a published comment past the threshold added the whole running weight again:
    one named report then six anonymous ones, the last four weighing nothing, took priority from
    1.02 to 9.77 where the policy gives 1.52, pinning the comment to the top of "To review"."""
    from moderation import db
    from moderation.models import Comment

    comment_id = submit(client, site)
    move(app, comment_id, "published", priority=0.0)
    report(client, site, comment_id, reason="harassment", reporter_id="reader-1")
    for _ in range(6):
        report(client, site, comment_id, reason="spam")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        threshold = comment.site.report_threshold
        assert comment.report_weight >= threshold
        assert comment.priority == pytest.approx(comment.report_weight / threshold)


def test_a_reader_reported_as_at_risk_comes_before_every_insult(app, client, site):
    """A crime desk's walk: one reader's self_harm report left a grieving mother's "Nobody would miss
    me now." 76th of 90 in the queue, at 1.20."""
    from moderation import db
    from moderation.models import Comment

    crisis, insult = submit(client, site, id="crisis"), submit(client, site, id="insult")
    move(app, crisis, "published", priority=0.2)
    move(app, insult, "held", priority=1.9)
    report(client, site, crisis, reason="self_harm", reporter_id="reader-1")
    report(client, site, insult, reason="harassment", reporter_id="reader-2")
    with app.app_context():
        ranked = {c.external_id: c.priority for c in db.session.query(Comment)}
    assert ranked["crisis"] > ranked["insult"]  # lifted: before every insult
    assert ranked["insult"] > 1.9  # an insult the model is sure of, reported too, is not lowered
    spam = submit(client, site, id="spam")
    move(app, spam, "published", priority=0.2)
    report(client, site, spam, reason="spam", reporter_id="reader-3")
    with app.app_context():
        assert db.session.query(Comment).filter_by(external_id="spam").one().priority < 1.0


def test_anonymous_reports_do_not_use_up_the_named_readers_allowance(app_with, site):
    """A raid's walk: 30 anonymous reports a minute, most weighing nothing past their cap, kept the
    reader a published threat named from reporting it (429)."""
    client = app_with(REPORTS_PER_COMMENT_PER_MINUTE=5).test_client()
    comment_id = submit(client, site)
    assert [report(client, site, comment_id, reason="spam").status_code for _ in range(6)] == [201] * 5 + [429]
    named = report(client, site, comment_id, reason="harassment", reporter_id="the-councillor")
    assert named.status_code == 201 and named.get_json()["report"]["weight"] == 2.0


def test_a_raid_of_new_reader_ids_adds_a_bounded_share_to_a_held_comments_priority(app, client, site):
    """A raid's 30 new ids a minute took a civil comment's priority to 60, above a threat at 4; capped
    at 3 it was still above held group hate (a moderator's night shift): new ids are capped lower."""
    from moderation import db
    from moderation.domain.policy import UNTRIED_REPORT_PRIORITY_CAP as REPORT_PRIORITY_CAP
    from moderation.models import Comment

    comment_id = submit(client, site)
    move(app, comment_id, "held", priority=0.1)
    for n in range(25):
        assert report(client, site, comment_id, reason="hate", reporter_id=f"raider-{n}").status_code == 201
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.report_weight == 50.0  # every report is kept and counted
        assert comment.priority == pytest.approx(0.1 + REPORT_PRIORITY_CAP)


def test_one_reporters_reports_sent_at_once_on_many_comments_stop_at_the_limit(app_with, site):
    """A raid's walk: 40 reports at once from one id, each on its own comment (a lock each), took 13
    and 14 of a limit of 10."""
    import threading

    app = app_with(REPORTS_PER_REPORTER_PER_MINUTE=3)
    ids = [submit(app.test_client(), site, id=f"c-{n}") for n in range(8)]
    start = threading.Barrier(len(ids))
    statuses: list[int] = []

    def file(comment_id: int) -> None:
        client = app.test_client()
        start.wait()
        statuses.append(report(client, site, comment_id, reason="spam", reporter_id="raider").status_code)

    threads = [threading.Thread(target=file, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] * 3 + [429] * 5


def test_new_reports_on_a_comment_whose_reports_were_dismissed_raise_its_priority_afresh(app, client, site):
    """A re-check: ranked by every report ever filed, a comment whose dismissed reports had reached the
    cap gained nothing from new ones: three new named reports gave 0.5 where a fresh comment got 3.5."""
    from moderation import db
    from moderation.domain.decisions import decide
    from moderation.domain.policy import UNTRIED_REPORT_PRIORITY_CAP as REPORT_PRIORITY_CAP  # readers none upheld
    from moderation.models import Comment, User

    comment_id = submit(client, site)
    move(app, comment_id, "held", priority=0.5)
    for n in range(5):
        report(client, site, comment_id, reason="hate", reporter_id=f"early-{n}")
    with app.app_context():
        moderator = User(username="mo", role="admin", password_hash="x")
        db.session.add(moderator)
        db.session.commit()
        comment = db.session.get(Comment, comment_id)
        assert comment.priority == pytest.approx(0.5 + REPORT_PRIORITY_CAP)
        decided = decide(db.session, comment_id, user=moderator, action="approve", reason=None,
                         expected_version=comment.version)
        assert decided.priority == pytest.approx(0.5)  # the dismissed reports' share went with them
    for n in range(3):
        body = report(client, site, comment_id, reason="hate", reporter_id=f"late-{n}").get_json()["comment"]
    assert body["status"] == "held"
    with app.app_context():
        assert db.session.get(Comment, comment_id).priority == pytest.approx(0.5 + REPORT_PRIORITY_CAP)


def _moderator_id(app) -> int:
    from moderation import db
    from moderation.models import User

    with app.app_context():
        moderator = User(username="mo", role="admin", password_hash="x")
        db.session.add(moderator)
        db.session.commit()
        return moderator.id


def _act(app, comment_id: int, moderator_id: int, action: str) -> float:
    """Decide or undo as the moderator; the comment's priority after."""
    from datetime import timedelta

    from moderation import db
    from moderation.domain.decisions import decide
    from moderation.domain.undo import undo_decision
    from moderation.models import Comment, User

    with app.app_context():
        moderator = db.session.get(User, moderator_id)
        comment = db.session.get(Comment, comment_id)
        if action == "undo":
            undo_decision(db.session, comment_id, user=moderator, expected_version=comment.version,
                          window=timedelta(minutes=10))
        else:
            decide(db.session, comment_id, user=moderator, action=action,
                   reason="Harassment" if action == "reject" else None, expected_version=comment.version)
        db.session.expire_all()
        return db.session.get(Comment, comment_id).priority


def test_reports_on_a_rejected_comment_rank_it_when_the_rejection_is_undone(app, client, site):
    """A re-check: reports filed on a rejected comment added nothing, so after the rejection's undo,
    an approval and its undo the comment was ranked 3.0, neither where it started (0.5) nor where
    its open reports rank it (3.5)."""
    from moderation.domain.policy import UNTRIED_REPORT_PRIORITY_CAP as REPORT_PRIORITY_CAP  # readers none upheld

    comment_id = submit(client, site)
    move(app, comment_id, "held", priority=0.5)
    moderator_id = _moderator_id(app)

    _act(app, comment_id, moderator_id, "reject")
    for n in range(5):
        report(client, site, comment_id, reason="hate", reporter_id=f"reader-{n}")
    assert [_act(app, comment_id, moderator_id, a) for a in ("undo", "approve", "undo")] == pytest.approx(
        [0.5 + REPORT_PRIORITY_CAP, 0.5, 0.5 + REPORT_PRIORITY_CAP])


def test_reports_reopened_by_an_undo_and_reports_filed_since_rank_a_comment_no_higher_than_the_cap(app, client, site):
    """A re-check: two reports, a rejection, two more reports on the rejected comment, then its undo
    ranked the comment at 0.5 + 5, past the cap its eight units of open weight allow (0.5 + 3)."""
    from moderation.domain.policy import REPORT_PRIORITY_CAP

    comment_id = submit(client, site)
    move(app, comment_id, "published", priority=0.5)  # shown: the reports upheld make trusted readers
    moderator_id = _moderator_id(app)
    for n in range(2):
        report(client, site, comment_id, reason="hate", reporter_id=f"early-{n}")
    _act(app, comment_id, moderator_id, "reject")
    for n in range(2):
        report(client, site, comment_id, reason="hate", reporter_id=f"late-{n}")
    assert _act(app, comment_id, moderator_id, "undo") == pytest.approx(0.5 + REPORT_PRIORITY_CAP)


def test_a_dismissed_self_harm_report_no_longer_ranks_the_comment_and_its_undo_ranks_it_again(app, client, site):
    """The at-risk floor goes with the report that set it: a moderator who dismissed it (the reader
    was quoting a film) and a later report of spam had the comment ranked with threats again."""
    from moderation.domain.reports import AT_RISK_REPORT_LIFT, UNTRIED_AT_RISK_LIFT

    comment_id = submit(client, site)
    move(app, comment_id, "published", priority=0.2)  # shown: the reports upheld make trusted readers
    moderator_id = _moderator_id(app)
    report(client, site, comment_id, reason="self_harm", reporter_id="reader-1")  # weighs 2: the threshold's 1.0
    lifted = 0.2 + 1.0 + UNTRIED_AT_RISK_LIFT  # a reader none has upheld yet
    assert _act(app, comment_id, moderator_id, "approve") == pytest.approx(0.2)
    assert _act(app, comment_id, moderator_id, "undo") == pytest.approx(lifted)
    report(client, site, comment_id, reason="self_harm", reporter_id="reader-2")  # a second lifts no further
    assert _act(app, comment_id, moderator_id, "reject") == pytest.approx(0.2)
    report(client, site, comment_id, reason="spam", reporter_id="reader-3")
    # reader-1 and reader-2 were upheld by the rejection: trusted now, the full share and lift.
    assert _act(app, comment_id, moderator_id, "undo") == pytest.approx(0.2 + 2.5 + AT_RISK_REPORT_LIFT)
