"""Google's partial responses: `?fields=` names the parts of the answer a client wants.

Google's APIs take it on every method: names joined by "/" to go down and "," for several, with
parentheses for several under one name (`attributeScores(TOXICITY/summaryScore,INSULT),languages`),
and `*` for every key. It was ignored here, so a client that asked for less got everything (a site
developer's walk). A name the answer does not
have selects nothing, as a map key that is absent does; a selection that does not parse is refused.
"""
from __future__ import annotations

import re
from typing import Any

from moderation.perspective.errors import InvalidArgument

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\*")
MAX_FIELDS_LENGTH = 1000
# The answer is four levels deep; a selection nested past this is refused before it nears Python's
# recursion limit ("a/" 499 times under the length cap is 499 calls deep).
MAX_DEPTH = 10

Selection = dict[str, "Selection | None"]  # None: the whole value under that name


def parse_fields(raw: str | None) -> Selection | None:
    """The selection `raw` names, or None (everything) when there is none."""
    if raw is None or not raw.strip():
        return None
    text = "".join(raw.split())
    if len(text) > MAX_FIELDS_LENGTH:
        raise InvalidArgument(f"Invalid field selection: longer than {MAX_FIELDS_LENGTH} characters.")
    selection, end = _selections(text, 0, 0)
    if end != len(text):
        raise _invalid(raw)
    return selection


def select_fields(value: Any, selection: Selection | None) -> Any:
    """`value` with only the selected parts; lists keep each element's selected parts."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [select_fields(item, selection) for item in value]
    if not isinstance(value, dict):
        return value
    chosen = {}
    for key, item in value.items():
        if key in selection:
            chosen[key] = select_fields(item, selection[key])
        elif "*" in selection:
            chosen[key] = select_fields(item, selection["*"])
    return chosen


def _selections(text: str, at: int, depth: int) -> tuple[Selection, int]:
    selection: Selection = {}
    while True:
        at = _selection(text, at, selection, depth)
        if text.startswith(",", at):
            at += 1
            continue
        return selection, at


def _selection(text: str, at: int, into: Selection, depth: int) -> int:
    name = _NAME.match(text, at)
    if name is None:
        raise _invalid(text)
    if depth >= MAX_DEPTH:
        raise InvalidArgument(f"Invalid field selection: nested more than {MAX_DEPTH} deep.")
    at = name.end()
    below: Selection | None
    if text.startswith("/", at):
        below = {}
        at = _selection(text, at + 1, below, depth + 1)
    elif text.startswith("(", at):
        below, at = _selections(text, at + 1, depth + 1)
        if not text.startswith(")", at):
            raise _invalid(text)
        at += 1
    else:
        below = None
    _merge(into, name.group(), below)
    return at


def _merge(into: Selection, name: str, below: Selection | None) -> None:
    """`a/b,a/c` selects both under `a`; `a,a/b` selects all of `a`."""
    if name not in into:
        into[name] = below
        return
    kept = into[name]
    if kept is None or below is None:
        into[name] = None
        return
    for key, value in below.items():
        _merge(kept, key, value)


def _invalid(raw: str) -> InvalidArgument:
    return InvalidArgument(f"Invalid field selection {raw[:200]!r}: names joined by ',' and '/', "
                           "with '(' ... ')' around several under one name.")
