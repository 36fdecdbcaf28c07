"""What a finished run of held comments scored again offers, and its publishing on an admin's word.

The run (held_rescore.py) kept the version in force's scores apart from the comments. Here they are
read at the site's thresholds as they are when asked, each comment through the router as scoring
reads it (threshold_release.nothing_else_holds), and those still held by the model alone whose kept
scores the thresholds publish are published, locked and read again a page at a time.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from moderation.domain.dispatch import in_bulk_lane
from moderation.domain.errors import Conflict
from moderation.domain.held_rescore import (PAGE, held_by_model_alone, is_active, is_stale, latest_run,
                                            text_sha256)
from moderation.domain.lifecycle import (HELD, PUBLISHED, THRESHOLDS, audit, change_status, commit_and_send,
                                         refuse_if_deactivated)
from moderation.domain.policy import Policy, decide, site_policy
from moderation.domain.stories import story_policy, story_settings
from moderation.domain.threshold_release import AT_ONCE, flagged_by_model_alone, nothing_else_holds
from moderation.models import Comment, HeldRescoreResult, HeldRescoreRun, Site

EXAMPLES = 5


class RunOutOfDate(Conflict):
    code = "rescore_out_of_date"


class ThresholdsMoved(Conflict):
    code = "thresholds_moved"


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
        .where(*held_by_model_alone(session, site, attributes))).one()
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
