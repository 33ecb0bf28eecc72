"""The network boundary of every tool: a destination is checked by the address it resolves to, and the
connection goes to that checked address (no window for DNS rebinding between check and connect).

Rules (``ORCHESTRA_ALLOWED_HOSTS``, comma-separated; default ``*``):
- a name rule (``*``, ``api.example.com``, ``*.example.com``, optionally ``:port``) allows that host, but
  only while every address it resolves to is public: a name never unlocks a private address;
- an address rule (``203.0.113.7``, ``127.0.0.1:8234``, ``[::1]:8080``, ``10.0.0.0/8``, ``10.0.0.*``)
  allows those addresses, whatever name led there: this is how loopback, private, site-local, link-local, CGNAT,
  multicast or metadata addresses (and IPv4 addresses inside IPv6 forms) become reachable.
- the worker's own Temporal frontend, Web UI, metrics and codec endpoints are refused whatever the
  rules say; on the hosts that serve them (every local address when they are local) a destination
  also needs a rule that names its port.

Reusable by any HTTP client of the worker (the MCP streamable-HTTP client too): orchestra/guarded_http.py
gives an ``httpx`` transport and client that enforce a :class:`Boundary`. This module stays free of
httpx, so settings can import it cheaply.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import fnmatch
import functools
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from orchestra.allowlists import DEFAULT_HOSTS
from orchestra.shown_url import AMBIGUOUS_USER_INFO, ambiguous_password, shown_url, unreadable_because

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_RULES: tuple[str, ...] = DEFAULT_HOSTS
DEFAULT_PORTS = {"http": 80, "https": 443}
# A URL httpx reads as urlsplit does, checked without importing httpx (with rich, pygments and its own command
# line: 12-16% of an offline `plan` call's CPU time, as the planner checks each URL it writes). Any other URL
# (user info, brackets, IDNA, a control character, a space, a trailing dot, an empty port) is left to httpx
# itself; tests/security/test_plain_urls.py holds the two alike.
_PLAIN_URL = re.compile(
    r"""https?://
    (?![^/?\#]*xn--)                       # an A-label: httpx decodes it by IDNA
    (?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*)  # the host's labels: ASCII letters, digits and hyphens
    (?::[0-9]{1,5})?                       # a port (urlsplit has refused one above 65535)
    (?:[/?\#][!-~]*)?                      # path, query, fragment: printable ASCII, no space
    """,
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
_FOUR_NUMBERS = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+", re.ASCII)  # httpx reads such a host as IPv4
_HTTPX_MAX_URL = 65536  # httpx's MAX_URL_LENGTH: a longer URL is refused as too long
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in ("169.254.169.254", "169.254.170.2", "100.100.100.200", "192.0.0.192", "fd00:ec2::254")
)
CGNAT = ipaddress.ip_network("100.64.0.0/10")
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class DestinationRefused(Exception):
    """A destination outside the boundary; ``code`` says which rule refused it."""

    def __init__(self, message: str, code: str = "address_not_allowed") -> None:
        super().__init__(message)
        self.code = code


class Unresolved(OSError):
    """A host name that does not resolve (a transport error, not a refusal)."""


@dataclass(frozen=True)
class Rule:
    kind: Literal["name", "address", "network"]
    pattern: str  # a name glob, an address glob, or a network in CIDR form
    port: int | None = None

    def matches_name(self, host: str, port: int) -> bool:
        return self.kind == "name" and self._port_ok(port) and fnmatch.fnmatchcase(host, self.pattern)

    def matches_address(self, address: IPAddress, port: int) -> bool:
        if not self._port_ok(port):
            return False
        if self.kind == "network":
            return address in ipaddress.ip_network(self.pattern, strict=False)
        return self.kind == "address" and fnmatch.fnmatchcase(address.compressed, self.pattern)

    def _port_ok(self, port: int) -> bool:
        return self.port is None or self.port == port


def parse_rule(entry: str) -> Rule:
    """One entry of ORCHESTRA_ALLOWED_HOSTS; raises ValueError for one that cannot be read."""
    text = entry.strip().lower()
    if not text:
        raise ValueError("empty host rule")
    if text.count(":") > 1 and not text.startswith("[") and "/" not in text:
        _refuse_unbracketed_ipv6(text)
    with contextlib.suppress(ValueError):
        return Rule("address", ipaddress.ip_address(text).compressed)
    if text.startswith("["):
        inside, closed, rest = text[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):  # '[::1' was read as ::1, '[::1]x' as any port
            raise ValueError("an IPv6 address or network goes in [ ], and only ':port' may follow the ]")
        bracketed_port = _port(rest[1:]) if rest else None
        if "/" in inside:
            return Rule("network", str(_network(inside)), bracketed_port)
        return Rule("address", ipaddress.ip_address(inside).compressed, bracketed_port)
    if "/" in text:
        # A port after an IPv4 network ('10.0.0.0/8:80'): an IPv6 one's colons would be read as the port's.
        network, sep, port_text = text.rpartition(":") if text.count(":") == 1 else (text, "", "")
        if ":" in network:
            if not _ipv6_network(text):
                raise ValueError(f"{text[:60]!r}: an IPv6 network with a port goes in [ ], e.g. [fd00::/8]:443")
            network, sep = text, ""
        return Rule("network", str(_network(network)), _port(port_text) if sep else None)
    name, sep, port = text.rpartition(":")
    if sep and ":" not in name:
        base = parse_rule(name)
        return Rule(base.kind, base.pattern, _port(port))
    if _looks_like_address_glob(text):
        return Rule("address", text)
    return Rule("name", text)


def _refuse_unbracketed_ipv6(text: str) -> None:
    if (why := unbracketed_ipv6_problem(text)) is not None:
        raise ValueError(f"{text[:60]!r} {why}")


def unbracketed_ipv6_problem(text: str, *, port_required: bool = False) -> str | None:
    """Why an IPv6 form written without [ ] is refused, as a host rule or (``port_required``) as an endpoint;
    None for an address that cannot hide a port where none is required. One whose last group could be a port
    ('::1:8080', 'fe80::1:443'): read as the address it also is, a rule allowed nothing the operator meant (the
    port's rule failed closed, unsaid). An IPv6 form that is no address at all ('::ffff:10.0.0.1:80', 'fd00::*'):
    a name rule with colons matched no host. ORCHESTRA_PROTECTED_ENDPOINTS refused '::1:8080' with 'it names no
    host', where the rule said how to write it."""
    is_address = _ip_or_none(text) is not None
    if (split := _port_split(text)) is not None:
        address, port = split
        also = f", [{text}] for the address" if is_address and not port_required else ""
        return f"reads as {address} with port {port}: write [{address}]:{port} for the port{also}"
    if not is_address:
        return "is no IPv6 address: write one in [ ], with ':port' after the ] (e.g. [::1]:8080)"
    if port_required:
        return f"is an IPv6 address with no port: write [{text}]:PORT"
    return None


def _port_split(text: str) -> tuple[str, str] | None:
    """An unbracketed IPv6 form whose last group reads as a port after an address ('::1:8080'), split there."""
    address, _, last = text.rpartition(":")
    if last.isascii() and last.isdigit() and 0 < int(last) < 65536 and _ip_or_none(address) is not None:
        return address, last
    return None


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    """A CIDR rule's network, its address bits beyond the prefix all zero: '1.2.3.4/0' was read as 0.0.0.0/0,
    every IPv4 address (cloud metadata with it) opened by what was meant as one."""
    network = ipaddress.ip_network(text, strict=False)
    if network.network_address != ipaddress.ip_address(text.partition("/")[0]):
        raise ValueError(f"{text[:60]!r} has bits set beyond its prefix: it would mean {network}, write that")
    return network


def _ipv6_network(text: str) -> bool:
    try:
        return ipaddress.ip_network(text, strict=False).version == 6
    except ValueError:
        return False


def _port(text: str) -> int:
    if not (
        text.isascii() and text.isdigit() and 0 < int(text) < 65536
    ):  # int() took '+80', ' 80' and fullwidth digits
        raise ValueError(f"port {text[:20]!r} is not a number from 1 to 65535")
    return int(text)


def _looks_like_address_glob(pattern: str) -> bool:
    # 10.0.0.* speaks of addresses: 10.0.0.5.nip.io is a name that may resolve anywhere, so it must not match.
    return pattern != "*" and all(c.isdigit() or c in ".*?[]-" for c in pattern)


def embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries: mapped, compatible, 6to4, NAT64 (Teredo is refused whole)."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if int(address) >> 32 == 0 and int(address) > 1:  # ::a.b.c.d, the deprecated IPv4-compatible form
        return ipaddress.IPv4Address(int(address))
    return None


def special_kind(address: IPAddress) -> str | None:
    """Why ``address`` is not an ordinary public address, or None if it is one."""
    inner = embedded_ipv4(address)
    if inner is not None:
        kind = special_kind(inner)
        return f"{kind} ({inner} inside the IPv6 address {address})" if kind else None
    if isinstance(address, ipaddress.IPv6Address) and address.teredo is not None:
        return "a Teredo tunnel address"
    checks = (
        (address in METADATA, "a cloud metadata address"),
        (address.is_unspecified, "the unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (isinstance(address, ipaddress.IPv4Address) and address in CGNAT, "a shared (CGNAT) address"),
        (address.is_private, "a private address"),
        # fec0::/10: deprecated, but still routed where a network uses it, and Python counts it global.
        (isinstance(address, ipaddress.IPv6Address) and address.is_site_local, "a site-local address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "an address that is not globally routable"),
    )
    return next((kind for hit, kind in checks if hit), None)


@functools.lru_cache(maxsize=4096)
def is_local_address(address: IPAddress) -> bool:
    """True for an address of this machine: binding to it succeeds only if an interface has it."""
    if address.is_loopback or address.is_unspecified:
        return True
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.bind((address.compressed, 0))
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Endpoint:
    """A service of the worker's own (Temporal frontend, Web UI, metrics, codec server): never a
    destination. ``guard_host``: the host also serves ports nobody configured (a dev server's HTTP API
    and metrics on random ports, a cluster's internal services), so every port there needs a rule
    that names it."""

    host: str
    port: int
    what: str
    guard_host: bool = False


def url_parts(url: str) -> tuple[str, int]:
    """The host (lower case) and port of an http(s) URL; DestinationRefused for any other, or one that
    cannot be read (``http://[::1/``, a port of 99999): the caller's mistake, never one to retry."""
    try:
        parts = urlsplit(url)
        scheme, host = parts.scheme, (parts.hostname or "").lower()
        port = parts.port
    except ValueError as exc:
        raise DestinationRefused(
            f"URL {shown_url(url)!r} cannot be read: {unreadable_because(exc)}", "bad_url"
        ) from None
    if ambiguous_password(url) is not None:  # before any use of its host: 'ann' of ann:1234/x@h is not meant
        raise DestinationRefused(f"URL {shown_url(url)!r} cannot be read: {AMBIGUOUS_USER_INFO}", "bad_url")
    if scheme not in DEFAULT_PORTS:
        raise DestinationRefused(f"URL scheme {scheme!r} is not allowed (http or https only)", "bad_scheme")
    if not host:
        raise DestinationRefused(f"URL {shown_url(url)!r} has no host", "bad_url")
    if "%" in host:  # '[::1%1]' is ::1 to the socket, but no address the guard knows: the frontend's refusal missed
        raise DestinationRefused(
            f"URL {shown_url(url)!r} cannot be read: its host holds an IPv6 zone (%…): give the address alone",
            "bad_url",
        )
    if port == 0:  # 'port or the default' checked port 80 while httpx connected to 0: a retried failure
        raise DestinationRefused(f"URL {shown_url(url)!r} cannot be read: port 0 is no port to connect to", "bad_url")
    _sendable(url)
    return host, port or DEFAULT_PORTS[scheme]


def _sendable(url: str) -> None:
    """httpx, which sends the request, reads some URLs urlsplit reads (a control character, text after an
    IPv6 bracket, half a surrogate pair, a host IDNA refuses): they are refused here, never retried."""
    if _plain(url):
        return
    import httpx

    try:
        httpx.Request("GET", url)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol, UnicodeError, ValueError) as exc:
        raise DestinationRefused(
            f"URL {shown_url(url)!r} cannot be read: {unreadable_because(exc)}", "bad_url"
        ) from None


def _plain(url: str) -> bool:
    """Whether httpx surely reads ``url`` (see _PLAIN_URL); False leaves it to httpx."""
    plain = _PLAIN_URL.fullmatch(url) if len(url) <= _HTTPX_MAX_URL else None
    if plain is None:
        return False
    host = plain["host"]
    if not _FOUR_NUMBERS.fullmatch(host):
        return True
    try:  # what httpx checks four numbers with: 999.1.1.1 or 01.2.3.4 is refused
        ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Boundary:
    rules: tuple[Rule, ...] = field(default_factory=lambda: tuple(parse_rule(r) for r in DEFAULT_RULES))
    protected: tuple[Endpoint, ...] = ()

    @classmethod
    def from_entries(cls, entries: Iterable[str], protected: Iterable[Endpoint] = ()) -> Boundary:
        return cls(tuple(parse_rule(entry) for entry in entries), tuple(protected))

    def check_url(self, url: str) -> tuple[str, int]:
        """The scheme and whether any rule could allow this host; returns (host, port). The address
        check happens when connecting (:meth:`check_addresses`)."""
        host, port = url_parts(url)
        literal = _ip_or_none(host)
        if not any(rule.matches_name(host, port) for rule in self.rules) and not (
            literal is not None and any(rule.matches_address(literal, port) for rule in self.rules)
        ):
            shown = [_show(rule) for rule in self.rules]
            raise DestinationRefused(
                f"host {host!r} (port {port}) is not in the allowed hosts {shown}", "host_not_allowed"
            )
        return host, port

    def check_addresses(self, host: str, port: int, addresses: Sequence[IPAddress], canonical: str = "") -> None:
        """Every address ``host`` resolved to must be allowed; otherwise nothing is connected to. ``canonical``: the
        name the look-up of ``host`` ended at (its CNAMEs followed), when it said."""
        if not addresses:
            raise DestinationRefused(f"{host!r} resolved to no address", "address_not_allowed")
        guarded = _resolve_endpoints(self.protected, (host, addresses), canonical)
        forms = [
            (address, candidate)
            for address in addresses
            for candidate in (address, embedded_ipv4(address))
            if candidate
        ]
        for _, candidate in forms:
            endpoint = guarded.get((candidate, port)) or _served_locally(guarded, candidate, port)
            if endpoint is not None:
                raise DestinationRefused(
                    f"{host}:{port} is the worker's own {endpoint.what} ({candidate}): never reachable from a tool",
                    "protected_endpoint",
                )
        name_allowed = any(rule.matches_name(host, port) for rule in self.rules)
        for address in addresses:
            if any(rule.matches_address(address, port) for rule in self.rules):
                continue
            kind = special_kind(address)
            if kind is None and name_allowed:
                continue
            resolved = f"{host!r} is" if _ip_or_none(host) == address else f"{host!r} resolved to {address},"
            if kind is None:
                raise DestinationRefused(f"{resolved} which no rule allows", "address_not_allowed")
            raise DestinationRefused(
                f"{resolved} {kind}: allow it with an address rule such as {_example(address, port)} "
                "in ORCHESTRA_ALLOWED_HOSTS",
                "address_not_allowed",
            )
        guarded_hosts = {address for (address, _), endpoint in guarded.items() if endpoint.guard_host}
        for _, candidate in forms:
            if _on_host(candidate, guarded_hosts) and not self._names_port(host, candidate, port):
                raise DestinationRefused(
                    f"{host}:{port} ({candidate}) is on the host of the worker's own services: allow it only with "
                    f"a rule naming the port, e.g. {_example(candidate, port)}",
                    "protected_host",
                )

    def _names_port(self, host: str, address: IPAddress, port: int) -> bool:
        return any(
            rule.port == port and (rule.matches_name(host, port) or rule.matches_address(address, port))
            for rule in self.rules
        )

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The addresses ``host`` resolves to, each checked; the caller connects to these only."""
        literal, canonical = _ip_or_none(host), ""
        if literal is not None:
            addresses: list[IPAddress] = [literal]
        else:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, port, type=socket.SOCK_STREAM, flags=socket.AI_CANONNAME
                )
            except socket.gaierror as exc:
                raise Unresolved(f"cannot resolve {host!r}: {exc.strerror or exc}") from None
            addresses, canonical = _addresses_in(infos), _canonical_in(infos)
        await _look_up_protected(self.protected)
        self.check_addresses(host, port, addresses, canonical)
        return addresses


def _on_host(address: IPAddress, hosts: set[IPAddress]) -> bool:
    """``address`` is one of ``hosts``, or both are this machine's."""
    if address in hosts:
        return True
    return any(is_local_address(host) for host in hosts) and is_local_address(address)


def _served_locally(guarded: dict[tuple[IPAddress, int], Endpoint], address: IPAddress, port: int) -> Endpoint | None:
    """The worker's own service on ``port`` of this machine, when ``address`` is this machine's: one bound to
    0.0.0.0 (the documented metrics address) answers on every local address, and 127.0.0.2 or the host's own
    LAN address reached it while only 127.0.0.1, ::1 and 0.0.0.0 were guarded."""
    local = guarded.get((ipaddress.ip_address("0.0.0.0"), port))
    return local if local is not None and is_local_address(address) else None


def _resolve_endpoints(
    endpoints: tuple[Endpoint, ...], fresh: tuple[str, Sequence[IPAddress]] = ("", ()), canonical: str = ""
) -> dict[tuple[IPAddress, int], Endpoint]:
    """Each endpoint's addresses (a local one stands for every loopback address, and ``0.0.0.0`` too); and
    ``fresh``, a host's addresses just looked up, for the endpoints of that very name: the tool's own look-up
    of a protected name is its latest answer (a frontend that moved, or a pool answering another of its
    addresses, was reached by its own name at an address the answer kept, RELOOKUP_S old, did not hold)."""
    found: dict[tuple[IPAddress, int], Endpoint] = {}
    # Each host once: a host named on many ports, or many times, was looked up for each (100 entries naming
    # one host that does not resolve held the first tool call 12 s, and the worker's event loop with it).
    addresses = {host: _known_addresses(host) for host in dict.fromkeys(endpoint.host for endpoint in endpoints)}
    for host in addresses:
        # Or of a name ending at the same canonical name: a tool's name that is a CNAME of a protected host (or of its
        # own canonical name) reached it at an address it moved to since the answer kept, up to RELOOKUP_S old.
        kept = _resolved.get(host)
        if _same_name(host, fresh[0]) or (kept is not None and _same_name(kept.canonical, canonical)):
            addresses[host] = [*addresses[host], *fresh[1]]
    for endpoint in endpoints:
        # The IPv4 address an IPv6 form carries too (a frontend named [::ffff:10.0.0.5]:7233, a host DNS64
        # resolves to 64:ff9b::a00:5): guarded only in its IPv6 form, a tool reached it at 10.0.0.5.
        for address in (form for named in addresses[endpoint.host] for form in (named, embedded_ipv4(named)) if form):
            found[(address, endpoint.port)] = endpoint
            if is_local_address(address):
                for local in (
                    ipaddress.ip_address("127.0.0.1"),
                    ipaddress.ip_address("::1"),
                    ipaddress.ip_address("0.0.0.0"),
                ):
                    found.setdefault((local, endpoint.port), endpoint)
    return found


FAILED_LOOKUP_KEPT_S = 5.0  # a protected host that did not resolve is looked up again after this
RELOOKUP_S = 30.0  # a protected host that resolved is looked up again after this (its address may move)
MOVED_ADDRESS_KEPT_S = 600.0  # an address a protected host no longer resolves to stays guarded this long
RELOOKUP_WAIT_S = 2.0  # how long a tool call waits for a protected host's look-up again (its old answer kept)
# How long a tool call waits for a protected host's look-up when none of its addresses is known: a resolver that
# never answers held every tool call for its own timeout, again each FAILED_LOOKUP_KEPT_S. Past it the call is
# not made (Unresolved: retried), for it could reach that host unguarded.
FIRST_LOOKUP_WAIT_S = 10.0


@dataclass
class _Answers:
    """What a protected host resolved to: each address with when an answer last held it, and when the last
    answer came (monotonic)."""

    seen: dict[IPAddress, float] = field(default_factory=dict)
    answered_at: float = 0.0
    canonical: str = ""  # the name its last answer ended at (its CNAMEs followed), when it said

    def current(self) -> list[IPAddress]:
        """The addresses of the latest answer and of the ones before it for a while: a frontend that moved
        may still serve on its old address (a rolling change, clients that still hold it), so both are
        guarded; an address is let go only once answers without it have come for MOVED_ADDRESS_KEPT_S."""
        return [address for address, seen in self.seen.items() if self.answered_at - seen <= MOVED_ADDRESS_KEPT_S]


_resolved: dict[str, _Answers] = {}  # protected hosts (a worker's own few) and their addresses
_failed_at: dict[str, float] = {}  # protected hosts whose last look-up failed, and when (monotonic)


def _known_addresses(host: str, again: bool = False) -> list[IPAddress]:
    """A protected host's addresses, looked up when due (:func:`_lookup_due`; ``again``: a host that resolved
    is due again, which only the look-ups made off the event loop ask). Cached for the process's life,
    a frontend whose address changed was unguarded at its new one; a look-up that failed keeps the addresses
    known before (a DNS outage never unguards), and is tried again after a few seconds."""
    if _lookup_due(host, again):
        now = time.monotonic()
        addresses, canonical = _addresses_of(host)
        if addresses:
            latest = _resolved.setdefault(host, _Answers())
            latest.canonical = canonical
            latest.seen.update(dict.fromkeys(addresses, now))
            latest.answered_at = now
            # Let go for good: a name answered by ever other addresses (a pool, DNS round robin) kept them all.
            latest.seen = {address: seen for address, seen in latest.seen.items() if now - seen <= MOVED_ADDRESS_KEPT_S}
            _failed_at.pop(host, None)
        else:
            _failed_at[host] = now
    return _kept(host)


def _kept(host: str) -> list[IPAddress]:
    answers = _resolved.get(host)
    return answers.current() if answers is not None else []


def _lookup_due(host: str, again: bool = True) -> bool:
    now = time.monotonic()
    failed = _failed_at.get(host)
    if failed is not None and now - failed < FAILED_LOOKUP_KEPT_S:
        return False
    answers = _resolved.get(host)
    return answers is None or (again and now - answers.answered_at >= RELOOKUP_S)


# Look-ups of protected hosts run here, one at a time per host whoever waits on it: on the event loop (as
# check_addresses made them), a host whose DNS timed out held the worker's loop for the resolver's timeout, once
# at the first tool call when a failure was kept for good, and again every FAILED_LOOKUP_KEPT_S once it was not.
_LOOKUP_THREADS = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="protected-lookup")
_lookups: dict[str, concurrent.futures.Future[list[IPAddress]]] = {}
_lookups_lock = threading.RLock()  # a look-up done at once calls _looked_up as it is submitted, lock held


async def _look_up_protected(endpoints: Iterable[Endpoint]) -> None:
    """Each protected host due a look-up (never made, failed a while ago, or answered RELOOKUP_S ago) looked up
    off the event loop, so that check_addresses finds its answer kept. All at once: one after the other, 200
    names held the first call 200 look-ups long. A host with addresses known (guarded MOVED_ADDRESS_KEPT_S
    whatever comes) is waited for RELOOKUP_WAIT_S only: a look-up again that hung (a DNS server gone) held
    every tool call until the resolver gave up, and again every RELOOKUP_S."""
    unknown: dict[str, asyncio.Future[list[IPAddress]]] = {}
    known: list[asyncio.Future[list[IPAddress]]] = []
    for host in dict.fromkeys(endpoint.host for endpoint in endpoints):
        if not _lookup_due(host):
            continue
        with _lookups_lock:
            if (pending := _lookups.get(host)) is None:
                pending = _lookups[host] = _LOOKUP_THREADS.submit(_known_addresses, host, True)
                pending.add_done_callback(functools.partial(_looked_up, host))
        if _kept(host):
            known.append(asyncio.wrap_future(pending))
        else:
            unknown[host] = asyncio.wrap_future(pending)
    if unknown:
        _, hanging = await asyncio.wait(unknown.values(), timeout=FIRST_LOOKUP_WAIT_S)
        if hanging:
            names = [host for host, pending in unknown.items() if pending in hanging]
            raise Unresolved(
                f"the worker's own service at {names[0]!r} has not been looked up yet (its name server has not "
                f"answered in {FIRST_LOOKUP_WAIT_S:g} s): no tool call connects until it is known, to be guarded"
            )
    if known:
        await asyncio.wait(known, timeout=RELOOKUP_WAIT_S)


def _looked_up(host: str, _: concurrent.futures.Future[list[IPAddress]]) -> None:
    with _lookups_lock:
        _lookups.pop(host, None)


def _addresses_of(host: str) -> tuple[list[IPAddress], str]:
    # A name's trailing dot is the same host ('127.0.0.1.', which Temporal's client connects to as 127.0.0.1,
    # resolved to nothing here: its frontend was guarded on no address at all).
    host = host.strip("[]").removesuffix(".")
    literal = _ip_or_none(host)
    if literal is not None:
        return [literal], ""
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM, flags=socket.AI_CANONNAME)
    except OSError:
        return [], ""
    return _addresses_in(infos), _canonical_in(infos)


def _addresses_in(infos: Sequence[tuple[Any, ...]]) -> list[IPAddress]:
    return list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos))


def _canonical_in(infos: Sequence[tuple[Any, ...]]) -> str:
    """The canonical name a look-up asked with AI_CANONNAME ended at (the first answer holds it), if a name."""
    canonical = str(infos[0][3]) if infos and infos[0][3] else ""
    return "" if _ip_or_none(canonical) is not None else canonical


def _same_name(host: str, other: str) -> bool:
    """Whether two host names are one (any case, a trailing dot or not, an IPv6 address in [ ] or not)."""
    return bool(other) and _name_key(host) == _name_key(other)


def _name_key(host: str) -> str:
    return host.strip("[]").removesuffix(".").lower()


def _ip_or_none(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _example(address: IPAddress, port: int) -> str:
    return f"[{address}]:{port}" if address.version == 6 else f"{address}:{port}"


def _show(rule: Rule) -> str:
    """A rule as ORCHESTRA_ALLOWED_HOSTS takes it: an IPv6 address or network with a port in [ ] ('::1:8080' is
    another address, no port)."""
    if rule.port is None:
        return f"[{rule.pattern}]" if _port_split(rule.pattern) is not None else rule.pattern
    return f"[{rule.pattern}]:{rule.port}" if ":" in rule.pattern else f"{rule.pattern}:{rule.port}"


def endpoint_from_address(address: str, what: str) -> Endpoint | None:
    """``host:port`` (or ``[v6]:port``, or ``:port``) as an Endpoint; None if it has no port."""
    host, sep, port = address.strip().rpartition(":")
    if not sep or not port.isdigit():
        return None
    return Endpoint(host.strip("[]") or "0.0.0.0", int(port), what)


async def explain(boundary: Boundary, url: str) -> str:
    """Whether ``url`` is a destination the boundary allows, and if not, why (for operators): the URL named
    as ``shown_base_url`` names it, since a terminal's scrollback or a pasted answer is no place for the
    password or key typed into it (``http://ann:pw@h/``, ``?token=``)."""
    from orchestra.environment import shown_base_url

    url_shown = shown_base_url(url)
    try:
        host, port = boundary.check_url(url)
        addresses = await boundary.resolve(host, port)
    except DestinationRefused as exc:
        return f"refused  {url_shown}: {exc}"
    except Unresolved as exc:
        return f"unknown  {url_shown}: {exc}"
    return f"allowed  {url_shown} -> {', '.join(a.compressed for a in addresses)}"


if __name__ == "__main__":  # python -m orchestra.network URL...: check URLs against this worker's settings
    import sys

    from orchestra import environment, network  # the module proper: its exception classes are the ones raised
    from orchestra.settings import Settings

    environment.refuse_bad_settings()
    confinement = Settings.from_env().confinement()
    for argument in sys.argv[1:]:
        print(asyncio.run(network.explain(confinement.boundary, argument)))
