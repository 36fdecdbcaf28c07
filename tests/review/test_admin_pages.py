"""Admins' pages: per-site settings with validation and audit, the loaded model, the audit log."""
from types import SimpleNamespace

import pytest
from review_helpers import csrf_token
from sqlalchemy import select

from moderation import db
from moderation.admin.model_card import card_summary
from moderation.model_provider import FixedModels, ModelProvider
from moderation.models import AuditEntry, Site

VALID = {"moderation_mode": "post", "hold_toxicity": "0.7", "hold_insult": "", "auto_reject": "on",
         "reject_severe_toxicity": "0.95", "report_threshold": "3", "webhook_url": "https://planet.example/hook"}


@pytest.fixture
def fake_model(app):
    app.extensions["models"] = FixedModels(SimpleNamespace(
        version="civility-2026.11-abc123", attributes=("toxicity", "insult"),
        thresholds={"toxicity": 0.8, "insult": 0.75},
        card={"trained_at": "2026-11-20", "metrics": {"validation_pooled": {"toxicity": {"roc_auc": 0.931}}},
              "insufficient_data": {"threat": {"score_copied_from": "toxicity"}},
              "thin_data": {"insult": "102 positives labelled by people, 256 more <from label rules>"},
              "identity_term_neutralisation": {"heads": ["toxicity", "insult"], "terms": ["gay", "<b>biden"],
                                               "word_only": ["jews", "gay"]},
              "threshold_selection": {"identity_attack": {"target_precision": 0.9, "lowest_allowed": 0.5},
                                      "profanity": {"target_precision": 0.9, "target_reached": False}},
              "scoring": {"floors": {"pairs": [{"attribute": "toxicity", "at_least": "identity_attack", "scale": 0.7},
                                               {"attribute": "insult"}, "not a pair"]}},
              "data": {"train_rows": 1234, "sources": {"jigsaw2018": {"licence": "CC0", "trainable": True, "weight": 1.0},
                                                     "hatexplain": {"licence": "MIT", "weight": 0.5}}}},
    ))


def _post_settings(client, site_id, form):
    token = csrf_token(client.get(f"/admin/sites/{site_id}").get_data(as_text=True))
    return client.post(f"/admin/sites/{site_id}", data={"csrf_token": token, **form})


def test_an_admin_sees_sites_and_the_loaded_model(sign_in, admin, site, fake_model):
    html = sign_in(admin).get("/admin").get_data(as_text=True)
    assert "daily-planet" in html and "civility-2026.11-abc123" in html
    assert "0.931" in html and "2026-11-20" in html and "1234 training rows" in html and "jigsaw2018" in html
    assert "uses toxicity's score" in html
    assert "<strong>ROC AUC</strong>, how often it scores an uncivil comment" in html  # in words, for an editor
    # A source that weighs less than its size says shows it; one at the usual weight does not.
    assert "hatexplain</span> <small>(MIT)</small> <small>weight ×0.5</small>" in html
    assert html.count("weight ×") == 1
    # An attribute with few labelled examples says so, in the card's words (escaped).
    assert "few examples: 102 positives labelled by people, 256 more &lt;from label rules&gt;" in html
    assert html.count("few examples") == 1
    # Which words can never count against a comment, and for which scores (escaped).
    assert "3 identity words and names whose own features (the word, and for most its letter runs of four or more) weigh nothing in toxicity or insult; their shorter letter runs still can" in html
    assert "&lt;b&gt;biden, gay, jews" in html
    # Which scores are never below another's, so an admin knows why "jews" can stand behind toxicity.
    assert "toxicity is at least 0.7 × identity attack <small>" in html  # the malformed pairs are left out
    assert "identity attack: precision ≥ 0.90; profanity: precision ≥ 0.90 (not reached); none below 0.50" in html


def test_the_admin_page_still_renders_when_the_model_cannot_load(app, sign_in, admin, site, tmp_path):
    # An empty registry (each test starts with one) and nothing at the model path to bootstrap it from.
    app.extensions["models"] = ModelProvider(app.extensions["db_engine"], var_dir=tmp_path,
                                             model_path=tmp_path / "missing-model.skops")
    response = sign_in(admin).get("/admin")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "The model could not be loaded" in html and "daily-planet" in html


