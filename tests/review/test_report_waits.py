"""What the queue says of readers' reports' waits (review/waits.py): an election night's walk found a
comment reported 14 minutes ago and one reported 30 s ago alike on every card, and the waits on an
admin's page alone, while 37 of 64 reports stayed open past the editor's 15 minutes."""
from __future__ import annotations

import html as html_module
import re
from datetime import datetime, timedelta, timezone


def _ago(minutes: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(minutes=minutes)


def _card(html: str, comment_id: int) -> str:
    start = html.index(f'id="comment-{comment_id}"')
    end = html.find('<li class="card item"', start)
    return html[start:end if end > 0 else None]


def test_a_card_says_when_its_oldest_open_report_came_in_and_each_reports_time(sign_in, moderator, grant, site,
                                                                               make_comment):
    grant(moderator, site)
    reported = make_comment(site.id, "Storm the count centre tonight.", status="published", flagged=[],
                            report_weight=3.0, reports=[
                                {"reporter_id": "reader-1002", "reason": "harassment", "weight": 2.0,
                                 "created_at": _ago(14.5)},
                                {"reporter_id": "reader-1003", "weight": 1.0, "created_at": _ago(0.2)}])
    client = sign_in(moderator)
    for tab in ("review", "reported"):
        card = _card(client.get(f"/review?tab={tab}").get_data(as_text=True), reported)
        oldest = re.search(r'<span class="report-wait" [^>]*><time datetime="([^"]+)"[^>]*>first reported 14 min ago</time>',
                           card)
        assert oldest, card
        assert abs(datetime.fromisoformat(oldest.group(1)) - _ago(14.5)) < timedelta(seconds=30)
        assert "past the desk's" in card and 'class="overdue-note" hidden' in card  # not yet
        weights = card[card.index("Who reported"):]
        assert re.search(r"reader-1002</bdi> weighs 2 .*?<time [^>]*>reported 14 min ago</time>", weights)
        assert re.search(r"reader-1003</bdi> weighs 1 .*?<time [^>]*>reported just now</time>", weights)
    assert "have waited over" not in client.get("/review").get_data(as_text=True)


def test_a_moderator_is_told_of_reports_past_the_window_and_led_to_the_oldest(sign_in, moderator, grant, site,
                                                                            make_comment):
    grant(moderator, site)
    held = make_comment(site.id, "You vile idiot.", priority=1.98)
    late = make_comment(site.id, "Somebody needs to put Okafor in the ground.", status="published", flagged=[],
                        priority=0.1, report_weight=3.0, reports=[
                            {"reporter_id": "a", "weight": 2.0, "reason": "harassment", "created_at": _ago(22)},
                            {"reporter_id": "b", "weight": 1.0, "created_at": _ago(16)}])
    later = make_comment(site.id, "A bullet is too good for Price.", status="published", flagged=[],
                         priority=0.5, report_weight=2.0, reports=[{"weight": 2.0, "created_at": _ago(17)}])
    fresh = make_comment(site.id, "I disagree with the mayor.", status="published", flagged=[], priority=2.5,
                         report_weight=1.0, reports=[{"weight": 1.0, "created_at": _ago(1)}])
    client = sign_in(moderator)
    html = client.get("/review").get_data(as_text=True)
    banner = re.search(r'<p class="flash flash-warning report-wait-banner"[^>]*>(.*?)</p>', html, re.S).group(1)
    text = html_module.unescape(" ".join(re.sub(r"<[^>]+>", "", banner).split()))
    assert text.startswith("3 readers' reports on 2 comments have waited over 15 min for an answer; "
                           "the oldest was reported 22 min ago.")
    assert 'href="/review?tab=reported&amp;sort=waiting"' in banner
    assert re.search(r'<span class="report-wait overdue" [^>]*><time [^>]*>first reported 22 min ago</time>\s*'
                     r"<span class=\"overdue-note\">, past the desk's 15 min</span>", _card(html, late))

    oldest_first = client.get("/review?tab=reported&sort=waiting").get_data(as_text=True)
    assert re.findall(r'data-comment-id="(\d+)"', oldest_first) == [str(late), str(later), str(fresh)]
    assert '<a href="/review?tab=reported&amp;sort=waiting" aria-current="true">oldest report first</a>' in oldest_first
    by_priority = client.get("/review?tab=reported").get_data(as_text=True)
    assert re.findall(r'data-comment-id="(\d+)"', by_priority)[0] == str(fresh)
    assert held not in [int(i) for i in re.findall(r'data-comment-id="(\d+)"', oldest_first)]


def test_the_oldest_report_order_is_the_reported_tabs_alone(sign_in, moderator, grant, site):
    grant(moderator, site)
    response = sign_in(moderator).get("/review?tab=review&sort=waiting")
    assert response.status_code == 400
    assert "Order by the oldest report is for the Reported tab" in response.get_data(as_text=True)


def test_a_cursor_with_an_id_past_bigint_is_a_400_in_either_order(sign_in, moderator, grant, site):
    # A re-check: PostgreSQL refused the id, and the page answered 500.
    grant(moderator, site)
    client = sign_in(moderator)
    huge = 2**63
    for path in (f"/review?tab=reported&sort=waiting&after=waiting~2026-12-06T10:00:00%2B00:00~{huge}",
                 f"/review?after=1.5~2026-12-06T10:00:00%2B00:00~{huge}"):
        response = client.get(path)
        assert response.status_code == 400, path


def test_a_page_of_reported_cards_reads_the_desks_window_once(sign_in, moderator, grant, site, make_comment,
                                                             monkeypatch):
    """A review: every card read the setting again; one page says one window of all its cards."""
    import moderation.review.waits as waits

    reads = []
    read = waits.report_window
    monkeypatch.setattr(waits, "report_window", lambda session: reads.append(1) or read(session))
    grant(moderator, site)
    cards = [make_comment(site.id, f"Reported comment {n}.", status="published", flagged=[], report_weight=2.0,
                          reports=[{"weight": 2.0, "created_at": _ago(20 + n)}]) for n in range(3)]
    html = sign_in(moderator).get("/review?tab=reported").get_data(as_text=True)
    assert all("past the desk's 15 min" in _card(html, c) and 'class="overdue-note" hidden' not in _card(html, c)
               for c in cards)
    assert len(reads) == 1


def test_the_queues_live_updates_redraw_the_late_reports_banner(app, sign_in, moderator, grant, site, make_comment):
    # Drawn once, the banner kept its count while the cards under it were answered and more reports grew
    # late (a tester's); the page's own poll now brings it as the page draws it, or "" when none is late.
    from moderation import db
    from moderation.models import Report

    grant(moderator, site)
    client = sign_in(moderator)
    loaded_at = datetime.now(timezone.utc).isoformat()

    def banner(**args: str) -> str:
        body = client.get("/review/updates", query_string={"loaded_at": loaded_at, **args}).get_json()
        return html_module.unescape(" ".join(re.sub(r"<[^>]+>", "", body["report_wait_banner"]).split()))

    late = make_comment(site.id, "Somebody needs to put Okafor in the ground.", status="published", flagged=[],
                        report_weight=2.0, reports=[{"weight": 2.0, "created_at": _ago(3)}])
    assert banner() == ""  # reported, not yet late
    with app.app_context():
        db.session.query(Report).filter_by(comment_id=late).update({"created_at": _ago(20)})
        db.session.commit()
    assert banner() == ("1 reader's report has waited over 15 min for an answer; the oldest was reported 20 min ago. "
                        "Reported tab, oldest report first")
    make_comment(site.id, "A bullet is too good for Price.", status="published", flagged=[], report_weight=2.0,
                 reports=[{"weight": 1.0, "created_at": _ago(17)}, {"weight": 1.0, "created_at": _ago(16)}])
    assert banner().startswith("3 readers' reports on 2 comments have waited over 15 min")
    # On the Reported tab in that order already, it leads nowhere else; a filter keeps to its comments.
    assert banner(tab="reported", sort="waiting").endswith("reported 20 min ago.")
    assert banner(q="bullet").startswith("2 readers' reports on 1 comment have waited")
    with app.app_context():
        db.session.query(Report).update({"outcome": "upheld"})
        db.session.commit()
    assert banner() == ""
    assert client.get("/review/updates", query_string={"loaded_at": loaded_at, "sort": "waiting"}).status_code == 400
