"""The admin's backtest and threshold pages: forms that refuse bad input, a preview that saves
nothing, an audited save, and a backtest result with its plots and escaped examples."""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.domain.backtest_jobs import create_job, run_job
from moderation.domain.lifecycle import APPROVED, REJECTED
from moderation.model_provider import FixedModels
from moderation.models import AuditEntry, Comment, Site
from moderation.redis_client import redis_client
from backtest_data import ACTIVE, CANDIDATE, DECIDED, START, TableModel, add_comment, add_quick_decisions


def job_store(app):
    """The backtest job store as the app reaches it (admin/backtest.py), with the app's broker
    timeout: 5 s in tests, where 1 s let a Redis a busy machine held up fail the test."""
    return redis_client(app.config["REDIS_URL"], timeout=app.config["BROKER_TIMEOUT"])


@pytest.fixture
def fake_model(app):
    app.extensions["models"] = FixedModels(SimpleNamespace(
        version="fake-1", attributes=("toxicity",), thresholds={"toxicity": 0.5}, card={}))


@pytest.fixture
def decided(app, site):
    with app.app_context():
        for i, (text, (decision, active, _)) in enumerate(DECIDED.items()):
            add_comment(site.id, text, status=decision, decision=decision, day=i * 4 / 7, scores={"toxicity": active})
        db.session.commit()
    return site


def test_a_preview_shows_the_effect_and_saves_nothing(app, sign_in, admin, decided, fake_model):
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "precision", "value": "1"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "data:image/png;base64," in html and "0.800" in html  # 0.9 and 0.8 were both rejected
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {}
        assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_precision_target_on_a_few_decisions_is_not_offered_for_saving(app, sign_in, admin, decided, fake_model):
    """A head of community was offered "Save toxicity ≥ 0.998" from 22 decisions."""
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "precision", "value": "1"})
    html = page.get_data(as_text=True)
    assert "Save toxicity" not in html and "Not offered for saving: a precision target needs 100 decided" in html
    form = {"csrf_token": csrf_token(html), "attribute": "toxicity", "threshold": "0.8", "target": "precision",
            "value": "1"}
    response = client.post(f"/admin/sites/{decided.id}/thresholds", data=form)
    assert "Not saved: a precision target needs 100" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {}


def test_saving_the_previewed_threshold_is_audited(app, sign_in, admin, decided, fake_model):
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    offered = float(re.search(r'name="threshold" value="([^"]+)"', page).group(1))
    form = {"csrf_token": csrf_token(page), "attribute": "toxicity", "target": "volume", "value": "0.5"}
    # A number the target does not give is refused: an adversarial walk saved 0.998 from 4 decisions.
    response = client.post(f"/admin/sites/{decided.id}/thresholds", data={**form, "threshold": "0.998"})
    assert "Not saved: the decisions changed since the page was shown" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    response = client.post(f"/admin/sites/{decided.id}/thresholds", data={**form, "threshold": str(offered)})
    assert response.status_code == 303
    assert "Saved" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {"toxicity": round(offered, 6)}
        entry = db.session.scalars(select(AuditEntry)).one()
        assert entry.actor == "user:ada" and entry.details["via"] == "threshold tuning"


def test_a_hold_threshold_above_the_sites_auto_reject_threshold_is_refused(app, sign_in, admin, decided, fake_model):
    """Saved anyway, the site page then refused every later save, even of the moderation mode."""
    with app.app_context():
        site = db.session.get(Site, decided.id)
        # Auto-reject off: the pair is refused all the same, or the site page could not turn it on.
        site.auto_reject, site.reject_thresholds = False, {"toxicity": 0.1}
        db.session.commit()
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    offered = re.search(r'name="threshold" value="([^"]+)"', page).group(1)
    response = client.post(f"/admin/sites/{decided.id}/thresholds", data={
        "csrf_token": csrf_token(page), "attribute": "toxicity", "target": "volume", "value": "0.5", "threshold": offered})
    assert "Not saved: the site&#39;s toxicity auto-reject threshold (0.1) is below this hold threshold" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {}


def test_a_bad_target_is_a_form_error_not_a_500(sign_in, admin, decided, fake_model):
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds",
                              query_string={"attribute": "toxicity", "target": "precision", "value": "lots"})
    assert page.status_code == 400 and "The target must be a number" in page.get_data(as_text=True)


