"""comments:analyze answers in Perspective's shape, under the names the client asked for."""
from __future__ import annotations

import pytest
from perspective_helpers import ANALYZE, analyze_body
from sqlalchemy import func, select

from moderation import db
from moderation.models import LabelledExample
from moderation.perspective.fields import ATTRIBUTE_NAMES

INSULT = "You are a pathetic idiot and everyone here knows it."


def test_every_attribute_is_answered_under_the_name_requested(client, site):
    names = list(ATTRIBUTE_NAMES)  # TOXICITY ... THREAT and each *_EXPERIMENTAL spelling

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(INSULT, *names))

    assert response.status_code == 200
    scores = response.get_json()["attributeScores"]
    assert sorted(scores) == sorted(names)
    assert scores["TOXICITY"] == scores["TOXICITY_EXPERIMENTAL"]
    for score in scores.values():
        assert score["summaryScore"]["type"] == "PROBABILITY"
        assert 0.0 <= score["summaryScore"]["value"] <= 1.0
        # Without spanAnnotations, Perspective's one span: the whole text, with the summary score.
        assert score["spanScores"] == [{"begin": 0, "end": len(INSULT), "score": score["summaryScore"]}]


def test_the_whole_text_span_counts_utf16_units_as_perspective_does(client, site):
    text = "Thanks for this 🙂"
    span = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(text)).get_json()["attributeScores"]["TOXICITY"]["spanScores"]
    assert span[0]["begin"] == 0 and span[0]["end"] == len(text) + 1  # the emoji is two UTF-16 units


def test_the_key_may_come_in_the_google_api_key_header(client, site):
    response = client.post(ANALYZE, json=analyze_body("A fine piece."), headers={"X-Goog-Api-Key": site.api_key})

    assert response.status_code == 200


def test_it_echoes_the_client_token_and_the_languages(client, site):
    body = analyze_body("A fine piece.", clientToken="token-42", sessionId="s1", communityId="c1",
                        context={"entries": [{"text": "The article"}]})

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert answer["clientToken"] == "token-42"
    assert answer["languages"] == ["en"]
    assert answer["detectedLanguages"] == ["en"]


def test_languages_default_to_english_when_none_are_given(client, site):
    body = {"comment": {"text": "A fine piece."}, "requestedAttributes": {"TOXICITY": {}}}

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert answer["languages"] == ["en"]
    assert "clientToken" not in answer


FRENCH = "Ferme ta gueule, espèce de connard."  # toxicity 0.03 read as English


def test_a_comment_in_another_language_is_refused_as_perspective_refuses_a_detected_language(client, site):
    body = {"comment": {"text": FRENCH}, "requestedAttributes": {"TOXICITY": {}}}

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)

    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == "Attribute TOXICITY does not support request languages: fr"  # Perspective's, word for word


def test_english_in_look_alike_letters_is_scored_not_refused_as_another_language(client, site):
    """Refused as Ukrainian, which a client that publishes on errors (Coral does) published."""
    body = {"comment": {"text": "уоu аrе а ѕtuріd іdіоt"}, "requestedAttributes": {"TOXICITY": {}}}

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert answer["detectedLanguages"] == ["en"]
    assert answer["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.8


def test_a_spanish_threat_after_an_english_sentence_is_scored_and_its_language_listed_among_those_detected(client, site):
    """A bilingual paper's walk: scored as English, 0.03, with only "en" detected; a client had nothing to
    notice the Spanish part by. The threats rule reads Spanish threats now."""
    body = {"comment": {"text": "Thanks for the story about the bus routes. Te voy a matar, cabrón."},
            "requestedAttributes": {"THREAT": {}}}

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert answer["languages"] == ["en"] and answer["detectedLanguages"] == ["en", "es"]
    assert answer["attributeScores"]["THREAT"]["summaryScore"]["value"] > 0.5


def test_dropping_unsupported_attributes_answers_a_detected_language_with_no_scores(client, site):
    body = {"comment": {"text": FRENCH}, "requestedAttributes": {"TOXICITY": {}}, "dropUnsupportedAttributes": True}

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert (answer["attributeScores"], answer["languages"], answer["detectedLanguages"]) == ({}, ["fr"], ["fr"])


def test_a_client_that_names_english_is_scored_as_english_and_told_what_was_detected(client, site):
    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body(FRENCH)).get_json()

    assert answer["languages"] == ["en"] and answer["detectedLanguages"] == ["fr"]
    assert "TOXICITY" in answer["attributeScores"]


