"""The caption service: quota -> safety gate -> provider chain -> fit -> safety gate ->
no-repeat -> store. Front doors (chat flow, CLI) only parse and render around it.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from core.billing.errors import QuotaExceeded
from core.billing.service import BillingService
from core.billing.tiers import Meter
from core.captions import catalog, store
from core.captions.fitting import TitleRules, avoids, fit_option, full_text, needs_detail
from core.captions.image import read_photo
from core.captions.offline import write_captions
from core.captions.providers.base import Job
from core.captions.providers.chain import ProviderChain
from core.captions.providers.moderation import build_moderation
from core.captions.safety import SafetyGate, Verdict, suggestive_brief
from core.captions.subreddits import normalise_subreddit
from core.captions.textutil import fingerprint
from core.captions.types import (
    DEFAULT_STYLE,
    DEFAULT_TONE,
    CaptionBatch,
    CaptionBrief,
    CaptionOption,
    DraftOption,
    PromoMode,
    Voice,
)
from core.clock import Clock
from core.db.models import User
from core.errors import UserFacingError
from core.events import EventKind, EventLog
from core.settings import Settings
from core.subreddits import BundledRules, SubredditRulesSource

Stage = Callable[[str], Awaitable[None]]
Release = Callable[[], Awaitable[None]]
EXAMPLE_DESCRIPTION = "red dress, rooftop at sunset"
_LINK = re.compile(r"^https?://[^\s|~]{3,200}$")
_TOP_UPS = 6


class CaptionRefused(UserFacingError):
    """The safety gate said no; `category` picks the friendly explanation."""

    def __init__(self, category: str) -> None:
        super().__init__("caption_refused", category=category)
        self.category = category


@dataclass(frozen=True)
class Usage:
    used: int
    limit: int | None  # None = unlimited

    @property
    def left(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.used, 0)


class CaptionService:
    def __init__(
        self, settings: Settings, clock: Clock, events: EventLog, chain: ProviderChain,
        *, billing: BillingService | None = None,
    ) -> None:
        self._settings = settings
        self.billing = billing or BillingService(settings, clock, events)  # quota lives there
        self._clock = clock
        self._events = events
        self.chain = chain
        self.gate = SafetyGate()
        self.moderation = build_moderation(settings.ai)  # extra signal; offline rules first
        # Where subreddit title rules come from: the bundled set by default; open_core
        # binds the Reddit rules cache, so live-fetched rules win once we have them.
        self.subreddit_rules: SubredditRulesSource = BundledRules()

    # -- the main job -------------------------------------------------------------
    async def generate(
        self,
        session: AsyncSession | None,
        user: User | None,
        brief: CaptionBrief,
        *,
        image: bytes | None = None,
        allow_nsfw: bool | None = None,
        rules: TitleRules | None = None,
        on_stage: Stage | None = None,
        release: Release | None = None,
        idempotency_key: str | None = None,
    ) -> CaptionBatch:
        """Options for `brief`. `user=None` is the local operator (CLI): no quota, no
        history, NSFW as `allow_nsfw` says. Raises `CaptionRefused` or
        `UserFacingError("caption_quota")`.

        `release` is awaited after every read and before the provider call, which can
        take up to `ai.total_budget` seconds: a caller commits there so no transaction
        (SQLite's write lock, a pooled PostgreSQL connection) is held across the network.
        Two requests racing for a creator's last caption may both pass the early quota
        check, but the caption is paid for (`billing.consume`, atomic) in the transaction
        that stores the batch, so only one of them gets it.
        """
        stage = on_stage or _no_stage
        await stage("analyzing")
        may_nsfw = allow_nsfw if allow_nsfw is not None else bool(user and user.may_see_nsfw)
        voice = Voice()
        if session is not None and user is not None:
            voice = await store.load_voice(session, user.id)
        brief, downgraded = self._normalise(brief, may_nsfw, voice)
        if session is not None and user is not None:
            await self._check_quota(session, user)
        await self._gate_input(session, user, brief)
        photo = None
        if image:  # decode + thumbnail of up to 50 MP: seconds of CPU, never on the loop
            photo = await asyncio.to_thread(
                read_photo, image, self._settings.limits.max_image_pixels)
        if photo:
            brief = brief.with_changes(image_hints=photo.hints)
        history: list[tuple[str, str]] = []
        if session is not None and user is not None:
            history = await store.recent(session, user.id)
        rules = await self._title_rules(session, brief, rules)
        job = Job(
            brief=self._writable(brief), count=brief.count,
            seed=brief.seed if brief.seed is not None else secrets.randbelow(2**31),
            avoid=frozenset(mark for mark, _ in history),
            recent_titles=tuple(title for _, title in history[:10]),
            voice=self._gated_voice(voice, brief), rules=rules,
            image_jpeg=photo.jpeg if photo else None,
        )
        if release is not None:
            await release()
        await self._gate_input(session, user, brief, moderated=True)  # network: after release
        await stage("writing")
        result = await self.chain.run(job)
        await stage("polishing")
        options, blocked = await self._finish(
            session, user, job, result.options, result.provider)
        if not options:  # every option was refused: nothing to show, nothing to pay for
            raise CaptionRefused(blocked[0] if blocked else "unsafe")
        batch_id, stored = None, [_plain(o, brief) for o in options]
        if session is not None and user is not None:
            await self.billing.consume(
                session, user, Meter.CAPTION,
                idempotency_key or f"caption:{user.id}:{secrets.token_hex(12)}")
            batch_id, stored = await store.save_batch(
                session, user.id, brief, result.provider, result.degraded, options,
                self._clock.now(),
            )
            await self._events.record(
                session, EventKind.CAPTION_GENERATED, user.id, provider=result.provider,
                degraded=result.degraded, platform=brief.platform.value, tone=job.brief.tone,
                count=len(stored), attempts=list(result.attempts),
            )
            self._events.feature_used("caption", user.id)
        return CaptionBatch(
            options=tuple(stored), provider=result.provider, degraded=result.degraded,
            nsfw_downgraded=downgraded, batch_id=batch_id, attempts=result.attempts,
        )

    def _normalise(
        self, brief: CaptionBrief, may_nsfw: bool, voice: Voice
    ) -> tuple[CaptionBrief, bool]:
        downgraded = brief.nsfw and not may_nsfw
        nsfw = brief.nsfw and may_nsfw
        tone = brief.tone if catalog.is_allowed(catalog.TONES, brief.tone, nsfw=nsfw) else None
        style = brief.style if catalog.is_allowed(catalog.STYLES, brief.style, nsfw=nsfw) else None
        allowed = catalog.is_allowed(catalog.PERSONAS, brief.persona, nsfw=nsfw)
        persona = brief.persona if allowed else None
        downgraded = downgraded or persona != brief.persona
        link = brief.link
        if not link and brief.promo is PromoMode.EXPLICIT:  # "with my link": the saved one
            link = voice.promo_link
        link = link if link and _LINK.match(link) else None
        return brief.with_changes(
            nsfw=nsfw, tone=tone or DEFAULT_TONE, style=style or DEFAULT_STYLE, persona=persona,
            subreddit=normalise_subreddit(brief.subreddit), link=link,
            count=min(max(brief.count, 1), 10), description=brief.description.strip()[:500],
        ), downgraded

    async def _title_rules(
        self, session: AsyncSession | None, brief: CaptionBrief, given: TitleRules | None
    ) -> TitleRules:
        """The subreddit's title rules (given, else from `subreddit_rules`), with the
        creator's description to borrow facts from; `caption_needs_detail` when the
        subreddit wants something in the title we cannot know (the photo's year)."""
        name = brief.subreddit or ""
        if given is None and brief.subreddit:
            found = await self.subreddit_rules.lookup(session, brief.subreddit)
            given, name = TitleRules.from_subreddit(found), found.name or name
        rules = (given or TitleRules()).with_facts(brief.description)
        if needs_detail(rules):
            raise UserFacingError("caption_needs_detail", subreddit=name,
                                  guidelines=rules.guidelines)
        return rules

    def _writable(self, brief: CaptionBrief) -> CaptionBrief:
        """SFW captions are written from the description minus any explicit words."""
        if brief.nsfw:
            return brief
        return brief.with_changes(description=self.gate.strip_explicit(brief.description))

    async def _gate_input(
        self, session: AsyncSession | None, user: User | None, brief: CaptionBrief,
        *, moderated: bool = False,
    ) -> None:
        text = " ".join(filter(None, (brief.description, brief.subreddit, brief.link)))
        # The offline rules first (before any read), the moderation signal after `release`.
        verdict = await self.moderation.check(text) if moderated else self.check(
            text, nsfw=brief.nsfw, suggestive=suggestive_brief(brief.tone, brief.persona))
        if verdict.allowed:
            return
        if session is not None:
            await self._events.record(
                session, EventKind.CAPTION_REFUSED, user.id if user else None,
                category=verdict.category, stage="input",
            )
        raise CaptionRefused(verdict.category or "unsafe")

    async def refused(self, session: AsyncSession, user: User, category: str | None,
                      stage: str) -> None:
        """A description refused before writing (the chat's describe step)."""
        await self._events.record(session, EventKind.CAPTION_REFUSED, user.id,
                                  category=category, stage=stage)

    def check(self, text: str, *, nsfw: bool = False, suggestive: bool = False) -> Verdict:
        return self.gate.check(text, nsfw=nsfw, suggestive=suggestive)

    def _gated_voice(self, voice: Voice, brief: CaptionBrief) -> Voice:
        """The creator's word lists (free text, quoted into the model's prompt) without
        any entry the gate refuses: such a word could never appear in an accepted
        option anyway, and the prompt never carries it. Dropping it rather than refusing
        the request keeps a creator who bans "teen" from being turned away."""
        suggestive = suggestive_brief(brief.tone, brief.persona)

        def safe(entries: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(e for e in entries
                         if self.check(e, nsfw=brief.nsfw, suggestive=suggestive).allowed)

        return voice.with_changes(banned_words=safe(voice.banned_words),
                                  avoid_phrases=safe(voice.avoid_phrases))

    async def _finish(
        self, session: AsyncSession | None, user: User | None, job: Job,
        drafts: list[DraftOption], provider: str,
    ) -> tuple[list[DraftOption], list[str]]:
        """Fit, re-check and de-duplicate; top up from offline if anything fell out.
        Returns the accepted options and the categories of the refused ones.

        Options that only failed because they use a phrase the creator avoids are kept
        aside; if the writer keeps reaching for that phrase, they come back with the
        phrase cut out, so the creator is never left empty-handed.
        """
        brief, taken = job.brief, set(job.avoid)
        suggestive = suggestive_brief(brief.tone, brief.persona)
        accepted: list[DraftOption] = []
        drafts, blocked = await self.moderation.screen(drafts, provider)
        avoided: list[DraftOption] = []

        def take(draft: DraftOption, voice: Voice) -> None:
            fitted = fit_option(draft, brief.platform, voice, job.rules)
            mark = fingerprint(fitted.title)
            text = full_text(fitted)
            verdict = self.gate.check(text, nsfw=brief.nsfw, suggestive=suggestive)
            if not verdict.allowed or (not brief.nsfw and self.gate.is_explicit(text)):
                blocked.append(verdict.category or "explicit")
            elif not avoids(fitted, job.voice.avoid_phrases):
                avoided.append(draft)
            elif mark not in taken:
                taken.add(mark)
                accepted.append(fitted)

        rounds = [drafts]
        for extra in range(_TOP_UPS + 1):
            for draft in rounds[-1]:
                if len(accepted) == brief.count:
                    break
                take(draft, job.voice)
            if len(accepted) == brief.count:
                break
            need = brief.count - len(accepted)
            rounds.append(write_captions(brief, need, job.seed + 1 + extra, frozenset(taken)))
        if len(accepted) < brief.count and avoided:
            phrases = (*job.voice.banned_words, *job.voice.avoid_phrases)
            strict = job.voice.with_changes(banned_words=phrases)
            for draft in list(avoided):
                if len(accepted) == brief.count:
                    break
                take(draft, strict)
        if blocked and session is not None:
            await self._events.record(
                session, EventKind.CAPTION_OUTPUT_BLOCKED, user.id if user else None,
                provider=provider, categories=sorted(set(blocked)),
            )
        return accepted, blocked

    # -- quota (kept in core.billing; these read it for the caption meter) -------------
    def daily_limit(self, user: User) -> int | None:
        return self.billing.plans.get(user.tier).daily_limit(Meter.CAPTION)

    async def usage(self, session: AsyncSession, user: User) -> Usage:
        found = await self.billing.usage(session, user, Meter.CAPTION)
        return Usage(used=found.used, limit=found.limit)

    async def _check_quota(self, session: AsyncSession, user: User) -> None:
        try:
            await self.billing.check(session, user, Meter.CAPTION)
        except QuotaExceeded as exc:
            await self._events.record(session, EventKind.CAPTION_QUOTA_REACHED, user.id,
                                      limit=exc.limit)
            raise

    # -- options and voice ------------------------------------------------------------
    async def get_option(
        self, session: AsyncSession, option_id: int, user_id: int
    ) -> CaptionOption | None:
        return await store.get_option(session, option_id, user_id)

    async def use_option(
        self, session: AsyncSession, user: User, option_id: int
    ) -> CaptionOption | None:
        option = await store.mark_used(session, option_id, user.id, self._clock.now())
        if option is not None:
            await self._events.record(session, EventKind.CAPTION_USED, user.id, option_id=option_id)
        return option

    async def get_voice(self, session: AsyncSession, user: User) -> Voice:
        return await store.load_voice(session, user.id)

    async def set_voice(self, session: AsyncSession, user: User, voice: Voice) -> None:
        await store.save_voice(session, user.id, voice, self._clock.now())

    async def update_voice(self, session: AsyncSession, user: User, **changes: Any) -> Voice:
        """Change some of what we remember (e.g. `preferred_tone=...`) and return it."""
        voice = (await self.get_voice(session, user)).with_changes(**changes)
        await self.set_voice(session, user, voice)
        return voice

    def clean_link(self, text: str) -> str | None:
        """The creator's own promo link as typed, or None when it is not a safe
        http(s) address we could put in a caption."""
        link = text.strip()
        try:
            host = urlsplit(link).hostname or ""
        except ValueError:  # e.g. an unbalanced "[" in the host
            return None
        if not _LINK.match(link) or "." not in host.strip("."):
            return None
        return link if self.check(link, nsfw=True).allowed else None

    def example(self, tone: str | None = None, style: str | None = None) -> str:
        """A real offline title for the info buttons, so examples never drift."""
        brief = CaptionBrief(EXAMPLE_DESCRIPTION, tone=tone or DEFAULT_TONE,
                             style=style or DEFAULT_STYLE)
        return write_captions(brief, 1, seed=7)[0].title

    async def aclose(self) -> None:
        await self.chain.aclose()
        await self.moderation.aclose()


async def _no_stage(_: str) -> None:
    return None


def _plain(option: DraftOption, brief: CaptionBrief) -> CaptionOption:
    return CaptionOption(option.title, option.body, option.hashtags, None, brief.platform,
                         brief.subreddit, brief.nsfw)


async def get_option(
    session: AsyncSession, option_id: int, user_id: int
) -> CaptionOption | None:
    """For other flows (posting): a stored option, only if it belongs to `user_id`."""
    return await store.get_option(session, option_id, user_id)
