"""/admin/decisions answers the editor's "how many did we reject this week, and why?" without SQL."""
from __future__ import annotations

import csv
import html
import io
import re
from datetime import datetime, timedelta, timezone

from moderation import db
from moderation.domain.decisions import decide
from moderation.domain.undo import reverse_decision, undo_decision
from moderation.models import Comment, User


def _decide(app, comment_id: int, user_id: int, action: str, reason: str | None = None) -> None:
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decide(db.session, comment_id, user=db.session.get(User, user_id), action=action, reason=reason,
               expected_version=comment.version)


def test_the_report_counts_decisions_reasons_and_each_moderators_share(
        app, sign_in, admin, moderator, make_moderator, grant, site, outsider, make_comment):
    grant(moderator, site)
    second_moderator = make_moderator("max", sites=[site, outsider])
    insults = [make_comment(site.id) for _ in range(3)]
    _decide(app, insults[0], moderator.id, "reject", "Personal attack or insult: called him a clown")
    _decide(app, insults[1], moderator.id, "reject", "Personal attack or insult")
    _decide(app, insults[2], second_moderator.id, "reject", "off topic rant")  # their own words
    civil = make_comment(site.id, "A fair point about the budget.")
    _decide(app, civil, second_moderator.id, "approve")
    undone = make_comment(site.id)
    _decide(app, undone, moderator.id, "approve")
    make_comment(site.id, status="rejected")  # by the policy when scored
    elsewhere = make_comment(outsider.id)
    _decide(app, elsewhere, second_moderator.id, "reject", "Spam")
    old = make_comment(site.id, decided_at=datetime.now(timezone.utc) - timedelta(days=9), status="rejected",
                       decision="rejected", decision_reason="Spam", decided_by=moderator.id)
    with app.app_context():
        undo_decision(db.session, undone, user=db.session.get(User, moderator.id),
                      expected_version=db.session.get(Comment, undone).version, window=timedelta(minutes=10))
        reverse_decision(db.session, civil, user=db.session.get(User, admin.id),
                         expected_version=db.session.get(Comment, civil).version, reason="it mocks a victim")
    client = sign_in(admin)

    page = client.get(f"/admin/decisions?days=7&site={site.id}")
    assert page.status_code == 200
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/decisions.csv?days=7&site={site.id}").get_data(as_text=True))))
    assert ["decided by moderators", "rejected", "3"] in rows and ["decided by moderators", "approved", "0"] in rows
    assert ["rejected when scored", "by auto-reject, a rule or a sanction", "1"] in rows
    assert ["rejections by reason", "Personal attack or insult", "2"] in rows
    assert ["rejections by reason", "other (the moderator's own words)", "1"] in rows
    # Standing: the approval she undid is not counted; made in the period: it is (her work that week).
    assert ["moderator", "mona", "2", "0", "2", "1", "0", "3", "0", "0"] in rows
    assert ["moderator", "max", "1", "0", "1", "0", "1", "2", "0", "0"] in rows  # the approval the admin reversed is
    assert old and "Spam" not in str(rows)  # nine days ago, and another site's
    every_site = client.get("/admin/decisions.csv?days=30").get_data(as_text=True)
    assert "decided by moderators,rejected,5" in every_site


def test_the_report_says_what_came_in_how_long_readers_waited_and_which_stories_drew_the_trouble(
        app, sign_in, admin, moderator, grant, site, make_comment):
    """An editor's walk: no page gave the week's comments received and held, how fast held ones were
    decided, or which stories drew trouble; the CSV named its period only in the file's name."""
    grant(moderator, site)
    ten_minutes_ago = datetime.now(timezone.utc) - timedelta(minutes=10)
    stabbing = [make_comment(site.id, story_id="harbour-stabbing", story_title="Man stabbed at the harbour",
                             received_at=ten_minutes_ago, status_changed_at=ten_minutes_ago) for _ in range(3)]
    make_comment(site.id, "A fair point.", story_id="harbour-stabbing", status="published")
    make_comment(site.id, "Great match.", story_id="rovers-derby", status="published")
    make_comment(site.id, story_id="rovers-derby", status="held", report_weight=2.0)
    _decide(app, stabbing[0], moderator.id, "reject", "Spam")
    _decide(app, stabbing[1], moderator.id, "approve")
    client = sign_in(admin)

    page = " ".join(client.get(f"/admin/decisions?days=7&site={site.id}").get_data(as_text=True).split())
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/decisions.csv?days=7&site={site.id}").get_data(as_text=True))))

    # In the moderator's zone as every other page's times (a standards editor read UTC here, EST elsewhere).
    assert re.search(r'From <time datetime="[^"]+">[^<]+ UTC</time> to <time datetime=', page)
    assert "<dt>Comments received</dt><dd>6</dd>" in page and "<dt>Sent to review</dt><dd>4</dd>" in page
    assert "<dt>Waited for a moderator</dt><dd>10 min</dd>" in page
    # The held ones are not in those waits: said beside them (a standards editor's walk).
    assert "<dt>Still waiting now</dt><dd>2</dd>" in page and "the longest held has waited 10 min so far" in page
    assert ["still waiting now", "in the review queue", "2"] in rows
    assert ["came in", "comments received", "6"] in rows and ["came in", "sent to review", "4"] in rows
    assert ["site", "daily-planet"] in rows and rows[1][0] == "period" and "UTC (excluded)" in rows[1][1]
    assert [r for r in rows if r[:1] == ["story"]] == [
        ["story", "harbour-stabbing", "4", "1", "1", "0", "daily-planet", "Man stabbed at the harbour"],
        ["story", "rovers-derby", "2", "1", "0", "1", "daily-planet", "City council approves the new bridge"]]
    assert "Man stabbed at the harbour" in page


