"""/admin/operations: the key numbers /metrics gives Prometheus, as small charts, for sites without
Grafana. Read from the database (domain/operations.py), so it needs no metrics store of its own."""
from __future__ import annotations

from flask import current_app, render_template

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.admin.sparklines import bars, line
from moderation.domain.backpressure import judge
from moderation.domain.model_registry import shadow_version
from moderation.domain.operations import hourly, snapshot
from moderation.domain.storms import active_storms
from moderation.observability.collect import perspective_answers

HOURS = 24


@bp.get("/operations")
@auth.login_required("admin")
def operations() -> str:
    state = snapshot(db.session)
    hours = hourly(db.session, hours=HOURS)
    charts = [
        bars("Comments received", [h.received for h in hours]),
        bars("Scorings (an edited comment again)", [h.scored for h in hours]),
        bars("Held or rejected when scored", [h.flagged for h in hours]),
        bars("Moderators' decisions", [h.decided for h in hours]),
        line("Posted or edited → scored, median", [h.p50_seconds for h in hours], "s"),
        line("Posted or edited → scored, 99th percentile", [h.p99_seconds for h in hours], "s"),
        bars("Webhooks delivered", [h.webhooks_delivered for h in hours]),
        bars("Webhooks still undelivered a minute on", [h.webhooks_failing for h in hours]),  # a minute's grace: the Now tile counts them all
    ]
    config = current_app.config
    soft, hard = config["BACKPRESSURE_SOFT_LIMIT"], config["BACKPRESSURE_HARD_LIMIT"]
    # What the next comment POST would meet (domain/backpressure.py), from the count just taken.
    load = {"state": judge(state.pending, soft_limit=soft, hard_limit=hard), "soft": soft, "hard": hard}
    shadow = shadow_version(db.session)
    # Each refusal is a comment a Perspective client publishes unscored; which site's was refused
    # could not be told anywhere but Prometheus (a migrating site's walk).
    perspective = perspective_answers(current_app.extensions["metrics_dir"])
    return render_template("admin/operations.html", state=state, charts=charts, hours=hours, load=load,
                           storms=active_storms(db.session, None), shadow=shadow.version if shadow else None,
                           perspective=perspective)
