"""Plain helpers the review tests import (fixtures live in conftest.py)."""
from __future__ import annotations

import re

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def decide_form(client, comment_id: int, **data: str):
    """Post the decision form the way the queue page does: token and version taken from the page."""
    html = client.get(f"/review/{comment_id}").get_data(as_text=True)
    return client.post(f"/review/{comment_id}/decide", data={**drawn_decide_form(html), **data})


def drawn_decide_form(html: str) -> dict[str, str]:
    """The hidden fields of the page's decision form as drawn: what a browser sends however long after.
    The decision form's, not those of an Undo offered in the flash above it."""
    start = html.find('<form class="decide"')
    form_html = html[start:] if start >= 0 else html
    version = re.search(r'name="version" value="(\d+)"', form_html)
    next_url = re.search(r'name="next" value="([^"]*)"', form_html)
    seen = re.search(r'name="reports_seen" value="(\d+)"', form_html)
    return {"csrf_token": csrf_token(html), "version": version.group(1) if version else "1",
            "next": next_url.group(1) if next_url else "", **({"reports_seen": seen.group(1)} if seen else {})}


def post_once_deactivated(app, client, site_id: int, page: str, action: str) -> str:
    """The page shown after posting `action` from `page`'s form, once the site was deactivated between
    the two (the form's token taken before): what an admin with the page open meets."""
    from moderation import db
    from moderation.models import Site

    token = csrf_token(client.get(page).get_data(as_text=True))
    with app.app_context():
        db.session.get(Site, site_id).active = False
        db.session.commit()
    return client.post(action, data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
