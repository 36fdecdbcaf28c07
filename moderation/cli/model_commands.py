"""`moderation train` and `moderation evaluate`: thin wrappers over classifiers.train / classifiers.evaluate."""

from __future__ import annotations

import json
import time
from pathlib import Path

import click

from classifiers import DEFAULT_MODEL_PATH, load_model


@click.command("train")
@click.option(
    "--data", "data", multiple=True, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled CSV (text, six labels, source); repeat for several files.",
)
@click.option(
    "--out-dir", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_MODEL_PATH.parent,
    show_default=True, help="Where <name>.skops and <name>.card.json are written.",
)
@click.option("--name", default="civility", show_default=True, help="Artifact base name.")
@click.option("--target-precision", type=click.FloatRange(0.0, 1.0), default=0.9, show_default=True,
              help="Per-attribute thresholds are the lowest reaching this validation precision.")
@click.option("--source-balance", type=click.FloatRange(0.0, 1.0), default=0.5, show_default=True,
              help="0 weights rows equally, 1 weights every source equally.")
@click.option("--min-positives", type=click.IntRange(1), default=200, show_default=True,
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
    out_dir: Path,
    name: str,
    target_precision: float,
    source_balance: float,
    min_positives: int,
    cross_source: bool,
    allow_unlisted_source: bool,
    register: bool,
    quiet: bool,
) -> None:
    """Train the civility model on labelled CSVs and write a versioned artifact and model card."""
    from classifiers.train import train_model

    started = time.perf_counter()
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
    model = load_model(path)
    click.echo(f"wrote {path} (version {model.version}) in {time.perf_counter() - started:.1f}s")
    click.echo(f"attributes: {', '.join(model.attributes)}")
    click.echo(f"thresholds: {json.dumps({k: round(v, 4) for k, v in model.thresholds.items()})}")
    cross = model.card.get("leave_one_source_out_toxicity")
    if cross:
        per_source = {k: round(v["roc_auc"], 4) for k, v in cross.items() if isinstance(v, dict)}
        click.echo(f"leave-one-source-out toxicity ROC AUC: {json.dumps(per_source)}")
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

    model = load_model(model_path)
    report = evaluate_model(model, data, report_dir=report_dir, progress=not quiet)
    click.echo(format_report(report))
    if report_dir is not None:
        click.echo(f"report written to {report_dir}")
