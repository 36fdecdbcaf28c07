"""/admin/models/compare: two versions' cards side by side, with what changed and whether the
numbers can be compared at all."""
from __future__ import annotations

import copy
import json

import pytest

from classifiers import DEFAULT_MODEL_PATH
from classifiers.paths import card_path_for
from model_variants import model_variant
from moderation import db
from moderation.domain import model_registry as registry
from moderation.models import ModelVersion

pytestmark = pytest.mark.skipif(not DEFAULT_MODEL_PATH.exists(), reason="needs the shipped model")

SHIPPED = json.loads(card_path_for(DEFAULT_MODEL_PATH).read_text()) if DEFAULT_MODEL_PATH.exists() else {}


def _register(app, tmp_path, stem: str, **changes) -> tuple[int, str]:
    with app.app_context():
        app.extensions["models"].refresh(force=True)  # the shipped model becomes the global version first
        row = registry.register_artifact(db.session, model_variant(tmp_path, stem, **changes),
                                         var_dir=app.config["VAR_DIR"], notes=f"<i>{stem}</i>", actor=None)
        db.session.commit()
        return row.id, row.version


def _metrics(toxicity_roc: float, insult_pr: float) -> dict:
    metrics = copy.deepcopy(SHIPPED["metrics"])
    metrics["validation_pooled"]["toxicity"]["roc_auc"] = toxicity_roc
    metrics["validation_pooled"]["insult"]["pr_auc"] = insult_pr
    return metrics


def test_a_candidate_is_compared_with_the_global_version_measure_by_measure(app, sign_in, admin, tmp_path):
    shipped = SHIPPED["metrics"]["validation_pooled"]
    candidate, _ = _register(app, tmp_path, "candidate-up",
                          metrics=_metrics(shipped["toxicity"]["roc_auc"] + 0.02, shipped["insult"]["pr_auc"] - 0.03))
    client = sign_in(admin)

    models = client.get("/admin/models").get_data(as_text=True)
    assert f'href="/admin/models/compare?b={candidate}"' in models  # offered on the versions table

    html = client.get(f"/admin/models/compare?b={candidate}").get_data(as_text=True)
    # The global (shipped) version on the left, the candidate on the right, by default.
    with app.app_context():
        left = registry.active_version(db.session).version
        right = db.session.get(ModelVersion, candidate).version
    assert f'<th class="num"><code>{left}</code></th>\n      <th class="num"><code>{right}</code></th>' in html
    toxicity = html[html.index('<th colspan="4" scope="rowgroup">toxicity</th>'):]
    assert f'<td>ROC AUC</td><td class="num">{shipped["toxicity"]["roc_auc"]:.3f}</td>' in toxicity
    assert '<td class="num better">+0.020 <small>better</small></td>' in html
    assert '<td class="num worse">-0.030 <small>worse</small></td>' in html
    # Same rows, same sources: the page says the numbers compare, and nothing else moved.
    assert "Both were measured on the same validation sources" in html
    assert html.count("<small>better</small>") == 1 and html.count("<small>worse</small>") == 1
    assert "&lt;i&gt;candidate-up&lt;/i&gt;" in html  # notes are text, never markup


def test_versions_measured_on_other_rows_are_said_not_to_compare_and_a_backtest_is_offered(
        app, sign_in, admin, tmp_path):
    data = {**SHIPPED["data"], "public_validation_rows": SHIPPED["data"]["public_validation_rows"] - 500}
    candidate, version = _register(app, tmp_path, "other-rows", data=data)

    html = sign_in(admin).get(f"/admin/models/compare?b={candidate}").get_data(as_text=True)

    assert "measured on different validation rows" in html
    assert f'href="/admin/backtest?candidate={version}"' in html


