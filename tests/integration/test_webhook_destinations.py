"""Webhook URLs may not reach into the server's own network: refused when set and when delivered.

The default policy is the production one (https only, no private networks); the shared test
config allows http and 127.0.0.0/8 for the local receiver, so these tests build strict apps.
"""
from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from moderation import db
from moderation.cli import main
from moderation.domain.comments import CommentInput, submit_comment
from moderation.domain.errors import ValidationFailed
from moderation.domain.sites import create_site
from moderation.domain.lifecycle import SCORER, change_status
from moderation.domain.webhooks import deliver
from moderation.models import Site, WebhookDelivery
from webhook_receiver import WebhookReceiver

STRICT = dict(WEBHOOK_ALLOW_HTTP=False, WEBHOOK_ALLOWED_NETWORKS="")

FORBIDDEN = [
    "https://169.254.169.254/latest/meta-data/",
    "https://127.0.0.1/hook",
    "https://[::1]/hook",
    "https://10.0.0.5/hook",
    "https://192.168.1.20:8443/hook",
    "https://172.16.0.1/hook",
    "https://100.100.100.200/hook",  # shared address space: Alibaba's metadata service
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://[fd00:ec2::254]/hook",  # AWS metadata over IPv6
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fe80::1]/hook",
    "https://2130706433/hook",
    "https://0x7f.1/hook",
    "https://017700000001/hook",
    "https://127.1/hook",
    "https://localhost/hook",
    "https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/hook",
    "https://１２７.０.０.１/hook",
    "https://api.localhost/hook",
    "https://metadata.google.internal/computeMetadata/v1/",
    "https://user:pass@hooks.example.org/hook",
    "https://hooks.example.org@127.0.0.1/hook",
    "http://hooks.example.org/hook",
    "ftp://hooks.example.org/hook",
    "https:///hook",
    # A security review: these were saved, and the first three also connected to at delivery.
    "https://[fec0::1]/hook",  # IPv6 site-local, which Python calls global
    "https://[2002:7f00:1::]/hook",  # 6to4 around 127.0.0.1
    "https://[2002:a9fe:a9fe::]/hook",  # 6to4 around the metadata address
    "https://127.0.0.1 /hook",
    "https://%31%32%37.0.0.1/hook",
    "https://hooks.example.org\t.127.0.0.1/hook",  # urlsplit drops the tab unseen
]


@pytest.fixture
def strict(app_with):
    return app_with(**STRICT)


@pytest.mark.parametrize("url", FORBIDDEN)
def test_a_site_cannot_be_created_with_a_webhook_into_our_network(strict, url):
    with strict.app_context():
        with pytest.raises(ValidationFailed) as refused:
            create_site(db.session, "sneaky", webhook_url=url)
        db.session.rollback()
        assert refused.value.field == "webhook_url"
        assert db.session.scalar(select(Site).where(Site.name == "sneaky")) is None


def test_a_public_https_url_is_accepted(strict):
    with strict.app_context():
        site = create_site(db.session, "fine", webhook_url="https://hooks.example.org/moderation").site
        assert site.webhook_url == "https://hooks.example.org/moderation"


def test_a_6to4_address_around_a_public_one_is_accepted(strict):
    with strict.app_context():
        assert create_site(db.session, "tunnel", webhook_url="https://[2002:808:808::1]/hook").site.webhook_url


def test_an_operator_can_allow_a_private_network_and_only_that_one(app_with):
    allowing = app_with(WEBHOOK_ALLOW_HTTP=False, WEBHOOK_ALLOWED_NETWORKS="10.20.0.0/16")
    with allowing.app_context():
        create_site(db.session, "intranet", webhook_url="https://10.20.1.2/hook")
        with pytest.raises(ValidationFailed, match="10.21.0.1 is a private address") as refused:
            create_site(db.session, "elsewhere", webhook_url="https://10.21.0.1/hook")
    # The example would allow it: "e.g. 127.0.0.0/8" for every address had not (a newsroom's first day).
    assert "WEBHOOK_ALLOWED_NETWORKS, e.g. 10.21.0.1/32," in refused.value.message


