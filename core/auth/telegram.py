"""Telegram Login Widget data, and the parsing shared with Mini App `initData`.

Telegram's scheme (core.telegram.org/widgets/login#checking-authorization): the
data-check-string is every received field except `hash`, as `key=value` lines sorted by
key and joined by a line feed; the secret key is SHA256(bot token); the data is
authentic when hex(HMAC-SHA256(secret key, data-check-string)) equals `hash`. The
`auth_date` must also be recent, or a link captured once would sign in forever.

Fields arrive as user input, so parsing is strict: a key given twice is refused
(which of two values would the check and the caller each have used?), bytes that are
not UTF-8 are refused, and every failure is an `AuthError`, never a parser exception.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from core.auth import errors
from core.auth.errors import AuthError

MAX_QUERY_CHARS = 16_384  # initData with a long profile is ~1 KB; refuse absurd input early
MAX_FIELDS = 64
FUTURE_SKEW = timedelta(minutes=5)  # clocks differ; a date further ahead is forged
_HEX_HASH = re.compile(r"[0-9a-f]{64}")
_TRANSPORT = "telegram"


@dataclass(frozen=True)
class TelegramUser:
    """Who Telegram says signed in (only from data whose hash or signature checked out)."""

    id: int
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    photo_url: str | None = None

    @property
    def transport(self) -> str:
        return _TRANSPORT

    @property
    def external_id(self) -> str:
        """The identity key the Telegram bot uses for this person (`str(user.id)`)."""
        return str(self.id)


def parse_query(raw: str | bytes) -> list[tuple[str, str]]:
    """`a=1&b=2` -> pairs, strictly: UTF-8 only, no duplicate keys, bounded size."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        if len(text) > MAX_QUERY_CHARS:
            raise AuthError(errors.MALFORMED, "too long")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=True,
                          encoding="utf-8", errors="strict", max_num_fields=MAX_FIELDS)
    except AuthError:
        raise
    except ValueError as exc:  # UnicodeDecodeError is one; so are bad pairs, too many fields
        raise AuthError(errors.MALFORMED, "not a query string") from exc
    return unique_fields(pairs)


def unique_fields(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, value in pairs:
        if not isinstance(key, str) or not isinstance(value, str):
            raise AuthError(errors.MALFORMED, "fields must be text")
        if key in seen:
            raise AuthError(errors.MALFORMED, f"field {key!r} given twice")
        if "\n" in key or "=" in key or not key:
            raise AuthError(errors.MALFORMED, "bad field name")
        seen.add(key)
        out.append((key, value))
    return out


def data_check_string(pairs: Iterable[tuple[str, str]], exclude: Iterable[str]) -> str:
    skip = set(exclude)
    return "\n".join(f"{k}={v}" for k, v in sorted(pairs) if k not in skip)


def take_hash(fields: Mapping[str, str]) -> str:
    given = fields.get("hash")
    if not given:
        raise AuthError(errors.MISSING_HASH)
    if not _HEX_HASH.fullmatch(given):
        raise AuthError(errors.BAD_HASH, "not a hex SHA-256")
    return given


def check_auth_date(fields: Mapping[str, str], now: datetime, max_age: timedelta) -> datetime:
    raw = fields.get("auth_date", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 12:
        raise AuthError(errors.MALFORMED, "auth_date is not a Unix time")
    when = datetime.fromtimestamp(int(raw), UTC)
    if when > now + FUTURE_SKEW or now - when > max_age:
        raise AuthError(errors.STALE)
    return when


def user_from(data: Mapping[str, Any]) -> TelegramUser:
    """A `TelegramUser` from a verified mapping (widget fields or the initData `user`)."""
    raw_id = data.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, int | str):
        raise AuthError(errors.MALFORMED, "user id missing")
    try:
        user_id = int(raw_id)
    except ValueError as exc:
        raise AuthError(errors.MALFORMED, "user id is not a number") from exc
    if user_id <= 0:
        raise AuthError(errors.MALFORMED, "user id is not positive")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) and value else None

    return TelegramUser(user_id, text("first_name"), text("last_name"), text("username"),
                        text("language_code"), text("photo_url"))


def _widget_pairs(data: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]]
                  ) -> list[tuple[str, str]]:
    if isinstance(data, str | bytes):
        return list(parse_query(data))
    return list(unique_fields(data.items() if isinstance(data, Mapping) else data))


def login_proof(data: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """The hash of Login Widget data (checked by `verify_login_widget` first): it differs
    for every login, so spending it once makes the data single-use."""
    return dict(_widget_pairs(data)).get("hash", "")


def verify_login_widget(
    data: str | bytes | Mapping[str, str] | Iterable[tuple[str, str]],
    bot_token: str | None,
    *,
    now: datetime,
    max_age: timedelta,
) -> TelegramUser:
    """The Telegram user behind Login Widget data (a query string as sent to the
    widget's `data-auth-url`, or the fields of its `onauth` object); `AuthError` if
    forged, altered, stale or malformed."""
    if not bot_token:
        raise AuthError(errors.NOT_CONFIGURED, "no Telegram bot token")
    pairs = _widget_pairs(data)
    fields = dict(pairs)
    given = take_hash(fields)
    secret = hashlib.sha256(bot_token.encode()).digest()
    expected = hmac.new(secret, data_check_string(pairs, ["hash"]).encode(), "sha256")
    if not hmac.compare_digest(expected.hexdigest(), given):
        raise AuthError(errors.BAD_HASH)
    check_auth_date(fields, now, max_age)
    return user_from(fields)
