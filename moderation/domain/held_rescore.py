"""Held comments scored again by the version in force, kept apart, and published on an admin's word.

A comment is scored when it arrives: after a promotion the queue kept the old version's holds, and
nothing offered those the new version would publish. Two reverted attempts wrote the new scores onto
comments that stayed held (cards showed new scores beside old reasons; the version-effect page and
drift counted thousands of old comments as the new version's), carried results from one run into the
next (past 20,000, or after a failed run, comments were never offered or scored again), published
only a first page, and counted comments other holds keep. So here:

* a run scores the site's comments held by the model's flags alone, page by page by id, and keeps
  the scores in held_rescore_results; a new run deletes the last: one run's results or none;
* the comment changes only when it is published on those scores, and even then only its status: its
  scores, flags and version stay its arrival scoring's (the record of what each version decided),
  and the version in force's scores go in the history entry of the release;
* what "would publish" means is read when asked, at the thresholds as they are then, through the
  router itself (threshold_release.nothing_else_holds), so no second spelling of a hold can drift.
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, cast, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from moderation.domain.dispatch import in_bulk_lane
from moderation.domain.errors import Conflict
from moderation.domain.lifecycle import (HELD, PUBLISHED, THRESHOLDS, audit, change_status, commit_and_send, now,
                                         refuse_if_deactivated)
from moderation.domain.model_contract import Model
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.rules import HOLD as HOLD_ACTION
from moderation.domain.scoring import rounded_scores
from moderation.domain.stories import story_policy, story_settings
from moderation.domain.threshold_release import AT_ONCE, flagged_by_model_alone, nothing_else_holds
from moderation.models import Comment, HeldRescoreResult, HeldRescoreRun, Site

RESCORE_TASK = "workers.rescore_tasks.score_held_again"
PAGE = 300  # comments scored, read or locked at a time: a page's rows are locked only while it is published
EXAMPLES = 5
# A run neither finished nor failed that has not moved for this long lost its worker (killed,
# restarted): the page offers to start another rather than wait for it for ever. Measured from its
# last page (progressed_at), not from when it was asked for, which had called a big site's run stale
# while it still scored, and offered another beside it.
STALE_AFTER = timedelta(minutes=30)


class RunOutOfDate(Conflict):
    code = "rescore_out_of_date"


class ThresholdsMoved(Conflict):
    code = "thresholds_moved"


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
    return session.scalar(select(func.count()).select_from(Comment).where(*_to_read(site, version, attributes))) or 0


def _to_read(site: Site, version: str | None, attributes: Iterable[str]) -> tuple:
    # Those the version scored already are the thresholds page's release's to offer.
    return *_held_by_model(site, attributes), Comment.model_version.is_distinct_from(version)


def _held_by_model(site: Site, attributes: Iterable[str]) -> tuple:
    return (Comment.site_id == site.id, Comment.status == HELD, Comment.text_erased_at.is_(None),
            _model_alone(attributes), _no_rule_holds())


def _no_rule_holds() -> ColumnElement[bool]:
    # A rule's hold when it was scored (a rule, the story's or site's hold for a person) is in
    # rule_hits, never in `flagged`: counted as "the model alone holds", the page offered a run that
    # could publish none of them, and never said there was nothing to score (a re-check). A rule saved
    # since is read only when publishing: reading the rules over every held comment on every render
    # would cost the page seconds on a big site.
    holds = cast(literal(json.dumps([{"action": HOLD_ACTION}])), JSONB)
    return ~func.coalesce(Comment.rule_hits, cast(literal("[]"), JSONB), type_=JSONB).contains(holds)


def _model_alone(attributes: Iterable[str]) -> ColumnElement[bool]:
    """threshold_release.flagged_by_model_alone in SQL: a non-empty list of flags, each an attribute."""
    return and_(func.jsonb_typeof(Comment.flagged) == "array", Comment.flagged != cast(literal("[]"), JSONB),
                Comment.flagged.contained_by(cast(literal(json.dumps(sorted(set(attributes)))), JSONB)))


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
        after = 0
        while True:
            rows = session.execute(
                select(Comment.id, Comment.text, Comment.flagged)
                .where(*_to_read(site, model.version, attributes), Comment.id > after)
                .order_by(Comment.id).limit(page)).all()
            if not rows:
                break
            after = rows[-1].id
            mine = [row for row in rows if flagged_by_model_alone(row.flagged, attributes)]
            if mine:
                _keep(session, run_id, mine, rounded_scores(model, [row.text for row in mine]), attributes)
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


def _results(session: Session, run_id: int, page: int) -> Iterable[list[tuple[int, str, dict[str, float]]]]:
    """The run's results a page at a time, by comment id (keyset: each page a fresh read)."""
    after = 0
    while True:
        rows = session.execute(select(HeldRescoreResult.comment_id, HeldRescoreResult.text_sha256,
                                      HeldRescoreResult.scores)
                               .where(HeldRescoreResult.run_id == run_id, HeldRescoreResult.comment_id > after)
                               .order_by(HeldRescoreResult.comment_id).limit(page)).all()
        if not rows:
            return
        after = rows[-1].comment_id
        yield [(row.comment_id, row.text_sha256, dict(row.scores)) for row in rows]


