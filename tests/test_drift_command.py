"""`moderation drift check`: the daily comparison run by hand, printed and stored."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from drift_fixtures import no_drift_reports  # noqa: F401  (fixture)
from moderation import db
from moderation.cli import main
from moderation.models import DriftReport


def test_drift_check_with_no_live_scores_says_it_cannot_warn_yet(app, services, no_drift_reports):
    result = CliRunner().invoke(main, ["drift", "check"], env=services.env())
    assert result.exit_code == 0, result.output
    assert "0 comments scored in the last 24 h" in result.output
    # The shipped card carries its validation scores; with no live ones there is nothing to warn about.
    assert "validation" in result.output and "needs at least 300" in result.output
    with app.app_context():
        assert db.session.scalars(select(DriftReport)).one().comments == 0


def test_drift_check_explains_itself():
    result = CliRunner().invoke(main, ["drift", "check", "--help"])
    assert result.exit_code == 0 and "validation data" in result.output


def test_a_number_option_of_nan_is_refused_in_one_line():
    """An admin's walk: `--hours nan` passed click's range check and died in a traceback."""
    for args in (["drift", "check", "--hours", "nan"], ["train", "--target-precision", "NaN"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "is not a number in the range" in result.output, result.output
