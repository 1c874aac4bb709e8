"""Who an anonymous request comes from: its IP address, told honestly.

X-Forwarded-For is a header anyone can send, so it counts only when the peer is one
of `ratelimit.trusted_proxies`: then the header is read from the right (each proxy
appends the address it saw) past every trusted proxy, and the first address that is
not one of ours is the client. With no trusted proxies the peer address is the
client. IPv6 clients are counted per /64: one home or phone gets a whole /64 and can
pick a fresh address from it for every request.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from aiohttp import web

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
UNKNOWN = "unknown"
MAX_FORWARDED_HOPS = 20


def networks(items: Sequence[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def _address(text: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(address: IPAddress, trusted: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in trusted)


def client_address(request: web.Request, trusted: Sequence[IPNetwork]) -> IPAddress | None:
    """The client's address (None when the peer is not an IP, e.g. a unix socket)."""
    peer = _address(request.remote)
    if peer is None or not trusted or not _trusted(peer, trusted):
        return peer
    hops = ",".join(request.headers.getall("X-Forwarded-For", [])).split(",")
    current = peer
    for text in reversed(hops[-MAX_FORWARDED_HOPS:]):
        hop = _address(text)
        if hop is None:  # not written by a proxy of ours: stop at the last one we trust
            return current
        current = hop
        if not _trusted(hop, trusted):
            return hop
    return current


def bucket(address: IPAddress | None) -> str:
    """The rate-limit key part for an address: IPv4 as is, IPv6 by its /64."""
    if address is None:
        return UNKNOWN
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
