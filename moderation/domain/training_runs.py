"""Training a candidate model as a tracked run: queued, running (with progress and a log), then
succeeded, failed or cancelled. The admin page and `moderation training` start and watch runs;
the worker on the "training" queue executes them (workers/training.py).

Progress, log lines and the cancel check go through the engine in short transactions of their own,
not through the caller's session: the trainer may be streaming a site's labels through that
session, and the page must see progress while the run is still going. At most one run is queued or
running at a time (uq_training_runs_one_active): training takes both cores for minutes.
"""
from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from classifiers.cancellation import TrainingCancelled
from moderation.domain.errors import Conflict, DomainError, NotFound, ValidationFailed
from moderation.domain.lifecycle import audit, now
from moderation.domain.own_training import check_enough_own_labels, own_examples
from moderation.models import Site, TrainingRun, User

log = logging.getLogger(__name__)

QUEUED = "queued"
RUNNING = "running"
SUCCEEDED = "succeeded"
FAILED = "failed"
CANCELLED = "cancelled"
STATES = (QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED)
ACTIVE = (QUEUED, RUNNING)
FINISHED = (SUCCEEDED, FAILED, CANCELLED)

# How often the worker writes progress and asks whether it was cancelled: often enough for a page
# polling every 2 s, rare enough that featurising in 2,048-row chunks does not hammer the database.
WRITE_EVERY = 0.5
# Where runs write their artifact before the registry copies it under VAR_DIR/models.
WORK_DIR = "training"
LOG_LIMIT = 100_000  # characters of log kept: a runaway trainer must not grow a row without bound
# pg_advisory_lock(RUN_LOCK, run id), held by the process training the run on a connection of its own
# for as long as it trains. PostgreSQL lets go of it when that process dies however it dies, so a
# run that is `running` with its lock free has lost its process: a foreground `training run` killed
# with -9 had blocked every next run, and a trainer worker starting had failed a live foreground run.
RUN_LOCK = 0x7472  # "tr"

ProgressCallback = Callable[[str, float], None]


class Trainer(Protocol):
    def __call__(self, session: Session, site: Site | None, *, data_dir: Path, out_dir: Path,
                 on_progress: ProgressCallback, should_stop: Callable[[], bool]) -> Path: ...


class RunActive(Conflict):
    code = "training_active"


class NotCancellable(Conflict):
    code = "training_finished"


@dataclass(frozen=True)
class TrainingSettings:
    """What the default trainer reads from the app's config (see moderation/config.py)."""

    min_positives: int = 200
    own_label_weight: float = 2.0


def _actor(by: User | str) -> tuple[str, int | None]:
    if isinstance(by, User):
        return f"user:{by.username}", by.id
    return str(by), None


def _engine(session: Session) -> Engine:
    bind = session.get_bind()
    return bind.engine if hasattr(bind, "engine") else bind


def active_run(session: Session) -> TrainingRun | None:
    return session.scalar(select(TrainingRun).where(TrainingRun.state.in_(ACTIVE)))


def latest_run(session: Session) -> TrainingRun | None:
    """The run the page shows on top: the active one, else the most recent."""
    return active_run(session) or session.scalar(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(1))


def list_runs(session: Session, *, limit: int = 50) -> list[TrainingRun]:
    return list(session.scalars(select(TrainingRun).order_by(TrainingRun.id.desc()).limit(limit)))


def get_run(session: Session, run_id: int) -> TrainingRun:
    run = session.get(TrainingRun, run_id)
    if run is None:
        raise NotFound(f"no training run #{run_id}")
    return run


def start_run(session: Session, *, by: User | str, site_id: int | None = None) -> TrainingRun:
    """A queued run (the caller commits, then sends the task). Refuses while another is active."""
    actor, user_id = _actor(by)
    if site_id is not None:
        site = session.get(Site, site_id)
        if site is None:
            raise ValidationFailed(f"no site with id {site_id}", field="site_id")
        check_enough_own_labels(own_examples(session, site), site)  # before minutes of CPU, not after
    lost = fail_interrupted_runs(session)
    if lost:
        log.warning("training runs %s had lost their process; marked failed", lost)
    current = active_run(session)
    if current is not None:
        raise RunActive(f"{_described(current)} is still {current.state}; wait for it or cancel it first")
    run = TrainingRun(site_id=site_id, requested_by=actor, requested_by_id=user_id, state=QUEUED, progress=0.0,
                      log="")
    session.add(run)
    try:
        with session.begin_nested():  # two admins at once: the unique index lets one win
            session.flush()
    except IntegrityError:
        session.expunge(run)
        # The winner has committed (the index waited for it): say whose it is and what it trains, as
        # above. "Another training run" named none, and an admin took a colleague's run for her own.
        winner = active_run(session)
        raise RunActive(f"{_described(winner) if winner else 'another training run'} was started a moment "
                        "ago; wait for it or cancel it first") from None
    audit(session, actor, "training:started", run_id=run.id, **_site_of(session, site_id))
    return run


