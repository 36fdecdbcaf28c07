"""The author page and the author's line on review cards: counts, sanctions, forms."""
from __future__ import annotations

import html
import posixpath
import re
from urllib.parse import urlsplit

import pytest

from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, AuthorSanction


@pytest.fixture(autouse=True)
def _the_moderator_works_the_site(grant, moderator, site):
    """Moderators see only their sites' comments; mona works this one."""
    grant(moderator, site)


def test_the_card_shows_the_authors_line_and_why_each_report_weighs_what_it_does(sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="troll", author_name="Troll", status="rejected")
    make_comment(site.id, author_id="troll", author_name="Troll",
                 reports=[{"reason": "harassment", "weight": 0.5, "reporter_id": "brig"}])
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert f'href="/review/authors/{site.id}/troll"' in html
    assert "2 comments, 1 rejected, 1 report against" in html
    assert "report against (" not in html  # none decided yet: no breakdown


def test_the_cards_author_line_says_how_many_reports_against_were_dismissed(app, sign_in, moderator, site,
                                                                             make_comment):
    """A trust and safety walk: a brigade's target read "33 reports against" on every later card,
    31 of them dismissed."""
    make_comment(site.id, author_id="target", status="approved", reports=[
        {"reason": "hate", "reporter_id": f"brig-{n}", "outcome": "dismissed"} for n in range(3)])
    make_comment(site.id, author_id="target", text="You are an idiot if you think so.")
    html = sign_in(moderator).get("/review").get_data(as_text=True)
    assert "2 comments, 0 rejected, 3 reports against (0 upheld, 3 dismissed)" in html


@pytest.mark.parametrize("author_id", ["../admin", "a/../b", "./x", "a//b", "trailing/"])
def test_an_author_whose_id_a_browser_would_rewrite_is_reached_from_the_card(sign_in, moderator, site, make_comment,
                                                                             author_id):
    make_comment(site.id, author_id=author_id, author_name="Dot Segments")
    make_comment(site.id, author_id="b")  # what "a/../b" became in the path
    client = sign_in(moderator)
    link = re.search(r'<a data-key="author" href="([^"]+)"><bdi>Dot Segments', client.get("/review").get_data(as_text=True))
    href = html.unescape(link.group(1))
    assert "/review/authors/" in href and posixpath.normpath(urlsplit(href).path) == urlsplit(href).path.rstrip("/")

    page = client.get(href).get_data(as_text=True)
    assert f"author {html.escape(author_id)}</small>" in page

    token = csrf_token(page)
    response = client.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": token, "author_id": author_id, "kind": "premoderate", "reason": "odd ids"})
    assert response.status_code == 303 and response.headers["Location"] == href


def test_a_report_shows_its_weight_reason_on_the_card(app, sign_in, moderator, site, make_comment):
    from moderation.models import Report

    comment_id = make_comment(site.id, reports=[{"reason": "harassment", "weight": 0.5, "reporter_id": "brig"}])
    with app.app_context():
        report = db.session.scalars(select(Report).where(Report.comment_id == comment_id)).one()
        report.weight_reason = "harassment 2 × 0.25: 3 of 3 earlier reports dismissed"
        db.session.commit()
    html = sign_in(moderator).get(f"/review/{comment_id}").get_data(as_text=True)
    assert "<bdi>brig</bdi> weighs 0.5 <small>(harassment 2 × 0.25: 3 of 3 earlier reports dismissed)" in html


