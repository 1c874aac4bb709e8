"""Signed calls: a valid one is accepted once; forged, stale, replayed and unreadable
ones are refused, with the replay guard in memory and in Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.webhooks.seen import MemorySeenIds, RedisSeenIds, SeenIds
from core.webhooks.signing import (
    Forged,
    Malformed,
    Replayed,
    Stale,
    Verifier,
    mac,
    parse,
    sign,
)
from tests.fakes.clock import FakeClock

KEY = b"k" * 32
OTHER_KEY = b"o" * 32
BODY = b'{"event":"plan_changed","user_id":7}'


@pytest.fixture(params=["memory", "redis"])
async def seen(request: pytest.FixtureRequest, clock: FakeClock) -> AsyncIterator[SeenIds]:
    if request.param == "memory":
        store: SeenIds = MemorySeenIds(clock)
    else:
        section = request.getfixturevalue("redis_section")
        store = RedisSeenIds(section["url"], section["key_prefix"], "spec")
    yield store
    await store.aclose()


@pytest.fixture
def verifier(clock: FakeClock, seen: SeenIds) -> Verifier:
    return Verifier([KEY], clock, seen, window_seconds=300)


async def test_a_valid_call_is_accepted_with_its_time_and_id(verifier, clock):
    header = sign(KEY, BODY, clock, call_id="a" * 24)
    verified = await verifier.verify(header, BODY)
    assert verified.id == "a" * 24
    assert verified.timestamp == int(clock.now().timestamp())


async def test_the_header_says_time_id_and_hmac_sha256_of_all_three(clock):
    header = sign(KEY, BODY, clock, call_id="b" * 24)
    t = int(clock.now().timestamp())
    assert header == f"t={t},id={'b' * 24},v1={mac(KEY, t, 'b' * 24, BODY)}"


async def test_a_call_signed_with_another_key_is_forged(verifier, clock):
    with pytest.raises(Forged):
        await verifier.verify(sign(OTHER_KEY, BODY, clock), BODY)


async def test_a_changed_body_is_forged(verifier, clock):
    header = sign(KEY, BODY, clock)
    with pytest.raises(Forged):
        await verifier.verify(header, BODY.replace(b"7", b"8"))


async def test_a_changed_timestamp_is_forged(verifier, clock):
    header = sign(KEY, BODY, clock)
    t = int(clock.now().timestamp())
    with pytest.raises(Forged):
        await verifier.verify(header.replace(f"t={t}", f"t={t + 1}"), BODY)


async def test_a_call_older_than_the_window_is_stale(verifier, clock):
    header = sign(KEY, BODY, clock)
    clock.advance(timedelta(seconds=301))
    with pytest.raises(Stale):
        await verifier.verify(header, BODY)


async def test_a_call_inside_the_window_is_fresh(verifier, clock):
    header = sign(KEY, BODY, clock)
    clock.advance(timedelta(seconds=299))
    assert await verifier.verify(header, BODY)


async def test_a_call_dated_beyond_the_window_in_the_future_is_stale(verifier, clock):
    later = FakeClock(clock.now() + timedelta(seconds=301))
    with pytest.raises(Stale):
        await verifier.verify(sign(KEY, BODY, later), BODY)


async def test_the_same_call_again_inside_the_window_is_replayed(verifier, clock):
    header = sign(KEY, BODY, clock)
    await verifier.verify(header, BODY)
    clock.advance(timedelta(seconds=10))
    with pytest.raises(Replayed):
        await verifier.verify(header, BODY)


async def test_two_calls_with_the_same_body_are_two_calls(verifier, clock):
    assert await verifier.verify(sign(KEY, BODY, clock), BODY)
    assert await verifier.verify(sign(KEY, BODY, clock), BODY)


async def test_a_forged_call_does_not_burn_the_id_it_names(verifier, clock):
    call_id = "c" * 24
    with pytest.raises(Forged):
        await verifier.verify(sign(OTHER_KEY, BODY, clock, call_id=call_id), BODY)
    assert await verifier.verify(sign(KEY, BODY, clock, call_id=call_id), BODY)


async def test_a_rotated_key_is_still_accepted_while_listed(clock, seen):
    verifier = Verifier([KEY, OTHER_KEY], clock, seen)
    assert await verifier.verify(sign(OTHER_KEY, BODY, clock), BODY)


async def test_two_verifiers_sharing_a_store_refuse_each_others_replays(clock, seen):
    first, second = Verifier([KEY], clock, seen), Verifier([KEY], clock, seen)
    header = sign(KEY, BODY, clock)
    await first.verify(header, BODY)
    with pytest.raises(Replayed):
        await second.verify(header, BODY)


@pytest.mark.parametrize("header", [
    None, "", "v1=" + "0" * 64, "t=1,id=" + "a" * 20, "t=x,id=" + "a" * 20 + ",v1=" + "0" * 64,
    "t=1,id=short,v1=" + "0" * 64, "t=1,id=" + "a" * 20 + ",v1=XYZ", "garbage",
    "t=1,id=" + "a" * 20 + ",v1=" + "0" * 64 + ",x" * 600, "t=1\u00e9,id=" + "a" * 20,
])
def test_an_unreadable_header_is_malformed(header):
    with pytest.raises(Malformed):
        parse(header)


def test_a_verifier_needs_a_key(clock):
    with pytest.raises(ValueError):
        Verifier([], clock, MemorySeenIds(clock))


async def test_the_memory_store_forgets_ids_after_their_time(clock):
    store = MemorySeenIds(clock)
    assert await store.first_time("x" * 20, 600)
    assert not await store.first_time("x" * 20, 600)
    clock.advance(timedelta(seconds=601))
    assert await store.first_time("x" * 20, 600)


async def test_the_memory_store_stays_bounded(clock):
    store = MemorySeenIds(clock, max_ids=3)
    for n in range(10):
        assert await store.first_time(f"id-{n}", 600)
    assert not await store.first_time("id-9", 600)
