"""A session left unused for SESSION_IDLE_MINUTES ends; a page's own polling does not keep it alive."""
import time

import pytest

IDLE_SECONDS = 480 * 60  # the default


def _last_seen(client, seconds_ago: int) -> None:
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - seconds_ago


def _seen(client) -> int:
    with client.session_transaction() as session:
        return session["seen"]


def test_a_session_unused_overnight_is_signed_out_and_told_why(sign_in, moderator):
    client = sign_in(moderator)
    _last_seen(client, IDLE_SECONDS + 60)
    response = client.get("/review")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You were signed out after 8 hours without using this page." in page
    assert client.get("/review").status_code == 302  # not only the once: the session is gone


def test_a_session_used_after_a_lunch_break_goes_on(sign_in, moderator):
    client = sign_in(moderator)
    _last_seen(client, 90 * 60)
    assert client.get("/review").status_code == 200
    assert time.time() - _seen(client) < 60  # and the clock starts again


@pytest.mark.parametrize("path", ["/review/updates?loaded_at=2026-01-01T00:00:00%2B00:00", "/review/{id}/state"],
                         ids=["queue-poll", "comment-state"])
def test_a_pages_own_polling_does_not_keep_the_session_alive(sign_in, moderator, grant, site, make_comment, path):
    grant(moderator, site)
    path = path.format(id=make_comment(site.id))
    client = sign_in(moderator)
    _last_seen(client, 3600)
    assert client.get(path).status_code == 200
    assert time.time() - _seen(client) >= 3600 - 5  # not counted as use
    _last_seen(client, IDLE_SECONDS + 60)
    assert client.get(path).status_code in (302, 401)


def test_a_session_from_before_the_idle_limit_counts_from_its_next_request(sign_in, moderator):
    client = sign_in(moderator)
    with client.session_transaction() as session:
        del session["seen"]  # a cookie issued by the release before
    assert client.get("/review").status_code == 200
    assert time.time() - _seen(client) < 60


def test_a_poll_after_the_limit_is_a_json_401_and_leaves_the_message_to_the_next_page(sign_in, moderator):
    """fetch() followed the poll's redirect to /login, whose page used up "signed out after 8 hours",
    and clearing the session there took the CSRF token a form still open on the page needed."""
    client = sign_in(moderator)
    _last_seen(client, IDLE_SECONDS + 60)
    poll = client.get("/review/updates?loaded_at=2026-01-01T00:00:00%2B00:00")
    assert poll.status_code == 401 and poll.get_json()["error"]["code"] == "signed_out"
    response = client.get("/review")
    assert response.status_code == 302
    assert "You were signed out after 8 hours without using this page." in client.get(
        response.headers["Location"]).get_data(as_text=True)


def test_a_page_can_ask_how_long_its_session_has_left_without_using_it(sign_in, moderator):
    """A tab's own clock knew nothing of the user's other tabs: it said "signed out" while one was in use."""
    client = sign_in(moderator)
    _last_seen(client, 3600)
    left = client.get("/session").get_json()["seconds_left"]
    assert IDLE_SECONDS - 3600 - 5 <= left <= IDLE_SECONDS - 3600
    assert time.time() - _seen(client) >= 3600 - 5  # asking is not use
    _last_seen(client, IDLE_SECONDS + 60)
    assert client.get("/session").status_code == 401
