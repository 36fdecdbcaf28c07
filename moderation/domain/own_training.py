"""Training a candidate on the shipped public data plus one site's own moderators' labels.

Exports the site's labels to a temporary CSV (source `site:<name>`, see label_export.py), then
trains on it together with the licence-cleared files of the shared data folder
(classifiers.sources.training_run_files: never trained on cad_reddit, which it only measures on; never NC or GPL data, no evaluation
splits). The temporary CSV is deleted afterwards: only the artifact, which holds hashed features
and no comment text, is kept. `moderation train --site` and the training task both call this.

A reader's erasure request that arrives while the run trains finds the export already written:
the run then discards what it made and fails, saying so, rather than hand the admin a candidate
that learnt from the erased texts (a privacy walk saw one registered four minutes after).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from classifiers.sources import training_run_files
from moderation.domain.errors import Conflict, ValidationFailed
from moderation.domain.label_checks import overrulings
from moderation.domain.label_export import export_site_labels, find_site, one_sided
from moderation.domain.lifecycle import now
from moderation.domain.profanity_holds import training_hint
from moderation.models import AuthorErasure, LabelledExample, Site

# Share of the progress bar the export takes; training takes the rest.
EXPORT_SHARE = 0.05
# Fewer labelled comments than this and a run spends minutes to make, in effect, the public model
# again, with the site's name on its card.
MIN_OWN_LABELS = 20


def own_examples(session: Session, site: Site) -> int:
    """The site's labelled comments, as its export counts them without writing them: a comment's
    examples (its decision, its reports' outcomes) are one, each suggestscore call one. Counting
    examples read a rejected comment with a report as two, and queued runs the export then refused."""
    comments, calls = session.execute(
        select(func.count(func.distinct(LabelledExample.comment_id)),
               func.count().filter(LabelledExample.comment_id.is_(None)))
        .where(LabelledExample.site_id == site.id)).one()
    return (comments or 0) + (calls or 0)


def check_enough_own_labels(count: int, site: Site) -> None:
    if count < MIN_OWN_LABELS:
        raise ValidationFailed(
            f"{site.name} has {count} labelled comment{'' if count == 1 else 's'} of its own; training with its "
            f"own labels needs at least {MIN_OWN_LABELS} (moderators' decisions count). Until then the global "
            "model is the one to use", field="site")


def artifact_name(site: Site) -> str:
    return "civility-" + (re.sub(r"[^a-z0-9]+", "-", site.name.lower()).strip("-") or f"site{site.id}")


EXPORT_PREFIX = "own-labels-"
_LEGACY_AGE = 86_400  # seconds: exports an older release left in the system's temp dir, named by no process


def sweep_leftover_exports(out_dir: Path) -> int:
    """Remove the label exports of training processes that are gone: in `out_dir`, in its sibling run
    directories, and an older release's in the system temp dir a day on. How many went."""
    return _sweep([*out_dir.glob(f"{EXPORT_PREFIX}*"), *out_dir.parent.glob(f"*/{EXPORT_PREFIX}*")])


def sweep_dead_exports(training_dir: Path) -> int:
    """As sweep_leftover_exports, for every run directory under `training_dir`: called when a trainer
    is found dead, not only when the next run starts. A killed run's export of a site's labelled
    texts had stayed, weeks perhaps, out of reach of the erasure of a reader in it (an admin's walk)."""
    return _sweep(list(training_dir.glob(f"*/{EXPORT_PREFIX}*")))


def _sweep(candidates: list[Path]) -> int:
    removed = 0
    for found in candidates:
        pid = found.name[len(EXPORT_PREFIX):].split("-", 1)[0]
        if found.is_dir() and (not pid.isdigit() or not _alive(int(pid))):
            shutil.rmtree(found, ignore_errors=True)
            removed += 1
    for found in Path(tempfile.gettempdir()).glob(f"{EXPORT_PREFIX}*"):
        try:
            stale = found.is_dir() and found.stat().st_uid == os.getuid() and time.time() - found.stat().st_mtime > _LEGACY_AGE
        except OSError:
            continue
        if stale:
            shutil.rmtree(found, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def train_with_own_labels(
    session: Session,
    site: Site | str,
    *,
    data_dir: str | Path,
    out_dir: str | Path,
    weight: float,
    progress: bool,
    on_progress: Callable[[str, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    min_positives: int = 200,
) -> Path:
    """Export `site`'s labels, train on the shared data plus them, return the artifact's path.

    `on_progress(stage, fraction)` hears the export and every training stage (fraction 0..1 of the
    whole run); `should_stop()` returning True raises classifiers.train.TrainingCancelled.
    Raises NotFound for an unknown site name and ValidationFailed when there is no data. The
    session is only read from; the caller owns its transaction (end it before a long run if the
    session should not hold a snapshot open for minutes).
    """
    site = find_site(session, site) if isinstance(site, str) else site
    name = artifact_name(site)
    public = training_run_files(data_dir)
    if not public:
        raise ValidationFailed(f"no licence-cleared training CSVs in {data_dir} (TRAINING_DATA_DIR)",
                               field="data_dir")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sweep_leftover_exports(out_dir)
    # Beside the candidate, under the var dir, named by this process: a run killed (out of memory,
    # kill -9) left every labelled text of the site in /tmp for good, out of reach of erasure and
    # retention (a data protection officer's walk); the next run removes what a dead process left.
    with tempfile.TemporaryDirectory(prefix=f"{EXPORT_PREFIX}{os.getpid()}-", dir=out_dir) as tmp:
        own_csv = Path(tmp) / f"{name}.csv"

        def exported(done: int, total: int) -> None:
            if on_progress is not None:
                on_progress("export own labels", round(EXPORT_SHARE * done / max(total, 1), 4))

        if on_progress is not None:
            on_progress("export own labels", 0.0)
        exported_at = now()
        summary = export_site_labels(session, site, own_csv, for_training=True, on_progress=exported)
        check_enough_own_labels(summary.rows, site)
        if on_progress is not None:
            # The split too: 105 rejections and 2 approvals went ahead as "107 labelled comments".
            fewer = one_sided(summary.toxic, summary.civil)
            split = f"{summary.toxic} toxic, {summary.civil} not" + (
                f": one-sided, few {fewer} comments to learn from" if fewer else "")
            on_progress(f"exported {summary.rows} labelled comments of {site.name} ({split})", EXPORT_SHARE)
            if (hint := training_hint(session, site)) is not None:
                on_progress(f"check before promoting: {hint}", EXPORT_SHARE)
            # Said in the run's log before minutes of training: a poisoned batch had gone unremarked.
            for overruling in overrulings(session, site, until=exported_at):
                on_progress(f"check before promoting: {overruling.sentence(site.name)}", EXPORT_SHARE)

        def trained(stage: str, fraction: float) -> None:
            if on_progress is not None:
                on_progress(stage, round(EXPORT_SHARE + (1 - EXPORT_SHARE) * fraction, 4))

        from classifiers.train import train_model  # here: scikit-learn, only when training

        should_stop = _stopping_at_an_erasure(session, site, exported_at, should_stop)
        path = train_model(
            [*public, own_csv],
            out_dir=out_dir,
            name=name,
            own_label_weight=weight,
            own_labels_read_at=exported_at.isoformat(),
            min_positives=min_positives,
            progress=progress,
            on_progress=trained,
            should_stop=should_stop,
        )
    _refuse_if_erased_since(session, site, exported_at, path)
    return path


# How often a run on a site's labels looks for an erasure that took some of them away.
ERASURE_CHECK_SECONDS = 10.0


def _stopping_at_an_erasure(session: Session, site: Site, exported_at: datetime,
                            should_stop: Callable[[], bool] | None) -> Callable[[], bool]:
    """`should_stop`, and a Conflict when an erasure took labels away since the export: the run
    stops there. It went on to the end and only then said so, five minutes of a 2 GB trainer and of
    the admin's wait after the erasure had come (an admin's walk). Looked for on a connection of its
    own, so the trainer's session holds no snapshot while it trains."""
    checked = time.monotonic()

    def stop() -> bool:
        nonlocal checked
        if should_stop is not None and should_stop():
            return True
        if time.monotonic() - checked >= ERASURE_CHECK_SECONDS:
            checked = time.monotonic()
            with Session(session.get_bind()) as looking:
                erasures = _erasures_since(looking, site, exported_at)
            if erasures:
                raise Conflict(_erased(erasures, site, "the run stopped there"))
        return False

    return stop


def _erasures_since(session: Session, site: Site, exported_at: datetime) -> int:
    # Only erasures that took labels away: one of a reader who never posted had discarded a six-minute
    # run (a moderator's walk).
    return session.scalar(select(func.count()).select_from(AuthorErasure).where(
        AuthorErasure.site_id == site.id, AuthorErasure.erased_at >= exported_at,
        AuthorErasure.counts["labelled_examples"].as_integer() > 0)) or 0


def _erased(erasures: int, site: Site, what_then: str) -> str:
    return (f"{erasures} reader erasure request{'s' if erasures != 1 else ''} of {site.name} arrived while this run "
            f"trained on its labels, which held their texts: {what_then}. Run it again; the erased labels are "
            "gone now.")


def _refuse_if_erased_since(session: Session, site: Site, exported_at: datetime, path: Path) -> None:
    erasures = _erasures_since(session, site, exported_at)
    if erasures:
        from classifiers.model import card_path_for

        path.unlink(missing_ok=True)
        card_path_for(path).unlink(missing_ok=True)
        raise Conflict(_erased(erasures, site, "the candidate was discarded"))