def test_a_site_trained_candidate_measured_on_the_same_public_rows_compares(app, sign_in, admin, tmp_path):
    """An admin's walk: every site-trained candidate was said not to compare, its card naming the
    site's own source beside the same 24,748 public validation rows."""
    own = {"site:herald": {"rows": 300, "label_counts": {"toxicity": {"known": 300, "positive": 120}}}}
    data = {**SHIPPED["data"], "sources": {**SHIPPED["data"]["sources"], "site:herald": {"licence": "the site's own"}}}
    candidate, _ = _register(app, tmp_path, "own-rows", data=data,
                             training_data={**SHIPPED["training_data"], "own_labels": own})

    html = sign_in(admin).get(f"/admin/models/compare?b={candidate}").get_data(as_text=True)

    assert "Both were measured on the same validation sources" in html
    assert "measured on different validation rows" not in html


def test_any_two_versions_can_be_picked_and_unknown_ones_are_404(app, sign_in, admin, tmp_path):
    first, _ = _register(app, tmp_path / "1", "first-x")
    second, _ = _register(app, tmp_path / "2", "second-y")
    client = sign_in(admin)

    html = client.get(f"/admin/models/compare?a={second}&b={first}").get_data(as_text=True)
    facts = html[html.index("model-compare-facts"):]
    assert facts.index("&lt;i&gt;second-y") < facts.index("&lt;i&gt;first-x")  # their notes, in the order asked
    assert f'<option value="{second}" selected>' in html and f'<option value="{first}" selected>' in html
    for bad in ("999999", "x", "²", "99999999999999999999999"):
        assert client.get(f"/admin/models/compare?a={bad}").status_code == 404


def test_versions_named_as_the_command_line_prints_them_are_compared(app, sign_in, admin, tmp_path):
    """A version's name pasted from `moderation models list` had been answered a bare "Not found"."""
    first, first_name = _register(app, tmp_path / "1", "named-first")
    second, second_name = _register(app, tmp_path / "2", "named-second")
    client = sign_in(admin)

    response = client.get(f"/admin/models/compare?a={second_name}&b={first_name}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<option value="{second}" selected>' in html and f'<option value="{first}" selected>' in html
    facts = html[html.index("model-compare-facts"):]
    assert facts.index("&lt;i&gt;named-second") < facts.index("&lt;i&gt;named-first")

    missing = client.get("/admin/models/compare?a=2026.01.01-00000000")
    said = missing.get_data(as_text=True)
    assert missing.status_code == 404
    assert "No version “2026.01.01-00000000” is registered" in said
    assert "moderation models list prints it" in said and 'href="/admin/models"' in said


def test_what_a_threshold_change_does_to_readers_is_said_and_a_source_one_was_not_measured_on_too(
        app, sign_in, admin, tmp_path):
    """An admin's walk: a retrained candidate's threat recall fell from 0.375 to 0.222 and its precision
    rose, in plain grey (only the AUCs were judged), and it had no cad_reddit section, unsaid."""
    metrics = copy.deepcopy(SHIPPED["metrics"])
    threat = metrics["validation_pooled"]["threat"]
    threat["recall"] -= 0.153
    threat["precision"] += 0.07
    metrics["validation_pooled"]["toxicity"]["recall"] += 0.01  # noise at the threshold: not judged
    candidate, version = _register(app, tmp_path, "fewer-threats", metrics=metrics, validation_only={})

    html = sign_in(admin).get(f"/admin/models/compare?b={candidate}").get_data(as_text=True)

    threat_rows = html[html.index('<th colspan="4" scope="rowgroup">threat</th>'):]
    threat_rows = threat_rows[:threat_rows.index("</tbody>")]
    assert '<td class="num worse">-0.153 <small>lets more through</small></td>' in threat_rows
    assert '<td class="num better">+0.070 <small>fewer civil ones held</small></td>' in threat_rows
    assert html.count("<small>holds more of them</small>") == 0  # toxicity's +0.010 is left plain
    assert "On cad_reddit: only one was measured" in html
    assert f"<code>{version}</code> was not" in html