def test_the_refusal_says_why(strict):
    with strict.app_context():
        with pytest.raises(ValidationFailed, match="2130706433: 127.0.0.1 is a loopback address"):
            create_site(db.session, "sneaky", webhook_url="https://2130706433/")
        with pytest.raises(ValidationFailed, match="must start with https://"):
            create_site(db.session, "plain", webhook_url="http://hooks.example.org/")


def test_the_cli_refuses_a_loopback_webhook_url_with_a_clear_error(app, services):
    env = services.env(WEBHOOK_ALLOW_HTTP="", WEBHOOK_ALLOWED_NETWORKS="")
    result = CliRunner().invoke(main, ["keys", "create", "sneaky", "--webhook-url", "https://[::1]:8080/hook"], env=env)
    assert result.exit_code == 1
    assert "webhook URL points at ::1: ::1 is a loopback address" in result.output
    assert "api key" not in result.output


# Delivery time: the URL was set before this check existed, or its name resolves elsewhere now.

def _queue_event(app, site_id: int) -> int:
    with app.app_context():
        data = CommentInput(external_id="c1", story_id="s", author_id="a", text="hello")
        comment = submit_comment(db.session, db.session.get(Site, site_id), data).comment
        delivery = change_status(db.session, comment, "published", actor="test", by=SCORER)
        db.session.commit()
        return delivery.id


def _set_url(app, site_id: int, url: str) -> None:
    with app.app_context():
        db.session.get(Site, site_id).webhook_url = url
        db.session.commit()


def _deliver(app, delivery_id: int):
    # 10 s, not 2 s: the receiver answers at once, but it is a thread of this process, which a busy
    # machine can hold up long enough to turn "delivered" into a timed-out retry. Refusals come
    # before any connection, so they take no longer for it.
    with app.app_context():
        outcome = deliver(db.session, delivery_id, timeout=10.0, max_retries=2, backoff_base=1.0)
        return outcome, db.session.get(WebhookDelivery, delivery_id)


def test_a_stored_url_to_localhost_is_refused_at_delivery(app_with, make_site):
    local_http_only = app_with(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOWED_NETWORKS="")
    with WebhookReceiver() as receiver:
        site = make_site("hooked")
        _set_url(local_http_only, site.id, receiver.url.replace("127.0.0.1", "localhost"))
        delivery_id = _queue_event(local_http_only, site.id)
        outcome, row = _deliver(local_http_only, delivery_id)
    assert receiver.received == []
    assert outcome.state == "failed" and row.failed and row.delivered_at is None
    assert "localhost" in row.last_error and "127.0.0.1 is a loopback address" in row.last_error


