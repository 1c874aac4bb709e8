"""Fixtures for the caption engine: a fake LLM server and a timer that never waits."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.llm import FakeLLM


class FakeTimer:
    """Injected as the chain's sleep + monotonic clock: sleeping just moves time."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeLLM]:
    server = FakeLLM()
    await server.start()
    yield server
    await server.close()


@pytest.fixture
def timer() -> FakeTimer:
    return FakeTimer()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report the rates of the generated safety specification (issue 8.1), whatever
    the output capture, when its rate tests ran in this process."""
    from tests.core.captions.safety_cases import rates

    lines = []
    if rates.refuse_total:
        lines.append(f"must-refuse: {rates.refused}/{rates.refuse_total} refused "
                     f"({rates.refused / rates.refuse_total:.1%})")
    if rates.pass_total:
        lines.append(f"must-pass: {rates.passed}/{rates.pass_total} passed "
                     f"({rates.passed / rates.pass_total:.1%})")
    if lines:
        terminalreporter.section("caption safety specification")
        for line in lines:
            terminalreporter.write_line(line)
