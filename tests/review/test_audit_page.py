"""The admin's audit log page: filters by who, what and comment, older entries a page at a time."""
from datetime import timedelta

import pytest

from moderation import db
from moderation.domain.audit_search import audit_page
from moderation.domain.bulk import bulk_decide, bulk_undo
from moderation.domain.lifecycle import audit
from moderation.models import User


@pytest.fixture
def entries(app, site, make_comment):
    comment_id = make_comment(site.id)
    with app.app_context():
        audit(db.session, "user:alice", "site:settings_changed", setting="rules", new=[{"name": "no-phones"}])
        audit(db.session, "user:bob", "status:held->approved", comment_id=comment_id, reason="fine")
        audit(db.session, "system:scorer", "status:pending->held", comment_id=comment_id)
        db.session.commit()
    return comment_id


def _body(html: str) -> str:
    return html[html.index("<tbody>"):html.index("</tbody>")]


def _rows(html: str) -> int:
    return _body(html).count("<tr>")


def test_an_admin_narrows_the_log_by_who_what_and_comment(sign_in, admin, entries):
    client = sign_in(admin)
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert all(actor in _body(everything) for actor in ("user:alice", "user:bob", "system:scorer"))
    # A rule set shows as JSON, not as Python's repr.
    assert "[{&#34;name&#34;: &#34;no-phones&#34;}]" in everything and "{'name'" not in everything
    by_bob = client.get("/admin/audit?who=bob").get_data(as_text=True)
    # Read as "status: held → approved", the code kept in its title for the What filter.
    assert _rows(by_bob) == 1 and 'title="status:held-&gt;approved">status: held → approved<' in by_bob
    held = client.get("/admin/audit?what=held").get_data(as_text=True)
    assert _rows(held) == 2 and "user:alice" not in _body(held)
    # As the page spells them, or as the codes are.
    for what in ("held → approved", "status: held -> approved", "status:held->approved"):
        assert _rows(client.get("/admin/audit", query_string={"what": what}).get_data(as_text=True)) == 1, what
    on_comment = client.get(f"/admin/audit?comment={entries}&who=system").get_data(as_text=True)
    assert _rows(on_comment) == 1 and "system:scorer" in _body(on_comment)
    assert "No entries match." in client.get("/admin/audit?who=%25nobody").get_data(as_text=True)  # % is literal
    for query in ("comment=abc", "comment=-1", "comment=%D9%A3", "comment=9223372036854775808",
                  "before=99999999999999999999999"):
        bad = client.get(f"/admin/audit?{query}")
        assert bad.status_code == 400 and "Go back and change it" in bad.get_data(as_text=True), query
        assert 'href="/admin/audit' in bad.get_data(as_text=True)  # back to the log, not the queue
    assert client.get("/admin/audit?who=%00").status_code == 400  # a NUL no query can carry
    assert "No entries match." in client.get("/admin/audit?what=" + "x" * 5000).get_data(as_text=True)


def test_older_entries_come_a_page_at_a_time_without_repeats(app, entries):
    with app.app_context():
        first = audit_page(db.session, page_size=2)
        audit(db.session, "user:carol", "key:rotated")  # arrives while the admin reads
        db.session.commit()
        second = audit_page(db.session, page_size=2, before=first.older)
    assert [e.actor for e in first.entries] == ["system:scorer", "user:bob"]
    assert [e.actor for e in second.entries] == ["user:alice"] and second.older is None


