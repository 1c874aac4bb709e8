"""Refresh tokens: encrypted at rest, kept across refreshes, revocation vs. outages."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, update

from core.reddit.client import Credentials
from core.reddit.crypto import TokenCipher, TokenUnreadable
from core.reddit.models import AccountStatus, RedditAccount
from core.reddit.types import PostRequest


async def _post(core, account_id):
    async with core.db.session() as session:
        account = await session.get(RedditAccount, account_id)
        return await core.reddit.submit(
            session, account, PostRequest("talk", "text", "Hello", body="x"))


async def _account(core, account_id) -> RedditAccount:
    async with core.db.session() as session:
        return await session.get(RedditAccount, account_id)


async def test_refresh_keeps_the_existing_refresh_token(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    before = core.reddit.accounts.credentials(account).refresh_token
    assert (await _post(core, account.id)).ok
    assert (await _post(core, account.id)).ok
    assert fake_reddit.token_grants.count("refresh_token") == 2
    stored = await _account(core, account.id)
    assert core.reddit.accounts.credentials(stored).refresh_token == before


async def test_rotated_refresh_token_is_stored(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    fake_reddit.rotate_refresh = True
    before = core.reddit.accounts.credentials(account).refresh_token
    assert (await _post(core, account.id)).ok
    after = core.reddit.accounts.credentials(await _account(core, account.id)).refresh_token
    assert after != before
    assert after in fake_reddit.refresh_tokens
    assert (await _post(core, account.id)).ok


async def test_temporary_refresh_failure_keeps_the_account_connected(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    fake_reddit.token_outage = True
    result = await _post(core, account.id)
    assert result.error == "reddit_unavailable"
    stored = await _account(core, account.id)
    assert stored.status == AccountStatus.ACTIVE
    assert stored.last_error == "temporary"
    fake_reddit.token_outage = False
    assert (await _post(core, account.id)).ok


async def test_revoked_token_marks_the_account_and_says_how_to_reconnect(
    core, account, fake_reddit
):
    fake_reddit.add_sub("talk")
    fake_reddit.revoke_all("alice")
    result = await _post(core, account.id)
    assert result.error == "reddit_account_revoked"
    assert result.params["account"] == "alice"
    assert (await _account(core, account.id)).status == AccountStatus.REVOKED
    from core.texts.reddit import error

    assert "/connect" in error(result.error, result.params)


async def test_reconnecting_a_revoked_account_reactivates_it(core, account, user, fake_reddit):
    fake_reddit.revoke_all("alice")
    fake_reddit.add_sub("talk")
    await _post(core, account.id)
    from core.reddit.client import Credentials

    fresh = Credentials("refresh", refresh_token=fake_reddit.issue_refresh_token("alice"))
    async with core.db.session() as session:
        again = await core.reddit.accounts.save(session, user.id, "alice", fresh,
                                                auth_kind="oauth")
    assert again.id == account.id
    assert again.status == AccountStatus.ACTIVE
    assert (await _post(core, account.id)).ok


async def test_tokens_are_unreadable_in_the_database_file(core, account, settings):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("reads the SQLite file")
    token = core.reddit.accounts.credentials(account).refresh_token
    await core.db.dispose()  # checkpoint the WAL so the bytes are in the files we read
    db_file = Path(settings.database_url.split("///", 1)[1])
    raw = b"".join(p.read_bytes() for p in db_file.parent.glob(db_file.name + "*"))
    assert token.encode() not in raw
    assert b"alice" in raw  # the row is there, only the secret is sealed


async def test_ciphertext_moved_to_another_user_does_not_decrypt(core, account):
    cipher = TokenCipher(core.secret_key)
    with pytest.raises(TokenUnreadable):
        cipher.decrypt(account.credentials, account.user_id + 1)
    with pytest.raises(TokenUnreadable):
        TokenCipher(b"another-installation").decrypt(account.credentials, account.user_id)


async def test_unreadable_credentials_ask_to_reconnect(core, account, fake_reddit):
    fake_reddit.add_sub("talk")
    async with core.db.session() as session:
        await session.execute(update(RedditAccount).values(credentials="v1.AAAA"))
    result = await _post(core, account.id)
    assert result.error == "reddit_account_revoked"
    async with core.db.session() as session:
        assert (await session.scalars(select(RedditAccount))).one().username == "alice"


def test_credentials_never_show_their_secrets_in_repr():
    creds = Credentials("script", refresh_token="rt-secret", client_id="app",
                        client_secret="app-secret", username="alice", password="hunter2")
    shown = repr(creds)
    assert "app" in shown
    for secret in ("rt-secret", "app-secret", "hunter2"):
        assert secret not in shown
