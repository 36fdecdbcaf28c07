"""The dead-letter page: webhook deliveries that used up their retries, replayed one by one or in bulk."""
from __future__ import annotations

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from moderation import auth, db
from moderation.admin.routes import bp
from moderation.domain.dead_letters import count_dead_letters, list_dead_letters, replay_dead_letters, send_replayed
from moderation.domain.status import now
from moderation.models import Site
from moderation.request_input import MAX_INT8, parse_int


def _int(raw: str | None) -> int | None:
    """A positive id from a form or query string; anything else is ignored rather than a 500."""
    return parse_int(raw, maximum=MAX_INT8)


def age(created_at: datetime) -> str:
    seconds = max(0, int((now() - created_at).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{seconds} s"


@bp.get("/webhooks/dead-letters")
@auth.login_required("admin")
def dead_letters() -> str:
    site_id = _int(request.args.get("site"))
    sites = db.session.scalars(select(Site).where(Site.active.is_(True)).order_by(Site.name)).all()  # as the list
    return render_template("admin/dead_letters.html", letters=list_dead_letters(db.session, site_id=site_id),
                           total=count_dead_letters(db.session, site_id=site_id), sites=sites,
                           site_id=site_id, age=age)


@bp.post("/webhooks/dead-letters/replay")
@auth.login_required("admin")
def replay_dead_letters_view() -> Response:
    form = request.form
    site_id = _int(form.get("site_id"))
    if _int(form.get("one")) is not None:
        chosen = dict(ids=[_int(form.get("one"))])
    elif form.get("action") == "selected":
        chosen = dict(ids=[i for i in map(_int, form.getlist("ids")) if i is not None])
    elif form.get("action") == "site" and site_id is not None:
        chosen = dict(site_id=site_id)
    elif form.get("action") == "all":
        chosen = {}
    else:
        abort(400)
    user = auth.current_user()
    replayed = replay_dead_letters(db.session, actor=f"user:{user.username}", **chosen)
    db.session.commit()
    send_replayed(db.session, replayed)
    flash(f"Replaying {len(replayed)} webhook deliver{'y' if len(replayed) == 1 else 'ies'}." if replayed
          else "Nothing to replay: those deliveries are no longer dead letters.", "success" if replayed else "info")
    return redirect(url_for("admin.dead_letters", site=site_id if chosen.get("site_id") else None), code=303)
