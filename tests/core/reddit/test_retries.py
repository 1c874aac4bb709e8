"""One retry policy: Reddit trouble comes out of the client at once (our callers retry it on
the injected clock); only an access token Reddit stopped taking is renewed in place."""

from __future__ import annotations


async def test_a_5xx_reaches_us_after_one_request_not_after_the_clients_own_retries(
        core, account, fake_reddit):
    fake_reddit.add_sub("selfie")
    fake_reddit.outage = {"about"}
    async with core.db.session() as session:
        _, saved = await core.reddit.rules_or_saved(session, "selfie",
                                                    await session.merge(account))
    assert saved
    assert fake_reddit.requests["about"] == 1


async def test_an_access_token_reddit_forgot_is_renewed_once_and_the_call_goes_on(
        core, account, fake_reddit):
    async with core.db.session() as session:
        mine = await session.merge(account)
        async with core.reddit.accounts.client(session, mine) as reddit:
            await reddit.user.me()
            grants = len(fake_reddit.token_grants)
            fake_reddit.access_tokens.clear()  # Reddit answers 401 to the token we hold
            me = await reddit.user.me(use_cache=False)
    assert me is not None
    assert (me.name, len(fake_reddit.token_grants)) == ("alice", grants + 1)
