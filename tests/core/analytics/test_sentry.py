"""Tracked errors go to Sentry only where a DSN is configured: through sentry-sdk's
own transport to a local ingest endpoint speaking Sentry's envelope protocol."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.analytics.sentry import install_sentry
from core.bootstrap import open_core
from tests.fakes.sentry import PUBLIC_KEY, FakeSentry


@pytest.fixture
async def sentry() -> AsyncIterator[FakeSentry]:
    fake = FakeSentry()
    await fake.start()
    yield fake
    await fake.close()


async def _fail(core, message: str) -> str:
    try:
        raise ValueError(message)
    except ValueError as exc:
        return await core.analytics.errors.capture(exc, "job", job="sweep")


async def test_a_tracked_error_reaches_sentry_with_its_fingerprint(make_settings, tmp_path,
                                                                   clock, sentry):
    settings = make_settings(None, monitoring={"sentry_dsn": sentry.dsn})
    async with open_core(settings, clock=clock) as core:
        close = install_sentry(core)
        found = await _fail(core, "the sweep broke")
        await close()  # sends what is queued, off the event loop
    (event,) = sentry.events
    (exception,) = event["exception"]["values"]
    assert (exception["type"], exception["value"]) == ("ValueError", "the sweep broke")
    assert event["fingerprint"] == [found]
    assert (event["tags"]["where"], event["tags"]["job"]) == ("job", "sweep")
    assert f"sentry_key={PUBLIC_KEY}" in sentry.auth[0]


async def test_without_a_dsn_nothing_is_forwarded(make_settings, clock, sentry):
    async with open_core(make_settings(None), clock=clock) as core:
        close = install_sentry(core)
        assert core.analytics.errors.forward is None
        await _fail(core, "kept at home")
        await close()
    assert sentry.events == []
