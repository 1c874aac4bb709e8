"""A chat API that answers with flood waits (HTTP 429 and its retry-after) before it
accepts: for the outbound limiter's specs, without a transport."""

from __future__ import annotations

from tests.fakes.clock import FakeClock


class FloodWait(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds}")
        self.seconds = seconds


def wait_of(error: Exception) -> float | None:
    return error.seconds if isinstance(error, FloodWait) else None


class Server:
    """Answers with the flood waits it is given, then accepts."""

    def __init__(self, clock: FakeClock, *waits: float) -> None:
        self.clock = clock
        self.waits = list(waits)
        self.accepted: list[float] = []

    async def send(self) -> str:
        if self.waits:
            raise FloodWait(self.waits.pop(0))
        self.accepted.append(self.clock.monotonic())
        return "sent"