def test_a_brigade_of_untried_readers_is_said_in_one_line_on_the_card(app, sign_in, moderator, site, make_comment):
    """A night shift's walk: "28 reports, weight 56.0" from 28 new reader ids in 45 s read as strong
    evidence; that all were untried showed only in a 28-line list."""
    from datetime import datetime, timedelta, timezone

    start = datetime.now(timezone.utc) - timedelta(minutes=5)
    brigade = [{"reason": "harassment", "weight": 2.0, "reporter_id": f"brig-{n}",
                "created_at": start + timedelta(seconds=9 * n),
                "weight_reason": "harassment 2: no earlier reports decided"} for n in range(6)]
    brigaded = make_comment(site.id, "I worked as a poll worker today.", status="published", reports=brigade)
    regular = [{"reason": "harassment", "weight": 1.0, "reporter_id": f"regular-{n}",
                "weight_reason": "harassment 2 × 0.5: 1 of 2 earlier reports dismissed"} for n in range(2)]
    # A trust and safety walk: one trusted id joining the brigade had hidden the line.
    joined = make_comment(site.id, "Another civil comment.", status="published", reports=[*brigade[:5], regular[0]])
    mixed = make_comment(site.id, "A third civil comment.", status="published", reports=[*brigade[:4], *regular])
    client = sign_in(moderator)
    html = client.get(f"/review/{brigaded}").get_data(as_text=True)
    assert ("All 6 open reports come from readers with no earlier report decided on this site, within 45 s."
            in html)
    assert ("5 of the 6 open reports come from readers with no earlier report decided on this site, within 36 s."
            in client.get(f"/review/{joined}").get_data(as_text=True))
    assert "open reports come from readers" not in client.get(f"/review/{mixed}").get_data(as_text=True)


def test_a_moderator_suspends_and_lifts_from_the_author_page(app, sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="a/b", author_name="<b>Slashy</b>")
    client = sign_in(moderator)
    page = client.get(f"/review/authors/{site.id}/a/b")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "&lt;b&gt;Slashy&lt;/b&gt;" in html and "<b>Slashy</b>" not in html
    response = client.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": csrf_token(html), "author_id": "a/b", "kind": "suspend", "days": "3", "reason": "spam links"})
    assert response.status_code == 303 and response.headers["Location"] == f"/review/authors/{site.id}/a/b"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "spam links" in html
    # The expiry as a <time> the page shows in the moderator's zone, as it shows the sanction's line.
    assert re.search(r'a/b: suspended until <time datetime="[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC</time>\.', html)
    response = client.post(f"/review/authors/{site.id}/lift", data={
        "csrf_token": csrf_token(html), "author_id": "a/b", "reason": "appeal"})
    assert "a/b: sanction lifted." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuthorSanction.lift_reason)).one() == "appeal"
        assert db.session.scalars(select(AuditEntry.actor)).all() == ["user:mona", "user:mona"]


def test_an_invalid_sanction_is_refused_with_a_message(app, sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="troll")
    response = _sanction(sign_in(moderator), site, "troll", "troll", kind="ban", reason="")
    assert response.status_code == 400
    assert "Not sanctioned: a reason is required." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(AuthorSanction)).all() == []


