"""`moderation models ...`: the model registry from the shell (the same actions as /admin/models)."""
from __future__ import annotations

import json
from pathlib import Path

import click

from moderation import db
from moderation.cli.context import cli_actor, command_app, site_id_named
from moderation.domain.errors import DomainError


@click.group("models")
def models_group() -> None:
    """Registered model versions: list, show, register, promote, roll back, shadow."""


def bootstrapped_app():
    """The app, with the registry bootstrapped (an empty one gets the shipped model as global version)."""
    from classifiers import DEFAULT_MODEL_PATH
    from moderation.domain.model_registry import ensure_bootstrapped

    app = command_app()
    with app.app_context():
        ensure_bootstrapped(db.session, var_dir=app.config["VAR_DIR"],
                            model_path=app.config.get("MODEL_PATH") or DEFAULT_MODEL_PATH)
        db.session.commit()
    return app


def _toxicity_auc(metrics: dict) -> str:
    value = (metrics.get("toxicity") or {}).get("roc_auc")
    return f"{value:.3f}" if isinstance(value, (int, float)) else "-"


@models_group.command("list")
def list_command() -> None:
    """Every registered version, newest first, with its status and where it is active."""
    from moderation.domain.model_registry import active_scopes, list_versions, run_requesters, trained_by, trained_for

    app = bootstrapped_app()
    with app.app_context():
        versions, scopes, requesters = list_versions(db.session), active_scopes(db.session), run_requesters(db.session)
        click.echo(f"{'version':<22} {'status':<10} {'created':<17} {'trained by':<20} {'tox AUC':>7}  "
                   f"{'learnt from':<20} active for")
        for row in versions:
            trainer = trained_by(row, requesters) or "-"
            # A site's own decisions, said here too: promoting such a version for every site needs --yes.
            learnt = "shared + " + ", ".join(sorted(own)) if (own := trained_for(row)) else "shared data"
            click.echo(f"{row.version:<22} {row.status:<10} {row.created_at:%Y-%m-%d %H:%M} {trainer[:20]:<20} "
                       f"{_toxicity_auc(row.metrics):>7}  {learnt[:20]:<20} {', '.join(scopes.get(row.id, [])) or '-'}")


@models_group.command("show")
@click.argument("version")
@click.option("--card", "full_card", is_flag=True, help="Print the whole model card as JSON.")
def show_command(version: str, full_card: bool) -> None:
    """One version: hash, artifact, status, metrics, training data, where it is active."""
    from moderation.domain.model_registry import (active_scopes, card_text, copied_attributes, get_version,
                                                  run_requesters, trained_by, trained_for)

    app = bootstrapped_app()
    with app.app_context():
        row = get_version(db.session, version)
        if row is None:
            raise click.ClickException(f"no such version: {version}")
        if full_card:
            click.echo(card_text(row))
            return
        click.echo(f"version:       {row.version}\nstatus:        {row.status}\n"
                   f"active for:    {', '.join(active_scopes(db.session).get(row.id, [])) or '-'}\n"
                   f"created:       {row.created_at:%Y-%m-%d %H:%M:%S %Z}\n"
                   f"trained by:    {trained_by(row, run_requesters(db.session)) or '-'}\n"
                   f"learnt from:   {_learnt_from(trained_for(row))}\n"
                   f"trained at:    {row.card.get('trained_at', '-')}\n"
                   f"sha256:        {row.sha256}\nartifact:      {Path(app.config['VAR_DIR']) / row.artifact}\n"
                   f"notes:         {row.notes or '-'}")
        click.echo("metrics (validation rows of all its sources pooled):")
        for attribute, values in sorted(row.metrics.items()):
            click.echo(f"  {attribute:<16} " + "  ".join(f"{k} {v:.3f}" for k, v in values.items()))
        # Scored with another head's score, as the card page says; site thresholds on them are ignored.
        if copied := copied_attributes(row.card):
            click.echo("not scored (too few examples): " + ", ".join(
                f"{a} (uses {b or 'another head'}'s score)" for a, b in copied.items()))
        click.echo("training data:")  # one line of JSON had been unreadable (an admin's walk)
        for line in _training_data_lines(row.training_data or {}):
            click.echo(f"  {line}")


def _training_data_lines(data: dict) -> list[str]:
    lines = []
    for key, value in sorted(data.items()):
        if key == "files" and isinstance(value, list):
            # A file read only to measure the model (cad_reddit) read "0 rows" among what trained it (an admin's walk).
            lines += [f"file {f.get('file')}: " + (f"{f.get('rows'):,} rows" if f.get("rows") else "only measured it, not trained on")
                      + f", sha256 {str(f.get('sha256'))[:12]}" for f in value if isinstance(f, dict)]
        elif key == "validation_rows" and isinstance(data.get("public_validation_rows"), int):
            # The pages count the public rows the pooled metrics are on; this count has the site's own too.
            lines.append(f"validation rows: {value:,} ({data['public_validation_rows']:,} public, which the pooled "
                         "metrics and thresholds are on)")
        elif isinstance(value, list):
            lines.append(f"{key.replace('_', ' ')}: {', '.join(map(str, value)) or '-'}")
        elif isinstance(value, dict):
            lines.append(f"{key.replace('_', ' ')}: " + "; ".join(f"{k} {json.dumps(v, sort_keys=True)}" for k, v in value.items()))
        else:
            lines.append(f"{key.replace('_', ' ')}: {value:,}" if isinstance(value, int) else f"{key.replace('_', ' ')}: {value}")
    return lines


