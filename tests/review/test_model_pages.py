"""/admin/models: the registered versions, promote for a site or globally, roll back, shadow; audited."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from classifiers import DEFAULT_MODEL_PATH
from classifiers.model import card_path_for
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from moderation.models import AuditEntry, Comment, ModelVersion

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")


@pytest.fixture
def candidate(app, tmp_path) -> str:
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path, "candidate-b"),
                                         var_dir=app.config["VAR_DIR"], notes="retrained on <b>our</b> decisions",
                                         actor=None)
        db.session.commit()
        return row.version


def _post(client, path: str, **form: str):
    token = csrf_token(client.get("/admin/models").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **form})


def test_an_admin_promotes_a_version_for_one_site_and_rolls_it_back(app, sign_in, admin, site, candidate):
    client = sign_in(admin)
    html = client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        shipped = registry.active_version(db.session).version
    assert shipped in html and candidate in html and "candidate" in html
    assert "retrained on &lt;b&gt;our&lt;/b&gt; decisions" in html  # escaped

    # The live version is not offered for promotion where it is live already: globally.
    assert f'aria-label="Promote {shipped} for">\n' in html
    shipped_form = html[html.index(f'aria-label="Promote {shipped} for"'):]
    assert 'data-scope="every site (global)' not in shipped_form[:shipped_form.index("</select>")]

    response = _post(client, "/admin/models/promote", version=candidate, site_id=str(site.id))
    assert response.status_code == 303
    page = client.get("/admin/models").get_data(as_text=True)
    assert f"{candidate} is now active for daily-planet" in page and "Roll back to the global version" in page
    candidate_form = page[page.index(f'aria-label="Promote {candidate} for"'):]
    assert ">daily-planet</option>" not in candidate_form[:candidate_form.index("</select>")]
    with app.app_context():
        assert registry.active_version(db.session, site.id).version == candidate
        assert registry.active_version(db.session).version == shipped

    assert f'name="from_version" value="{candidate}"' in page  # what the page showed, sent back
    with app.app_context():  # a comment the candidate published while it was live
        db.session.add(Comment(site_id=site.id, external_id="c-scored", story_id="s", author_id="a", text="Hello.",
                               body_hash="h", status="published", model_version=candidate,
                               published_by_version=candidate))
        db.session.commit()
    assert _post(client, "/admin/models/rollback", site_id=str(site.id), from_version=candidate).status_code == 303
    # What the rolled-back version did stays, and the message says so (an admin's walk: it said nothing).
    assert (f"What {candidate} scored stays as it is: 1 published and 0 held (the queue&#39;s Published tab, Scored "
            "by version, lists what it published).") in client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        assert registry.active_version(db.session, site.id).version == shipped
    # A second admin's page, still showing the candidate: refused, not rolled forward again.
    _post(client, "/admin/models/rollback", site_id=str(site.id), from_version=candidate)
    assert "was rolled back already" in client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        assert registry.active_version(db.session, site.id).version == shipped
        audited = [(e.actor, e.action, e.details.get("site")) for e in
                   db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert audited == [("user:ada", "model:promoted", "daily-planet"), ("user:ada", "model:rolled_back", "daily-planet")]
    # The card says it too: only the audit log had (an admin's walk).
    with app.app_context():
        version_id = registry.get_version(db.session, candidate).id
    card = client.get(f"/admin/models/{version_id}/card").get_data(as_text=True)
    history = card[card.index("<dt>Promotions and rollbacks</dt>"):].split("</dd>", 1)[0]
    assert "promoted for daily-planet by ada; " in history and "rolled back (daily-planet) by ada" in history


def test_shadow_is_set_and_cleared_and_refusals_are_messages(app, sign_in, admin, candidate):
    client = sign_in(admin)
    _post(client, "/admin/models/shadow", version=candidate)
    assert "Stop shadow" in client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        assert registry.shadow_version(db.session).version == candidate
    _post(client, "/admin/models/shadow")
    with app.app_context():
        assert registry.shadow_version(db.session) is None

    _post(client, "/admin/models/rollback")
    assert "nothing to roll back" in client.get("/admin/models").get_data(as_text=True)
    _post(client, "/admin/models/promote", version="no-such-version")
    assert "there is no model version" in client.get("/admin/models").get_data(as_text=True)
    assert _post(client, "/admin/models/promote", version=candidate, site_id="x").status_code == 400


def test_a_version_s_card_page_shows_its_metrics_and_card(app, sign_in, admin, candidate):
    with app.app_context():
        row = registry.get_version(db.session, candidate)
    html = sign_in(admin).get(f"/admin/models/{row.id}/card").get_data(as_text=True)
    assert candidate in html and row.sha256 in html and "candidate-b" in html and "ROC AUC" in html
    assert "toxicity is at least 0.7 × identity attack" in html  # the shipped card's floor, to compare versions by
    # Its limitations as a list an admin reads before promoting, not only inside the JSON.
    assert '<ul class="limitations"><li>Bag of n-grams' in html and "<li>Violent words used figuratively" in html
    assert "<code>moderation train --site</code>" in html  # the card's `code` spans, as code
    # Its thresholds, and whose own labels it learnt from: what sets two versions apart, which only
    # the raw JSON showed.
    toxicity = row.card["thresholds"]["toxicity"]  # the shipped card's, which each retrain moves a little
    assert f'<td class="num">{toxicity:.3f}</td>' in html and "Sites' own labels</dt><dd>none: public data only" in html
    # How it did on the source it never trained on, beside the pooled rows: only the JSON said (ROC 0.73, not 0.96).
    unseen = row.card["validation_only"]["cad_reddit"]["toxicity"]
    table = html[html.index("On <strong>cad_reddit</strong>, a source it never trained on"):]
    assert table.index('<table class="grid unseen-source">') < table.index("</table>")  # said just above its table
    assert (f'<tr><td>toxicity</td>\n          <td class="num">{unseen["roc_auc"]:.3f}</td>'
            f'<td class="num">{unseen["pr_auc"]:.3f}</td>') in table


def test_a_site_trained_versions_card_names_its_own_labels_and_says_when_they_are_one_sided(
        app, sign_in, admin, tmp_path):
    # As training writes them (classifiers/train.py: label_counts per attribute). The page read a
    # "rejected" count no card held, so it showed "107 labelled comments" for 105 rejected and 2 approved.
    def counts(known: int, toxic: int) -> dict:
        return {"toxicity": {"known": known, "positive": toxic}, "insult": {"known": 30, "positive": 28}}
    training_data = {"own_labels": {"site:daily-planet": {"rows": 80, "label_counts": counts(80, 52)},
                                    "site:other-gazette": {"rows": 107, "label_counts": counts(107, 105)}},
                     "public_sources": {}, "own_label_weight": 2.0}
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path, "own-b", training_data=training_data),
                                         var_dir=app.config["VAR_DIR"], actor=None)
        db.session.commit()
    html = sign_in(admin).get(f"/admin/models/{row.id}/card").get_data(as_text=True)
    assert "daily-planet: 80 labelled comments (52 toxic, 28 not);" in html
    assert ("other-gazette: 107 labelled comments (105 toxic, 2 not) <small class=\"thin\">— one-sided: few approved "
            "comments to learn from") in html
    assert html.count("one-sided") == 1


def test_a_change_without_the_csrf_token_is_refused(app, sign_in, admin, candidate):
    response = sign_in(admin).post("/admin/models/promote", data={"version": candidate})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalars(select(AuditEntry)).all() == []


def test_a_site_id_that_is_not_plain_digits_is_a_400_not_a_500(app, sign_in, admin, candidate):
    client = sign_in(admin)
    for odd in ("²", "٣", "1e3", "-1"):
        assert _post(client, "/admin/models/promote", version=candidate, site_id=odd).status_code == 400, odd


def test_a_card_s_limitations_are_escaped_even_inside_code_spans(app, sign_in, admin, tmp_path):
    # A card comes with an artifact anyone with a shell can register: its text is never markup.
    with app.app_context():
        row = registry.register_artifact(
            db.session, model_variant(tmp_path, "odd-card", limitations=["<b>bold</b> and `<script>x()</script>`"]),
            var_dir=app.config["VAR_DIR"], notes=None, actor=None)
        db.session.commit()
        row_id = row.id
    html = sign_in(admin).get(f"/admin/models/{row_id}/card").get_data(as_text=True)
    assert "<li>&lt;b&gt;bold&lt;/b&gt; and <code>&lt;script&gt;x()&lt;/script&gt;</code></li>" in html
    assert "<script>x()" not in html


def test_a_cards_page_says_which_attributes_a_version_does_not_score_and_how_precision_was_weighed(
        app, sign_in, admin, tmp_path):
    # A candidate trained on a site's few labels had no threat head; only its raw JSON said so.
    with app.app_context():
        row = registry.register_artifact(
            db.session, model_variant(tmp_path, "no-threat", insufficient_data={"threat": {"score_copied_from": "toxicity"}},
                                      thin_data={"insult": "102 positives"}),
            var_dir=app.config["VAR_DIR"], notes=None, actor=None)
        db.session.commit()
        row_id = row.id
    html = sign_in(admin).get(f"/admin/models/{row_id}/card").get_data(as_text=True)
    assert "<small>— not scored: too few examples, uses toxicity's score; site thresholds ignored</small>" in html
    assert "— few examples: 102 positives" in html
    assert "Precision at threshold <small>(pooled)</small>" in html
    assert "the target counts each validation source alike, so the table&#39;s precision, which pools the rows, can read below it" in html


def test_a_sites_own_model_is_offered_for_that_site_and_the_question_names_the_scope(app, sign_in, admin, site,
                                                                                     candidate, tmp_path):
    # A helper promoted a site-trained candidate to every site: the menu said "global" and the
    # question did not say where.
    with app.app_context():
        own = registry.register_artifact(
            db.session, model_variant(tmp_path, "own-b", training_data={"own_labels": {"site:daily-planet": {"rows": 30}}}),
            var_dir=app.config["VAR_DIR"], notes="own labels", actor=None).version
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)

    def promote_form(version: str) -> str:
        start = html.index(f'data-confirm="Make {version} the active version for {{scope}}?"')
        return html[start:html.index("</form>", start)]
    assert f'<option value="{site.id}" data-scope="daily-planet only" selected>' in promote_form(own)
    assert " selected" not in promote_form(candidate)  # a public model: global, the first option


def test_the_promote_question_names_a_site_trained_model_and_a_sites_own_thresholds(app, sign_in, admin, site,
                                                                                   tmp_path):
    from moderation.models import Site

    training_data = {"own_labels": {"site:daily-planet": {"rows": 80}}, "public_sources": {}, "own_label_weight": 2.0}
    with app.app_context():
        registry.register_artifact(db.session, model_variant(tmp_path, "own-c", training_data=training_data),
                                   var_dir=app.config["VAR_DIR"], actor=None)
        db.session.get(Site, site.id).thresholds = {"toxicity": 0.605286}
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    # A walk found the question's second half ungrammatical ("; the own thresholds of ... were chosen ...").
    assert ("every site (global), though it learnt from daily-planet's own decisions (daily-planet's own thresholds "
            "were set on the scores of the model it runs now, which this one may not give)") in html
    assert "daily-planet only, whose own thresholds (toxicity 0.61) were chosen on the scores of the version" in html


def test_a_stale_stop_shadow_leaves_a_shadow_started_since(app, sign_in, admin, candidate, tmp_path):
    with app.app_context():
        other = registry.register_artifact(db.session, model_variant(tmp_path / "o", "candidate-o"),
                                           var_dir=app.config["VAR_DIR"], actor=None).version
        db.session.commit()
    client = sign_in(admin)
    _post(client, "/admin/models/shadow", version=candidate)
    _post(client, "/admin/models/shadow", version=other)  # another admin, meanwhile
    _post(client, "/admin/models/shadow", stopping=candidate)  # the first page's Stop, on the candidate's row
    assert f"{candidate} no longer runs in shadow ({other} does" in client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        assert registry.shadow_version(db.session).version == other


def test_promoting_or_rolling_back_to_another_sites_model_says_whose_decisions_it_learnt(app, sign_in, admin, site,
                                                                                         outsider, tmp_path):
    """A candidate learnt from daily-planet's decisions, promoted for other-gazette, asked only
    'for other-gazette only?'; and 'Roll back' put it back on every site without a word."""
    training_data = {"own_labels": {"site:daily-planet": {"rows": 80}}, "public_sources": {}, "own_label_weight": 2.0}
    with app.app_context():
        own = registry.register_artifact(db.session, model_variant(tmp_path, "own-d", training_data=training_data),
                                         var_dir=app.config["VAR_DIR"], actor=None).version
        db.session.commit()
    client = sign_in(admin)
    html = client.get("/admin/models").get_data(as_text=True)
    assert "other-gazette only, though it learnt from daily-planet's own decisions, not other-gazette's" in html
    assert "daily-planet only, though" not in html  # its own site: nothing to warn of

    with app.app_context():
        registry.promote(db.session, own, by="cli")  # made global from the shell, then undone
        db.session.commit()
        registry.rollback(db.session, by="cli")
        db.session.commit()
    html = client.get("/admin/models").get_data(as_text=True)
    assert (f"Roll global back to {own}? It learnt from daily-planet's own decisions, and would score every "
            "site.") in html


def test_a_site_trained_versions_backtest_link_chooses_that_site(app, sign_in, admin, tmp_path, make_site):
    """The link chose the first site by name, not the one whose decisions the version learnt."""
    first, trained = make_site("aardvark-times"), make_site("zephyr-post")
    training_data = {"own_labels": {"site:zephyr-post": {"rows": 80}}, "public_sources": {}, "own_label_weight": 2.0}
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path, "own-z", training_data=training_data),
                                         var_dir=app.config["VAR_DIR"], actor=None)
        db.session.commit()
    client = sign_in(admin)
    html = client.get("/admin/backtest", query_string={"candidate": row.version}).get_data(as_text=True)
    assert f'<option value="{trained.id}" selected>zephyr-post (0 decided)</option>' in html
    assert f'<option value="{first.id}" >aardvark-times (0 decided)</option>' in html


def test_a_version_trained_by_a_run_from_the_shell_names_the_shell_account(app, sign_in, admin, candidate):
    """It showed "trained by —" where its run named "cli:root"."""
    from moderation.models import TrainingRun

    with app.app_context():
        row = registry.get_version(db.session, candidate)
        db.session.add(TrainingRun(state="succeeded", requested_by="cli:newsdesk", version_id=row.id))
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    assert "<td>cli:newsdesk</td>" in html


def test_a_candidate_trained_from_the_shell_names_the_shell_account_on_both_pages(app, sign_in, admin, services,
                                                                                monkeypatch, tmp_path):
    """`moderation train` registers what it wrote: the models page said "trained by —" of it."""
    from moderation.cli.context import cli_actor
    from moderation.cli.registry_commands import register_trained

    for name, value in services.env().items():
        monkeypatch.setenv(name, value)
    register_trained(model_variant(tmp_path, "civility", trained_at="2026-11-30T02:00:00+00:00"))
    with app.app_context():
        row = db.session.scalars(select(ModelVersion).where(ModelVersion.notes.like("moderation train, %"))).one()
    client = sign_in(admin)

    assert f"<td>{cli_actor()}</td>" in client.get("/admin/models").get_data(as_text=True)
    assert f" by {cli_actor()}</dd>" in client.get(f"/admin/models/{row.id}/card").get_data(as_text=True)


def test_the_promote_question_repeats_the_cards_one_sided_warning(app, sign_in, admin, site, tmp_path):
    """An admin's walk: the warning lived only on the card page, which promoting never shows."""
    own = {"site:daily-planet": {"rows": 20, "label_counts": {"toxicity": {"known": 20, "positive": 19}}}}
    with app.app_context():
        registry.register_artifact(db.session, model_variant(tmp_path, "thin-j", training_data={"own_labels": own}),
                                   var_dir=app.config["VAR_DIR"], actor=None)
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    assert ("the active version for {scope}? It learnt from daily-planet&#39;s 20 labels (19 toxic, 1 not): "
            "one-sided") in html


