"""`moderation models ...` and `moderation train`'s registration: the registry from the shell."""
from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.cli import main
from moderation.cli.context import cli_actor
from moderation.models import AuditEntry

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")


@pytest.fixture
def cli(services, app):
    def run(*args: str, ok: bool = True):
        result = CliRunner().invoke(main, ["models", *args], env=services.env())
        assert (result.exit_code == 0) == ok, result.output
        return result.output
    return run


def test_register_promote_and_rollback_from_the_shell(app, cli, site, tmp_path):
    shipped = cli("list").splitlines()[1].split()[0]  # an empty registry starts with the shipped model
    assert "active" in cli("list") and "global" in cli("list")

    out = cli("register", str(model_variant(tmp_path, "candidate-b")), "--notes", "from a test")
    candidate = out.split()[0]
    assert "registered (candidate)" in out and candidate != shipped
    assert "candidate" in cli("show", candidate) and "from a test" in cli("show", candidate)
    assert '"name": "candidate-b"' in cli("show", candidate, "--card")
    assert "not scored" not in cli("show", candidate)  # the shipped card's six heads are all its own
    thin = cli("register", str(model_variant(tmp_path, "thin", insufficient_data={"threat": {"score_copied_from": "toxicity"}})))
    assert "not scored (too few examples): threat (uses toxicity's score)" in cli("show", thin.split()[0])

    assert f"daily-planet: {candidate} is active" in cli("promote", candidate, "--site", "daily-planet")
    rows = {line.split()[0]: line for line in cli("list").splitlines()[1:]}
    assert rows[candidate].endswith("daily-planet") and rows[shipped].endswith("global")
    with app.app_context():  # the candidate published a comment while it was live
        from moderation import db
        from moderation.models import Comment

        db.session.add(Comment(site_id=site.id, external_id="c-live", story_id="s", author_id="a", text="Hi.",
                               body_hash="h", status="published", model_version=candidate,
                               published_by_version=candidate))
        db.session.commit()
    rolled = cli("rollback", "--site", "daily-planet")
    assert f"daily-planet: follows the global version again (now {shipped})" in rolled
    assert f"note: What {candidate} scored stays as it is: 1 published and 0 held" in rolled  # as the page says
    assert "nothing to roll back" in cli("rollback", ok=False)
    cli("promote", candidate, "--site", "daily-planet")
    assert f"daily-planet: follows the global version again (now {shipped})" in cli("follow-global", "--site",
                                                                                   "daily-planet")
    assert "follows the global model already" in cli("follow-global", "--site", "daily-planet", ok=False)
    assert "no such site" in cli("promote", candidate, "--site", "nowhere", ok=False)
    assert "no model version 'nope'" in cli("promote", "nope", ok=False)

    with app.app_context():
        audited = [(e.actor, e.action) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    me = cli_actor()  # "cli:" and the shell account, as every command's entries
    assert audited == [(me, "model:registered"), (me, "model:registered"), (me, "model:promoted"),
                       (me, "model:rolled_back"), (me, "model:promoted"), (me, "model:follows_global")]


def test_promote_and_rollback_from_the_shell_keep_a_reason_in_the_audit_log(app, cli, site, tmp_path):
    """A data scientist's walk: no promotion or rollback said why, for the admin who came next."""
    candidate = cli("register", str(model_variant(tmp_path, "candidate-b"))).split()[0]
    cli("promote", candidate, "--site", "daily-planet", "--reason", "caught 19 of 25 rejected in the backtest")
    cli("rollback", "--site", "daily-planet", "--reason", "holds derby celebrations")
    cli("promote", candidate, "--site", "daily-planet")
    cli("follow-global", "--site", "daily-planet", "--reason", "the shared one is better now")  # a re-check: it took none
    assert "at most 500 characters" in cli("promote", candidate, "--reason", "x" * 501, ok=False)
    # A lone surrogate, as a shell passes bytes that are not UTF-8: a traceback from the audit insert (a re-check).
    assert "the reason must be text" in cli("follow-global", "--site", "daily-planet", "--reason", "bad \udcff", ok=False)
    with app.app_context():
        reasons = [(e.action, e.details.get("reason")) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action.in_(("model:promoted", "model:rolled_back", "model:follows_global")))
            .order_by(AuditEntry.id))]
    assert reasons == [("model:promoted", "caught 19 of 25 rejected in the backtest"),
                       ("model:rolled_back", "holds derby celebrations"), ("model:promoted", None),
                       ("model:follows_global", "the shared one is better now")]


