"""The queue's tabs with counts, filters that combine, full-text search and keyset paging."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from moderation import db
from moderation.domain.queue import DEFAULT_PAGE_SIZE as SIZE, review_queue
from moderation.domain.queue_filters import parse_filters
from moderation.models import Comment, User

NOW = datetime.now(timezone.utc)


def _ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card item" id="comment-(\d+)"', html)]


def _counts(html: str) -> dict[str, int]:
    return {label: int(n) for label, n in re.findall(r'>([A-Z][a-z ]+) <span class="count">(\d+)</span>', html)}


@pytest.fixture
def mona(sign_in, moderator, site, grant):
    grant(moderator, site)
    return sign_in(moderator)


def test_tabs_show_each_status_with_live_counts(mona, site, make_comment):
    held = make_comment(site.id)
    # Reports past the threshold hold a published comment: the Reported tab is where it shows.
    held_for_reports = make_comment(site.id, flagged=["reports"], report_weight=3.0)
    # Past a threshold an admin lowered after the reports came in: still published, still to review.
    reported = make_comment(site.id, status="published", flagged=[], report_weight=3.0)
    pending = make_comment(site.id, status="pending", scores=None, flagged=None)
    approved = make_comment(site.id, status="approved")
    rejected = make_comment(site.id, status="rejected")
    under_threshold = make_comment(site.id, status="published", flagged=[], report_weight=1.0)  # threshold 2

    html = mona.get("/review").get_data(as_text=True)
    # Reported lists what is under the threshold too, though it is not to review: each reader's
    # report must be answered (a DSA walk found single reports in no list).
    assert _counts(html) == {"To review": 3, "Held": 2, "Reported": 3, "Pending": 1, "Published": 2, "Approved": 1,
                             "Rejected": 1, "All": 7}
    assert sorted(_ids(html)) == sorted([held, held_for_reports, reported])
    for tab, expected in (("held", [held, held_for_reports]), ("reported", [held_for_reports, reported, under_threshold]),
                          ("pending", [pending]), ("approved", [approved]), ("rejected", [rejected]),
                          ("published", [reported, under_threshold])):
        assert sorted(_ids(mona.get(f"/review?tab={tab}").get_data(as_text=True))) == sorted(expected)
    assert len(_ids(mona.get("/review?tab=all").get_data(as_text=True))) == 7
    # With a filter the counts come from another path (one exact pass): they must agree.
    filtered = mona.get(f"/review?site={site.id}&q=-zzzz").get_data(as_text=True)
    assert _counts(filtered)["Reported"] == 3 and _counts(filtered)["To review"] == 3
    # Decided comments are shown, but cannot be decided again from the list.
    assert 'name="version"' not in mona.get("/review?tab=approved").get_data(as_text=True)


def test_filters_combine(mona, site, make_comment):
    yesterday = NOW - timedelta(days=1)
    target = make_comment(site.id, story_id="budget", author_id="reader-x", author_name="Xavier",
                          flagged=["insult"], scores={"toxicity": 0.7, "insult": 0.95},
                          reports=[{"reason": "harassment"}], received_at=yesterday)
    make_comment(site.id, story_id="budget", author_id="reader-x", flagged=["insult"],
                 scores={"toxicity": 0.7, "insult": 0.95}, reports=[{"reason": "spam"}], received_at=yesterday)
    make_comment(site.id, story_id="bridge", author_id="reader-x", flagged=["insult"],
                 scores={"toxicity": 0.7}, reports=[{"reason": "harassment"}], received_at=yesterday)
    make_comment(site.id, story_id="budget", author_id="reader-y", flagged=["toxicity"],
                 scores={"toxicity": 0.99}, reports=[{"reason": "harassment"}], received_at=yesterday)
    make_comment(site.id, story_id="budget", author_id="reader-x", flagged=["insult"],
                 scores={"toxicity": 0.3}, reports=[{"reason": "harassment"}], received_at=yesterday)

    day = yesterday.date().isoformat()
    query = (f"/review?site={site.id}&story=budget&author=xavier&reason=harassment&flag=insult"
             f"&score_attr=toxicity&score_min=0.5&score_max=0.8&since={day}&until={day}")
    html = mona.get(query).get_data(as_text=True)
    assert _ids(html) == [target]
    assert _counts(html)["All"] == 1
    # The filters survive moving to another tab.
    assert f'href="/review?tab=all&amp;site={site.id}&amp;story=budget' in html
    later = (NOW + timedelta(days=1)).date().isoformat()
    assert _ids(mona.get(f"/review?story=budget&since={later}").get_data(as_text=True)) == []


def test_each_tab_says_what_it_holds(mona, site, make_comment):
    """"To review 30" beside "Held 30" read as the same list twice."""
    make_comment(site.id)
    html = mona.get("/review").get_data(as_text=True)
    assert 'data-tab="review" title="held comments, and published ones readers reported past the site&#39;s threshold"' in html
    assert 'data-tab="held" title="comments the model, a rule or reports held"' in html


def test_flagged_for_a_threat_finds_the_threats_a_rule_held_too(mona, site, make_comment):
    """A moderator clearing threats first saw "Die die die" but not "I know where the mayor lives and
    I'm coming for her.", which the threat_words rule held at a threat score of 0.01."""
    by_model = make_comment(site.id, "Die die die", flagged=["threat"])
    by_rule = make_comment(site.id, "I know where the mayor lives and I'm coming for her.", flagged=[],
                           rule_hits=[{"rule": "threats", "action": "hold", "reason": "threat of violence: i know where",
                                       "kind": "threat_words"}])
    make_comment(site.id, "You fool.", flagged=["insult"])
    make_comment(site.id, "Some link", flagged=[], rule_hits=[{"rule": "links", "action": "hold", "reason": "link",
                                                               "kind": "links"}])

    assert sorted(_ids(mona.get("/review?flag=threat").get_data(as_text=True))) == [by_model, by_rule]