def test_a_promotion_from_a_page_drawn_before_another_admins_promotion_is_refused(app, sign_in, admin, site, candidate,
                                                                                  tmp_path):
    """An admin's walk: the second admin's stale Promote replaced the first's promotion, seconds old, unsaid."""
    import re

    client = sign_in(admin)
    stale = client.get("/admin/models").get_data(as_text=True)
    seen = re.search(r'name="assignments_seen" value="([0-9a-f]+)"', stale).group(1)
    with app.app_context():  # the other admin's promotion, meanwhile
        row = registry.register_artifact(db.session, model_variant(tmp_path, "theirs-l"), var_dir=app.config["VAR_DIR"],
                                         actor=None)
        registry.promote(db.session, row.version, by="user:other", site_id=site.id)
        db.session.commit()
        theirs = row.version

    response = client.post("/admin/models/promote", data={"csrf_token": csrf_token(stale), "version": candidate,
                                                           "site_id": str(site.id), "assignments_seen": seen})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "someone changed which version scores since you opened the page; nothing was promoted" in page
    with app.app_context():
        assert registry.active_version(db.session, site.id).version == theirs


def test_the_versions_table_shows_each_versions_hold_thresholds(app, sign_in, admin, candidate):
    """An admin's walk: five versions with the same pooled AUCs; what set the retrained ones apart was their thresholds."""
    with app.app_context():
        row = registry.get_version(db.session, candidate)
        toxicity = row.card["thresholds"]["toxicity"]
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    row_html = html[html.index(f"<code>{candidate}</code>"):]
    assert f"toxicity {toxicity:.2f}" in row_html[row_html.index('class="hold-at"'):row_html.index("</tr>")]


