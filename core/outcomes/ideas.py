"""/ideas: what to post next, and where, for this creator.

Candidates come from three places:
- their own best performers (subreddits where their median is highest);
- subreddits like those, from the bundled families below (same crowd, same rules);
- subreddits matched to their niche: the niche they gave (onboarding, /settings) plus
  words they keep describing their photos with (their recent caption briefs).
For a few candidates the subreddit's hot listing is read (a logged-out reader, within
the shared budget) for what is working there right now. Every candidate's rules are
checked first: a ban, a private subreddit, or 18+ where the creator hasn't confirmed
drops it; restricted posting, verification, karma or account-age rules are marked.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from core.captions.models import CaptionBatchRecord
from core.outcomes.stats import creator_stats
from core.posting.budget import ApiBudgetLedger
from core.reddit.models import AccountStatus, RedditAccount
from core.subreddits.bundled import bundled
from core.subreddits.rules import SubredditRules

if TYPE_CHECKING:
    from core.bootstrap import Core

# Bundled subreddit families, with the voice that fits each crowd (tone, style).
FAMILIES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "photo": (("pics", "itookapicture", "photography", "EarthPorn", "OldSchoolCool"),
              "wholesome", "story"),
    "selfie": (("selfie", "selfies", "amihot", "amiugly", "RoastMe"), "playful", "question"),
    "style": (("OUTFITS", "cosplay", "cosplaygirls", "fitgirls"), "confident", "teaser"),
    "adult": (("gonewild", "RealGirls", "NSFW_selfie", "onoff", "Amateur", "nsfw", "curvy",
               "gonewild30plus", "gonewildcurvy", "PetiteGoneWild", "BustyPetite", "milf",
               "bigboobsgw"), "flirty", "teaser"),
    "promo": (("OnlyFansPromotions",), "confident", "one_liner"),
}
MARKS = (("verification", re.compile(r"verif", re.I)),
         ("karma", re.compile(r"karma", re.I)),
         ("account_age", re.compile(r"account age|days old|account must be", re.I)))
STOP = frozenset(("a", "an", "the", "and", "or", "with", "in", "on", "at", "of", "for",
                  "to", "my", "me", "i", "you", "is", "it", "this", "that", "new", "photo",
                  "pic", "picture"))
MAX_IDEAS = 5
TREND_LOOKS = 2  # hot listings read per /ideas (two requests of the shared budget)


@dataclass(frozen=True)
class Idea:
    subreddit: str
    reason: str  # "best" | "similar" | "niche"
    tone: str
    style: str
    median: float = 0.0  # the creator's median there ("best")
    like: str = ""  # the subreddit it is like ("similar") or the niche word ("niche")
    trend: str = ""  # a title doing well there now
    trend_score: int = 0
    marks: tuple[str, ...] = field(default_factory=tuple)


def family_of(sub: str) -> str | None:
    key = sub.lower()
    return next((name for name, (subs, _, _) in FAMILIES.items()
                 if key in {s.lower() for s in subs}), None)


def voice_for(sub: str, nsfw_ok: bool) -> tuple[str, str]:
    family = family_of(sub)
    if family is None:
        return ("flirty", "teaser") if nsfw_ok else ("playful", "question")
    _, tone, style = FAMILIES[family]
    return tone, style


def marks_of(rules: SubredditRules) -> tuple[str, ...]:
    text = " ".join([rules.guidelines, *rules.rules])
    found = [name for name, pattern in MARKS if pattern.search(text)]
    if rules.subreddit_type == "restricted" and not rules.user_is_contributor:
        found.insert(0, "approved_only")
    return tuple(found)


def postable(rules: SubredditRules, nsfw_ok: bool) -> bool:
    if rules.user_is_banned or rules.subreddit_type in ("private", "archived"):
        return False
    return nsfw_ok or not rules.over18


class IdeasService:
    def __init__(self, core: Core) -> None:
        self.core = core
        self.budget = ApiBudgetLedger.for_core(core)

    async def niche_words(self, user_id: int, niche: str | None) -> list[str]:
        """The niche they gave, then words they keep using in caption briefs."""
        given = [w for w in re.findall(r"[a-z0-9]+", (niche or "").lower()) if w not in STOP]
        async with self.core.db.read() as session:
            briefs = list(await session.scalars(
                select(CaptionBatchRecord.brief).where(CaptionBatchRecord.user_id == user_id)
                .order_by(CaptionBatchRecord.created_at.desc()).limit(30)))
        used = Counter(w for b in briefs
                       for w in re.findall(r"[a-z0-9]+", str(b.get("description", "")).lower())
                       if len(w) > 3 and w not in STOP)
        return list(dict.fromkeys([*given, *(w for w, n in used.most_common(5) if n >= 2)]))

    async def ideas(self, user_id: int, *, nsfw_ok: bool, niche: str | None,
                    zone: str = "UTC") -> list[Idea]:
        stats = await creator_stats(self.core, user_id, zone)
        posted = {b.key for b in stats.by_subreddit}
        best = [b for b in sorted(stats.by_subreddit, key=lambda b: -b.median_score)
                if b.posts >= 2 and b.removed < b.posts][:2]
        candidates: list[Idea] = []
        for b in best:
            candidates.append(Idea(b.key, "best", *voice_for(b.key, nsfw_ok),
                                   median=b.median_score))
            family = family_of(b.key)
            for sub in FAMILIES[family][0] if family else ():
                if sub.lower() not in posted:
                    candidates.append(Idea(sub, "similar", *voice_for(sub, nsfw_ok), like=b.key))
        for word in await self.niche_words(user_id, niche):
            for key, rules in bundled().items():
                if word in key or word in rules.guidelines.lower():
                    candidates.append(Idea(rules.name, "niche", *voice_for(rules.name, nsfw_ok),
                                           like=word))
        return await self._checked(user_id, _unique(candidates), nsfw_ok)

    async def _checked(self, user_id: int, candidates: list[Idea], nsfw_ok: bool) -> list[Idea]:
        account = await self._account_id(user_id)
        kept: list[Idea] = []
        looks = 0
        for idea in candidates:
            if len(kept) == MAX_IDEAS:
                break
            rules = await self._rules(idea.subreddit, account)
            if rules is None or not postable(rules, nsfw_ok):
                continue
            idea = Idea(**{**idea.__dict__, "marks": marks_of(rules)})
            if idea.reason != "best" and looks < TREND_LOOKS:
                looks += 1
                idea = await self._trend(idea, nsfw_ok)
            kept.append(idea)
        return kept

    async def _rules(self, sub: str, account_id: int | None) -> SubredditRules | None:
        """Live rules as the creator's account sees them (ban, approval), cached for a
        day; the saved ones while Reddit is down; None when the subreddit is gone."""
        from core.errors import UserFacingError

        async with self.core.db.session() as session:
            account = await session.get(RedditAccount, account_id) if account_id else None
            try:
                rules, _ = await self.core.reddit.rules_or_saved(
                    session, sub, account, release=session.commit)
            except UserFacingError as exc:
                if exc.code in ("reddit_sub_not_found", "reddit_sub_not_allowed"):
                    return None
                rules = await self.core.reddit.subreddits.lookup(session, sub)
        return rules

    async def _account_id(self, user_id: int) -> int | None:
        async with self.core.db.read() as session:
            return await session.scalar(select(RedditAccount.id).where(
                RedditAccount.user_id == user_id,
                RedditAccount.status == AccountStatus.ACTIVE).order_by(RedditAccount.id))

    async def _trend(self, idea: Idea, nsfw_ok: bool) -> Idea:
        """The hottest title there now (best effort: no budget or no Reddit, no trend).
        Someone else's title is shown as it is, so it passes the caption safety gate
        first: one that sexualises minors, non-consent or real people is skipped."""
        if not self.core.reddit.clients.configured or await self.budget.reserve(1) > 0:
            return idea
        try:
            async with self.core.reddit.clients.open_reader() as reader:
                sub = await reader.subreddit(idea.subreddit)
                async for post in sub.hot(limit=10):
                    if getattr(post, "stickied", False) or (post.over_18 and not nsfw_ok):
                        continue
                    if not self.core.captions.check(str(post.title), nsfw=nsfw_ok).allowed:
                        continue
                    return Idea(**{**idea.__dict__, "trend": str(post.title)[:120],
                                   "trend_score": int(post.score)})
        except Exception:  # the idea stands without a trend
            return idea
        return idea


def _unique(ideas: list[Idea]) -> list[Idea]:
    seen: set[str] = set()
    out = []
    for idea in ideas:
        if idea.subreddit.lower() not in seen:
            seen.add(idea.subreddit.lower())
            out.append(idea)
    return out
