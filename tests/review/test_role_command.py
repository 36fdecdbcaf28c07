"""`moderation users role NAME ROLE`: a moderator made an admin (or back) signs in again with the new rights."""
from click.testing import CliRunner

from moderation import db
from moderation.cli import main
from moderation.cli.context import cli_actor
from moderation.models import AuditEntry


def test_a_moderator_made_an_admin_signs_in_again_and_the_change_is_audited(app, services, moderator, sign_in,
                                                                            monkeypatch):
    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SECRET_KEY", "test-secret")

    def role(*args: str):
        return CliRunner().invoke(main, ["users", "role", *args])

    client = sign_in(moderator)
    assert client.get("/admin").status_code == 403
    result = role("mona", "admin")
    assert result.exit_code == 0 and "mona is now an admin; their sessions have ended" in result.output
    assert client.get("/admin").status_code == 302  # the old session ended with the old rights: to the sign-in page
    assert sign_in(moderator).get("/admin").status_code == 200
    again = role("mona", "admin")
    assert again.exit_code != 0 and "mona is an admin already" in again.output
    assert role("mona", "owner").exit_code == 2  # not a role: a usage error
    with app.app_context():
        entry = db.session.query(AuditEntry).filter(AuditEntry.action == "user:role_changed").one()
    assert (entry.actor, entry.details) == (cli_actor(), {"user": "mona", "role": "admin", "was": "moderator"})
