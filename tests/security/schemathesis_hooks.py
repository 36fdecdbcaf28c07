"""What our API refuses for reasons JSON Schema cannot say, so schemathesis does not call the refusal a bug.

Loaded by run_schemathesis (SCHEMATHESIS_HOOKS). Each rule here is a cross-field check the API makes
with a 400 naming its field, which the OpenAPI document says in words; a failure is dropped only
when the body did break that rule and the answer names it.
"""
from __future__ import annotations

import json

import schemathesis


def _own_parent(body) -> bool:  # noqa: ANN001
    return (isinstance(body, dict) and body.get("parent_id") is not None and "id" in body
            and str(body["parent_id"]).strip() == str(body["id"]).strip())


def _forged_cursor(case, error: dict) -> bool:  # noqa: ANN001
    """A changes-feed cursor of the right shape that we never returned (a draw cannot know the site's id
    or the database's transaction ids): the API refuses it, naming `after`."""
    return (case.path == "/api/v1/comments/changes" and error.get("field") == "after"
            and ("cursor this endpoint returned" in error.get("message", "")
                 or "another site's cursor" in error.get("message", "")))


def _story_id_no_comment_could_have(case, error: dict) -> bool:  # noqa: ANN001
    """A story id with "." or ".." between slashes, or U+FFFD as if it were bytes that are not UTF-8:
    refused as POST refuses it, which the schema says in words."""
    message = error.get("message", "")
    return (case.path == "/api/v1/stories/{story_id}" and error.get("field") == "story_id"
            and ("between slashes" in message or "not valid UTF-8" in message))


def _sanction_rule_in_words(case, error: dict) -> bool:  # noqa: ANN001
    """`days` given with a ban or pre-moderation, or missing from a suspension; an author id with "."
    or ".." between slashes: refused, as the schema says in words."""
    return (case.path == "/api/v1/sanctions" and isinstance(case.body, dict)
            and (error.get("field") == "days"
                 and ((case.body.get("kind") == "suspend") != (case.body.get("days") is not None))
                 or error.get("field") == "author_id" and "between slashes" in error.get("message", "")))


@schemathesis.hook
def filter_failure(context, failure, case, response) -> bool:  # noqa: ANN001 (schemathesis's hook signature)
    """Keep a failure unless it is one of the refusals above, made for the reason it names."""
    if response.status_code == 404 and case.path == "/api/v1/sanctions/lift":
        # Stateful runs lift an author the sanction they made was not on (or lifted already): nothing in force.
        return "has no sanction in force" not in response.text
    if response.status_code != 400:
        return True
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return True
    # A comment is not its own parent (400 invalid_field parent_id): a draw gave both the id 0.
    own_parent = _own_parent(case.body) and error.get("field") == "parent_id" and "own id" in error.get("message", "")
    return not (own_parent or _forged_cursor(case, error) or _story_id_no_comment_could_have(case, error)
                or _sanction_rule_in_words(case, error))
