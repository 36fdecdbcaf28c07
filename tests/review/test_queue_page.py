"""What a moderator sees on /review and /review/<id>."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from moderation import db
from moderation.domain.queue import review_queue
from moderation.models import Comment, User


def _queue_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="card item" id="comment-(\d+)"', html)]


def test_it_shows_a_held_comment_with_its_spans_scores_reasons_and_story(sign_in, moderator, site, make_comment,
                                                                          grant):
    grant(moderator, site)
    comment_id = make_comment(site.id, "You are an idiot and your article is garbage.")
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert _queue_ids(html) == [comment_id]
    assert 'You are an <mark title="raises insult +0.70">idiot</mark> and your article is garbage.' in html
    assert "City council approves the new bridge" in html
    assert 'href="https://daily-planet.example/stories/1"' in html
    assert "Reader 1" in html
    assert re.search(r'<tr class="flagged">\s*<th scope="row">toxicity</th>', html)
    assert "<strong>0.91</strong>" in html and "<strong>0.12</strong>" not in html
    assert 'name="version" value="1"' in html
    # What the marks mean, said in words beside the text: a tooltip no keyboard or screen reader reaches.
    assert '<li>insult: <span class="marked-words">“idiot”</span></li>' in html


def test_it_escapes_comment_text(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    text = '<script>alert("x")</script> you <b>fool</b>'
    fool = {"begin": text.index("<b>fool"), "end": text.index("</b>"), "score": 0.8}
    make_comment(site.id, text, explanations={"insult": [fool]},
                 author_name="<img src=x onerror=alert(1)>", story_title="<i>Story</i>",
                 story_url="javascript:alert(1)", reports=[{"reason": "uncivil", "note": "<b>rude</b>"}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "<script>alert" not in html and "<b>fool" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    # a comment box's tags are shown escaped, quieter than the words (a span the page adds, not the author)
    assert '<mark title="raises insult +0.80">&lt;b&gt;fool</mark><span class="markup">&lt;/b&gt;</span>' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&lt;i&gt;Story&lt;/i&gt;" in html
    assert "javascript:" not in html
    assert "&lt;b&gt;rude&lt;/b&gt;" in html


def test_a_long_report_note_shows_its_start_on_the_card_and_the_rest_on_request(sign_in, moderator, site,
                                                                                make_comment, grant):
    """A 1,900-character note filled the card, and without a space made the page 21,415 px wide."""
    grant(moderator, site)
    note = "N" * 1900
    make_comment(site.id, reports=[{"reason": "harassment", "note": note}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert f"“<bdi>{'N' * 299}…</bdi>”" in html
    assert f"<summary>whole note (1900 characters)</summary><bdi>{note}</bdi></details>" in html


def test_a_card_shows_two_notes_and_the_others_and_the_weights_on_request(sign_in, moderator, site, make_comment,
                                                                          grant):
    """A phone review: five notes and ten reporters' weights made a card two screens tall."""
    grant(moderator, site)
    make_comment(site.id, reports=[{"reason": "harassment", "note": f"note {n}", "reporter_id": f"r{n}"} for n in range(6)])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    shown, rest = html.split('<details class="more-notes">', 1)
    assert "“<bdi>note 0</bdi>”" in shown and "“<bdi>note 1</bdi>”" in shown and "note 2" not in shown
    assert "<summary>4 more different notes</summary>" in rest and "“<bdi>note 5</bdi>”" in rest
    assert '<details class="report-weights-list"><summary>Who reported, and what each weighs</summary>' in html


def test_a_brigades_pasted_note_shows_once_with_its_count_and_every_reporter_is_counted(sign_in, moderator, site,
                                                                                         make_comment, grant):
    """A trust and safety walk: 30 copies of one note read "3 more notes", the 20 reporters after the
    first ten went unmentioned, and a trusted reader filing 11th was off the list."""
    grant(moderator, site)
    brigade = [{"reason": "hate", "note": "this is hate speech remove it" if n % 2 else "This is hate  speech remove it ",
                "reporter_id": f"brig-{n}" if n != 7 else "\u202ebrig-7\u2066", "weight": 2.0} for n in range(29)]
    trusted = {"reason": "hate", "note": "\u202etxet desrever", "reporter_id": "trusted-one", "weight": 4.0,
               "weight_reason": "hate 4: 0 of 3 earlier reports dismissed"}
    make_comment(site.id, reports=[*brigade, trusted])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "“<bdi>This is hate  speech remove it </bdi>” <small>— hate, sent by 29 readers</small>" in html
    assert html.lower().count("hate  speech remove it") == 1 and "hate speech remove it" not in html.lower()
    assert "“<bdi>txet desrever</bdi>”" in html and "\u202e" not in html  # a note needs no direction controls
    weights = html.split('<ul class="report-weights">', 1)[1].split("</ul>", 1)[0]
    assert "<bdi>brig-7</bdi>" in weights and "\u202e" not in weights  # a second re-check: ids without controls
    assert weights.index("<bdi>trusted-one</bdi> weighs 4") < weights.index("<bdi>brig-0</bdi> weighs 2")
    assert "and 20 more readers, weighing less or the same" in weights