def test_a_period_or_site_the_page_does_not_offer_is_a_400(sign_in, admin):
    client = sign_in(admin)
    assert client.get("/admin/decisions?days=8").status_code == 400
    assert client.get("/admin/decisions?site=999999").status_code == 400
    assert client.get("/admin/decisions.csv?days=abc").status_code == 400


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_quoted():
    from moderation.admin.spreadsheet import text_cell as _cell

    assert [_cell(v) for v in ("=HYPERLINK(1)", "+1", "-1", "@a", "mona", 3)] == ["'=HYPERLINK(1)", "'+1", "'-1", "'@a", "mona", 3]
    # Behind blanks and control characters, and in full width (an adversarial walk).
    hidden = ("\t=HYPERLINK(1)", "\r=1+2", "\n-2+3", " =1+2", "\uff1d1+2", "|calc")
    assert [_cell(v) for v in hidden] == ["'" + v for v in hidden]
    assert _cell("mona lisa") == "mona lisa" and _cell("") == ""


def test_the_csv_is_named_safely_whatever_the_site_is_called(sign_in, admin, make_site):
    """A '"' in a site's name ended the download's quoted file name early (a re-check)."""
    site = make_site('the "daily" café')
    disposition = sign_in(admin).get(f"/admin/decisions.csv?days=7&site={site.id}").headers["Content-Disposition"]
    plain, encoded = disposition.split("; ")[1:]
    assert plain.startswith('filename="decisions-the_daily_caf_-7d-') and plain.count('"') == 2
    assert encoded.startswith("filename*=UTF-8''decisions-the%20%22daily%22%20caf%C3%A9-7d-")


def test_what_moderators_decided_is_split_by_what_had_held_it(app, sign_in, admin, moderator, grant, site,
                                                             make_comment):
    """A standards editor's walk: "how often do our moderators overrule the model?" had no answer;
    approvals of the model's holds, of readers' reports and of a wrong ban's rejections were one number."""
    grant(moderator, site)
    model_held = [make_comment(site.id, flagged=["toxicity"]) for _ in range(2)]
    reported = make_comment(site.id, flagged=["reports"])
    ruled = make_comment(site.id, flagged=[], rule_hits=[{"rule": "court-order", "action": "hold", "reason": "a name"}])
    # A team lead's walk: approvals of what the safety rules held were in no number.
    threat = make_comment(site.id, flagged=["toxicity"], rule_hits=[{"rule": "threats", "kind": "threat_words",
                                                                    "action": "hold"}])
    # Shown, and reported once under the threshold (a DSA walk found these under "an edit, a sanction,
    # a storm or a colleague"), and shown with no report, found by a moderator.
    under_threshold = make_comment(site.id, status="published", flagged=[], reports=[{"weight": 1.0}])
    found = make_comment(site.id, status="published", flagged=[])
    reported_after = make_comment(site.id, status="published", flagged=[])  # reported only once approved
    _decide(app, model_held[0], moderator.id, "approve")
    _decide(app, model_held[1], moderator.id, "reject", "Personal attack or insult")
    _decide(app, reported, moderator.id, "approve")
    _decide(app, ruled, moderator.id, "reject", "Legal")
    _decide(app, under_threshold, moderator.id, "reject", "Off topic")
    _decide(app, found, moderator.id, "reject", "Spam or advertising")
    _decide(app, reported_after, moderator.id, "approve")
    _decide(app, threat, moderator.id, "approve")
    with app.app_context():  # a report after the approval did not bring it to the moderator (a re-check)
        from moderation.models import Report

        db.session.add(Report(comment_id=reported_after, reason="spam", reporter_id="late", weight=1.0))
        db.session.commit()
    client = sign_in(admin)

    rows = list(csv.reader(io.StringIO(client.get(f"/admin/decisions.csv?days=7&site={site.id}").get_data(as_text=True))))
    assert ["held by", "the model's scores", "3", "2", "1"] in rows
    assert ["held by", "readers' reports", "2", "1", "1"] in rows and ["held by", "a rule", "1", "0", "1"] in rows
    assert ["held by", "an edit, a sanction, a storm or a colleague", "0", "0", "0"] in rows
    assert ["held by", "nothing: shown, and a moderator found it", "2", "1", "1"] in rows
    # Two approvals overruled the model, one of them a rule too; the header names every column (a re-check).
    assert ["moderator", "mona", "8", "4", "4", "0", "0", "8", "2", "1"] in rows
    assert rows[0][-2:] == ["approved what the model held", "approved what a safety rule held"]
    page = " ".join(client.get(f"/admin/decisions?days=7&site={site.id}").get_data(as_text=True).split())
    assert "What had held what moderators decided" in page and "Approved what the model held" in page
    assert "Approved what a safety rule held" in page