def test_every_models_command_has_help():
    for command in ("list", "show", "register", "promote", "rollback", "follow-global", "shadow"):
        result = CliRunner().invoke(main, ["models", command, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_what_train_wrote_is_registered_as_a_candidate_when_a_database_is_at_hand(app, services, tmp_path,
                                                                                  monkeypatch, capsys):
    from moderation.cli.registry_commands import register_trained

    trained = model_variant(tmp_path / "out", "civility", trained_at="2026-11-29T01:00:00+00:00")
    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    register_trained(trained)
    out = capsys.readouterr().out
    assert "registered" in out and "candidate" in cli_list(services) and "--site" not in out

    # A site's own model: the hint promotes it for that site, not for every site.
    own = model_variant(tmp_path / "own", "civility-daily-planet", trained_at="2026-11-29T02:00:00+00:00",
                        training_data={"own_labels": {"site:daily-planet": {"rows": 30}}})
    register_trained(own)
    assert "--site daily-planet` makes it active for that site" in capsys.readouterr().out

    monkeypatch.delenv("DATABASE_URL")
    monkeypatch.setenv("MODERATION_VAR_DIR", str(tmp_path / "no-service-here"))
    register_trained(trained)
    assert "not registered: no database here" in capsys.readouterr().out


def test_a_candidate_train_registered_names_the_shell_account_that_trained_it(app, cli, services, tmp_path,
                                                                               monkeypatch):
    """`models list` said "-" and the models page "trained by —" of every candidate `moderation train` made."""
    from moderation.cli.registry_commands import register_trained

    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    register_trained(model_variant(tmp_path, "civility", trained_at="2026-11-30T01:00:00+00:00"))
    version = next(line for line in cli("list").splitlines() if "candidate" in line).split()[0]

    assert cli_actor()[:14] in next(line for line in cli("list").splitlines() if line.startswith(version))
    assert f"trained by:    {cli_actor()}\n" in cli("show", version)


def cli_list(services) -> str:
    return CliRunner().invoke(main, ["models", "list"], env=services.env()).output


def test_promoting_a_sites_own_model_for_every_site_from_the_shell_asks_for_yes(cli, site, outsider, tmp_path):
    out = cli("register", str(model_variant(tmp_path, "own-e", training_data={"own_labels": {"site:daily-planet": {"rows": 30}}})))
    own = out.split()[0]
    refused = cli("promote", own, ok=False)
    assert f"{own} learnt from daily-planet's own decisions; to make it the active version of every site (global)" in refused
    assert "other-gazette only" in cli("promote", own, "--site", "other-gazette", ok=False)
    assert f"daily-planet: {own} is active" in cli("promote", own, "--site", "daily-planet")
    assert f"global: {own} is active" in cli("promote", own, "--yes")


def test_rolling_back_to_a_sites_own_model_for_every_site_asks_for_yes(cli, site, tmp_path):
    """An admin's walk: a second `rollback` "to be sure" made daily-planet's own model every site's."""
    shipped = cli("list").splitlines()[1].split()[0]
    own = cli("register", str(model_variant(tmp_path, "own-f", training_data={
        "own_labels": {"site:daily-planet": {"rows": 30}}}))).split()[0]
    cli("promote", own, "--yes")
    assert f"global: {shipped} is active" in cli("rollback")

    refused = cli("rollback", ok=False)
    assert f"rolling back brings {own} back, which learnt from daily-planet's own decisions" in refused
    assert next(line for line in cli("list").splitlines() if line.startswith(shipped)).endswith("global")  # unchanged
    assert f"global: {own} is active" in cli("rollback", "--yes")


def test_a_site_rolled_back_to_the_global_version_is_told_it_follows_it(cli, site, tmp_path):
    candidate = cli("register", str(model_variant(tmp_path, "plain-g"))).split()[0]
    cli("promote", candidate, "--site", "daily-planet")
    assert "daily-planet: follows the global version again (now " in cli("rollback", "--site", "daily-planet")


def test_list_and_show_say_who_trained_a_version_from_the_shell_and_whose_decisions_it_learnt(app, cli, tmp_path):
    """An admin's walk: the models page said "cli:root" where `models list` said "-", and neither command
    said the candidate had learnt from herald's own decisions; its training data was one line of JSON."""
    from moderation.domain.model_registry import register_artifact
    from moderation.models import TrainingRun

    path = model_variant(tmp_path, "herald-own", training_data={"own_labels": {"site:herald": {"rows": 170}}})
    with app.app_context():
        row = register_artifact(db.session, path, var_dir=app.config["VAR_DIR"], actor="cli:root")
        db.session.add(TrainingRun(requested_by="cli:root", state="succeeded", version_id=row.id))
        db.session.commit()
        version = row.version

    listed = next(line for line in cli("list").splitlines() if line.startswith(version))
    shown = cli("show", version)

    assert "cli:root" in listed and "shared + herald" in listed
    assert "trained by:    cli:root" in shown and "learnt from:   the shared data and herald's own decisions" in shown
    assert "\n  train rows:" in shown or "\n  sources:" in shown  # a line each, not one line of JSON


def test_registering_a_copy_of_a_registered_version_says_so_and_keeps_its_notes(cli, tmp_path):
    """An admin's walk: a renamed copy was "registered (candidate)" again, and its --notes dropped unsaid."""
    out = cli("register", str(model_variant(tmp_path, "copy-h")), "--notes", "the first")
    version = out.split()[0]
    (tmp_path / "renamed").mkdir()
    for suffix in (".skops", ".card.json"):
        (tmp_path / "renamed" / f"other{suffix}").write_bytes((tmp_path / f"copy-h{suffix}").read_bytes())
    again = cli("register", str(tmp_path / "renamed" / "other.skops"), "--notes", "the second")
    assert f"{version} was registered already (candidate); nothing changed, and its notes are kept" in again
    assert "notes:         the first" in cli("show", version)


def test_promoting_a_version_that_learnt_from_one_sided_labels_says_so(cli, site, tmp_path):
    """An admin's walk: trained on 19 rejections and 1 approval, promoted with no word of it."""
    own = {"site:daily-planet": {"rows": 20, "label_counts": {"toxicity": {"known": 20, "positive": 19}}}}
    version = cli("register", str(model_variant(tmp_path, "thin-i", training_data={"own_labels": own}))).split()[0]
    out = cli("promote", version, "--site", "daily-planet")
    assert "note: It learnt from daily-planet's 20 labels (19 toxic, 1 not): one-sided" in out


def test_shadow_says_what_it_replaced_and_what_it_stopped(cli, tmp_path):
    """An admin's walk: "no shadow" read as "there was none", and a new shadow did not name the one it replaced."""
    first = cli("register", str(model_variant(tmp_path, "shadow-n"))).split()[0]
    second = cli("register", str(model_variant(tmp_path, "shadow-o"))).split()[0]
    assert cli("shadow", first).strip() == f"{first} runs in shadow"
    assert cli("shadow", second).strip() == f"{second} runs in shadow in place of {first}"
    assert cli("shadow", "--clear").strip() == f"{second} no longer runs in shadow"


def test_a_candidate_discarded_from_the_shell_can_no_longer_be_run(services, cli, tmp_path):
    version = cli("register", str(model_variant(tmp_path, "discard-p"))).split()[0]
    assert cli("discard", version).strip() == f"{version} discarded"
    assert f"{version}" in cli_list(services) and "discarded" in cli_list(services)
    refused = CliRunner().invoke(main, ["models", "shadow", version], env=services.env())
    assert refused.exit_code == 1 and f"{version} was discarded: its artifact is gone" in refused.output


def test_the_training_summary_says_how_many_of_a_sites_labels_trained_it():
    """A migrating site's walk: "own labels: site:my-site 3000 rows" where the card said none trained it."""
    from moderation.cli.model_commands import own_label_lines

    card = {"training_data": {"own_label_weight": 2.0, "own_labels": {
        "site:my-site": {"rows": 3000, "trained_on": 0, "validation": 3000},
        "site:other": {"rows": 10, "trained_on": 8, "validation": 2}}}}
    assert own_label_lines(card) == [
        "own labels: site:my-site 3000 rows (0 trained on, 3000 kept to measure it: this version learnt nothing "
        "from them), weight 2.0",
        "own labels: site:other 10 rows (8 trained on, 2 kept to measure it), weight 2.0"]


def test_models_show_says_a_file_only_measured_the_model_and_which_validation_rows_the_pages_count():
    """An admin's walk: "cad_reddit.csv: 0 rows" among what trained a version, and 24,803 validation rows
    where the pages said 24,748."""
    from moderation.cli.registry_commands import _training_data_lines

    lines = _training_data_lines({"files": [{"file": "cad_reddit.csv", "rows": 0, "sha256": "ab" * 32},
                                            {"file": "davidson.csv", "rows": 24783, "sha256": "cd" * 32}],
                                  "validation_rows": 24803, "public_validation_rows": 24748})
    assert "file cad_reddit.csv: only measured it, not trained on, sha256 abababababab" in lines
    assert "file davidson.csv: 24,783 rows, sha256 cdcdcdcdcdcd" in lines
    assert "validation rows: 24,803 (24,748 public, which the pooled metrics and thresholds are on)" in lines
