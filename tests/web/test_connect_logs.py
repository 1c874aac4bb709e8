"""A whole Reddit connect journey leaves no credential in any log line, at any level.

The web companion is served as in production (access log on) on a real port; a browser
(aiohttp with a cookie jar) opens the chat's connect link, presses Continue, approves on
the fake Reddit and comes back. Every log record of every logger is kept at DEBUG, then
searched for each secret the journey used.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from core.users import Who
from tests.fakes.raw_http import serving
from tests.fakes.reddit import CLIENT_SECRET
from web.account.reddit import COOKIE
from web.app import init_app


@pytest.fixture
def settings(make_settings, database_url, fake_reddit):
    return make_settings(database_url, reddit=fake_reddit.settings_section())


def _local(url: str, port: int) -> str:
    parts = urlsplit(url)
    return f"http://127.0.0.1:{port}{parts.path}?{parts.query}"


async def test_connect_journey_logs_no_secret(core, fake_reddit, caplog):
    caplog.set_level(logging.DEBUG)
    async with core.db.session() as session:
        user, _ = await core.users.get_or_create(session, Who("telegram", "42", "Alice"))
    link = core.reddit.oauth.connect_link(user.id)
    token = parse_qs(urlsplit(link).query)["t"][0]

    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1, like a browser would
    async with serving(init_app(core), access_log=True) as port, \
            aiohttp.ClientSession(cookie_jar=jar) as browser:
        confirm = await browser.get(_local(link, port))
        assert confirm.status == 200
        go = await browser.post(f"http://127.0.0.1:{port}/reddit/connect", data={"t": token},
                                allow_redirects=False)
        authorize = go.headers["Location"]
        state = parse_qs(urlsplit(authorize).query)["state"][0]
        binding = go.cookies[COOKIE].value
        consent = await browser.get(authorize, allow_redirects=False)
        back = consent.headers["Location"]
        code = parse_qs(urlsplit(back).query)["code"][0]
        done = await browser.get(_local(back, port))
        assert "is now connected" in await done.text()

    secrets = {
        "link token": token, "state": state, "code": code, "browser binding": binding,
        "client secret": CLIENT_SECRET,
        "secret key": core.settings.security.secret_key.get_secret_value(),
        **{f"refresh token {i}": t for i, t in enumerate(fake_reddit.refresh_tokens)},
        **{f"access token {i}": t for i, t in enumerate(fake_reddit.access_tokens)},
    }
    assert any(name.startswith("refresh token") for name in secrets)
    # The fake Reddit's own stock access log is Reddit's server, not ours: skip it.
    ours = [r for r in caplog.records if r.name != "aiohttp.access"]
    assert any(r.name == "web.access" and "/reddit/callback" in r.getMessage() for r in ours)
    text = "\n".join(
        r.getMessage() + (logging.Formatter().formatException(r.exc_info) if r.exc_info else "")
        for r in ours
    )
    leaked = [name for name, value in secrets.items() if value in text]
    assert leaked == []
