"""A short, readable summary of a model card for the admin page; tolerant of cards missing any key."""
from __future__ import annotations

from typing import Any

from moderation.domain.label_export import one_sided
from moderation.domain.model_registry import copied_attributes

METRIC_NAMES = ("roc_auc", "pr_auc", "precision", "recall")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _code_spans(line: str) -> list[tuple[str, bool]]:
    """A line cut at its backticks: (text, whether it is `code`), as the page shows it."""
    return [(part, i % 2 == 1) for i, part in enumerate(line.split("`")) if part]


def _threshold_rule(selection: Any) -> str | None:
    """The card's threshold selection as one line: free text, or per attribute its target and whether it was met."""
    if isinstance(selection, str) or selection is None:
        return selection
    parts = []
    lowest = 0.0
    weightings = set()
    for attribute, rule in _dict(selection).items():
        rule = _dict(rule)
        weightings.add(rule.get("weighting"))
        target = rule.get("target_precision")
        if isinstance(target, (int, float)):
            met = "" if rule.get("target_reached", True) else " (not reached)"
            parts.append(f"{str(attribute).replace('_', ' ')}: precision ≥ {target:.2f}{met}")
        floor = rule.get("lowest_allowed")
        if isinstance(floor, (int, float)) and not isinstance(floor, bool):
            lowest = max(lowest, float(floor))
    if parts and lowest > 0:  # why profanity's threshold sits at 0.50 where 0.9 precision came lower
        parts.append(f"none below {lowest:.2f}")
    if parts and weightings == {"source-balanced"}:  # why the table's pooled precision reads 0.897, not 0.90
        # An admin checking "≥ 0.90" against the table's 0.871-0.897 found it false (an admin's walk).
        parts.append("the target counts each validation source alike, so the table's precision, which pools "
                     "the rows, can read below it")
    return "; ".join(parts) or None


