"""Signed button payloads: compact, bound to the presser, tamper- and age-checked."""

from datetime import timedelta

import pytest

from bot.conversation.payloads import MAX_PAYLOAD_BYTES, TAG_BYTES, PayloadCodec
from core.signing import Signer, b64encode
from tests.fakes.clock import FakeClock


@pytest.fixture
def codec(clock):
    return PayloadCodec(b"k" * 32, clock, ttl=timedelta(days=7))


def test_round_trip_gives_flow_action_and_args(codec):
    payload = codec.encode("telegram:1", "caption", "tone", "flirty", "3")
    press = codec.decode("telegram:1", payload)
    assert (press.flow, press.action, press.args) == ("caption", "tone", ("flirty", "3"))


def test_payload_fits_telegram_callback_data(codec):
    payload = codec.encode("telegram:123456789", "schedule", "slot", "2026-11-25T18:00")
    assert len(payload.encode()) <= MAX_PAYLOAD_BYTES


def test_too_long_payload_is_refused_at_build_time(codec):
    with pytest.raises(ValueError, match="too long"):
        codec.encode("telegram:1", "caption", "pick", "x" * 60)


def test_separator_in_args_is_refused(codec):
    with pytest.raises(ValueError, match="may not contain"):
        codec.encode("telegram:1", "caption", "pick", "a|b")


def test_other_users_cannot_use_a_payload(codec):
    payload = codec.encode("telegram:1", "start", "content", "sfw")
    assert codec.decode("telegram:2", payload) is None


def test_tampered_payload_is_rejected(codec):
    payload = codec.encode("telegram:1", "start", "content", "sfw")
    forged = payload.replace("sfw", "nsfw")
    assert codec.decode("telegram:1", forged) is None


@pytest.mark.parametrize(
    "junk", ["", "~", "a~b", "a~zz~", "start|x~!!~sig", "\x00" * 64, "start|a~1~é", "ü~ö~ß"]
)
def test_malformed_payload_is_rejected_not_raised(codec, junk):
    assert codec.decode("telegram:1", junk) is None


def test_payload_expires_after_its_ttl(codec, clock: FakeClock):
    payload = codec.encode("telegram:1", "start", "content", "sfw")
    clock.advance(timedelta(days=7, minutes=2))
    assert codec.decode("telegram:1", payload) is None


def test_payload_signed_with_another_key_is_rejected(codec, clock):
    other = PayloadCodec(b"o" * 32, clock)
    assert codec.decode("telegram:1", other.encode("telegram:1", "start", "a")) is None


def test_a_tag_made_for_another_purpose_does_not_open_a_button(codec, clock):
    payload = codec.encode("telegram:1", "start", "content", "sfw")
    body = payload.rsplit("~", 1)[0]
    other = Signer(b"k" * 32, clock).mac("sign-in", f"telegram:1\n{body}", TAG_BYTES)

    assert codec.decode("telegram:1", f"{body}~{b64encode(other)}") is None


def test_a_shortened_tag_is_rejected(codec):
    payload = codec.encode("telegram:1", "start", "content", "sfw")
    assert codec.decode("telegram:1", payload[:-4]) is None