def test_a_model_change_says_which_version_each_scope_runs_now(app, sign_in, admin):
    """It read "rolled back 2026.12.02-42606a6c site global version 2026.12.01-d405cd2f": which one is live?"""
    with app.app_context():
        audit(db.session, "user:carol", "model:rolled_back", version="2026.12.01-d405cd2f",
              rolled_back="2026.12.02-42606a6c", site_id=None, site="global")
        audit(db.session, "user:carol", "model:rolled_back", version=None, rolled_back="2026.12.02-42606a6c",
              follows_global=True, site_id=1, site="daily-planet")
        audit(db.session, "user:carol", "model:promoted", version="v2", replaced="v1", site_id=None, site="global")
        db.session.commit()
    html = sign_in(admin).get("/admin/audit?what=model").get_data(as_text=True)
    assert "global now runs 2026.12.01-d405cd2f, rolled back from 2026.12.02-42606a6c." in html
    assert "daily-planet follows the global version again, rolled back from 2026.12.02-42606a6c." in html
    assert "global now runs v2, in place of v1." in html


def test_who_finds_what_was_done_to_a_users_account_as_well_as_what_they_did(app, sign_in, admin, entries):
    with app.app_context():
        audit(db.session, "user:ada", "user:created", user="olu", role="moderator")
        audit(db.session, "user:ada", "user:disabled", user="olu")
        audit(db.session, "user:olu", "status:held->rejected", comment_id=entries)
        db.session.commit()
    page = sign_in(admin).get("/admin/audit?who=olu").get_data(as_text=True)
    assert _rows(page) == 3 and "user:alice" not in _body(page)


def test_who_finds_a_users_lockout(app, sign_in, admin, entries):
    with app.app_context():
        audit(db.session, "address:127.0.0.1", "auth:login_locked", limit="user", username="olu")
        db.session.commit()
    assert _rows(sign_in(admin).get("/admin/audit?who=olu").get_data(as_text=True)) == 1


def test_an_admin_reads_one_sites_log(app, sign_in, admin, site, make_site, make_comment, entries):
    """An agency running 25 sites had no way to: scorer and moderator entries do not name the site."""
    other = make_site("other-gazette")
    theirs = make_comment(other.id)
    with app.app_context():
        audit(db.session, "system:scorer", "status:pending->published", comment_id=theirs)
        audit(db.session, "user:alice", "site:settings_changed", site_id=other.id, setting="thresholds")
        audit(db.session, f"site:{other.id}", "comment:edited", comment_id=theirs)
        db.session.commit()
    client = sign_in(admin)
    mine = _body(client.get(f"/admin/audit?site={site.id}").get_data(as_text=True))
    assert mine.count("<tr>") == 2 and "pending → published" not in mine  # the first site's two comment entries
    assert _rows(client.get(f"/admin/audit?site={other.id}").get_data(as_text=True)) == 3
    assert client.get("/admin/audit?site=abc").status_code == 400
    assert client.get("/admin/audit?site=99999999999").status_code == 400  # past sites.id's int4: was a 500


def test_a_sites_log_shows_the_bulk_decisions_and_undos_that_touched_it(app, sign_in, admin, site, make_site,
                                                                        make_comment):
    """The summary entry tying a bulk action together names no comment of its own, so a site's log
    had left it out."""
    other = make_site("other-gazette")
    mine = make_comment(site.id)
    with app.app_context():
        user = db.session.get(User, admin.id)
        decided = bulk_decide(db.session, [(mine, 1)], user=user, action="approve", reason=None)
        bulk_undo(db.session, [(mine, decided.versions[mine])], user=user, window=timedelta(minutes=5))
    client = sign_in(admin)
    ours = client.get(f"/admin/audit?site={site.id}&what=bulk").get_data(as_text=True)
    assert _rows(ours) == 2 and 'title="bulk:approve"' in ours and 'title="bulk:undo"' in ours
    assert "No entries match." in client.get(f"/admin/audit?site={other.id}&what=bulk").get_data(as_text=True)


