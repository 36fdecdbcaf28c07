"""Numbers a strict JSON parser refuses and PostgreSQL's jsonb cannot store, refused as we read a body.

Python's json reads NaN and Infinity, which are not JSON (Google's parser refuses them), and reads
1e999, which is JSON, as infinity: suggestscore stored one in a labelled example's context, which
PostgreSQL refused with a 500 (a re-check). Both APIs read bodies with these hooks, each raising
its own error.
"""
from __future__ import annotations

import math
from collections.abc import Callable


def finite_numbers(refuse: Callable[[str], Exception]) -> dict[str, Callable[[str], float]]:
    """Keywords for json.loads (and json5.loads) that raise `refuse(what was wrong)` for NaN,
    Infinity and a number that overflows to infinity."""
    def constant(name: str) -> float:
        raise refuse(f"{name} is not a JSON number")

    def finite(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            raise refuse(f"the number {literal[:40]} is out of range")
        return value

    return {"parse_constant": constant, "parse_float": finite}