def test_a_comment_the_language_rule_held_is_marked_with_its_language(app, sign_in, moderator, site, make_comment,
                                                                         grant):
    """A screen reader read "Ты тупой урод" with its English voice: the card named Russian, the text did not."""
    grant(moderator, site)
    russian = make_comment(site.id, "Ты тупой урод, заткнись уже.", explanations=None, rule_hits=[
        {"rule": "other-language", "action": "hold", "kind": "other_language",
         "reason": "not in English, which the model reads: Russian (ru)"}])
    english = make_comment(site.id, "You absolute fool.", explanations=None)
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert f'id="comment-{russian}-text" dir="auto" lang="ru">' in html
    assert f'id="comment-{english}-text" dir="auto">' in html
    # And where its text is quoted: a reply's thread and the author's page (an accessibility review).
    with app.app_context():
        row = db.session.get(Comment, russian)
        external_id, author_id = row.external_id, row.author_id
    reply = make_comment(site.id, "Please keep it civil.", explanations=None, parent_id=external_id)
    page = sign_in(moderator).get(f"/review/{reply}").get_data(as_text=True)
    assert '<blockquote class="excerpt" dir="auto" lang="ru">Ты тупой урод' in page
    author_page = sign_in(moderator).get(f"/review/authors/{site.id}/{author_id}").get_data(as_text=True)
    assert ' lang="ru">Ты тупой урод' in author_page
    # A bulk decision's list of what it would decide (left from the accessibility review).
    bulk = sign_in(moderator).get("/review/bulk/matching?tab=review&q=урод").get_data(as_text=True)
    assert '<span lang="ru">Ты тупой урод' in bulk


def test_a_comment_in_another_language_shows_the_models_scores_as_not_read_and_marks_none_of_its_words(
        sign_in, moderator, site, make_comment, grant):
    """A bilingual paper's walk: "Te voy a matar ..." showed "threat 0.00" with bars, as if the model had
    read it, and "pidió" ("asked") was marked as toxic. An English comment's card is as it was."""
    grant(moderator, site)
    text = "Cállate, idiota. Nadie te pidió tu opinión."
    spanish = make_comment(site.id, text, flagged=[], explanations={
        "toxicity": [{"begin": 26, "end": 31, "score": 0.4, "text": "pidió"}]}, rule_hits=[
        {"rule": "other-language", "action": "hold", "kind": "other_language",
         "reason": "not in English, which the model reads: Spanish (es)"}])
    english = make_comment(site.id, "You are an idiot and your article is garbage.")
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    card = html.split(f'id="comment-{spanish}-text"', 1)[1].split('id="comment-', 1)[0]
    assert "<mark" not in card.split("</blockquote>", 1)[0]
    assert '<table class="scores unread">' in card
    assert "Not read: the model reads English, and this is Spanish. Read the words, not these numbers." in card
    other = html.split(f'id="comment-{english}-text"', 1)[1].split('id="comment-', 1)[0]
    assert "<mark" in other.split("</blockquote>", 1)[0] and '<table class="scores">' in other