def _site_of(session: Session, site_id: int | None) -> dict[str, Any]:
    """A run's audit details naming its site, by id (the audit log's site filter) and by name: a
    site's run filed its start under the site, its outcome under none (an admin's walk)."""
    if site_id is None:
        return {}
    site = session.get(Site, site_id)
    return {"site_id": site_id, "site": site.name if site is not None else None}


def _described(run: TrainingRun) -> str:
    """"training run #7 (user:ben, on gazette's own labels)"."""
    data = f"on {run.site.name}'s own labels" if run.site is not None else "on the shared data only"
    return f"training run #{run.id} ({run.requested_by}, {data})"


def cancel_run(session: Session, run_id: int, *, by: User | str) -> TrainingRun:
    """A queued run is cancelled at once; a running one stops at its trainer's next step."""
    actor, _ = _actor(by)
    run = session.scalar(select(TrainingRun).where(TrainingRun.id == run_id).with_for_update())
    if run is None:
        raise NotFound(f"no training run #{run_id}")
    if run.state not in ACTIVE:
        raise NotCancellable(f"training run #{run_id} already {run.state}")
    if run.cancel_requested and not _process_gone(session, run.id):
        # A second admin's stale Cancel: accepted and audited again, it left who cancelled in doubt (an admin's walk).
        raise NotCancellable(f"training run #{run_id} is being cancelled already; it stops at its next step")
    if run.state == QUEUED:
        run.state, run.finished_at = CANCELLED, now()
        run.log = (run.log or "") + _line("cancelled before it started")
    elif _process_gone(session, run.id):  # nothing is left to stop at a next step
        run.state, run.finished_at = CANCELLED, now()
        run.log = (run.log or "") + _line("cancelled; the process training it had stopped")
    else:
        run.cancel_requested = True
        run.log = (run.log or "") + _line("cancel requested; stopping at the next step")
    audit(session, actor, "training:cancelled", run_id=run.id, **_site_of(session, run.site_id))
    return run


def fail_unsent(session: Session, run_id: int) -> None:
    """The task could not be sent (the broker is down): end the run rather than leave it queued
    forever, blocking the next one. The caller commits."""
    session.execute(update(TrainingRun).where(TrainingRun.id == run_id, TrainingRun.state == QUEUED)
                    .values(state=FAILED, finished_at=now(), error="could not reach the task queue (Redis)",
                            log=TrainingRun.log + _line("failed: could not reach the task queue (Redis)")))


def end_abandoned_run(session: Session, run_id: int, why: str, *, by: str) -> None:
    """A foreground run (`moderation training run`) interrupted by its user. The caller commits."""
    session.execute(update(TrainingRun).where(TrainingRun.id == run_id, TrainingRun.state.in_(ACTIVE))
                    .values(state=CANCELLED, finished_at=now(), log=TrainingRun.log + _line(why)))
    audit(session, by, "training:cancelled", run_id=run_id, why=why)


def fail_interrupted_runs(session: Session) -> list[int]:
    """Runs left `running` by a process that died (a worker, or a foreground `training run`), found
    by their free lock; a run whose process lives is left alone. The caller commits."""
    running = session.scalars(select(TrainingRun.id).where(TrainingRun.state == RUNNING)).all()
    lost = [run_id for run_id in running if _process_gone(session, run_id)]
    if not lost:
        return []
    return _fail_running(session, TrainingRun.id.in_(lost) & (TrainingRun.state == RUNNING),
                         "the process training it stopped during the run")


def remove_dead_trainers_exports(var_dir: Path) -> int:
    """The label exports left by training processes that died (own_training.sweep_dead_exports)."""
    from moderation.domain.own_training import sweep_dead_exports

    return sweep_dead_exports(Path(var_dir) / WORK_DIR)


def _process_gone(session: Session, run_id: int) -> bool:
    """Whether no process holds the run's lock (RUN_LOCK): taken and let go at once if free."""
    free = bool(session.scalar(select(func.pg_try_advisory_lock(RUN_LOCK, run_id))))
    if free:
        session.scalar(select(func.pg_advisory_unlock(RUN_LOCK, run_id)))
    return free