@pytest.mark.parametrize("limit", ["ten", "0", "50001"])
def test_a_bad_number_of_decided_comments_is_a_form_error_not_quietly_a_thousand(sign_in, admin, decided, fake_model,
                                                                                 limit):
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds", query_string={
        "attribute": "toxicity", "target": "volume", "value": "2", "limit": limit})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "The number of decided comments must be a whole number from 1 to 50,000" in html
    assert f'value="{limit}"' in html and 'aria-invalid="true"' in html


def test_saving_an_unreliable_attribute_is_refused(app, sign_in, admin, decided, fake_model):
    client = sign_in(admin)
    token = csrf_token(client.get(f"/admin/sites/{decided.id}/thresholds").get_data(as_text=True))
    response = client.post(f"/admin/sites/{decided.id}/thresholds", follow_redirects=True, data={
        "csrf_token": token, "attribute": "threat", "threshold": "0.1", "target": "precision", "value": "0.9"})
    assert "Not saved" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {}


def test_the_backtest_form_refuses_a_bad_number_of_comments(sign_in, admin, site):
    client = sign_in(admin)
    token = csrf_token(client.get("/admin/backtest").get_data(as_text=True))
    response = client.post("/admin/backtest", data={"csrf_token": token, "site_id": str(site.id),
                                                    "candidate": "x", "limit": "-3"})
    assert response.status_code == 400 and "whole number" in response.get_data(as_text=True)


def test_a_finished_backtest_shows_both_models_plots_and_escaped_examples(app, sign_in, admin, decided):
    hostile = TableModel("new-2", {**CANDIDATE.table, "<script>alert(1)</script>": 0.9})
    active = TableModel("old-1", {**ACTIVE.table, "<script>alert(1)</script>": 0.1})
    with app.app_context():
        add_comment(decided.id, "<script>alert(1)</script>", status=REJECTED, decision=REJECTED, day=2)
        db.session.commit()
        store = job_store(app)
        job_id = create_job(store, site_id=decided.id, candidate="new-2", active="old-1", limit=100, by="user:ada")
        run_job(db.session, store, job_id, load={"new-2": hostile, "old-1": active}.get)
    html = sign_in(admin).get(f"/admin/backtest/{job_id}").get_data(as_text=True)
    assert html.count("data:image/png;base64,") == 2
    assert "new-2" in html and "old-1" in html and "The active model holds, the candidate publishes" in html
    assert 'href="/review/' in html  # each example opens its comment
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert APPROVED in html
    # Nine decisions: the candidate's perfect ranking is still within chance, and the page says so (a
    # model admin's walk: a poisoned candidate read better on 19 decisions, with no word of doubt).
    said = html.split('id="auc-difference">')[1].split("</p>")[0]
    assert "flash-warning" in html.split('id="auc-difference"')[0][-80:]
    assert said.startswith("Candidate minus active ROC AUC: +0.325 on these 9 decisions (5 rejected), "
                           "95 % interval -0.085 to +0.735, but on fewer than 10 rejected")
    assert "too few decisions to tell the two models apart" in said