@pytest.mark.parametrize("reason", ["not in English, which the model reads: cy", "not in English, which the model reads: Welsh (cy)"])
def test_a_welsh_comment_held_with_or_without_its_languages_name_shows_the_scores_as_not_read(
        sign_in, moderator, site, make_comment, grant, reason):
    """A readers' editor's walk: a Welsh hold said "which the model reads: cy", and its card showed the
    model's scores in full colour, as if read."""
    grant(moderator, site)
    welsh = make_comment(site.id, "Mae'r cynghorwyr yn hollol dwp, ffycin idiots.", flagged=["toxicity"], rule_hits=[
        {"rule": "other-language", "action": "hold", "kind": "other_language", "reason": reason}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    card = html.split(f'id="comment-{welsh}-text"', 1)[1].split('id="comment-', 1)[0]
    assert '<table class="scores unread">' in card
    assert "Not read: the model reads English, and this is Welsh. Read the words, not these numbers." in card


def test_a_comment_a_pre_moderated_story_held_says_so_in_words_not_a_code_name(sign_in, moderator, site, make_comment,
                                                                               grant):
    grant(moderator, site)
    make_comment(site.id, "A fair point.", flagged=[], explanations=None, rule_hits=[
        {"rule": "story_premoderated", "action": "hold", "reason": "story pre-moderated"}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "<strong>hold</strong>: every new comment on this story is held for review" in html
    assert "by rule <code>story_premoderated</code>" not in html
    make_comment(site.id, "A sharp point.", flagged=["toxicity"], explanations=None, rule_hits=[
        {"rule": "story_strict", "action": "hold", "reason": "strict story: held at half the site's hold thresholds"}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "<strong>hold</strong>: this story is strict, its comments held at half the site's hold thresholds" in html


def test_a_precedent_in_another_language_is_marked_with_it(app, sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    hit = [{"rule": "other-language", "action": "hold", "kind": "other_language",
            "reason": "not in English, which the model reads: Russian (ru)"}]
    make_comment(site.id, "Ты тупой урод, заткнись уже.", explanations=None, rule_hits=hit, status="rejected",
                 story_id="story-2",  # not in the card's thread: only the precedents quote it
                 decision="rejected", decision_reason="Insult", decided_at=datetime.now(timezone.utc))
    held = make_comment(site.id, "Ты тупой урод, заткнись.", explanations=None, rule_hits=hit)
    html = sign_in(moderator).get(f"/review/{held}").get_data(as_text=True)
    assert '<blockquote class="excerpt" dir="auto" lang="ru">Ты тупой урод, заткнись уже.' in html


def test_it_ignores_explanation_spans_outside_the_text(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    make_comment(site.id, "short", explanations={"toxicity": [{"begin": 3, "end": 99}, {"begin": 40, "end": 50},
                                                               {"begin": "0", "end": 2}, "junk"]})
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert 'sho<mark title="raises toxicity +0.00">rt</mark>' in html


def test_the_queue_puts_the_highest_priority_first_then_the_oldest(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    now = datetime.now(timezone.utc)
    low = make_comment(site.id, priority=0.2)
    high_newer = make_comment(site.id, priority=0.95, received_at=now - timedelta(minutes=1))
    high_older = make_comment(site.id, priority=0.95, received_at=now - timedelta(minutes=5))
    middle = make_comment(site.id, priority=0.5)
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert _queue_ids(html) == [high_older, high_newer, middle, low]


def test_the_queue_holds_reported_published_comments_but_not_decided_ones(app, sign_in, moderator, site,
                                                                          make_comment, grant):
    grant(moderator, site)
    held = make_comment(site.id)
    reported = make_comment(site.id, "Buy cheap watches at example.com", status="published", flagged=[],
                            report_weight=2.5, priority=0.6,
                            reports=[{"reason": "spam", "weight": 1.5, "note": "advert"},
                                     {"reason": "spam", "weight": 1.0}])
    make_comment(site.id, status="published", report_weight=1.0, flagged=[])  # under the threshold of 2
    make_comment(site.id, status="rejected")
    make_comment(site.id, status="approved")
    make_comment(site.id, status="pending", scores=None, flagged=None)
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert sorted(_queue_ids(html)) == sorted([held, reported])
    assert "<strong>spam</strong> × 2" in html and "advert" in html


def test_it_filters_the_queue_by_site(sign_in, moderator, site, outsider, make_comment, grant):
    # A member of both sites, so it is the filter, not membership, that leaves the outsider's comment out.
    grant(moderator, site, outsider)
    ours = make_comment(site.id)
    make_comment(outsider.id)
    html = sign_in(moderator).get(f"/review?site={site.id}").get_data(as_text=True)
    assert _queue_ids(html) == [ours]


def test_the_queue_is_paged_by_keyset(app, site, admin, make_comment):
    ids = [make_comment(site.id, priority=1 - i / 100) for i in range(5)]
    with app.app_context():
        viewer = db.session.get(User, admin.id)
        first = review_queue(db.session, viewer=viewer, page_size=2)
        second = review_queue(db.session, viewer=viewer, after=first.next_cursor, page_size=2)
        third = review_queue(db.session, viewer=viewer, after=second.next_cursor, page_size=2)
    assert [c.id for c in first.items] == ids[:2] and first.total == 5
    assert [c.id for c in second.items] == ids[2:4]
    assert [c.id for c in third.items] == ids[4:] and third.next_cursor is None


def test_the_detail_page_shows_the_audit_history(app, sign_in, moderator, site, make_comment, grant):
    from moderation.domain.status import audit

    grant(moderator, site)
    comment_id = make_comment(site.id)
    with app.app_context():
        audit(db.session, "system:scorer", "status:pending->held", comment_id=comment_id, reason="toxicity 0.91")
        db.session.commit()
    html = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)
    # In words, not audit codes (domain/history.py).
    assert "the model" in html and "Scored: pending → held" in html and "toxicity 0.91" in html


def test_an_unknown_comment_is_not_found_on_a_page_with_the_way_back(sign_in, moderator):
    response = sign_in(moderator).get("/review/999")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    # The app's own page (its navigation and a link back), not Flask's bare "Not Found".
    assert "<h1>Not found</h1>" in html and 'href="/review"' in html and "Sign out" in html


def test_its_reasons_are_named_as_its_score_bars_are(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    make_comment(site.id, "Those people are vermin.", flagged=["toxicity", "severe_toxicity", {"attribute": "identity_attack", "score": 0.95}],
                 explanations={"identity_attack": [{"begin": 17, "end": 23, "score": 0.5}]})
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    flags = re.search(r'<ul class="flags">(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", flags) == ["toxicity", "severe toxicity", "identity attack 0.95"]
    assert '<mark title="raises identity attack +0.50">vermin</mark>' in html


def test_only_a_comment_in_review_says_why_it_is_here(sign_in, moderator, site, make_comment, grant):
    grant(moderator, site)
    held = make_comment(site.id, "Rude words here.", flagged=["toxicity"])
    published = make_comment(site.id, "A civil remark.", status="published", flagged=[])
    rejected = make_comment(site.id, "Rude words again.", status="rejected", flagged=["insult"])
    client = sign_in(moderator)

    def reasons(comment_id):
        html = client.get(f"/review/{comment_id}").get_data(as_text=True)
        if '<div class="reasons">' not in html:  # nothing to say: no empty column before the scores
            return ""
        return html[html.index('<div class="reasons">'):html.index("</div>", html.index('<div class="reasons">'))]

    assert "Why it is here" in reasons(held)
    assert "Why it is here" not in reasons(published) and "No model flags" not in reasons(published)
    assert "What flagged it" in reasons(rejected) and "insult" in reasons(rejected)
    # Published but reported past the threshold: in To review too, so it says why (an onboarding review).
    reported = make_comment(site.id, "A remark readers disliked.", status="published", flagged=[], report_weight=5.0)
    assert "Why it is here" in reasons(reported) and "No model flags" in reasons(reported)
    # Held by a rule alone: the rule is the reason, not "No model flags." read above it (a moderator's walk).
    by_rule = make_comment(site.id, "Ring 020 7946 0123.", flagged=[], rule_hits=[
        {"rule": "phones", "action": "hold", "reason": "phone number", "kind": "phone"}])
    assert "by rule <code>phones</code>: phone number" in reasons(by_rule) and "No model flags" not in reasons(by_rule)
    assert "may be at risk" not in reasons(by_rule)
    # A reader at risk: what to do, since no guideline reason fits.
    at_risk = make_comment(site.id, "Nobody would miss me now.", flagged=[], rule_hits=[
        {"rule": "at-risk", "action": "hold", "reason": "reader may be at risk", "kind": "at_risk"}])
    assert "The reader may be at risk: follow your newsroom's procedure" in reasons(at_risk)
    # The event a site's helpline workflow listens for is named as it is sent: there is no comment.held.
    assert "<code>comment.status_changed</code> event, status <code>held</code>" in reasons(at_risk)


def test_a_card_says_how_many_reports_came_since_the_last_decision(app, sign_in, moderator, site, make_comment,
                                                                   grant):
    """A raid's walk: an approved comment two new readers reported read "62, weight 124" on its card."""
    from sqlalchemy import select

    from moderation import db
    from moderation.models import Report

    grant(moderator, site)
    comment_id = make_comment(site.id, reports=[{"reporter_id": f"r{n}", "weight": 2.0} for n in range(3)],
                              report_weight=6.0)
    with app.app_context():
        for report in db.session.scalars(select(Report).where(Report.comment_id == comment_id)).all()[:2]:
            report.outcome = "dismissed"
        db.session.commit()
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "(3, weight 6.0; 1 since the last decision, weight 2.0)" in html


def test_a_comment_opened_from_a_filtered_queue_leads_back_to_it(sign_in, moderator, site, make_comment, grant):
    """A moderator's walk: from one story's held comments, "Details & history", then "← Review
    queue" was the whole queue, the story and tab lost at every comment opened."""
    from html import unescape

    grant(moderator, site)
    comment_id = make_comment(site.id, "Rude words here.", flagged=["toxicity"], story_id="bridge")
    client = sign_in(moderator)
    queue = unescape(client.get("/review?story=bridge&tab=held").get_data(as_text=True))
    link = re.search(r'<a class="details" href="([^"]+)"', queue).group(1)
    assert link.startswith(f"/review/{comment_id}?back=")

    detail = unescape(client.get(link).get_data(as_text=True))
    back = re.search(r'<p><a href="([^"]+)">← Review queue</a></p>', detail).group(1)
    assert back == "/review?story=bridge&tab=held"
    assert f'name="next" value="/review/{comment_id}?back=' in detail  # a decision here keeps it too
    for elsewhere in ("https://evil.example/review", "//evil.example/review", "/admin/sites", "/review\r\nX: y"):
        page = unescape(client.get(f"/review/{comment_id}", query_string={"back": elsewhere}).get_data(as_text=True))
        assert '<p><a href="/review">← Review queue</a></p>' in page, elsewhere


def test_a_decided_card_says_who_decided_it_when_and_why(app, sign_in, moderator, site, make_comment, grant):
    """An accessibility review: on the Rejected tab nothing said who rejected a comment or why; a
    moderator checking her shift opened each comment's page."""
    from moderation.domain.decisions import decide

    grant(moderator, site)
    comment_id = make_comment(site.id, "You are an idiot and your article is garbage.")
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        decide(db.session, comment_id, user=db.session.get(User, moderator.id), action="reject",
               reason="Personal attack or insult: called the writer an idiot", expected_version=comment.version)
        db.session.commit()
    html = sign_in(moderator).get("/review?tab=rejected").get_data(as_text=True)
    assert re.search(rf'<p class="decision">Rejected by {moderator.username} at <time[^>]*>[^<]+</time>: '
                     r'Personal attack or insult: called the writer an idiot</p>', html)


def test_the_detail_page_says_when_the_reader_wrote_a_comment_sent_late(app, sign_in, moderator, site, make_comment,
                                                                        grant):
    """A standards editor's walk: a reader's "my comment on Tuesday", sent on Saturday, matched nothing
    on any page: only the received time was shown."""
    grant(moderator, site)
    now = datetime.now(timezone.utc)
    late = make_comment(site.id, created_at=datetime(2026, 12, 2, 4, 30, tzinfo=timezone.utc), received_at=now)
    live = make_comment(site.id, created_at=now - timedelta(seconds=2), received_at=now)
    client = sign_in(moderator)
    html = " ".join(client.get(f"/review/{late}").get_data(as_text=True).split())
    assert 'Written <time datetime="2026-12-02T04:30:00+00:00">2026-12-02 04:30 UTC</time>, by the site\'s clock' in html
    assert "by the site's clock" not in client.get(f"/review/{live}").get_data(as_text=True)


def test_a_banned_authors_text_from_another_id_says_so_in_words_on_the_card(sign_in, moderator, site, make_comment,
                                                                             grant):
    grant(moderator, site)
    make_comment(site.id, "Ask Sarah Jennings where the trip money went.", flagged=[], rule_hits=[
        {"rule": "sanctioned_author_text", "action": "hold",
         "reason": "the same text as comment #478, rejected, by evader-1, banned when this came"}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert ("<strong>hold</strong>: the same text as comment #478, rejected, by evader-1, banned when this came; a sign of "
            "ban evasion (the service's own check, not a rule in the list)") in html