class _RunLock:
    """RUN_LOCK on a connection of its own, held while the run trains (see RUN_LOCK)."""

    def __init__(self, engine: Engine, run_id: int) -> None:
        self.run_id = run_id
        self.conn = engine.connect()
        self.held = bool(self.conn.scalar(select(func.pg_try_advisory_lock(RUN_LOCK, run_id))))
        self.conn.commit()  # not idle in a transaction for the minutes the run takes

    def release(self) -> None:
        try:
            if self.held:
                self.conn.scalar(select(func.pg_advisory_unlock(RUN_LOCK, self.run_id)))
                self.conn.commit()
        except Exception:  # the server went away, and the lock with it: this connection must not be pooled
            self.conn.invalidate()
        finally:
            self.conn.close()


def fail_lost_run(session: Session, run_id: int, why: str) -> bool:
    """The run's process died under it (killed, out of memory) while the worker that started it
    lives on: the run ends now, not at the worker's next start, which may never come, and until
    then no run could start (an operator's walk). Whether it was still active. The caller commits."""
    return bool(_fail_running(session, (TrainingRun.id == run_id) & TrainingRun.state.in_(ACTIVE), why))


def _fail_running(session: Session, which: Any, why: str) -> list[int]:
    rows = session.execute(
        update(TrainingRun).where(which)
        .values(state=FAILED, finished_at=now(), error=f"interrupted: {why}", log=TrainingRun.log + _line(f"failed: {why}"))
        .returning(TrainingRun.id)
    ).scalars().all()
    for run_id in rows:
        audit(session, "system:trainer", "training:interrupted", run_id=run_id, why=why,
              **_site_of(session, session.get(TrainingRun, run_id).site_id))
    return list(rows)


def _line(text: str) -> str:
    return f"{now():%H:%M:%S} {text}\n"


