"""`scripts/cluster`: two `thottopilot serve` processes on PostgreSQL behind the local
balancer, Telegram in webhook mode against the fake Bot API. An update posted to the
balancer is answered once, whichever process it lands on; a wrong secret is refused
through the balancer; with one process killed the balancer serves through the other.
Real processes, waits with ceilings, nothing timed."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH
from scripts.balancer import STATUS_PATH
from scripts.cluster import Cluster, ClusterConfig, running
from tests.fakes.databases import postgres_copy
from tests.fakes.telegram import FakeTelegram

PG_ENV = "THOTTOPILOT_TEST_POSTGRES_URL"
SECRET = "cluster-webhook-secret"
CEILING = 120.0


@pytest.fixture
async def postgres_url(pg_template: str | None) -> AsyncIterator[str]:
    """A database of its own, copied from the session's migrated template."""
    base = os.environ.get(PG_ENV)
    if not base or pg_template is None:
        pytest.skip(f"{PG_ENV} not set")
    async with postgres_copy(base, pg_template, prefix="tp_cluster") as url:
        yield url


@pytest.fixture
async def cluster(postgres_url: str, fake_telegram: FakeTelegram,
                  tmp_path: Path) -> AsyncIterator[Cluster]:
    config = ClusterConfig(
        processes=2, database_url=postgres_url, redis_url=None,
        telegram_token=fake_telegram.token, telegram_api_base_url=fake_telegram.base_url,
        telegram_file_base_url=fake_telegram.file_base_url, webhook_secret=SECRET,
        data_dir=tmp_path / "cluster", quiet=True,
        settings={"THOTTOPILOT_AI__PROVIDER": "offline"})
    async with running(config) as started:
        # the webhook is registered once per deploy, with the balancer's URL
        [hook] = await fake_telegram.wait_for("setWebhook", within=CEILING)
        assert hook.params["url"] == f"{started.url}{WEBHOOK_PATH}"
        yield started


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


def _update(update_id: int, text: str, fake: FakeTelegram) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_764_000_000, "text": text,
        "from": fake.user(), "chat": {"id": 42, "type": "private"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}}


async def _post(http: aiohttp.ClientSession, cluster: Cluster, update: dict[str, Any],
                secret: str = SECRET) -> int:
    async with http.post(f"{cluster.url}{WEBHOOK_PATH}", json=update,
                         headers={SECRET_HEADER: secret}) as resp:
        return resp.status


def _replies(fake: FakeTelegram) -> list[str]:
    return [c.params["text"] for c in fake.calls_to("sendMessage")]


async def test_an_update_posted_to_the_balancer_is_answered_once(
    cluster, fake_telegram, http
):
    help_update = _update(7, "/help", fake_telegram)
    # Telegram delivering it twice: round robin hands each copy to another process
    assert await _post(http, cluster, help_update) == 200
    assert await _post(http, cluster, help_update) == 200
    # the chat's next update is answered only after every earlier one (inbox order)
    assert await _post(http, cluster, _update(8, "/cancel", fake_telegram)) == 200
    await fake_telegram.wait_for("sendMessage", count=2, within=CEILING)
    first, second = _replies(fake_telegram)[:2]
    assert "/help" in first
    assert second != first  # /cancel's answer, not /help's a second time


async def test_a_wrong_secret_is_refused_through_the_balancer(cluster, fake_telegram, http):
    assert await _post(http, cluster, _update(7, "/help", fake_telegram), "wrong") == 403


async def test_with_one_process_killed_the_balancer_serves_through_the_other(
    cluster, fake_telegram, http
):
    killed = cluster.members[0]
    killed.proc.kill()
    await killed.proc.wait()
    for _ in range(4):  # round robin: two of these go to the killed process first
        async with http.get(f"{cluster.url}/healthz") as resp:
            assert resp.status == 200
    async with http.get(f"{cluster.url}{STATUS_PATH}") as resp:
        assert [b["up"] for b in (await resp.json())["backends"]] == [False, True]
    assert await _post(http, cluster, _update(9, "/help", fake_telegram)) == 200
    [reply] = await fake_telegram.wait_for("sendMessage", within=CEILING)
    assert "/help" in reply.params["text"]
