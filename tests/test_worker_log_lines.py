"""A worker's "succeeded" lines count a result's outcomes instead of printing every id's: in a soak
hour they were 11.6 MB of the log's 28.5 MB."""
from __future__ import annotations

import logging

from celery.app.trace import LOG_SUCCESS

import moderation.celery_app  # noqa: F401 - installs the filter on Celery's trace logger


def _line(caplog, return_value: object) -> str:
    context = {"id": "t-1", "name": "workers.tasks.deliver_site_webhooks", "return_value": repr(return_value),
               "runtime": 0.5, "args": "", "kwargs": ""}
    with caplog.at_level(logging.INFO, logger="celery.app.trace"):
        caplog.clear()
        logging.getLogger("celery.app.trace").info(LOG_SUCCESS, context)
    return caplog.records[-1].getMessage()


def test_a_long_result_is_counted_and_a_short_one_printed_whole(caplog):
    outcomes = {str(i): "delivered" if i % 10 else "later" for i in range(200)}
    assert _line(caplog, outcomes).endswith("succeeded in 0.5s: {delivered 180, later 20}")
    assert _line(caplog, {"scored": 3}).endswith("succeeded in 0.5s: {'scored': 3}")


def test_beat_failing_to_send_a_task_says_so_in_one_line(caplog):
    """A Redis stall: beat's error had been a 110-line chained traceback every 30 s."""
    import traceback

    from celery.beat import SchedulingError

    try:
        raise SchedulingError("Couldn't apply scheduled task sweep: Timeout reading from socket")
    except SchedulingError as error:
        with caplog.at_level(logging.ERROR, logger="celery.beat"):
            caplog.clear()
            logging.getLogger("celery.beat").error("Message Error: %s\n%s", error, traceback.format_stack(),
                                                   exc_info=True)
    record = caplog.records[-1]
    assert record.getMessage() == (
        "could not send a scheduled task (Couldn't apply scheduled task sweep: Timeout reading from socket); is the "
        "broker reachable? Comments are still stored, and the sweep scores what waits once it is back")
    assert record.exc_info is None and "\n" not in caplog.text.strip()


def test_comments_taken_while_the_broker_is_down_log_a_line_now_and_then_not_a_traceback_each(caplog, monkeypatch):
    """An operator's walk: 20 comments during a Redis outage wrote 2,140 lines, a chained traceback each."""
    import socket
    import time

    from celery import Celery

    from moderation import celery_app

    with socket.socket() as probe:  # a port nothing listens on: the connection is refused at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    celery = Celery("down", broker=f"redis://127.0.0.1:{port}/0")
    celery.conf.update(broker_connection_timeout=1,  # as celery_init_app sends: once, no retries
                       broker_transport_options={"max_retries": 0, "socket_connect_timeout": 1, "socket_timeout": 1})
    monkeypatch.setattr(celery_app, "SEND_FAILURE_LOG_EVERY", 0.5)  # read when the counter is made
    monkeypatch.setattr(celery_app, "_send_failures", celery_app._SendFailures())
    with caplog.at_level(logging.WARNING, logger="moderation.celery_app"):
        caplog.clear()
        for comment_id in range(20):
            assert celery_app.send(celery, "workers.tasks.score_comments", [[comment_id]]) is False
        time.sleep(0.6)
        celery_app.send(celery, "workers.tasks.score_comments", [[99]])
    lines = [r for r in caplog.records if r.name == "moderation.celery_app"]
    assert len(lines) == 2 and not any(r.exc_info for r in lines)
    first, second = (r.getMessage() for r in lines)
    assert first.startswith("could not send workers.tasks.score_comments[[0]] to the broker (OperationalError: "
                            f"Error 111 connecting to 127.0.0.1:{port}. Connection refused.)")
    assert "the sweep will send it again" in first
    assert "[[99]]" in second and "(19 more sends failed in the last 0.5 s)" in second


def test_a_sweep_with_the_database_down_says_so_in_a_line_not_a_traceback(app, monkeypatch, caplog):
    """An operator's walk: during a PostgreSQL outage the worker logged a traceback every 30 s,
    "raised unexpected", where beat and web said it in one line."""
    from sqlalchemy.exc import OperationalError

    from workers import tasks

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection failed: Connection refused\n\tIs the server running?"))

    monkeypatch.setattr(tasks.sweeping, "sweep", down)
    with app.app_context(), caplog.at_level(logging.WARNING, logger="workers.tasks"):
        result = tasks.sweep.run()
    assert result == {"scored": 0, "webhooks_resent": 0, "storms_ended": 0}
    lines = [r for r in caplog.records if r.name == "workers.tasks"]
    assert [r.getMessage() for r in lines] == [
        "sweep skipped: the database does not answer (connection failed: Connection refused)"]
    assert not lines[0].exc_info
