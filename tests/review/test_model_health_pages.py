"""/admin/shadow and /admin/drift: what a shadow would change, whether traffic drifts, and the banner."""
from __future__ import annotations

import re

import pytest

from drift_fixtures import CardModel, live_version, no_drift_reports  # noqa: F401  (fixture)
from moderation import db
from moderation.domain.drift import DriftSettings, check_drift
from moderation.domain.shadow import score_in_shadow

pytestmark = pytest.mark.usefixtures("no_drift_reports")
PNG = b"\x89PNG"


class Shadow:
    """Holds anything with "<script>" in it; the live test model published everything here."""

    version = "shadow-2"
    attributes = ("toxicity",)
    thresholds = {"toxicity": 0.5}

    def score(self, texts):
        return [{"toxicity": 0.9 if "<script>" in t else 0.1} for t in texts]


def test_the_shadow_page_shows_agreement_and_escaped_examples(app, site, admin, sign_in, make_comment):
    hostile = '<script>alert("x")</script> you people'
    ids = [make_comment(site.id, text, status="published") for text in (hostile, "Fine article.", "Agreed.")]
    with app.app_context():
        assert score_in_shadow(db.session, Shadow, {i: "published" for i in ids}) == 3
    client = sign_in(admin)
    page = client.get("/admin/shadow").get_data(as_text=True)
    assert "shadow-2" in page and "test-model-1" in page
    assert "66.7%" in page and "(2 of 3)" in page
    assert "1 published live would have been held" in page
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    plot = client.get("/admin/shadow/plot.png?version=shadow-2")
    assert plot.status_code == 200 and plot.mimetype == "image/png" and plot.data.startswith(PNG)


def test_the_shadow_page_gives_each_sites_agreement_least_first(app, site, outsider, admin, sign_in, make_comment):
    """Pooled, one site's disagreement hid behind another's volume."""
    agreeing = [make_comment(site.id, f"Fine article {n}.", status="published") for n in range(3)]
    disagreeing = [make_comment(outsider.id, text, status="published") for text in ("<script> one", "Agreed.")]
    with app.app_context():
        assert score_in_shadow(db.session, Shadow, {i: "published" for i in agreeing + disagreeing}) == 5
    page = sign_in(admin).get("/admin/shadow").get_data(as_text=True)
    table = page[page.index("<h2>Per site</h2>"):page.index("<h2>Would-be changes</h2>")]
    assert table.index(outsider.name) < table.index(site.name)  # least agreement first
    outsider_row = table[table.index(outsider.name):table.index(site.name)]
    assert re.search(r'>2</td>\s*<td class="num">50\.0%</td><td class="num">1</td>', outsider_row)
    assert ">100.0%<" in table[table.index(site.name):]


def test_an_empty_shadow_page_says_there_is_nothing_yet(app, admin, sign_in):
    client = sign_in(admin)
    assert "No shadow scores yet" in client.get("/admin/shadow").get_data(as_text=True)
    assert client.get("/admin/shadow/plot.png").data.startswith(PNG)


def drift_report(app, site_id: int, make_comment, toxicity: float, n: int, card: dict | None | str = "default",
                 version: str | None = None):
    version = version or live_version(app)
    for _ in range(n):
        make_comment(site_id, "text", status="published", model_version=version,
                     scores={"toxicity": toxicity, "insult": 0.01})
    with app.app_context():
        report = check_drift(db.session, CardModel(card, version), DriftSettings.from_config(app.config))
        db.session.commit()
        return report.id


def test_admin_pages_warn_past_the_psi_threshold_with_enough_comments(app, site, admin, sign_in, make_comment):
    client = sign_in(admin)
    drift_report(app, site.id, make_comment, 0.75, 299)  # far off, but one comment short of DRIFT_MIN_COMMENTS
    assert "drift-banner" not in client.get("/admin").get_data(as_text=True)
    drift_report(app, site.id, make_comment, 0.75, 1)
    for path in ("/admin", "/admin/drift", "/admin/shadow"):
        page = client.get(path).get_data(as_text=True)
        assert "drift-banner" in page and live_version(app) in page, path
    assert "drift-banner" not in client.get("/review").get_data(as_text=True)  # admin pages only
    banner = page[page.index("drift-banner"):page.index("</p>", page.index("drift-banner"))]
    # Which scores drift, most first (in a span a phone's width hides).
    words = re.sub(r"<[^>]+>", "", banner)
    assert re.search(r"comments on \d{4}-\d{2}-\d{2}:\s+toxicity \d+\.\d\d, insult \d+\.\d\d\.", words), banner
    assert "few examples" not in banner


