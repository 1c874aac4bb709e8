"""The VAPID key pair: generated once into the data directory (private to the owner)
and reused, or taken from settings when configured."""

from __future__ import annotations

import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from core.push.vapid import KEY_FILE, VapidKeyError, b64url, load_keys


def test_a_key_is_generated_once_kept_private_and_reused(make_settings):
    settings = make_settings()
    first = load_keys(settings)
    path = settings.app.data_dir / KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_keys(settings).public_key == first.public_key
    assert len(first.public_key) == 87  # 65 bytes, base64url without padding


def test_a_configured_key_is_used_and_its_public_half_derived(make_settings):
    key = ec.generate_private_key(ec.SECP256R1())
    raw = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64url(key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    settings = make_settings(push={"vapid_private_key": raw, "vapid_public_key": public})
    assert load_keys(settings).public_key == public
    assert not (settings.app.data_dir / KEY_FILE).exists()


def test_a_public_key_that_is_not_the_pair_is_refused(make_settings):
    other = ec.generate_private_key(ec.SECP256R1())
    pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    wrong = b64url(other.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint))
    settings = make_settings(push={"vapid_private_key": pem, "vapid_public_key": wrong})
    with pytest.raises(VapidKeyError, match="does not belong"):
        load_keys(settings)


def test_a_key_that_is_not_p256_is_explained(make_settings):
    settings = make_settings(push={"vapid_private_key": "not-a-key"})
    with pytest.raises(VapidKeyError, match="not a P-256 key"):
        load_keys(settings)


def test_the_contact_is_a_mailto_claim(make_settings):
    assert load_keys(make_settings(push={"contact_email": "ops@example.com"})).subject == \
        "mailto:ops@example.com"
