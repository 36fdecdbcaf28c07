"""The queue's order for what the model holds, on a standards editor's audit (2,935 real comments at
the shipped model's thresholds, 462 held): what the model found, then how sure it is, among the
rules' bands. Scores are the shape the shipped model gives such comments."""
from __future__ import annotations

import pytest

from moderation.domain.policy import MODEL_BANDS, build_policy, decide, overdue_priority
from moderation.domain.rules import HOLD, WORD_LIST_RANKS, Hit, apply_hits

SHIPPED = {"toxicity": 0.511, "severe_toxicity": 0.807, "insult": 0.632, "identity_attack": 0.931,
           "profanity": 0.529, "threat": 0.662}
POLICY = build_policy(model_attributes=tuple(SHIPPED), model_thresholds=SHIPPED, site_thresholds=None,
                      report_threshold=2.0)
QUIET = dict.fromkeys(SHIPPED, 0.01)

YOU_ARE_STUPID = {**QUIET, "toxicity": 1.0, "insult": 0.97, "severe_toxicity": 0.3}
BUFFOON = {**QUIET, "toxicity": 0.99, "insult": 0.93}  # "Trump is a buffoon and a liar."
KIKE = {**QUIET, "toxicity": 0.97, "insult": 0.7, "identity_attack": 1.0}  # "he not white hes a kike"
DYKE = {**QUIET, "toxicity": 1.0, "insult": 0.8, "profanity": 0.8, "identity_attack": 0.95}
SAND = {**QUIET, "toxicity": 1.0, "insult": 0.9, "profanity": 0.95, "identity_attack": 0.99, "threat": 0.97}
FIND_AND_KILL = {**QUIET, "toxicity": 0.9, "threat": 1.0}  # "Find them and kill them."
FILIBUSTER = {**QUIET, "toxicity": 0.7, "threat": 0.80}  # "kill the filibuster, fire the paliamentarian"
SEVERE = {**QUIET, "toxicity": 1.0, "insult": 1.0, "severe_toxicity": 0.9, "profanity": 1.0}
DAMN = {**QUIET, "toxicity": 0.45, "profanity": 1.0}  # "Damn this makes me sad :("
CIVIL = {**QUIET, "toxicity": 0.02}


def model(scores: dict[str, float]) -> float:
    verdict = decide(POLICY, scores)
    assert verdict.status == "held"
    return verdict.priority


def ruled(scores: dict[str, float], rank: str) -> float:
    hit = Hit("a rule", HOLD, "the rule's reason", WORD_LIST_RANKS[rank])
    return apply_hits(decide(POLICY, scores), [hit]).priority


def test_an_identity_attack_the_model_is_sure_of_ranks_above_the_rudest_insult():
    assert model(KIKE) > model(YOU_ARE_STUPID)
    assert model(KIKE) > model(BUFFOON)
    assert model(DYKE) > model(SEVERE)


def test_two_identity_attacks_rank_by_how_sure_the_model_is():
    assert model(KIKE) > model(DYKE)


def test_a_threat_the_model_flags_ranks_above_insults_hate_and_a_quoted_lyric_a_rule_held():
    assert model(SAND) > model(KIKE) > model(YOU_ARE_STUPID)
    assert model(FIND_AND_KILL) > model(FILIBUSTER) > model(KIKE)
    lyric = ruled({**QUIET, "toxicity": 0.8, "profanity": 0.6}, "hate")  # "...kill all the fags..." quoted
    assert model(SAND) > lyric and model(FIND_AND_KILL) > lyric


def test_severe_toxicity_above_insult_above_plain_toxicity_and_swearing_alone_last():
    plain = model({**QUIET, "toxicity": 1.0, "insult": 0.4})
    assert model(SEVERE) > model(YOU_ARE_STUPID) > plain > model(DAMN)
    assert model(DAMN) < 1.0 < model({**QUIET, "toxicity": 0.52})  # below every comment a rule holds


def test_a_threat_a_rule_holds_comes_before_the_models_and_one_both_hold_before_either():
    rule_only = ruled({**QUIET, "toxicity": 0.3, "threat": 0.06}, "threats")  # "I know where you live..."
    both = ruled({**FIND_AND_KILL, "threat": 0.9}, "threats")
    assert both > rule_only > model(FIND_AND_KILL) > ruled(CIVIL, "hate")


def test_slurs_the_model_holds_rank_above_readers_own_email_addresses_and_a_late_report():
    email = ruled(CIVIL, "personal information")  # "You can send it to us at drmradio@ymail.com."
    late = overdue_priority(model(SEVERE) + 1.0)
    assert model(KIKE) > model(DYKE) > late > email > model(SEVERE)
    assert model(DYKE) < ruled(CIVIL, "hate")


@pytest.mark.parametrize("attribute", sorted(MODEL_BANDS))
def test_a_plain_rules_hold_with_the_models_surest_score_never_passes_a_stronger_rule(attribute):
    surest = ruled({**QUIET, attribute: 1.0}, "suspect words")
    stronger = min(floor for floor in WORD_LIST_RANKS.values() if floor > max(MODEL_BANDS[attribute][1], 1.0))
    assert surest < ruled(QUIET, next(r for r, f in WORD_LIST_RANKS.items() if f == stronger))