def test_readers_reports_and_automated_removals_are_counted_for_a_transparency_report(
        app, sign_in, admin, moderator, grant, site, make_comment):
    """A DSA walk computed notices, their answers and how long those took from one API call per
    comment, and found the removals no person made in one number."""
    from datetime import datetime, timedelta, timezone

    from moderation.models import Report

    grant(moderator, site)
    upheld = make_comment(site.id, flagged=["reports"], report_weight=2.0,
                          reports=[{"reason": "harassment", "weight": 2.0}])
    dismissed = make_comment(site.id, flagged=["reports"], report_weight=1.0, reports=[{"reason": "spam", "weight": 1.0}])
    make_comment(site.id, status="published", flagged=[], report_weight=0.5,
                 reports=[{"reason": "off_topic", "weight": 0.5}])  # under the threshold: still open
    make_comment(site.id, status="rejected", flagged=["toxicity", "auto_rejected"], decision=None)
    make_comment(site.id, status="rejected", flagged=["author_banned"], decision=None)
    make_comment(site.id, status="rejected", flagged=[], decision=None,
                 rule_hits=[{"rule": "court-order", "action": "reject", "reason": "a name"}])
    with app.app_context():  # filed an hour before the decisions below answer them
        for report in db.session.query(Report).all():
            report.created_at = datetime.now(timezone.utc) - timedelta(hours=1)
        db.session.commit()
    _decide(app, upheld, moderator.id, "reject", "Harassment")
    _decide(app, dismissed, moderator.id, "approve")

    client = sign_in(admin)
    rows = list(csv.reader(io.StringIO(client.get(f"/admin/decisions.csv?days=7&site={site.id}").get_data(as_text=True))))
    assert ["readers' reports", "filed", "3"] in rows
    assert {tuple(r[1:3]) for r in rows if r[:1] == ["readers' reports by reason"]} == {
        ("harassment", "1"), ("spam", "1"), ("off_topic", "1")}
    answered = {r[1]: r[2] for r in rows if r[:1] == ["readers' reports filed, answered now"]}
    assert answered == {"upheld": "1", "dismissed": "1", "removed": "0", "open": "1"}
    median = next(r[2] for r in rows if r[:2] == ["seconds from a report to its answer", "median"])
    assert 3500 < int(median) < 3700
    automated = {r[1]: r[2] for r in rows if r[:1] == ["rejected when scored"]}
    assert automated == {"by auto-reject, a rule or a sanction": "3", "by the author's ban or suspension": "1",
                         "by the model's auto-reject": "1", "by a reject rule": "1"}
    page = html.unescape(" ".join(client.get(f"/admin/decisions?days=7&site={site.id}").get_data(as_text=True).split()))
    assert "Readers' reports" in page and "still open 1" in page and "1 by the model's auto-reject" in page