def test_an_admin_changes_site_settings_and_each_change_is_audited(app, sign_in, admin, site, fake_model):
    client = sign_in(admin)
    response = _post_settings(client, site.id, VALID)
    assert response.status_code == 303
    with app.app_context():
        saved = db.session.get(Site, site.id)
        assert saved.moderation_mode == "post" and saved.thresholds == {"toxicity": 0.7}
        assert saved.auto_reject is True and saved.reject_thresholds == {"severe_toxicity": 0.95}
        assert saved.report_threshold == 3.0 and saved.webhook_url == "https://planet.example/hook"
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
        assert {e.details["setting"] for e in entries} == {"moderation_mode", "thresholds", "auto_reject",
                                                            "reject_thresholds", "report_threshold", "webhook_url"}
        assert all(e.actor == "user:ada" and e.action == "site:settings_changed" for e in entries)
        mode = next(e for e in entries if e.details["setting"] == "moderation_mode")
        assert mode.details["old"] == "pre" and mode.details["new"] == "post"
    # Saving the same values again changes nothing and audits nothing.
    _post_settings(client, site.id, VALID)
    with app.app_context():
        assert len(db.session.scalars(select(AuditEntry)).all()) == 6
    assert "site:settings_changed" in client.get("/admin/audit").get_data(as_text=True)



def test_an_auto_reject_threshold_below_the_hold_threshold_is_refused(app, sign_in, admin, site, fake_model):
    """A head of community saved "hold 0.9 / auto-reject 0.5" for toxicity without a word."""
    client = sign_in(admin)
    response = _post_settings(client, site.id, {**VALID, "hold_toxicity": "0.9", "reject_toxicity": "0.5"})
    assert response.status_code == 400 and "below its hold threshold" in response.get_data(as_text=True)
    # A blank hold threshold is the model's: auto-reject under it was accepted (an adversarial walk).
    blank = {k: v for k, v in VALID.items() if not k.startswith(("hold_", "reject_"))}
    response = _post_settings(client, site.id, {**blank, "auto_reject": "on", "reject_toxicity": "0.0001"})
    assert response.status_code == 400 and "auto-reject threshold (0.0001) is below its hold threshold" in \
        response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Site, site.id).reject_thresholds == {}


def test_a_threshold_of_one_shows_as_off(app, sign_in, admin, site, fake_model):
    client = sign_in(admin)
    assert _post_settings(client, site.id, {**VALID, "hold_insult": "1"}).status_code == 303
    html = client.get("/admin").get_data(as_text=True)
    assert "insult off, toxicity 0.700" in html
    assert "A hold threshold of 1 holds nothing: insult no longer holds any comment, whatever its score." in html


def test_automatic_rejection_with_nothing_to_reject_at_is_saved_with_a_warning(app, sign_in, admin, site, fake_model):
    """An editor's walk: "Auto-reject: on" was saved and shown with no reject threshold, and reject
    thresholds with it off, each without a word; a probe had to show nothing was rejected."""
    client = sign_in(admin)
    blank = {k: v for k, v in VALID.items() if not k.startswith("reject_")}
    _post_settings(client, site.id, {**blank, "auto_reject": "on"})
    on_alone = client.get("/admin").get_data(as_text=True)
    _post_settings(client, site.id, {**{k: v for k, v in blank.items() if k != "auto_reject"}, "reject_insult": "0.9"})
    thresholds_alone = client.get("/admin").get_data(as_text=True)
    _post_settings(client, site.id, {**blank, "auto_reject": "on", "reject_insult": "0.9"})
    both = client.get("/admin").get_data(as_text=True)

    assert "Automatic rejection is on, but no attribute has an auto-reject threshold" in on_alone
    assert "<td>on, with no threshold: rejects nothing</td>" in on_alone and "<td>post-moderation</td>" in on_alone
    assert "The auto-reject thresholds are saved, but automatic rejection is off" in thresholds_alone
    assert "Automatic rejection is on, but" not in both and "automatic rejection is off" not in both
    # A threshold of 1 rejects nothing, and one of 0.01 holds nearly everything (a re-check).
    _post_settings(client, site.id, {**blank, "auto_reject": "on", "reject_insult": "1", "hold_insult": "0.01"})
    extremes = client.get("/admin").get_data(as_text=True)
    assert "Automatic rejection is on, but no attribute has an auto-reject threshold" in extremes
    assert "A hold threshold this low holds nearly every comment, civil ones too: insult 0.01." in extremes


def test_the_sites_table_names_attributes_and_rounds_thresholds_as_the_thresholds_page_does(app, sign_in, admin, site,
                                                                                          fake_model):
    """An admin's walk: "severe_toxicity 0.6, toxicity 0.918142" here, "severe toxicity" and "0.918" elsewhere."""
    with app.app_context():
        db.session.get(Site, site.id).thresholds = {"severe_toxicity": 0.6, "toxicity": 0.918142}
        db.session.commit()
    html = sign_in(admin).get("/admin").get_data(as_text=True)
    assert "severe toxicity 0.600, toxicity 0.918" in html and "0.918142" not in html

