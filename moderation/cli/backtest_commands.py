"""`moderation models backtest`: a candidate and the active model on a site's past decisions, side by side."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from moderation import db
from moderation.cli.context import command_app
from moderation.domain.backtest import counts_said, difference_said
from moderation.domain.errors import DomainError


def _number(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:.{digits}f}"


def learnt_note(result: dict[str, Any]) -> str:
    """Why comments were left out: a model learnt from this site's decisions up to `learnt_until`."""
    who = " and the ".join(result["learnt_by"])
    repeats = result.get("repeats_left_out") or 0
    return (f"left out: {result['left_out']:,} comments decided up to {result['learnt_until']}, when the {who} "
            f"model read this site's own decisions to learn from"
            + (f", and {repeats:,} decided since whose text is one of those" if repeats else "")
            + ("; nothing decided since to judge it on" if not result["comments"] else ""))


def _span(days: float) -> str:
    """"3.0 hours" under a day, as the page says it; "0.0 days" read as nothing (a re-check)."""
    from moderation.domain.written import span_words

    return span_words(days) if days < 1 else f"{days:.1f} days"


def format_result(result: dict[str, Any]) -> str:
    active, candidate = result["active"], result["candidate"]
    lines = [
        f"site {result['site']}: {result['comments']:,} decided comments ({result['rejected']:,} rejected, "
        f"{result['approved']:,} approved) over {_span(result['days'])}; scored in {result['seconds']:.1f}s;"
        f" {result.get('held_by_rules', 0):,} held by the site's rules whatever a model scored (in both 'held')"
        if result["comments"] else f"site {result['site']}: no decided comments to judge the models on",
        *([learnt_note(result)] if result.get("learnt_until") else []),
        *([f"NOTE: {result['profanity_hint']}"] if result.get("profanity_hint") else []),
    ]
    if not result["comments"]:  # a table of dashes says nothing the line above does not
        return "\n".join(lines)
    difference = difference_said(result)
    if difference:
        lines.append(("WARNING: " if difference[1] else "") + difference[0])
    if counted := counts_said(result):
        lines.append(counted)
    lines += [
        "",
        f"{'':<34}{'active':>22}{'candidate':>22}",
        f"{'version':<34}{active['version']:>22}{candidate['version']:>22}",
    ]
    rows = [
        ("ROC AUC (max over reliable attrs)", "roc_auc", 3), ("PR AUC (max over reliable attrs)", "pr_auc", 3),
        ("ROC AUC (toxicity)", "toxicity_roc_auc", 3), ("PR AUC (toxicity)", "toxicity_pr_auc", 3),
        ("held at the site's thresholds", "held", 0), ("precision (held vs rejected)", "precision", 3),
        ("recall (of rejected)", "recall", 3), ("held per day", "held_per_day", 1),
    ]
    for label, key, digits in rows:
        lines.append(f"{label:<34}{_number(active[key], digits):>22}{_number(candidate[key], digits):>22}")
    if active.get("rejected_unseen") is not None:
        label = "rejected unseen (auto-reject)"
        said = [f"{o['rejected_unseen']:,} ({o['rejected_unseen_approved']:,} approved)" for o in (active, candidate)]
        lines.append(f"{label:<34}{said[0]:>22}{said[1]:>22}")
    lines.append("")
    for name, title in (("published_to_held", "published -> held"), ("held_to_published", "held -> published")):
        lines.append(f"{title}: {result['changed'][name]:,} comments")
        for example in result["examples"][name]:
            text = " ".join(example["text"].split())[:100]
            lines.append(f"  #{example['id']} ({example['decision']}) active {example['active']} "
                         f"candidate {example['candidate']}: {text}")
    return "\n".join(lines)


@click.command("backtest")
@click.option("--site", "site_name", required=True, help="The site whose decided comments are rescored (by name).")
@click.option("--candidate", required=True, help="A registry version, or a .skops path (its card beside it).")
@click.option("--active", default=None, help="What to compare with: a version or .skops path (default: the "
              "site's active version).")
@click.option("--limit", type=click.IntRange(1, 50_000), default=1000, show_default=True,
              help="How many of the site's most recently decided comments to rescore.")
@click.option("--plots", "plots_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also write the PR curves and score histograms as PNG files here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def backtest_command(site_name: str, candidate: str, active: str | None, limit: int, plots_dir: Path | None,
                     quiet: bool) -> None:
    """Score a candidate and the active model on a site's last N decided comments and compare them
    with the moderators' decisions (rejected = positive)."""
    from classifiers import DEFAULT_MODEL_PATH, UntrustedModelError
    from moderation.domain.backtest import backtest, decided_count
    from moderation.domain.model_refs import active_for_site, load_reference
    from moderation.domain.sites import site_named

    app = command_app()
    var_dir = app.config["VAR_DIR"]
    with app.app_context():
        try:
            site = site_named(db.session, site_name)
            active = active or active_for_site(db.session, site.id, var_dir=var_dir,
                                               model_path=app.config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
            db.session.commit()  # a first bootstrap of the registry is kept
            models = [load_reference(db.session, ref, var_dir=var_dir, allow_paths=True) for ref in (candidate, active)]
            total = 2 * min(limit, decided_count(db.session, site.id))
            if quiet:
                result = backtest(db.session, site, *models, limit=limit).to_dict()
            else:
                with click.progressbar(length=total, label="scoring", show_pos=True, file=click.get_text_stream("stderr")) as bar:
                    result = backtest(db.session, site, *models, limit=limit, progress=bar.update).to_dict()
        except DomainError as error:
            raise click.ClickException(error.message) from error
        except (UntrustedModelError, OSError) as error:  # a damaged or card-less .skops path: 55 lines of traceback
            raise click.ClickException(f"cannot load that model: {error}") from None
    click.echo(format_result(result))
    if plots_dir is not None and not result["comments"]:
        click.echo("no plots: no decided comments to plot", err=True)
    elif plots_dir is not None:
        import base64

        from moderation.domain.backtest_jobs import plots

        plots_dir.mkdir(parents=True, exist_ok=True)
        for name, encoded in plots(result).items():
            (plots_dir / f"{name}.png").write_bytes(base64.b64decode(encoded))
        click.echo(f"plots written to {plots_dir}")
