"""Words for scheduled posts: times, the queue, CSV imports, the worker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.texts.reddit import render

WHEN_ERRORS: dict[str, str] = {
    "when_unreadable": "I couldn't read {text!r} as a time. Try something like "
    "\"{example}\", \"fri 18:30\", \"in 2h\" or \"2026-03-08 14:30\".",
    "when_past": "{when} has already passed. Pick a time ahead, like \"{example}\".",
    "when_beyond_horizon": "Your plan schedules up to {days} days ahead. Pick a closer "
    "time, like \"{example}\".",
    "when_bad_zone": "I don't know the time zone {zone!r}. Use a name like \"{example}\".",
}

STATES = {"queued": "scheduled", "running": "posting now", "posted": "live",
          "failed": "failed", "cancelled": "cancelled"}

QUEUE_EMPTY = "Nothing scheduled. Add a post with `thottopilot post ... --at TIME`."
QUEUE_LINE = "#{job}  {when}  r/{sub}  {state}  {title}{extra}"
QUEUE_NO_JOB = "no scheduled post #{job} for {who}. See `thottopilot queue`{user_flag}."
CANCELLED = "Cancelled #{job}; nothing more of it will be posted."
CANCELLED_CHECKING = ("Cancelled #{job}, but a try to {subs} was already on its way to Reddit "
                      "and may have gone through. I'm checking: if it didn't, it's "
                      "cancelled too; if it did, it stays live and I'll send you its link.")
RESCHEDULED = "#{job} now goes out {when}."
SCHEDULED = "Scheduled #{job}: r/{sub} {when}."
SPACED = ("The same photo goes to {n} subreddits, so I spread them {hours:g} h apart "
          "(posting one photo to 3+ subreddits within a day can look like spam); "
          "use --no-spacing to post them together.")

IMPORT_ROW_OK = "row {row}: ok  r/{sub}  {when}  {title}"
IMPORT_ROW_BAD = "row {row}: {problem}"
IMPORT_NOTHING = "Nothing imported: {bad} of {total} rows have problems. Fix them, or " \
    "pass --partial to import the {good} good rows."
IMPORT_DONE = "Imported {good} of {total} rows."
IMPORT_BAD_HEADER = "the CSV needs the columns subreddit, title, when and one of image, " \
    "url, text (missing: {missing})."
IMPORT_MISSING_KIND = "give exactly one of image, url or text"
IMPORT_BLOCKED = "r/{sub}: {reason}"
IMPORT_BAD_FILE = "can't use {path}: missing or too large"

WORKER_STARTED = "Worker running: posting scheduled posts as they come due (Ctrl+C stops)."
WORKER_STOPPED = "Worker stopped; anything it was posting is finished or picked up later."
WORKER_ONCE = "Ran {n} due post(s)."


def when_error(code: str, params: dict[str, Any]) -> str:
    return render(WHEN_ERRORS.get(code, code), params)


def cancelled(job: int, still_out: Sequence[str]) -> str:
    """After a cancel; `still_out`: subreddits of a try Reddit may have taken already."""
    if not still_out:
        return CANCELLED.format(job=job)
    return CANCELLED_CHECKING.format(job=job, subs=", ".join(f"r/{s}" for s in still_out))


# -- chat: when to post, the creator's time zone (bot/flows/post_when.py) ---------------
SCHEDULE = "Schedule"
BEST_TIME = "Best time"
ASK_ZONE = ("Which time zone are you in? I'll read times like \"tomorrow 9pm\" in it "
            "(asked once). Pick one, or type its name, like \"Europe/Berlin\".")
ZONE_LABEL = "{city} ({now})"
ZONE_SET = "Got it: times are in {zone} (it's {now} there now)."
ASK_WHEN = ("When should it go out? Your time zone is {zone}. For example \"tomorrow "
            "9pm\", \"fri 18:30\", \"in 2h\" or \"2026-03-08 14:30\".")
ASK_RESCHEDULE = ("When should #{job} go out instead? Your time zone is {zone}. For "
                  "example \"tomorrow 9pm\", \"fri 18:30\" or \"in 2h\".")
CHANGE_ZONE = "Change time zone"
BEST_TIME_IS = ("Best time: each subreddit gets its best hour for you this week, from how "
                "your own posts did there and when it's busiest. Until there's data, "
                "safe-for-work posts go out at {sfw_hour}:00 New York time (the morning "
                "scroll) and 18+ posts at {nsfw_hour}:00. /besttime r/SUB shows why.")
SCHEDULED_CHAT = ("Scheduled:\n{lines}\nI'll message you as each goes live. /queue shows, "
                  "moves or cancels them.")
SCHEDULED_LINE = "• r/{sub}: {when}"
LATER_LINE = "r/{sub} is scheduled for {when} (see /queue)."

# -- chat: spacing the same photo over many subreddits -----------------------------------
SPACING = ("The same photo goes to {n} subreddits. Posting one photo to {limit_plus} or "
           "more within a day can look like spam to Reddit and to moderators, so I'll "
           "spread them {hours:g} h apart:\n{lines}")
SPACE_OUT = "Spread them out"
TOGETHER = "All at once anyway"

# -- chat: a "Post now" run, reported as it goes (bot/flows/post_run.py) ----------------
WAITING_ALL = ("It stays queued and goes out by itself when Reddit lets it (I'll message "
               "you). Tap Post now to try again sooner, or see /queue.")
WAITING_REST = ("The others are done. The rest stays queued and goes out by itself (I'll "
                "message you). Tap Post now to try again sooner, or see /queue.")
ON_ITS_WAY = "r/{sub}: on its way; I'll message you when it's live."
LOOK_FIRST = ("r/{sub}: the last try may still show up on Reddit, so I'll look there "
              "before sending it again, at {when}. It goes out by itself.")

# -- /queue ----------------------------------------------------------------------------
QUEUE_HELP = "/queue – see, move or cancel your scheduled posts"
QUEUE_CHAT_EMPTY = "Nothing scheduled. Use /post and pick Schedule or Best time."
QUEUE_HEADER = "Your upcoming posts ({n}). Tap one to post it now, move or cancel it."
QUEUE_BUTTON = "#{job} {when} r/{sub}{more}"
QUEUE_JOB = "#{job} “{title}”\n{lines}"
QUEUE_JOB_LINE = "• r/{sub}: {when}, {state}{extra}"
QUEUE_POST_NOW = "Post now"
QUEUE_RESCHEDULE = "Reschedule"
QUEUE_CANCEL = "Cancel it"
QUEUE_BACK = "◀ All posts"
QUEUE_GONE = "That post isn't in your queue any more."
QUEUE_NOTHING_LEFT = "#{job} has nothing left to post."

# -- notices the scheduler sends without being asked (core.posting.outbox) ---------------
NEXT_STEPS: dict[str, str] = {
    "reconnect": "Send /connect to reconnect your Reddit account, then /queue to retry.",
    "verify_email": "Verify your email in Reddit's settings, then /queue to retry.",
    "pick_other_subreddit": "Try another subreddit with /post.",
    "pick_flair": "Start it again with /post and pick a flair.",
    "edit_title": "Start it again with /post with a new title.",
    "send_smaller_photo": "Send a smaller photo with /post.",
    "send_other_photo": "Send another photo with /post.",
    "send_photo_again": "Send the photo again with /post.",
    "reschedule": "Open /queue to try again or pick another time.",
}
NOTICE_LIVE = "Your post “{title}” is live on r/{sub}: {link}"
NOTICE_LIVE_NO_LINK = "Your post “{title}” went up on r/{sub}; it'll show on your profile."
NOTICE_RECOVERED = "Your post “{title}” is live on r/{sub} (found it there after a hiccup): {link}"
NOTICE_FAILED = "Your post “{title}” to r/{sub} didn't go out. {reason} {step}"
NOTICE_PAUSED = ("Reddit asked your account to slow down, so your posts wait about "
                 "{minutes} min and then go out by themselves, in order (next: r/{sub}).")
NOTICE_PAUSED_CHAT = ("r/{sub}: not posted yet. Reddit asks your account to wait about "
                      "{minutes} min; it stays queued and goes out by itself then.")
NOTICE_WAITING = ("Reddit isn't answering right now. Your post “{title}” to r/{sub} stays "
                  "queued and goes out by itself when Reddit is back.")


def notice_text(kind: str, payload: dict[str, Any], *, in_chat: bool = False) -> str:
    """The words for an outbox notice (core.posting.outbox); `in_chat`: the short form
    used while the creator watches a "Post now" run in the same chat."""
    from core.texts import reddit as tr

    if kind.startswith("billing_"):  # payment notices (core.billing.payments)
        from core.texts.billing import notice_text as billing_notice

        return billing_notice(kind, payload)
    if kind.startswith("support_"):  # the team's answer to /support (core.support)
        from core.texts.support import notice_text as support_notice

        return support_notice(kind, payload)
    if kind == "post_removed":  # a live post taken down (core.outcomes)
        from core.texts.outcomes import removed_notice

        return removed_notice(payload)
    if kind == "post_restored":  # a filtered post approved later (core.outcomes)
        from core.texts.outcomes import restored_notice

        return restored_notice(payload)
    if kind == "account_health":  # the periodic shadowban check (core.outcomes.health)
        from core.texts.outcomes import health_notice

        return health_notice(payload)
    sub = str(payload.get("subreddit") or "?")
    title = str(payload.get("title") or "")
    link = payload.get("link")
    if kind == "post_live":
        if payload.get("recovered") and link:
            return tr.ALREADY_LIVE.format(sub=sub, link=link) if in_chat else \
                NOTICE_RECOVERED.format(title=title, sub=sub, link=link)
        if in_chat:
            return tr.POSTED.format(sub=sub, link=link) if link else \
                tr.POSTED_NO_LINK.format(sub=sub)
        return (NOTICE_LIVE if link else NOTICE_LIVE_NO_LINK).format(title=title, sub=sub,
                                                                     link=link)
    if kind == "post_failed":
        params = {"subreddit": sub, **dict(payload.get("params") or {})}
        reason = tr.error(str(payload.get("reason") or "reddit_rejected"), params)
        step = NEXT_STEPS.get(str(payload.get("next_step")), NEXT_STEPS["reschedule"])
        if in_chat:
            return f"{tr.POST_FAILED.format(sub=sub, reason=reason)} {step}"
        return NOTICE_FAILED.format(title=title, sub=sub, reason=reason, step=step)
    if kind == "post_paused":
        return (NOTICE_PAUSED_CHAT if in_chat else NOTICE_PAUSED).format(
            sub=sub, minutes=payload.get("minutes") or "a few")
    if kind == "post_waiting":
        if in_chat:
            return tr.POST_FAILED.format(sub=sub, reason=tr.ERRORS["reddit_unavailable"])
        return NOTICE_WAITING.format(title=title, sub=sub)
    return title or kind