def test_a_refused_sanction_comes_back_as_it_was_typed(sign_in, moderator, site, make_comment):
    """A suspension of -3 days was refused and the form came back as 'always pre-moderate', 7 days,
    its reason erased."""
    make_comment(site.id, author_id="troll")
    client = sign_in(moderator)
    html = client.get(f"/review/authors/{site.id}/troll").get_data(as_text=True)
    response = client.post(f"/review/authors/{site.id}/sanction", data={
        "csrf_token": csrf_token(html), "author_id": "troll", "kind": "suspend", "days": "-3",
        "reason": "repeated insults on the derby story"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Not sanctioned: a suspension lasts 1 to" in page
    assert '<option value="suspend" selected>' in page and 'value="-3"' in page
    assert 'value="repeated insults on the derby story"' in page


def test_the_author_page_needs_sign_in_and_a_csrf_token(client, app, sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="troll")
    assert client.get(f"/review/authors/{site.id}/troll").status_code in (302, 401)
    signed_in = sign_in(moderator)
    response = signed_in.post(f"/review/authors/{site.id}/sanction", data={"author_id": "troll", "kind": "ban", "reason": "x"})
    assert response.status_code == 400
    assert signed_in.get(f"/review/authors/{site.id}/nobody").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(AuthorSanction)).all() == []


def test_author_lines_cost_the_same_few_queries_for_two_cards_or_twenty(app, sign_in, moderator, site, make_comment):
    from sqlalchemy import event

    def statements_for_queue() -> int:
        client = sign_in(moderator)
        seen: list[str] = []
        with app.app_context():
            engine = db.session.get_bind()
        listener = lambda *args: seen.append(args[2])  # noqa: E731  (statement text)
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/review").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    for n in range(2):
        make_comment(site.id, author_id=f"few-{n}")
    few = statements_for_queue()
    for n in range(18):
        make_comment(site.id, author_id=f"many-{n}")
    assert statements_for_queue() == few


def test_the_sanction_flash_escapes_the_author_id(app, sign_in, moderator, site, make_comment):
    make_comment(site.id, author_id="<img src=x>")
    client = sign_in(moderator)
    response = _sanction(client, site, "<img src=x>", "%3Cimg%20src=x%3E", kind="ban", reason="abuse")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "&lt;img src=x&gt;: banned." in html and "<img src=x>" not in html


def _sanction(client, site, author_id: str, author_path: str, **form: str):
    """The author page's sanction form, sent as the page drew it."""
    page = client.get(f"/review/authors/{site.id}/{author_path}").get_data(as_text=True)
    return client.post(f"/review/authors/{site.id}/sanction",
                       data={"csrf_token": csrf_token(page), "author_id": author_id, **form})


def test_a_sanction_the_site_made_says_so(sign_in, moderator, site, client):
    """Made through POST /api/v1/sanctions, it has no moderator: the page said nothing in "By"."""
    client.post("/api/v1/sanctions", headers=site.headers,
                json={"author_id": "troll", "kind": "premoderate", "reason": "new account, links"})
    html = sign_in(moderator).get(f"/review/authors/{site.id}/troll").get_data(as_text=True)
    assert re.search(r"<td class=\"text\">new account, links</td>\s*<td>the site \(API\)</td>", html)


def test_a_sanction_the_site_lifted_says_so_whatever_reason_it_gave(sign_in, moderator, site, client):
    """A security review: a site's lift with the reason "superseded by banned" read as an internal supersede."""
    client.post("/api/v1/sanctions", headers=site.headers, json={"author_id": "spoof-1", "kind": "premoderate",
                                                                 "reason": "new account"})
    client.post("/api/v1/sanctions/lift", headers=site.headers, json={"author_id": "spoof-1",
                                                                      "reason": "superseded by banned"})
    html = sign_in(moderator).get(f"/review/authors/{site.id}/spoof-1").get_data(as_text=True)
    assert "superseded by banned (the site)" in html


def test_lifting_a_wrong_ban_can_send_what_it_rejected_back_to_review(app, sign_in, moderator, site, make_comment):
    """A standards editor's walk: after lifting a wrong ban its three rejections stayed rejected,
    unmarked, each to be opened and sent to review with a reason of its own."""
    from moderation.models import Comment

    by_ban = [make_comment(site.id, author_id="mel", status="rejected", flagged=["author_banned"]) for _ in range(2)]
    by_person = make_comment(site.id, author_id="mel", status="rejected", decision="rejected",
                             decided_by=moderator.id, flagged=["author_banned"])
    by_model = make_comment(site.id, author_id="mel", status="rejected", flagged=["toxicity"])
    client = sign_in(moderator)
    html = client.get(f"/review/authors/{site.id}/mel").get_data(as_text=True)
    _sanction(client, site, "mel", "mel", kind="ban", reason="abuse of staff")
    html = " ".join(client.get(f"/review/authors/{site.id}/mel").get_data(as_text=True).split())
    assert "and send the 2 comments a ban or suspension rejected back to review" in html

    response = client.post(f"/review/authors/{site.id}/lift", data={
        "csrf_token": csrf_token(html), "author_id": "mel", "reason": "wrong author", "review_rejected": "on"})
    assert ("mel: sanction lifted; 2 comments it rejected are held for review."
            in client.get(response.headers["Location"]).get_data(as_text=True))
    with app.app_context():
        status = {c.id: (c.status, "sent_to_review" in (c.flagged or [])) for c in db.session.scalars(select(Comment))}
    assert [status[i] for i in by_ban] == [("held", True), ("held", True)]
    assert status[by_person] == ("rejected", False) and status[by_model] == ("rejected", False)


def test_the_authors_file_holds_every_comment_with_its_whole_history(app, sign_in, moderator, site, make_comment):
    """A standards editor's walk: a lawyer asked for everything that happened to one author's comments
    last month; the author page showed current statuses only (a rejection since approved after an
    edit said just "approved"), and each comment's page had to be printed one by one."""
    from datetime import datetime, timedelta, timezone

    from moderation.domain.decisions import decide
    from moderation.models import Comment, User

    now = datetime.now(timezone.utc)
    rejected = make_comment(site.id, "The prosecutor is an <b>incompetent</b> fool.", author_id="r-2001")
    make_comment(site.id, "A fair point.", author_id="r-2001", status="published")
    old = make_comment(site.id, "Last year's remark.", author_id="r-2001", received_at=now - timedelta(days=400))
    make_comment(site.id, "Someone else.", author_id="r-9")
    with app.app_context():
        decide(db.session, rejected, user=db.session.get(User, moderator.id), action="reject",
               reason="Personal attack or insult", expected_version=db.session.get(Comment, rejected).version)
    client = sign_in(moderator)
    _sanction(client, site, "r-2001", "r-2001", kind="premoderate", reason="insults prosecutors")

    assert "/review/author-file/" in client.get(f"/review/authors/{site.id}/r-2001").get_data(as_text=True)
    page = client.get(f"/review/author-file/{site.id}?id=r-2001")
    html = " ".join(page.get_data(as_text=True).split())
    assert page.status_code == 200 and "2 in the period" in html
    assert "The prosecutor is an &lt;b&gt;incompetent&lt;/b&gt; fool." in html and "A fair point." in html
    assert "Rejected (held → rejected)" in html and "Personal attack or insult" in html and ">mona<" in html
    assert "insults prosecutors" in html and "Someone else." not in html and "Last year" not in html
    year = client.get(f"/review/author-file/{site.id}?id=r-2001&from={(now - timedelta(days=401)).date()}")
    assert "Last year&#39;s remark." in year.get_data(as_text=True) and old
    assert client.get(f"/review/author-file/{site.id}?id=r-2001&from=tuesday").status_code == 400


def test_the_authors_file_pages_say_which_comments_they_hold_and_stop_at_the_last(app, sign_in, moderator, site,
                                                                                  make_comment, monkeypatch):
    """A re-check: the last page offered "The next 100" to an empty page, and a To of 9999-12-31 was a 500."""
    from moderation.domain import author_file

    monkeypatch.setattr(author_file, "AT_MOST", 2)
    for n in range(5):
        make_comment(site.id, f"Remark number {n}.", author_id="prolific")
    client = sign_in(moderator)
    first = " ".join(client.get(f"/review/author-file/{site.id}?id=prolific").get_data(as_text=True).split())
    assert "5 in the period; 1 to 2 on this page" in first and "The next 2 →" in first
    after = re.search(r'href="([^"]*after=\d+)"', first).group(1).replace("&amp;", "&")
    second = " ".join(client.get(after).get_data(as_text=True).split())
    assert "3 to 4 on this page" in second and "← The first 2" in second
    last = client.get(re.search(r'href="([^"]*after=\d+)"', second).group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "5 to 5 on this page" in " ".join(last.split()) and "The next" not in last
    assert client.get(f"/review/author-file/{site.id}?id=prolific&to=9999-12-31").status_code == 400


def test_a_lift_reason_of_the_longest_the_form_takes_still_sends_the_rejections_back(app, sign_in, moderator, site,
                                                                                     make_comment):
    """A re-check: 2,000 characters in "Why lift" made every comment's send refused (its reason too long
    with what it says before it), and the flash said the lift went well."""
    from moderation.models import Comment

    rejected = make_comment(site.id, author_id="mel", status="rejected", flagged=["author_banned"])
    client = sign_in(moderator)
    _sanction(client, site, "mel", "mel", kind="ban", reason="abuse of staff")
    html = client.get(f"/review/authors/{site.id}/mel").get_data(as_text=True)
    response = client.post(f"/review/authors/{site.id}/lift", data={
        "csrf_token": csrf_token(html), "author_id": "mel", "reason": "w" * 2000, "review_rejected": "on"})
    assert "1 comment it rejected is held for review." in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Comment, rejected).status == "held"


def test_the_authors_file_reads_its_days_in_the_moderators_zone_by_when_comments_were_written(
        app, sign_in, moderator, site, make_comment):
    """A re-check: a "November" file missed a comment written on 3 November and imported in December,
    and a viewer at UTC+14 read UTC days while the page showed her own times."""
    from datetime import datetime, timezone

    make_comment(site.id, "Written in November, imported later.", author_id="late",
                 created_at=datetime(2026, 11, 3, 12, tzinfo=timezone.utc),
                 received_at=datetime(2026, 12, 2, 9, tzinfo=timezone.utc))
    make_comment(site.id, "Late on the fifth in London.", author_id="late",
                 received_at=datetime(2026, 12, 5, 23, 30, tzinfo=timezone.utc))
    client = sign_in(moderator)
    november = client.get(f"/review/author-file/{site.id}?id=late&from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    assert "Written in November, imported later." in november
    kiritimati = client.get(f"/review/author-file/{site.id}?id=late&from=2026-12-06&to=2026-12-06"
                            "&tz=Pacific/Kiritimati").get_data(as_text=True)
    assert "Late on the fifth in London." in kiritimati and "(Pacific/Kiritimati days;" in kiritimati
    utc = client.get(f"/review/author-file/{site.id}?id=late&from=2026-12-06&to=2026-12-06").get_data(as_text=True)
    assert "Late on the fifth in London." not in utc


def test_a_comment_a_cms_dated_1970_is_in_the_file_of_the_days_it_arrived(app, sign_in, moderator, site,
                                                                           make_comment):
    """A second re-check: a comment whose site sent created_at 0 was in no file but 1970's."""
    from datetime import datetime, timezone

    make_comment(site.id, "Sent with an empty date.", author_id="epoch",
                 created_at=datetime(1970, 1, 1, tzinfo=timezone.utc), received_at=datetime.now(timezone.utc))
    html = sign_in(moderator).get(f"/review/author-file/{site.id}?id=epoch").get_data(as_text=True)
    assert "Sent with an empty date." in html


def test_the_authors_file_ends_today_in_the_moderators_zone(sign_in, moderator, site):
    """A second re-check: east of UTC the default To was UTC's date, read as a day of her zone, and her
    own morning's comments were left out."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    html = sign_in(moderator).get(f"/review/author-file/{site.id}?id=anyone&tz=Pacific/Kiritimati").get_data(as_text=True)
    assert f'name="to" value="{datetime.now(ZoneInfo("Pacific/Kiritimati")).date().isoformat()}"' in html


def test_a_reader_who_only_reports_has_a_page_with_their_reports_and_the_queue_lists_them(app, sign_in, moderator,
                                                                                           site, make_comment):
    """A readers' editor's walk: "someone keeps reporting all my comments", and the reporter's page said
    "nothing at this address"; nor did any filter list what one reader reported."""
    reported = [make_comment(site.id, f"Civil comment {n}.", author_id="reader-20", reports=[
        {"reason": "harassment", "reporter_id": "reader-33", "outcome": "dismissed" if n < 2 else None}])
        for n in range(3)]
    make_comment(site.id, "Someone else's comment.", reports=[{"reason": "spam", "reporter_id": "reader-44"}])
    client = sign_in(moderator)

    page = client.get(f"/review/authors/{site.id}/reader-33")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<dt>Reports filed</dt>" in html and "3 (0 upheld, 2 dismissed, 1 open)" in html
    listed = client.get(f"/review?tab=all&site={site.id}&reported_by=reader-33").get_data(as_text=True)
    assert sorted(int(i) for i in re.findall(r'<li class="card item" id="comment-(\d+)"', listed)) == sorted(reported)
    assert client.get(f"/review/authors/{site.id}/nobody-at-all").status_code == 404


def test_anonymous_reports_beside_a_brigade_do_not_hide_its_line(sign_in, moderator, site, make_comment):
    """A re-check: eight new ids and three anonymous reports held a civil comment with no brigade line."""
    brigade = [{"reason": "hate", "weight": 2.0, "reporter_id": f"brig-{n}",
                "weight_reason": "hate 2: no earlier reports decided"} for n in range(8)]
    anonymous = [{"reason": "hate", "weight": 1.0, "reporter_id": None, "weight_reason": "hate 2: anonymous report × 0.5"}
                 for _ in range(3)]
    comment = make_comment(site.id, "A civil comment.", status="held", reports=[*brigade, *anonymous])
    assert "8 of the 11 open reports come from readers with no earlier report decided" in (
        sign_in(moderator).get(f"/review/{comment}").get_data(as_text=True))