def test_a_global_promotion_names_the_sites_it_reaches_not_those_on_their_own_version(app, sign_in, admin, site,
                                                                                      outsider, candidate, tmp_path):
    """An admin's walk: with herald and gazette on versions of their own, the global Promote asked about
    "every site" and warned of herald's thresholds, though it reaches neither; courier went unnamed."""
    from moderation.models import Site

    with app.app_context():
        registry.promote(db.session, candidate, site_id=site.id, by="cli:test")
        db.session.get(Site, site.id).thresholds = {"toxicity": 0.605286}
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    scope = re.search(r'<option value="" data-scope="([^"]*)">global</option>', html).group(1)
    assert scope == ("every site without a version of its own (global): other-gazette, and sites added later; "
                     "daily-planet runs its own and is not changed")


def test_an_admin_discards_a_candidate_and_its_artifact_goes_but_its_card_stays(app, sign_in, admin, candidate, tmp_path):
    """An admin's walk: every retrain kept about 8.6 MB in the database and in every dump, with no way to
    throw a candidate away."""
    from sqlalchemy import func

    from moderation.models import AuditEntry, ModelVersion

    client = sign_in(admin)
    client.get("/admin/models")  # the shipped model becomes the global version
    with app.app_context():
        row = registry.get_version(db.session, candidate)
        stored = Path(app.config["VAR_DIR"]) / row.artifact
        assert stored.exists()
        shipped = registry.active_version(db.session).version
    response = _post(client, "/admin/models/discard", version=candidate)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{candidate} discarded: its artifact is gone" in page
    with app.app_context():
        left = db.session.scalar(select(func.length(ModelVersion.artifact_bytes)).where(ModelVersion.version == candidate))
        assert left == 0 and registry.get_version(db.session, candidate).card  # the card stays
        assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "model:discarded")).all()
    assert not stored.exists()
    row_html = page[page.index(f"<code>{candidate}</code>"):]
    assert "discarded: its artifact is gone" in row_html[:row_html.index("</tr>")]
    # Nothing brings it back to score: promoting it, or discarding what scores, is refused.
    refused = client.get(_post(client, "/admin/models/promote", version=candidate).headers["Location"])
    assert f"{candidate} was discarded: its artifact is gone" in refused.get_data(as_text=True)
    refused = client.get(_post(client, "/admin/models/discard", version=shipped).headers["Location"])
    assert f"{shipped} is active: only a candidate can be discarded" in refused.get_data(as_text=True)


