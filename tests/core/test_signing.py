"""The signing helper: tokens are bound to a purpose and a key, expire on the clock, and
anything altered, foreign, truncated or malformed is refused with a reason, never raised."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from core.signing import (
    MIN_TAG_BYTES,
    Signer,
    TokenExpired,
    TokenInvalid,
    b64decode,
    b64encode,
)
from tests.fakes.clock import FakeClock

KEY = b"k" * 32
HOUR = timedelta(hours=1)
URL_SAFE = re.compile(r"[A-Za-z0-9_.~-]+")


@pytest.fixture
def signer(clock: FakeClock) -> Signer:
    return Signer(KEY, clock)


def test_a_token_gives_back_its_data(signer):
    assert signer.verify("sign-in", signer.sign("sign-in", "user-42", HOUR)) == "user-42"


def test_simple_data_stays_readable_in_the_token(signer):
    assert signer.sign("sign-in", "42", HOUR).startswith("42.")


@pytest.mark.parametrize(
    "data", ["Zoë 💋 rooftop", "a.b.c", "~tilde", "", "line\nbreak", "ß" * 300]
)
def test_any_text_round_trips_in_a_url_safe_token(signer, data):
    token = signer.sign("sign-in", data, HOUR)

    assert URL_SAFE.fullmatch(token)
    assert signer.verify("sign-in", token) == data


def test_altered_data_is_invalid(signer):
    token = signer.sign("sign-in", "42", HOUR)

    with pytest.raises(TokenInvalid):
        signer.open("sign-in", "43" + token[2:])


def test_a_later_expiry_cannot_be_written_in(signer):
    data, expiry, tag = signer.sign("sign-in", "42", HOUR).split(".")

    with pytest.raises(TokenInvalid):
        signer.open("sign-in", f"{data}.{expiry}0.{tag}")


def test_every_single_character_change_is_invalid(signer):
    token = signer.sign("sign-in", "Zoë", HOUR)
    for i, ch in enumerate(token):
        forged = token[:i] + ("A" if ch != "A" else "B") + token[i + 1 :]
        assert signer.verify("sign-in", forged) is None, forged


def test_a_token_for_another_purpose_is_invalid(signer):
    button = signer.sign("button", "42", HOUR)

    with pytest.raises(TokenInvalid):
        signer.open("sign-in", button)


def test_a_token_from_another_installation_is_invalid(signer, clock):
    foreign = Signer(b"o" * 32, clock).sign("sign-in", "42", HOUR)

    assert signer.verify("sign-in", foreign) is None


def test_a_token_is_good_until_its_ttl_then_expired(signer, clock):
    token = signer.sign("sign-in", "42", HOUR)

    clock.advance(HOUR - timedelta(seconds=1))
    assert signer.open("sign-in", token) == "42"
    clock.advance(timedelta(seconds=1))
    with pytest.raises(TokenExpired) as caught:
        signer.open("sign-in", token)
    assert caught.value.reason == "expired"
    assert signer.verify("sign-in", token) is None


def test_an_expired_and_altered_token_is_invalid_not_expired(signer, clock):
    token = signer.sign("sign-in", "42", HOUR)
    clock.advance(2 * HOUR)

    with pytest.raises(TokenInvalid) as caught:
        signer.open("sign-in", "43" + token[2:])
    assert caught.value.reason == "invalid"


def test_every_truncation_of_a_token_is_invalid(signer):
    token = signer.sign("sign-in", "Zoë", HOUR)
    for cut in range(len(token)):
        with pytest.raises(TokenInvalid):
            signer.open("sign-in", token[:cut])


@pytest.mark.parametrize(
    "junk",
    ["", ".", "..", "a.b.c", "1.9.é", "éé", "\x00" * 40, "42.zz.", "~%%%.1.AAAA",
     "42." + "z" * 20 + ".AAAAAAAAAAAAAAAAAAAAAA", "x" * 10_000],
)
def test_malformed_tokens_are_invalid_not_raised(signer, junk):
    with pytest.raises(TokenInvalid):
        signer.open("sign-in", junk)


def test_a_zero_or_negative_ttl_is_refused_when_signing(signer):
    with pytest.raises(ValueError, match="positive"):
        signer.sign("sign-in", "42", timedelta(0))


@pytest.mark.parametrize("purpose", ["", "Sign In", "a\x00b", "x" * 65])
def test_a_purpose_must_be_a_short_lowercase_name(signer, purpose):
    with pytest.raises(ValueError, match="purpose"):
        signer.sign(purpose, "42", HOUR)


def test_a_short_master_key_is_refused(clock):
    with pytest.raises(ValueError, match="16 bytes"):
        Signer(b"short", clock)


def test_the_same_message_has_a_different_mac_per_purpose(signer):
    assert signer.mac("button", "42") != signer.mac("sign-in", "42")


def test_a_mac_checks_only_at_its_full_length(signer):
    tag = signer.mac("button", "owner\nbody", 9)

    assert signer.check("button", "owner\nbody", b64encode(tag), 9)
    assert not signer.check("button", "owner\nbody", b64encode(tag[:8]), 9)
    assert not signer.check("button", "owner\nbody", "", 9)
    assert not signer.check("button", "owner\nbody", "é" * 12, 9)


def test_macs_shorter_than_the_minimum_are_refused(signer):
    with pytest.raises(ValueError, match="tag size"):
        signer.mac("button", "x", MIN_TAG_BYTES - 1)


def test_base64url_has_one_spelling_per_value():
    text = b64encode(b"\xff" * 16)  # 22 characters: the last one carries spare bits
    assert b64decode(text) == b"\xff" * 16
    look_alike = text[:-1] + ("w" if text[-1] != "w" else "x")
    with pytest.raises(ValueError):
        b64decode(look_alike)
