"""The small charts of /admin/operations (admin/sparklines.py)."""
from moderation.admin.sparklines import line


def test_an_hour_with_a_latency_between_quiet_hours_still_shows():
    # The first hour of traffic: a polyline of one point draws nothing, so it gets a dot.
    first = line("p50", [None, None, None, 0.4])
    assert first.line and len(first.dots) == 1 and first.dots[0][0] == 240
    chart = line("p50", [0.2, 0.3, None, 0.5, None])
    assert [x for x, _ in chart.dots] == [180]  # the joined hours need none
    assert line("p50", [None, None]).dots == [] and line("p50", [None, None]).latest is None
