"""Words for scheduled posts: times, the queue, CSV imports, the worker."""

from __future__ import annotations

from typing import Any

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
    template = WHEN_ERRORS.get(code, code)
    try:
        return template.format(**params)
    except (KeyError, IndexError):
        return template
