"""The client's address: the peer, unless a trusted proxy says otherwise."""

from __future__ import annotations

import ipaddress

import pytest
from aiohttp.test_utils import make_mocked_request
from multidict import CIMultiDict

from web.ratelimit.client import bucket, client_address, networks


class _Transport:
    def __init__(self, peer: str) -> None:
        self._peer = peer

    def get_extra_info(self, name: str, default=None):
        return (self._peer, 40000) if name == "peername" else default


def request(peer: str, forwarded: str | None = None):
    headers = CIMultiDict({"X-Forwarded-For": forwarded} if forwarded else {})
    return make_mocked_request("GET", "/", headers=headers, transport=_Transport(peer))


def address(peer: str, forwarded: str | None = None, trusted=()) -> str:
    return str(client_address(request(peer, forwarded), networks(list(trusted))))


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says():
    assert address("192.0.2.10", "203.0.113.5") == "192.0.2.10"


def test_a_header_from_an_untrusted_peer_is_ignored():
    assert address("192.0.2.10", "203.0.113.5", trusted=["10.0.0.0/8"]) == "192.0.2.10"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_client():
    assert address("10.0.0.2", "203.0.113.5", trusted=["10.0.0.0/8"]) == "203.0.113.5"


def test_a_client_cannot_prepend_a_fake_address_past_our_proxies():
    hops = "1.2.3.4, 203.0.113.5, 10.0.0.3"
    assert address("10.0.0.2", hops, trusted=["10.0.0.0/8"]) == "203.0.113.5"


def test_garbage_in_the_header_stops_at_the_last_address_a_proxy_of_ours_wrote():
    assert address("10.0.0.2", "not-an-ip", trusted=["10.0.0.0/8"]) == "10.0.0.2"


def test_only_trusted_hops_leave_the_first_of_them():
    assert address("10.0.0.2", "10.0.0.9", trusted=["10.0.0.0/8"]) == "10.0.0.9"


@pytest.mark.parametrize(("given", "key"), [
    ("203.0.113.5", "203.0.113.5"),
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
    ("::ffff:203.0.113.5", "203.0.113.5"),
])
def test_ipv6_clients_are_counted_per_64(given, key):
    assert bucket(ipaddress.ip_address(given)) == key


def test_an_unknown_peer_has_one_shared_key():
    assert bucket(None) == "unknown"