def test_a_readers_wait_ends_at_the_first_decision_and_is_said_in_seconds_under_a_minute(
        app, sign_in, admin, moderator, grant, site, make_comment):
    """A team lead's walk: after a lead's reversal and decision 22 minutes later "the longest 23 min",
    where no comment had waited 5; a comment decided in a minute and reversed since "has waited 26 min
    so far"; and a desk answering in 36 s read "0 min"."""
    from moderation.models import AuditEntry

    grant(moderator, site)
    now = datetime.now(timezone.utc)
    corrected = make_comment(site.id, received_at=now - timedelta(minutes=20))
    quick = make_comment(site.id, received_at=now - timedelta(seconds=40))
    back = make_comment(site.id, received_at=now - timedelta(minutes=26))
    with app.app_context():
        # The first decision, a minute after it came, before the lead reversed it and it was decided again now.
        db.session.add(AuditEntry(actor="user:mona", action="status:held->approved", comment_id=corrected,
                                  at=now - timedelta(minutes=19)))
        db.session.get(Comment, back).status_changed_at = now - timedelta(minutes=2)  # sent back to review
        db.session.commit()
    _decide(app, corrected, moderator.id, "reject", "Spam")
    _decide(app, quick, moderator.id, "approve")
    page = " ".join(sign_in(admin).get(f"/admin/decisions?days=7&site={site.id}").get_data(as_text=True).split())
    # The median of 40 s and 1 min, and the longest the first decision's minute, not the 20 to the last.
    assert "<dt>Waited for a moderator</dt><dd>50 s</dd>" in page and "the longest 1 min</dd>" in page
    assert "the longest held has waited 2 min so far" in page
    # In the CSV in seconds: hours to two decimals had read "0.01" for the 50 s (an analyst's walk).
    rows = list(csv.reader(io.StringIO(sign_in(admin).get(f"/admin/decisions.csv?days=7&site={site.id}")
                                       .get_data(as_text=True))))
    waits = {r[1]: r[2] for r in rows if r[:1] == ["seconds to a moderator's decision"]}
    assert waits == {"median": "50", "9 in 10 within": "58", "longest": "60"}
    longest = next(r[2] for r in rows if r[1:2] == ["seconds the longest held has waited"])
    assert 115 <= int(longest) <= 180


def test_approving_what_another_language_held_is_no_approved_safety_hold(app, sign_in, admin, moderator, grant, site,
                                                                          make_comment):
    """A readers' editor's walk: two approvals of civil Spanish comments counted under "Approved what a
    rule held (threats, readers at risk, urging…)"."""
    spanish = make_comment(site.id, "Gracias por el artículo.", flagged=[], rule_hits=[
        {"rule": "other-language", "kind": "other_language", "action": "hold", "reason": "Spanish (es)"}])
    grant(moderator, site)
    _decide(app, spanish, moderator.id, "approve")
    rows = list(csv.reader(io.StringIO(sign_in(admin).get(f"/admin/decisions.csv?days=7&site={site.id}")
                                       .get_data(as_text=True))))
    mona = next(row for row in rows if row[:2] == ["moderator", "mona"])
    assert mona[-1] == "0"