def test_a_rule_filter_lists_what_one_rule_caught_published_or_held(mona, site, make_comment):
    """An editor's walk: a flag rule's catches sat unmarked in the Published tab, and the comments a
    since-removed new-author rule held had no filter to find them by."""
    def hit(name: str, action: str = "hold") -> list[dict]:
        return [{"rule": name, "action": action, "reason": "r", "kind": "suspect_words"}]

    flagged = make_comment(site.id, "Some grass told the council.", status="published", flagged=[],
                           rule_hits=hit("house-banned-2", "flag"))
    held = make_comment(site.id, "First comment here.", flagged=[], rule_hits=hit("new-readers"))
    make_comment(site.id, "Another.", flagged=[], rule_hits=hit("links"))

    assert _ids(mona.get("/review?tab=all&rule=house-banned-2").get_data(as_text=True)) == [flagged]
    assert _ids(mona.get("/review?rule=new-readers").get_data(as_text=True)) == [held]
    assert mona.get("/review?rule=" + "x" * 41).status_code == 400


def test_flagged_for_self_harm_finds_readers_at_risk_those_urged_and_those_reported_as_such(mona, site, make_comment):
    """A health desk's walk: no filter found a reader in crisis; a re-check: a crisis the rule missed
    and a reader reported as self-harm was listed by no flag."""
    at_risk = make_comment(site.id, "I don't want to be here anymore.", flagged=[],
                           rule_hits=[{"rule": "at-risk", "action": "hold", "kind": "at_risk",
                                       "reason": 'reader may be at risk: "i don\'t want to be here anymore"'}])
    urged = make_comment(site.id, "kys", flagged=[], rule_hits=[{"rule": "urging-self-harm", "action": "hold",
                                                                 "kind": "urging_self_harm", "reason": 'urging self-harm: "kys"'}])
    reported = make_comment(site.id, "Tonight I say goodbye to all this.", flagged=[],
                            reports=[{"reason": "self_harm", "weight": 2.0}])
    make_comment(site.id, "You fool.", flagged=["insult"], reports=[{"reason": "harassment", "weight": 2.0}])

    assert sorted(_ids(mona.get("/review?flag=self_harm").get_data(as_text=True))) == sorted([at_risk, urged, reported])
    assert 'value="self_harm"' in mona.get("/review").get_data(as_text=True)


def test_flagged_for_contact_seeking_lists_what_the_rule_held(mona, site, make_comment):
    """A children's site's walk: an adult asking readers their age and for a private chat had no filter."""
    sought = make_comment(site.id, "how old are you? dm me", flagged=[],
                          rule_hits=[{"rule": "contact", "action": "hold", "kind": "contact_seeking",
                                      "reason": 'seeks private contact with a reader: "how old are you"'}])
    make_comment(site.id, "You fool.", flagged=["insult"])

    assert _ids(mona.get("/review?flag=contact_seeking").get_data(as_text=True)) == [sought]
    assert 'value="contact_seeking"' in mona.get("/review").get_data(as_text=True)


