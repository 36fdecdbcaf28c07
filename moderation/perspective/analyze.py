"""comments:analyze: Perspective's request in, Perspective's response out, our model in between."""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field as dc_field
from typing import Any

from classifiers import language
from classifiers.sentences import reading_spans
from moderation.domain.model_contract import Model
from moderation.perspective import fields
from moderation.perspective import plain_words
from moderation.perspective.cache import LRUCache, text_digest
from moderation.perspective.errors import InvalidArgument

SCORE_TYPE = "PROBABILITY"


@dataclass(frozen=True)
class RequestedAttribute:
    name: str  # as the client spelled it, e.g. "TOXICITY_EXPERIMENTAL": the answer uses it
    ours: str  # our model's attribute, e.g. "toxicity"
    threshold: float | None = None


@dataclass
class AnalyzeRequest:
    text: str
    attributes: list[RequestedAttribute]
    languages: list[str] = dc_field(default_factory=list)
    do_not_store: bool = False
    span_annotations: bool = False
    drop_unsupported: bool = False
    client_token: str | None = None


def parse_analyze(body: dict[str, Any]) -> AnalyzeRequest:
    text = fields.comment_text(body)
    requested = fields.field(body, "requestedAttributes")
    if not requested:
        raise InvalidArgument("Missing requested_attributes", error_type="NO_REQUESTED_ATTRIBUTES")
    if not isinstance(requested, dict):
        raise InvalidArgument('Invalid JSON payload received. "requestedAttributes" must be an object.')
    drop_unsupported = fields.optional_bool(body, "dropUnsupportedAttributes")
    attributes = [_requested_attribute(name, params) for name, params in requested.items()
                  if not (drop_unsupported and name in fields.PERSPECTIVE_ONLY)]
    # sessionId, communityId and context are accepted and, as in Perspective, do not change scores.
    for name in ("sessionId", "communityId"):
        fields.optional_string(body, name)
    context = fields.field(body, "context")
    if context is not None and not isinstance(context, dict):
        raise InvalidArgument('Invalid JSON payload received. "context" must be an object.')
    return AnalyzeRequest(
        text=text,
        attributes=attributes,
        languages=fields.languages(body),
        do_not_store=fields.optional_bool(body, "doNotStore"),
        span_annotations=fields.optional_bool(body, "spanAnnotations"),
        drop_unsupported=drop_unsupported,
        client_token=fields.optional_string(body, "clientToken"),
    )


def _requested_attribute(name: str, params: Any) -> RequestedAttribute:
    ours = fields.ATTRIBUTE_NAMES.get(name)
    if ours is None:
        known = ", ".join(n for n in fields.ATTRIBUTE_NAMES)
        if name in fields.PERSPECTIVE_ONLY:
            raise InvalidArgument(f"Attribute {name} is Perspective's; this service does not score it. Supported "
                                  f"attributes: {known}. Send dropUnsupportedAttributes: true to have it left out.")
        raise InvalidArgument(f"Unknown requested attribute: {name}. Supported attributes: {known}.")
    params = params if params is not None else {}
    if not isinstance(params, dict):
        raise InvalidArgument(f'Invalid JSON payload received. "requestedAttributes.{name}" must be an object.')
    score_type = fields.field(params, "scoreType")
    # SCORE_TYPE_UNSPECIFIED is the proto's default, which Perspective reads as probability.
    if score_type not in (None, SCORE_TYPE, "SCORE_TYPE_UNSPECIFIED"):
        raise InvalidArgument(f"Requested score type {score_type} is not supported by attribute {name}")
    threshold = fields.field(params, "scoreThreshold")
    if isinstance(threshold, str):  # proto3 JSON takes a float as a string too ("0.5"), as Google does (a re-check)
        try:
            # As JSON spells a number: Python's float also reads "0_1" (as 1.0) and full-width digits.
            if not _JSON_NUMBER.fullmatch(threshold.strip()):
                raise ValueError(threshold)
            threshold = float(threshold.strip())
        except ValueError:
            raise InvalidArgument(f"scoreThreshold for {name} must be a number between 0 and 1.") from None
    if threshold is not None:
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise InvalidArgument(f"scoreThreshold for {name} must be a number between 0 and 1.")
        threshold = float(threshold)
    return RequestedAttribute(name=name, ours=ours, threshold=threshold)