def test_details_read_as_words_not_code(app, sign_in, admin, site, make_comment):
    """A standards editor's walk: "review after True revision 1" and "reports reopened []" read as code."""
    comment_id = make_comment(site.id)
    with app.app_context():
        audit(db.session, "site:1", "comment:edited", comment_id=comment_id, revision=1, review_after=True)
        audit(db.session, "user:mona", "decision:undone", comment_id=comment_id, reports_reopened=[],
              labelled_examples_removed=[23, 24], restored_status="held")
        db.session.commit()
    html = sign_in(admin).get(f"/admin/audit?comment={comment_id}").get_data(as_text=True)
    assert "<b>back to review after the edit</b> <bdi>yes</bdi>" in html and "<b>text revision</b> <bdi>1</bdi>" in html
    assert "<b>reports reopened</b> <bdi>none</bdi>" in html and "<b>training labels removed</b> <bdi>23, 24</bdi>" in html
    assert "True" not in _body(html) and "[]" not in _body(html)


def test_a_sites_moderator_id_finds_that_moderators_entries(app, sign_in, admin, moderator, entries):
    """Counsel held a site's record naming "mod_f1f49e7291f29fff" and had no page to learn who that was."""
    from sqlalchemy import select

    from moderation.domain.pseudonyms import moderator_reference
    from moderation.models import Site

    with app.app_context():
        mona = db.session.get(User, moderator.id)
        audit(db.session, f"user:{mona.username}", "status:held->rejected", comment_id=entries, reason="Spam")
        db.session.commit()
        pseudonym = moderator_reference(mona, db.session.scalars(select(Site)).first())
        # A name that holds the first one's: the pseudonym names one account exactly (a re-check).
        audit(db.session, f"user:ra{mona.username}", "status:held->rejected", comment_id=entries, reason="Spam")
        db.session.commit()
    assert pseudonym.startswith("mod_")
    found = sign_in(admin).get("/admin/audit", query_string={"who": pseudonym.upper()}).get_data(as_text=True)
    assert _rows(found) == 1 and f"user:{moderator.username}" in _body(found)
    assert f"user:ra{moderator.username}" not in _body(found)


def test_several_comments_timelines_come_as_one_list_and_as_csv(app, sign_in, admin, site, make_comment):
    """Counsel, asked which of 29 named comments were up and for how long, filtered one number at a time
    and built the table from the database by hand."""
    import csv
    import io

    first, second, other = make_comment(site.id), make_comment(site.id), make_comment(site.id)
    with app.app_context():
        for comment_id in (first, second, other):
            audit(db.session, "system:scorer", "status:pending->published", comment_id=comment_id)
        audit(db.session, "user:mona", "status:published->rejected", comment_id=second, reason="Misinformation: SL-1")
        db.session.commit()
    client = sign_in(admin)
    page = client.get("/admin/audit", query_string={"comment": f"{first}, #{second}"}).get_data(as_text=True)
    assert _rows(page) == 3 and f'href="/review/{other}"' not in _body(page)
    download = client.get("/admin/audit.csv", query_string={"comment": f"{first}, {second}"})
    assert download.mimetype == "text/csv" and "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [(int(r["comment_id"]), r["from_status"], r["to_status"], r["who"], r["reason"]) for r in rows] == [
        (second, "published", "rejected", "mona", "Misinformation: SL-1"),
        (second, "pending", "published", "the model", ""), (first, "pending", "published", "the model", "")]
    assert rows[0]["at_utc"].startswith("20") and "+00:00" in rows[0]["at_utc"]
    bad = client.get("/admin/audit.csv", query_string={"comment": "4, x"})
    assert bad.status_code == 400


def test_a_reason_written_as_a_formula_is_text_in_the_csv(app, sign_in, admin, site, make_comment):
    import csv
    import io

    comment_id = make_comment(site.id)
    with app.app_context():
        audit(db.session, "user:mona", "status:held->rejected", comment_id=comment_id, reason='=HYPERLINK("http://x")')
        db.session.commit()
    download = sign_in(admin).get("/admin/audit.csv", query_string={"comment": str(comment_id)})
    [row] = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert row["reason"] == "'=HYPERLINK(\"http://x\")"