def test_a_site_trained_candidate_is_judged_on_later_decisions_and_the_page_says_so(app, sign_in, admin, decided):
    candidate = TableModel("own-3", CANDIDATE.table)
    candidate.card = {"trained_at": (START + timedelta(days=2)).isoformat(),
                      "training_data": {"own_labels": {f"site:{decided.name}": {"rows": 4}}}}
    with app.app_context():
        store = job_store(app)
        job_id = create_job(store, site_id=decided.id, candidate="own-3", active="old-1", limit=100, by="user:ada")
        run_job(db.session, store, job_id, load={"own-3": candidate, "old-1": ACTIVE}.get)
    client = sign_in(admin)
    html = client.get(f"/admin/backtest/{job_id}").get_data(as_text=True)
    said = " ".join(html.split())
    assert "Left out: 4 comments decided up to" in said
    assert "when the candidate model read this site's own decisions to learn from" in said

    # Trained after every decision: nothing to judge it on, and the page says so rather than failing.
    candidate.card["trained_at"] = (START + timedelta(days=30)).isoformat()
    with app.app_context():
        job_id = create_job(store, site_id=decided.id, candidate="own-3", active="old-1", limit=100, by="user:ada")
        run_job(db.session, store, job_id, load={"own-3": candidate, "old-1": ACTIVE}.get)
    response = client.get(f"/admin/backtest/{job_id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nothing has been decided since" in html
    # No table of dashes, empty plots or empty example lists for nothing.
    assert "data:image/png" not in html and "backtest-metrics" not in html and "the candidate holds" not in html


def test_a_job_still_running_is_watched_by_the_page_without_reloading_it(app, sign_in, admin, site):
    """A Refresh header reloaded the page every 2 s: the focus went back to the top each time."""
    with app.app_context():
        job_id = create_job(job_store(app), site_id=site.id, candidate="a", active="b", limit=10, by="user:ada")
    page = sign_in(admin).get(f"/admin/backtest/{job_id}")
    html = page.get_data(as_text=True)
    assert "Refresh" not in page.headers and "Waiting for a worker" in html
    assert 'data-wait-for-job="2"' in html and "wait_for_job.js" in html


def test_a_job_no_worker_finished_stops_refreshing_and_says_why(app, sign_in, admin, site):
    import json

    store = job_store(app)
    job_id = create_job(store, site_id=site.id, candidate="a", active="b", limit=10, by="user:ada")
    job = json.loads(store.get(f"backtest:{job_id}"))
    store.set(f"backtest:{job_id}", json.dumps({**job, "created": job["created"] - 3600}))
    page = sign_in(admin).get(f"/admin/backtest/{job_id}")
    html = page.get_data(as_text=True)
    assert "data-wait-for-job" not in html and "No worker finished this backtest" in html


def test_an_attribute_without_scores_yet_is_named_in_words(app, sign_in, admin, decided):
    app.extensions["models"] = FixedModels(SimpleNamespace(
        version="fake-2", attributes=("toxicity", "identity_attack"), thresholds={"toxicity": 0.5, "identity_attack": 0.9},
        card={}))
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds", query_string={"attribute": "identity_attack"})
    assert "No decided comment of this site has a stored identity attack score yet." in page.get_data(as_text=True)


def test_a_job_page_with_redis_down_says_so_instead_of_a_500(app, sign_in, admin, site, monkeypatch):
    """An onboarding review: the page, which asks again every 2 s, answered Flask's bare 500."""
    import moderation.admin.backtest as backtest_pages

    client = sign_in(admin)
    monkeypatch.setattr(backtest_pages, "_store", lambda: redis_client("redis+socket:///nonexistent/redis.sock",
                                                                       timeout=0.5))
    page = client.get("/admin/backtest/abc123")
    assert page.status_code == 503 and "The job store (Redis) is not answering" in page.get_data(as_text=True)


def test_decisions_from_under_a_day_say_their_span_not_0_days(app, sign_in, admin, site, fake_model):
    """A re-check: "51 decided comments over 0 days" once spans under a day were kept."""
    with app.app_context():
        add_quick_decisions(site.id, 6, hours=3, prefix="quick ")
        db.session.commit()
    html = sign_in(admin).get(f"/admin/sites/{site.id}/thresholds", query_string={"attribute": "toxicity"}).get_data(as_text=True)
    assert "6 decided comments over 3.0 hours" in html and "over 0 days" not in html


def test_the_backtest_form_chooses_the_site_with_decisions_and_says_how_many_each_has(sign_in, admin, decided, make_site,
                                                                                        fake_model):
    """An admin's walk: the form chose "aardvark" by name, with no decisions, and its backtest said "0 decided comments"."""
    empty = make_site("aardvark")
    page = sign_in(admin).get("/admin/backtest").get_data(as_text=True)

    assert re.search(rf'<option value="{decided.id}" selected>\S+ \(8 decided\)</option>', page), page
    assert f'<option value="{empty.id}" >aardvark (0 decided)</option>' in page


def test_a_deactivated_site_is_in_neither_the_backtest_nor_the_training_picker(app, sign_in, admin, make_site,
                                                                             decided, fake_model):
    """An admin's walk: `keys deactivate` says its site leaves every site picker; these two still offered it."""
    gone = make_site("gone-gazette")
    with app.app_context():
        db.session.get(Site, gone.id).active = False
        db.session.commit()
    client = sign_in(admin)
    assert "gone-gazette" not in client.get("/admin/backtest").get_data(as_text=True)
    assert "gone-gazette" not in client.get("/admin/training").get_data(as_text=True)
    assert decided.name in client.get("/admin/training").get_data(as_text=True)


def _preview_form(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))


def test_saving_a_previewed_threshold_another_admin_changed_since_is_refused(app, sign_in, admin, decided, fake_model):
    """An admin's walk: a second admin's change was replaced by the first's preview, without a word to either."""
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    with app.app_context():  # meanwhile, on the site's settings page
        db.session.get(Site, decided.id).thresholds = {"toxicity": 0.6}
        db.session.commit()
    response = client.post(f"/admin/sites/{decided.id}/thresholds", data=_preview_form(page))
    said = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Not saved: the toxicity threshold was changed to 0.600 since your preview, by someone else" in said
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds == {"toxicity": 0.6}


