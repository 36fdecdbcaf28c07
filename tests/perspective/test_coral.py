"""Coral talks to us exactly as it talks to Perspective (src/core/server/services/perspective)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from moderation import db
from moderation.models import LabelledExample

from perspective_helpers import ANALYZE, SUGGEST


def coral_analyze_body(text: str, model: str, do_not_store: bool = True) -> dict:
    # What Coral's formatBody builds for "comments:analyze".
    return {"comment": {"text": text}, "doNotStore": do_not_store,
            "requestedAttributes": {model: {}}, "languages": ["en"]}


def coral_suggest_body(comment_id: str, attribute: str, value: float, languages: list[str]) -> dict:
    # What Coral sends for "comments:suggestscore" when a moderator decides.
    return {
        "comment": {"text": "You are all idiots and should be ashamed."},
        "context": {"entries": [{"text": json.dumps({
            "url": f"https://news.example/story-1?commentID={comment_id}",
            "reply_to_id_Coral_comment_id": None,
            "Coral_comment_id": comment_id,
        })}]},
        "attributeScores": {attribute: {"summaryScore": {"value": value}}},
        "languages": languages,
        "communityId": "Coral:https://news.example/",
        "clientToken": f"comment:{comment_id}",
    }


@pytest.mark.parametrize("model", ["TOXICITY", "SEVERE_TOXICITY"])
def test_coral_reads_a_probability_for_the_model_it_asked_for(client, site, model):
    response = client.post(f"{ANALYZE}?key={site.api_key}",
                           json=coral_analyze_body("Thanks for the thoughtful article.", model))

    assert response.status_code == 200
    score = response.get_json()["attributeScores"][model]["summaryScore"]["value"]
    assert 0.0 <= score <= 1.0
    assert response.get_json()["attributeScores"][model]["summaryScore"]["type"] == "PROBABILITY"


def test_an_insult_scores_higher_than_a_polite_comment(client, site):
    def toxicity(text: str) -> float:
        response = client.post(f"{ANALYZE}?key={site.api_key}", json=coral_analyze_body(text, "TOXICITY"))
        return response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"]

    assert toxicity("You are a pathetic idiot, shut up you moron.") > toxicity("Thank you for the clear reporting.")


@pytest.mark.parametrize(("value", "decision"), [(0, "approved"), (1, "rejected")])
def test_coral_today_sends_a_decision_as_a_score_of_0_or_1_and_it_is_kept_as_a_decision(client, app, site, value, decision):
    # Coral's services/perspective formatBody: the model it scores with, 0 when approved, 1 when deleted.
    # Deleted as spam is not toxic: stored as the score, training would have learnt it was.
    body = coral_suggest_body("c-1", "TOXICITY", value, ["en"])

    response = client.post(f"{SUGGEST}?key={site.api_key}", json=body)

    assert response.status_code == 200
    assert response.get_json()["clientToken"] == "comment:c-1"
    with app.app_context():
        example = db.session.scalars(select(LabelledExample)).one()
        assert example.labels == {decision: 1.0}
        assert example.source == "suggestscore"
        assert example.site_id == site.id
        assert example.text == body["comment"]["text"]
        assert example.client_token == "comment:c-1"
        assert example.community_id == "Coral:https://news.example/"
        assert json.loads(example.context["entries"][0]["text"])["Coral_comment_id"] == "c-1"


@pytest.mark.parametrize(("decision", "label"), [("DELETED", "rejected"), ("APPROVED", "approved"),
                                                 ("HIGHLIGHTED", "approved")])
def test_coral_moderation_decisions_are_kept_as_decisions(client, app, site, decision, label):
    # Coral's notifyPerspectiveModerationDecision names the decision as the attribute and says "EN".
    body = coral_suggest_body("c-2", decision, 1, ["EN"])

    response = client.post(f"{SUGGEST}?key={site.api_key}", json=body)

    assert response.status_code == 200
    assert response.get_json()["clientToken"] == "comment:c-2"
    with app.app_context():
        assert db.session.scalars(select(LabelledExample.labels)).one() == {label: 1.0}


@pytest.mark.parametrize(("community", "value"), [("Coral:https://news.example/", 0.8), ("my-forum", 1)])
def test_a_score_that_is_not_a_coral_decision_stays_a_score(client, app, site, community, value):
    body = {**coral_suggest_body("c-3", "TOXICITY", value, ["en"]), "communityId": community}

    assert client.post(f"{SUGGEST}?key={site.api_key}", json=body).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(LabelledExample.labels)).one() == {"toxicity": float(value)}


def test_a_suggestion_of_span_scores_only_is_kept_as_its_highest_span(client, app, site):
    """Perspective takes "just summary scores, just span scores, or both"; one toxic sentence makes the comment toxic."""
    body = {"comment": {"text": "Nice piece. You idiot."},
            "attributeScores": {"TOXICITY": {"spanScores": [{"begin": 0, "end": 11, "score": {"value": 0}},
                                                            {"begin": 12, "end": 22, "score": {"value": 1}}]}}}

    assert client.post(f"{SUGGEST}?key={site.api_key}", json=body).status_code == 200
    with app.app_context():
        assert db.session.scalars(select(LabelledExample.labels)).one() == {"toxicity": 1.0}


def test_a_site_erases_the_texts_coral_sent_as_suggestions_by_client_token_or_text_hash(client, app, site, outsider):
    """An integrator's walk: a Coral site sends every decided comment's text to suggestscore, with no author,
    and had no way to erase one on a reader's request."""
    import hashlib

    from moderation.models import AuthorErasure

    for comment_id in ("c-1", "c-2"):
        assert client.post(f"{SUGGEST}?key={site.api_key}",
                           json=coral_suggest_body(comment_id, "TOXICITY", 1.0, ["en"])).status_code == 200
    other = {**coral_suggest_body("c-9", "TOXICITY", 1.0, ["en"]), "comment": {"text": "Another text entirely."}}
    assert client.post(f"{SUGGEST}?key={site.api_key}", json=other).status_code == 200
    assert client.post(f"{SUGGEST}?key={outsider.api_key}",
                       json=coral_suggest_body("c-1", "TOXICITY", 1.0, ["en"])).status_code == 200

    by_token = client.delete("/api/v1/suggestions/by-client-token/comment:c-1", headers=site.headers)
    text_hash = hashlib.sha256("Another text entirely.".encode()).hexdigest()
    by_text = client.delete(f"/api/v1/suggestions/by-text-sha256/{text_hash}", headers=site.headers)
    bad_hash = client.delete("/api/v1/suggestions/by-text-sha256/ABC", headers=site.headers)

    assert (by_token.status_code, by_token.get_json()["deleted"]) == (200, 1)
    assert (by_text.status_code, by_text.get_json()["deleted"]) == (200, 1)
    assert bad_hash.status_code == 400 and bad_hash.get_json()["error"]["field"] == "text_sha256"
    with app.app_context():
        left = db.session.execute(select(LabelledExample.site_id, LabelledExample.client_token)).all()
        assert sorted(left) == sorted([(site.id, "comment:c-2"), (outsider.id, "comment:c-1")])  # another site's kept
        # Recorded as an erasure: a training run that read them is discarded (own_training.py).
        counts = [r.counts for r in db.session.scalars(select(AuthorErasure).where(AuthorErasure.site_id == site.id))]
        assert counts == [{"labelled_examples": 1}, {"labelled_examples": 1}]


def test_the_coral_tables_default_row_is_the_percentage_coral_is_given_and_holds_above_it():
    """A Coral developer's walk: the row showed 0.511 where /admin and the docs have Coral typed 51,
    and Coral at 51 holds what scores above 0.51: 0.5105 is held there, 0.51 itself is not."""
    from datetime import datetime, timezone

    from moderation.perspective.calibration import calibrate

    scores = {"Rather rude.": 0.5105, "On the line.": 0.51}

    class Scorer:
        version = "coral-1"

        def score(self, texts):
            return [{"toxicity": scores[t]} for t in texts]

    at = datetime(2026, 12, 6, tzinfo=timezone.utc)
    table = calibrate(Scorer(), [("Rather rude.", True, at), ("On the line.", False, at)], current=0.511)
    assert table.current.threshold == 0.51
    assert (table.current.held, table.current.held_deleted) == (1, 1)
