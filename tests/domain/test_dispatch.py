"""At most one scoring task waits in the queue: it claims every pending comment when it starts."""
from __future__ import annotations

from moderation.domain.dispatch import scoring_task_started, send_for_scoring


def queued_tasks(services) -> int:
    return services.redis().llen("moderation")


def test_comments_posted_while_a_scoring_task_waits_send_no_task_of_their_own(app, services):
    with app.app_context():
        for comment_id in (1, 2, 3):
            assert send_for_scoring([comment_id])
    assert queued_tasks(services) == 1


def test_once_the_task_has_started_the_next_comment_sends_a_new_task(app, services):
    with app.app_context():
        send_for_scoring([1])
        scoring_task_started()
        send_for_scoring([2])
    assert queued_tasks(services) == 2


def test_a_comment_is_still_sent_when_the_marker_cannot_be_read(app_with, services, tmp_path):
    app = app_with(REDIS_URL=f"redis+socket://{tmp_path}/absent.sock")
    with app.app_context():
        assert send_for_scoring([1]) is False  # the broker is down too: the sweep will score it