@dataclass
class Sorted:
    """One page's comments as publishing them now reads them."""
    publish: list[tuple[Comment, dict[str, float]]] = field(default_factory=list)
    changed: int = 0  # edited since the run scored it
    decided: int = 0  # no longer held
    other_hold: int = 0  # held by something besides the model's scores now
    held_at_thresholds: int = 0  # the run's scores are held at the thresholds in force now


def _sort(session: Session, site: Site, policy: Policy, attributes: set[str], comments: list[Comment],
          results: Mapping[int, tuple[str, dict[str, float]]]) -> Sorted:
    found = Sorted()
    candidates = []
    # A strict story's thresholds are the model's too: held there, it was counted "held by something
    # besides the model (a rule, report, ...)" (a re-check).
    stories = story_settings(session, site.id, (c.story_id for c in comments))
    for comment in comments:
        sha, scores = results[comment.id]
        if comment.status != HELD:
            found.decided += 1
        elif comment.text_erased_at is not None or text_sha256(comment.text or "") != sha:
            found.changed += 1
        elif not flagged_by_model_alone(comment.flagged, attributes):
            found.other_hold += 1
        elif decide(story_policy(policy, stories.get(comment.story_id)), scores).status != PUBLISHED:
            found.held_at_thresholds += 1
        else:
            candidates.append(comment)
    routed = {c.id for c in nothing_else_holds(session, site, policy, candidates,
                                               scores={c.id: results[c.id][1] for c in candidates})}
    found.other_hold += len(candidates) - len(routed)
    found.publish = [(c, results[c.id][1]) for c in candidates if c.id in routed]
    return found


@dataclass
class Offer:
    """What the thresholds page says of the site's run."""
    run: HeldRescoreRun | None
    in_force: str | None
    count: int = 0
    examples: list[tuple[Comment, dict[str, float]]] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    read: int = 0  # those its scores publish that were read as the router reads them (at most AT_ONCE)
    unread: int = 0  # those its scores publish past AT_ONCE: not read here, each read when published
    held_by_model: int = 0  # held comments the model alone holds, whichever version scored them
    to_score: int = 0  # of them, those another version scored: what a new run would score

    @property
    def out_of_date(self) -> bool:
        return self.run is not None and self.run.version is not None and self.run.version != self.in_force

    @property
    def finished(self) -> bool:
        return self.run is not None and self.run.finished_at is not None

    @property
    def stale(self) -> bool:
        return self.run is not None and is_stale(self.run)

    @property
    def active(self) -> bool:
        return is_active(self.run)

    @property
    def usable(self) -> bool:
        return self.finished and not self.out_of_date


def offer(session: Session, site: Site, version: str | None, attributes: Iterable[str],
          model_thresholds: Mapping[str, float], *, page: int = 500, at_most: int = AT_ONCE) -> Offer:
    """How many of the last run's comments the version in force would publish at the site's
    thresholds now (read now: a threshold moved since changes it), with a few examples. Only a
    finished run of the version still in force is counted. Of those its scores publish, the first
    `at_most` are read as the router reads them (rules, stories, sanctions...); the rest are only
    counted (`unread`), each read when published: the page ran the rules over every result on every
    render, ~10 s at 5,000 and ~60 s at 20,000 (a re-check). Reads; changes nothing."""
    attributes = set(attributes)
    found = Offer(run=latest_run(session, site), in_force=version)
    # A run with nothing to score was offered all the same, and read the site's held comments for none.
    found.held_by_model, found.to_score = session.execute(
        select(func.count(), func.count().filter(Comment.model_version.is_distinct_from(version)))
        .where(*_held_by_model(site, attributes))).one()
    if not found.usable:
        return found
    policy = site_policy(site, attributes, model_thresholds)
    found.thresholds = dict(policy.thresholds)
    for results in _results(session, found.run.id, page):
        wanted = {comment_id: (sha, scores) for comment_id, sha, scores in results
                  if decide(policy, scores).status == PUBLISHED}  # the rest need not be loaded
        room = max(at_most - found.read, 0)
        if len(wanted) > room:
            found.unread += len(wanted) - room
            wanted = dict(list(wanted.items())[:room])
        if not wanted:
            continue
        found.read += len(wanted)
        comments = list(session.scalars(select(Comment).where(Comment.id.in_(list(wanted))).order_by(Comment.id)))
        sorted_ = _sort(session, site, policy, attributes, comments, wanted)
        found.count += len(sorted_.publish)
        found.examples.extend(sorted_.publish[:EXAMPLES - len(found.examples)])
    return found