def test_a_name_that_resolves_to_a_private_address_at_delivery_is_refused(app_with, make_site, monkeypatch):
    # DNS is the network edge: "rebind.example.org" passed the check when set, and now answers 127.0.0.1.
    resolve = socket.getaddrinfo

    def rebinding_dns(host, *args, **kwargs):
        return resolve("127.0.0.1" if host == "rebind.example.org" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    received, outcome, row = _deliver_by_name(app_with, "rebind.example.org")
    assert received == [], "nothing may reach the private address"
    assert outcome.state == "retry" and row.delivered_at is None
    assert row.last_error == "refused to connect to rebind.example.org: 127.0.0.1 is a loopback address"


def _deliver_by_name(app_with, host: str):
    """An event for a site whose webhook URL names `host`, on our receiver's port, delivered where
    loopback is not allowed: what the receiver got, the outcome and the delivery row."""
    local_http_only = app_with(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOWED_NETWORKS="")
    with WebhookReceiver() as receiver:
        port = receiver.server.server_address[1]
        with local_http_only.app_context():
            new = create_site(db.session, host.split(".")[0], webhook_url=f"http://{host}:{port}/hook")
            db.session.commit()
            site_id = new.site.id
        outcome, row = _deliver(local_http_only, _queue_event(local_http_only, site_id))
    return receiver.received, outcome, row


def test_a_name_whose_first_lookup_fails_is_not_looked_up_again_unchecked(app_with, make_site, monkeypatch):
    # A resolver that fails once, then answers 127.0.0.1: urllib3, handed the name after the failure,
    # looked it up again itself and connected to loopback without the check.
    resolve, asked = socket.getaddrinfo, []

    def failing_then_rebinding(host, *args, **kwargs):
        if host != "flaky.example.org":
            return resolve(host, *args, **kwargs)
        asked.append(host)
        if len(asked) == 1:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        return resolve("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", failing_then_rebinding)
    received, outcome, row = _deliver_by_name(app_with, "flaky.example.org")
    assert received == [], "nothing may reach the private address"
    assert asked == ["flaky.example.org"]
    assert outcome.state == "retry" and row.delivered_at is None and "resolve" in row.last_error.lower()


def test_an_allowed_network_is_delivered_to(app, make_site):
    with WebhookReceiver() as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        outcome, row = _deliver(app, _queue_event(app, site.id))
    assert outcome.state == "delivered" and len(receiver.received) == 1


def test_a_redirect_is_not_followed_and_counts_as_a_failure(app, make_site):
    with WebhookReceiver(status=302) as receiver:
        site = make_site("hooked", webhook_url=receiver.url)
        outcome, row = _deliver(app, _queue_event(app, site.id))
    assert outcome.state == "retry" and len(receiver.received) == 1
    assert row.last_error == "HTTP 302 (redirects are not followed)"


def test_a_resolver_that_does_not_answer_is_given_up_after_the_timeout(app_with, make_site, monkeypatch):
    """getaddrinfo takes no timeout: a slow resolver held a webhook thread past the POST's own limit."""
    import time

    resolve = socket.getaddrinfo

    def slow_dns(host, *args, **kwargs):
        if host == "slow.example.org":
            time.sleep(3)
        return resolve("127.0.0.1" if host == "slow.example.org" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", slow_dns)
    local = app_with(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOWED_NETWORKS="127.0.0.0/8")
    with local.app_context():
        site_id = create_site(db.session, "slow-dns", webhook_url="http://slow.example.org:9/hook").site.id
        db.session.commit()
    delivery_id = _queue_event(local, site_id)
    started = time.monotonic()
    with local.app_context():
        outcome = deliver(db.session, delivery_id, timeout=0.5, max_retries=2, backoff_base=1.0)
    assert time.monotonic() - started < 2.5
    assert outcome.state == "retry" and "no answer from the resolver within 0.5 s" in outcome.error


def test_lookups_of_a_host_whose_resolver_hangs_hold_one_thread_so_other_sites_resolve(monkeypatch):
    """A re-check: eight lookups of one slow name took every resolver thread, and another site's
    lookup failed (NameResolutionError) for as long as they hung."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from moderation.domain import webhook_urls

    resolve, release = socket.getaddrinfo, threading.Event()

    def hanging_dns(host, *args, **kwargs):
        if host == "hangs.example.org":
            release.wait(10)
        return resolve("127.0.0.1", *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging_dns)
    try:
        with ThreadPoolExecutor(12) as pool:
            slow = [pool.submit(webhook_urls._resolve, "hangs.example.org", 443, 0.3) for _ in range(12)]
            for lookup in slow:
                with pytest.raises(socket.gaierror):
                    lookup.result()
        # Not waiting behind the hung ones: with no thread free it would give up after 0.3 s and raise.
        assert webhook_urls._resolve("quick.example.org", 443, 0.3)
    finally:
        release.set()


def test_a_refused_local_receiver_is_told_which_settings_allow_it_and_the_metadata_address_is_not(strict):
    """An integrator's walk: the first receiver anyone tries is on their own machine, and the refusal named no setting."""
    with strict.app_context():
        for url, setting in (("http://127.0.0.1:9188/x", "WEBHOOK_ALLOW_HTTP=true"),
                             ("https://127.0.0.1:9188/x", "WEBHOOK_ALLOWED_NETWORKS"),
                             ("https://10.0.0.5/x", "WEBHOOK_ALLOWED_NETWORKS")):
            with pytest.raises(ValidationFailed, match=setting):
                create_site(db.session, "local", webhook_url=url)
            db.session.rollback()
        with pytest.raises(ValidationFailed) as metadata:
            create_site(db.session, "cloud", webhook_url="https://169.254.169.254/latest/meta-data/")
        assert "WEBHOOK_ALLOWED_NETWORKS" not in metadata.value.message
