"""Webhook delivery over TLS, as production sends it (https only by default): the certificate is
verified, the connection is kept between events, and a trickling answer is cut off on the TLS
socket as on a plain one. A TLS handshake sent a byte at a time needs no cut: Python's ssl
module gives the whole handshake one deadline, the socket's timeout; a test keeps it so. The endpoint's certificate comes from a throwaway CA (trustme) that
the pool is told to trust; with the default CA bundle the same endpoint is refused.
"""
from __future__ import annotations

import socket
import ssl
import time

import pytest
import trustme

from test_webhook_answers import TRICKLE_FOR, RawEndpoint, deliver_all, deliver_one_slowly
from test_webhook_delivery import queue_events


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    authority = trustme.CA()
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return authority, str(path)


def _endpoint(ca, **kwargs) -> RawEndpoint:
    authority, _ = ca
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    return RawEndpoint(tls=context, **kwargs)


def test_events_go_over_verified_tls_on_one_kept_connection(app, make_site, ca):
    with _endpoint(ca) as endpoint:
        assert endpoint.url.startswith("https://")
        site = make_site("tls", webhook_url=endpoint.url)
        delivery_ids = queue_events(app, site.id, 3)
        outcomes = deliver_all(app, delivery_ids, ca_certs=ca[1])
    assert [o.state for o in outcomes] == ["delivered"] * 3
    assert endpoint.posts == 3 and endpoint.connections == 1


def test_an_endpoint_whose_certificate_is_not_trusted_is_a_failure(app, make_site, ca):
    with _endpoint(ca) as endpoint:
        site = make_site("untrusted", webhook_url=endpoint.url)
        [delivery_id] = queue_events(app, site.id, 1)
        [outcome] = deliver_all(app, [delivery_id], ca_certs=None)  # the default bundle: certifi's
    assert outcome.state == "retry" and "CERTIFICATE_VERIFY_FAILED" in outcome.error, outcome
    assert endpoint.posts == 0


def test_a_trickling_answer_over_tls_is_cut_off(app, make_site, ca):
    with _endpoint(ca, trickle=0.2) as endpoint:
        outcome, took, hung_up = deliver_one_slowly(app, make_site, endpoint, "tls-trickle", ca_certs=ca[1])
    assert outcome.state == "retry" and "Timeout" in outcome.error, outcome
    assert took < TRICKLE_FOR / 2, f"the delivery waited {took:.1f} s for the trickle"
    assert hung_up


class HandshakeTrickler(RawEndpoint):
    """Sends the TLS handshake of each connection a byte every `every` seconds."""

    def __init__(self, context: ssl.SSLContext, every: float) -> None:
        super().__init__(tls=context)
        self.every = every

    def _answer_all(self, conn: socket.socket) -> None:
        with conn:
            incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
            tls = self.tls.wrap_bio(incoming, outgoing, server_side=True)
            incoming.write(conn.recv(65536))  # the client's hello
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass
            flight = outgoing.read()
            deadline = time.monotonic() + TRICKLE_FOR
            try:
                for i in range(len(flight)):
                    if time.monotonic() > deadline:
                        return
                    conn.sendall(flight[i:i + 1])
                    time.sleep(self.every)
            except OSError:
                self.hung_up_early.set()


def test_a_tls_handshake_sent_a_byte_at_a_time_times_out(app, make_site, ca):
    authority, ca_file = ca
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(context)
    with HandshakeTrickler(context, every=0.2) as endpoint:  # each byte well within the 1 s read timeout
        outcome, took, hung_up = deliver_one_slowly(app, make_site, endpoint, "tls-slow-handshake", ca_certs=ca_file)
    assert outcome.state == "retry" and "Timeout" in outcome.error, outcome
    assert took < TRICKLE_FOR / 2, f"the delivery waited {took:.1f} s for the handshake"
    assert hung_up, "the POST's thread was still in the handshake"
