"""Words for /tutorial: a guided first post on the creator's own photo."""

from __future__ import annotations

HELP_LINE = "/tutorial – a guided first post, step by step on your own photo"

STEP = "Step {n} of 4 · {title}"
TITLES = {1: "Caption", 2: "Protect", 3: "Rule check", 4: "Schedule"}
WHY = {
    1: "Why it matters: a title that sounds like you and fits the subreddit is what "
       "gets the first upvotes.",
    2: "Why it matters: reverse-image search can trace a photo back to you or find "
       "reposts; a protected copy looks the same to people but stops those matches.",
    3: "Why it matters: every subreddit has its own rules (title tags, flairs, 18+). "
       "A post that breaks one gets removed, and removals can get you banned.",
    4: "Why it matters: a post that goes up while the subreddit's crowd is scrolling "
       "gets more upvotes in its first hour, and that decides how far it travels.",
}
SKIP = "Skip ▶"

INTRO = (
    "Let's make your first post together, one tap at a time: 1 caption, 2 protect, "
    "3 rule check, 4 schedule. You can skip any step, and /cancel stops.\n\n"
    "Send me the photo you'd like to post."
)
INTRO_NO_ACCOUNT = (
    "Heads-up: to queue the post at the end, your Reddit account needs to be connected. "
    "Tap Connect Reddit whenever you're ready; everything before that works already."
)
NEED_PHOTO = "Send me the photo you'd like to post (a JPEG, PNG or WebP)."
NOT_A_PHOTO = "That doesn't look like a photo. Send a JPEG, PNG or WebP image, or /cancel."

CAPTION_PICK = "Tap ✅ Use on the title you like, or type your own."
ASK_TITLE = "Type the title you'd like for this post."
TITLE_TOO_LONG = "Reddit titles can be at most 300 characters; yours has {n}. Try a shorter one."
TITLE_SET = "Title: {title}"

PROTECT_ASK = "Pick a level (Standard is what I recommend), or skip to post the photo as it is."
PROTECT_LEVEL = {"light": "Light", "standard": "Standard ✓", "heavy": "Heavy (mirrored)"}
PROTECTED_NOTE = "I'll post the {level} protected copy."

SUB_ASK = "Where should it go? Tap a subreddit or type one (like r/selfie)."
SUB_BAD = "That isn't a subreddit name I can use. Type one like r/selfie, or tap one."
CHECKING = "Checking r/{sub}'s rules…"
FIXED = "r/{sub}: I fixed it for you: {fixes}."
PASSED = "✅ r/{sub}: your post fits its rules."
WARNED = "⚠️ r/{sub}: {reason}"
FAILED_RULE = "❌ r/{sub} won't take this post: {reason}"
FIX_OTHER_SUB = "Fix: pick another subreddit below, or type one."
FIX_FLAIR = "r/{sub} needs a flair on every post. Pick one:"
FIX_TAG = "r/{sub} wants one of these tags in the title. Pick one:"
FIX_TITLE = "r/{sub}: {reason}\nFix: type a new title for it."
RULES_UNREACHABLE = (
    "I couldn't read r/{sub}'s rules: {reason}\nPick another subreddit, or try again.")
OTHER_SUB = "↩ Another subreddit"

WHEN_ASK = (
    "Best time for r/{sub}: {when} (your time zone: {zone}). Tap to queue it then, or "
    "type another time like “tomorrow 9pm” or “in 2h”."
)
QUEUE_AT = "⏰ Queue for {when}"
QUEUED = (
    "🎉 Done! Your post is queued: r/{sub}, {when}.\n"
    "I'll message you when it's live, and you can move or cancel it until then."
)
NOT_QUEUED_SKIPPED = (
    "Okay, nothing queued. You've seen the whole path now: /post takes you through it "
    "with any photo whenever you're ready."
)
NO_ACCOUNT = (
    "Almost there! To queue the post I need your Reddit account: tap Connect Reddit, "
    "allow access, then tap the time again. Your progress is saved."
)
REDDIT_OFF = (
    "Posting to Reddit isn't set up on this ThottoPilot yet, so I can't queue it. "
    "Your caption and protected photo are ready to use by hand."
)
PHOTO_GONE = "I couldn't fetch your photo again from the chat. Please send it once more."
STILL_QUEUING = "One moment: I'm queuing your post right now."
STILL_THERE = "We're at step {n} of 4."