@dataclass
class Released:
    published: int = 0
    changed: int = 0
    decided: int = 0
    other_hold: int = 0
    held_at_thresholds: int = 0
    stopped: str | None = None  # why it stopped before the end of the run (None: it read the whole run)

    def as_dict(self) -> dict[str, int | str | None]:
        return dict(self.__dict__)


def publish_run(session: Session, site: Site, version: str | None, attributes: Iterable[str],
                model_thresholds: Mapping[str, float], *, actor: str, page: int = PAGE,
                shown_thresholds: Mapping[str, float] | None = None, shown_run: int | None = None,
                in_force: Callable[[], str | None] | None = None,
                progress: Callable[[int], object] | None = None) -> Released:
    """Publish every comment of the site's run that, locked and read again, is still held by the
    model alone, has the text the run scored, and whose run scores the thresholds now publish: each
    through the lifecycle, the run's scores in its history entry (not on the comment). Commits
    and sends page by page; returns the counts, also in an audit entry."""
    refuse_if_deactivated(site, "publish its held comments")
    run = latest_run(session, site)
    if run is None or run.finished_at is None:
        raise RunOutOfDate("no finished run of the held comments to publish from: score them again first")
    if run.version != version:
        raise RunOutOfDate(f"the run was scored by {run.version}, and {version} is in force now: score them again")
    # The run the page counted: another admin's newer run (same version, same thresholds) had
    # "Publish these 1" publish 41 (a re-check).
    if shown_run is not None and run.id != shown_run:
        raise RunOutOfDate("the held comments were scored again since the page counted these: look at the count again")
    run_id, attributes = run.id, set(attributes)
    # The page's count was read at the thresholds it showed: raised since, "Publish these 3" would
    # publish more than the admin was shown (the release page's re-check found 5).
    if shown_thresholds is not None and dict(shown_thresholds) != site_policy(site, attributes, model_thresholds).thresholds:
        raise ThresholdsMoved("the site's thresholds changed since the page counted these: look at the count again")
    released = Released()
    for results in _results(session, run_id, page):
        # Read again at each page: a rollback while it publishes (the usual answer to a bad promotion),
        # or another admin's new run (its start deletes this run's results), stops it, and it says so;
        # both had it carry on, or end part way looking complete (a re-check).
        if in_force is not None and (now_in_force := in_force()) != version:
            released.stopped = f"the version in force is now {now_in_force or 'none'}, not {version}"
            break
        if session.scalar(select(HeldRescoreRun.id).where(HeldRescoreRun.id == run_id)) is None:
            released.stopped = "the held comments were scored again meanwhile (a new run replaced this one)"
            break
        wanted = {comment_id: (sha, scores) for comment_id, sha, scores in results}
        # Locked, then read again: a decision, an edit, a report or a ban meanwhile waits for this
        # page, or this page for it, and what it left is what is read.
        locked = list(session.scalars(select(Comment).where(Comment.id.in_(list(wanted))).order_by(Comment.id)
                                      .with_for_update(of=Comment).execution_options(populate_existing=True)))
        session.refresh(site)  # the thresholds as they are now, not as this session first read them
        policy = site_policy(site, attributes, model_thresholds)
        sorted_ = _sort(session, site, policy, attributes, locked, wanted)
        for name in ("changed", "decided", "other_hold", "held_at_thresholds"):
            setattr(released, name, getattr(released, name) + getattr(sorted_, name))
        released.decided += len(wanted) - len(locked)  # gone altogether
        stories = story_settings(session, site.id, (c.story_id for c, _ in sorted_.publish))
        deliveries = []
        for comment, scores in sorted_.publish:
            applied = story_policy(policy, stories.get(comment.story_id)).thresholds
            # The comment keeps its arrival scoring (scores, flags, version, time): that is the record of
            # what each version decided. Writing the new version's scores here sent the site the old ones
            # with "published" while the API then said the new version, and moved the comment on the
            # version-effect page and into drift's window as the new version's traffic (a re-check).
            # The version in force's scores, the reason it is published, go in the history entry.
            said = ", ".join(f"{name} {value:.2f}" for name, value in sorted(scores.items()))
            deliveries.append(change_status(
                session, comment, PUBLISHED, actor=actor, by=THRESHOLDS,
                reason=f"released after {version}, the version in force, scored it again ({said})",
                thresholds=dict(applied), model_version=version, scores=dict(scores),
                scored_again_from=comment.model_version, rescore_run=run_id))
            released.published += 1
        commit_and_send(session, in_bulk_lane(deliveries))
        if progress is not None:
            progress(len(results))
    else:
        if session.scalar(select(HeldRescoreRun.id).where(HeldRescoreRun.id == run_id)) is None:
            released.stopped = "the held comments were scored again meanwhile (a new run replaced this one)"
    audit(session, actor, "model:held_rescore_published", site_id=site.id, site=site.name, version=version, run=run_id,
          **released.as_dict())
    session.commit()
    return released