def test_a_deactivated_sites_own_version_is_marked_as_scoring_nothing(app, sign_in, admin, site, candidate):
    """An admin's walk: a deactivated site stayed in the active versions table with no mark."""
    from moderation.domain.sites import set_site_active
    from moderation.models import Site

    with app.app_context():
        registry.promote(db.session, candidate, site_id=site.id, by="cli:test")
        set_site_active(db.session, db.session.get(Site, site.id), active=False, actor="test")
        db.session.commit()
    html = sign_in(admin).get("/admin/models").get_data(as_text=True)
    table = html[html.index("model-assignments"):html.index("</table>", html.index("model-assignments"))]
    assert "daily-planet <small class=\"muted\">(deactivated: scores nothing)</small>" in table


def test_a_cards_own_labels_say_how_many_trained_it_and_warn_when_none_did(app, sign_in, admin, tmp_path):
    """A data scientist's walk: all 800 of their site's decisions fell in validation, and the card and
    the comparison said "800 labelled comments", so "we retrained on 800 of our decisions" was wrong."""
    counts = {"toxicity": {"known": 800, "positive": 289}}
    training_data = {"own_labels": {"site:my-site": {"rows": 800, "label_counts": counts, "trained_on": 0,
                                                     "validation": 800}},
                     "public_sources": {}, "own_label_weight": 2.0}
    shipped = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    metrics = {**shipped["metrics"], "validation_by_source": {
        **shipped["metrics"]["validation_by_source"],
        "site:my-site": {"toxicity": {"n": 800, "positives": 289, "roc_auc": 0.554, "pr_auc": 0.41,
                                      "precision": 0.62, "recall": 0.26, "threshold": 0.945}}}}
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path, "own-none", training_data=training_data,
                                                                   metrics=metrics),
                                         var_dir=app.config["VAR_DIR"], actor=None)
        db.session.commit()
    client = sign_in(admin)
    html = client.get(f"/admin/models/{row.id}/card").get_data(as_text=True)
    assert ("my-site: 800 labelled comments (289 toxic, 511 not): 0 trained on, 800 kept to measure it "
            "<strong class=\"thin\">— none trained on: this version learnt nothing from them</strong>") in html
    assert "The pooled metrics and the thresholds below are on the public rows" in html
    # What the version does on the site's own decisions, which the card held only in its JSON.
    mine = html[html.index("On <strong>my-site</strong>'s own decisions kept to measure it (800 comments)"):]
    assert ('<tr><td>toxicity</td><td class="num">800</td><td class="num">0.554</td><td class="num">0.410</td>'
            '<td class="num">0.620</td><td class="num">0.260</td>') in mine.replace("\n          ", "")


