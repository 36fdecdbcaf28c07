"""`moderation authors export|erase`: a data protection officer answers a reader's request from the
shell, for any site, without the site's API key (a deactivated site's works for nothing)."""
import json

import pytest
from sqlalchemy import func, select

from moderation import db
from moderation.models import AuthorErasure, Comment


@pytest.fixture
def run(shell):
    return shell


def _post(client, site, external_id, author, text, **extra):
    body = {"id": external_id, "story_id": "s-1", "author_id": author, "text": text, **extra}
    response = client.post("/api/v1/comments", headers=site.headers, json=body)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


def test_an_export_holds_earlier_texts_and_the_reports_the_reader_filed(app, client, run, site, tmp_path):
    first = _post(client, site, "c-1", "ivy", "Ivy here, I work at the Northgate clinic.", author_name="Ivy Chen")
    assert client.patch(f"/api/v1/comments/{first}", headers=site.headers,
                        json={"text": "Ivy here, nothing personal now."}).status_code == 200
    other = _post(client, site, "c-2", "jack", "A remark.")
    assert client.post(f"/api/v1/comments/{other}/reports", headers=site.headers,
                       json={"reason": "spam", "reporter_id": "ivy", "note": "Ivy Chen, ivy@clinic.example"}
                       ).status_code == 201

    with app.app_context():  # a moderator's note for the team on her comment is data about her too
        from moderation.domain.status import audit

        audit(db.session, "user:mona", "comment:team_note", comment_id=first, team_note="Ivy works at the clinic.")
        db.session.commit()

    held = json.loads(run("authors", "export", "daily-planet", "ivy").stdout)

    assert [c["text"] for c in held["comments"]] == ["Ivy here, nothing personal now."]
    assert [(n["comment_id"], n["note"]) for n in held["moderators_notes"]] == [(first, "Ivy works at the clinic.")]
    assert "mona" not in json.dumps(held["moderators_notes"])
    assert [e["text"] for e in held["comments"][0]["earlier_texts"]] == ["Ivy here, I work at the Northgate clinic."]
    assert held["reports_filed"][0]["note"] == "Ivy Chen, ivy@clinic.example"
    assert held["reports_filed"][0]["site_comment_id"] == "c-2"
    assert "jack" not in json.dumps(held["comments"])
    target = tmp_path / "ivy.json"
    run("authors", "export", "daily-planet", "ivy", "--output", str(target))
    assert target.stat().st_mode & 0o777 == 0o600 and json.loads(target.read_text())["author_id"] == "ivy"
    assert "no site named 'nowhere'" in run("authors", "export", "nowhere", "ivy", ok=False).stderr
    unwritable = run("authors", "export", "daily-planet", "ivy", "--output", str(tmp_path / "no" / "such.json"), ok=False)
    assert "cannot write" in unwritable.output and "Traceback" not in unwritable.output


def test_an_export_for_one_story_holds_only_its_comments_and_its_digest_is_audited(app, client, run, site, tmp_path):
    """Counsel answering a production order for one thread had cut the whole file by hand, and nothing
    could later tell whether a copy in the police's hands was the file the service wrote."""
    import hashlib

    from moderation.models import AuditEntry

    _post(client, site, "c-1", "ivy", "On the planning row.")
    elsewhere = _post(client, site, "c-2", "ivy", "On the budget.")
    client.post(f"/api/v1/comments/{elsewhere}/reports", headers=site.headers, json={"reason": "spam", "reporter_id": "ivy"})
    _post(client, site, "c-3", "ivy", "Planning again.", story_id="s-2")
    target = tmp_path / "ivy.json"

    done = run("authors", "export", "daily-planet", "ivy", "--story", "s-2", "--output", str(target))

    held = json.loads(target.read_text())
    assert held["story_id"] == "s-2" and [c["text"] for c in held["comments"]] == ["Planning again."]
    assert held["reports_filed"] == [] and held["reports_against"] == 0
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in done.stderr
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "author:exported")).one()
    assert (entry.details["sha256"], entry.details["story_id"], entry.details["comments"]) == (digest, "s-2", 1)
    whole = run("authors", "export", "daily-planet", "ivy")
    assert len(json.loads(whole.stdout)["comments"]) == 3
    assert hashlib.sha256(whole.stdout.encode()).hexdigest() in whole.stderr


def test_the_shell_erases_a_reader_of_a_deactivated_site_and_no_other_sites(app, client, run, site, outsider):
    _post(client, site, "c-1", "ivy", "Call me on 07700 900123.", author_name="Ivy Chen")
    _post(client, outsider, "t-1", "ivy", "Tribune's Ivy, another reader.")
    run("keys", "deactivate", "daily-planet", "--yes")

    erased = run("authors", "erase", "daily-planet", "ivy", "--yes").stdout

    assert "erased ivy on daily-planet: 1 comment(s) deleted" in erased
    with app.app_context():
        texts = dict(db.session.execute(select(Comment.external_id, Comment.text)).all())
        names = db.session.scalars(select(Comment.author_name).where(Comment.author_name.is_not(None))).all()
    assert texts == {"c-1": "", "t-1": "Tribune's Ivy, another reader."}
    assert "Ivy Chen" not in names
    held = json.loads(run("authors", "export", "daily-planet", "ivy").stdout)
    assert len(held["erasures"]) == 1 and held["comments"][0]["status"] == "deleted"


@pytest.mark.parametrize("author_id", ["", "   ", "\ufffd"])
def test_a_blank_or_undecodable_author_id_is_refused_as_the_api_refuses_it(app, run, site, author_id):
    """Erasing author "" would have recorded an erasure of no one; the API's path_id refuses it."""
    for command in (("export",), ("erase", "--yes")):
        refused = run("authors", command[0], "daily-planet", author_id, *command[1:], ok=False)
        assert "author_id" in refused.output and "Traceback" not in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthorErasure.id))) == 0