def _learnt_from(own: set[str]) -> str:
    return "the shared data" + (f" and {' and '.join(sorted(own))}'s own decisions" if own else "")


@models_group.command("register")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--notes", help="A sentence kept with the version.")
def register_command(path: Path, notes: str | None) -> None:
    """Register the artifact at PATH (its .card.json beside it) as a candidate; audited."""
    from classifiers import UntrustedModelError
    from moderation.domain.model_registry import register_artifact

    from sqlalchemy import func, select

    from moderation.domain.model_registry import trained_for
    from moderation.models import ModelVersion

    app = bootstrapped_app()
    with app.app_context():
        count = select(func.count(ModelVersion.id))
        before = db.session.scalar(count)
        try:
            row = register_artifact(db.session, path, var_dir=app.config["VAR_DIR"], notes=notes, actor=cli_actor())
        except (DomainError, UntrustedModelError) as error:
            raise click.ClickException(str(error)) from None
        new = db.session.scalar(count) > before
        db.session.commit()
        if not new:  # a renamed copy: it had said "is registered" and dropped the notes unsaid (an admin's walk)
            click.echo(f"{row.version} was registered already ({row.status}); nothing changed"
                       + (", and its notes are kept as they were" if notes else ""))
            return
        own = sorted(trained_for(row))
        site = f" --site {own[0]}" if len(own) == 1 else ""  # a site's own model: promoted for that site
        click.echo(f"{row.version} is registered ({row.status}); promote it with "
                   f"`moderation models promote {row.version}{site}`")


def _change(action, **kwargs) -> str:
    app = bootstrapped_app()
    with app.app_context():
        try:
            if "site_name" in kwargs:
                kwargs["site_id"] = site_id_named(kwargs.pop("site_name"))
            action(db.session, by=cli_actor(), **kwargs)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from None
        db.session.commit()
        from moderation.domain.model_registry import active_version

        return active_version(db.session, kwargs.get("site_id")).version


def _refuse_another_sites_model(row, site_name: str | None, lead: str) -> None:  # noqa: ANN001 - a ModelVersion
    """ValidationFailed when `row` learnt from a site's own decisions and would score every site or
    another one: promote and rollback ask for --yes then, as the admin page asks first."""
    from moderation.domain.errors import ValidationFailed
    from moderation.domain.model_registry import trained_for

    own = trained_for(row) if row is not None else set()
    if own and site_name not in own:
        scope = f"{site_name} only" if site_name else "every site (global)"
        raise ValidationFailed(f"{lead} from {' and '.join(sorted(own))}'s own decisions; to make it the active "
                               f"version of {scope} all the same, add --yes")


@models_group.command("promote")
@click.argument("version")
@click.option("--site", "site_name", help="Only for this site (by name); without it, the global version.")
@click.option("--yes", is_flag=True, help="Promote a model learnt from other sites' own decisions all the same.")
@click.option("--reason", default=None, help="Why, for the next admin: kept in the audit log and shown on the Models page.")
def promote_command(version: str, site_name: str | None, yes: bool, reason: str | None) -> None:
    """Make VERSION the active model, globally or for one site; audited. Workers switch within seconds.

    A model that learnt from a site's own decisions is that site's: for every site, or another one,
    it is refused without --yes, as the admin page asks first."""
    from moderation.admin.model_card import promotion_note
    from moderation.domain.label_checks import overruling_note
    from moderation.domain.model_registry import get_version, promote

    notes: list[str] = []

    def act(session, **kw):  # noqa: ANN001, ANN202 - _change's action
        row = get_version(session, version)
        card = row.card if row is not None else None
        if note := promotion_note(card) + overruling_note(session, card):
            notes.append(note)
        if not yes:
            _refuse_another_sites_model(row, site_name, f"{version} learnt")
            # Asked first, as the page asks: the shell had promoted and said it after (a re-check).
            if overruled := overruling_note(session, card):
                raise click.ClickException(f"not promoted.{overruled} Read them, then --yes to promote all the same.")
        return promote(session, version, reason=reason, **kw)

    active = _change(act, site_name=site_name)
    click.echo(f"{site_name or 'global'}: {active} is active")
    if notes:
        click.echo(f"note:{notes[0]}")