def _held_by(kind: str) -> list[dict]:
    return [{"rule": kind, "action": "hold", "kind": kind, "reason": kind}]


def test_flagged_for_spam_or_personal_information_lists_what_rules_held_and_readers_reported(mona, site, make_comment):
    """A business desk's walk found its spam wave's held comments only by hand-built searches, and a
    crime desk's doxxing sat among the rest of the queue."""
    link = make_comment(site.id, "Earn $480 a day: homeincomenow . net", flagged=[], rule_hits=_held_by("links"))
    flood = make_comment(site.id, "DM me for signals", flagged=[], rule_hits=_held_by("flood"))
    reported_spam = make_comment(site.id, "Great returns, ask me how", flagged=[], reports=[{"reason": "spam", "weight": 1.0}])
    address = make_comment(site.id, "She lives at 19 Seaview Road", flagged=[], rule_hits=_held_by("street_address"))
    phone = make_comment(site.id, "His mum's number is 07700 900 461", flagged=[], rule_hits=_held_by("phone"))
    make_comment(site.id, "You fool.", flagged=["insult"], reports=[{"reason": "harassment", "weight": 2.0}])

    assert sorted(_ids(mona.get("/review?flag=spam").get_data(as_text=True))) == sorted([link, flood, reported_spam])
    assert sorted(_ids(mona.get("/review?flag=personal_information").get_data(as_text=True))) == sorted([address, phone])
    assert '<option value="personal_information" >personal information</option>' in mona.get("/review").get_data(as_text=True)


def test_search_finds_words_in_any_form_and_uses_the_index(app, mona, site, make_comment):
    bridge = make_comment(site.id, "The bridges were built by fools who cannot count")
    make_comment(site.id, "The budget is a disgrace")
    html = mona.get("/review?q=bridge+fool").get_data(as_text=True)
    assert _ids(html) == [bridge]
    assert _ids(mona.get('/review?q="budget+is"+-bridge').get_data(as_text=True)) == [bridge + 1]
    with app.app_context():
        db.session.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text(
            "EXPLAIN SELECT id FROM comments WHERE search_vector"
            " @@ websearch_to_tsquery('moderation_search'::regconfig, 'bridge')")))
    assert "ix_comments_search_vector" in plan


def test_search_finds_words_however_they_are_accented_or_composed(mona, site, make_comment):
    cafe = make_comment(site.id, "The caf\u00e9 on Hauptstra\u00dfe is a disgrace")
    composed_apart = make_comment(site.id, "Na\u0131\u0308ve cafe\u0301 owners")  # NFD, as some phones send it
    make_comment(site.id, "The cafeteria is closed")
    assert sorted(_ids(mona.get("/review?q=cafe").get_data(as_text=True))) == [cafe, composed_apart]
    assert sorted(_ids(mona.get("/review?q=caf%C3%A9").get_data(as_text=True))) == [cafe, composed_apart]
    assert _ids(mona.get("/review?q=hauptstrasse").get_data(as_text=True)) == [cafe]


def test_search_and_counts_stay_within_the_moderators_sites(app, sign_in, make_site, make_moderator, make_comment):
    site_a, site_b = make_site("site-a"), make_site("site-b")
    make_comment(site_a.id, "A secret about the harbour")
    ours = make_comment(site_b.id, "Nothing about the harbour here")
    bob = sign_in(make_moderator("bob", sites=[site_b]))
    html = bob.get("/review?q=harbour&tab=all").get_data(as_text=True)
    assert _ids(html) == [ours] and "secret" not in html
    assert _counts(html)["All"] == 1
    assert _ids(bob.get("/review?q=secret&tab=all").get_data(as_text=True)) == []


def test_keyset_pages_neither_skip_nor_repeat_when_items_are_decided_meanwhile(app, site, admin, make_comment):
    ids = [make_comment(site.id, priority=0.5) for _ in range(6)]
    with app.app_context():
        viewer = db.session.get(User, admin.id)
        first = review_queue(db.session, viewer=viewer, page_size=3)
        # Someone decides an item of the first page while we read it: OFFSET would now skip one.
        db.session.execute(text("UPDATE comments SET status = 'approved' WHERE id = :id"), {"id": ids[0]})
        db.session.commit()
        second = review_queue(db.session, viewer=viewer, after=first.next_cursor, page_size=3)
    assert [c.id for c in first.items] == ids[:3]
    assert [c.id for c in second.items] == ids[3:] and second.next_cursor is None


