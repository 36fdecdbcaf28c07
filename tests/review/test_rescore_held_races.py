"""A run of held comments scored again against its own copies and rivals: the task delivered twice,
two presses at once, and a command stopped with Ctrl-C."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_rescore_held import ATTRIBUTES, NEW, Promoted, _held, _section, promoted  # noqa: F401

from moderation import db
from moderation.domain.held_rescore import RunInProgress, score_held_again, start_run
from moderation.models import HeldRescoreResult, HeldRescoreRun, Site


def test_a_second_delivery_of_a_moving_run_leaves_it_alone(app, sign_in, admin, promoted, make_comment):  # noqa: F811
    """The broker hands a task unacked past its visibility timeout to another worker while the first
    still scores it: that copy had reset the count and marked the moving run failed."""
    from workers.rescore_tasks import score_held_again as task

    assert task.acks_late is False  # acknowledged on receipt: not handed out again after 600 s
    site = promoted
    for n in range(6):
        _held(make_comment, site, 20, words=f"A silly take number {n}")
    with app.app_context():
        run_id = start_run(db.session, db.session.get(Site, site.id), by="user:ada").id
        db.session.commit()
    client = sign_in(admin)
    status_url = f"/admin/sites/{site.id}/thresholds/rescore-held/status"
    copy: list[str] = []
    seen = []

    def second_delivery() -> None:
        with app.app_context():
            try:
                score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), run_id=run_id, page=1)
                copy.append("ran")
            except Exception as error:  # noqa: BLE001 - what the task would return or raise
                copy.append(f"{type(error).__name__}: {error}")

    def look(_read: int) -> None:
        if len(seen) == 2:  # part way through, the copy arrives
            worker = threading.Thread(target=second_delivery)
            worker.start()
            worker.join(30)
        seen.append(client.get(status_url).get_json()["run"])

    with app.app_context():
        run = score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), run_id=run_id,
                               page=1, progress=look)
        assert (run.scored, run.failed, run.finished_at is not None) == (6, None, True)
        assert db.session.scalar(select(func.count()).select_from(HeldRescoreResult)) == 6
    assert copy == ["NotYours: the run was begun already (its task delivered twice): this copy leaves it alone"]
    assert [s["scored"] for s in seen] == [1, 2, 3, 4, 5, 6]  # never reset to 0 by the copy
    assert all(s["state"] == "scoring" and s["active"] for s in seen)
    said = _section(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True))
    assert "scored 6 held comments again" in said and "did not finish" not in said


def test_two_presses_at_once_the_second_is_refused(app, promoted, make_comment):  # noqa: F811
    """A double click, with a finished run on the page: the second press had deleted the first's new run."""
    site = promoted
    for n in range(3):
        _held(make_comment, site, 20, words=f"A silly take number {n}")
    with app.app_context():
        score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), by="user:old")
        engine = db.session.get_bind()
    first, second = Session(engine), Session(engine)
    try:
        run = start_run(first, first.get(Site, site.id), by="user:first", version=NEW, attributes=ATTRIBUTES)
        out: dict[str, str] = {}

        def press() -> None:
            try:
                out["started"] = str(start_run(second, second.get(Site, site.id), by="user:second", version=NEW,
                                               attributes=ATTRIBUTES).id)
                second.commit()
            except RunInProgress as error:
                out["refused"] = str(error)
                second.rollback()

        pressing = threading.Thread(target=press)
        pressing.start()
        time.sleep(1.0)  # the second press waits on the first's lock
        first_id = run.id
        first.commit()
        pressing.join(10)
        assert out == {"refused": "a run asked by user:first is still scoring them (0 so far); wait for it to finish"}
        with app.app_context():
            assert [(r.id, r.requested_by) for r in db.session.scalars(select(HeldRescoreRun))] == [
                (first_id, "user:first")]
    finally:
        first.close()
        second.close()


def test_a_command_stopped_with_ctrl_c_does_not_block_the_next_run(app, sign_in, admin, promoted,  # noqa: F811
                                                                   make_comment):
    site = promoted
    for n in range(3):
        _held(make_comment, site, 20, words=f"A silly take number {n}")

    def ctrl_c(_read: int) -> None:
        raise KeyboardInterrupt

    with app.app_context():
        with pytest.raises(KeyboardInterrupt):
            score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), by="cli:ops", page=1,
                             progress=ctrl_c)
        run = db.session.scalar(select(HeldRescoreRun))
        assert (run.failed, run.finished_at) == ("stopped (KeyboardInterrupt)", None)
    said = _section(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True))
    assert "The last run, asked by cli:ops, did not finish: stopped (KeyboardInterrupt)" in said
    assert "Score held comments again with test-model-2" in said
    with app.app_context():  # run again at once, not refused for 30 minutes
        again = score_held_again(db.session, db.session.get(Site, site.id), lambda _: Promoted(), by="cli:ops")
        assert (again.scored, again.failed, again.finished_at is not None) == (3, None, True)
