"""`moderation train` and `moderation evaluate`: thin wrappers over classifiers.train / classifiers.evaluate."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click
from click.core import ParameterSource

from classifiers import DEFAULT_MODEL_PATH
from classifiers.errors import DataError, UntrustedModelError
from moderation.cli.finite import FiniteRange


@click.command("train")
@click.option(
    "--data", "data", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled CSV (text, six labels, source); repeat for several files. Required without --site.",
)
@click.option("--site", "site_name", default=None,
              help="Train on the licence-cleared shared data (TRAINING_DATA_DIR) plus this site's own labels "
                   "(its moderators' decisions, report outcomes, suggestscore), weighted by OWN_LABEL_WEIGHT.")
@click.option("--own-label-weight", type=FiniteRange(0.0, min_open=True), default=None,
              help="With --site: weight of one own label against a public row (default: OWN_LABEL_WEIGHT, 2).")
@click.option(
    "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where <name>.skops and <name>.card.json are written [default: models/; "
         "with --site: $MODERATION_VAR_DIR/candidates].",
)
@click.option("--name", default="civility", show_default=True,
              help="Artifact base name (not with --site, whose model is civility-<site>).")
@click.option("--target-precision", type=FiniteRange(0.0, 1.0), default=0.9, show_default=True,
              help="Per-attribute thresholds are the lowest reaching this validation precision.")
@click.option("--source-balance", type=FiniteRange(0.0, 1.0), default=0.5, show_default=True,
              help="0 weights rows equally, 1 weights every source equally.")
@click.option("--min-positives", type=click.IntRange(1), default=100, show_default=True,
              help="An attribute needs this many known positive (and negative) rows to get its own head.")
@click.option("--cross-source", is_flag=True,
              help="Also record leave-one-source-out toxicity metrics in the card (slower).")
@click.option("--allow-unlisted-source", is_flag=True,
              help="Train on sources missing from classifiers/sources.py (their licence is unknown).")
@click.option("--register/--no-register", default=True, show_default=True,
              help="Register the artifact as a candidate in the model registry when a database is at hand.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def train_command(
    data: tuple[Path, ...],
    site_name: str | None,
    own_label_weight: float | None,
    out_dir: Path | None,
    name: str,
    target_precision: float,
    source_balance: float,
    min_positives: int,
    cross_source: bool,
    allow_unlisted_source: bool,
    register: bool,
    quiet: bool,
) -> None:
    """Train the civility model on labelled CSVs, or on the shared data plus a site's own labels
    (--site), and write a versioned artifact and model card."""
    from classifiers.train import train_model

    started = time.perf_counter()
    if site_name is not None:
        if data:
            raise click.UsageError("--site trains on TRAINING_DATA_DIR plus the site's labels; leave out --data")
        # Said, not silently dropped: a helper's `--name walk-test` still wrote civility-<site>.skops.
        context = click.get_current_context()
        unused = [f"--{p.replace('_', '-')}" for p in _NOT_WITH_SITE
                  if context.get_parameter_source(p) == ParameterSource.COMMANDLINE]
        if unused:
            raise click.UsageError(f"{', '.join(unused)} cannot be used with --site: a site's model is named "
                                   "civility-<site> and trained with the recipe's settings, as on /admin/training")
        path = _train_site(site_name, own_label_weight, out_dir, quiet, min_positives)
        _describe(path, started, register)
        return
    if not data:
        raise click.UsageError("give --data (one or more CSVs) or --site NAME")
    try:
        path = train_model(
            data,
            out_dir=out_dir,
            name=name,
            target_precision=target_precision,
            source_balance=source_balance,
            min_positives=min_positives,
            cross_source=cross_source,
            allow_unlisted_sources=allow_unlisted_source,
            progress=not quiet,
        )
    except DataError as error:  # a file's fault, said in a line; a traceback is for our own bugs
        raise click.ClickException(str(error)) from None
    _describe(path, started, register)


_NOT_WITH_SITE = ("name", "target_precision", "source_balance", "cross_source", "allow_unlisted_source")


def _train_site(site_name: str, weight: float | None, out_dir: Path | None, quiet: bool, min_positives: int) -> Path:
    from moderation import db
    from moderation.cli.context import command_app
    from moderation.domain.errors import DomainError
    from moderation.domain.own_training import train_with_own_labels

    app = command_app()
    with app.app_context():
        config = app.config
        try:
            return train_with_own_labels(
                db.session, site_name, data_dir=config["TRAINING_DATA_DIR"],
                out_dir=out_dir or Path(config["VAR_DIR"]) / "candidates",
                weight=weight if weight is not None else config["OWN_LABEL_WEIGHT"], progress=not quiet,
                min_positives=min_positives)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        finally:
            db.session.rollback()


def _describe(path: Path, started: float, register: bool) -> None:
    from classifiers import load_model  # here: scikit-learn is two seconds of every command's start

    model = load_model(path)
    click.echo(f"wrote {path} (version {model.version}) in {time.perf_counter() - started:.1f}s")
    click.echo(f"attributes: {', '.join(model.attributes)}")
    click.echo(f"thresholds: {json.dumps({k: round(v, 4) for k, v in model.thresholds.items()})}")
    cross = model.card.get("leave_one_source_out_toxicity")
    if cross:
        per_source = {k: round(v["roc_auc"], 4) for k, v in cross.items() if isinstance(v, dict)}
        click.echo(f"leave-one-source-out toxicity ROC AUC: {json.dumps(per_source)}")
    for line in own_label_lines(model.card):
        click.echo(line)
    if register:
        from moderation.cli.registry_commands import register_trained

        register_trained(path)


@click.command("evaluate")
@click.option(
    "--model", "model_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=DEFAULT_MODEL_PATH, show_default=True, help="Model artifact (.skops, card beside it).",
)
@click.option(
    "--data", "data", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled CSV; repeat for several files.",
)
@click.option("--report-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write report.json and ROC/PR/calibration plots here.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
def evaluate_command(model_path: Path, data: tuple[Path, ...], report_dir: Path | None, quiet: bool) -> None:
    """Print ROC AUC, PR AUC, precision/recall at the model's thresholds and calibration error per file."""
    from classifiers.evaluate import evaluate_model, format_report

    from classifiers import load_model

    try:
        model = load_model(model_path)
    except (UntrustedModelError, OSError) as error:
        raise click.ClickException(f"cannot load {model_path} as a model: {error}") from None
    try:
        report = evaluate_model(model, data, report_dir=report_dir, progress=not quiet)
    except DataError as error:
        raise click.ClickException(str(error)) from None
    click.echo(format_report(report))
    if report_dir is not None:
        click.echo(f"report written to {report_dir}")


def own_label_lines(card: dict) -> list[str]:
    """The training summary's line per site whose own labels went in, with how many trained it as the
    card says: "3000 rows" read as 3,000 learnt from where none had been (its texts all fell in the
    part kept to measure; a migrating site's walk)."""
    data = card.get("training_data") or {}
    lines = []
    for source, detail in (data.get("own_labels") or {}).items():
        trained, kept = detail.get("trained_on"), detail.get("validation")
        split = (f" ({trained} trained on, {kept} kept to measure it"
                 f"{': this version learnt nothing from them' if trained == 0 else ''})"
                 if isinstance(trained, int) and isinstance(kept, int) else "")
        lines.append(f"own labels: {source} {detail['rows']} rows{split}, weight {data.get('own_label_weight')}")
    return lines
