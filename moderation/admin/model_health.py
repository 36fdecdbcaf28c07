"""The shadow and drift pages: what a candidate in shadow would change, and whether live traffic drifts.

Both are read-only, for admins. Plots are PNGs served by their own routes (health_plots.py). The
drift banner on every admin page comes from `drift_banner`, a context processor of the admin
blueprint: the latest drift report, when it warns.
"""
from __future__ import annotations

from flask import Response, current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.drift import current_warnings, latest_reports
from moderation.domain.shadow import shadow_summary, shadow_versions
from moderation.models import DriftReport, Site
from moderation.request_input import parse_int

REPORTS_SHOWN = 30


@bp.context_processor
def drift_banner() -> dict[str, object]:
    user = auth.current_user()
    if user is None or user.role != "admin":
        return {}  # the model is the group's admins': a site admin's banner would link to a page they cannot open
    # Only a warning about a model scoring now, global or a site's own: one about a version since
    # replaced is history. Read by name: loading every site's model here, on every admin page, would
    # hold them all in each web process; only a warning's own model is loaded, for its card.
    provider = _provider()
    try:
        versions = provider.versions_in_use() if provider is not None else None
    except Exception:  # a registry that cannot be read is the index page's to report; warn about any version
        versions = None
    try:
        warnings = current_warnings(db.session, versions)
    except DBAPIError:  # the "database unavailable" page itself must still render
        db.session.rollback()
        warnings = []
    warning = warnings[0] if warnings else None
    model = _model_of(provider, warning.version) if warning is not None and provider is not None else None
    warn = current_app.config["DRIFT_PSI_WARN"]
    # Which scores drift, and whether the card calls them thin: severe toxicity alone (2 positives
    # labelled by people) raised the banner on every admin page, and it read as the whole model's.
    thin = (model.card.get("thin_data") or {}) if model is not None and isinstance(getattr(model, "card", None), dict) else {}
    drifting = sorted(((a, p, a in thin) for a, p in (warning.psi or {}).items() if p > warn),
                      key=lambda item: -item[1]) if warning is not None else []
    return {"drift_warning": warning, "drift_psi_warn": warn, "drifting": drifting, "drift_also": warnings[1:]}


def _provider():  # noqa: ANN202 - the app's ModelProvider, refreshed, or None
    try:
        from moderation.scorer import get_provider

        provider = get_provider(current_app._get_current_object())
        provider.refresh()
        return provider
    except Exception:  # no provider or no registry: the index page reports it; warn about any version
        return None


def _model_of(provider, version: str):  # noqa: ANN001, ANN202 - a CivilityModel, or None
    try:
        return provider.in_use_model(version)
    except Exception:  # a model that cannot load: the banner shows without its card's notes
        return None


def _chosen_version() -> tuple[str | None, list[str]]:
    """The version asked for, if it has shadow rows; else the one that shadowed most recently."""
    versions = shadow_versions(db.session)
    asked = request.args.get("version")
    return (asked if asked in versions else (versions[0] if versions else None)), versions


def _png(data: bytes) -> Response:
    return Response(data, mimetype="image/png", headers={"Cache-Control": "private, max-age=60"})


@bp.get("/shadow")
@auth.login_required("admin")
def shadow() -> str:
    version, versions = _chosen_version()
    summary = shadow_summary(db.session, version)
    site_names = dict(db.session.execute(select(Site.id, Site.name)).all())
    return render_template("admin/shadow.html", summary=summary, versions=versions, site_names=site_names)


@bp.get("/shadow/plot.png")
@auth.login_required("admin")
def shadow_plot() -> Response:
    from moderation.admin.health_plots import agreement_plot  # matplotlib only when a plot is asked for

    version, _ = _chosen_version()
    return _png(agreement_plot(shadow_summary(db.session, version, examples=0).days, version))


def _chosen_report(reports: list[DriftReport]) -> DriftReport | None:
    asked = parse_int(request.args.get("report"))
    if asked is not None:
        return db.session.get(DriftReport, asked)
    return reports[0] if reports else None


@bp.get("/drift")
@auth.login_required("admin")
def drift() -> str:
    reports = latest_reports(db.session, REPORTS_SHOWN)
    minimum = current_app.config["DRIFT_MIN_COMMENTS"]
    chosen = _chosen_report(reports) if request.args.get("report") else _telling_report(reports, minimum)
    return render_template("admin/drift.html", reports=reports, chosen=chosen, min_comments=minimum)


def _telling_report(reports: list[DriftReport], minimum: int) -> DriftReport | None:
    """The page's first report: a warning, else the latest from enough comments, else the latest. It
    opened on a 2-comment report's "Largest PSI 4.759" while the warning sat a row below (an admin's walk)."""
    return (next((r for r in reports if r.warning), None) or next((r for r in reports if r.comments >= minimum), None)
            or (reports[0] if reports else None))


@bp.get("/drift/plot.png")
@auth.login_required("admin")
def drift_plot() -> Response:
    from moderation.admin.health_plots import drift_plot as plot

    report = _chosen_report(latest_reports(db.session, 1))
    if report is None:
        from moderation.admin.health_plots import empty_plot

        return _png(empty_plot("No drift report yet"))
    # A stored report never changes: drawn once per process, not on every view (2.4-5.4 s each on a
    # busy machine, and the page waited for it: a phone review).
    key = (report.id, report.version, report.created_at)  # ids start again in another database
    drawn = _DRIFT_PLOTS.get(key)
    if drawn is None:
        drawn = plot(report.live_histograms, report.validation_histograms, report.psi, report.version)
        if len(_DRIFT_PLOTS) >= _DRIFT_PLOTS_KEPT:
            _DRIFT_PLOTS.pop(next(iter(_DRIFT_PLOTS)))
        _DRIFT_PLOTS[key] = drawn
    return _png(drawn)


_DRIFT_PLOTS: dict[tuple[object, ...], bytes] = {}
_DRIFT_PLOTS_KEPT = 8
