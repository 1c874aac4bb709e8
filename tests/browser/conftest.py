"""Headless Chromium (Debian's, via Playwright) against the real web companion.

Playwright never downloads a browser here: it drives `/usr/bin/chromium`, which the
test command installs (`.ci/run`). Without it the browser specs skip with a reason on a
developer machine, and fail in CI (`CI` set), where they must run.

Starting Playwright's driver and Chromium took some 3-4 s of every spec's setup, so each
test process starts them once; every spec still gets a context of its own (cookies,
storage, cache, service workers and permissions are per context, and each spec's site
is on its own port, so its own origin). Playwright's objects belong to the event loop
that made them: the browser specs and their async fixtures run on pytest-asyncio's
session loop. A spec that needs a real profile (`profile_phone`: installing, a service
worker that outlives the page) still gets a browser of its own.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer
from pytest_asyncio import is_async_test

from core.bootstrap import Core, open_core
from core.settings import Settings
from tests.fakes.clock import FakeClock
from web.app import init_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
WAIT_MS = 60_000  # a ceiling for events, never a deadline for speed
PHONE: dict[str, Any] = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                         "is_mobile": True, "has_touch": True}


def _need_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser specs need it")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser specs run on the session loop, where the shared browser lives."""
    here = Path(__file__).resolve().parent
    on_session_loop = pytest.mark.asyncio(loop_scope="session")
    for item in items:
        if is_async_test(item) and Path(item.path).resolve().is_relative_to(here):
            item.add_marker(on_session_loop, append=False)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest_asyncio.fixture(loop_scope="session")
async def core(settings: Settings, clock: FakeClock) -> AsyncIterator[Core]:
    """tests/conftest.py's `core`, built on the session loop the browser specs run on."""
    async with open_core(settings, clock=clock) as built:
        yield built


@pytest_asyncio.fixture(loop_scope="session")
async def site(core: Core) -> AsyncIterator[str]:
    """The web companion on a real port of 127.0.0.1; its base URL."""
    server = TestServer(init_app(core), host="127.0.0.1")
    await server.start_server()
    try:
        yield str(server.make_url("")).rstrip("/")
    finally:
        await server.close()


LAUNCH: dict[str, Any] = {"executable_path": str(CHROMIUM), "headless": True,
                          "args": ["--no-sandbox", "--disable-dev-shm-usage"]}  # root in CI


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def playwright() -> AsyncIterator[Any]:
    """Playwright's driver, once per test process."""
    _need_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        yield pw


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def browser(playwright: Any) -> AsyncIterator[Any]:
    """One Chromium per test process; specs share nothing but it (see `phone`)."""
    launched = await playwright.chromium.launch(**LAUNCH)
    try:
        yield launched
    finally:
        await launched.close()


@pytest_asyncio.fixture(loop_scope="session")
async def profile_phone(playwright: Any, tmp_path: Path) -> AsyncIterator[Any]:
    """A phone page in a browser with a real profile (not incognito): what installing
    an app needs."""
    context = await playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"), **LAUNCH, **PHONE)
    context.set_default_timeout(WAIT_MS)
    try:
        yield context.pages[0] if context.pages else await context.new_page()
    finally:
        await context.close()


@pytest_asyncio.fixture(loop_scope="session")
async def phone(browser: Any) -> AsyncIterator[Any]:
    """A new phone-sized page (390x844, touch) with 60 s ceilings on every wait, in a
    new context of the shared browser: an incognito profile of its own."""
    context = await browser.new_context(**PHONE)
    context.set_default_timeout(WAIT_MS)
    page = await context.new_page()
    try:
        yield page
    finally:
        await context.close()


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """SQLite only: what the browser sees does not depend on the database, and the web
    specs (tests/web) already run every route on PostgreSQL too."""
    return sqlite_url
