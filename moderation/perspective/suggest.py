"""comments:suggestscore: a site tells us what a comment's score should have been.

Each call becomes a LabelledExample (source "suggestscore") that retraining can use. Labels use
our attribute names ({"toxicity": 1.0}). Coral sends its moderators' decisions here, not scores:
older Coral as the attribute name ("APPROVED" or "DELETED", value 1), Coral today as the model it
scores with at 0 (approved) or 1 (deleted), with `communityId` "Coral:<site>" and `clientToken`
"comment:<id>". Both are kept as {"approved": 1.0} or {"rejected": 1.0}: a comment deleted as spam
or off topic is a decision, not a claim that it is toxic, and training must not read it as one.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from classifiers import language
from moderation.models import LabelledExample
from moderation.perspective import fields
from moderation.perspective.errors import InvalidArgument

SOURCE = "suggestscore"
# Older Coral names its moderators' decision as the attribute: a featured ("HIGHLIGHTED") comment
# is one a moderator chose to show, an approval.
DECISION_NAMES = {"APPROVED": "approved", "HIGHLIGHTED": "approved", "DELETED": "rejected"}


@dataclass
class SuggestRequest:
    text: str
    labels: dict[str, float]
    languages: list[str]
    client_token: str | None
    community_id: str | None
    context: dict[str, Any] | None
    detected: str = "en"


def parse_suggest(body: dict[str, Any], *, max_context_bytes: int = 32 * 1024) -> SuggestRequest:
    text = fields.comment_text(body)
    fields.check_storable(text, "comment.text")
    scores = fields.field(body, "attributeScores")
    if not scores:
        raise InvalidArgument("Missing attribute_scores")
    if not isinstance(scores, dict):
        raise InvalidArgument('Invalid JSON payload received. "attributeScores" must be an object.')
    labels: dict[str, float] = {}
    for name, score in scores.items():
        ours = fields.ATTRIBUTE_NAMES.get(name) or DECISION_NAMES.get(name)
        if ours is None:
            known = ", ".join([*fields.ATTRIBUTE_NAMES, *DECISION_NAMES])
            raise InvalidArgument(f"Unknown attribute: {name}. Supported attributes: {known}.")
        labels[ours] = _summary_value(name, score, _offsets_up_to(text))
    if labels.get("approved") and labels.get("rejected"):  # HIGHLIGHTED with DELETED: no decision to learn
        raise InvalidArgument("A comment cannot be both approved (APPROVED, HIGHLIGHTED) and deleted (DELETED).")
    languages = fields.languages(body)
    detected = language.detect(text).code
    unsupported = fields.english_named_and_read(languages or [detected], detected)
    if unsupported:
        # Labels for a language the model cannot read would only confuse retraining.
        raise fields.language_refused(next(iter(scores)), unsupported, requested=languages, detected=[detected])
    fields.optional_string(body, "sessionId")
    client_token = _bounded(fields.optional_string(body, "clientToken"), "clientToken")
    community_id = _bounded(fields.optional_string(body, "communityId"), "communityId")
    return SuggestRequest(
        text=text,
        labels=_coral_decision(labels, client_token, community_id) or labels,
        languages=languages,
        client_token=client_token,
        community_id=community_id,
        context=_context(body, max_context_bytes),
        detected=detected,
    )


def _coral_decision(labels: dict[str, float], client_token: str | None, community_id: str | None) -> dict[str, float] | None:
    """Coral's moderation decision sent as one model score of exactly 0 or 1 (its services/perspective
    formatBody), as a decision; None for anything else."""
    if not (community_id or "").startswith("Coral:") or not (client_token or "").startswith("comment:"):
        return None
    if len(labels) != 1:
        return None
    (name, value), = labels.items()
    if name in DECISION_NAMES.values() or value not in (0.0, 1.0):
        return None
    return {"approved": 1.0} if value == 0.0 else {"rejected": 1.0}


def _context(body: dict[str, Any], max_bytes: int) -> dict[str, Any] | None:
    context = fields.field(body, "context")
    if context is None:
        return None
    if not isinstance(context, dict):
        raise InvalidArgument('Invalid JSON payload received. "context" must be an object.')
    fields.check_storable(context, "context")
    # Each call stores its context: without a limit one client fills the disk a megabyte at a time.
    size = len(json.dumps(context, ensure_ascii=False).encode("utf-8"))
    if size > max_bytes:
        raise InvalidArgument(f'"context" is too large: {size} bytes of JSON; the limit is {max_bytes}.')
    return context


def _offsets_up_to(text: str) -> int:
    """The furthest a span may end: the text's length in code points or in UTF-16 units, whichever
    a client counted in (JavaScript's strings count the latter)."""
    return max(len(text), len(text.encode("utf-16-le", "surrogatepass")) // 2)


def _summary_value(name: str, score: Any, limit: int) -> float:
    """The summary score; or, for a suggestion of span scores only (Perspective takes "just summary
    scores, just span scores, or both"), the highest span's: one toxic sentence makes a toxic comment."""
    if not isinstance(score, dict):
        raise InvalidArgument(f"attributeScores.{name} must be an object with a summaryScore or spanScores.")
    summary = fields.field(score, "summaryScore")
    spans = fields.field(score, "spanScores")
    if spans is not None and not isinstance(spans, list):
        raise InvalidArgument(f'Invalid JSON payload received. "attributeScores.{name}.spanScores" must be a list.')
    values = [_span_value(f"attributeScores.{name}.spanScores[{i}]", span, limit) for i, span in enumerate(spans or [])]
    if summary is None and values:
        return max(values)
    return _value(f"attributeScores.{name}.summaryScore.value", summary)


def _span_value(where: str, span: Any, limit: int) -> float:
    """A span's score, its offsets checked though only the score is kept: a span ending before it
    begins, or past the text, is a client's bug worth telling it about (one was taken). Offsets are
    proto3 int32s, which JSON may spell 3, 3.0 or "3"."""
    if not isinstance(span, dict):
        return _value(f"{where}.score.value", None)
    begin, end = (_offset(f"{where}.{key}", fields.field(span, key), limit) for key in ("begin", "end"))
    if begin is not None and end is not None and begin > end:
        raise InvalidArgument(f"{where}.begin ({begin}) must not be past its end ({end}).")
    return _value(f"{where}.score.value", fields.field(span, "score"))


def _offset(where: str, raw: Any, limit: int) -> int | None:
    if raw is None:
        return None
    if isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 18:  # int() refuses 4,300 digits
        raw = int(raw)
    elif isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
        raise InvalidArgument(f"{where} must be a whole number of 0 or more.")
    if raw > limit:
        raise InvalidArgument(f"{where} ({raw}) is past the end of the text ({limit}).")
    return raw


def _value(where: str, score: Any) -> float:
    value = fields.field(score, "value") if isinstance(score, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"{where} must be a number between 0 and 1.")
    if not 0 <= value <= 1:
        raise InvalidArgument(f"{where} must be between 0 and 1, not {value}.")
    return float(value)


def _bounded(value: str | None, name: str) -> str | None:
    # The columns hold 200 characters; a longer token is a client bug worth telling it about.
    if value is not None and len(value) > 200:
        raise InvalidArgument(f"{name} must be at most 200 characters.")
    fields.check_storable(value, name)
    return value


def store_suggestion(session: Session, site_id: int, request: SuggestRequest) -> LabelledExample:
    # The labels are kept as sent; `dataset export` reads them as 0/1 (domain/reason_labels.py).
    example = LabelledExample(
        site_id=site_id,
        text=request.text,
        labels=request.labels,
        source=SOURCE,
        kind=SOURCE,
        actor=f"site:{site_id}",
        client_token=request.client_token,
        community_id=request.community_id,
        context=request.context,
    )
    session.add(example)
    session.flush()
    return example


def suggest_response(request: SuggestRequest) -> dict[str, Any]:
    """Perspective's SuggestCommentScoreResponse: the token echoed, and the languages."""
    requested = request.languages or ["en"]
    response: dict[str, Any] = {"detectedLanguages": [request.detected], "requestedLanguages": requested}
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response
