"""Mini App initData is checked as Telegram documents it, both ways.

Expected values are computed here from the documented recipes, independently of the
code under test: HMAC-SHA256 keyed by HMAC("WebAppData", bot token) over the sorted
fields without `hash`; and an Ed25519 signature (from a key pair made in the test) over
"{bot_id}:WebAppData\\n" + the sorted fields without `hash` and `signature`.
"""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.miniapp import bot_id_of, verify_init_data, verify_init_data_signature
from core.settings import AuthSettings

BOT_ID = 7000001
TOKEN = f"{BOT_ID}:AAH-test-token-value_123"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
USER = {"id": 279058397, "first_name": "Vlad + - ? /", "username": "vlad", "language_code": "ru"}
PRIVATE = Ed25519PrivateKey.generate()
PUBLIC_HEX = PRIVATE.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def init_fields(token=TOKEN, signer=PRIVATE, **overrides):
    fields = {"query_id": "AAHdF6IQAAAAAN0XohDhrOrc", "user": json.dumps(USER),
              "chat_type": "private", "auth_date": str(int(NOW.timestamp()) - 30)}
    fields.update(overrides)
    third_party = f"{BOT_ID}:WebAppData\n" + "\n".join(
        f"{k}={fields[k]}" for k in sorted(fields))
    fields["signature"] = b64url(signer.sign(third_party.encode()))
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))  # signature included
    secret = hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


def raw(fields):
    return urlencode(fields, quote_via=quote)


def hmac_reason(data, token=TOKEN):
    with pytest.raises(AuthError) as caught:
        verify_init_data(data, token, now=NOW, max_age=DAY)
    return caught.value.reason


def signature_reason(data, key=PUBLIC_HEX, bot_id=BOT_ID):
    with pytest.raises(AuthError) as caught:
        verify_init_data_signature(data, bot_id, key, now=NOW, max_age=DAY)
    return caught.value.reason


def test_authentic_init_data_gives_the_user_from_its_json():
    data = verify_init_data(raw(init_fields()), TOKEN, now=NOW, max_age=DAY)
    assert data.user is not None
    assert (data.user.id, data.user.first_name, data.user.language_code) == (
        279058397, "Vlad + - ? /", "ru")
    assert data.query_id == "AAHdF6IQAAAAAN0XohDhrOrc"
    assert data.auth_date == NOW - timedelta(seconds=30)


def test_telegrams_published_sample_verifies_with_signature_inside_the_hmac():
    # The sample from Telegram-Mini-Apps/init-data-golang (a public test bot): its hash
    # only matches with `signature` kept in the data-check-string, and its signature
    # verifies against Telegram's production key as configured by default.
    sample = ("user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F"
              "%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost"
              "%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write"
              "_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2F"
              "userpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D"
              "&chat_instance=8134722200314281151&chat_type=private&auth_date=1733509682"
              "&signature=TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8Pau-X7oNNLNBM72APCpi_RKiUlBvcqo5L-"
              "LAxIc3dnTzcZX_PDg&hash=a433d8f9847bd6addcc563bff7cc82c89e97ea0d90c11fe5729cae6796"
              "a36d73")
    token = "7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4"
    then = datetime.fromtimestamp(1733509682 + 60, UTC)
    by_token = verify_init_data(sample, token, now=then, max_age=DAY)
    by_key = verify_init_data_signature(
        sample, bot_id_of(token), AuthSettings().telegram_public_key, now=then, max_age=DAY)
    assert by_token.user == by_key.user
    assert by_token.user is not None
    assert by_token.user.username == "vdkfrost"


def test_a_tampered_field_is_refused():
    fields = init_fields()
    fields["user"] = json.dumps({**USER, "id": 1})
    assert hmac_reason(raw(fields)) == errors.BAD_HASH
    assert signature_reason(raw(fields)) == errors.BAD_SIGNATURE


def test_the_login_widget_key_does_not_validate_init_data():
    fields = init_fields()
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields) if k != "hash")
    fields["hash"] = hmac.new(hashlib.sha256(TOKEN.encode()).digest(), check.encode(),
                              hashlib.sha256).hexdigest()
    assert hmac_reason(raw(fields)) == errors.BAD_HASH


def test_wrong_bot_token_is_refused():
    assert hmac_reason(raw(init_fields()), token=f"{BOT_ID}:another-token") == errors.BAD_HASH


def test_stale_auth_date_is_refused():
    old = str(int((NOW - DAY - timedelta(seconds=1)).timestamp()))
    assert hmac_reason(raw(init_fields(auth_date=old))) == errors.STALE
    assert signature_reason(raw(init_fields(auth_date=old))) == errors.STALE


def test_missing_hash_is_refused():
    fields = init_fields()
    del fields["hash"]
    assert hmac_reason(raw(fields)) == errors.MISSING_HASH


def test_duplicated_keys_are_refused():
    assert hmac_reason(raw(init_fields()) + "&user=%7B%22id%22%3A1%7D") == errors.MALFORMED


@pytest.mark.parametrize("data", [
    "user=%C3%28&hash=" + "0" * 64,  # invalid UTF-8 sequence
    b"auth_date=\xc3\x28",
    "no-equals-sign",
    "a=1&&b=2",
    "%",
    "hash=" + "z" * 64,
])
def test_malformed_query_strings_are_clean_refusals(data):
    assert hmac_reason(data) in {errors.MALFORMED, errors.BAD_HASH}
    assert signature_reason(data) in {errors.MALFORMED, errors.BAD_SIGNATURE}


@pytest.mark.parametrize("user", ["not json", "[1, 2]", '{"first_name": "no id"}',
                                  '{"id": true}', '{"id": -5}', "[" * 5000])
def test_a_user_field_that_is_not_a_user_is_malformed(user):
    assert hmac_reason(raw(init_fields(user=user))) == errors.MALFORMED


def test_signature_made_with_another_key_is_refused():
    other = init_fields(signer=Ed25519PrivateKey.generate())
    assert signature_reason(raw(other)) == errors.BAD_SIGNATURE


def test_signature_for_another_bot_id_is_refused():
    assert signature_reason(raw(init_fields()), bot_id=BOT_ID + 1) == errors.BAD_SIGNATURE


@pytest.mark.parametrize("signature", ["", "!!!", "AAAA", b64url(b"x" * 64) + "="])
def test_a_missing_or_garbled_signature_is_refused(signature):
    fields = init_fields()
    fields["signature"] = signature
    assert signature_reason(raw(fields)) == errors.BAD_SIGNATURE


def test_a_bad_public_key_setting_is_a_refusal_not_a_crash():
    assert signature_reason(raw(init_fields()), key="00" * 31) == errors.BAD_SIGNATURE


def test_telegrams_published_keys_are_the_defaults_and_ours_is_neither():
    settings = AuthSettings()
    assert settings.telegram_public_key.startswith("e7bf03a2")
    assert settings.telegram_test_public_key.startswith("40055058")
    assert signature_reason(raw(init_fields()), key=settings.telegram_public_key) == (
        errors.BAD_SIGNATURE)
