"""PostgreSQL stalled (it holds its connections and answers nothing): the Perspective endpoint
still answers a site whose key, row and model this process holds, and says so once in the log."""
from __future__ import annotations

import logging
import threading
import time

import pytest

from stack import Stack

pytestmark = pytest.mark.faults

# Far past the bounded waits (a second each); reached only if a request waits on the database.
HANG = 30


def test_the_perspective_endpoint_answers_while_postgres_is_stalled(stack: Stack, caplog):
    caplog.set_level(logging.WARNING)
    app = stack.app(MODEL_CHECK_INTERVAL=0.5)
    site = stack.make_site(app, "stalled-news")
    client = app.test_client()

    def analyze(text: str):
        return client.post(f"/v1alpha1/comments:analyze?key={site.api_key}",
                           json={"comment": {"text": text}, "requestedAttributes": {"TOXICITY": {}}})

    assert analyze("Before the stall.").status_code == 200
    answers: list = []

    def during() -> None:
        for i in range(4):
            answers.append(analyze(f"During the stall, number {i}."))  # each new: none from the cache

    stack.pause_postgres()
    try:
        time.sleep(2.5)  # the site's row (kept 2 s) and the model check (0.5 s) are both due again
        asking = threading.Thread(target=during)
        asking.start()
        asking.join(timeout=HANG)
        hung = asking.is_alive()
    finally:
        stack.resume_postgres()
    asking.join()

    assert not hung, "a Perspective request waited on the stalled database"
    assert [a.status_code for a in answers] == [200] * 4
    assert all(a.get_json()["attributeScores"]["TOXICITY"]["summaryScore"]["value"] >= 0 for a in answers)
    said = [r.getMessage() for r in caplog.records]
    # Once each for the stall, not once per request.
    assert sum("could not be read again in time" in line for line in said) == 1, said
    assert sum("did not answer in time" in line for line in said) == 1, said
    assert analyze("After the stall.").status_code == 200
