"""How posts did: the removal notice and /health (core.outcomes)."""

from __future__ import annotations

from typing import Any

AFTER = {"1h": "within its first hour", "6h": "within 6 hours", "24h": "within a day"}
WHY: dict[str, str] = {
    "moderator": "The subreddit's moderators took it down.",
    "automod": ("AutoModerator filtered it (often a rule about account age, karma or "
                "certain words)."),
    "reddit": "Reddit itself removed it (site-wide rules or its spam checks).",
    "spam_filter": ("It shows for you but not for anyone else: Reddit's spam filter, or a "
                    "shadowban on your account."),
}
REMOVED = "🚫 Your post “{title}” was removed from r/{sub} {after}. {why}"
RULES = "Likely reasons, from r/{sub}'s rules: {rules}."
NEXT = "Next: /health checks your account; /post tries again with a fix."
RESTORED = "✅ Good news: your post “{title}” is back up on r/{sub}: a moderator approved it."


def restored_notice(payload: dict[str, Any]) -> str:
    line = RESTORED.format(title=str(payload.get("title") or ""),
                           sub=str(payload.get("subreddit") or "?"))
    return f"{line}\n{payload['link']}" if payload.get("link") else line


def removed_notice(payload: dict[str, Any]) -> str:
    sub = str(payload.get("subreddit") or "?")
    lines = [REMOVED.format(
        title=str(payload.get("title") or ""), sub=sub,
        after=AFTER.get(str(payload.get("after")), "soon after it went up"),
        why=WHY.get(str(payload.get("reason")), WHY["reddit"]))]
    rules = [str(r) for r in payload.get("rules") or [] if r]
    if rules:
        lines.append(RULES.format(sub=sub, rules="; ".join(rules)))
    if payload.get("link"):
        lines.append(str(payload["link"]))
    lines.append(NEXT)
    return "\n".join(lines)


HEALTH_HELP = "/health – is my Reddit account shadowbanned, or are my posts filtered?"
HEALTH_CHECKING = "Looking at your Reddit account the way everyone else sees it…"
HEALTH_NO_ACCOUNT = "You haven't connected a Reddit account yet. /connect links one."
HEALTH: dict[str, str] = {
    "ok": "✅ u/{name}: visible to everyone, no removals in the last week.",
    "filtered": ("⚠️ u/{name}: your profile is visible, but recent posts were removed or "
                 "hidden in {subs}. Check those subreddits' rules (karma, account age, "
                 "verification) before posting there again."),
    "shadowbanned": ("⛔ u/{name} looks shadowbanned: to everyone else your profile "
                     "doesn't exist and your posts are invisible. Appeal at "
                     "reddit.com/appeals, and pause posting until it's lifted."),
    "suspended": "⛔ u/{name} is suspended by Reddit. Nothing can be posted from it for now.",
    "revoked": "🔌 u/{name} isn't connected any more. /connect links it again.",
    "unknown": ("u/{name}: Reddit isn't answering right now, so I can't tell. Try /health "
                "again in a few minutes."),
}
HEALTH_POSTS = "Posts looked at in the last 7 days: {count}."
HEALTH_NOTICE = "Heads-up from my daily account check:\n{line}"


def health_notice(payload: dict[str, Any]) -> str:
    line = HEALTH.get(str(payload.get("verdict")), HEALTH["unknown"]).format(
        name=str(payload.get("account") or "?"),
        subs=", ".join(f"r/{s}" for s in payload.get("subreddits") or []) or "some subreddits")
    return HEALTH_NOTICE.format(line=line)


def health_line(name: str, verdict: str, subs: tuple[str, ...], posts: int) -> str:
    text = HEALTH.get(verdict, HEALTH["unknown"]).format(
        name=name, subs=", ".join(f"r/{s}" for s in subs) or "some subreddits")
    return f"{text}\n{HEALTH_POSTS.format(count=posts)}" if posts else text

BESTTIME_HELP = "/besttime r/SUB – the best hours to post there, for you, and why"
BESTTIME_ASK = "Which subreddit? Send its name, like r/selfie."
BESTTIME_BAD = "That doesn't look like a subreddit name. Try something like r/selfie."
BESTTIME_HEADER = "Best times for r/{sub} this week (your time, {zone}):"
BESTTIME_SLOT = "• {when}: {why}"
BESTTIME_OWN = "your posts here did {lift:.1f}x better around {window}"
BESTTIME_BUSY = "the subreddit is most active then"
BESTTIME_DEFAULT_SFW = "a default until there's data: the US morning scroll (09:00 New York)"
BESTTIME_DEFAULT_NSFW = "a default until there's data: the US late evening (22:00 New York)"
BESTTIME_STEADY = "a good hour here, with nothing better that day"
BESTTIME_BASIS = {
    "own": "Built from your {n} posts here.",
    "blend": "Built from your {n} posts here and when the subreddit is busiest.",
    "crowd": "No posts of yours here yet, so this follows when the subreddit is busiest.",
    "default": "I don't know this subreddit's rhythm yet, so these are the defaults.",
}
BESTTIME_NEXT = "Next: /post uses the first of these when you pick “Best time”."