def test_snake_case_field_names_work_as_in_perspective(client, site):
    body = {"comment": {"text": INSULT}, "requested_attributes": {"INSULT": {"score_type": "PROBABILITY"}},
            "client_token": "t", "span_annotations": True}

    answer = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    assert answer["clientToken"] == "t"
    assert "spanScores" in answer["attributeScores"]["INSULT"]


def test_a_score_threshold_leaves_out_attributes_below_it(client, site):
    body = analyze_body("Thank you for this careful report.", "TOXICITY", "THREAT")
    body["requestedAttributes"] = {"TOXICITY": {"scoreThreshold": 0.0}, "THREAT": {"scoreThreshold": 1.0}}

    scores = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()["attributeScores"]

    assert "TOXICITY" in scores
    assert "THREAT" not in scores
    # proto3 JSON spells a float as a string too, and Google takes it (a re-check).
    body["requestedAttributes"] = {"TOXICITY": {"scoreThreshold": "0"}, "THREAT": {"scoreThreshold": "1.0"}}
    assert set(client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()["attributeScores"]) == {"TOXICITY"}
    for spelled in ("half", "0_1", "\uff11", "nan", " "):  # Python's float reads the middle two (a re-check)
        body["requestedAttributes"] = {"TOXICITY": {"scoreThreshold": spelled}}
        assert client.post(f"{ANALYZE}?key={site.api_key}", json=body).status_code == 400, spelled


def test_span_scores_are_sentences_in_order_counted_in_utf16_as_perspective_counts(client, site):
    """Perspective scores spans "at per-sentence level" and counts offsets in UTF-16 code units, as
    JavaScript indexes strings: an emoji before the insult counts two, or a site highlights "n idi"."""
    text = "😀😀 Great reporting as ALWAYS…  but the mayor is a pathetic idiot! 🙄 Thanks anyway."

    answer = client.post(f"{ANALYZE}?key={site.api_key}",
                         json=analyze_body(text, "TOXICITY", "INSULT", spanAnnotations=True)).get_json()

    spans = answer["attributeScores"]["INSULT"]["spanScores"]
    units = text.encode("utf-16-le")
    pieces = [units[2 * s["begin"]:2 * s["end"]].decode("utf-16-le") for s in spans]
    assert pieces == ["😀😀 Great reporting as ALWAYS…  but the mayor is a pathetic idiot!", "🙄 Thanks anyway."]
    assert spans[0]["score"]["value"] > 0.5 > spans[1]["score"]["value"]
    assert all(s["score"]["type"] == "PROBABILITY" for s in spans)


def test_one_sentence_is_one_span_with_the_summary_score(client, site):
    answer = client.post(f"{ANALYZE}?key={site.api_key}",
                         json=analyze_body("  Thanks for the article  ", "TOXICITY", spanAnnotations=True)).get_json()
    toxicity = answer["attributeScores"]["TOXICITY"]
    assert toxicity["spanScores"] == [{"begin": 2, "end": 24, "score": toxicity["summaryScore"]}]


def test_a_repeated_text_is_scored_once(client, app, site):
    cache = app.extensions["perspective_cache"]
    body = analyze_body("The council should publish the budget.")

    first = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()
    cached, hits = len(cache), cache.hits
    second = client.post(f"{ANALYZE}?key={site.api_key}", json=body).get_json()

    # Counted as a hit: a cache that never hit passed this test before (an onboarding review).
    assert cached == 1 and cache.hits == hits + 1
    assert len(cache) == 1
    assert first == second


def test_do_not_store_leaves_nothing_behind(client, app, site):
    cache = app.extensions["perspective_cache"]
    body = analyze_body("Secret draft comment.", "TOXICITY", doNotStore=True, spanAnnotations=True)

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)

    assert response.status_code == 200
    assert len(cache) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LabelledExample)) == 0


@pytest.mark.parametrize("language", ["en", "EN", "en-GB", "en_US"])
def test_english_is_accepted_in_any_spelling(client, site, language):
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Fine.", languages=[language]))

    assert response.status_code == 200
    assert response.get_json()["languages"] == [language]


def test_drop_unsupported_attributes_answers_without_scores_for_other_languages(client, site):
    body = analyze_body("Das ist gut.", languages=["de"], dropUnsupportedAttributes=True)

    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)

    assert response.status_code == 200
    assert response.get_json()["attributeScores"] == {}