def test_the_next_page_link_carries_the_cursor_and_filters(mona, site, make_comment):
    ids = [make_comment(site.id, priority=0.9 - i / 100, story_id="s") for i in range(SIZE + 2)]
    html = mona.get("/review?story=s").get_data(as_text=True)
    assert _ids(html) == ids[:SIZE]
    link = re.search(r'href="([^"]+)">Next page →', html).group(1).replace("&amp;", "&")
    assert "story=s" in link and "after=" in link
    html = mona.get(link).get_data(as_text=True)
    assert _ids(html) == ids[SIZE:] and "Back to the top" in html and "Next page" not in html


# Named as the form labels its box, so the moderator knows which one to change.
@pytest.mark.parametrize("query, named", [
    ("score_min=high", "Score from must be a number from 0 to 1"), ("score_max=2", "Score to must be"),
    ("since=yesterday", "Received from must be a date"), ("flag=rudeness", "Flagged for must be one of"),
    ("reason=meh", "Report reason must be one of"), ("tab=everything", "The tab must be one of"),
    ("site=abc", "Site must be a site id"), ("after=garbage", "after"), ("q=" + "x" * 201, "Search the text must be at most"),
])
def test_an_unreadable_filter_is_a_clear_400_not_a_wider_list(mona, site, make_comment, query, named):
    make_comment(site.id)
    response = mona.get(f"/review?{query}")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert named in html and 'id="comment-' not in html
    # One click to the same queue without the unreadable field.
    back = re.search(r'href="([^"]*)">The queue with the other filters, without this one', html).group(1)
    assert back.startswith("/review") and query.split("=")[0] + "=" not in back


def test_parse_filters_reads_a_query_string(app):
    filters = parse_filters({"site": "3", "score_min": "0.25", "since": "2026-11-01", "q": "  bridge  "})
    assert (filters.site, filters.score_min, filters.since.isoformat(), filters.q) == (3, 0.25, "2026-11-01", "bridge")
    assert filters.as_args() == {"site": "3", "score_min": "0.25", "since": "2026-11-01", "q": "bridge"}


def test_the_queue_order_has_an_index_so_pages_do_not_sort_every_row(app):
    with app.app_context():
        # On a nearly empty table the planner may prefer a bitmap scan and a sort of its few rows;
        # steering it off both leaves a Sort only if no index gives the queue's order.
        db.session.execute(text("SET enable_seqscan = off; SET enable_bitmapscan = off; SET enable_sort = off"))
        plan = "\n".join(db.session.scalars(text(
            "EXPLAIN SELECT id FROM comments WHERE status = 'approved'"
            " ORDER BY priority DESC, received_at, id LIMIT 51")))
    # Either queue-order index will do (0012_queue_speed added one per status); what matters is no Sort.
    assert "queue_order" in plan and "Sort" not in plan


def test_a_card_links_to_every_comment_on_its_story(mona, site, make_comment):
    held = make_comment(site.id, story_id="bridge vote")
    decided = make_comment(site.id, story_id="bridge vote", status="approved")
    make_comment(site.id, story_id="budget")
    html = mona.get("/review").get_data(as_text=True)
    card = html[html.index(f'id="comment-{held}"'):]
    link = re.search(r'<a class="story-filter" href="([^"]+)"', card).group(1).replace("&amp;", "&")
    assert sorted(_ids(mona.get(link).get_data(as_text=True))) == sorted([held, decided])


@pytest.mark.parametrize("path", ["/review?until=9999-12-31", "/review/bulk/matching?until=9999-12-31",
                                  "/review?since=0001-01-01&until=9999-12-31"])
def test_the_last_day_a_date_box_takes_is_no_upper_bound_not_a_500(mona, site, make_comment, path):
    """The day after 9999-12-31 overflowed: a 500 on the queue, the bulk page and the page's poll (a walk)."""
    comment_id = make_comment(site.id)
    response = mona.get(path)
    assert response.status_code == 200 and f'/review/{comment_id}"' in response.get_data(as_text=True)


