"""`moderation dataset export`: a site's own labels in the shared training schema, only if its admin allows it."""
from __future__ import annotations

import csv
from datetime import timedelta

import pytest
from click.testing import CliRunner
from review_helpers import csrf_token
from sqlalchemy import select, update

from classifiers.datasets import read_labelled_csv
from moderation import db
from moderation.cli import main
from moderation.domain.decisions import decide
from moderation.domain.label_export import ExportNotAllowed, export_site_labels
from moderation.domain.lifecycle import now
from moderation.domain.undo import undo_decision
from moderation.models import AuditEntry, Comment, LabelledExample, Site, SiteMember, User

# The schema of ../shared/data/*.csv (its README): text, the six labels, source.
SHARED_COLUMNS = ["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat", "source"]


@pytest.fixture
def decided(app, make_comment):
    """`decided(site_id, user_id, text, action, reason=None, report=None)`: a held comment, maybe
    reported, decided by that moderator through the same step as the review page."""

    def decide_one(site_id: int, user_id: int, text: str, action: str, reason: str | None = None,
                   report: str | None = None) -> Comment:
        comment_id = make_comment(site_id, text, reports=[{"reason": report}] if report else None)
        db.session.merge(SiteMember(user_id=user_id, site_id=site_id))
        db.session.commit()
        return decide(db.session, comment_id, user=db.session.get(User, user_id), action=action, reason=reason,
                      expected_version=1)

    return decide_one


def allow(site_id: int) -> Site:
    db.session.execute(update(Site).where(Site.id == site_id).values(allow_text_export=True))
    db.session.commit()
    return db.session.get(Site, site_id)


@pytest.fixture
def cli(services):
    return lambda *args: CliRunner().invoke(main, list(args), env=services.env())


def test_the_export_has_the_shared_data_columns_and_one_row_per_final_decision(app, decided, site, moderator, client, tmp_path):
    with app.app_context():
        decided(site.id, moderator.id, "You idiot, you absolute clown.", "reject", "Personal attack or insult",
                report="hate")
        decided(site.id, moderator.id, "A fair point about the budget.", "approve", report="uncivil")
        decided(site.id, moderator.id, "Buy cheap watches at example.com", "reject", "Spam or advertising")
    body = {"comment": {"text": "Great reporting, thank you."}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.1}}},
            "languages": ["en"]}
    assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json=body).status_code == 200
    out = tmp_path / "planet.csv"
    with app.app_context():
        summary = export_site_labels(db.session, allow(site.id), out)
    assert out.stat().st_mode & 0o777 == 0o600  # readers' texts: for the admin who exported them alone
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        assert list(rows[0]) == SHARED_COLUMNS
    by_text = {r["text"]: r for r in rows}
    # The spam rejection says nothing about civility: left out, not a toxicity negative.
    assert set(by_text) == {"You idiot, you absolute clown.", "A fair point about the budget.",
                            "Great reporting, thank you."}
    insult = by_text["You idiot, you absolute clown."]
    # The decision's labels, with the upheld hate report filling in identity_attack.
    assert (insult["toxicity"], insult["insult"], insult["identity_attack"], insult["threat"]) == ("1", "1", "1", "")
    assert by_text["A fair point about the budget."]["toxicity"] == "0"
    assert by_text["Great reporting, thank you."]["toxicity"] == "0"
    assert {r["source"] for r in rows} == {"site:daily-planet"}
    assert (summary.rows, summary.without_labels, summary.by_kind) == (
        3, 1, {"decision": 3, "report_outcome": 2, "suggestscore": 1})
    data = read_labelled_csv(out)
    assert len(data) == 3 and data.sources == ["site:daily-planet"] * 3


