"""A site admin runs their own sites on a group's install: settings, rules, thresholds, moderators,
reversals, and their sites' decisions and audit log; never another title's, nor accounts, keys or
the model (tests/security/test_authorization_matrix.py has every route; these are what they see)."""
from __future__ import annotations

import csv
import io
import re

from click.testing import CliRunner
from review_helpers import csrf_token, decide_form
from sqlalchemy import select
from test_undo_routes import undo_form

from moderation import db
from moderation.cli import main
from moderation.domain.membership import administered_site_ids, visible_site_ids
from moderation.models import Comment, Site, User


def _save_settings(client, site_id: int, **fields: str):
    page = client.get(f"/admin/sites/{site_id}").get_data(as_text=True)
    loaded = re.search(r'name="loaded" value="([^"]*)"', page)
    form = {"csrf_token": csrf_token(page), "moderation_mode": "pre", "report_threshold": "3", **fields}
    if loaded:
        form["loaded"] = loaded.group(1).replace("&#34;", '"').replace("&quot;", '"')
    return client.post(f"/admin/sites/{site_id}", data=form)


def test_a_site_admin_sees_and_changes_only_their_own_site(app, sign_in, site, outsider, make_site_admin):
    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    index = sadie.get("/admin").get_data(as_text=True)
    assert site.name in index and outsider.name not in index
    assert "My sites" in index and "Accounts &amp; keys" not in index and 'href="/admin/models"' not in index
    assert sadie.get(f"/admin/sites/{outsider.id}").status_code == 404

    assert _save_settings(sadie, site.id, report_threshold="7").status_code == 303
    assert _save_settings(sadie, outsider.id, report_threshold="9").status_code == 404
    with app.app_context():
        assert db.session.get(Site, site.id).report_threshold == 7
        assert db.session.get(Site, outsider.id).report_threshold != 9
    # The group's pages stay the group admins'.
    for path in ("/admin/accounts", "/admin/models", "/admin/operations", "/admin/set-aside", "/metrics"):
        assert sadie.get(path).status_code == 403, path


def test_a_site_admin_reads_their_sites_audit_entries_and_decisions_only(app, sign_in, site, outsider, admin,
                                                                       make_comment, make_moderator,
                                                                       make_site_admin):
    mona = sign_in(make_moderator("mona", sites=[site, outsider]))
    ours, theirs = make_comment(site.id), make_comment(outsider.id)
    decide_form(mona, ours, action="approve")
    decide_form(mona, theirs, action="reject", reason_choice="Harassment")
    _save_settings(sign_in(admin), outsider.id, report_threshold="5")

    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    log = sadie.get("/admin/audit").get_data(as_text=True)
    assert f"/review/{ours}" in log and f"/review/{theirs}" not in log
    assert "report_threshold" not in log and "report weight" not in log  # the other site's settings change
    # Asking for the other site by number shows nothing of it either.
    assert f"/review/{theirs}" not in sadie.get(f"/admin/audit?site={outsider.id}").get_data(as_text=True)

    decisions = sadie.get("/admin/decisions").get_data(as_text=True)
    assert f"all my sites ({site.name})" in decisions and outsider.name not in decisions
    rows = list(csv.reader(io.StringIO(sadie.get("/admin/decisions.csv").get_data(as_text=True))))
    assert ["site", site.name] in rows
    mona_row = next(row for row in rows if row[:2] == ["moderator", "mona"])
    assert mona_row[3:5] == ["1", "0"]  # one approval here; the rejection on the other site not counted
    assert sadie.get(f"/admin/decisions?site={outsider.id}").status_code == 400


