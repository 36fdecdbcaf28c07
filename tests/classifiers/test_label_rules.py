"""What training makes of the shared labels: implied negatives, derived severity, sources it must not learn from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from classifier_fixtures import labelled_rows, write_csv

from classifiers import ATTRIBUTES, load_model
from classifiers.label_rules import imply_labels, positives_by_origin, thin_attributes
from classifiers.recipe import is_held_out
from classifiers.train import train_model

NAN = np.nan


def row(**labels: float) -> list[float]:
    return [labels.get(a, NAN) for a in ATTRIBUTES]


def test_a_comment_that_is_not_toxic_is_nothing_else_either() -> None:
    out = imply_labels(np.array([row(toxicity=0), row(toxicity=1)]), ["a fine day", "a fine day"])
    assert (out[0] == 0).all()
    assert np.isnan(out[1, 1:]).all()  # a toxic comment says nothing of its kind


def test_a_comment_that_is_not_toxic_but_swears_is_not_taken_as_clean_language() -> None:
    texts = ["damn this crappy weather", "what the h*ll is this game", "d a m n it",
             "a fine day at the seaside", "we had cocktails with Dickens fans", "oh hell"]
    labels = np.array([row(toxicity=0)] * len(texts))
    labels[5, ATTRIBUTES.index("profanity")] = 0  # a source that rated profanity itself is believed
    out = imply_labels(labels, texts)
    profanity = out[:, ATTRIBUTES.index("profanity")]
    assert np.isnan(profanity[:3]).all()  # mild swearing, masked and spaced out included: unknown
    assert profanity[3:].tolist() == [0, 0, 0]
    others = [j for j, a in enumerate(ATTRIBUTES) if a not in ("toxicity", "profanity")]
    assert (out[:, others] == 0).all()  # not an insult, threat or attack for all that


def test_an_obscenity_is_profane_whatever_the_source_said() -> None:
    obscene = ["shut up cunt", "damn fucking hate this university bullshit", "what the f*ck is this game",
               "s h i t happens", "you absolute w4nker", "MOTHERFUCKER", "Still an asshole."]
    clean = ["we had cocktails with Dickens fans in Scunthorpe", "shiitake mushrooms and a Mitsubishi with a wankel engine"]
    labels = np.array([row(toxicity=1, insult=1, profanity=0),  # civil_spans: the span was typed an insult
                       row(toxicity=0), row(toxicity=0), row(), row(toxicity=1), row(toxicity=1), row(profanity=0),
                       row(toxicity=0), row(toxicity=0)])
    out = imply_labels(labels, obscene + clean)
    assert out[:, ATTRIBUTES.index("profanity")].tolist() == [1] * len(obscene) + [0, 0]
    # Severity reads people's profanity labels: a toxic insult that swears is not severe for that alone.
    severe = out[:, ATTRIBUTES.index("severe_toxicity")]
    assert np.isnan(severe[[0, 4, 5]]).all() and severe[[1, 2]].tolist() == [0, 0]  # toxic ones unknown; civil ones 0


def test_a_toxic_comment_that_threatens_someone_is_a_threat_and_severely_toxic() -> None:
    threats = ["I am going to find you and hurt you", "unblock me or i w1ll k1ll y0u", "They should be shot.",
               "kill them all", "Watch your back, I know where you live",
               # threats against a group, and calls for a death
               "I am going to shoot the next woman I see.", "Women like you deserve to die.",
               "Arabs should all be killed.", "Somebody should just stab those people.", "Death to all gays!",
               "I'll slit your fucking throat", "I would love to see those immigrants suffer."]
    others = ["you are a stupid fucking idiot", "I hope you lose your job", "I'd kill for a coffee, you moron",
              "this stupid bill deserves to fail", "they taxed us to death to pay for this crap"]
    texts = threats + others + ["I'll kill for a coffee", "we will beat them on sunday", "I will kill you"]
    labels = np.array([row(toxicity=1)] * (len(threats) + len(others)) + [row(toxicity=0)] * 2
                      + [row(toxicity=1, threat=0)])  # a source that rated threats itself is believed
    out = imply_labels(labels, texts)
    threat = out[:, ATTRIBUTES.index("threat")]
    assert threat[:len(threats)].tolist() == [1] * len(threats)
    assert np.isnan(threat[len(threats):len(threats) + len(others)]).all()  # toxic, but no threat in the words
    assert threat[-3:].tolist() == [0, 0, 0]  # not toxic, whatever it says; and the source's own label
    assert (out[:len(threats), ATTRIBUTES.index("severe_toxicity")] == 1).all()


def test_a_toxic_comment_that_calls_the_person_it_addresses_a_name_is_an_insult() -> None:
    insults = ["you're a retard", "shut up cunt", "fuck off you stupid bitch", "You are an absolute moron.",
               "u fucking loser", "STFU, you dumbass", "you're such a little bitch lol"]
    others = ["Trump is an idiot", "this stupid bill deserves to fail", "what a load of crap"]
    texts = insults + others + ["You're a clown, I love it", "you fool, you forgot the milk again", "you idiot"]
    labels = np.array([row(toxicity=1)] * (len(insults) + len(others)) + [row(toxicity=0)] * 2
                      + [row(toxicity=1, insult=0)])  # a source that rated insults itself is believed
    insult = imply_labels(labels, texts)[:, ATTRIBUTES.index("insult")]
    assert insult[:len(insults)].tolist() == [1] * len(insults)
    assert np.isnan(insult[len(insults):len(insults) + len(others)]).all()  # toxic, but no one is called a name
    assert insult[-3:].tolist() == [0, 0, 0]  # not toxic, whatever it says; and the source's own label


def test_only_attributes_with_few_positives_labelled_by_people_are_called_thin() -> None:
    given = np.array([row(toxicity=1, threat=1)] * 2 + [row(toxicity=1)] * 3 + [row(toxicity=0)])
    texts = ["I will kill you", "they should be shot", "you are going to get shot", "kill them all", "what an idiot", "a fine day"]
    origin = positives_by_origin(given, imply_labels(given, texts))
    assert origin["threat"] == {"labelled": 2, "from_label_rules": 2}
    assert origin["severe_toxicity"] == {"labelled": 0, "from_label_rules": 4}
    notes = thin_attributes({**origin, "toxicity": {"labelled": 49003, "from_label_rules": 0}},
                            ["toxicity", "threat", "severe_toxicity"])
    assert set(notes) == {"threat", "severe_toxicity"}
    assert notes["threat"] == "2 positives labelled by people, 2 more from label rules"


def test_severe_toxicity_is_derived_from_threats_identity_attacks_and_profane_insults() -> None:
    out = imply_labels(np.array([
        row(toxicity=1, threat=1),
        row(identity_attack=1),                                   # toxicity unknown (civil_spans)
        row(toxicity=1, insult=1, profanity=1, threat=0, identity_attack=0),
        row(toxicity=1, insult=1, profanity=0, threat=0, identity_attack=0),
        row(toxicity=1, insult=1),                                # too little known to say
        row(toxicity=1, severe_toxicity=0, threat=1),             # a source's own label wins
    ]), ["text"] * 6)
    severe = out[:, ATTRIBUTES.index("severe_toxicity")]
    assert severe[:4].tolist() == [1, 1, 1, 0]
    assert np.isnan(severe[4])
    assert severe[5] == 0


def test_the_held_out_split_is_stable_and_ignores_case_and_spacing() -> None:
    texts = [f"comment number {i}" for i in range(2000)]
    held = [is_held_out(t) for t in texts]
    assert 0.12 < sum(held) / len(held) < 0.18
    assert [is_held_out(t.upper().replace(" ", "  ")) for t in texts] == held


@pytest.fixture(scope="module")
def mixed_model(tmp_path_factory: pytest.TempPathFactory):
    data = tmp_path_factory.mktemp("mixed")
    rows = labelled_rows()
    # civil_spans-like rows: toxic upstream, so toxicity says nothing; a validation-only source.
    spans = [{**r, "source": "civil_spans", "toxicity": "1"} for r in rows if r["toxicity"] == "1"]
    reddit = [{**r, "source": "cad_reddit"} for r in rows]
    paths = [write_csv(data / "tiny.csv", rows), write_csv(data / "spans.csv", spans),
             write_csv(data / "reddit.csv", reddit)]
    return load_model(train_model(paths, out_dir=data / "out", progress=False, min_positives=20))


def test_sources_that_must_not_teach_toxicity_do_not(mixed_model) -> None:
    card = mixed_model.card
    counts = {f["file"]: f for f in card["data"]["files"]}
    assert counts["spans.csv"]["label_counts"]["toxicity"]["known"] == 0
    assert counts["reddit.csv"]["rows"] == 0
    assert card["data"]["excluded"][0]["source"] == "cad_reddit"
    # Still measured: the card says how the model does on the source it never trained on.
    assert card["validation_only"]["cad_reddit"]["toxicity"]["roc_auc"] > 0.9
    assert "cad_reddit" not in card["training_data"]["public_sources"]
    assert "severe_toxicity" in card["derived_labels"]


def test_the_card_says_which_attributes_had_few_positives_labelled_by_people(mixed_model) -> None:
    card = mixed_model.card
    origin = card["data"]["train_positives_by_origin"]
    # The tiny set labels toxicity only: every other attribute's positives come from the label rules.
    assert origin["toxicity"]["labelled"] > 0 and origin["toxicity"]["from_label_rules"] == 0
    assert origin["severe_toxicity"]["labelled"] == 0
    thin = card["thin_data"]
    assert set(thin) == set(card["attributes"])  # a few hundred rows: nothing has 1,000 labelled positives
    assert thin["toxicity"].startswith(f"{origin['toxicity']['labelled']:,} positives labelled by people")
    assert any("thin_data" in line for line in card["limitations"])


@pytest.mark.parametrize("text, only_mild", [
    ("Damn, that was a scary storm.", True),
    ("crap , i missed the meeting again", True),
    ("Bloody hell, the prices at that market.", True),
    ("Damn you.", False),  # aimed at someone
    ("Go to hell.", False),
    ("damn immigrants ruining everything", False),  # a group's name
    ("damn idiots on the council", False),  # name-calling
    ("fucking hell", False),  # a stronger swear word
    ("I will damn well kill you", False),
    ("What a lovely day.", False),  # no swearing at all
], ids=lambda value: value if isinstance(value, bool) else value[:24])
def test_mild_swearing_alone_is_told_from_swearing_at_someone(text: str, only_mild: bool) -> None:
    from classifiers.label_rules import swears_mildly_only

    assert swears_mildly_only(text) is only_mild


def test_a_source_whose_labels_call_damn_toxic_teaches_no_toxicity_from_damn_alone(tmp_path: Path) -> None:
    from classifiers.train import _read_sources

    weak = write_csv(tmp_path / "weak.csv", [
        {"text": "damn , that was a scary storm .", "toxicity": "1", "source": "civil_sentences_weak"},
        {"text": "damn idiots on the council .", "toxicity": "1", "source": "civil_sentences_weak"},
        {"text": "the council met today .", "toxicity": "0", "source": "civil_sentences_weak"},
    ])
    people = write_csv(tmp_path / "people.csv", [
        {"text": "Damn, that was a scary storm.", "toxicity": "1", "source": "davidson"},
    ])
    data, files, _, _ = _read_sources([weak, people], allow_unlisted_sources=False, progress=False)
    toxicity = data.labels[:, ATTRIBUTES.index("toxicity")]
    # Unknown, not 0: it may be toxic for words no list holds. People's own label stands.
    assert np.isnan(toxicity[0]) and list(toxicity[1:]) == [1.0, 0.0, 1.0]
    assert [f.get("toxicity_unknown_for_mild_swearing") for f in files] == [1, None]
