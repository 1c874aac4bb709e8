"""The offline provider: always available, always last in the chain."""

from __future__ import annotations

from core.captions.offline import write_captions
from core.captions.providers.base import Job
from core.captions.types import DraftOption


class OfflineProvider:
    name = "offline"
    nsfw_capable = True

    async def generate(self, job: Job, time_limit: float = 0.0) -> list[DraftOption]:
        return write_captions(job.brief, job.count, job.seed, job.avoid)

    async def aclose(self) -> None:
        return None
