"""/admin/models/effect: what each version flagged on each site, day by day, so a promotion's effect
is read off one page (domain/version_effect.py). Read-only, for admins."""
from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import select

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.version_effect import DAYS, by_version, daily_shares
from moderation.models import Site


@bp.get("/models/effect")
@auth.login_required("admin")
def version_effect() -> str:
    sites = dict(db.session.execute(select(Site.id, Site.name)).all())
    spans = by_version(daily_shares(db.session))
    ordered = sorted(spans, key=lambda site_id: sites.get(site_id, ""))
    return render_template("admin/version_effect.html", spans=spans, ordered=ordered, site_names=sites, days=DAYS)


@bp.get("/models/effect.png")
@auth.login_required("admin")
def version_effect_plot() -> Response:
    from moderation.admin.health_plots import version_effect_plot as plot  # matplotlib only when asked for

    sites = dict(db.session.execute(select(Site.id, Site.name)).all())
    return Response(plot(sites, daily_shares(db.session)), mimetype="image/png",
                    headers={"Cache-Control": "private, max-age=60"})
