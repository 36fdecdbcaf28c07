"""Numbers as a person types them into a form or a query: ASCII digits, a point, an exponent.

Python's float() also reads other scripts' digits ("١" is 1.0) and underscores ("0_0" is 0): a
walk turned a hold off with one and held every comment with the other, on the site's settings page.
Every form and query number goes through `typed_float`, so no page reads them differently.
"""
from __future__ import annotations

import re

_TYPED = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|[+-]?(?:nan|inf|infinity)", re.IGNORECASE | re.ASCII)


def typed_float(raw: str) -> float:
    """float() of `raw` written as a person types a number (spaces around it allowed), else ValueError.
    NaN and infinity parse, for the caller's range check to refuse with its own words."""
    if not _TYPED.fullmatch(raw.strip()):
        raise ValueError(f"not a number: {raw[:50]!r}")
    return float(raw)


def typed_int(text: str | None, maximum: int, minimum: int = 1) -> int | None:
    """ASCII digits within [minimum, maximum], else None. str.isdigit() also admits "²" (int() refuses
    it: a 500 on the legal holds form) and "٣" (int() reads it as 3: a hold on another comment)."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 20:
        return None
    value = int(text)
    return value if minimum <= value <= maximum else None