def test_received_dates_are_days_of_the_moderators_zone_when_the_page_names_it(mona, site, make_comment):
    """A moderator's walk in Tokyo: cards said "received 2026-12-05 06:54 GMT+9", and filtering on
    2026-12-05 found nothing, the days being UTC's."""
    from datetime import datetime, timezone

    evening = make_comment(site.id, received_at=datetime(2026, 12, 4, 22, 0, tzinfo=timezone.utc))  # 12-05 07:00 Tokyo

    tokyo = mona.get("/review?since=2026-12-05&until=2026-12-05&tz=Asia/Tokyo").get_data(as_text=True)
    assert _ids(tokyo) == [evening]
    assert _ids(mona.get("/review?since=2026-12-05&until=2026-12-05").get_data(as_text=True)) == []  # UTC's days
    assert _ids(mona.get("/review?since=2026-12-04&until=2026-12-04&tz=America/New_York").get_data(as_text=True)) == [evening]
    # Kept by the links that keep the filters, and said by the form, which the page's script fills in.
    assert "tz=Asia/Tokyo" in tokyo and 'name="tz" value="Asia/Tokyo" data-local-zone' in tokyo
    # A zone this server does not know, or no zone at all, is UTC's days, not an error.
    for odd in ("Mars/Olympus_Mons", "../../etc/passwd", "x" * 100, "localtime", "posixrules"):
        page = mona.get(f"/review?since=2026-12-05&until=2026-12-05&tz={odd}")
        assert page.status_code == 200 and f'value="{odd}"' not in page.get_data(as_text=True), odd


def test_the_author_filter_finds_a_name_typed_without_its_accents(mona, site, make_comment):
    maria = make_comment(site.id, author_id="r-77", author_name="María José")
    make_comment(site.id, author_id="r-78", author_name="Mario Jost")

    for typed in ("Maria Jose", "maría josé", "MARIA JOSE", "r-77"):
        assert _ids(mona.get("/review", query_string={"author": typed}).get_data(as_text=True)) == [maria], typed


def test_flagged_for_storm_lists_what_a_storm_held_and_not_what_rules_held_beside_it(mona, site, make_comment):
    """A newsroom's first day: after a storm, 282 civil comments it held sat among a rule's hate holds on
    five stories, and the only filter was one story at a time."""
    civil = [make_comment(site.id, f"Thoughts on the match, {n}.", flagged=["storm"]) for n in range(2)]
    make_comment(site.id, "Go back to where you came from.", flagged=[], rule_hits=_held_by("group_attack"))

    assert sorted(_ids(mona.get("/review?flag=storm").get_data(as_text=True))) == sorted(civil)
    assert '<option value="storm" >storm</option>' in mona.get("/review").get_data(as_text=True)


