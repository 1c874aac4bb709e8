"""Sites with request budgets on: memory storage, or a real Redis shared by instances."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from core.bootstrap import Core, open_core
from core.db.models import User
from tests.fakes.clock import FakeClock
from web.app import init_app

Site = Callable[..., AbstractAsyncContextManager[tuple[list[TestClient], Core]]]


@pytest.fixture(params=["memory", "redis"])
def storage(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The `[redis]` section: none (process memory) or the test Redis."""
    if request.param == "memory":
        return {}
    return dict(request.getfixturevalue("redis_section"))


@pytest.fixture
def limited_site(make_settings: Any, database_url: str, clock: FakeClock,
                 storage: dict[str, Any]) -> Site:
    """`async with limited_site(instances=1, **ratelimit) as (clients, core)`: that many
    web app instances (one per process in production) over one database and storage."""

    @asynccontextmanager
    async def open_site(instances: int = 1, *, redis: dict[str, Any] | None = None,
                        port: int | None = None, web: dict[str, Any] | None = None,
                        billing: dict[str, Any] | None = None, **ratelimit: Any
                        ) -> AsyncIterator[tuple[list[TestClient], Core]]:
        settings = make_settings(database_url, ratelimit={"enabled": True, **ratelimit},
                                 redis=storage if redis is None else redis,
                                 web=web or {}, billing=billing or {})
        async with AsyncExitStack() as stack:
            core = await stack.enter_async_context(open_core(settings, clock=clock))
            clients = []
            for n in range(instances):
                server = TestServer(init_app(core), host="127.0.0.1",
                                    port=port if n == 0 else None)
                clients.append(await stack.enter_async_context(TestClient(server)))
            yield clients, core

    return open_site


async def set_tier(core: Core, user_id: int, tier: str) -> None:
    """What a payment does to the account (core.billing.grants writes users.tier)."""
    async with core.db.session() as session:
        await session.execute(update(User).where(User.id == user_id).values(tier=tier))


async def spend(client: TestClient, n: int, path: str = "/terms", *,
                headers: dict[str, str] | None = None) -> list[int]:
    """The statuses of `n` requests in a row."""
    statuses = []
    for _ in range(n):
        async with client.get(path, allow_redirects=False, headers=headers) as resp:
            statuses.append(resp.status)
    return statuses
