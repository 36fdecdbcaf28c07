"""The model registry: content-addressed artifacts checked by hash, bootstrap, promote and
rollback per site, one shadow at a time, and every change in the audit log."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from moderation.domain.errors import Conflict, NotFound
from moderation.models import AuditEntry, ModelVersion, User


@pytest.fixture
def var_dir(tmp_path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def shipped(app, var_dir) -> ModelVersion:
    with app.app_context():
        row = registry.ensure_bootstrapped(db.session, var_dir=var_dir, model_path=DEFAULT_MODEL_PATH)
        db.session.commit()
        return row


@pytest.fixture
def candidate(app, var_dir, tmp_path, admin) -> ModelVersion:
    with app.app_context():
        user = db.session.get(User, admin.id)
        row = registry.register_artifact(db.session, model_variant(tmp_path / "in", "candidate-b"),
                                         var_dir=var_dir, trained_by=user, notes="from the test")
        db.session.commit()
        return row


def actions() -> list[tuple[str, dict]]:
    return [(e.action, e.details) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_an_empty_registry_makes_the_shipped_model_the_global_version_once(app, var_dir, shipped):
    with app.app_context():
        again = registry.ensure_bootstrapped(db.session, var_dir=var_dir, model_path=DEFAULT_MODEL_PATH)
        assert again.id == shipped.id
        row = registry.active_version(db.session)
        assert row.version == shipped.version and row.status == registry.ACTIVE
        assert (var_dir / row.artifact).read_bytes() == DEFAULT_MODEL_PATH.read_bytes()
        assert row.artifact == f"models/{row.sha256}.skops" and (var_dir / f"models/{row.sha256}.card.json").exists()
        assert row.metrics["toxicity"]["roc_auc"] > 0.9
        assert registry.load_version(row, var_dir).version == row.version
        assert actions() == [] and row.notes == "registered at first use from civility.skops"


def test_registering_the_same_artifact_twice_keeps_one_candidate(app, var_dir, candidate, tmp_path, admin):
    with app.app_context():
        again = registry.register_artifact(db.session, model_variant(tmp_path / "again", "candidate-b"), var_dir=var_dir)
        assert again.id == candidate.id and again.status == registry.CANDIDATE
        assert candidate.trained_by == admin.id and candidate.notes == "from the test"
        assert db.session.scalars(select(ModelVersion)).all() == [again]


def test_a_changed_artifact_is_refused_at_load(app, var_dir, candidate):
    with app.app_context():
        row = db.session.get(ModelVersion, candidate.id)
        card = var_dir / f"models/{row.sha256}.card.json"
        card.write_text(card.read_text().replace('"candidate-b"', '"tampered"'))
        with pytest.raises(registry.ArtifactMismatch, match="does not match its registered SHA-256"):
            registry.load_version(row, var_dir)


def test_promote_and_rollback_globally_and_per_site(app, var_dir, shipped, candidate, site, outsider, admin):
    with app.app_context():
        user = db.session.get(User, admin.id)
        registry.promote(db.session, candidate.version, by=user, site_id=site.id)
        db.session.commit()
        assert registry.active_version(db.session, site.id).version == candidate.version
        assert registry.active_version(db.session, outsider.id).version == shipped.version
        assert db.session.get(ModelVersion, candidate.id).status == registry.ACTIVE

        # Rolling the site back: it follows the global model again, and the candidate is retired.
        assert registry.rollback(db.session, by=user, site_id=site.id) is None
        db.session.commit()
        assert registry.active_version(db.session, site.id).version == shipped.version
        assert db.session.get(ModelVersion, candidate.id).status == registry.RETIRED

        registry.promote(db.session, candidate.version, by=user)
        db.session.commit()
        assert registry.active_version(db.session, outsider.id).version == candidate.version
        assert db.session.get(ModelVersion, shipped.id).status == registry.RETIRED
        with pytest.raises(Conflict):
            registry.promote(db.session, candidate.version, by=user)
        db.session.rollback()

        assignment = registry.rollback(db.session, by=user)
        db.session.commit()
        assert assignment.version.version == shipped.version and assignment.previous_version.version == candidate.version
        assert db.session.get(ModelVersion, shipped.id).status == registry.ACTIVE
        assert db.session.get(ModelVersion, candidate.id).status == registry.RETIRED

        audited = [(a, d.get("site"), d.get("version"), e) for (a, d), e in
                   zip(actions(), db.session.scalars(select(AuditEntry.actor).order_by(AuditEntry.id)))]
        assert [a[:3] for a in audited if a[0] != "model:registered"] == [
            ("model:promoted", "daily-planet", candidate.version),
            ("model:rolled_back", "daily-planet", None),
            ("model:promoted", "global", candidate.version),
            ("model:rolled_back", "global", shipped.version),
        ]
        assert {e for a, *_, e in audited if a.startswith("model:") and a != "model:registered"} >= {"user:ada"}


def test_a_version_active_for_a_site_stays_active_when_the_global_one_moves_on(app, shipped, candidate, site):
    with app.app_context():
        registry.promote(db.session, shipped.version, by="cli", site_id=site.id)
        registry.promote(db.session, candidate.version, by="cli")
        db.session.commit()
        assert db.session.get(ModelVersion, shipped.id).status == registry.ACTIVE
        assert registry.active_version(db.session, site.id).version == shipped.version


def test_one_shadow_at_a_time_and_never_an_active_version(app, var_dir, tmp_path, shipped, candidate):
    with app.app_context():
        other = registry.register_artifact(db.session, model_variant(tmp_path / "c", "candidate-c"), var_dir=var_dir)
        registry.set_shadow(db.session, candidate.version, by="cli")
        registry.set_shadow(db.session, other.version, by="cli")
        db.session.commit()
        assert registry.shadow_version(db.session).version == other.version
        assert db.session.get(ModelVersion, candidate.id).status == registry.CANDIDATE
        with pytest.raises(Conflict):
            registry.set_shadow(db.session, shipped.version, by="cli")
        db.session.rollback()
        registry.set_shadow(db.session, None, by="cli")
        db.session.commit()
        assert registry.shadow_version(db.session) is None
        assert [a for a, _ in actions()][-3:] == ["model:shadow_set", "model:shadow_set", "model:shadow_cleared"]


def test_the_first_global_model_cannot_be_rolled_back(app, shipped):
    with app.app_context():
        with pytest.raises(Conflict, match="nothing to roll back"):
            registry.rollback(db.session, by="cli")


def test_a_second_admins_stale_rollback_does_not_roll_forward_again(app, shipped, candidate):
    """Both pages showed the candidate active; the second click swapped it back in, each told 'rolled back'."""
    with app.app_context():
        registry.promote(db.session, candidate.version, by="cli")
        registry.rollback(db.session, by="alice", from_version=candidate.version)
        db.session.commit()
        with pytest.raises(Conflict, match=f"runs {shipped.version} now, not {candidate.version}"):
            registry.rollback(db.session, by="carol", from_version=candidate.version)
        db.session.rollback()
        assert registry.active_version(db.session).version == shipped.version


def test_promoting_the_shadow_ends_the_shadow_in_the_audit_log_and_clearing_none_is_refused(app, shipped, candidate):
    with app.app_context():
        registry.set_shadow(db.session, candidate.version, by="cli")
        registry.promote(db.session, candidate.version, by="cli")
        db.session.commit()
        assert registry.shadow_version(db.session) is None
        assert [a for a, _ in actions()][-2:] == ["model:shadow_cleared", "model:promoted"]
        with pytest.raises(Conflict, match="no version runs in shadow"):
            registry.set_shadow(db.session, None, by="cli")


@pytest.mark.parametrize("thresholds", [{}, {"toxicity": 7}, {"toxicity": 0.5}, None,
                                        {a: 0.0 for a in ("toxicity", "severe_toxicity", "insult", "identity_attack",
                                                          "profanity", "threat")}])
def test_a_card_without_a_sound_threshold_for_each_attribute_is_refused_at_registration(
        app, var_dir, tmp_path, thresholds):
    """A card of {} registered, was promoted, and its site published 'You are a complete idiot' unflagged."""
    from classifiers import UntrustedModelError

    with app.app_context(), pytest.raises(UntrustedModelError, match="threshold"):
        registry.register_artifact(db.session, model_variant(tmp_path / "odd", "odd", thresholds=thresholds),
                                   var_dir=var_dir)


def test_a_version_that_scored_once_comes_back_from_the_shadow_retired_not_a_candidate(app, shipped, candidate):
    """An admin's walk: a retired version, run in shadow again and stopped, came back a candidate, as if
    never used, and was offered for discarding."""
    with app.app_context():
        registry.promote(db.session, candidate.version, by="cli")
        registry.rollback(db.session, by="cli", from_version=candidate.version)
        db.session.commit()
        assert db.session.get(ModelVersion, candidate.id).status == registry.RETIRED
        registry.set_shadow(db.session, candidate.version, by="cli")
        registry.set_shadow(db.session, None, by="cli")
        db.session.commit()
        assert db.session.get(ModelVersion, candidate.id).status == registry.RETIRED


def test_an_unknown_version_of_any_length_is_named_in_a_line(app, shipped):
    with app.app_context(), pytest.raises(NotFound) as refused:
        registry.promote(db.session, "x" * 10_000, by="cli")
    assert len(refused.value.message) < 200 and refused.value.message.endswith("...'")


def test_a_site_promoted_twice_can_follow_the_global_version_again_and_later_promotions_reach_it(
        app, var_dir, tmp_path, shipped, candidate, site, admin):
    """A data scientist's walk: after two promotions for their site, a rollback led only to the first
    version, and promoting the global one pinned it, so a later global promotion passed the site by."""
    with app.app_context():
        user = db.session.get(User, admin.id)
        second = registry.register_artifact(db.session, model_variant(tmp_path / "v3", "third"), var_dir=var_dir,
                                            trained_by=user)
        db.session.commit()
        registry.promote(db.session, candidate.version, by=user, site_id=site.id)
        registry.promote(db.session, second.version, by=user, site_id=site.id)
        db.session.commit()
        with pytest.raises(Conflict, match="someone changed it"):
            registry.follow_global(db.session, site.id, by=user, from_version=candidate.version)
        db.session.rollback()

        registry.follow_global(db.session, site.id, by=user, from_version=second.version)
        db.session.commit()
        assert registry.active_version(db.session, site.id).version == shipped.version
        assert db.session.get(ModelVersion, second.id).status == registry.RETIRED
        registry.promote(db.session, candidate.version, by=user)  # a later global promotion reaches the site
        db.session.commit()
        assert registry.active_version(db.session, site.id).version == candidate.version
        assert ("model:follows_global", {"site": "daily-planet", "left": second.version}) in [
            (a, {k: d[k] for k in ("site", "left") if k in d}) for a, d in actions()]
        with pytest.raises(Conflict, match="follows the global model already"):
            registry.follow_global(db.session, site.id, by=user)
