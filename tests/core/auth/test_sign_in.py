"""`Auth` end to end: verified Telegram data -> the bot's own account -> a web session."""

import base64
import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from core.auth import errors
from core.auth.errors import AuthError
from core.auth.service import Auth
from core.bootstrap import open_core
from core.users import Who

TOKEN = "5550001:AAF-sign-in-test-token"
KEY = Ed25519PrivateKey.generate()
KEY_HEX = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


@pytest.fixture
async def tg_core(make_settings, database_url, clock):
    settings = make_settings(database_url, telegram={"token": TOKEN},
                             auth={"telegram_test_public_key": KEY_HEX})
    async with open_core(settings, clock=clock) as built:
        yield built


def init_data(clock, user_id=777, bot_id=5550001):
    fields = {"auth_date": str(int(clock.now().timestamp())), "query_id": "Q1",
              "user": json.dumps({"id": user_id, "first_name": "Mo", "username": "mo"})}
    message = f"{bot_id}:WebAppData\n" + "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    fields["signature"] = base64.urlsafe_b64encode(KEY.sign(message.encode())).rstrip(
        b"=").decode()
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields)


async def test_mini_app_signs_in_the_account_the_bot_already_knows(tg_core, clock):
    auth = Auth.from_core(tg_core)
    async with tg_core.db.session() as s:
        known, _ = await tg_core.users.get_or_create(s, Who("telegram", "777", "Mo"))
    async with tg_core.db.session() as s:
        user, new_session = await auth.sign_in_mini_app(s, init_data(clock))
    assert user.id == known.id
    info = await auth.sessions.authenticate(tg_core.db, new_session.token)
    assert info is not None
    assert (info.user_id, info.via) == (known.id, "mini_app")


async def test_login_widget_sign_in_creates_the_account_on_first_contact(tg_core, clock):
    auth = Auth.from_core(tg_core)
    fields = {"id": "888", "first_name": "Ana", "auth_date": str(int(clock.now().timestamp()))}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    fields["hash"] = hmac.new(hashlib.sha256(TOKEN.encode()).digest(), check.encode(),
                              hashlib.sha256).hexdigest()
    async with tg_core.db.session() as s:
        user, _ = await auth.sign_in_telegram(s, auth.verify_telegram_login(fields))
    async with tg_core.db.read() as s:
        assert (await tg_core.users.find(s, "telegram", "888")).id == user.id


async def test_third_party_check_uses_our_bot_id_and_the_chosen_environment_key(tg_core, clock):
    auth = Auth.from_core(tg_core)
    data = auth.verify_mini_app_signature(init_data(clock), test_environment=True)
    assert data.user is not None
    assert data.user.id == 777
    with pytest.raises(AuthError, match=errors.BAD_SIGNATURE):
        auth.verify_mini_app_signature(init_data(clock))  # production key: not ours


async def test_without_a_bot_token_telegram_sign_in_is_not_configured(core, clock):
    auth = Auth.from_core(core)
    with pytest.raises(AuthError, match=errors.NOT_CONFIGURED):
        auth.verify_mini_app(init_data(clock))
    with pytest.raises(AuthError, match=errors.NOT_CONFIGURED):
        auth.verify_mini_app_signature(init_data(clock))
