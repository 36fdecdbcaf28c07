"""Small SVG charts for /admin/operations: geometry only, the template draws it. Inline SVG with
presentation attributes needs no script and no inline style, so the page's CSP stays as it is."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD = 240, 56, 2


@dataclass
class Chart:
    title: str
    unit: str
    latest: float | None
    peak: float
    total: float | None = None           # for counts: the sum over the window
    bars: list[tuple[float, float, float, float]] = field(default_factory=list)  # x, y, width, height
    line: str = ""                        # "x,y x,y ..." for a polyline
    dots: list[tuple[float, float]] = field(default_factory=list)  # hours with no known neighbour
    width: int = WIDTH
    height: int = HEIGHT


def _scale(value: float, peak: float) -> float:
    usable = HEIGHT - 2 * PAD
    return HEIGHT - PAD - (usable * value / peak if peak else 0.0)


def bars(title: str, values: Sequence[float], unit: str = "") -> Chart:
    """One bar per hour: counts."""
    peak = max(values, default=0) or 0
    step = WIDTH / max(len(values), 1)
    chart = Chart(title, unit, values[-1] if values else None, peak, total=sum(values))
    for i, value in enumerate(values):
        top = _scale(value, peak)
        chart.bars.append((round(i * step + 0.5, 2), round(top, 2), round(max(step - 1, 1), 2),
                           round(HEIGHT - PAD - top, 2)))
    return chart


def line(title: str, values: Sequence[float | None], unit: str = "") -> Chart:
    """A line through the hours that have a value (latencies: an hour with nothing scored has none)."""
    known = [v for v in values if v is not None]
    peak = max(known, default=0) or 0
    step = WIDTH / max(len(values) - 1, 1)
    points = [f"{round(i * step, 2)},{round(_scale(v, peak), 2)}" for i, v in enumerate(values) if v is not None]
    # A line needs two points: the first hour of traffic, or one between quiet hours, would not show.
    def alone(i: int) -> bool:
        return all(not 0 <= j < len(values) or values[j] is None for j in (i - 1, i + 1))
    dots = [(round(i * step, 2), round(_scale(v, peak), 2)) for i, v in enumerate(values) if v is not None and alone(i)]
    return Chart(title, unit, known[-1] if known else None, peak, line=" ".join(points), dots=dots)
