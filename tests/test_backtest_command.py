"""`moderation models backtest`: a side-by-side table on a site's decisions, from registry versions or paths."""
from __future__ import annotations

import logging

from click.testing import CliRunner

from backtest_data import add_comment
from classifiers import DEFAULT_MODEL_PATH
from model_variants import model_variant
from moderation import db
from moderation.cli import main

TEXTS = {
    "You are a worthless idiot and everyone here knows it.": "rejected",
    "Thanks for the thoughtful article, I learned a lot about the city budget.": "approved",
    "The council meeting is on Tuesday at seven, open to the public.": "approved",
}


def test_it_prints_both_models_side_by_side_and_writes_the_plots(app, services, site, tmp_path):
    with app.app_context():
        for i, (text, decision) in enumerate(TEXTS.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=i)
        db.session.commit()
    candidate = model_variant(tmp_path / "in", "candidate-c")
    result = CliRunner().invoke(main, ["models", "backtest", "--site", site.name, "--candidate", str(candidate),
                                       "--plots", str(tmp_path / "plots"), "--quiet"], env=services.env())
    assert result.exit_code == 0, result.output
    assert "3 decided comments (1 rejected, 2 approved)" in result.output
    lines = {line.split("  ")[0]: line for line in result.output.splitlines()}
    assert lines["precision (held vs rejected)"].split()[-2:] == ["1.000", "1.000"]
    assert "published -> held: 0 comments" in result.output
    assert sorted(p.name for p in (tmp_path / "plots").iterdir()) == ["histograms.png", "pr_curves.png"]


def test_an_unknown_site_or_version_is_a_clear_error(services, site):
    result = CliRunner().invoke(main, ["models", "backtest", "--site", "nowhere", "--candidate", "x"],
                                env=services.env())
    assert result.exit_code != 0 and "no site named 'nowhere'" in result.output
    result = CliRunner().invoke(main, ["models", "backtest", "--site", site.name, "--candidate", "9999.99-none",
                                       "--active", str(DEFAULT_MODEL_PATH)], env=services.env())
    assert result.exit_code != 0 and "9999.99-none: no such model version" in result.output


def test_a_damaged_or_card_less_model_file_is_one_line_not_a_traceback(services, site, tmp_path):
    """An admin's walk: a truncated .skops, and one with no card beside it, each printed 55 lines of traceback."""
    from classifiers import DEFAULT_MODEL_PATH

    damaged = tmp_path / "half.skops"
    damaged.write_bytes(DEFAULT_MODEL_PATH.read_bytes()[:4000])
    (tmp_path / "half.card.json").write_bytes(DEFAULT_MODEL_PATH.with_suffix(".card.json").read_bytes())
    cardless = tmp_path / "nocard.skops"
    cardless.write_bytes(DEFAULT_MODEL_PATH.read_bytes())
    for path in (damaged, cardless):
        result = CliRunner().invoke(main, ["models", "backtest", "--site", site.name, "--candidate", str(path)],
                                    env=services.env())
        assert result.exit_code == 1 and "cannot load that model" in result.output, result.output
        assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_a_registered_version_whose_files_are_damaged_or_gone_is_read_from_the_registry(app, services, site,
                                                                                      tmp_path, caplog):
    """An admin's walk: a backtest of the version a site was scoring with failed ("ArtifactMismatch: ...
    cannot read ...card.json") where scoring read the registry's copy, as on any worker whose var dir
    had not scored with it."""
    from classifiers.paths import card_path_for
    from moderation.domain import model_registry
    from moderation.domain.model_refs import load_reference

    with app.app_context():
        row = model_registry.ensure_bootstrapped(db.session, var_dir=services.var_dir, model_path=DEFAULT_MODEL_PATH)
        db.session.commit()
        version, path = row.version, services.var_dir / row.artifact
        original = path.read_bytes()
        try:
            path.write_bytes(original + b"!")  # changed on disk
            with caplog.at_level(logging.ERROR, logger="moderation.domain.model_registry"):
                assert load_reference(db.session, version, var_dir=services.var_dir).version == version
            card_path_for(path).unlink()  # its card gone too
            assert load_reference(db.session, version, var_dir=services.var_dir).version == version
            path.unlink()  # both gone: another machine's var dir
            assert load_reference(db.session, version, var_dir=services.var_dir).version == version
            assert path.read_bytes() == original  # written back from the registry's copy
        finally:
            path.write_bytes(original)
    assert "loading the registry's own copy instead" in caplog.text
