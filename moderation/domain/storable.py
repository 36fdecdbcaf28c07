"""Text PostgreSQL cannot store: a NUL, which no PostgreSQL text holds, or an unpaired surrogate,
which no UTF-8 does. Refused with a 400 where it comes in, never left to fail as a 500 at the insert."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def unstorable(values: Iterable[str]) -> bool:
    for value in values:
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
    return False


def unstorable_at(value: Any, where: str) -> str | None:
    """Where in a parsed JSON value (`where`, `where[2]`, `where.words[0]`) the first such string is, or None."""
    if isinstance(value, str):
        return where if unstorable([value]) else None
    if isinstance(value, dict):
        if unstorable(map(str, value)):
            return where
        items = [(f"{where}.{key}", item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{where}[{i}]", item) for i, item in enumerate(value)]
    else:
        return None
    return next((found for path, item in items if (found := unstorable_at(item, path)) is not None), None)