def _csv(client, query: str) -> list[list[str]]:
    response = client.get(f"/admin/decisions.csv?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def _rejected(app, site_id: int, moderator_id: int, make_comment, at: datetime) -> int:
    return make_comment(site_id, received_at=at - timedelta(minutes=1), decided_at=at, status="rejected",
                        decision="rejected", decision_reason="Spam", decided_by=moderator_id)


def test_a_calendar_period_or_month_is_counted_the_same_once_it_is_over(app, sign_in, admin, moderator, grant, site,
                                                                         outsider, make_comment):
    """An audience analyst's walk: only "the last 30 days" ending now, so November's numbers were gone
    once December began; `?month=` and `?since=` answered the last 7 days without a word."""
    grant(moderator, site)
    today = datetime.now(timezone.utc).date()
    first, last = today - timedelta(days=40), today - timedelta(days=20)
    start = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
    end = datetime(last.year, last.month, last.day, tzinfo=timezone.utc) + timedelta(days=1)
    for at in (start, end - timedelta(seconds=1)):  # the first and the last second of the days asked
        _rejected(app, site.id, moderator.id, make_comment, at)
    for at in (start - timedelta(seconds=1), end):  # just outside them
        _rejected(app, site.id, moderator.id, make_comment, at)
    client = sign_in(admin)

    rows = _csv(client, f"from={first}&to={last}&site={site.id}")
    assert ["decided by moderators", "rejected", "2"] in rows and ["came in", "comments received", "2"] in rows
    assert rows[1] == ["period", f"{start:%Y-%m-%d} 00:00:00 UTC (included) to {end:%Y-%m-%d} 00:00:00 UTC (excluded): "
                                 f"{first} to {last}, days of UTC"]
    page = client.get(f"/admin/decisions?from={first}&to={last}&site={site.id}").get_data(as_text=True)
    assert f"({first} to {last}, days of UTC" in page and "<dt>Rejected by moderators</dt><dd>2</dd>" in " ".join(page.split())
    assert f'href="/admin/decisions.csv?site={site.id}&amp;from={first}&amp;to={last}"' in page

    # A month, on another site so the days above are not in it.
    grant(moderator, outsider)
    month_first = (today.replace(day=1) - timedelta(days=40)).replace(day=1)
    month_end = (month_first + timedelta(days=31)).replace(day=1)
    month_start = datetime(month_first.year, month_first.month, 1, tzinfo=timezone.utc)
    month_stop = datetime(month_end.year, month_end.month, 1, tzinfo=timezone.utc)
    for at in (month_start, month_stop - timedelta(seconds=1), month_start - timedelta(seconds=1), month_stop):
        _rejected(app, outsider.id, moderator.id, make_comment, at)
    month = _csv(client, f"month={month_first:%Y-%m}&site={outsider.id}")
    assert month[1][1].startswith(f"{month_first} 00:00:00 UTC (included) to {month_end} 00:00:00 UTC (excluded)")
    assert ["decided by moderators", "rejected", "2"] in month
    # This month is not over: counted until now, and the file says so.
    current = _csv(client, f"month={today:%Y-%m}&site={site.id}")
    assert "not over: counted until now" in current[1][1]


def test_a_period_in_a_named_zone_is_of_that_zones_days(sign_in, admin):
    rows = _csv(sign_in(admin), "from=2026-11-01&to=2026-11-30&tz=Asia/Tokyo")
    assert rows[1][1].startswith("2026-10-31 15:00:00 UTC (included) to 2026-11-30 15:00:00 UTC (excluded)")
    assert "days of Asia/Tokyo" in rows[1][1]


def test_a_period_it_cannot_read_is_a_400_naming_the_parameter_never_the_last_7_days(sign_in, admin, site):
    client = sign_in(admin)
    refused = {
        "since=2026-11-01&until=2026-11-30": "since",
        "from=2026-11-31&to=2026-12-01": "from",
        "from=1.11.2026": "from",
        "from=2026-11-30&to=2026-11-01": "from",
        "from=2025-01-01&to=2026-11-30": "366 days",
        "to=2026-11-30": "from is needed",
        "month=2026-13": "month",
        "month=2026-11&from=2026-11-01": "month",
        "days=30&from=2026-11-01&to=2026-11-30": "days",
        "days=7&days=30": "days is given 2 times",
        f"site={site.id}&site={site.id}": "site is given 2 times",
        "from=2026-11-01&from=2026-11-02&to=2026-11-30": "from is given 2 times",
        "from=2026-11-01&to=2026-11-30&tz=Mars/Olympus": "tz",
        # A file beside the zones, not one: the server's own zone under a name that says none.
        "from=2026-11-01&to=2026-11-30&tz=localtime": "tz",
        "from=9999-12-31&to=9999-12-31": "from",
    }
    for query, named in refused.items():
        for path in ("/admin/decisions", "/admin/decisions.csv"):
            response = client.get(f"{path}?{query}")
            assert response.status_code == 400 and named in response.get_data(as_text=True), (path, query)
    assert client.get("/admin/decisions.csv?from=2024-01-01&to=2024-12-31").status_code == 200  # a leap year, 366 days


def test_the_csv_lists_every_story_so_its_rows_add_up_to_the_comments_received(
        app, sign_in, admin, site, make_comment, monkeypatch):
    """The page's ten stories with the most trouble, unsaid in the file: a spreadsheet's sum of the
    story rows read 500 against "comments received,550" (an analyst's walk)."""
    for n in range(12):
        make_comment(site.id, story_id=f"held-{n}")
    make_comment(site.id, "A fair point.", story_id="quiet", status="published", flagged=[])
    client = sign_in(admin)
    rows = _csv(client, f"days=7&site={site.id}")
    stories = [r for r in rows if r[:1] == ["story"]]
    assert len(stories) == 13 and ["story", "quiet", "1", "0", "0", "0", "daily-planet", "City council approves the new bridge"] in stories
    assert sum(int(r[2]) for r in stories) == 13 and ["came in", "comments received", "13"] in rows
    page = " ".join(client.get(f"/admin/decisions?days=7&site={site.id}").get_data(as_text=True).split())
    assert "the 10 with the most held and rejected." in page and "lists every story that received a comment" in page

    from moderation.admin import decision_report

    monkeypatch.setattr(decision_report, "MAX_CSV_STORIES", 5)
    cut = _csv(client, f"days=7&site={site.id}")
    assert len([r for r in cut if r[:1] == ["story"]]) == 5
    left_out = next(r for r in cut if r[:1] == ["stories left out"])
    assert left_out[1].startswith("8 more stories") and "shorter period" in left_out[-1]
