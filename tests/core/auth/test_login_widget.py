"""Telegram Login Widget data is checked exactly as Telegram documents it.

The expected hash is computed here, independently, from the documented recipe
(core.telegram.org/widgets/login#checking-authorization): secret = SHA256(bot token),
hash = hex HMAC-SHA256(secret, sorted "key=value" lines without hash, joined by "\\n").
"""

import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.telegram import verify_login_widget

TOKEN = "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def widget_fields(token=TOKEN, **overrides):
    fields = {"id": "424242", "first_name": "Mira", "last_name": "Ló", "username": "mira",
              "photo_url": "https://t.me/i/userpic/320/mira.jpg",
              "auth_date": str(int(NOW.timestamp()) - 60)}
    fields.update(overrides)
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hashlib.sha256(token.encode()).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return fields


def reason(data, token=TOKEN, now=NOW):
    with pytest.raises(AuthError) as caught:
        verify_login_widget(data, token, now=now, max_age=DAY)
    return caught.value.reason


def test_authentic_fields_give_the_telegram_user():
    user = verify_login_widget(widget_fields(), TOKEN, now=NOW, max_age=DAY)
    assert (user.id, user.first_name, user.last_name, user.username) == (
        424242, "Mira", "Ló", "mira")
    assert (user.transport, user.external_id) == ("telegram", "424242")


def test_the_query_string_of_the_auth_url_is_accepted_too():
    user = verify_login_widget(urlencode(widget_fields()), TOKEN, now=NOW, max_age=DAY)
    assert user.id == 424242


def test_a_tampered_field_is_refused():
    fields = widget_fields()
    fields["id"] = "1"
    assert reason(fields) == errors.BAD_HASH


def test_an_added_field_is_refused():
    fields = widget_fields()
    fields["admin"] = "true"
    assert reason(fields) == errors.BAD_HASH


def test_data_signed_for_another_bot_is_refused():
    assert reason(widget_fields(token="999:other-bot-token")) == errors.BAD_HASH


def test_missing_hash_is_refused():
    fields = widget_fields()
    del fields["hash"]
    assert reason(fields) == errors.MISSING_HASH


def test_stale_auth_date_is_refused_even_with_a_good_hash():
    old = str(int((NOW - DAY - timedelta(seconds=1)).timestamp()))
    assert reason(widget_fields(auth_date=old)) == errors.STALE


def test_auth_date_from_the_future_is_refused():
    ahead = str(int((NOW + timedelta(hours=1)).timestamp()))
    assert reason(widget_fields(auth_date=ahead)) == errors.STALE


def test_duplicated_keys_are_refused():
    query = urlencode(widget_fields()) + "&id=1"
    assert reason(query) == errors.MALFORMED


def test_without_a_bot_token_nothing_signs_in():
    assert reason(widget_fields(), token=None) == errors.NOT_CONFIGURED


@pytest.mark.parametrize("query", [
    "id=1&hash=%ff%fe",  # percent-encoded bytes that are not UTF-8
    b"id=\xff&hash=00",  # raw bytes that are not UTF-8
    "id",  # a field without "="
    "&&&",
    "a=1&" * 100,  # more fields than any widget sends
    "x=" + "a" * 20_000,
])
def test_malformed_input_is_a_clean_refusal(query):
    assert reason(query) == errors.MALFORMED


def test_non_numeric_auth_date_is_malformed_after_a_good_hash():
    assert reason(widget_fields(auth_date="yesterday")) == errors.MALFORMED