def test_a_decimal_comma_is_read_the_fields_are_named_whole_and_each_tab_has_its_own_title(mona, site, make_comment):
    """An accessibility review: "0,7" (a Spanish-speaking desk's decimal comma) replaced the queue with
    an error page; a screen reader listed fields "from, to, Received from, to"; every tab and filter
    had the window title "Review queue"."""
    assert parse_filters({"score_min": "0,7"}).score_min == 0.7
    make_comment(site.id)
    html = mona.get("/review?score_min=0,7").get_data(as_text=True)
    assert 'value="0.7"' in html
    labels = [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<label>((?:(?!</label>).)*?)<input", html, flags=re.S)]
    assert {"Score from", "Score to", "Received from", "Received to"} <= set(labels)
    titles = {tab: re.search(r"<title>(.*?)</title>", mona.get(f"/review?tab={tab}").get_data(as_text=True)).group(1)
              for tab in ("review", "held", "all")}
    assert len(set(titles.values())) == 3 and titles["held"].startswith("Held (1) · Review queue")


def test_what_a_tab_holds_is_said_on_the_page_not_only_in_a_tooltip(mona, site, make_comment):
    """An accessibility review: each tab's meaning was a title tooltip, which a keyboard never shows."""
    from moderation.domain.queue_filters import TAB_HINTS

    make_comment(site.id)
    html = mona.get("/review?tab=held").get_data(as_text=True)
    assert f'<p class="muted tab-hint">Held: {TAB_HINTS["held"]}.</p>' in html


def test_the_rule_filter_offers_the_names_of_the_rules_in_force(app, mona, site, outsider):
    """Left since several stops: the Rule filter was a free text box, typed from memory."""
    from moderation.domain.rule_sets import save_rules
    from moderation.models import Site

    with app.app_context():
        save_rules(db.session, db.session.get(Site, site.id), [{"name": "court-order", "kind": "banned_words",
                                                               "words": ["Kyle Mercer"], "action": "reject"}],
                   actor="test")
        save_rules(db.session, db.session.get(Site, outsider.id), [{"name": "their-secret", "kind": "phone"}],
                   actor="test")
        db.session.commit()
    html = mona.get("/review").get_data(as_text=True)
    assert '<datalist id="rule-names"><option value="court-order"></datalist>' in html
    assert "their-secret" not in html  # another site's rule names are not hers to see


def test_an_approved_comment_reported_under_the_bar_is_on_the_reported_tab_and_its_card_dismisses_the_reports(
        app, mona, site, make_comment):
    """Two re-checks: listed on Reported with no button, then not listed at all, the open reports of an
    approved comment (one untried reader's, an anonymous one) waited for ever and no reader was told."""
    from review_helpers import csrf_token
    from sqlalchemy import select

    from moderation.models import AuditEntry, Report

    approved = make_comment(site.id, status="approved", flagged=[], report_weight=1.0)
    published = make_comment(site.id, status="published", flagged=[], report_weight=1.0)
    page = mona.get("/review?tab=reported").get_data(as_text=True)
    assert sorted(_ids(page)) == sorted([approved, published]) and _counts(page)["Reported"] == 2
    assert "Keep approved, dismiss 1 report" in page
    # The published one's buttons say what they do to its report (a team lead's new moderator did not know).
    assert "Approve dismisses its 1 open report, Reject upholds it; the site tells each reader." in page
    # All matching counts what it can decide: not the approved card, answered on its own.
    matching = mona.get("/review/bulk/matching?tab=reported").get_data(as_text=True)
    assert "<strong>1</strong> comment matches" in matching, matching

    with app.app_context():
        version = db.session.get(Comment, approved).version
    response = mona.post(f"/review/{approved}/dismiss-reports",
                         data={"csrf_token": csrf_token(page), "version": str(version), "next": "/review?tab=reported"})
    assert response.status_code == 303
    after = mona.get("/review?tab=reported").get_data(as_text=True)
    assert "stays approved; its 1 open report is dismissed" in after and _ids(after) == [published]
    with app.app_context():
        assert db.session.get(Comment, approved).status == "approved"
        assert [r.outcome for r in db.session.scalars(select(Report).where(Report.comment_id == approved))] == [
            "dismissed"]
        assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.comment_id == approved,
                                                                 AuditEntry.action == "reports:dismissed"))
    again = mona.post(f"/review/{approved}/dismiss-reports",
                      data={"csrf_token": csrf_token(after), "version": str(version), "next": "/review"})
    assert again.status_code == 303 and "No reader&#39;s report waits" in mona.get("/review").get_data(as_text=True)


def test_an_empty_to_review_tab_points_at_the_reported_tab_and_flags_are_said_in_words(app, mona, site, make_comment):
    """A team lead's walk: "Nothing to review right now." while the Reported tab had 4, and a bare
    "reports" between the model's attributes on a card read like a cut-off line."""
    make_comment(site.id, status="published", flagged=[], report_weight=1.0)
    empty = mona.get("/review").get_data(as_text=True)
    assert "Nothing to review right now. The" in empty and "Reported tab</a> has 1: readers wait" in empty
    held = make_comment(site.id, flagged=["reports", "toxicity"], report_weight=9.0)
    card = mona.get("/review").get_data(as_text=True)
    card = card[card.index(f'id="comment-{held}"'):]
    assert "<li>readers&#39; reports</li>" in card


def test_the_decided_by_filter_lists_one_moderators_decisions(app, mona, site, make_comment, moderator):
    """A lead, a readers' editor and an admin reading a suspect batch of labels each needed "what did
    bob decide", and had the audit log one entry at a time (three walks)."""
    with app.app_context():
        bob = User(username="bob", role="moderator", password_hash="x")
        db.session.add(bob)
        db.session.commit()
        bob_id = bob.id
    by_bob = make_comment(site.id, "You idiot.", status="approved", decision="approved", decided_by=bob_id)
    by_mona = make_comment(site.id, "You fool.", status="approved", decision="approved", decided_by=moderator.id)
    make_comment(site.id, "Held still.")

    assert _ids(mona.get("/review?tab=approved&decided_by=bob").get_data(as_text=True)) == [by_bob]
    assert _ids(mona.get("/review?tab=approved&decided_by=Bob").get_data(as_text=True)) == [by_bob]
    assert _ids(mona.get("/review?tab=approved&decided_by=mona").get_data(as_text=True)) == [by_mona]
    assert _ids(mona.get("/review?tab=approved&decided_by=nobody").get_data(as_text=True)) == []
    assert 'name="decided_by" value="bob"' in mona.get("/review?tab=approved&decided_by=bob").get_data(as_text=True)
