"""`train_with_own_labels`: the site's decisions, exported on the fly, move the model toward them."""
from __future__ import annotations

import csv
import itertools
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from classifiers import load_model
from classifiers.train import train_model
from moderation import db
from moderation.cli import main
from moderation.domain.decisions import decide
from moderation.domain.own_training import train_with_own_labels
from moderation.models import SiteMember, User

HEADER = ["text", "toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat", "source"]
CIVIL = ["thanks for the thoughtful article", "the council meeting is on tuesday", "great reporting on the library",
         "the bus schedule changed last week", "i love pineapple on pizza", "what a lovely photo of the harbour"]
ABUSIVE = ["you are a worthless idiot", "shut up you stupid moron", "you pathetic stupid loser",
           "this author is a moron and an idiot", "stupid idiot, nobody cares", "what an idiot"]
OPENERS = ["", "honestly ", "well, ", "again ", "wow ", "so "]
CLOSERS = ["", " today", " for sure", " as usual", " again", " really", " lol", " imo"]
PROBE = "pineapple on pizza is the best"


def shared_folder(folder: Path) -> Path:
    """A stand-in for ../shared/data: one licence-cleared file, and one that must never be trained on."""
    folder.mkdir()
    rows = [(f"{o}{t}{c}", y) for (t, y), o, c in
            itertools.product([(t, 0) for t in CIVIL] + [(t, 1) for t in ABUSIVE], OPENERS, CLOSERS)]
    for name, source in (("convabuse_train.csv", "convabuse"), ("cad_reddit.csv", "cad_reddit")):
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            writer.writerows([text, y, "", "", "", "", "", source] for text, y in rows)
    return folder