def test_a_csv_cut_at_its_limit_says_so_and_how_to_get_the_rest(app, sign_in, admin, entries, monkeypatch):
    """A re-check: 100,000 of 106,775 entries, with no word that 6,775 were left out."""
    import csv
    import io

    import moderation.admin.routes

    monkeypatch.setattr(moderation.admin.routes, "MAX_CSV_ROWS", 2)
    rows = list(csv.reader(io.StringIO(sign_in(admin).get("/admin/audit.csv").get_data(as_text=True))))
    assert len(rows) == 1 + 2 + 1 and rows[-1][4] == "older entries left out"
    assert "download again with before=" in rows[-1][8]


def test_a_detail_written_right_to_left_does_not_turn_the_rest_of_the_row(app, sign_in, admin, site, make_comment):
    comment_id = make_comment(site.id)
    with app.app_context():
        audit(db.session, "user:ann", "status:held->approved", comment_id=comment_id, reason="ok \u202e quoted")
        db.session.commit()
    page = sign_in(admin).get("/admin/audit").get_data(as_text=True)
    assert "<bdi>ok \u202e quoted</bdi>" in page


def test_the_log_and_its_csv_keep_to_the_days_asked(app, sign_in, admin):
    """A transparency report's month: the audit CSV took no dates and gave the whole log, and
    `?from=&to=` answered every entry without a word."""
    from datetime import datetime, timezone

    from moderation.models import AuditEntry

    with app.app_context():
        for actor, at in (("user:before", datetime(2026, 10, 31, 23, 59, 59, tzinfo=timezone.utc)),
                          ("user:first", datetime(2026, 11, 1, tzinfo=timezone.utc)),
                          ("user:last", datetime(2026, 11, 30, 23, 59, 59, tzinfo=timezone.utc)),
                          ("user:after", datetime(2026, 12, 1, tzinfo=timezone.utc))):
            db.session.add(AuditEntry(actor=actor, action="key:rotated", at=at))
        db.session.commit()
    client = sign_in(admin)
    for query in ("from=2026-11-01&to=2026-11-30", "month=2026-11"):
        listed = client.get(f"/admin/audit.csv?{query}&what=key").get_data(as_text=True)
        assert "user:first" in listed and "user:last" in listed, query
        assert "user:before" not in listed and "user:after" not in listed, query
    page = client.get("/admin/audit?from=2026-11-01&to=2026-11-30&what=key").get_data(as_text=True)
    assert _rows(page) == 2 and 'name="from" value="2026-11-01"' in page
    assert 'href="/admin/audit.csv?what=key&amp;from=2026-11-01&amp;to=2026-11-30"' in page  # the download keeps them
    opened = client.get("/admin/audit.csv?from=2026-12-01&what=key").get_data(as_text=True)
    assert "user:after" in opened and "user:last" not in opened  # an open end: everything since
    # November in Tokyo: from 15:00 UTC on 31 October to 15:00 UTC on 30 November.
    tokyo = client.get("/admin/audit.csv?month=2026-11&tz=Asia/Tokyo&what=key").get_data(as_text=True)
    assert "user:before" in tokyo and "user:first" in tokyo and "user:last" not in tokyo
    for query, named in (("from=2026-11-30&to=2026-11-01", "from (2026-11-30) must not be after"),
                         ("from=2026-11-31", "from must be a day"), ("since=2026-11-01", "since is not read here"),
                         ("who=a&who=b", "who is given 2 times"), ("site=1&site=2", "site is given 2 times"),
                         # A re-check: the decisions page's days, read here as the whole log.
                         ("days=1", "days is not read here"), ("days=7&days=30", "days is not read here"),
                         ("tz=Mars/Olympus&from=2026-11-01", "tz must be a time zone")):
        for path in ("/admin/audit", "/admin/audit.csv"):
            bad = client.get(f"{path}?{query}")
            assert bad.status_code == 400 and named in bad.get_data(as_text=True), (path, query)