@pytest.mark.parametrize("field, value", [
    ("hold_toxicity", "1.5"), ("hold_toxicity", "-0.1"), ("reject_threat", "nan"), ("hold_insult", "high"),
    ("report_threshold", "0"), ("moderation_mode", "sometimes"), ("webhook_url", "ftp://planet.example/"),
    ("webhook_url", "javascript:alert(1)"),
    # A walk: 1e308 turned reports off unseen, and float() read an Arabic-Indic one as 1.0, a hold off.
    ("report_threshold", "1e308"), ("report_threshold", "١"), ("hold_toxicity", "١"),
    ("report_threshold", "1_0"), ("hold_toxicity", "0_0"), ("storm_calm_minutes", "٣"),  # a re-check
    ("hold_threat", "0"), ("reject_toxicity", "0.0"),  # an admin's walk: a hold at 0 held every comment
    # Another: 1e-300 was saved as typed and rejected every civil comment; the thresholds page's floor.
    ("reject_toxicity", "1e-300"), ("hold_toxicity", "5e-324"), ("hold_insult", "0.0000004"),
])
def test_it_refuses_invalid_settings_and_keeps_the_old_ones(app, sign_in, admin, site, field, value):
    response = _post_settings(sign_in(admin), site.id, {**VALID, field: value})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="flash flash-error"' in html and 'aria-invalid="true"' in html
    with app.app_context():
        saved = db.session.get(Site, site.id)
        assert saved.moderation_mode == "pre" and saved.thresholds == {}
        assert db.session.scalars(select(AuditEntry)).all() == []


@pytest.mark.parametrize("floors", [{"pairs": 5}, {"pairs": None}, "floors", {"pairs": [{"attribute": "toxicity", "at_least": "identity_attack", "scale": True}]}])
def test_a_card_with_odd_floors_still_summarises(floors):
    assert card_summary({"scoring": {"floors": floors}})["floors"] == []


@pytest.mark.parametrize("limitations", ["one long string", None, {"a": "b"}, ["kept", 5, None]])
def test_a_card_with_odd_limitations_still_summarises(limitations):
    # A string is not a list of lines: listed letter by letter it would fill the page.
    expected = [[("kept", False)]] if isinstance(limitations, list) else []
    assert card_summary({"limitations": limitations})["limitations"] == expected


def test_a_limitation_s_backticks_mark_its_code():
    summary = card_summary({"limitations": ["retrain it (`moderation train --site`).", "`evaluate` first"]})
    assert summary["limitations"] == [[("retrain it (", False), ("moderation train --site", True), (").", False)],
                                      [("evaluate", True), (" first", False)]]


def test_a_blank_threshold_shows_the_model_default_it_stands_for(sign_in, admin, site, fake_model):
    html = sign_in(admin).get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert 'name="hold_toxicity"' in html
    hold = html[html.index('name="hold_toxicity"'):].split(">", 1)[0]
    reject = html[html.index('name="reject_toxicity"'):].split(">", 1)[0]
    assert 'placeholder="0.80"' in hold and 'placeholder="off"' in reject


class _PerSite(FixedModels):
    """The global model for every site but one, which runs its own version (promoted for it alone)."""

    def __init__(self, model, own_site_id: int, own) -> None:
        super().__init__(model)
        self.own_site_id, self.own = own_site_id, own

    def for_site(self, site_id):
        return self.own if site_id == self.own_site_id else self.model


def test_a_site_with_its_own_model_shows_that_models_defaults_and_says_so(app, sign_in, admin, site, make_site,
                                                                          fake_model):
    other = make_site("daily-bugle")
    glob = app.extensions["models"].model
    own = SimpleNamespace(version="own-b", attributes=("toxicity",), thresholds={"toxicity": 0.757}, card={})
    app.extensions["models"] = _PerSite(glob, site.id, own)
    client = sign_in(admin)

    html = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    hold = html[html.index('name="hold_toxicity"'):].split(">", 1)[0]
    assert 'placeholder="0.76"' in hold  # its own model's threshold, not the global 0.80
    assert "scored by <code>own-b</code> (its own version; the other sites: <code>civility-2026.11-abc123</code>)" in html
    insult = html[html.index('name="hold_insult"'):].split(">", 1)[0]
    assert "placeholder" in insult and 'placeholder=""' in insult  # own-b does not score insult
    assert "insult <small>(not scored reliably by this site's model: ignored)" in html

    other_html = client.get(f"/admin/sites/{other.id}").get_data(as_text=True)
    assert "scored by <code>civility-2026.11-abc123</code>:" in other_html and "its own version" not in other_html


