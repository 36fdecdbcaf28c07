"""Where webhooks may go: never back into the server's own network.

A webhook URL is chosen by whoever administers a site, and the worker POSTs to it from inside
our network. Left open, it reaches the cloud metadata service (169.254.169.254), the database,
Redis or anything else only the server can see. So a URL is checked twice:

* when it is set (`check_webhook_url`): https only (http with WEBHOOK_ALLOW_HTTP), no
  credentials in it, and no literal address or well-known name of a forbidden network, however
  the address is spelled (`2130706433`, `0x7f.1` and `017700000001` are all 127.0.0.1 to the
  resolver, which parses them like inet_aton);
* on every delivery, after DNS resolution (`guarded_http`): the connection itself resolves
  the name, refuses forbidden addresses and connects only to the address it checked, so a name
  that resolves to a public address when set and a private one later (DNS rebinding) is refused.

Forbidden: everything that is not globally routable (loopback, private, link-local including
metadata, shared, multicast, reserved, unspecified, documentation), IPv4-mapped IPv6 included,
unless the operator lists its network in WEBHOOK_ALLOWED_NETWORKS.
"""
from __future__ import annotations

import ipaddress
import re
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor, TimeoutError as FutureTimeout
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Union
from urllib.parse import urlsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection

from moderation.domain.errors import ValidationFailed

Address = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
Network = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]

MAX_URL_LENGTH = 2000
# Names every resolver maps to loopback without asking DNS (RFC 6761), or to a cloud metadata service.
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
METADATA_NAMES = ("metadata.google.internal", "metadata")
# Host names made only of these could be a numeric address in a form inet_aton accepts.
NUMERIC_HOST = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)


class UnsafeDestination(Exception):
    """Raised by a guarded connection instead of connecting to a forbidden address."""


@dataclass(frozen=True)
class UrlPolicy:
    allow_http: bool = False
    allowed_networks: tuple[Network, ...] = ()

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> "UrlPolicy":
        return cls(allow_http=bool(config.get("WEBHOOK_ALLOW_HTTP", False)),
                   allowed_networks=parse_networks(config.get("WEBHOOK_ALLOWED_NETWORKS") or ""))


def parse_networks(raw: str) -> tuple[Network, ...]:
    networks = []
    for part in raw.split(","):
        if part.strip():
            try:
                network = ipaddress.ip_network(part.strip(), strict=False)
            except ValueError:
                raise ValueError(f"WEBHOOK_ALLOWED_NETWORKS: {part.strip()!r} is not a network (CIDR)") from None
            try:
                ipaddress.ip_network(part.strip())
            except ValueError:  # 10.0.0.1/8 is 10.0.0.0/8: say so, not open a wider network than was read
                raise ValueError(f"WEBHOOK_ALLOWED_NETWORKS: {part.strip()!r} has host bits set; "
                                 f"the network is {network}") from None
            networks.append(network)
    return tuple(networks)


def forbidden_reason(address: Address, policy: UrlPolicy) -> str | None:
    """Why webhooks may not go to this address, or None when they may."""
    if isinstance(address, ipaddress.IPv6Address):
        # An IPv4 address inside an IPv6 one is judged as itself: 6to4's 2002:7f00:1:: is 127.0.0.1 and
        # 2002:a9fe:a9fe:: the metadata address, wherever a relay routes them (a security review).
        inner = address.ipv4_mapped or address.sixtofour or (address.teredo[1] if address.teredo else None)
        if inner is not None:
            return forbidden_reason(inner, policy)
    if any(address in network for network in policy.allowed_networks):
        return None
    site_local = isinstance(address, ipaddress.IPv6Address) and address.is_site_local  # fec0::/10, "global" to Python
    for reason, flag in (("a loopback", address.is_loopback), ("an unspecified", address.is_unspecified),
                         ("a site-local", site_local),
                         ("a link-local (cloud metadata)", address.is_link_local),
                         ("a multicast", address.is_multicast), ("a private", address.is_private),
                         ("a reserved", address.is_reserved)):
        if flag:
            return f"{address} is {reason} address"
    if not address.is_global:
        return f"{address} is not a public address"
    return None


