"""`open_core` wires the image shield: limits from settings, work off the event loop."""

from __future__ import annotations

import asyncio

import pytest

from core.bootstrap import open_core
from core.imageshield import ImageRejected
from tests.fakes.photos import camera_photo


async def test_shield_uses_the_configured_pixel_limit(make_settings, clock):
    settings = make_settings(limits={"max_image_pixels": 100_000})
    async with open_core(settings, clock=clock) as core:
        with pytest.raises(ImageRejected) as rejected:
            await core.imageshield.protect_async(camera_photo())  # 512 x 512
    assert rejected.value.code == "too_many_pixels"


async def test_protection_runs_off_the_event_loop(make_settings, clock):
    photo = camera_photo()
    async with open_core(make_settings(), clock=clock) as core:
        job = asyncio.create_task(core.imageshield.protect_async(photo, "standard"))
        ticks = 0
        while not job.done():
            await asyncio.sleep(0.005)
            ticks += 1
        await job
    assert ticks >= 5  # the loop kept turning while the photo was being protected