def _loaded_form(client, site_id) -> dict:
    """The settings form as the page fills it: its hidden `loaded` copy and every field's value."""
    import html as html_lib
    import re

    page = client.get(f"/admin/sites/{site_id}").get_data(as_text=True)
    loaded = html_lib.unescape(re.search(r'name="loaded" value="([^"]*)"', page).group(1))
    return {"loaded": loaded, "moderation_mode": "pre", "report_threshold": "2", "csrf_token": csrf_token(page)}


def test_two_admins_changing_two_thresholds_on_stale_pages_both_keep_theirs(app, sign_in, admin, site, fake_model):
    """alice saved toxicity 0.7; carol, on a page opened before, saved profanity 0.8 and erased alice's 0.7."""
    client = sign_in(admin)
    alices, carols = _loaded_form(client, site.id), _loaded_form(client, site.id)
    assert client.post(f"/admin/sites/{site.id}", data={**alices, "hold_toxicity": "0.7"}).status_code == 303
    assert client.post(f"/admin/sites/{site.id}", data={**carols, "hold_profanity": "0.8"}).status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).thresholds == {"toxicity": 0.7, "profanity": 0.8}


def test_a_stale_page_changing_the_same_setting_is_refused_and_shows_the_other_admins_value(
        app, sign_in, admin, site, fake_model):
    client = sign_in(admin)
    alices, carols = _loaded_form(client, site.id), _loaded_form(client, site.id)
    client.post(f"/admin/sites/{site.id}", data={**alices, "hold_toxicity": "0.7"})

    response = client.post(f"/admin/sites/{site.id}", data={**carols, "hold_toxicity": "0.9", "report_threshold": "5"})

    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Another admin changed hold thresholds (toxicity) since you opened this page; nothing was saved" in page
    assert 'name="hold_toxicity"' in page and 'value="0.7"' in page
    with app.app_context():
        saved = db.session.get(Site, site.id)
        assert saved.thresholds == {"toxicity": 0.7} and saved.report_threshold == 2.0


def _thresholds_as_saved(app, site_id: int, *, hold: dict, reject: dict) -> None:
    with app.app_context():
        saved = db.session.get(Site, site_id)
        saved.auto_reject, saved.thresholds, saved.reject_thresholds = True, hold, reject
        db.session.commit()


def test_two_admins_whose_saves_merge_into_auto_reject_below_hold_are_refused(app, sign_in, admin, site, fake_model):
    """Each save passed the check alone, and the merge stored hold 0.9 beside auto-reject 0.7 (a re-check)."""
    _thresholds_as_saved(app, site.id, hold={"toxicity": 0.6}, reject={"toxicity": 0.95})
    client = sign_in(admin)
    as_shown = {"auto_reject": "on", "hold_toxicity": "0.6", "reject_toxicity": "0.95"}
    alices, carols = ({**_loaded_form(client, site.id), **as_shown} for _ in range(2))
    assert client.post(f"/admin/sites/{site.id}", data={**alices, "reject_toxicity": "0.7"}).status_code == 303
    response = client.post(f"/admin/sites/{site.id}", data={**carols, "hold_toxicity": "0.9"})
    assert response.status_code == 400
    assert "auto-reject threshold (0.7) is below its hold threshold (0.9)" in response.get_data(as_text=True)
    with app.app_context():
        saved = db.session.get(Site, site.id)
        assert saved.thresholds == {"toxicity": 0.6} and saved.reject_thresholds == {"toxicity": 0.7}


def test_a_pair_saved_before_the_check_is_shown_and_holds_up_no_other_setting(app, sign_in, admin, site, fake_model):
    """After an upgrade, hold 0.9 beside auto-reject 0.5 from an older release refused every save,
    the moderation mode's too, and nothing said so until then (an upgrade walk)."""
    _thresholds_as_saved(app, site.id, hold={"toxicity": 0.9}, reject={"toxicity": 0.5})
    client = sign_in(admin)
    page = client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    assert "As saved now, the toxicity auto-reject threshold (0.5) is below its hold threshold (0.9)" in page
    as_shown = {"auto_reject": "on", "hold_toxicity": "0.9", "reject_toxicity": "0.5"}
    form = {**_loaded_form(client, site.id), **as_shown, "moderation_mode": "post"}
    assert client.post(f"/admin/sites/{site.id}", data=form).status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).moderation_mode == "post"
    changed = client.post(f"/admin/sites/{site.id}", data={**_loaded_form(client, site.id), **as_shown,
                                                            "moderation_mode": "post", "hold_toxicity": "0.8"})
    assert changed.status_code == 400 and "is below its hold threshold (0.8)" in changed.get_data(as_text=True)