def test_a_site_promoted_twice_is_offered_the_global_version_again(app, sign_in, admin, site, candidate, tmp_path):
    with app.app_context():
        third = registry.register_artifact(db.session, model_variant(tmp_path / "third", "third-c"),
                                           var_dir=app.config["VAR_DIR"], actor=None).version
        db.session.commit()
    client = sign_in(admin)
    for version in (candidate, third):
        assert _post(client, "/admin/models/promote", version=version, site_id=str(site.id)).status_code == 303
    page = client.get("/admin/models").get_data(as_text=True)
    assert "Follow the global version" in page and f"Roll back to {candidate}" in page
    response = _post(client, "/admin/models/follow-global", site_id=str(site.id), from_version=third,
                     reason="the shared model is better now")
    assert response.status_code == 303
    page = client.get("/admin/models").get_data(as_text=True)
    assert "daily-planet follows the global version again." in page and "Follow the global version" not in page
    # Why, on the card of the version set aside: follow-global took no reason, and its card no line (a re-check).
    with app.app_context():
        version_id = registry.get_version(db.session, third).id
    card = html.unescape(" ".join(client.get(f"/admin/models/{version_id}/card").get_data(as_text=True).split()))
    assert "no longer daily-planet's own version (daily-planet follows the global version) by ada (why: <bdi>the shared model is better now</bdi>)" in card