_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _scored_by(model: Model, attributes: list[RequestedAttribute], drop: bool) -> list[RequestedAttribute]:
    """The requested attributes the serving model scores with a head of its own, as the worker keeps
    only those (domain/scoring.py): a version trained without one would have answered it with a
    copy of toxicity here (an onboarding review). Others are left out with dropUnsupportedAttributes,
    else refused naming them."""
    own = set(getattr(model, "attributes", ()) or ())
    if not own:
        return attributes
    missing = [a.name for a in attributes if a.ours not in own]
    if missing and not drop:
        raise InvalidArgument(f"Attribute {missing[0]} is not scored by the model version serving this key "
                              f"({getattr(model, 'version', 'unknown')}). Send dropUnsupportedAttributes: true to have it "
                              "left out.")
    return [a for a in attributes if a.ours in own]


def _detected(text: str, whole: language.Language) -> list[str]:
    """The whole text's language, then another a part of it is in: a Spanish threat after an English
    sentence was scored as English with only "en" detected, so a client had nothing to notice it by
    (a bilingual paper's walk). The comment API's `other_language` rule holds such a comment."""
    part = language.foreign_part(text, whole) if whole.readable else None
    return [whole.code] + ([part[0].code] if part is not None and part[0].code != whole.code else [])


def analyze(model: Model, request: AnalyzeRequest, cache: LRUCache | None, site_id: int,
            kinds: frozenset[str] = frozenset()) -> dict[str, Any]:
    """Score the text and answer the way Perspective does. `cache` is skipped for doNotStore.
    `kinds`: the kinds whose matchers raise the site's scores (plain_words.lifting).

    Cache entries belong to the site that asked: a shared entry would answer another site faster,
    telling it which texts this site had analysed."""
    # As Perspective does: the languages the client named, else those detected (English when unsure).
    found = language.detect(request.text)
    detected = found.code
    languages = request.languages or [detected]
    unsupported = fields.english_named_and_read(languages, detected)
    attributes = request.attributes
    if unsupported:
        if not request.drop_unsupported:
            raise fields.language_refused(attributes[0].name, unsupported, requested=request.languages,
                                          detected=[detected])
        attributes = []  # Perspective drops every attribute the language does not support: here, all

    attributes = _scored_by(model, attributes, request.drop_unsupported)
    scores: dict[str, float] = {}
    spans: dict[str, list[dict[str, Any]]] = {}
    if attributes:
        use_cache = cache if not request.do_not_store else None
        digest = text_digest(request.text) if use_cache is not None else ""
        # The kinds that lift are in the key: a rule set to flag is not answered from before it was,
        # and a change to the site's other rules keeps what is cached.
        kinds = kinds.intersection(plain_words.RAISES)
        key = (site_id, digest, kinds)
        scores, matched = _scores(model, request.text, use_cache, key, kinds)
        if request.span_annotations:
            spans = _spans(model, request.text, sorted({a.ours for a in attributes}), scores, matched, use_cache,
                           key, kinds)

    attribute_scores: dict[str, Any] = {}
    whole = utf16_offsets(request.text)(len(request.text))
    for attribute in attributes:
        value = scores[attribute.ours]
        if attribute.threshold is not None and value < attribute.threshold:
            continue  # Perspective leaves out attributes scoring below the requested threshold
        answer: dict[str, Any] = {"summaryScore": {"value": value, "type": SCORE_TYPE}}
        if request.span_annotations:
            answer["spanScores"] = [
                {"begin": span["begin"], "end": span["end"], "score": {"value": span["score"], "type": SCORE_TYPE}}
                for span in spans.get(attribute.ours, [])
            ]
        else:  # as Perspective answers: one span, the whole text, which clients read as spanScores[0]
            answer["spanScores"] = [{"begin": 0, "end": whole, "score": {"value": value, "type": SCORE_TYPE}}]
        attribute_scores[attribute.name] = answer

    response: dict[str, Any] = {
        "attributeScores": attribute_scores,
        "languages": languages,
        "detectedLanguages": _detected(request.text, found),
    }
    if request.client_token is not None:
        response["clientToken"] = request.client_token
    return response