def test_training_with_a_sites_decisions_shifts_its_prediction_toward_them(app, site, moderator, make_comment,
                                                                             services, tmp_path):
    data_dir = shared_folder(tmp_path / "shared")
    with app.app_context():
        db.session.merge(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
        user = db.session.get(User, moderator.id)
        # This site's moderators reject pineapple talk that the public data calls civil.
        for opener, closer in itertools.product(OPENERS, CLOSERS):
            comment_id = make_comment(site.id, f"{opener}pineapple on pizza{closer}")
            decide(db.session, comment_id, user=user, action="reject", reason="Personal attack or insult",
                   expected_version=1)
        heard: list[tuple[str, float]] = []
        path = train_with_own_labels(db.session, "daily-planet", data_dir=data_dir, out_dir=tmp_path / "out",
                                     weight=2.0, progress=False, on_progress=lambda s, f: heard.append((s, f)))
    model = load_model(path)
    public_only = load_model(train_model([data_dir / "convabuse_train.csv"], out_dir=tmp_path / "public",
                                         progress=False))
    assert public_only.score([PROBE])[0]["toxicity"] < 0.5 < model.score([PROBE])[0]["toxicity"]
    training = model.card["training_data"]
    assert training["own_labels"]["site:daily-planet"]["rows"] == len(OPENERS) * len(CLOSERS)
    # When the decisions were read, for the backtest's cut: before training ended.
    read_at = datetime.fromisoformat(training["own_labels"]["site:daily-planet"]["read_at"])
    assert read_at <= datetime.fromisoformat(model.card["trained_at"]) + timedelta(seconds=1)
    assert list(training["public_sources"]) == ["convabuse"], "cad_reddit is never trained on"
    # ... but measured on, as the shipped version was: Compare had no cad_reddit figures for a retrained one.
    assert set(model.card["validation_only"]) == {"cad_reddit"}
    assert path.parent == tmp_path / "out" and path.name == "civility-daily-planet.skops"
    assert heard[0] == ("export own labels", 0.0) and heard[-1] == ("done", 1.0)
    # Every decision a rejection: the log says so, as the card page does, rather than a bare count.
    rows = len(OPENERS) * len(CLOSERS)
    assert (f"exported {rows} labelled comments of daily-planet ({rows} toxic, 0 not: one-sided, few approved "
            "comments to learn from)") in [stage for stage, _ in heard]


def _rejected_by(moderator, site, make_comment, n: int) -> None:
    """n comments rejected by the moderator: labels for the site's own training."""
    db.session.merge(SiteMember(user_id=moderator.id, site_id=site.id))
    db.session.commit()
    user = db.session.get(User, moderator.id)
    for i in range(n):
        decide(db.session, make_comment(site.id, f"you worthless idiot number {i}"), user=user, action="reject",
               reason="Personal attack or insult", expected_version=1)


def test_the_runs_log_says_approvals_held_for_profanity_alone_are_not_what_retraining_changes(
        app, site, moderator, make_comment, tmp_path):
    """A data scientist's walk: a sports desk trained on 95 approved joy-swears, and its log said only
    "exported 160 labelled comments"; profanity went on holding them."""
    class Heard(Exception):
        pass

    heard: list[str] = []

    def listen(stage: str, _fraction: float) -> None:
        heard.append(stage)
        if stage.startswith("check before promoting:"):
            raise Heard  # said before training: nothing to train to hear it

    with app.app_context():
        db.session.merge(SiteMember(user_id=moderator.id, site_id=site.id))
        db.session.commit()
        user = db.session.get(User, moderator.id)
        for i in range(25):
            comment_id = make_comment(site.id, f"GET IN, what a bloody goal {i}", flagged=["profanity"])
            decide(db.session, comment_id, user=user, action="approve", reason=None, expected_version=1)
        with pytest.raises(Heard):
            train_with_own_labels(db.session, "daily-planet", data_dir=shared_folder(tmp_path / "shared"),
                                  out_dir=tmp_path / "out", weight=2.0, progress=False, on_progress=listen)
    assert heard[-1].startswith("check before promoting: 25 comments your moderators approved were held with "
                                "profanity among the reasons: retraining does not change profanity's holds")


def test_a_run_that_an_erasure_request_overtook_discards_its_candidate(app, site, moderator, make_comment, tmp_path):
    """A privacy walk saw a candidate trained on an erased reader's texts registered after the erasure."""
    from moderation.domain.erasure import erase_author
    from moderation.domain.errors import Conflict
    from moderation.models import Site

    data_dir = shared_folder(tmp_path / "shared")
    with app.app_context():
        _rejected_by(moderator, site, make_comment, 25)

        def erase_once_exported(stage: str, _fraction: float) -> None:
            if stage.startswith("exported "):  # the export is written; training has not begun
                # A reader who never posted takes no label away; reader-3's rejected comment was one.
                for author in ("reader-never-posted", "reader-3"):
                    erase_author(db.session, db.session.get(Site, site.id), author, actor="site:test")
                db.session.commit()

        with pytest.raises(Conflict, match="1 reader erasure request of daily-planet arrived while this run trained"):
            train_with_own_labels(db.session, "daily-planet", data_dir=data_dir, out_dir=tmp_path / "out",
                                  weight=2.0, progress=False, on_progress=erase_once_exported)
    assert list((tmp_path / "out").iterdir()) == []


def test_a_run_stops_soon_after_an_erasure_request_takes_some_of_its_labels(app, site, moderator, make_comment,
                                                                           tmp_path, monkeypatch):
    """An admin's walk: the erasure came at 10:03:45, and the run said so at 10:08:39, at its end."""
    from moderation.domain import own_training
    from moderation.domain.erasure import erase_author
    from moderation.domain.errors import Conflict
    from moderation.models import Site

    monkeypatch.setattr(own_training, "ERASURE_CHECK_SECONDS", 0.0)  # at every step: this run is short
    data_dir = shared_folder(tmp_path / "shared")
    heard: list[str] = []
    with app.app_context():
        _rejected_by(moderator, site, make_comment, 25)

        def erase_once_exported(stage: str, _fraction: float) -> None:
            heard.append(stage)
            if stage.startswith("exported "):
                erase_author(db.session, db.session.get(Site, site.id), "reader-3", actor="site:test")
                db.session.commit()

        with pytest.raises(Conflict, match="arrived while this run trained on its labels, which held their texts: "
                                           "the run stopped there"):
            train_with_own_labels(db.session, "daily-planet", data_dir=data_dir, out_dir=tmp_path / "out",
                                  weight=2.0, progress=False, on_progress=erase_once_exported)
    assert "fit heads" not in heard and "done" not in heard  # stopped before the longest step
    assert list((tmp_path / "out").iterdir()) == []


def test_train_site_refuses_an_unknown_site_clearly(services, tmp_path):
    result = CliRunner().invoke(main, ["train", "--site", "no-such-site", "--quiet"], env=services.env(
        TRAINING_DATA_DIR=str(shared_folder(tmp_path / "shared"))))
    assert result.exit_code != 0 and "no such site: no-such-site" in result.output


@pytest.mark.parametrize("option", [["--name", "walk-test"], ["--target-precision", "0.8"], ["--cross-source"]])
def test_train_site_refuses_an_option_it_would_not_use(services, tmp_path, site, option):
    # `--name walk-test` wrote civility-<site>.skops without a word.
    result = CliRunner().invoke(main, ["train", "--site", "daily-planet", "--quiet", *option], env=services.env(
        TRAINING_DATA_DIR=str(shared_folder(tmp_path / "shared"))))
    assert result.exit_code == 2 and f"{option[0]} cannot be used with --site" in result.output


def test_a_folder_of_only_what_is_measured_on_is_refused_as_no_training_data(app, site, tmp_path):
    """cad_reddit alone: a run would read it, it being measured on, and have nothing to train on."""
    from moderation.domain.errors import ValidationFailed

    folder = tmp_path / "shared"
    folder.mkdir()
    with (folder / "cad_reddit.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEADER, ["d", 1, "", "", "", "", "", "cad_reddit"]])
    with app.app_context(), pytest.raises(ValidationFailed, match="no licence-cleared training CSVs"):
        train_with_own_labels(db.session, site.name, data_dir=folder, out_dir=tmp_path / "out", weight=2.0,
                              progress=False)