def test_promoting_a_version_whose_threshold_holds_almost_nothing_says_so_first(app, sign_in, admin, tmp_path):
    """A data scientist's walk: a retrained version's toxicity threshold was 0.999, and its promotion
    asked nothing; it would have published 3 in 4 of what the site wanted held."""
    shipped = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(
            tmp_path, "too-high", thresholds={**shipped["thresholds"], "toxicity": 0.9992}),
            var_dir=app.config["VAR_DIR"], actor=None)
        db.session.commit()
    page = sign_in(admin).get("/admin/models").get_data(as_text=True)
    asked = re.search(rf'data-confirm="Make {row.version} the active version for {{scope}}\\?([^"]*)"', page).group(1)
    assert "Its toxicity threshold is 0.95 or more, so it holds almost nothing there" in asked


def test_the_models_page_names_a_shipped_model_not_registered_here(app, sign_in, admin, tmp_path, monkeypatch):
    """An operator's upgrade: the newer shipped model was told once, in the terminal only."""
    import shutil

    client = sign_in(admin)
    assert "not\n    registered here" not in client.get("/admin/models").get_data(as_text=True)  # the shipped one is
    newer = tmp_path / "release" / "civility.skops"
    newer.parent.mkdir()
    shutil.copy(DEFAULT_MODEL_PATH, newer)
    card = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text())
    card_path_for(newer).write_text(json.dumps({**card, "trained_at": "2027-01-15T00:00:00+00:00"}))
    monkeypatch.setitem(app.config, "MODEL_PATH", str(newer))
    html = client.get("/admin/models").get_data(as_text=True)
    assert re.search(r"This release ships model 2027\.01\.15-\w+ \(civility\.skops\), which is not\s+registered here", html)
    assert f"moderation models register {newer}" in html