# About what an entry takes in memory (tracemalloc): a dict of six scores, and one span's dict.
SCORES_BYTES = 600
SPAN_BYTES = 280


def _scores(model: Model, text: str, cache: LRUCache | None, digest: tuple[int, str, frozenset[str]],
            kinds: frozenset[str]) -> tuple[dict[str, float], bool]:
    """The text's scores, and whether the plain-words matchers read anything in it: kept together, so
    a request for spans does not run the matchers over the whole text a second time."""
    key = (model.version, *digest)
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit
    found = plain_words.floors(text, kinds)
    scored = plain_words.raised(model.score([text])[0], found), bool(found)
    if cache is not None:
        cache.put(key, scored, SCORES_BYTES)
    return scored


def _spans(model: Model, text: str, attributes: list[str], scores: dict[str, float], matched: bool,
           cache: LRUCache | None, digest: tuple[int, str, frozenset[str]],
           kinds: frozenset[str]) -> dict[str, list[dict[str, Any]]]:
    """Perspective's span scores: one per sentence, in order, each sentence scored as a text of its
    own ("done at per-sentence level"); a text of one sentence has its summary score there."""
    key = (model.version, *digest, "spans", tuple(attributes))
    if cache is not None:
        hit = cache.get(key)
        if hit is not None:
            return hit
    sentences = _at_most(reading_spans(text), MAX_SPANS)
    if len(sentences) > 1:
        sentence_scores = model.score([text[b:e] for b, e in sentences])
        if matched:  # the sentences the matchers read, raised as the whole is
            sentence_scores = [plain_words.raised(found, plain_words.floors(text[b:e], kinds))
                               for (b, e), found in zip(sentences, sentence_scores)]
    else:
        sentence_scores = [scores] * len(sentences)
    unit = utf16_offsets(text)
    spans = {
        attribute: [{"begin": unit(b), "end": unit(e), "score": found[attribute]}
                    for (b, e), found in zip(sentences, sentence_scores)]
        for attribute in attributes
    }
    if cache is not None:
        cache.put(key, spans, SPAN_BYTES * len(sentences) * len(attributes))
    return spans


# Each span is a text scored: a 20 KB text of 6,826 two-character sentences cost 6,826 of them and
# built a 3.4 MB answer, and 15 such requests a second, a quarter of a percent of one key's quota,
# held every other site's answers past Coral's 800 ms (a migrating site's walk). A comment of more
# sentences than this has its neighbours scored together, in as many spans as this.
MAX_SPANS = 100


def _at_most(spans: list[tuple[int, int]], most: int) -> list[tuple[int, int]]:
    """`spans` (begin, end), consecutive ones joined so that there are at most `most`, evenly."""
    if len(spans) <= most:
        return spans
    cuts = [round(i * len(spans) / most) for i in range(most + 1)]
    return [(spans[a][0], spans[b - 1][1]) for a, b in zip(cuts, cuts[1:])]


def utf16_offsets(text: str) -> Callable[[int], int]:
    """Offset in code points -> offset in UTF-16 code units, Perspective's unit (and JavaScript's
    string index): each character beyond U+FFFF, an emoji most often, counts two."""
    if text.isascii() or max(text) <= "\uffff":
        return lambda offset: offset
    astral = list(itertools.accumulate((ord(c) > 0xFFFF for c in text), initial=0))
    return lambda offset: offset + astral[offset]
