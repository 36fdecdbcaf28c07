"""Held comments scored again by the version in force, kept apart, and published on an admin's word.

A comment is scored when it arrives: after a promotion the queue kept the old version's holds, and
nothing offered those the new version would publish. Two reverted attempts wrote the new scores onto
comments that stayed held (cards showed new scores beside old reasons; the version-effect page and
drift counted thousands of old comments as the new version's), carried results from one run into the
next (past 20,000, or after a failed run, comments were never offered or scored again), published
only a first page, and counted comments other holds keep. So here:

* a run scores the site's comments held by the model's flags alone, page by page by id, and keeps
  the scores in held_rescore_results; a new run deletes the last: one run's results or none;
* the comment changes only when it is published on those scores (held_rescore_publish.py), and even
  then only its status: its scores, flags and version stay its arrival scoring's (the record of what
  each version decided), and the version in force's scores go in the history entry of the release;
* "held by the model alone" is model_alone.py's one definition: what the thresholds page's release
  would publish if the model's flags went away;
* what "would publish" means is read when asked, at the thresholds as they are then, through the
  router itself (threshold_release.nothing_else_holds), so no second spelling of a hold can drift.

This module is a run's life (started, scored page by page, finished or failed); what a finished run
offers and how it is published is held_rescore_publish.py's.
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from moderation.domain.errors import Conflict
from moderation.domain.lifecycle import audit, now, refuse_if_deactivated
from moderation.domain.model_contract import Model
from moderation.domain.model_alone import held_by_model_alone
from moderation.domain.scoring import rounded_scores
from moderation.models import Comment, HeldRescoreResult, HeldRescoreRun, Site

RESCORE_TASK = "workers.rescore_tasks.score_held_again"
PAGE = 300  # comments scored, read or locked at a time: a page's rows are locked only while it is published
# A run neither finished nor failed that has not moved for this long lost its worker (killed,
# restarted): the page offers to start another rather than wait for it for ever. Measured from its
# last page (progressed_at), not from when it was asked for, which had called a big site's run stale
# while it still scored, and offered another beside it.
STALE_AFTER = timedelta(minutes=30)


class RunInProgress(Conflict):
    code = "rescore_in_progress"


class NothingToScore(Conflict):
    code = "nothing_to_rescore"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def held_count(session: Session, site: Site, version: str | None, attributes: Iterable[str]) -> int:
    """The site's held comments a run by `version` scores, as score_held_again's query reads them (for
    a progress bar, and to say when there is nothing to score): counting every held comment, the bar
    stopped short of its end (a re-check)."""
    return session.scalar(select(func.count()).select_from(Comment)
                          .where(*_to_read(session, site, version, attributes))) or 0


def _to_read(session: Session, site: Site, version: str | None, attributes: Iterable[str]) -> tuple:
    # Those the version scored already are the thresholds page's release's to offer.
    return *held_by_model_alone(session, site, attributes), Comment.model_version.is_distinct_from(version)


def latest_run(session: Session, site: Site) -> HeldRescoreRun | None:
    return session.scalar(select(HeldRescoreRun).where(HeldRescoreRun.site_id == site.id))


def is_stale(run: HeldRescoreRun, at: datetime | None = None) -> bool:
    """Neither finished nor failed, and not moved for STALE_AFTER: its worker died, and another may start."""
    return (run.finished_at is None and run.failed is None
            and (run.progressed_at or run.requested_at) < (at or now()) - STALE_AFTER)


def is_active(run: HeldRescoreRun | None, at: datetime | None = None) -> bool:
    """Waiting for a worker or scoring, and not stale: what the page follows as it goes."""
    return run is not None and run.finished_at is None and run.failed is None and not is_stale(run, at)


def start_run(session: Session, site: Site, *, by: str, version: str | None = None,
              attributes: Iterable[str] | None = None) -> HeldRescoreRun:
    """A new run for the site, replacing its last (its results go with it), unless the last is still
    moving; when `version` and `attributes` are given, only if there is something for it to score.
    The caller commits."""
    refuse_if_deactivated(site, "score its held comments again")
    # The site's row locked, not the last run's: a second press waiting on the run's row found it
    # deleted by the first, saw no run, and deleted the first's new one (a double click did it). On
    # the site, it waits for the first to commit and then sees its run moving. NO KEY UPDATE: new
    # comments (a key share on the site) are not held up meanwhile.
    session.execute(select(Site.id).where(Site.id == site.id).with_for_update(key_share=True))
    last = session.scalar(select(HeldRescoreRun).where(HeldRescoreRun.site_id == site.id))
    if is_active(last):
        raise RunInProgress(f"a run asked by {last.requested_by} is still scoring them ({last.scored:,} so far); "
                            "wait for it to finish")
    if version is not None and attributes is not None and not held_count(session, site, version, attributes):
        raise NothingToScore(f"no held comment the model alone holds was scored by a version other than {version}")
    session.execute(delete(HeldRescoreRun).where(HeldRescoreRun.site_id == site.id))
    run = HeldRescoreRun(site_id=site.id, requested_by=by)
    session.add(run)
    session.flush()
    return run


def score_held_again(session: Session, site: Site, get_model: Callable[[int], Model], *,
                     run_id: int | None = None, by: str = "system", page: int = PAGE,
                     progress: Callable[[int], object] | None = None) -> HeldRescoreRun:
    """Score the site's comments held by the model alone, another version's scores, with the version in force for it
    (`get_model(site id)`), as run `run_id` (a new run when None), and keep the scores in the run.
    Nothing on a comment changes. Commits page by page; a failed run says so and keeps nothing offered."""
    if run_id is None:
        run_id = start_run(session, site, by=by).id
        session.commit()
    try:
        model = get_model(site.id)
        attributes = set(model.attributes)
        _begin(session, run_id, model.version)
        to_read = _to_read(session, site, model.version, attributes)
        after = 0
        while True:
            rows = session.execute(select(Comment.id, Comment.text).where(*to_read, Comment.id > after)
                                   .order_by(Comment.id).limit(page)).all()
            if not rows:
                break
            after = rows[-1].id
            _keep(session, run_id, rows, rounded_scores(model, [row.text for row in rows]), attributes)
            # Every page, scored or not, is progress: the run is stale only this long after its last.
            session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id).values(progressed_at=now()))
            session.commit()
            if progress is not None:
                progress(len(rows))
        finished = session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id).values(finished_at=now())
                                   .returning(HeldRescoreRun.scored, HeldRescoreRun.requested_by)).one()
        audit(session, finished.requested_by, "model:held_rescored", site_id=site.id, site=site.name,
              version=model.version, run=run_id, scored=finished.scored)
        session.commit()
    except NotYours:
        session.rollback()
        raise
    except BaseException as error:
        # Ctrl-C on the command (KeyboardInterrupt, not an Exception) left the run "scoring", and
        # every new run, page and command, was refused for STALE_AFTER.
        why = (f"{type(error).__name__}: {error}" if isinstance(error, Exception)
               else f"stopped ({type(error).__name__})")
        session.rollback()
        session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id, HeldRescoreRun.finished_at.is_(None))
                        .values(failed=why[:2000]))
        session.commit()
        raise
    return session.get(HeldRescoreRun, run_id, populate_existing=True)


class NotYours(Conflict):
    """The run is another's to score or gone: this one leaves it as it is."""
    code = "rescore_not_yours"


