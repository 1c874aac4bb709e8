"""The offline writer: deterministic, varied, every catalogue choice, no network."""

from __future__ import annotations

import socket

import pytest

from core.captions import catalog
from core.captions.offline import write_captions
from core.captions.providers.base import Job
from core.captions.providers.offline import OfflineProvider
from core.captions.textutil import fingerprint
from core.captions.types import CaptionBrief, Length, Platform

BRIEF = CaptionBrief("red dress, rooftop at sunset")


def test_same_brief_and_seed_give_the_same_options():
    assert write_captions(BRIEF, 5, seed=42) == write_captions(BRIEF, 5, seed=42)


def test_different_seeds_give_different_options():
    assert write_captions(BRIEF, 5, seed=1) != write_captions(BRIEF, 5, seed=2)


def test_twenty_generations_with_history_never_repeat_an_option():
    history: set[str] = set()
    titles: list[str] = []
    for seed in range(20):
        options = write_captions(BRIEF, 3, seed=seed, avoid=frozenset(history))
        assert len(options) == 3
        titles += [o.title for o in options]
        history |= {fingerprint(o.title) for o in options}

    assert len(titles) == 60
    assert len({fingerprint(t) for t in titles}) == 60


def test_twenty_generations_with_different_seeds_have_no_duplicate_within_a_batch():
    for seed in range(20):
        options = write_captions(BRIEF, 5, seed=seed)
        assert len({fingerprint(o.title) for o in options}) == 5


def test_titles_in_avoid_are_never_written():
    first = write_captions(BRIEF, 5, seed=3)
    avoid = frozenset(fingerprint(o.title) for o in first)

    again = write_captions(BRIEF, 5, seed=3, avoid=avoid)

    assert not {fingerprint(o.title) for o in again} & avoid


@pytest.mark.parametrize("count", range(1, 11))
def test_requested_count_is_honoured(count):
    assert len(write_captions(BRIEF, count, seed=count)) == count


@pytest.mark.parametrize("tone", catalog.keys(catalog.TONES))
def test_every_tone_produces_options(tone):
    options = write_captions(BRIEF.with_changes(tone=tone), 3, seed=5)

    assert len(options) == 3
    assert all(len(o.title) >= 8 for o in options)


@pytest.mark.parametrize("style", catalog.keys(catalog.STYLES))
def test_every_style_produces_options(style):
    options = write_captions(BRIEF.with_changes(style=style), 3, seed=5)

    assert len(options) == 3
    assert all(o.title.strip() for o in options)


@pytest.mark.parametrize("persona", catalog.keys(catalog.PERSONAS))
def test_every_persona_produces_options(persona):
    brief = BRIEF.with_changes(persona=persona, nsfw=True)

    assert len(write_captions(brief, 3, seed=5)) == 3


@pytest.mark.parametrize("platform", list(Platform))
@pytest.mark.parametrize("length", list(Length))
def test_every_platform_and_length_produces_options(platform, length):
    brief = BRIEF.with_changes(platform=platform, length=length)

    assert len(write_captions(brief, 3, seed=9)) == 3


def test_a_bare_description_still_gives_options():
    assert len(write_captions(CaptionBrief("me"), 3, seed=1)) == 3


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the offline writer touched the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


async def test_offline_provider_needs_no_network(no_network):
    job = Job(brief=BRIEF.with_changes(platform=Platform.INSTAGRAM), count=4, seed=11)

    options = await OfflineProvider().generate(job)

    assert len(options) == 4
    assert options == write_captions(job.brief, 4, 11)


@pytest.mark.parametrize(("description", "kept"), [
    ("thirst trap ($15)", "$15"), ("new set, 20% off", "20%"), ("bundle €20", "€20")])
def test_a_price_or_a_share_keeps_its_sign(description: str, kept: str) -> None:
    """A bare "15" next to a flirty line reads as an age to the safety gate: the
    offline writer keeps the "$", "€" or "%" the creator wrote."""
    from core.captions.scene import parse_scene

    assert any(kept in extra for extra in parse_scene(description).extras)