def _weight(value: Any) -> float | None:
    """A source's weight when it is not the usual 1 (an admin comparing versions should see it)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value != 1:
        return float(value)
    return None


def card_summary(card: dict[str, Any] | None) -> dict[str, Any]:
    card = _dict(card)
    data = _dict(card.get("data"))
    metrics = _dict(card.get("metrics"))
    pooled = _dict(metrics.get("validation_pooled")) or {k: v for k, v in metrics.items() if isinstance(v, dict)}
    per_attribute = {
        attribute: {name: float(values[name]) for name in METRIC_NAMES if isinstance(values.get(name), (int, float))}
        for attribute, values in pooled.items()
        if isinstance(values, dict)
    }
    # Sources it never trained on (cad_reddit), scored after training: the nearest the card comes to
    # comments of a site it has not seen, and much lower than the pooled rows (toxicity 0.73 against 0.96).
    unseen = {
        source: {attribute: {name: float(values[name]) for name in METRIC_NAMES
                             if isinstance(values.get(name), (int, float))}
                 for attribute, values in _dict(by_attribute).items() if isinstance(values, dict)}
        for source, by_attribute in _dict(card.get("validation_only")).items()
    }
    # Each site's own decisions kept to measure the version (a retrained one's): what answers "is it
    # better for my site?", which a data scientist found only in the card's JSON.
    own_measured = {
        str(source).removeprefix("site:"): {
            attribute: {name: float(values[name]) for name in (*METRIC_NAMES, "n", "positives")
                        if isinstance(values.get(name), (int, float)) and not isinstance(values.get(name), bool)}
            for attribute, values in _dict(by_attribute).items() if isinstance(values, dict)}
        for source, by_attribute in _dict(metrics.get("validation_by_source")).items()
        if str(source).startswith("site:")
    }
    sources = [
        {"name": name, "licence": _dict(info).get("licence"), "attribution": _dict(info).get("attribution"),
         "weight": _weight(_dict(info).get("weight"))}
        for name, info in _dict(data.get("sources")).items()
        if _dict(info).get("trainable", True)
    ]
    copied = copied_attributes(card)  # too little data: their score is another attribute's
    # Attributes with few examples labelled by people: scored, but an admin should trust them less.
    thin = {attribute: note for attribute, note in _dict(card.get("thin_data")).items() if isinstance(note, str)}
    # Words the model may not count against a comment (identity words, people's and parties'
    # names): what an admin needs when asked why "Biden" or "jews" alone is never a reason.
    neutral = _dict(card.get("identity_term_neutralisation"))
    neutral_words = [w for w in [*(neutral.get("terms") or []), *(neutral.get("word_only") or [])] if isinstance(w, str)]
    neutral_heads = [h for h in neutral.get("heads") or [] if isinstance(h, str)]
    # Scores never below another's (an identity attack is toxic): why a neutral word can still
    # stand behind a toxicity score.
    # Parsed here rather than by classifiers.floors.ScoreFloors.from_card, which refuses a whole
    # card for one bad pair: this page shows whatever a card holds and never fails on it.
    pairs = _dict(_dict(card.get("scoring")).get("floors")).get("pairs")
    floors = [
        {"attribute": p["attribute"], "at_least": p["at_least"], "scale": float(p["scale"])}
        for p in map(_dict, pairs if isinstance(pairs, list) else [])
        if isinstance(p.get("attribute"), str) and isinstance(p.get("at_least"), str)
        and isinstance(p.get("scale"), (int, float)) and not isinstance(p.get("scale"), bool)
    ]
    thresholds = {a: float(t) for a, t in _dict(card.get("thresholds")).items()
                  if isinstance(t, (int, float)) and not isinstance(t, bool)}
    # Each site's own labels the version learnt from ("site:daily-planet" -> rows, toxic and not):
    # what sets a retrained version apart, which the pooled public metrics cannot show. A queue
    # holds mostly what the model flagged, so the approvals can be a handful (105 toxic, 2 not).
    own = {str(source).removeprefix("site:"): _own_counts(_dict(info))
           for source, info in _dict(_dict(card.get("training_data")).get("own_labels")).items()}
    return {
        "name": card.get("name"),
        "thresholds": thresholds,
        "own_labels": own,
        "trained_at": card.get("trained_at") or card.get("created_at") or card.get("date"),
        "train_rows": data.get("train_rows"),
        # What the pooled metrics were measured on: the public validation rows, on a card that says
        # so; before, the site's own rows were pooled in too.
        "validation_rows": data.get("public_validation_rows", data.get("validation_rows")),
        "pooled_on_public": "public_validation_rows" in data,
        "threshold_selection": _threshold_rule(card.get("threshold_selection")),
        "metrics": per_attribute,
        "unseen": unseen,
        "own_measured": own_measured,
        "sources": sources,
        "copied": copied,
        "thin": thin,
        "neutral_words": sorted(set(neutral_words)),
        "neutral_heads": neutral_heads,
        "floors": floors,
        # What the model is known to get wrong, in the trainer's words: shown as a list, since an
        # admin deciding whether to promote a version should not have to find it in the JSON.
        "limitations": [_code_spans(line) for line in _list(card.get("limitations")) if isinstance(line, str)],
    }



HOLDS_ALMOST_NOTHING = 0.95


def promotion_note(card: dict[str, Any] | None) -> str:
    """What the card says of a version that learnt from a site's one-sided labels, or whose thresholds
    hold almost nothing, as sentences for a promotion's question: it lived only on the card page,
    which promoting never shows (an admin's walk promoted one trained on 19 rejections and 1
    approval without a word)."""
    summary = card_summary(card)
    thin = [f"{site}'s {info['rows']} labels ({info['toxic']} toxic, {info['civil']} not)"
            for site, info in summary["own_labels"].items() if info["fewer"]]
    high = sorted(a for a, t in summary["thresholds"].items() if t >= HOLDS_ALMOST_NOTHING)
    # A threshold so high it holds almost nothing: a data scientist's retrained version came out at
    # toxicity 0.999 and the promotion asked nothing (it would have published 3 in 4 of what the site
    # wanted held).
    almost = (f" Its {' and '.join(a.replace('_', ' ') for a in high)} threshold{'s' if len(high) > 1 else ''} "
              f"{'are' if len(high) > 1 else 'is'} {HOLDS_ALMOST_NOTHING} or more, so it holds almost nothing there; "
              "a site's own thresholds, if set, are used instead.") if high else ""
    if not thin:
        return almost
    return f" It learnt from {' and '.join(thin)}: one-sided, few of one kind to learn from." + almost


def _own_counts(info: dict[str, Any]) -> dict[str, Any]:
    """Rows, and how many the site's labels call toxic and not (the card's label_counts.toxicity)."""
    toxicity = _dict(_dict(info.get("label_counts")).get("toxicity"))
    known, toxic = toxicity.get("known"), toxicity.get("positive")
    counted = isinstance(known, int) and isinstance(toxic, int)
    civil = known - toxic if counted else None
    trained_on, validation = info.get("trained_on"), info.get("validation")
    split = isinstance(trained_on, int) and isinstance(validation, int)
    return {"rows": info.get("rows"), "toxic": toxic if counted else None, "civil": civil,
            "fewer": one_sided(toxic, civil) if counted else None,
            "trained_on": trained_on if split else None, "validation": validation if split else None}