def test_a_comment_coral_deleted_and_then_restored_is_exported_as_an_approval(app, site, client, tmp_path):
    def suggest(text: str, token: str, value: float) -> None:
        body = {"comment": {"text": text}, "attributeScores": {"TOXICITY": {"summaryScore": {"value": value}}},
                "languages": ["en"], "clientToken": token, "communityId": "Coral:planet"}
        assert client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json=body).status_code == 200

    suggest("You could have checked the figures first.", "comment:7", 1)  # deleted by mistake
    suggest("You could have checked the figures first.", "comment:7", 0)  # and restored
    suggest("What a clown.", "comment:8", 1)
    suggest("Thanks for the correction.", "comment:9", 0)
    with app.app_context():
        export_site_labels(db.session, allow(site.id), tmp_path / "coral.csv")
    data = read_labelled_csv(tmp_path / "coral.csv")

    assert sorted(zip(data.texts, data.labels[:, 0].tolist())) == [
        ("Thanks for the correction.", 0), ("What a clown.", 1), ("You could have checked the figures first.", 0)]


def test_an_undone_decision_is_not_exported_and_since_limits_the_dates(app, decided, site, moderator, tmp_path):
    with app.app_context():
        comment = decided(site.id, moderator.id, "You idiot.", "reject", "Harassment")
        undo_decision(db.session, comment.id, user=db.session.get(User, moderator.id),
                      expected_version=comment.version, window=timedelta(minutes=10))
        old = decided(site.id, moderator.id, "An old approval.", "approve")
        db.session.execute(update(LabelledExample).where(LabelledExample.comment_id == old.id)
                           .values(created_at=now() - timedelta(days=40)))
        decided(site.id, moderator.id, "A new approval.", "approve")
        site_row = allow(site.id)
        export_site_labels(db.session, site_row, tmp_path / "all.csv")
        export_site_labels(db.session, site_row, tmp_path / "recent.csv", since=now() - timedelta(days=7))
    assert sorted(read_labelled_csv(tmp_path / "all.csv").texts) == ["A new approval.", "An old approval."]
    assert read_labelled_csv(tmp_path / "recent.csv").texts == ["A new approval."]


def test_the_export_is_refused_unless_the_site_allows_text_export(app, decided, site, moderator, cli, tmp_path):
    with app.app_context():
        decided(site.id, moderator.id, "You idiot.", "reject", "Harassment")
        with pytest.raises(ExportNotAllowed, match="does not allow exporting comment text"):
            export_site_labels(db.session, db.session.get(Site, site.id), tmp_path / "x.csv")
    result = cli("dataset", "export", "--site", "daily-planet", "--out", str(tmp_path / "x.csv"))
    assert result.exit_code != 0
    assert "does not allow exporting comment text" in result.output and "/admin/sites/" in result.output
    assert "export:" not in result.output  # no progress bar for an export that never started
    assert not (tmp_path / "x.csv").exists()
    missing = cli("dataset", "export", "--site", "no-such-site", "--out", str(tmp_path / "y.csv"))
    assert missing.exit_code != 0 and "no such site: no-such-site" in missing.output


def test_an_admin_allows_the_export_on_the_site_page_audited_then_the_cli_writes_it(
        app, decided, site, moderator, admin, sign_in, cli, tmp_path):
    with app.app_context():
        decided(site.id, moderator.id, "You idiot.", "reject", "Personal attack or insult")
    browser = sign_in(admin)
    page = browser.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert 'name="allow_text_export"' in page and "Allow exporting comment text" in page
    form = {"csrf_token": csrf_token(page), "moderation_mode": "pre", "report_threshold": "2",
            "allow_text_export": "on"}
    assert browser.post(f"/admin/sites/{site.id}", data=form).status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).allow_text_export is True
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:settings_changed")).one()
        assert (entry.actor, entry.details["setting"], entry.details["new"]) == ("user:ada", "allow_text_export", True)

    out = tmp_path / "planet.csv"
    result = cli("dataset", "export", "--site", "daily-planet", "--since", "2020-01-01", "--out", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    assert "wrote 1 rows" in result.output
    assert read_labelled_csv(out).texts == ["You idiot."]
    assert b"\r" not in out.read_bytes()  # LF line ends, as the shared data's files
    with app.app_context():
        exported = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "dataset:exported")).one()
        assert exported.details["rows"] == 1 and exported.details["site"] == "daily-planet"


def test_export_and_train_say_how_to_use_them(cli):
    export_help = cli("dataset", "export", "--help").output
    assert "--site" in export_help and "--since" in export_help and "--out" in export_help
    train_help = cli("train", "--help").output
    assert "--site" in train_help and "OWN_LABEL_WEIGHT" in train_help