def test_two_stale_pages_setting_the_same_value_agree(app, sign_in, admin, site, fake_model):
    client = sign_in(admin)
    alices, carols = _loaded_form(client, site.id), _loaded_form(client, site.id)
    assert client.post(f"/admin/sites/{site.id}", data={**alices, "report_threshold": "5", "hold_toxicity": "0.7"}
                       ).status_code == 303
    assert client.post(f"/admin/sites/{site.id}", data={**carols, "report_threshold": "5", "hold_toxicity": "0.7"}
                       ).status_code == 303
    with app.app_context():
        saved = db.session.get(Site, site.id)
        assert saved.report_threshold == 5.0 and saved.thresholds == {"toxicity": 0.7}


def test_pages_name_their_navigation_label_every_column_and_offer_a_skip_link(sign_in, admin, site, fake_model):
    """An accessibility walk: unnamed navs (axe landmark-unique), empty header cells a screen reader
    reads as nothing (empty-table-header), and 20 Tab stops before the first card."""
    client = sign_in(admin)
    for path in ("/admin/", "/admin/accounts", "/review", "/admin/webhooks/dead-letters", "/admin/set-aside"):
        html = client.get(path).get_data(as_text=True)
        assert "<th></th>" not in html, path
        assert '<nav aria-label="Main">' in html, path
        assert html.index('<a class="skip-link" href="#main">') < html.index('<header class="topbar">'), path
        assert '<main id="main" tabindex="-1">' in html, path


def test_the_sites_table_says_which_version_scores_each_site(app, sign_in, admin, site, make_site, fake_model, tmp_path):
    """An admin's walk: "model defaults" beside each site, the global model's shown below, where a site ran its own."""
    from model_variants import model_variant

    from moderation.domain import model_registry as registry

    other = make_site("other-gazette")
    with app.app_context():
        row = registry.register_artifact(db.session, model_variant(tmp_path, "own-m"), var_dir=app.config["VAR_DIR"],
                                         actor=None)
        registry.promote(db.session, row.version, by="test", site_id=site.id)
        db.session.commit()
        version = row.version
    html = sign_in(admin).get("/admin").get_data(as_text=True)
    ours = html[html.index(f'id="site-{site.id}"'):]
    theirs = html[html.index(f'id="site-{other.id}"'):]
    assert f"its own: <code>{version}</code>" in ours[:ours.index("</tr>")]
    assert '<span class="muted">the global model</span>' in theirs[:theirs.index("</tr>")]


def test_a_threshold_is_kept_to_the_six_places_the_pages_show(app, sign_in, admin, site):
    """A re-check: 0.0000006 was kept as typed, shown as 0.000001 on /admin and 6e-07 in its field."""
    response = _post_settings(sign_in(admin), site.id, {**VALID, "hold_toxicity": "0.0000006"})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Site, site.id).thresholds == {"toxicity": 0.000001}


def test_each_sites_edit_link_and_the_operations_lists_say_what_they_open(sign_in, admin, make_site):
    """An accessibility review: a screen reader's list of links read "Edit, Edit" and "list, list"."""
    import re

    make_site("first-gazette")
    make_site("second-gazette")
    client = sign_in(admin)
    html = client.get("/admin").get_data(as_text=True)
    links = [re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r'<a href="/admin/sites/\d+">(.*?)</a>', html)]
    assert "Edit second-gazette" in links and len(set(links)) == len(links) > 1
    assert '<th scope="row">second-gazette</th>' in html
    operations = client.get("/admin/operations").get_data(as_text=True)
    named = [re.sub(r"<[^>]+>", "", t) for t in re.findall(r'<a href="[^"]+">(list.*?)</a>', operations)]
    assert named == ["list of dead letters", "list of comments set aside"]


def test_where_thresholds_are_typed_the_page_says_they_are_not_perspectives(sign_in, admin, site, fake_model):
    """A migrating site's walk: no admin page said Perspective's 0.80 is not this model's 0.80; typed
    as the hold, it held 27 % fewer comments."""
    client = sign_in(admin)
    assert "These are this model's scores, not Perspective's" in client.get(f"/admin/sites/{site.id}").get_data(as_text=True)
    thresholds = " ".join(client.get(f"/admin/sites/{site.id}/thresholds").get_data(as_text=True).split())
    assert "a threshold tuned on Perspective does not carry over" in thresholds