class _RunReporter:
    """on_progress and should_stop for one run, writing through the engine, throttled."""

    def __init__(self, engine: Engine, run_id: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.engine, self.run_id, self.clock = engine, run_id, clock
        self.stage: str | None = None
        self.last_write = self.last_check = float("-inf")
        self.cancelled = False

    def write(self, **values: Any) -> None:
        line = values.pop("line", None)
        if line is not None:
            values["log"] = func.right(TrainingRun.log + line, LOG_LIMIT)
        where = [TrainingRun.id == self.run_id]
        if "state" in values:  # ends only a run still running: not one a restarted trainer failed meanwhile
            where.append(TrainingRun.state == RUNNING)
        with self.engine.begin() as conn:
            conn.execute(update(TrainingRun).where(*where).values(**values))

    def on_progress(self, stage: str, fraction: float) -> None:
        fraction = min(max(float(fraction), 0.0), 1.0)
        new_stage = stage != self.stage
        if not new_stage and self.clock() - self.last_write < WRITE_EVERY:
            return
        self.stage, self.last_write = stage, self.clock()
        self.write(stage=stage, progress=fraction, line=_line(f"{stage} ({fraction:.0%})") if new_stage else None)

    def should_stop(self) -> bool:
        if self.cancelled:
            return True
        if self.clock() - self.last_check < WRITE_EVERY:
            return False
        self.last_check = self.clock()
        with self.engine.connect() as conn:
            self.cancelled = bool(conn.scalar(select(TrainingRun.cancel_requested)
                                              .where(TrainingRun.id == self.run_id)))
        return self.cancelled


def default_trainer(settings: TrainingSettings = TrainingSettings()) -> Trainer:
    """Shared data only, or with a site's own labels added (domain/own_training.py)."""

    def train(session: Session, site: Site | None, *, data_dir: Path, out_dir: Path,
              on_progress: ProgressCallback, should_stop: Callable[[], bool]) -> Path:
        if site is not None:
            from moderation.domain.own_training import train_with_own_labels

            return train_with_own_labels(session, site, data_dir=data_dir, out_dir=out_dir,
                                         weight=settings.own_label_weight, progress=False,
                                         on_progress=on_progress, should_stop=should_stop,
                                         min_positives=settings.min_positives)
        from classifiers.sources import training_run_files
        from classifiers.train import train_model

        files = training_run_files(data_dir)
        if not files:
            raise ValidationFailed(f"no licence-cleared training CSVs in {data_dir} (TRAINING_DATA_DIR)",
                                   field="data_dir")
        return train_model(files, out_dir=out_dir, progress=False, min_positives=settings.min_positives,
                           on_progress=on_progress, should_stop=should_stop)

    return train


def execute_run(session: Session, run_id: int, *, var_dir: Path, data_dir: Path,
                trainer: Trainer | None = None) -> str:
    """Run a queued run to its end and return its final state (or its current one when it was not
    queued: cancelled before the worker got to it, or already taken)."""
    engine = _engine(session)
    lock = _RunLock(engine, run_id)  # before the claim: a run is never `running` with its lock free
    try:
        claimed = None
        if lock.held:
            with engine.begin() as conn:
                claimed = conn.execute(
                    update(TrainingRun).where(TrainingRun.id == run_id, TrainingRun.state == QUEUED)
                    .values(state=RUNNING, started_at=now(), log=TrainingRun.log + _line("started"))
                    .returning(TrainingRun.id)
                ).first()
        if claimed is None:
            state = session.scalar(select(TrainingRun.state).where(TrainingRun.id == run_id))
            if state is None:
                raise NotFound(f"no training run #{run_id}")
            return state
        return _train(session, engine, run_id, var_dir=var_dir, data_dir=data_dir, trainer=trainer)
    finally:
        lock.release()


def _train(session: Session, engine: Engine, run_id: int, *, var_dir: Path, data_dir: Path,
           trainer: Trainer | None) -> str:
    run = session.get(TrainingRun, run_id)
    site = run.site
    reporter = _RunReporter(engine, run_id)
    out_dir = Path(var_dir) / WORK_DIR / f"run-{run_id}"
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    trainer = trainer or default_trainer()
    try:
        path = trainer(session, site, data_dir=Path(data_dir), out_dir=out_dir,
                       on_progress=reporter.on_progress, should_stop=reporter.should_stop)
        session.rollback()  # the trainer only read; nothing of its snapshot is kept
        reporter.write(stage="register", artifact=str(path), line=_line(f"trained in {time.perf_counter() - started:.1f}s: {path.name}"))
        version = _register(session, run_id, path, var_dir=Path(var_dir))
    except TrainingCancelled:
        session.rollback()
        reporter.write(state=CANCELLED, finished_at=now(), line=_line("cancelled"))
        shutil.rmtree(out_dir, ignore_errors=True)
        return CANCELLED
    except Exception as error:  # any failure ends the run with its message; the worker keeps going
        session.rollback()
        # Our own refusals are sentences for the admin; anything else is named by its class. Only
        # the latter's traceback is logged: `training run` printed one above an erasure's refusal.
        if isinstance(error, DomainError):
            message = error.message
            log.warning("training run %s failed: %s", run_id, message)
        else:
            message = f"{type(error).__name__}: {getattr(error, 'message', None) or error}"
            log.exception("training run %s failed", run_id)
        reporter.write(state=FAILED, finished_at=now(), error=message[:2000], line=_line(f"failed: {message[:500]}"))
        # Its outcome in the log beside its start: a run failing at once had only "started" there,
        # and read as still going (an admin's walk).
        audit(session, "system:trainer", "training:failed", run_id=run_id, error=message[:500],
              **_site_of(session, run.site_id))
        session.commit()
        return FAILED
    shutil.rmtree(out_dir, ignore_errors=True)  # the registry keeps its own copy
    reporter.write(state=SUCCEEDED, progress=1.0, stage="done", finished_at=now(),
                   line=_line(f"registered candidate {version}"))
    return SUCCEEDED


def _register(session: Session, run_id: int, path: Path, *, var_dir: Path) -> str:
    """The artifact as a candidate version in the registry, linked to the run, in one transaction."""
    from moderation.domain.model_registry import register_artifact

    run = session.get(TrainingRun, run_id)
    row = register_artifact(session, path, var_dir=var_dir, trained_by=run.requested_by_id,
                            notes=f"training run #{run_id}" + (f" with {run.site.name}'s own labels" if run.site else ""),
                            actor=run.requested_by)
    run.version_id, run.artifact = row.id, row.artifact
    audit(session, run.requested_by, "training:succeeded", run_id=run_id, version=row.version,
          **_site_of(session, run.site_id))
    session.commit()
    return row.version


# The trainer's stage names (classifiers/train.py) as an admin reads them: "featurise train" and
# "fit heads" were jargon, and the second sat for five minutes with no word of why.
STAGE_WORDS = {
    "export own labels": "exporting the site's own labels",
    "read": "reading the training data",
    "featurise train": "turning the comments into features",
    "fit heads": "learning each attribute: the longest step",
    "score validation": "scoring the held-back comments",
    "thresholds": "choosing thresholds",
    "write": "writing the model",
    "register": "registering the candidate",
}


def stage_words(stage: str | None) -> str | None:
    if not stage:
        return None
    return STAGE_WORDS.get(stage, stage)


def run_summary(run: TrainingRun) -> dict[str, Any]:
    """What the page's polling and `training list` show of a run."""
    return {
        "id": run.id,
        "state": run.state,
        "progress": round(run.progress or 0.0, 4),
        "stage": run.stage,
        "stage_words": stage_words(run.stage),
        "site": run.site.name if run.site else None,
        "requested_by": run.requested_by,
        "cancel_requested": run.cancel_requested,
        "error": run.error,
        "log": run.log or "",
        "created_at": run.created_at.isoformat() if run.created_at else None,
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "version": run.version.version if run.version else None,
        "active": run.state in ACTIVE,
    }