@models_group.command("rollback")
@click.option("--site", "site_name", help="Roll back this site's own version (it may then follow the global one).")
@click.option("--yes", is_flag=True, help="Bring back a model learnt from other sites' own decisions all the same.")
@click.option("--reason", default=None, help="Why, for the next admin: kept in the audit log and shown on the Models page.")
def rollback_command(site_name: str | None, yes: bool, reason: str | None) -> None:
    """Go back to the version active before the last promotion; audited.

    As `promote`, and as the admin page asks: bringing back a model that learnt from a site's own
    decisions for every site, or another one, is refused without --yes. A second `rollback` "to be
    sure" had made herald's own model every site's (an admin's walk)."""
    from moderation.domain.model_registry import active_version, rollback, rollback_target
    from moderation.domain.version_effect import left_after_rollback

    followed: list[bool] = []
    left: list[str] = []

    def act(session, **kw):  # noqa: ANN001, ANN202 - _change's action
        target = rollback_target(session, kw.get("site_id"))
        if not yes and target is not None:
            _refuse_another_sites_model(target, site_name, f"rolling back brings {target.version} back, which learnt")
        before = active_version(session, kw.get("site_id")).version
        followed.append(rollback(session, reason=reason, **kw) is None)
        # As the page says it: the shell's rollback had been silent on what the version left (a second re-check).
        if said := left_after_rollback(session, before, kw.get("site_id")):
            left.append(said)

    active = _change(act, site_name=site_name)
    if site_name and followed and followed[0]:  # it was not given that version: it follows whatever is global
        click.echo(f"{site_name}: follows the global version again (now {active})")
    else:
        click.echo(f"{site_name or 'global'}: {active} is active")
    for line in left:
        click.echo(f"note: {line}")


@models_group.command("follow-global")
@click.option("--site", "site_name", required=True, help="The site whose own version to set aside.")
@click.option("--reason", default=None, help="Why, for the next admin: kept in the audit log and shown on the version's card.")
def follow_global_command(site_name: str, reason: str | None) -> None:
    """Set a site's own version aside: it follows the global version again, whatever it ran before
    (a rollback goes back one promotion only); audited."""
    from moderation.domain.model_registry import follow_global

    active = _change(lambda session, site_id, by: follow_global(session, site_id, by=by, reason=reason),
                     site_name=site_name)
    click.echo(f"{site_name}: follows the global version again (now {active})")


@models_group.command("shadow")
@click.argument("version", required=False)
@click.option("--clear", is_flag=True, help="Stop the shadow.")
def shadow_command(version: str | None, clear: bool) -> None:
    """Run VERSION in shadow beside the active models (or --clear); audited."""
    from moderation.domain.model_registry import set_shadow, shadow_version

    if bool(version) == clear:
        raise click.UsageError("give a VERSION or --clear (not both)")
    before: list[str | None] = []

    def act(session, **kw):  # noqa: ANN001, ANN202 - _change's action
        was = shadow_version(session)
        before.append(was.version if was is not None else None)
        return set_shadow(session, None if clear else version, **kw)

    _change(act)
    # "no shadow" read as "there was none", and a new shadow did not say which it replaced (an admin's walk).
    if clear:
        click.echo(f"{before[0]} no longer runs in shadow")
    else:
        click.echo(f"{version} runs in shadow" + (f" in place of {before[0]}" if before[0] and before[0] != version else ""))


@models_group.command("discard")
@click.argument("version")
def discard_command(version: str) -> None:
    """Throw away candidate VERSION: its artifact leaves the database (about 8.6 MB a version, in every
    dump) and this var dir; its card and history stay. Audited."""
    from flask import current_app

    from moderation.domain.model_registry import discard

    _change(lambda session, **kw: discard(session, version, var_dir=Path(current_app.config["VAR_DIR"]), **kw))
    click.echo(f"{version} discarded")


def register_trained(path: Path) -> None:
    """After `moderation train`: register the artifact as a candidate when a database is at hand.

    "At hand" is DATABASE_URL, or the embedded one under the var dir once the service has run
    here; otherwise training stays a file-only command, as before the registry.
    """
    from sqlalchemy.exc import DBAPIError

    from moderation.config import Config
    from moderation.domain.model_registry import register_artifact, trained_for
    from moderation.embedded import has_database

    config = Config.from_env()
    if not has_database(config):
        click.echo("not registered: no database here (set DATABASE_URL, or later `moderation models register PATH`)")
        return
    try:
        app = command_app()
        with app.app_context():
            row = register_artifact(db.session, path, var_dir=app.config["VAR_DIR"], actor=cli_actor(),
                                    trainer_name=cli_actor(), notes=f"moderation train, {path.name}")
            db.session.commit()
            version, status, trained_for_sites = row.version, row.status, trained_for(row)
    except (DBAPIError, OSError) as error:
        click.echo(f"not registered: the database is not reachable ({type(error).__name__}); "
                   "`moderation models register PATH` does it later")
        return
    # A site's own model is that site's to promote; the global promotion would give it to every site.
    site = min(trained_for_sites, default=None)
    scope, reach = (f" --site {site}", " for that site") if site else ("", "")
    click.echo(f"registered {version} ({status}); `moderation models promote {version}{scope}` makes it active{reach}")
