"""The ModelProvider: one small check at most every interval, each site's version, a new version
loaded once, an empty registry bootstrapped once however many processes start together."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.scoring import score_pending
from moderation.model_provider import ModelProvider
from moderation.models import Comment, ModelVersion, Site

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def provider(app, tmp_path, clock) -> ModelProvider:
    return ModelProvider(app.extensions["db_engine"], var_dir=tmp_path / "var", model_path=DEFAULT_MODEL_PATH,
                         check_interval=2.0, clock=clock)


def _candidate(app, provider, tmp_path) -> str:
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path / "in", "candidate-b"),
                                         var_dir=provider.var_dir, actor=None)
        db.session.commit()
        return row.version


def test_a_promotion_is_seen_at_the_first_check_after_the_interval(app, provider, clock, tmp_path, site, outsider):
    shipped = provider.default().version
    candidate = _candidate(app, provider, tmp_path)
    with app.app_context():
        registry.promote(db.session, candidate, by="test", site_id=site.id)
        db.session.commit()
    provider.refresh()
    assert provider.for_site(site.id).version == shipped  # checked less than 2 s ago
    clock.now += 2.0
    provider.refresh()
    assert provider.for_site(site.id).version == candidate
    assert provider.for_site(outsider.id).version == shipped and provider.default().version == shipped
    assert provider.for_site(site.id) is provider.for_site(site.id)  # loaded once


def _tampered(app, provider, tmp_path, site) -> tuple[str, bytes]:
    """A site's own version whose file on disk was changed after it was registered."""
    provider.default()
    candidate = _candidate(app, provider, tmp_path)
    tampered = DEFAULT_MODEL_PATH.read_bytes()[:-10] + b"0123456789"
    with app.app_context():
        row = registry.get_version(db.session, candidate)
        (provider.var_dir / row.artifact).write_bytes(tampered)
        registry.promote(db.session, candidate, by="test", site_id=site.id)
        db.session.commit()
    provider.refresh(force=True)
    return candidate, tampered


def test_a_tampered_artifact_is_refused_and_the_registrys_copy_scores_instead(app, provider, tmp_path, site, caplog):
    """An operator's walk: refused, it failed every batch that held the site's comments, every site's."""
    candidate, tampered = _tampered(app, provider, tmp_path, site)
    model = provider.for_site(site.id)
    assert model.version == candidate and model.score(["You absolute idiot."])[0]["toxicity"] > 0
    assert "refusing to load it; loading the registry's own copy instead" in caplog.text
    with app.app_context():
        assert (provider.var_dir / registry.get_version(db.session, candidate).artifact).read_bytes() == tampered


def test_a_site_whose_model_cannot_be_loaded_at_all_scores_with_the_global_one_and_other_sites_go_on(
        app, provider, clock, tmp_path, site, outsider, caplog):
    candidate, _ = _tampered(app, provider, tmp_path, site)
    shipped = provider.default().version
    with app.app_context():
        row = registry.get_version(db.session, candidate)
        row.artifact_bytes = b"damaged too"
        ids = [submit_comment(db.session, db.session.get(Site, s.id),
                              CommentInput(external_id=f"c-{s.id}", story_id="s", author_id="a", text="Fine words.")
                              ).comment.id for s in (site, outsider)]
        db.session.commit()
        # What the site's Perspective requests score with too, and drift checks what loads (a re-check:
        # 503s for that site's Perspective requests, and a traceback that stopped every site's drift check).
        assert provider.for_site(site.id).version == shipped
        score_pending(db.session, provider, ids, batch_size=10)
        versions = dict(db.session.execute(select(Comment.site_id, Comment.model_version)).all())
    assert versions == {site.id: shipped, outsider.id: shipped}
    assert provider.in_use_model(candidate) is None and [m.version for m in provider.in_use()] == [shipped]
    # Said once, and not tried again at every batch until a minute has passed.
    assert caplog.text.count(f"site {site.id}'s own model {candidate} cannot be loaded") == 1
    clock.now += 61
    provider.for_site(site.id)
    assert caplog.text.count(f"site {site.id}'s own model {candidate} cannot be loaded") == 2