def besttime_reason(*, own_lift: float | None, busy: bool, default: bool, nsfw: bool,
                    window: str) -> str:
    parts = []
    if own_lift is not None and own_lift >= 1.2:
        parts.append(BESTTIME_OWN.format(lift=own_lift, window=window))
    if busy:
        parts.append(BESTTIME_BUSY)
    if not parts and default:
        parts.append(BESTTIME_DEFAULT_NSFW if nsfw else BESTTIME_DEFAULT_SFW)
    return "; ".join(parts) or BESTTIME_STEADY

# -- the engagement score in /post (core.outcomes.engagement) ---------------------------
SCORE_HEADER = "📈 How these might do (chance to beat your usual score there):"
SCORE_LINE = "• r/{sub}: {score}/100 at {when}{why}"
SCORE_BASIS = {0: "Based on what works on Reddit in general until your own posts teach me more.",
               1: "Based on how your own posts did."}
REASONS: dict[tuple[str, bool], str] = {
    ("title_fit", True): "a title of a good length",
    ("title_fit", False): "a title that's very short or long",
    ("question", True): "a question invites replies",
    ("question", False): "no question to answer",
    ("emoji", True): "an emoji",
    ("emoji", False): "no emoji",
    ("tag", True): "a tag like [OC]",
    ("tag", False): "no tag like [OC]",
    ("hour_lift", True): "a strong hour",
    ("hour_lift", False): "a quiet hour",
    ("weekend", True): "the weekend",
    ("weekend", False): "a weekday",
    ("images", True): "photos",
    ("images", False): "no photo",
    ("nsfw", True): "the 18+ mark",
    ("nsfw", False): "no 18+ mark",
    ("sub_size", True): "a big subreddit",
    ("sub_size", False): "a small subreddit",
    ("past_median", True): "you usually do well here",
    ("past_median", False): "your posts here usually get less",
}


def score_reasons(reasons: list[tuple[str, float]]) -> str:
    """': + a question invites replies; − a quiet hour' (strongest first)."""
    parts = [f"{'+' if effect > 0 else '−'} {REASONS.get((name, effect > 0), name)}"
             for name, effect in reasons]
    return f": {'; '.join(parts)}" if parts else ""

# -- /stats (core.outcomes.stats, core.outcomes.chart) --------------------------------
STATS_HELP = "/stats – how your posts did: by subreddit, hour and weekday"
STATS_NONE = ("No numbers yet: I look at each post 1, 6 and 24 hours after it goes live. "
              "Post or schedule one with /post and check back tomorrow.")
STATS_HEADLINE = ("Your last 90 days: {posts} posts, median score {median:g}, best {best}, "
                  "{comments} comments, {removed} removed.")
STATS_TOP = "Top subreddits: {subs}."
STATS_SUB = "r/{key} ({posts} posts, median {median:g})"
STATS_CHART_TITLE = "How your posts did (90 days, {zone})"
STATS_UPGRADE = "Charts by subreddit, hour and weekday come with {tier}. /upgrade shows plans."
STATS_WEB = "The same numbers are on the web dashboard: /web signs you in."

# -- /ideas (core.outcomes.ideas) --------------------------------------------------------
IDEAS_HELP = "/ideas – what to post next, and where"
IDEAS_HEADER = "Ideas for your next posts:"
IDEAS_NONE = ("I need a little more to go on. Tell me your niche in /settings (say "
              "“cosplay” or “fitness”), or post a few times and I'll learn what works.")
IDEA_WHY = {
    "best": "your best here: a median of {median:g}",
    "similar": "same crowd as r/{like}, where you do well",
    "niche": "matches your niche: {like}",
}
IDEA_LINE = "{n}. r/{sub}: {why}. Try a {tone} {style} caption."
IDEA_TREND = "   Working there now: “{title}” ({score})"
IDEA_MARKS = "   ⚠️ Check first: {marks}."
MARK_TEXT = {"approved_only": "approved posters only", "verification": "asks for verification",
             "karma": "has a karma minimum", "account_age": "has an account-age minimum"}
IDEA_BUTTON = "✍️ r/{sub}"
IDEA_CAPTIONS = "Three {tone} {style} titles for r/{sub}:\n{titles}"
IDEA_GONE = "That list is old now. Send /ideas for fresh ones."


def idea_lines(n: int, idea: Any, tone: str, style: str) -> list[str]:
    lines = [IDEA_LINE.format(n=n, sub=idea.subreddit, tone=tone, style=style,
                              why=IDEA_WHY[idea.reason].format(median=idea.median,
                                                               like=idea.like))]
    if idea.trend:
        lines.append(IDEA_TREND.format(title=idea.trend, score=idea.trend_score))
    if idea.marks:
        lines.append(IDEA_MARKS.format(marks=", ".join(MARK_TEXT.get(m, m) for m in idea.marks)))
    return lines