def test_a_promotion_from_the_shell_names_the_shell_account_and_the_reason_as_the_audit_log_does(
        app, sign_in, admin, site, candidate):
    """A data scientist's walk: a CLI promotion showed "the shell (cli) or the first start" where the audit
    log said cli:root, and no one could tell why a version was promoted or rolled back."""
    with app.app_context():
        registry.promote(db.session, candidate, by="cli:root", site_id=site.id, reason="backtest: caught 19 of 25")
        db.session.commit()
    client = sign_in(admin)
    row = client.get("/admin/models").get_data(as_text=True).split('class="grid model-assignments"')[1]
    row = row[row.index("daily-planet"):].split("</tr>")[0]
    assert "cli:root (the shell)" in row and "why: <bdi>backtest: caught 19 of 25</bdi>" in row
    assert "the first start" not in row

    # Rolled back from the page with a reason: the audit entry keeps it, and the card's history shows it.
    assert _post(client, "/admin/models/rollback", site_id=str(site.id), from_version=candidate,
                 reason="  derby night:\n holds every celebration ").status_code == 303
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "model:rolled_back")).one()
        assert (entry.actor, entry.details["reason"]) == ("user:ada", "derby night: holds every celebration")
        version_id = registry.get_version(db.session, candidate).id
    card = client.get(f"/admin/models/{version_id}/card").get_data(as_text=True)
    # Isolated: a reason with a right-to-left override had mirrored every later event ("by alice" drawn
    # "ecila yb", a re-check).
    assert "rolled back (daily-planet) by ada (why: <bdi>derby night: holds every celebration</bdi>)" in card


def test_a_promotion_from_the_page_keeps_its_reason_and_a_too_long_one_is_refused(app, sign_in, admin, site, candidate):
    client = sign_in(admin)
    _post(client, "/admin/models/promote", version=candidate, site_id=str(site.id), reason="x" * 501)
    assert "the reason must be at most 500 characters" in client.get("/admin/models").get_data(as_text=True)
    with app.app_context():
        assert registry.active_version(db.session, site.id).version != candidate
    _post(client, "/admin/models/promote", version=candidate, site_id=str(site.id), reason="better on our decisions")
    row = client.get("/admin/models").get_data(as_text=True).split('class="grid model-assignments"')[1]
    row = row[row.index("daily-planet"):].split("</tr>")[0]
    assert ">ada<br><small" in row and "why: <bdi>better on our decisions</bdi>" in row
