"""The policy as a table: scores and reports in, status, reasons and priority out."""
from __future__ import annotations

import pytest

from moderation.domain.policy import MODEL_BANDS, build_policy, decide, near_misses, with_reports

MODEL_ATTRIBUTES = ("toxicity", "insult")
MODEL_THRESHOLDS = {"toxicity": 0.5, "insult": 0.8, "threat": 0.5}


def policy(site_thresholds=None, *, report_threshold=2.0, auto_reject=False, reject_thresholds=None):
    return build_policy(
        model_attributes=MODEL_ATTRIBUTES,
        model_thresholds=MODEL_THRESHOLDS,
        site_thresholds=site_thresholds,
        report_threshold=report_threshold,
        auto_reject=auto_reject,
        reject_thresholds=reject_thresholds,
    )


@pytest.mark.parametrize(
    "scores, reports, status, flagged",
    [
        ({"toxicity": 0.1, "insult": 0.1}, 0, "published", []),
        ({"toxicity": 0.5, "insult": 0.1}, 0, "held", ["toxicity"]),  # at the threshold holds
        ({"toxicity": 0.49, "insult": 0.1}, 0, "published", []),
        ({"toxicity": 0.7, "insult": 0.9}, 0, "held", ["toxicity", "insult"]),
        ({"toxicity": 0.1, "threat": 0.99}, 0, "published", []),  # unreliable attribute ignored
        ({"toxicity": 0.1}, 1, "published", []),
        ({"toxicity": 0.1}, 2, "held", ["reports"]),
        ({"toxicity": 0.9}, 3, "held", ["toxicity", "reports"]),
        ({}, 0, "published", []),
    ],
)
def test_default_policy(scores, reports, status, flagged):
    verdict = decide(policy(), scores, reports)
    assert (verdict.status, verdict.flagged) == (status, flagged)


def test_site_thresholds_override_the_models():
    strict = policy({"toxicity": 0.2})
    assert decide(strict, {"toxicity": 0.3}).status == "held"
    lenient = policy({"toxicity": 0.95})
    assert decide(lenient, {"toxicity": 0.9}).status == "published"


def test_a_site_threshold_of_one_switches_the_attribute_off():
    swearing_allowed = policy({"toxicity": 1.0}, auto_reject=True, reject_thresholds={"toxicity": 1})
    verdict = decide(swearing_allowed, {"toxicity": 1.0, "insult": 0.1})  # obscenities do score 1.0
    assert (verdict.status, verdict.flagged, verdict.priority) == ("published", [], pytest.approx(0.125))
    assert decide(policy({"toxicity": 0.99}), {"toxicity": 1.0}).status == "held"


def test_site_thresholds_for_unreliable_or_unknown_attributes_do_not_count():
    verdict = decide(policy({"threat": 0.1, "made_up": 0.1, "toxicity": "high"}), {"threat": 0.9, "toxicity": 0.6})
    assert verdict.flagged == ["toxicity"]


def test_auto_reject_is_off_unless_the_site_turns_it_on():
    scores = {"toxicity": 0.99}
    assert decide(policy(reject_thresholds={"toxicity": 0.9}), scores).status == "held"
    on = policy(auto_reject=True, reject_thresholds={"toxicity": 0.9})
    assert decide(on, scores).status == "rejected"
    # Said, for the site: it had to infer "the model rejected it" from no decision, rule or sanction.
    assert decide(on, scores).flagged[-1] == "auto_rejected"
    assert decide(on, {"toxicity": 0.7}).status == "held" and "auto_rejected" not in decide(on, {"toxicity": 0.7}).flagged


def test_auto_reject_ignores_unreliable_attributes():
    on = policy(auto_reject=True, reject_thresholds={"threat": 0.5})
    assert decide(on, {"threat": 0.99}).status == "published"


def test_priority_grows_with_how_far_over_threshold_and_with_reports():
    p = policy()
    slightly = decide(p, {"toxicity": 0.55}).priority
    far = decide(p, {"toxicity": 1.0}).priority
    reported = with_reports(decide(p, {"toxicity": 1.0}, 4).priority, 4, p.report_threshold)
    assert slightly < far < reported
    assert far == pytest.approx(MODEL_BANDS["toxicity"][1])  # sure: the top of toxicity's band
    assert reported == pytest.approx(far + 2.0)  # twice the report threshold
    assert with_reports(far, 4, p.report_threshold, lift=4.0) == pytest.approx(far + 6.0)  # a reader at risk, on top


def test_a_zero_report_threshold_holds_on_the_first_report_without_dividing_by_zero():
    verdict = decide(policy(report_threshold=0), {"toxicity": 0.1}, 1)
    assert verdict.status == "held" and verdict.priority > 0
    assert decide(policy(report_threshold=0), {"toxicity": 0.1}, 0).status == "published"


def test_swearing_waits_in_the_queue_behind_an_attack():
    # The shipped model's thresholds: profanity's is the lower, so its ratio alone would come first.
    p = build_policy(model_attributes=("toxicity", "profanity"), model_thresholds={"toxicity": 0.508, "profanity": 0.503},
                     site_thresholds=None, report_threshold=2.0)
    kind_curse = decide(p, {"toxicity": 0.77, "profanity": 1.0})  # "Holy shit, that is great news"
    death_wish = decide(p, {"toxicity": 1.0, "profanity": 0.0})   # "... and I hope you die"
    assert kind_curse.status == death_wish.status == "held"
    assert kind_curse.flagged == ["toxicity", "profanity"]
    assert kind_curse.priority < death_wish.priority


def test_near_misses_are_the_attributes_at_half_their_threshold_or_more_and_switched_on():
    assert near_misses(policy(), {"toxicity": 0.25, "insult": 0.39}) == ["toxicity"]
    assert near_misses(policy(), {"toxicity": 0.24, "insult": 0.1, "threat": 0.99}) == []  # threat: unreliable
    assert near_misses(policy({"toxicity": 1.0}), {"toxicity": 0.9}) == []  # a site switched it off
