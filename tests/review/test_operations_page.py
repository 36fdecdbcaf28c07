"""/admin/operations: the numbers an operator without Grafana needs, from the database."""
from __future__ import annotations

import re

from datetime import datetime, timedelta, timezone

from moderation import db
from moderation.domain.operations import hourly, snapshot
from moderation.models import AuditEntry, Comment, WebhookDelivery


def _comment(site_id: int, n: int, status: str, **fields) -> Comment:
    return Comment(site_id=site_id, external_id=f"c{n}", story_id="s", author_id=f"a{n}", text=f"text {n}",
                   body_hash=f"{n:064d}", status=status, **fields)


def test_the_page_shows_the_backlog_the_queue_and_the_charts(app, site, admin, sign_in):
    now = datetime.now(timezone.utc)
    with app.app_context():
        db.session.add_all([
            _comment(site.id, 1, "pending", received_at=now - timedelta(minutes=3),
                     status_changed_at=now - timedelta(minutes=3)),
            _comment(site.id, 2, "held", flagged=["toxicity"], received_at=now - timedelta(hours=2),
                     scored_at=now - timedelta(hours=2) + timedelta(seconds=1),
                     status_changed_at=now - timedelta(hours=2)),
            _comment(site.id, 3, "published", flagged=[], received_at=now, scored_at=now + timedelta(seconds=0.5)),
        ])
        db.session.flush()
        db.session.add(WebhookDelivery(site_id=site.id, event={}, created_at=now - timedelta(minutes=5), attempts=3,
                                       last_error="ConnectTimeout: the endpoint did not answer in 5 s"))
        # Scorings are counted from the audit log, as scoring writes it.
        db.session.add_all([AuditEntry(actor="scorer", action=f"status:pending->{new}", at=at)
                            for new, at in (("held", now - timedelta(hours=2)), ("published", now))])
        db.session.commit()
        state = snapshot(db.session, now=now)
        hours = hourly(db.session, hours=24, now=now)
    assert (state.pending, state.webhooks_undelivered) == (1, 1)
    assert 179 <= state.oldest_pending_seconds <= 181 and 299 <= state.oldest_undelivered_seconds <= 301
    [backlog] = state.backlog
    assert (backlog.site, backlog.waiting) == ("daily-planet", 1) and 7199 <= backlog.oldest_held_seconds <= 7201
    # Which site bursts and whose endpoint fails, for an operator in an incident (an SRE's walk).
    assert (backlog.pending, backlog.webhooks_undelivered) == (1, 1)
    assert backlog.last_webhook_error == "ConnectTimeout: the endpoint did not answer in 5 s"
    # Which title is slow, its own comments of the last hour (a newspaper group's walk): the one scored 2 h ago is not.
    assert (backlog.scored_last_hour, backlog.scoring_median_seconds) == (1, 0.5)
    assert sum(h.received for h in hours) == 3 and sum(h.scored for h in hours) == 2
    assert hours[-1].p50_seconds == 0.5

    html = sign_in(admin).get("/admin/operations").get_data(as_text=True)
    assert "Waiting to be scored" in html and "oldest 3 min" in html
    row = html[html.index("<td>daily-planet</td>"):]
    row = " ".join(row[:row.index("</tr>")].split())
    assert ('<td>daily-planet</td><td class="num">1</td> <td class="num">1</td><td class="num">2.0 h</td> '
            '<td class="num">500 ms / 500 ms <small>of 1</small></td> '
            '<td class="num">1</td><td class="num">5 min</td>') in row
    assert "ConnectTimeout: the endpoint did not answer in 5 s" in row
    assert html.count("<figure class=\"chart\">") == 8 and "Posted or edited → scored, median" in html


def test_moderators_cannot_open_it(app, moderator, sign_in):
    assert sign_in(moderator).get("/admin/operations").status_code == 403


def test_the_page_says_whether_new_comments_are_refused_and_which_stories_storm(app, app_with, site, admin, sign_in):
    from moderation.models import StoryStorm

    strict = app_with(BACKPRESSURE_SOFT_LIMIT=1, BACKPRESSURE_HARD_LIMIT=2)
    now = datetime.now(timezone.utc)
    with strict.app_context():
        db.session.add_all([_comment(site.id, n, "pending", received_at=now) for n in range(3)])
        db.session.add(StoryStorm(site_id=site.id, story_id="viral-story", started_at=now, last_stormy_at=now,
                                  trigger="130 comments in the last minute (limit 100)"))
        db.session.commit()
    html = sign_in(admin, strict.test_client()).get("/admin/operations").get_data(as_text=True)
    assert '<dd class="load-overloaded">refused (503)</dd>' in html and "limits: 1 to slow down, 2 to refuse" in html
    assert "Stories in a storm</dt><dd>1</dd>" in html and "daily-planet: viral-story" in html



def test_the_page_says_which_sites_perspective_requests_were_refused_and_why(app, site, admin, sign_in, client,
                                                                             monkeypatch):
    """A migrating site's walk: 20,167 quota refusals and language refusals, each a comment Coral published
    unscored, appeared on no admin page; which site's could not be told."""
    monkeypatch.setattr(app.extensions["perspective_limiter"], "limit", 1)
    body = {"comment": {"text": "A fine piece."}, "requestedAttributes": {"TOXICITY": {}}, "languages": ["en"]}
    for _ in range(3):
        client.post(f"/v1alpha1/comments:analyze?key={site.api_key}", json=body)
    html = sign_in(admin).get("/admin/operations").get_data(as_text=True)
    table = html[html.index("perspective-answers"):]
    row = table[table.index("<td>daily-planet</td>"):]
    row = row[:row.index("</tr>")]
    answered, refused = re.findall(r'<td class="num">([\d,]+)</td>', row)
    assert int(answered.replace(",", "")) >= 1 and int(refused.replace(",", "")) >= 2 and "quota" in row
