"""`moderation users list|disable|enable|reset-password` and `moderation keys list|rotate|revoke`."""
import re

import pytest

from moderation import db
from moderation.cli.context import cli_actor
from moderation.domain import sites
from moderation.domain.errors import Unauthorized
from moderation.domain.users import authenticate
from moderation.models import AuditEntry

ANALYZE_BODY = {"comment": {"text": "Thanks for the article."}, "requestedAttributes": {"TOXICITY": {}}}


@pytest.fixture
def run(shell):
    return lambda *args, input=None, ok=True: shell(*args, input=input, ok=ok).output


def test_users_are_listed_disabled_enabled_and_given_a_new_password(app, run, moderator, admin, site, grant):
    grant(moderator, site)
    listing = run("users", "list")
    assert re.search(r"mona\s+moderator\s+active\s+never", listing) and "ada" in listing
    # Under headers, with the sites each works (a newsroom's first day: a list of names without either).
    assert re.match(r"user\s+role\s+state\s+last sign-in\s+sites\n", listing)
    assert re.search(r"mona .* daily-planet\n", listing) and re.search(r"ada .* every site\n", listing)

    run("users", "disable", "mona")
    assert re.search(r"mona\s+moderator\s+disabled", run("users", "list"))
    with app.app_context():
        assert authenticate(db.session, "mona", moderator.password) is None

    # It says the password is kept (an incident walk: a phished account's attacker signed back in).
    assert "with the password the account had" in run("users", "enable", "mona")
    assert "too common" in run("users", "reset-password", "mona", "--password-stdin", input="password12345\n", ok=False)
    run("users", "reset-password", "mona", "--password-stdin", input="a fresh and long passphrase\n")
    with app.app_context():
        assert authenticate(db.session, "mona", "a fresh and long passphrase").id == moderator.id
        actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == ["user:disabled", "user:enabled", "user:password_changed"]
    assert "no user named 'nobody'" in run("users", "disable", "nobody", ok=False)


def test_keys_are_listed_rotated_with_grace_and_revoked(app, run, site):
    key_id = site.api_key.split("_")[1]
    assert re.search(rf"daily-planet\s+mk_{key_id}_…", run("keys", "list"))

    output = run("keys", "rotate", "daily-planet", "--grace", "2h")
    new_key = re.search(r"mk_[0-9a-f]{16}_\S+", output).group(0)
    listing = run("keys", "list")
    assert f"mk_{key_id}_… until" in listing and f"mk_{new_key.split('_')[1]}_…" in listing
    with app.app_context():
        assert sites.site_id_for_key(db.session, site.api_key) == site.id
        assert sites.site_id_for_key(db.session, new_key) == site.id

    run("keys", "revoke", "daily-planet", "--yes")
    with app.app_context():
        for key in (site.api_key, new_key):
            with pytest.raises(Unauthorized):
                sites.site_id_for_key(db.session, key)
    assert "revoked" in run("keys", "list")
    assert "grace" in run("keys", "rotate", "daily-planet", "--grace", "soon", ok=False)
    # After revoking them all there is no old key to keep working, and the message does not promise one.
    after = run("keys", "rotate", "daily-planet", "--grace", "2h")
    assert "The site had no working key; this is its only one." in after and "keeps working" not in after


def test_rotating_twice_ends_no_key_in_its_grace_unless_asked(app, run, site):
    """An incident walk: `keys rotate sport --grace 24h` twice ended the key the site still sent, and
    both runs printed "The old key keeps working for 24h"."""
    first = re.search(r"mk_[0-9a-f]{16}_\S+", run("keys", "rotate", "daily-planet", "--grace", "24h")).group(0)
    refused = run("keys", "rotate", "daily-planet", "--grace", "24h", ok=False)
    old_id = site.api_key.split("_")[1]
    assert f"previous key of daily-planet, mk_{old_id}_…, still works until" in refused and "--replace-previous" in refused
    with app.app_context():
        assert sites.site_id_for_key(db.session, site.api_key) == site.id
    replaced = run("keys", "rotate", "daily-planet", "--grace", "24h", "--replace-previous")
    assert "mk_" in replaced
    with app.app_context(), pytest.raises(Unauthorized):
        sites.site_id_for_key(db.session, site.api_key)
    with app.app_context():
        assert sites.site_id_for_key(db.session, first) == site.id  # now the one in its grace


