"""Reading Perspective request bodies: attribute names, languages, text.

Perspective is a protobuf service behind Google's JSON gateway, which accepts each field in
lowerCamelCase ("requestedAttributes") and in its proto name ("requested_attributes"); clients use
both (Google's own JavaScript samples send "attribute_scores"), so we read both.
"""
from __future__ import annotations

import json
import re
from typing import Any

import json5

from moderation.domain.lookalikes import reads_as_empty
from moderation.json_numbers import finite_numbers, unique_keys
from moderation.perspective.errors import InvalidArgument

# Perspective's limit on comment.text: 20 KB of UTF-8.
MAX_TEXT_BYTES = 20 * 1024
SUPPORTED_LANGUAGES = ("en",)

# Perspective's names, production and experimental spellings, to the attribute our model scores.
ATTRIBUTE_NAMES: dict[str, str] = {}
for _ours in ("toxicity", "severe_toxicity", "insult", "identity_attack", "profanity", "threat"):
    ATTRIBUTE_NAMES[_ours.upper()] = _ours
    ATTRIBUTE_NAMES[_ours.upper() + "_EXPERIMENTAL"] = _ours

# Perspective's attributes we do not score: a client that asks for one with
# `dropUnsupportedAttributes` gets the others (a data scientist's walk: asking for TOXICITY and
# SEXUALLY_EXPLICIT lost TOXICITY too), and without it a 400 that says which and why.
PERSPECTIVE_ONLY = frozenset({
    "SEXUALLY_EXPLICIT", "FLIRTATION", "ATTACK_ON_AUTHOR", "ATTACK_ON_COMMENTER", "INCOHERENT", "INFLAMMATORY",
    "LIKELY_TO_REJECT", "OBSCENE", "SPAM", "UNSUBSTANTIAL", "AFFINITY_EXPERIMENTAL", "COMPASSION_EXPERIMENTAL",
    "CURIOSITY_EXPERIMENTAL", "NUANCE_EXPERIMENTAL", "PERSONAL_STORY_EXPERIMENTAL", "REASONING_EXPERIMENTAL",
    "RESPECT_EXPERIMENTAL", "TOXICITY_OLD", "SEVERE_TOXICITY_OLD", "SEXUALLY_EXPLICIT_EXPERIMENTAL",
})

_SNAKE = re.compile(r"(?<!^)(?=[A-Z])")


def field(body: dict[str, Any], camel: str, default: Any = None) -> Any:
    """body[camel], or body[snake_case(camel)]."""
    if camel in body:
        return body[camel]
    snake = _SNAKE.sub("_", camel).lower()
    return body.get(snake, default)


_NUMBERS = finite_numbers(lambda what: InvalidArgument(f"Invalid JSON payload received. {what[0].upper()}{what[1:]}."))
_UNIQUE_KEYS = unique_keys(lambda key: InvalidArgument(
    f"Invalid JSON payload received. Duplicate field {json.dumps(key)[:60]}."))


# Google's JSON front end reads more than JSON: Perspective's own quickstart sends
# {comment: {text: "..."}, requestedAttributes: {TOXICITY: {}}}, keys unquoted. Read that as JSON5
# (a superset) when strict JSON fails, for short bodies only: the JSON5 parser is pure Python, and
# at 64 KB a body cost 1.6-4 s of CPU, so eight at once held another site's request for 23 s.
# Hand-typed bodies are this small; programs send JSON, which stays on the fast path at any size.
MAX_RELAXED_BYTES = 4 * 1024