def test_a_preview_on_another_versions_scores_says_so(app, sign_in, admin, decided, fake_model):
    """An admin's walk: promoted, then tuned on the previous version's scores, with no word of it."""
    with app.app_context():
        db.session.query(Comment).filter(Comment.site_id == decided.id).update({"model_version": "old-1"})
        db.session.commit()
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds",
                              query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"})
    assert "8 of these 8 comments were scored by another version than fake-1, which scores this site now: old-1 (8)" \
        in page.get_data(as_text=True)


def test_the_same_threshold_form_sent_twice_is_saved_once_without_blaming_anyone(app, sign_in, admin, decided, fake_model):
    """An admin's walk: a double click (or Back and resend) was told "changed since your preview, by someone else"."""
    from moderation.models import AuditEntry

    client = sign_in(admin)
    page = client.get(f"/admin/sites/{decided.id}/thresholds",
                      query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    form = _preview_form(page)
    said = [client.get(client.post(f"/admin/sites/{decided.id}/thresholds", data=form).headers["Location"])
            .get_data(as_text=True) for _ in range(2)]
    assert all("Saved: " in page and "someone else" not in page for page in said), said[1]
    with app.app_context():
        assert db.session.get(Site, decided.id).thresholds["toxicity"] == pytest.approx(float(form["threshold"]), abs=1e-6)
        changes = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "site:settings_changed")).all()
    assert len(changes) == 1


def test_a_thresholds_preview_is_focused_and_said_in_one_sentence(sign_in, admin, decided, fake_model):
    """An accessibility review: the effect of a threshold sat below the first screen at 200 % zoom, and a
    screen reader's admin heard nothing of it."""
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds", query_string={
        "attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    assert '<div class="card preview" tabindex="-1" autofocus>' in page
    said = re.search(r'<p class="visually-hidden" data-announce>(.*?)</p>', page).group(1)
    assert said.startswith("Effect of toxicity at ") and "held per day, precision" in said


def test_the_preview_says_a_threshold_holds_what_scores_at_it_as_the_policy_does(sign_in, admin, decided, fake_model):
    """It said "the comments above a low threshold", where a comment scoring the threshold itself is held
    (policy.verdict: a score at or above it flags)."""
    page = sign_in(admin).get(f"/admin/sites/{decided.id}/thresholds", query_string={
        "attribute": "toxicity", "target": "volume", "value": "1"}).get_data(as_text=True)
    assert ("Of all the comments a low threshold holds, those scoring at or above it, far fewer would be rejected: "
            "compare held per day before saving.") in page


def test_decisions_all_approved_say_why_the_plot_is_empty(app, sign_in, admin, site, fake_model):
    """A migrating site's walk: the last 1,000 decisions were approvals, and the first load showed an
    empty plot with no word of why."""
    with app.app_context():
        for i in range(4):
            add_comment(site.id, f"fine {i}", status=APPROVED, decision=APPROVED, day=i, scores={"toxicity": 0.1 * i})
        db.session.commit()
    html = sign_in(admin).get(f"/admin/sites/{site.id}/thresholds", query_string={"attribute": "toxicity"}).get_data(as_text=True)
    assert "These 4 comments were all approved: precision and recall have nothing to compare" in html


def test_a_backtest_of_a_site_that_auto_rejects_shows_what_each_model_rejects_unseen(app, sign_in, admin, decided):
    """A migrating site's walk: nothing previewed the auto-reject threshold."""
    with app.app_context():
        row = db.session.get(Site, decided.id)
        row.auto_reject, row.reject_thresholds = True, {"toxicity": 0.65}
        db.session.commit()
        store = job_store(app)
        job_id = create_job(store, site_id=decided.id, candidate="new-2", active="old-1", limit=100, by="user:ada")
        run_job(db.session, store, job_id, load={"new-2": CANDIDATE, "old-1": ACTIVE}.get)
    html = " ".join(sign_in(admin).get(f"/admin/backtest/{job_id}").get_data(as_text=True).split())
    assert "Rejected unseen at the site&#39;s auto-reject thresholds" in html or \
        "Rejected unseen at the site's auto-reject thresholds" in html
    assert "3 <small>(1 of them approved by moderators)</small>" in html