def test_the_shell_issues_lists_and_revokes_a_scoring_key(client, run, site):
    key = re.search(r"mks_[0-9a-f]{16}_\S+", run("keys", "scoring", "daily-planet")).group(0)

    assert f"scoring: mks_{key.split('_')[1]}_…" in run("keys", "list")
    assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200
    assert "revoked the scoring key of daily-planet" in run("keys", "scoring", "daily-planet", "--revoke")
    assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 403
    assert "scoring:" not in run("keys", "list")
    assert "has no scoring key; nothing changed" in run("keys", "scoring", "daily-planet", "--revoke")
    assert "no site named 'nowhere'" in run("keys", "scoring", "nowhere", ok=False)


def test_replacing_a_scoring_key_from_the_shell_keeps_the_old_one_for_its_grace(client, run, site):
    """Coral fails open: a scoring key ended at once let every comment through unscored until Coral's
    admin pasted the new one (a Coral developer's walk)."""
    def scores(key):
        return client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200

    old = re.search(r"mks_[0-9a-f]{16}_\S+", run("keys", "scoring", "daily-planet")).group(0)
    replaced = run("keys", "scoring", "daily-planet")  # the default grace, as `keys rotate`'s: 24h
    new = re.search(r"mks_[0-9a-f]{16}_\S+", replaced).group(0)

    assert "The old scoring key keeps working for 24h" in replaced
    assert scores(old) and scores(new)
    listing = run("keys", "list")
    assert f"scoring: mks_{new.split('_')[1]}_…  previous scoring: mks_{old.split('_')[1]}_… until" in listing
    refused = run("keys", "scoring", "daily-planet", ok=False)
    assert f"previous scoring key of daily-planet, mks_{old.split('_')[1]}_…, still works until" in refused
    assert "--replace-previous" in refused and "--revoke --previous" in refused
    assert scores(old)

    assert "revoked the previous scoring key of daily-planet" in run("keys", "scoring", "daily-planet", "--revoke",
                                                                      "--previous")
    assert not scores(old) and scores(new)
    assert "previous scoring:" not in run("keys", "list")
    # With no grace, the old key ends at once, and nothing waits in a grace to refuse the next one.
    assert "has stopped working" in run("keys", "scoring", "daily-planet", "--grace", "0")
    assert not scores(new)


def test_revoking_the_previous_key_ends_the_api_keys_grace_and_not_the_scoring_keys(client, run, site):
    def scores(key):
        return client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200

    old_scoring = re.search(r"mks_\S+", run("keys", "scoring", "daily-planet")).group(0)
    new_scoring = re.search(r"mks_\S+", run("keys", "scoring", "daily-planet", "--grace", "7d")).group(0)
    new_api = re.search(r"mk_\S+", run("keys", "rotate", "daily-planet", "--grace", "7d")).group(0)
    listing = run("keys", "list")
    assert "previous scoring: mks_" in listing and f"mk_{site.api_key.split('_')[1]}_… until" in listing

    assert "keys scoring NAME --revoke --previous" in " ".join(run("keys", "revoke", "--help").split())
    assert "revoked the previous key of daily-planet" in run("keys", "revoke", "daily-planet", "--previous", "--yes")

    listing = run("keys", "list")
    assert "previous scoring: mks_" in listing and "previous: —" in listing
    assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {site.api_key}"}).status_code == 401
    assert client.get("/api/v1/comments/1", headers={"Authorization": f"Bearer {new_api}"}).status_code == 404
    assert scores(old_scoring) and scores(new_scoring)  # Coral may still send the old one

    run("keys", "scoring", "daily-planet", "--revoke", "--previous")
    assert not scores(old_scoring) and scores(new_scoring)


