"""Fixtures for fault tests: a stack of their own (PostgreSQL, Redis, workers) that tests may
break, a site with a webhook endpoint, and a record of what each fault did.

Each test writes one `FAULT <name>: sent=..., accepted=..., final=..., webhooks=...` line: it is
printed, appended to faults-summary.txt in pytest's base temp directory, and repeated in the
terminal summary, so a run's counts can be quoted without `-s`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from site_endpoint import SiteEndpoint
from stack import Stack

_summary: list[str] = []


@pytest.fixture(scope="session")
def fault_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(tmp_path_factory.mktemp("faults-var"))
    yield stack
    stack.close()


@pytest.fixture
def stack(fault_stack: Stack) -> Iterator[Stack]:
    """The shared fault stack, emptied, with PostgreSQL and Redis running again whatever the last test did."""
    from moderation.domain.sites import forget_verified_keys

    fault_stack.resume_postgres()  # a test that failed while it was paused
    fault_stack.start_postgres()
    if fault_stack.redis_proc is None or fault_stack.redis_proc.poll() is not None:
        fault_stack.start_redis()
    fault_stack.reset()
    forget_verified_keys()  # ids restart with each test
    yield fault_stack
    for worker in fault_stack.workers:
        worker.kill()
    fault_stack.workers.clear()


@pytest.fixture
def record(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], None]:
    path = Path(tmp_path_factory.getbasetemp()) / "faults-summary.txt"

    def write(line: str) -> None:
        print(line)
        _summary.append(line)
        with open(path, "a") as f:
            f.write(line + "\n")

    return write


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 (pytest's hook)
    if _summary:
        terminalreporter.section("fault injection")
        for line in _summary:
            terminalreporter.write_line(line)


@pytest.fixture
def endpoint() -> Iterator[SiteEndpoint]:
    with SiteEndpoint() as site_endpoint:
        yield site_endpoint
