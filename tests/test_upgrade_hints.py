"""An upgraded installation is told what the release brought that it does not take up by itself."""
from __future__ import annotations

import json
import re
import shutil

from click.testing import CliRunner
from sqlalchemy import select

from classifiers.paths import DEFAULT_MODEL_PATH, card_path_for
from moderation import db
from moderation.cli import main
from moderation.domain.rule_sets import save_rules
from moderation.models import ModelVersion, Site
from moderation.upgrade_hints import _shipped_model, upgrade_hints


def _ship(tmp_path, trained_at: str):
    """A copy of the shipped model whose card says another day: another version, as a new release's."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "civility.skops"
    shutil.copy(DEFAULT_MODEL_PATH, path)
    card = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    card_path_for(path).write_text(json.dumps({**card, "trained_at": trained_at}))
    return path


def test_an_upgrade_names_the_shipped_model_it_has_not_registered_and_sites_without_a_starter_rule(
        app, services, site, tmp_path):
    shipped = _ship(tmp_path, "2027-01-15T00:00:00+00:00")
    with app.app_context():
        db.session.add(ModelVersion(version="2026.11.29-55da666c", sha256="0" * 64, artifact="a", status="active",
                                    artifact_bytes=b"", card_bytes=b"{}", card={}))
        old = db.session.get(Site, site.id)
        save_rules(db.session, old, [{"name": "threats", "kind": "threat_words", "action": "hold",
                                      "reason": "threat of violence"}], actor="test")
        db.session.commit()

    hints = "\n".join(upgrade_hints(services.database_url, shipped))

    assert "ships model 2027.01.15-" in hints and f"models register {shipped}" in hints
    assert "other-language (kind other_language): 1 site" in hints and "group-hate (kind group_attack)" in hints
    assert "(kind threat_words)" not in hints  # it has that one
    assert site.name in hints


def test_a_site_offered_fewer_starter_rules_than_this_release_has_is_named_for_the_new_ones(app, services, tmp_path):
    """Made by a release whose starter set was threats and group-hate: named for the rules added since,
    in one hint, a line each."""
    from moderation.domain.lifecycle import audit

    with app.app_context():
        older = Site(name="made-last-month", key_id="k-old", key_hash="x", webhook_secret="s")
        db.session.add(older)
        db.session.flush()
        audit(db.session, "cli:ops", "site:created", site_id=older.id, site=older.name,
              starter_kinds_offered=["threat_words", "group_attack"])
        db.session.commit()

    hints = upgrade_hints(services.database_url, tmp_path / "none.skops")

    [hint] = [h for h in hints if "made-last-month" in h]
    named = sorted(re.search(r"\(kind (\w+)\)", line)[1] for line in hint.splitlines() if "made-last-month" in line)
    assert named == ["at_risk", "email", "other_language", "payment_card", "phone", "street_address", "urging_self_harm"]


def test_nothing_is_said_once_the_model_is_registered_and_sites_have_the_rules(app, services, tmp_path):
    runner_env = {**services.env(), "SECRET_KEY": "test-secret"}
    assert CliRunner().invoke(main, ["keys", "create", "fresh-post"], env=runner_env).exit_code == 0
    # Made without them on purpose, after they existed: not nagged about at every start.
    assert CliRunner().invoke(main, ["keys", "create", "bare-post", "--rules", "none"], env=runner_env).exit_code == 0
    version, digest = _shipped_model(DEFAULT_MODEL_PATH)
    with app.app_context():  # the shipped model registered, as `models register` leaves it
        db.session.add(ModelVersion(version=version, sha256=digest, artifact="a", status="active",
                                    artifact_bytes=b"", card_bytes=b"{}", card={}))
        db.session.commit()

    assert upgrade_hints(services.database_url, DEFAULT_MODEL_PATH) == []
    assert upgrade_hints(services.database_url, tmp_path / "none.skops") == []  # no model shipped: nothing to say
    upgraded = CliRunner().invoke(main, ["db", "upgrade"], env=runner_env)
    assert upgraded.exit_code == 0 and "Since the last release" not in upgraded.output


def test_an_installation_from_before_the_registry_is_told_the_shipped_model_takes_over(app, services, site, tmp_path):
    """A re-check walk upgraded a 28 November database, whose model was a file: the new one scored from
    then on, with no notice and nothing in /admin/models to roll back to."""
    from moderation.domain.comments import CommentInput, submit_comment
    from moderation.models import Comment

    shipped = _ship(tmp_path, "2027-01-15T00:00:00+00:00")
    with app.app_context():
        comment = submit_comment(db.session, db.session.get(Site, site.id), CommentInput(
            external_id="c-1", story_id="s-1", author_id="a-1", text="Scored by the old release.")).comment
        db.session.get(Comment, comment.id).model_version = "2026.11.28-61768a7c"
        db.session.commit()

    hints = "\n".join(upgrade_hints(services.database_url, shipped))

    assert "Comments here were scored by 2026.11.28-61768a7c, from before the registry kept models" in hints
    assert "release registers its own, 2027.01.15-" in hints


def test_each_hint_is_said_once_and_the_audit_log_keeps_it(app, services, site, tmp_path):
    """An operator's walk: the same hint at every start for months, and a site that did not want a
    starter rule could never silence it."""
    from moderation.models import AuditEntry

    shipped = _ship(tmp_path, "2027-01-15T00:00:00+00:00")
    with app.app_context():
        db.session.add(ModelVersion(version="2026.11.29-55da666c", sha256="0" * 64, artifact="a", status="active",
                                    artifact_bytes=b"", card_bytes=b"{}", card={}))
        db.session.commit()
    runner_env = {**services.env(), "SECRET_KEY": "test-secret", "MODEL_PATH": str(shipped)}

    first = CliRunner().invoke(main, ["db", "upgrade"], env=runner_env)
    again = CliRunner().invoke(main, ["db", "upgrade"], env=runner_env)

    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "ships model 2027.01.15-" in first.output and f"{site.name})" in first.output
    assert "Since the last release" not in again.output
    with app.app_context():
        told = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "system:upgrade")).all()
    # release:visibility_told: the once-per-release look for held comments it shows or hides (none here).
    assert sorted(set(told)) == ["release:model_told", "release:visibility_told", "site:starter_rules_told"]
    # Another release's model is news again.
    newer = _ship(tmp_path / "next", "2027-02-01T00:00:00+00:00")
    later = CliRunner().invoke(main, ["db", "upgrade"], env={**runner_env, "MODEL_PATH": str(newer)})
    assert "ships model 2027.02.01-" in later.output and "(kind " not in later.output
