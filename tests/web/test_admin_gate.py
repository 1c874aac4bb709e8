"""The admin gate: anonymous visitors sign in, signed-in non-admins see a 404."""

from aiohttp import web as aioweb
from aiohttp.test_utils import TestClient, TestServer

from core.bootstrap import open_core
from core.users import Who
from tests.fakes.web_signin import sign_in
from web.admin import require_admin
from web.app import init_app


async def _whoami(request: aioweb.Request) -> aioweb.Response:
    return aioweb.Response(text=f"admin {await require_admin(request)}")


async def _client(core):
    app = init_app(core)
    app.router.add_get("/admin/whoami", _whoami)
    return TestClient(TestServer(app, host="127.0.0.1"))


async def test_admin_page_sends_anonymous_visitors_to_sign_in(
        make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with open_core(settings, clock=clock) as core, await _client(core) as client:
        resp = await client.get("/admin/whoami", allow_redirects=False)
        assert resp.status == 303


async def test_admin_page_is_a_404_for_a_signed_in_creator(make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with open_core(settings, clock=clock) as core, await _client(core) as client:
        await sign_in(client, core, Who("telegram", "8", display_name="Bea"))
        assert (await client.get("/admin/whoami")).status == 404


async def test_admin_page_opens_for_a_configured_admin(make_settings, database_url, clock):
    settings = make_settings(database_url, admin={"telegram_ids": [7]})
    async with open_core(settings, clock=clock) as core, await _client(core) as client:
        user_id = await sign_in(client, core, Who("telegram", "7", display_name="Founder"))
        resp = await client.get("/admin/whoami")
        assert await resp.text() == f"admin {user_id}"