def test_a_backtest_with_no_approvals_shows_how_many_rejected_each_model_holds(app, sign_in, admin, site):
    """A data scientist's walk: a news site's 25 rejected, 0 approved gave every AUC as "—" and a
    warning, though the candidate held 19 of them where the active model held 13."""
    texts = [f"insult {i}" for i in range(25)]
    candidate = TableModel("new-2", {t: 0.9 if i < 19 else 0.1 for i, t in enumerate(texts)})
    active = TableModel("old-1", {t: 0.9 if i < 13 else 0.1 for i, t in enumerate(texts)})
    with app.app_context():
        for i, text in enumerate(texts):
            add_comment(site.id, text, status=REJECTED, decision=REJECTED, day=i / 10)
        db.session.commit()
        store = job_store(app)
        job_id = create_job(store, site_id=site.id, candidate="new-2", active="old-1", limit=100, by="user:ada")
        run_job(db.session, store, job_id, load={"new-2": candidate, "old-1": active}.get)
    html = " ".join(sign_in(admin).get(f"/admin/backtest/{job_id}").get_data(as_text=True).split())
    assert "no ROC AUC is worth trusting: fewer than 10 of each" in html
    said = html.split('id="decision-counts">')[1].split("</p>")[0]
    assert said == ("What these decisions do tell: of the 25 rejected, the candidate holds 19 and the active model "
                    "13; no approved comment to count what each would hold wrongly.")


CORAL_SCORES = {"You utter idiot.": 0.9, "Clueless hack.": 0.65, "Nice piece.": 0.2, "Sharp but fair.": 0.55,
                "Someone should shoot the mayor.": 0.26}


def _coral_decisions(app, site_id: int, monkeypatch, *, rules: list[dict]) -> None:
    """Five Coral comments decided through suggestscore, scored by CORAL_SCORES, on a site with `rules`."""
    from moderation.domain.rule_sets import save_rules
    from moderation.models import LabelledExample
    from moderation.perspective import calibration

    class Scorer:
        version, attributes, thresholds, card = "coral-1", ("toxicity",), {"toxicity": 0.5}, {}

        def score(self, texts):
            return [{"toxicity": CORAL_SCORES[t]} for t in texts]

    app.extensions["models"] = FixedModels(Scorer())
    with app.app_context():
        save_rules(db.session, db.session.get(Site, site_id), rules, actor="test", take_away=True)

        def label(text, decision, token):
            db.session.add(LabelledExample(site_id=site_id, text=text, labels={decision: 1.0}, source="suggestscore",
                                           kind="suggestscore", client_token=token, actor=f"site:{site_id}"))
        label("Sharp but fair.", "rejected", "comment:4")  # deleted first, then approved: approved counts
        db.session.flush()
        for text, decision, token in (("You utter idiot.", "rejected", "comment:1"),
                                      ("Clueless hack.", "rejected", "comment:2"),
                                      ("Nice piece.", "approved", "comment:3"),
                                      ("Sharp but fair.", "approved", "comment:4"),
                                      ("Someone should shoot the mayor.", "rejected", "comment:5")):
            label(text, decision, token)
        db.session.commit()
        # A re-check's: many calls for one comment fold into its last, and a plain client's suggested
        # score is no moderator's decision.
        for n in range(31):  # its last word: approved
            label("Sharp but fair.", "rejected" if n % 2 else "approved", "comment:4")
        db.session.add(LabelledExample(site_id=site_id, text="Nice piece.", labels={"toxicity": 0.9},
                                       source="suggestscore", kind="suggestscore", actor=f"site:{site_id}"))
        db.session.commit()
    monkeypatch.setattr(calibration, "MAX_DECISIONS", 5)


def _coral_row(html: str, threshold: str) -> str:
    row = html[html.index(threshold):]
    return row[:row.index("</tr>")]


def test_a_coral_site_reads_each_toxicity_threshold_against_its_moderators_suggestscore_decisions(
        app, sign_in, admin, site, monkeypatch):
    """A migrating site's walk: a Coral site's moderators' decisions come only through suggestscore,
    and its thresholds page said "0 decided comments": it could only type 51."""
    from moderation.domain.rule_sets import starter_rules

    _coral_decisions(app, site.id, monkeypatch, rules=starter_rules())
    html = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    assert "Coral&#39;s decisions" in html or "Coral's decisions" in html
    assert "the newest 5 sent by <code>comments:suggestscore</code>, 3 deleted" in html
    assert "older ones are left out" not in html  # short texts: no budget said
    # At 0.6 (60 in Coral): the idiot and the hack held, both deleted; the threat is raised past it by the
    # site's threats rule, as comments:analyze answers: 3 held, all deleted, every deletion.
    row = _coral_row(html, "0.600 (60)")
    assert '<td class="num">3</td>' in row and "3 (1.00)" in row and "3 of 3 (1.00)" in row
    assert "the model&#39;s default" in html or "the model's default" in html
    # Down to 10, where the lowest row was 30: at 20 the four above it are held, "Nice piece." (0.2) is not.
    row = _coral_row(html, "0.200 (20)")
    assert '<td class="num">4</td>' in row and "3 (0.75)" in row
    assert "0.100 (10)" in html