def test_processes_starting_together_register_the_shipped_model_once(app, tmp_path):
    providers = [ModelProvider(app.extensions["db_engine"], var_dir=tmp_path / "var", model_path=DEFAULT_MODEL_PATH)
                 for _ in range(4)]
    versions: list[str] = []
    threads = [threading.Thread(target=lambda p=p: versions.append(p.default().version)) for p in providers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(versions) == 4 and len(set(versions)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModelVersion)) == 1


def test_scoring_uses_each_site_s_version_and_records_it(app, provider, clock, tmp_path, site, outsider):
    shipped = provider.default().version
    candidate = _candidate(app, provider, tmp_path)
    with app.app_context():
        registry.promote(db.session, candidate, by="test", site_id=site.id)
        db.session.commit()
        ids = [submit_comment(db.session, db.session.get(Site, s.id),
                              CommentInput(external_id=f"c-{s.id}", story_id="s", author_id="a", text="Fine words.")
                              ).comment.id for s in (site, outsider)]
        db.session.commit()
        clock.now += 5
        score_pending(db.session, provider, ids, batch_size=10)
        versions = dict(db.session.execute(select(Comment.site_id, Comment.model_version)).all())
    assert versions == {site.id: candidate, outsider.id: shipped}


def test_a_process_with_another_var_dir_writes_the_files_from_the_database(app, provider, clock, tmp_path, site):
    provider.default()
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path / "in", "candidate-b"),
                                         var_dir=tmp_path / "trainer-machine", actor=None)
        registry.promote(db.session, row, by="test", site_id=site.id)
        db.session.commit()
        version, artifact = row.version, row.artifact
    assert not (provider.var_dir / artifact).exists()
    clock.now += 2
    provider.refresh()
    assert provider.for_site(site.id).version == version
    assert (provider.var_dir / artifact).read_bytes() == (tmp_path / "trainer-machine" / artifact).read_bytes()


def test_a_process_whose_var_dir_cannot_take_the_files_loads_the_registrys_copy(app, provider, clock, tmp_path, site):
    """An operator's worker on a full var dir failed every batch "No space left on device"."""
    provider.default()
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path / "in", "candidate-c"),
                                         var_dir=tmp_path / "trainer-machine", actor=None)
        registry.promote(db.session, row, by="test", site_id=site.id)
        db.session.commit()
        version, artifact = row.version, row.artifact
    (provider.var_dir / artifact).parent.rename(provider.var_dir / "moved")
    (provider.var_dir / artifact).parent.write_text("a file where the models folder was")  # nothing can be written
    clock.now += 2
    provider.refresh()
    model = provider.for_site(site.id)
    assert model.version == version and model.score(["You absolute idiot."])[0]["toxicity"] > 0
    assert (provider.var_dir / artifact).parent.is_file()


def test_drift_checks_every_version_in_use_not_only_the_global_one(app, provider, clock, tmp_path, site, outsider):
    """A site on its own promoted model had no drift check: only the global version was compared."""
    from moderation.domain.drift import DriftSettings, check_models
    from moderation.models import DriftReport

    shipped = provider.default().version
    candidate = _candidate(app, provider, tmp_path)
    with app.app_context():
        for s in (site, outsider):  # two sites on the candidate: checked once
            registry.promote(db.session, candidate, by="test", site_id=s.id)
        db.session.commit()
        clock.now += 5
        provider.refresh()
        assert [m.version for m in provider.in_use()] == [shipped, candidate]
        db.session.execute(DriftReport.__table__.delete())
        reports = check_models(db.session, provider.in_use(), DriftSettings(psi_warn=0.2, min_comments=1))
        db.session.commit()
        assert [r.version for r in reports] == [shipped, candidate]
        assert sorted(db.session.scalars(select(DriftReport.version))) == sorted([shipped, candidate])
