"""Telegram Mini App `initData`: who opened the app, proven by Telegram.

Two documented checks (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):

- with the bot token (ours): the data-check-string is every field except `hash`, sorted
  `key=value` lines joined by a line feed. Since Bot API 8.0 the data also carries a
  `signature` field; it stays *in* this string (only `hash` is left out, and Telegram's
  published sample verifies only that way). The secret key is
  HMAC-SHA256(key="WebAppData", msg=bot token) and `hash` is hex HMAC-SHA256(secret
  key, data-check-string);
- without the token (third-party use): `signature` is base64url (no padding) Ed25519
  over `"{bot_id}:WebAppData\\n"` + the sorted lines without `hash` and `signature`,
  checked against Telegram's published public key (production or test environment).

Either way `auth_date` must be recent, and `user` is a JSON object. `cryptography` is
imported only when a signature is checked.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.telegram import (
    TelegramUser,
    check_auth_date,
    data_check_string,
    parse_query,
    take_hash,
    user_from,
)
from core.signing import b64decode


@dataclass(frozen=True)
class InitData:
    """Verified initData. `user` is None only when the app was opened without one."""

    user: TelegramUser | None
    auth_date: datetime
    fields: dict[str, str]

    @property
    def start_param(self) -> str | None:
        return self.fields.get("start_param") or None

    @property
    def query_id(self) -> str | None:
        return self.fields.get("query_id") or None


def webapp_secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode(), "sha256").digest()


def verify_init_data(
    raw: str | bytes, bot_token: str | None, *, now: datetime, max_age: timedelta
) -> InitData:
    """Check initData with our bot token; `AuthError` if forged, altered, stale or bad."""
    if not bot_token:
        raise AuthError(errors.NOT_CONFIGURED, "no Telegram bot token")
    pairs = parse_query(raw)
    fields = dict(pairs)
    given = take_hash(fields)
    check = data_check_string(pairs, ["hash"]).encode()
    expected = hmac.new(webapp_secret(bot_token), check, "sha256").hexdigest()
    if not hmac.compare_digest(expected, given):
        raise AuthError(errors.BAD_HASH)
    return _result(fields, now, max_age)


def verify_init_data_signature(
    raw: str | bytes, bot_id: int, public_key_hex: str, *, now: datetime, max_age: timedelta
) -> InitData:
    """Check initData without the bot token, by Telegram's Ed25519 `signature`."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    pairs = parse_query(raw)
    fields = dict(pairs)
    encoded = fields.get("signature")
    if not encoded:
        raise AuthError(errors.BAD_SIGNATURE, "no signature")
    try:
        signature = b64decode(encoded)
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key_hex))
    except ValueError as exc:
        raise AuthError(errors.BAD_SIGNATURE, "not an Ed25519 signature or key") from exc
    message = f"{bot_id}:WebAppData\n" + data_check_string(pairs, ["hash", "signature"])
    try:
        key.verify(signature, message.encode())
    except InvalidSignature as exc:
        raise AuthError(errors.BAD_SIGNATURE) from exc
    return _result(fields, now, max_age)


def bot_id_of(bot_token: str) -> int | None:
    """The bot's numeric id: the part of its token before the colon."""
    head, sep, _ = bot_token.partition(":")
    return int(head) if sep and head.isascii() and head.isdigit() else None


def _result(fields: dict[str, str], now: datetime, max_age: timedelta) -> InitData:
    auth_date = check_auth_date(fields, now, max_age)
    user = None
    if "user" in fields:
        try:
            decoded = json.loads(fields["user"])
        except ValueError as exc:  # JSONDecodeError, and absurdly deep nesting
            raise AuthError(errors.MALFORMED, "user is not JSON") from exc
        except RecursionError as exc:
            raise AuthError(errors.MALFORMED, "user is not JSON") from exc
        if not isinstance(decoded, dict):
            raise AuthError(errors.MALFORMED, "user is not an object")
        user = user_from(decoded)
    return InitData(user, auth_date, fields)
