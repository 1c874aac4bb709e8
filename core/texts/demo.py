"""Words for /demo: try captions and photo protection on a sample photo, no account."""

from __future__ import annotations

HELP_LINE = "/demo – try captions and photo protection on a sample photo, no sign-up"
INTRO = (
    "Here's a sample photo to play with. Nothing about you is saved and no account is "
    "made: try {tries} things, then decide."
)
WRITE = "✍️ Captions for it"
PROTECT = "🛡 Protect it"
CAPTIONS = (
    "Captions for the sample photo ({tone} tone):\n\n{titles}\n\n"
    "With your account, they'd be in your own voice and fitted to each subreddit's rules."
)
PROTECTED = "{result}\n\n(With your account, /protect does this to your own photos.)"
LEFT = "{left} of {tries} tries left."
DONE = (
    "That's the demo! Like it? /start sets you up in under two minutes: your voice, "
    "your Reddit account, your first caption. It's free to start."
)
SIGN_UP = "🚀 Sign me up"
SAMPLE_DESCRIPTION = "golden hour portrait on a city rooftop, summer dress, soft smile"
