"""An admin sets how long a site keeps comment text; a bad value is a form error, a change is audited."""
from __future__ import annotations

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.models import AuditEntry, Site

FORM = {"moderation_mode": "pre", "report_threshold": "2"}


def _post(client, site_id, **form):
    token = csrf_token(client.get(f"/admin/sites/{site_id}").get_data(as_text=True))
    return client.post(f"/admin/sites/{site_id}", data={"csrf_token": token, **FORM, **form})


def test_an_admin_sets_and_clears_the_retention_period_and_each_change_is_audited(app, sign_in, admin, site):
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "Data retention" in page and 'name="retention_days"' in page
    assert _post(client, site.id, retention_days="30").status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).retention_days == 30
    assert 'value="30"' in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert _post(client, site.id, retention_days="").status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).retention_days is None
        changes = [(e.details["old"], e.details["new"]) for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "site:settings_changed").order_by(AuditEntry.id))
            if e.details["setting"] == "retention_days"]
        assert changes == [(None, 30), (30, None)]


@pytest.mark.parametrize("value", ["-1", "thirty", "1.5", "99999999", "٣", "9" * 5000])  # 5,000 digits were a 500
def test_a_retention_that_is_not_a_whole_number_of_days_is_a_form_error(app, sign_in, admin, site, value):
    response = _post(sign_in(admin), site.id, retention_days=value)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Retention must be a whole number of days" in html and 'aria-invalid="true"' in html
    with app.app_context():
        assert db.session.get(Site, site.id).retention_days is None


def test_the_retention_help_says_it_covers_what_coral_sends_to_suggestscore_approved_ones_too(sign_in, admin, site):
    """A Coral developer's walk: docs/perspective.md sends a site here to limit how long Coral's suggestscore
    texts are kept, and the help spoke of comments alone, "published or approved keep their text", when
    Coral's approvals are half of those texts and go with the rest."""
    page = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}").get_data(as_text=True).split())
    help_text = page[page.index('id="retention-help"'):]
    help_text = help_text[:help_text.index("</p>")]
    assert "<code>comments:suggestscore</code>, approved and deleted alike, go too" in help_text
