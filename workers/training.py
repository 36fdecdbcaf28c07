"""The training task, on the "training" queue: one run id in, domain.training_runs.execute_run.

It runs in a worker of its own (`moderation worker --queues training`, concurrency 1), so a
candidate being trained never holds up scoring.
"""
from __future__ import annotations

import logging

from billiard.exceptions import WorkerLostError
from celery import shared_task
from celery.signals import celeryd_after_setup, task_failure
from flask import current_app

from moderation import db
from moderation.celery_app import TRAINING_QUEUE
from moderation.domain import training_runs

log = logging.getLogger(__name__)


@celeryd_after_setup.connect
def _fail_runs_left_running(sender: str, instance: object, **_: object) -> None:
    """A run left running by a process that died (the worker before this one, or a foreground `training
    run`) never ends: failed here, if no live process holds its lock (training_runs.RUN_LOCK)."""
    queues = set(getattr(instance.app.amqp.queues, "consume_from", None) or {})
    if TRAINING_QUEUE not in queues:
        return  # a scoring worker: a training run may well be going on elsewhere
    from workers.entry import flask_app

    with flask_app.app_context():
        _remove_dead_exports()
        try:
            failed = training_runs.fail_interrupted_runs(db.session)
            db.session.commit()
        except Exception:  # the database may be starting too; the run stays "running" until next start
            db.session.rollback()
            log.exception("could not mark interrupted training runs failed")
            return
    if failed:
        log.warning("training runs %s were left running by a stopped worker; marked failed", failed)


# Acknowledged on receipt: a run interrupted by a dead worker is marked failed, never started again
# on its own (it may be what killed the worker); an admin starts a new one.
@shared_task(bind=True, name="workers.training.train_candidate", acks_late=False, max_retries=0)
def train_candidate(self, run_id: int) -> str:
    config = current_app.config
    settings = training_runs.TrainingSettings(min_positives=config["TRAINING_MIN_POSITIVES"],
                                              own_label_weight=config["OWN_LABEL_WEIGHT"])
    state = training_runs.execute_run(db.session, int(run_id), var_dir=config["VAR_DIR"],
                                      data_dir=config["TRAINING_DATA_DIR"],
                                      trainer=training_runs.default_trainer(settings))
    log.info("training run %s: %s", run_id, state)
    return state


@task_failure.connect(sender=train_candidate)
def _fail_run_whose_process_died(sender: object = None, exception: BaseException | None = None,
                                 args: tuple = (), **_: object) -> None:
    """In the worker's main process, when the child running a training task dies (the kernel's
    out-of-memory killer, a kill -9): the run would stay "running", blocking every next run, until
    the worker itself restarted."""
    if not isinstance(exception, WorkerLostError) or not args:
        return
    from workers.entry import flask_app

    why = f"its training process died ({exception}); a full run needs about 2 GB of memory"
    with flask_app.app_context():
        _remove_dead_exports()
        try:
            ended = training_runs.fail_lost_run(db.session, int(args[0]), why)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("could not mark training run %s failed after its process died", args[0])
            return
    if ended:
        log.error("training run %s failed: %s", args[0], why)


def _remove_dead_exports() -> None:
    """A dead trainer's export of a site's labelled comments, gone now rather than at the next run."""
    try:
        removed = training_runs.remove_dead_trainers_exports(current_app.config["VAR_DIR"])
    except OSError:
        log.exception("could not remove the label exports of dead training processes")
        return
    if removed:
        log.warning("removed %d label export(s) a dead training process had left", removed)
