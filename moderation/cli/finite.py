"""Number options that refuse NaN: click.FloatRange lets it through (every comparison with NaN is
false), and `drift check --hours nan` died in a traceback (an admin's walk)."""
from __future__ import annotations

import math

import click


class FiniteRange(click.FloatRange):
    name = "finite float range"

    def convert(self, value, param, ctx):
        number = super().convert(value, param, ctx)
        if isinstance(number, float) and math.isnan(number):
            self.fail(f"{value!r} is not a number in the range {self._describe_range()}.", param, ctx)
        return number