def test_perspectives_quickstart_body_with_unquoted_keys_is_read_as_googles_parser_reads_it(client, site):
    """The curl of Perspective's quickstart, verbatim: Google's JSON front end takes unquoted keys."""
    body = b'{comment: {text: "what kind of idiot name is foo?"}, languages: ["en"], requestedAttributes: {TOXICITY:{}} }'
    response = client.post(f"{ANALYZE}?key={site.api_key}", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] > 0.5


def test_score_type_unspecified_means_probability_as_in_perspective(client, site):
    body = analyze_body("Thanks for the article.")
    body["requestedAttributes"]["TOXICITY"] = {"scoreType": "SCORE_TYPE_UNSPECIFIED"}
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
    assert response.status_code == 200
    assert response.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["type"] == "PROBABILITY"


class _FewerHeads:
    """The shipped model, as a version trained with a toxicity head only would be."""

    attributes = ("toxicity",)

    def __init__(self, model) -> None:
        self._model = model

    def __getattr__(self, name: str):
        return getattr(self._model, name)


def test_an_attribute_the_serving_model_has_no_head_for_is_refused_or_dropped_not_copied():
    """The worker keeps only the model's own attributes; this endpoint answered any of the six, so a
    version without a threat head would have served toxicity's score as THREAT (an onboarding review)."""
    from classifiers import DEFAULT_MODEL_PATH, load_model
    from moderation.perspective.analyze import analyze, parse_analyze
    from moderation.perspective.errors import InvalidArgument

    model = _FewerHeads(load_model(DEFAULT_MODEL_PATH))
    with pytest.raises(InvalidArgument, match="Attribute THREAT is not scored by the model version"):
        analyze(model, parse_analyze(analyze_body("I will find you.", "TOXICITY", "THREAT")), None, 1)
    answer = analyze(model, parse_analyze(analyze_body("I will find you.", "TOXICITY", "THREAT",
                                                       dropUnsupportedAttributes=True)), None, 1)
    assert set(answer["attributeScores"]) == {"TOXICITY"}


def test_a_bilingual_site_naming_english_and_another_language_gets_its_english_comments_scored(client, site):
    """An integrator's walk: a US site naming both its languages ("en", "es") got no scores at all."""
    english = client.post(f"{ANALYZE}?key={site.api_key}",
                          json=analyze_body("You are a pathetic idiot.", languages=["en", "es"]))
    spanish = client.post(f"{ANALYZE}?key={site.api_key}",
                          json=analyze_body("Eres un idiota patético y nadie te quiere aquí.", languages=["es", "en"]))
    assert english.status_code == 200 and "TOXICITY" in english.get_json()["attributeScores"]
    assert english.get_json()["languages"] == ["en", "es"]
    assert spanish.status_code == 400  # the text is Spanish, which the model cannot read


def test_a_bilingual_sites_feedback_on_an_english_comment_is_taken_too(client, site):
    """A re-check: comments:suggestscore still refused ["en", "es"] for English text."""
    response = client.post(f"/v1alpha1/comments:suggestscore?key={site.api_key}", json={
        "comment": {"text": "You are a pathetic idiot."}, "languages": ["en", "es"],
        "attributeScores": {"TOXICITY": {"summaryScore": {"value": 0.9}}}})
    assert response.status_code == 200, response.get_json()


@pytest.mark.parametrize("given, meant", [("true", True), ("TRUE", True), ("1", True), ("false", False),
                                          (" False ", False), (None, False), (True, True)])
def test_a_bool_sent_as_a_string_or_null_is_read_as_googles_front_end_reads_it(client, app, site, given, meant):
    """Coral Talk v4's plugin sends `"doNotStore": "true"` when its TALK_PERSPECTIVE_DO_NOT_STORE is set: every
    comment was refused with a 400, and so published unscored, unsaid (a migrating site's walk)."""
    cache = app.extensions["perspective_cache"]
    body = analyze_body("The council should publish the budget. It has not.", "TOXICITY",
                        doNotStore=given, spanAnnotations=given)
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=body)
    assert response.status_code == 200, response.get_json()
    # One span a sentence when asked for; else one, the whole text, as Perspective answers.
    assert len(response.get_json()["attributeScores"]["TOXICITY"]["spanScores"]) == (2 if meant else 1)
    assert (len(cache) == 0) is meant


def test_a_string_that_is_no_bool_is_still_refused(client, site):
    response = client.post(f"{ANALYZE}?key={site.api_key}", json=analyze_body("Fine.", doNotStore="maybe"))
    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == 'Invalid JSON payload received. "doNotStore" must be true or false.'