def test_the_new_commands_explain_themselves(run):
    for group, command in [("users", "list"), ("users", "disable"), ("users", "enable"),
                           ("users", "reset-password"), ("keys", "list"), ("keys", "rotate"), ("keys", "revoke")]:
        assert "Usage:" in run(group, command, "--help")


def test_a_user_made_from_the_shell_is_in_the_audit_log_under_the_commands_name(app, run):
    run("users", "create", "carol", "--role", "moderator", "--password-stdin", input="a long and fresh passphrase\n")
    with app.app_context():
        entry = db.session.query(AuditEntry).filter(AuditEntry.action == "user:created").one()
    assert entry.actor == cli_actor() and entry.actor.startswith("cli:")
    assert entry.details == {"user": "carol", "role": "moderator"}



def test_a_moderator_made_from_the_shell_works_the_sites_named_and_a_wrong_name_makes_no_user(app, run, site):
    from moderation.domain.membership import visible_sites
    from moderation.domain.users import user_named

    out = run("users", "create", "carol", "--site", "daily-planet", "--password-stdin",
              input="a long and fresh passphrase\n")
    assert "created moderator carol, moderating daily-planet" in out
    refused = run("users", "create", "dave", "--site", "no-such-site", "--password-stdin",
                  input="a long and fresh passphrase\n", ok=False)
    assert "no site named 'no-such-site'" in refused
    with app.app_context():
        assert [s.name for s in visible_sites(db.session, user_named(db.session, "carol"))] == ["daily-planet"]
        assert db.session.query(AuditEntry).filter(AuditEntry.details["user"].astext == "dave").count() == 0
    assert "dave" not in run("users", "list")


def test_a_new_password_from_the_command_line_lifts_a_sign_in_lockout(app, client, run, moderator):
    def sign_in(password):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return client.post("/login", data={"csrf_token": token, "username": "mona", "password": password})

    for attempt in range(10):
        assert sign_in(f"wrong guess {attempt}").status_code == 401
    assert sign_in(moderator.password).status_code == 429

    output = run("users", "reset-password", "mona", "--password-stdin", input="tall ships in the harbour\n")

    assert "lockout is lifted" in output
    assert sign_in("tall ships in the harbour").status_code == 302


def test_a_new_password_says_when_a_lockout_could_not_be_lifted(run, moderator, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens there

    output = run("users", "reset-password", "mona", "--password-stdin", input="tall ships in the harbour\n")

    assert "new password set for mona" in output and "stays until it ends by itself (within 15 minutes)" in output


def test_keys_create_help_names_every_starter_rule():
    """It listed seven of the nine rules a new site gets (a moderator's walk)."""
    from click.testing import CliRunner

    from moderation.cli import main
    from moderation.domain.rule_sets import STARTER_RULES

    shown = " ".join(CliRunner().invoke(main, ["keys", "create", "--help"], terminal_width=400).output.split())
    assert [rule["name"] for rule in STARTER_RULES if f"'{rule['name']}'" not in shown] == []


def test_a_site_admin_is_listed_in_line_with_the_sites_they_run(run, make_site_admin, admin, site):
    make_site_admin("sadie", sites=[site])
    lines = run("users", "list").splitlines()
    sadie, ada = next(line for line in lines if line.startswith("sadie")), next(line for line in lines
                                                                               if line.startswith("ada"))
    assert sadie.index("active") == ada.index("active") == lines[0].index("state")  # "site_admin" once pushed it out
    assert sadie.endswith(site.name)


def test_revoking_a_scoring_key_refuses_a_grace_it_would_not_keep(client, run, site):
    key = re.search(r"mks_\S+", run("keys", "scoring", "daily-planet")).group(0)
    for extra in (["--grace", "1h"], ["--replace-previous"]):
        refused = run("keys", "scoring", "daily-planet", "--revoke", *extra, ok=False)
        assert "not --revoke" in refused
    assert client.post(f"/v1alpha1/comments:analyze?key={key}", json=ANALYZE_BODY).status_code == 200