def _begin(session: Session, run_id: int, version: str) -> None:
    # Only a run no one began: a second delivery of the task (the broker hands a task unacked for its
    # visibility timeout to another worker, or again after a worker is lost) reset the moving run's
    # count, failed on the results its first copy kept, and marked the run failed while it scored.
    if session.execute(update(HeldRescoreRun).where(
            HeldRescoreRun.id == run_id, HeldRescoreRun.started_at.is_(None), HeldRescoreRun.finished_at.is_(None),
            HeldRescoreRun.failed.is_(None))
            .values(version=version, started_at=now(), progressed_at=now(), scored=0)).rowcount:
        session.commit()
        return
    session.rollback()
    if session.scalar(select(HeldRescoreRun.id).where(HeldRescoreRun.id == run_id)) is None:
        raise NotYours("the run was replaced by another before it began")
    raise NotYours("the run was begun already (its task delivered twice): this copy leaves it alone")


def _keep(session: Session, run_id: int, rows: list, scored: list[dict[str, float]], attributes: set[str]) -> None:
    # The run's row locked while its page is written: a new run deleting it waits, and this one then
    # stops here rather than write into a run no page will read.
    if session.scalar(select(HeldRescoreRun.id).where(HeldRescoreRun.id == run_id).with_for_update()) is None:
        raise Conflict("the run was replaced by another while it scored")
    values = []
    for row, scores in zip(rows, scored, strict=True):
        kept = {k: v for k, v in scores.items() if k in attributes}
        if not all(map(math.isfinite, kept.values())):
            raise ValueError(f"the model gave {kept} for comment {row.id}")
        values.append({"run_id": run_id, "comment_id": row.id, "text_sha256": text_sha256(row.text), "scores": kept})
    session.execute(HeldRescoreResult.__table__.insert(), values)
    session.execute(update(HeldRescoreRun).where(HeldRescoreRun.id == run_id)
                    .values(scored=HeldRescoreRun.scored + len(values)))