def literal_address(host: str) -> Address | None:
    """The address a host name stands for without DNS, in any spelling the resolver accepts."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_webhook_url(url: str, policy: UrlPolicy) -> str:
    """The URL if webhooks may be sent to it, else ValidationFailed saying why (field webhook_url)."""
    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed(f"webhook URL {message}", field="webhook_url")

    if len(url) > MAX_URL_LENGTH:
        raise refuse(f"must be at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or not c.isprintable() for c in url):  # urlsplit drops tabs and line breaks unseen
        raise refuse("must not hold spaces, tabs or line breaks (percent-encode them)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise refuse("is not a valid URL") from None
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme == "http" and not policy.allow_http:
        # An integrator's first try is a receiver on their own machine: say which settings allow it.
        raise refuse("must start with https:// (for a plain-http receiver while developing, set "
                     "WEBHOOK_ALLOW_HTTP=true where the service runs, and where this is set)")
    if parts.scheme not in schemes:
        raise refuse("must start with https://" if not policy.allow_http else "must be an http(s) URL")
    if not parts.hostname:
        raise refuse("has no host")
    if "%" in parts.netloc:  # no resolver reads it, and a client may decode "%31%32%37.0.0.1" to 127.0.0.1
        raise refuse("has a percent sign in its host")
    if "@" in parts.netloc:
        raise refuse("must not contain a user name or password")
    if port == 0:
        raise refuse("has no valid port")
    try:
        # As the resolver will see it: IDNA maps look-alikes such as "ⓛⓞⓒⓐⓛⓗⓞⓢⓣ" or fullwidth digits to ASCII.
        host = parts.hostname.encode("idna").decode("ascii").rstrip(".").lower()
    except UnicodeError:
        raise refuse("has an invalid host name") from None
    address = literal_address(host)
    if address is None and (host in LOOPBACK_NAMES or host.endswith(".localhost")):
        address = ipaddress.ip_address("127.0.0.1")
    if address is None and host in METADATA_NAMES:
        address = ipaddress.ip_address("169.254.169.254")
    if address is not None:
        reason = forbidden_reason(address, policy)
        if reason:
            trustable = address.is_loopback or (address.is_private and not address.is_link_local)  # never metadata
            # The address's own network: 127.0.0.0/8 for every address had not allowed 10.0.0.5 (a newsroom's first day).
            example = "127.0.0.0/8" if address.is_loopback else str(ipaddress.ip_network(address))
            hint = "" if not trustable else (" (to allow a network you trust, name it in WEBHOOK_ALLOWED_NETWORKS, "
                                                 f"e.g. {example}, where the service runs and where this is set)")
            raise refuse(f"points at {host}: {reason}{hint}")
    return url


_sending = threading.local()


@contextmanager
def noting_connection(note: Callable[[HTTPConnection], None]) -> Iterator[None]:
    """While inside, a guarded connection this thread sends a request on is handed to `note` first:
    another thread can then cut it off (webhooks.py, a POST past its time)."""
    _sending.note = note
    try:
        yield
    finally:
        _sending.note = None


# Lookups run here, so one can be given up after the connect timeout: getaddrinfo takes no timeout,
# and a slow resolver held a webhook thread past the POST's own limit (an onboarding review). A
# lookup given up finishes in its thread; while eight hang, the next ones time out waiting for one.
# Lookups of one host share the one in flight, so a host whose resolver hangs holds one thread, not
# all eight: eight lookups of one slow name made every other site's fail for as long (a re-check).
_RESOLVERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="webhook-dns")
_DEFAULT_LOOKUP_SECONDS = 5.0
_IN_FLIGHT: dict[tuple[str, int], Future[list[Any]]] = {}
_IN_FLIGHT_LOCK = threading.Lock()


def _lookup(host: str, port: int) -> Future[list[Any]]:
    key = (host.lower().rstrip("."), port)  # one name, however it is spelled
    with _IN_FLIGHT_LOCK:
        running = _IN_FLIGHT.get(key)
        if running is not None and not running.done():
            return running
        lookup = _RESOLVERS.submit(socket.getaddrinfo, host, port, urllib3_connection.allowed_gai_family(),
                                   socket.SOCK_STREAM)
        _IN_FLIGHT[key] = lookup
    lookup.add_done_callback(lambda done: _forget(key, done))
    return lookup


def _forget(key: tuple[str, int], done: Future[list[Any]]) -> None:
    with _IN_FLIGHT_LOCK:
        if _IN_FLIGHT.get(key) is done:
            del _IN_FLIGHT[key]


def _resolve(host: str, port: int, timeout: Any) -> list[Any]:
    seconds = timeout if isinstance(timeout, (int, float)) and timeout > 0 else _DEFAULT_LOOKUP_SECONDS
    lookup = _lookup(host, port)
    try:
        return lookup.result(timeout=seconds)
    except FutureTimeout:
        raise socket.gaierror(socket.EAI_AGAIN, f"no answer from the resolver within {seconds:g} s") from None


def _guarded_connection(base: type[HTTPConnection], policy: UrlPolicy) -> type[HTTPConnection]:
    class Guarded(base):  # type: ignore[valid-type, misc]
        def request(self, *args: Any, **kwargs: Any) -> None:
            note = getattr(_sending, "note", None)
            if note is not None:
                note(self)
            super().request(*args, **kwargs)
            if note is not None:
                # Again, now that it is connected: an answer that will close the connection (HTTP/1.0)
                # takes the socket from it, and a cut that looked for it there found nothing to shut
                # while the answer trickled on (a security review).
                note(self)

        def _new_conn(self) -> socket.socket:
            # Resolve here and connect to the very address checked: no second lookup to rebind.
            host = self._dns_host.strip("[]")
            try:
                infos = _resolve(host, self.port, self.timeout)
            except socket.gaierror as failed:
                # Reported as urllib3 reports it, and never handed on with the name: urllib3 would
                # look it up again and connect unchecked (a resolver failing once, then answering
                # 127.0.0.1, got a POST to loopback; an onboarding review).
                raise NameResolutionError(host, self, failed) from failed
            allowed, refused = [], []
            for info in infos:
                address = ipaddress.ip_address(info[4][0].split("%")[0])
                reason = forbidden_reason(address, policy)
                (refused if reason else allowed).append(reason or str(address))
            if not allowed:
                raise UnsafeDestination(f"refused to connect to {self.host}: {refused[0]}")
            sock = self._connect_to_first(allowed)
            peer = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
            reason = forbidden_reason(peer, policy)
            if reason:
                sock.close()
                raise UnsafeDestination(f"refused to connect to {self.host}: {reason}")
            return sock

        def _connect_to_first(self, addresses: list[str]) -> socket.socket:
            original = self._dns_host
            try:
                for i, address in enumerate(addresses):
                    self._dns_host = address  # an address literal: urllib3 resolves nothing more
                    try:
                        return super()._new_conn()
                    except (NewConnectionError, ConnectTimeoutError):
                        if i == len(addresses) - 1:
                            raise
                raise AssertionError("unreachable: addresses is never empty")
            finally:
                self._dns_host = original

    Guarded.__name__ = f"Guarded{base.__name__}"
    return Guarded


# Hosts whose keep-alive connections are kept, and connections kept per host: a worker POSTs a
# site's events up to webhook_posts.PARALLEL_POSTS at a time.
HOSTS_KEPT = 100
CONNECTIONS_PER_HOST = 10


def guarded_http(policy: UrlPolicy, *, ca_certs: str | None = None) -> urllib3.PoolManager:
    """Keep-alive HTTP whose connections refuse forbidden addresses after resolving.

    urllib3 itself, not requests: requests' session machinery (settings merged per request, hooks,
    cookies) cost 0.9 ms of CPU per POST on top of urllib3's 0.6, and a scoring worker POSTs one
    event per comment. Nothing comes from the environment either way: urllib3 reads no proxy
    settings (a proxy would hide the destination from the check) and no .netrc (which could hand
    credentials to a site's endpoint)."""
    manager = urllib3.PoolManager(num_pools=HOSTS_KEPT, maxsize=CONNECTIONS_PER_HOST,
                                  ca_certs=ca_certs or certifi.where())  # another CA: tests only
    manager.pool_classes_by_scheme = {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,),
                     {"ConnectionCls": _guarded_connection(HTTPConnection, policy)}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,),
                      {"ConnectionCls": _guarded_connection(HTTPSConnection, policy)}),
    }
    return manager
