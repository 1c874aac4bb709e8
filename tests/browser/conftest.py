"""Headless Chromium (Debian's, via Playwright) against the real web companion.

Playwright never downloads a browser here: it drives `/usr/bin/chromium`, which the
test command installs (`.ci/run`). Without it the browser specs skip with a reason on a
developer machine, and fail in CI (`CI` set), where they must run.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer

from core.bootstrap import Core
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


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
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


@pytest.fixture
async def playwright() -> AsyncIterator[Any]:
    _need_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        yield pw


@pytest.fixture
async def browser(playwright: Any) -> AsyncIterator[Any]:
    launched = await playwright.chromium.launch(**LAUNCH)
    try:
        yield launched
    finally:
        await launched.close()


@pytest.fixture
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


@pytest.fixture
async def phone(browser: Any) -> AsyncIterator[Any]:
    """A new phone-sized page (390x844, touch) with 60 s ceilings on every wait."""
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