def test_a_site_admin_reverses_a_decision_on_their_site(app, sign_in, site, make_comment, make_moderator,
                                                        make_site_admin):
    comment_id = make_comment(site.id)
    decide_form(sign_in(make_moderator("mona", sites=[site])), comment_id, action="reject", reason_choice="Harassment")
    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    page = sadie.get(f"/review/{comment_id}").get_data(as_text=True)
    assert "Reverse this decision" in page
    form = undo_form(page)
    response = sadie.post(form.pop("action"), data={**form, "reason": "fair criticism of a councillor"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Comment, comment_id).status == "held"


def test_a_site_admin_adds_moderators_and_is_offered_only_their_sites_people(app, sign_in, site, outsider,
                                                                             make_moderator, make_site_admin):
    make_moderator("dan", sites=[outsider])  # the daily's
    make_moderator("newt")  # in no site yet
    make_moderator("wendy", sites=[site])
    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    page = sadie.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    offered = re.findall(r'<option value="([^"]+)">', page.split('id="moderator-names"')[1].split("</datalist>")[0])
    assert "newt" in offered and "wendy" in offered and "dan" not in offered
    response = sadie.post(f"/admin/sites/{site.id}/members", data={"csrf_token": csrf_token(page), "username": "newt"})
    assert response.status_code == 303
    assert "newt now moderates" in sadie.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    with app.app_context():
        newt = db.session.scalar(select(User).where(User.username == "newt"))
        assert visible_site_ids(db.session, newt) == {site.id}


def test_users_create_makes_a_site_admin_of_the_named_sites(app, services, site):
    result = CliRunner().invoke(main, ["users", "create", "sadie", "--role", "site_admin", "--site", site.name,
                                       "--password-stdin"], input="a long and uncommon passphrase\n",
                                env=services.env())
    assert result.exit_code == 0, result.output
    assert f"created site admin sadie, running {site.name}" in result.output
    with app.app_context():
        sadie = db.session.scalar(select(User).where(User.username == "sadie"))
        assert sadie.role == "site_admin" and administered_site_ids(db.session, sadie) == {site.id}


def test_a_bulk_decision_across_titles_is_not_in_a_site_admins_log(app, sign_in, site, outsider, admin, make_comment,
                                                                    make_site_admin):
    """A security review: an admin's bulk rejection across three titles, with bans, showed a site admin of
    one of them the others' comment ids and reader ids in the bulk entry."""
    from moderation.domain.bulk import bulk_decide

    ours, theirs = make_comment(site.id, author_id="our-reader"), make_comment(outsider.id, author_id="their-troll")
    with app.app_context():
        bulk_decide(db.session, [(ours, 1), (theirs, 1)], user=db.session.get(User, admin.id), action="reject",
                    reason="Spam or advertising", author_sanction="ban")
    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    log = sadie.get("/admin/audit").get_data(as_text=True)
    assert f"/review/{ours}" in log  # their own comment's decision is there
    assert "their-troll" not in log and f"/review/{theirs}" not in log
    with app.app_context():
        from moderation.domain.audit_search import audit_page

        entries = audit_page(db.session, within={site.id}).entries
        assert not [e for e in entries if set((e.details or {}).get("site_ids", [])) - {site.id}]


def test_a_site_admin_added_runs_the_site_and_one_who_leaves_lands_on_their_sites(app, sign_in, site, outsider,
                                                                                  make_site_admin):
    """A security review: adding a site admin said "now moderates", and a site admin who removed
    themselves met a Not found page."""
    sadie_user = make_site_admin("sadie", sites=[site, outsider])
    make_site_admin("tom")
    sadie = sign_in(sadie_user)
    token = csrf_token(sadie.get(f"/admin/sites/{site.id}").get_data(as_text=True))
    sadie.post(f"/admin/sites/{site.id}/members", data={"csrf_token": token, "username": "tom"})
    assert "tom now runs" in sadie.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    response = sadie.post(f"/admin/sites/{site.id}/members/{sadie_user.id}/remove", data={"csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == "/admin/"
    page = sadie.get("/admin").get_data(as_text=True)
    assert f"You no longer run {site.name}." in page and outsider.name in page


def test_a_site_admin_whose_site_was_deactivated_reads_so_in_the_csv(app, sign_in, site, make_site_admin):
    """An analyst's walk: a CSV of zeros with an empty `site,` row, where the page said "no site: you
    run none now"."""
    sadie = sign_in(make_site_admin("sadie", sites=[site]))
    with app.app_context():
        db.session.get(Site, site.id).active = False
        db.session.commit()
    rows = list(csv.reader(io.StringIO(sadie.get("/admin/decisions.csv").get_data(as_text=True))))
    assert rows[2] == ["site", "no site: you run none now"]
    assert "no site: you run none now" in sadie.get("/admin/decisions").get_data(as_text=True)
