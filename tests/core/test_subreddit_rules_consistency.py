"""Captions written for a subreddit pass /post's rule check there.

For every subreddit in the bundled set, every tone, every style and every NSFW setting
the subreddit allows, each title the offline writer produces (through the caption
service, as /caption and the CLI get it) has no title issue in the very `check()` that
/post runs. Lengths and personas rotate through the combinations so they are covered
too without multiplying the run time.
"""

from __future__ import annotations

from itertools import product

import pytest

from core.captions import catalog
from core.captions.providers.factory import build_chain
from core.captions.service import CaptionService
from core.captions.types import CaptionBrief, Length
from core.clock import SystemClock
from core.errors import UserFacingError
from core.events import EventLog
from core.reddit.check import check
from core.reddit.types import MediaItem, PostRequest
from core.settings import Settings
from core.subreddits import SubredditRules, bundled

# No year, age or resolution: subreddits whose title patterns need one must say so.
PLAIN = "red dress, rooftop at sunset"
# Everything any bundled title pattern asks for, in the creator's own words.
DETAILED = "summer 1987 at the lake, 24F, scanned at [4032x3024]"
LENGTHS = tuple(Length)


def _settings() -> Settings:
    return Settings(_env_file=None)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def service() -> CaptionService:
    settings = _settings()
    clock = SystemClock()
    return CaptionService(settings, clock, EventLog(clock), build_chain(settings.ai))


def _combinations(rules: SubredditRules) -> list[CaptionBrief]:
    """Every tone x style x allowed NSFW setting; an SFW subreddit allows only SFW."""
    briefs = []
    for i, (nsfw, tone, style) in enumerate(product(
            (False, True) if rules.over18 else (False,),
            catalog.keys(catalog.TONES), catalog.keys(catalog.STYLES))):
        personas = (None, *catalog.keys(catalog.PERSONAS, nsfw=nsfw))
        briefs.append(CaptionBrief(
            "", subreddit=rules.name, tone=tone, style=style, nsfw=nsfw, count=2, seed=i,
            length=LENGTHS[i % len(LENGTHS)], persona=personas[i % len(personas)]))
    return briefs


def _title_issues(rules: SubredditRules, title: str, nsfw: bool) -> list[str]:
    """The title issues /post's check finds for this title as a post it would accept
    otherwise (right kind, NSFW when needed, a body where one is required)."""
    text_only = rules.submission_type == "self"
    request = PostRequest(
        rules.name, "text" if text_only else "image", title,
        images=() if text_only else (MediaItem(b"", "photo.jpg"),),
        body="More in the comments." if rules.body_policy == "required" else None,
        nsfw=nsfw or rules.over18)
    verdict = check(request, rules, nsfw_allowed=True)
    return [i.code for i in verdict.issues if i.code.startswith("title_")]


async def _titles(service: CaptionService, brief: CaptionBrief) -> list[str]:
    batch = await service.generate(None, None, brief, allow_nsfw=brief.nsfw)
    return [o.title for o in batch.options]


@pytest.mark.parametrize("key", sorted(bundled()))
async def test_every_offline_title_passes_the_post_check(service, key):
    rules = bundled()[key]
    failures, written = [], 0
    for brief in _combinations(rules):
        for title in await _titles(service, brief.with_changes(description=DETAILED)):
            written += 1
            if issues := _title_issues(rules, title, brief.nsfw):
                failures.append((brief.tone, brief.style, brief.nsfw, title, issues))
    assert written >= 2 * len(_combinations(rules))
    assert failures == []


async def _titles_or_refusal(
        service: CaptionService, brief: CaptionBrief) -> tuple[list[str], str | None]:
    try:
        return await _titles(service, brief), None
    except UserFacingError as exc:
        return [], exc.code


@pytest.mark.parametrize("key", sorted(bundled()))
async def test_without_the_detail_a_pattern_needs_the_creator_is_asked_for_it(service, key):
    rules = bundled()[key]
    for brief in _combinations(rules)[::7]:
        titles, refusal = await _titles_or_refusal(
            service, brief.with_changes(description=PLAIN))
        if refusal is not None:
            assert refusal == "caption_needs_detail"
            assert rules.title_regexes, f"r/{rules.name} has no title pattern to explain"
            continue
        assert titles
        assert all(_title_issues(rules, t, brief.nsfw) == [] for t in titles)


async def test_a_title_pattern_without_its_detail_asks_the_creator_for_it(service):
    brief = CaptionBrief(PLAIN, subreddit="r/OldSchoolCool", seed=1)
    with pytest.raises(UserFacingError) as raised:
        await service.generate(None, None, brief)
    assert raised.value.code == "caption_needs_detail"
    assert raised.value.params["subreddit"] == "OldSchoolCool"
    assert "year" in raised.value.params["guidelines"]


async def test_the_detail_is_worked_into_every_title(service):
    brief = CaptionBrief("prom night, 1987", subreddit="OldSchoolCool", seed=1)
    titles = await _titles(service, brief)
    assert titles
    assert all("(1987)" in t for t in titles)