def test_the_banner_says_when_the_drifting_score_is_one_the_card_calls_thin(app, site, admin, sign_in, make_comment,
                                                                           monkeypatch):
    """Severe toxicity alone (2 positives labelled by people) raised it, and it read as the whole model's."""
    from moderation.scorer import get_model

    monkeypatch.setitem(get_model(app).card, "thin_data", {"toxicity": "12 positives labelled by people"})
    drift_report(app, site.id, make_comment, 0.75, 300)
    page = sign_in(admin).get("/admin").get_data(as_text=True)
    banner = page[page.index("drift-banner"):page.index("</p>", page.index("drift-banner"))]
    assert "toxicity " in banner and "(few examples in training: its scores are the least settled)" in banner


def test_a_warning_about_a_model_no_longer_in_use_shows_no_banner(app, site, admin, sign_in, make_comment):
    drift_report(app, site.id, make_comment, 0.75, 300, version="retired-1")
    client = sign_in(admin)
    assert "drift-banner" not in client.get("/admin").get_data(as_text=True)
    assert "retired-1" in client.get("/admin/drift").get_data(as_text=True)  # still in the history


def test_the_drift_page_shows_psi_per_attribute_and_a_plot(app, site, admin, sign_in, make_comment):
    report_id = drift_report(app, site.id, make_comment, 0.75, 300)
    client = sign_in(admin)
    page = client.get("/admin/drift").get_data(as_text=True)
    assert "toxicity" in page and "insult" in page and "warning" in page
    assert f"/admin/drift/plot.png?report={report_id}" in page
    assert "<td>the last 24 h</td>" in page  # the window each report read, so a 1 h check is told from a day's
    plot = client.get(f"/admin/drift/plot.png?report={report_id}")
    assert plot.status_code == 200 and plot.data.startswith(PNG)


def test_a_card_without_validation_scores_says_so_on_the_drift_page(app, site, admin, sign_in, make_comment):
    drift_report(app, site.id, make_comment, 0.75, 5, card=None)
    page = sign_in(admin).get("/admin/drift").get_data(as_text=True)
    assert "no validation score distribution" in page and "retrain" in page
    assert "drift-banner" not in page


def test_moderators_see_neither_page(site, moderator, sign_in):
    client = sign_in(moderator)
    for path in ("/admin/shadow", "/admin/drift", "/admin/shadow/plot.png", "/admin/drift/plot.png"):
        assert client.get(path).status_code == 403


def test_the_page_opens_on_the_warning_the_banner_names_not_a_later_report_of_two_comments(app, site, admin, sign_in,
                                                                                           make_comment):
    """An admin's walk: the banner's link led to a 2-comment report of another model ("Largest PSI 4.759" in big
    type), the warning a row below; and the 2-comment PSIs were shaded as warnings."""
    warning = drift_report(app, site.id, make_comment, 0.75, 300)
    drift_report(app, site.id, make_comment, 0.75, 2, version="site-own-2")
    client = sign_in(admin)

    banner_page = client.get("/admin").get_data(as_text=True)
    page = client.get("/admin/drift").get_data(as_text=True)
    few = client.get(f"/admin/drift?report={warning + 1}").get_data(as_text=True)

    assert f'href="/admin/drift?report={warning}">See the drift report' in banner_page
    detail = page[page.index("<h2>Model"):page.index("Latest reports")]
    assert live_version(app) in detail and "site-own-2" not in detail
    assert "too few comments" in page  # the 2-comment row of the list
    assert "PSI from so few is noise" in few and "<strong>" not in few[few.index("Largest PSI"):few.index("</dl>")]
    # Which attributes drifted is said in words, not by a pale tint alone (an accessibility review).
    assert "<strong>warning</strong>: above" in detail and "<strong>warning</strong>" not in few[:few.index("Latest reports")]