def test_coral_counts_above_its_threshold_so_at_95_it_publishes_what_a_rule_lifted_to_the_floor(
        app, sign_in, admin, site, monkeypatch):
    """A Coral developer's walk: Coral holds `score > threshold`; the page counted `>=`, and at 95 said 48
    held where Coral held 33, every rule-lifted threat (exactly 0.95) published unwarned."""
    from moderation.domain.rule_sets import starter_rules

    _coral_decisions(app, site.id, monkeypatch, rules=starter_rules())
    html = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    # The threat sits exactly on the floor: Coral at 95 publishes it; the idiot sits exactly on 0.9.
    assert '<td class="num">0</td>' in _coral_row(html, "0.950 (95)")
    row = _coral_row(html, "0.900 (90)")
    assert '<td class="num">1</td>' in row and "1 of 3 (0.33)" in row
    assert "is above Coral&#39;s threshold" in html or "is above Coral's threshold" in html
    assert "keep Coral at 94 or below" in html


def test_coral_decisions_are_not_lifted_by_a_rule_the_site_keeps_to_flag(app, sign_in, admin, site, monkeypatch):
    """As comments:analyze answers: a site keeping its threats rule only to flag gets the threat's own score, 0.26."""
    from moderation.domain.rule_sets import starter_rules

    _coral_decisions(app, site.id, monkeypatch,
                     rules=[{**rule, "action": "flag"} if rule["kind"] == "threat_words" else rule
                            for rule in starter_rules()])
    html = " ".join(sign_in(admin).get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    row = _coral_row(html, "0.600 (60)")
    assert '<td class="num">2</td>' in row and "2 of 3 (0.67)" in row


def test_coral_decisions_of_long_texts_are_scored_no_more_than_a_page_can_wait(app, site):
    """A second re-check: a thousand 19 KB comments kept the thresholds page 205 s at every load."""
    from moderation.models import LabelledExample
    from moderation.perspective import calibration

    with app.app_context():
        for n in range(200):
            db.session.add(LabelledExample(site_id=site.id, text="y" * 1_900, labels={"approved": 1.0},
                                           source="suggestscore", kind="suggestscore", client_token=f"older:{n}"))
        db.session.flush()
        # A third re-check: twelve very long ones sent last pushed out every decision before them.
        for n in range(12):
            db.session.add(LabelledExample(site_id=site.id, text="x" * 19_000, labels={"rejected": 1.0},
                                           source="suggestscore", kind="suggestscore", client_token=f"comment:{n}"))
        db.session.commit()
        found, cut_short = calibration.suggested_decisions(db.session, site.id)
    assert len(found) == calibration.MAX_CHARACTERS // 1_900 and all(len(t) == 1_900 for t, _, _ in found)
    assert cut_short


def test_before_any_preview_the_page_says_the_scores_are_another_versions_and_save_asks(app, sign_in, admin, decided,
                                                                                       fake_model):
    """An admin's walk: right after a promotion the page plotted the old version's scores under the new
    version's threshold and said so only after Preview, beside a Save that asked nothing; the saved
    threshold undid the retrain."""
    with app.app_context():
        db.session.query(Comment).filter(Comment.site_id == decided.id).update({"model_version": "old-1"})
        db.session.commit()
    client = sign_in(admin)
    first = client.get(f"/admin/sites/{decided.id}/thresholds").get_data(as_text=True)
    warning = "8 of these 8 comments were scored by another version than fake-1, which scores this site now: old-1 (8)"
    assert warning in first.split('<form class="card settings"', 1)[0]
    previewed = client.get(f"/admin/sites/{decided.id}/thresholds",
                           query_string={"attribute": "toxicity", "target": "volume", "value": "0.5"}).get_data(as_text=True)
    assert "data-confirm=\"Save a threshold chosen on another version's scores?" in previewed