def parse_json(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark is allowed, as json.loads reads bytes
    except UnicodeDecodeError:
        # Said plainly rather than as Python's codec message: a gzip body starts 0x1f 0x8b.
        compressed = raw[:2] == b"\x1f\x8b"
        raise InvalidArgument("Invalid JSON payload received. The body is "
                              + ("compressed (gzip): say so with Content-Encoding: gzip, or send it uncompressed." if compressed else "not UTF-8 text.")) from None
    try:
        body = json.loads(text, object_pairs_hook=_UNIQUE_KEYS, **_NUMBERS)
    except (ValueError, RecursionError) as error:
        body = _relaxed(text, len(raw), error)
    if not isinstance(body, dict):
        raise InvalidArgument("Invalid JSON payload received. Expected an object at the top level.")
    _check_encodable(body, "")
    return body


def _in_words(error: Exception) -> str:
    """What was wrong, as a client can act on it: the JSON parser's message names where it broke,
    but Python's own ("maximum recursion depth exceeded", "use sys.set_int_max_str_digits()") are
    our internals, which a re-check saw quoted back."""
    if isinstance(error, RecursionError):
        return "Arrays or objects are nested too deeply."
    if isinstance(error, json.JSONDecodeError):
        return str(error)
    return "A number in it is too long."


def _relaxed(text: str, size: int, strict_error: Exception) -> Any:
    if size > MAX_RELAXED_BYTES:
        raise InvalidArgument(f"Invalid JSON payload received. {_in_words(strict_error)} (bodies over "
                              f"{MAX_RELAXED_BYTES} bytes must be strict JSON)") from None
    try:
        return json5.loads(text, object_pairs_hook=_UNIQUE_KEYS, **_NUMBERS)
    except InvalidArgument:
        raise
    except (ValueError, RecursionError):  # the strict parser's message names the first problem best
        raise InvalidArgument(f"Invalid JSON payload received. {_in_words(strict_error)}") from None


def _check_encodable(value: Any, path: str) -> None:
    """Refuse unpaired surrogates anywhere: "\\ud800" is valid JSON, yet no UTF-8 can carry it, so
    the model's hashing (and anything we store) would fail on it later."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidArgument(f'Invalid JSON payload received. "{path or "body"}" contains an unpaired '
                                  "surrogate, which is not valid Unicode text.") from None
    elif isinstance(value, int) and value.bit_length() > 14_000:
        # JSON5's hex (0xfff...) reads past Python's 4,300-digit limit, and storing it failed with a 500 (a re-check).
        raise InvalidArgument(f'Invalid JSON payload received. "{path or "body"}" holds a number too long to read.')
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_encodable(key, path)
            _check_encodable(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_encodable(item, f"{path}[{index}]")


def check_storable(value: Any, name: str) -> None:
    """Refuse NUL in any string of a value we store: PostgreSQL's text and jsonb cannot hold it."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidArgument(f'Invalid JSON payload received. "{name}" must not contain NUL characters.')
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(key, name)
            check_storable(item, name)
    elif isinstance(value, list):
        for item in value:
            check_storable(item, name)


def comment_text(body: dict[str, Any]) -> str:
    comment = field(body, "comment")
    if comment is None:
        raise _empty()
    if not isinstance(comment, dict):
        raise InvalidArgument('Invalid JSON payload received. "comment" must be an object.')
    text = comment.get("text")
    if text is not None and not isinstance(text, str):
        raise InvalidArgument('Invalid JSON payload received. "comment.text" must be a string.')
    if reads_as_empty(text):  # "\u200b\u200b" and "<p></p>" are as empty as "  " to a reader
        raise _empty()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:  # Perspective's own words, which clients may match
        raise InvalidArgument(f"Comment text was too many bytes. Value ({size}) exceeded limit ({MAX_TEXT_BYTES}).",
                              error_type="COMMENT_TOO_LONG")
    kind = comment.get("type")
    if kind not in (None, "PLAIN_TEXT", "TEXT_TYPE_UNSPECIFIED"):
        raise InvalidArgument("Currently, only 'PLAIN_TEXT' comments are supported.")
    return text


def _empty() -> InvalidArgument:
    return InvalidArgument("Comment must be non-empty.", error_type="COMMENT_EMPTY")


def languages(body: dict[str, Any]) -> list[str]:
    """The languages the client named, as given (Coral sends "EN"); empty when it named none."""
    value = field(body, "languages")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidArgument('Invalid JSON payload received. "languages" must be a list of strings.')
    return value


def language_refused(attribute: str, unsupported: list[str], *, requested: list[str],
                     detected: list[str]) -> InvalidArgument:
    """Perspective's refusal, word for word (a client may compare the message), and its details,
    on which clients skip the comment instead of failing."""
    return InvalidArgument(
        f"Attribute {attribute} does not support request languages: {', '.join(unsupported)}",
        error_type="LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
        languageNotSupportedByAttributeError={"requestedLanguages": requested, "detectedLanguages": detected,
                                              "attribute": attribute})


def english_named_and_read(requested: list[str], detected: str) -> list[str]:
    """The languages to refuse: those not English, but none when English is among those named and
    the text reads as English. A bilingual site names both of its languages ("en", "es"): an English
    comment is scored and its feedback taken, as Perspective took them; both had been refused (an
    integrator's walk, then a re-check of comments:suggestscore)."""
    unsupported = unsupported_languages(requested)
    if unsupported and len(unsupported) < len(requested) and not unsupported_languages([detected]):
        return []
    return unsupported


def unsupported_languages(requested: list[str]) -> list[str]:
    """Those not English. Both ISO 639-1 and BCP-47 codes count ("en", "EN", "en-GB", "en_US")."""
    return [lang for lang in requested if re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() not in SUPPORTED_LANGUAGES]


def optional_string(body: dict[str, Any], camel: str) -> str | None:
    value = field(body, camel)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidArgument(f'Invalid JSON payload received. "{camel}" must be a string.')
    return value


# Google's JSON front end reads a bool from a string as protobuf's safe_strtob does (any case); Coral
# Talk v4's plugin sends `"doNotStore": "true"` whenever its documented TALK_PERSPECTIVE_DO_NOT_STORE
# is set, and every comment it sent was refused, and so published unscored (a migrating site's walk).
_TRUE, _FALSE = {"true", "t", "yes", "y", "1"}, {"false", "f", "no", "n", "0"}


def optional_bool(body: dict[str, Any], camel: str) -> bool:
    """true or false, as JSON or as a string; null or absent is false (proto3 JSON's default)."""
    value = field(body, camel)
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if not isinstance(value, bool):
        raise InvalidArgument(f'Invalid JSON payload received. "{camel}" must be true or false.')
    return value
