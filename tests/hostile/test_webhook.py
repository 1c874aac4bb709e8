"""Hostile requests against the Telegram webhook, served exactly as in production.

Each case goes over a raw socket to the real runner with the webhook mounted, and must
get its 4xx with the security headers, no traceback in the answer or the logs (the
conftest checks the logs), and leave nothing in the inbox: only a real update with the
right secret is ever stored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.telegram.adapter import TelegramAdapter
from bot.telegram.webhook import MAX_UPDATE_BYTES, SECRET_HEADER, WEBHOOK_PATH
from core.inbox import InboundUpdate
from core.settings import TelegramMode, TelegramSettings
from tests.fakes.raw_http import exchange, request, serving
from web.app import init_app

SECRET = "hostile-webhook-secret-5a4b3c"
GOOD = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}


def _post(body: bytes, headers: dict[str, str] | None = None, *, chunked: bool = False
          ) -> bytes:
    return request("POST", WEBHOOK_PATH, body=body, headers=GOOD if headers is None else headers,
                   chunked=chunked)


def _update(update_id: int = 7) -> bytes:
    return json.dumps({"update_id": update_id, "message": {
        "message_id": 1, "date": 1_764_000_000, "text": "hi",
        "chat": {"id": 42, "type": "private"}}}).encode()


@dataclass(frozen=True)
class Case:
    id: str
    raw: bytes
    status: tuple[int, ...]


CASES = [
    Case("forged-secret", _post(_update(), {SECRET_HEADER: "guess",
                                           "Content-Type": "application/json"}), (403,)),
    Case("no-secret", _post(_update(), {"Content-Type": "application/json"}), (403,)),
    Case("secret-with-non-ascii", _post(_update(), {SECRET_HEADER: SECRET + "é"}), (403,)),
    Case("array-body", _post(b"[1, 2, 3]"), (400,)),
    Case("string-body", _post(b'"update"'), (400,)),
    Case("number-body", _post(b"7"), (400,)),
    Case("null-body", _post(b"null"), (400,)),
    Case("empty-body", _post(b""), (400,)),
    Case("not-json", _post(b"{update_id: 1"), (400,)),
    Case("nan", _post(b'{"update_id": NaN}'), (400,)),
    Case("huge-integer", _post(b'{"update_id": ' + b"9" * 5000 + b"}"), (400,)),
    Case("deeply-nested-array", _post(b'{"update_id": 1, "message": ' + b"[" * 100_000
                                      + b"]" * 100_000 + b"}"), (400, 413)),
    Case("nested-objects-past-the-depth-cap",
         _post(b'{"update_id": 1, "m": ' + b'{"a": ' * 40 + b"1" + b"}" * 40 + b"}"), (400,)),
    Case("message-is-a-string", _post(b'{"update_id": 1, "message": "hello"}'), (400,)),
    Case("message-is-a-list", _post(b'{"update_id": 1, "message": [1]}'), (400,)),
    Case("update-id-is-text", _post(b'{"update_id": "1"}'), (400,)),
    Case("update-id-too-large", _post(b'{"update_id": 99999999999999999999}'), (400,)),
    Case("callback-missing-fields", _post(b'{"update_id": 1, "callback_query": {"id": 1}}'),
         (400,)),
    Case("bad-charset", _post(_update(), {**GOOD, "Content-Type":
                                          "application/json; charset=klingon"}), (400,)),
    Case("latin-1-bytes-as-utf-8", _post(b'{"update_id": 1, "x": "\xff\xfe"}'), (400,)),
    Case("oversized", _post(b'{"update_id": 1, "x": "' + b"a" * MAX_UPDATE_BYTES + b'"}'),
         (413,)),
    Case("chunked-oversized",
         _post(b'{"update_id": 1, "x": "' + b"a" * MAX_UPDATE_BYTES + b'"}', chunked=True),
         (413,)),
    Case("absurd-content-length",
         b"POST " + WEBHOOK_PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
         + SECRET_HEADER.encode() + b": " + SECRET.encode()
         + b"\r\nContent-Length: 1000000000000\r\n\r\n{", (413,)),
    Case("wrong-method", request("GET", WEBHOOK_PATH, headers=GOOD), (405,)),
]


@pytest.fixture
def settings(make_settings, sqlite_url):
    return make_settings(sqlite_url)


@pytest.fixture
async def port(core, dispatcher, fake_telegram):
    tg = TelegramSettings(token=fake_telegram.token, api_base_url=fake_telegram.base_url,
                          file_base_url=fake_telegram.file_base_url,
                          mode=TelegramMode.WEBHOOK, webhook_secret=SECRET)
    app = init_app(core)
    TelegramAdapter(tg, dispatcher).mount_webhook(app)
    async with serving(app, access_log=True) as bound:
        yield bound


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_hostile_webhook_request_gets_a_calm_4xx(case: Case, port, core, log_watch):
    log_watch.forbid(SECRET)
    resp = await exchange(port, case.raw)
    assert resp.status in case.status, resp.raw[:300]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in resp.headers
    assert b"Traceback" not in resp.raw
    assert SECRET.encode() not in resp.raw
    async with core.db.read() as session:
        assert list(await session.scalars(select(InboundUpdate))) == []
    log_watch.assert_clean()


async def test_a_real_update_on_the_same_route_is_stored(port, core):
    """The control case: the route refuses the cases above, not everything."""
    resp = await exchange(port, _post(_update(99)))
    assert resp.status == 200
    async with core.db.read() as session:
        assert [r.update_id for r in await session.scalars(select(InboundUpdate))] == [99]
