"""Words for connecting Reddit accounts, rule verdicts and posting."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# -- /connect ----------------------------------------------------------------------
CONNECT_HELP = "/connect – connect a Reddit account"
POST_HELP = "/post – post to Reddit (rules checked first)"
POST_UPLOAD_LABEL = "Post it to Reddit"
POST_MENU_LABEL = "Post to Reddit"
NOT_CONFIGURED = "Reddit isn't set up on this ThottoPilot yet. Please ask the operator to add it."
CONNECT_INTRO = (
    "Tap the button to connect a Reddit account. Reddit will ask you to allow "
    "ThottoPilot to post for you; your password never reaches me. You can connect "
    "several accounts."
)
CONNECT_BUTTON = "Connect Reddit"
CONNECT_DONE_BUTTON = "I've connected it"
CONNECTED_LIST = "Connected accounts:\n{accounts}"
NO_ACCOUNTS_YET = "No account connected yet. Tap Connect Reddit and allow access, then come back."
ACCOUNT_LINE_ACTIVE = "• u/{name}{default}"
ACCOUNT_LINE_REVOKED = "• u/{name} – access revoked, tap Connect Reddit to fix it"
DEFAULT_MARK = " (default)"
MAKE_DEFAULT = "Post as u/{name} by default"
DEFAULT_SET = "Done: I'll post as u/{name} unless you pick another account."
PROTECT_ON = "Shield my photos before posting: on"
PROTECT_OFF = "Shield my photos before posting: off"
PROTECT_NOW_ON = "From now on I'll protect your photos against reverse-image search first."
PROTECT_NOW_OFF = "Okay, photos will be posted exactly as you send them."

# -- /post -------------------------------------------------------------------------
NEED_ACCOUNT = "First, let's connect your Reddit account. Send /connect and it takes a minute."
ASK_MEDIA = (
    "What are we posting? Send a photo (several for a gallery), paste a link, "
    "or tap Text post."
)
TEXT_POST = "Text post"
NOT_A_PHOTO = ("That file isn't a photo I can post (JPEG, PNG, WebP or GIF). Send a photo, "
               "paste a link, or tap Text post.")
GOT_PHOTO = "Got it ({n} photo{s}). Send more for a gallery, or write the title now."
GALLERY_FULL = "That's 20 photos, the most a Reddit gallery takes."
ASK_TITLE = "What's the title? Write it, or tap a suggestion."
ASK_TEXT_BODY = "Write the text of your post."
SUGGEST_TITLES = "✍️ Suggest titles"
SUGGESTED = "Some titles for it:\n{lines}\n\nTap one to use it, or write your own."
SUGGESTION_LINE = "{n}. {title}"
USE_TITLE = "Use {n}"
MORE_TITLES = "🔄 Other titles"
TITLE_CHOSEN = "Title: “{title}”"
OWN_TITLE_STILL = "{reason}\n\nYou can still write your own title."
ASK_SUBREDDITS = (
    "Where to? Type one or more subreddits (like r/pics r/selfie), or tap one. "
    "Tap Done when your list is complete."
)
SUBS_SO_FAR = "So far: {subs}. Add more or tap Done."
DONE = "Done"
NO_SUBS = "Add at least one subreddit first."
ASK_ACCOUNT = "Which account should post?"
CHECKING = "Checking the rules of {subs}…"
ALL_BLOCKED = "I can't post this anywhere you picked. Try /post with other subreddits."
FIXED_PREFIX = "r/{sub}: I fixed it for you – {fixes}."
BLOCKED_PREFIX = "r/{sub}: can't post here – {reason}"
WARN_PREFIX = "r/{sub}: heads-up – {reason}"
PICK_FLAIR = "r/{sub} needs a flair: pick one."
CLI_PICK_FLAIR = "needs a flair: pick one with --flair ID ({choices})"
PICK_TAG = "r/{sub} needs one of these in the title: pick yours."
ASK_NEW_TITLE = "r/{sub}: {reason} Write a new title for this subreddit."
ASK_BODY_FIX = "r/{sub}: {reason} Write the text to go with the post."
ASK_IMAGE_FIX = "r/{sub}: {reason}"
READY = "Ready to post:\n{lines}"
READY_LINE = "• r/{sub}: “{title}”{extras}"
POST_NOW = "Post now"
POST_ANYWAY = "Post anyway"
SKIP_SUB = "Skip r/{sub}"
POSTING = "Posting to r/{sub}…"
POSTED = "Live on r/{sub}: {link}"
POSTED_NO_LINK = "Posted to r/{sub}. Reddit is still processing it; it'll show on your profile."
POST_FAILED = "r/{sub}: not posted. {reason}"
POST_ERROR_UNKNOWN = (
    "Something went wrong on my side; I'm not sure Reddit got it. Check your profile "
    "before trying again."
)
ALREADY_LIVE = (
    "r/{sub}: it was already live from the earlier try, so I didn't post it again: {link}"
)
STILL_POSTING = "I'm still posting; I'll report each subreddit as it goes live."
RETRY_REST = "The others are done. Tap Post now to try again where it failed, or /cancel."
RETRY_ALL = "Tap Post now to try again, or /cancel."
RULES_SAVED = (
    "r/{sub}: I can't ask Reddit for its rules right now, so I checked against the rules "
    "I have saved for it."
)
COMMENT_FAILED = "The first comment didn't go through ({reason}); you can add it on Reddit."
DRAFT_OUTDATED = (
    "I've been updated since you started that post and can't pick it up where we left "
    "off, sorry! Let's start it again."
)
FROM_CAPTION_MISSING = "I couldn't find that caption any more. Let's start fresh."
EXTRA_NSFW = "NSFW"
EXTRA_SPOILER = "spoiler"
EXTRA_FLAIR = "flair: {flair}"

ISSUES: dict[str, str] = {
    "rules_unknown": "I don't know r/{subreddit}'s rules yet, so I couldn't check them.",
    "banned": "Reddit says you're banned from r/{subreddit}.",
    "sub_restricted": "r/{subreddit} only accepts posts from approved users.",
    "sub_archived": "r/{subreddit} is archived and takes no new posts.",
    "adult_optin_needed": "r/{subreddit} is 18+. Turn on adult features with /start first.",
    "adult_place_needed": ("r/{subreddit} is 18+, so posting there works only in a DM "
                           "or an age-restricted channel."),
    "text_only": "this subreddit takes text posts only.",
    "images_only": "this subreddit takes images only. Send me a photo instead.",
    "links_only": "this subreddit takes links only.",
    "no_images": "this subreddit doesn't allow images.",
    "no_galleries": "this subreddit doesn't allow galleries; post one photo instead.",
    "gallery_size": "galleries here need {min} to {max} photos (you have {n}).",
    "gallery_captions_required": "every gallery photo needs its own caption here.",
    "domain_banned": "links to {domain} aren't allowed here.",
    "domain_not_allowed": "only links to {allowed} are allowed here.",
    "title_missing": "the title is empty.",
    "title_too_short": "the title needs at least {min} characters.",
    "title_too_long": "shortened the title to {max} characters",
    "title_banned_words": "removed words this subreddit doesn't allow ({words})",
    "title_needs_tag": "added {tags} to the title",
    "title_pattern": "the title doesn't match this subreddit's format. {guidelines}",
    "body_not_allowed": "dropped the text body (not allowed here)",
    "body_required": "this subreddit wants some text with every post.",
    "body_too_short": "the text needs at least {min} characters.",
    "body_too_long": "the text can be at most {max} characters.",
    "body_rules": "the text doesn't follow this subreddit's rules.",
    "flair_invalid": "that flair isn't offered here any more.",
    "flair_required": "picked its only flair",
    "flair_unavailable": "a flair is required but none can be picked; ask the moderators.",
    "nsfw_required": "marked it NSFW (the subreddit is 18+)",
    "repost": "you posted this link here recently; Reddit would treat it as a repost.",
    "cooldown": "you posted here from this account recently. Posting again before {until} "
    "can look like spam.",
    "duplicate_image": "you posted this same photo to r/{where} recently; repeats can look "
    "like spam.",
    "duplicate_link": "you posted this link to r/{where} recently.",
    "duplicate_title": "you used this exact title in r/{where} recently.",
}

ERRORS: dict[str, str] = {
    "reddit_not_configured": NOT_CONFIGURED,
    "reddit_account_revoked": (
        "Reddit says access for u/{account} was revoked or has expired. Send /connect to "
        "reconnect it; it takes a minute. Nothing was posted."
    ),
    "reddit_unavailable": (
        "I couldn't reach Reddit just now. Nothing was posted; please try again in a few "
        "minutes. Your account is still connected."
    ),
    "reddit_connect_failed": "Reddit didn't confirm the connection. Please try /connect again.",
    "reddit_busy": "Reddit takes only so many requests a minute from us, and this minute's "
    "are used up. Please try again in about {seconds} seconds.",
    "reddit_state_invalid": "That connect link was already used. Send /connect for a new one.",
    "reddit_state_expired": "That connect link expired. Send /connect for a new one.",
    "reddit_state_wrong_user": "That connect link belongs to someone else. Send /connect.",
    "reddit_sub_not_found": "I can't find r/{subreddit}. Check the spelling?",
    "reddit_sub_not_allowed": "r/{subreddit} only lets approved users post there.",
    "reddit_banned": "Reddit says you're banned from r/{subreddit}.",
    "reddit_no_text_posts": "r/{subreddit} doesn't take text posts. Try a photo or a link.",
    "reddit_no_link_posts": "r/{subreddit} doesn't take links or images, only text posts.",
    "reddit_no_image_posts": "r/{subreddit} doesn't take images.",
    "reddit_no_gallery_posts": "r/{subreddit} doesn't take galleries; post one photo instead.",
    "reddit_already_posted": "That was already posted in r/{subreddit}, so Reddit refused "
    "it as a repost.",
    "reddit_ratelimit": "Reddit asks you to wait about {minutes} min before posting again "
    "(new or low-karma accounts get this). Try again then.",
    "reddit_title_missing": "Reddit needs a title. Write one and try again.",
    "reddit_title_too_long": "The title is too long for r/{subreddit}. Shorten it and retry.",
    "reddit_title_too_short": "The title is too short for r/{subreddit}. Add a few words.",
    "reddit_title_rules": "The title doesn't meet r/{subreddit}'s rules: {detail}",
    "reddit_title_banned_word": "The title has a word r/{subreddit} bans: {detail}",
    "reddit_bad_url": "Reddit didn't accept that link. Check it and try again.",
    "reddit_domain_banned": "r/{subreddit} doesn't accept links from that site.",
    "reddit_domain_not_allowed": "r/{subreddit} only accepts links from certain sites.",
    "reddit_spam": "Reddit's spam filter stopped this post. Try another title, or wait a bit.",
    "reddit_verify_email": "Reddit wants a verified email first. Verify it in Reddit's "
    "settings, then try again.",
    "reddit_flair_required": "r/{subreddit} needs a flair on every post. Pick one and retry.",
    "reddit_flair_invalid": "That flair isn't available in r/{subreddit}. Pick another.",
    "reddit_body_required": "r/{subreddit} wants text with the post. Add some and retry.",
    "reddit_body_not_allowed": "r/{subreddit} doesn't allow text with this kind of post.",
    "reddit_body_rules": "The text doesn't meet r/{subreddit}'s rules: {detail}",
    "reddit_media_too_large": "That file is too big for Reddit. Send a smaller version.",
    "reddit_media_failed": "Reddit couldn't process the image. Try another file or format.",
    "reddit_media_unconfirmed": "Reddit took the image but didn't confirm the post. Check "
    "your profile before trying again, so it isn't posted twice.",
    "reddit_rejected": "Reddit refused the post to r/{subreddit}: {detail}",
    "posting_media_missing": "I lost the photo for this post, so I couldn't send it to "
    "r/{subreddit}. Please send it again with /post.",
    "posting_stalled": "This server was too busy to send the post to r/{subreddit} safely, "
    "so I'm checking whether an earlier try went out before trying again.",
    "posting_error": "Something kept going wrong on our side, so I stopped trying. An "
    "earlier try may have gone out: check your profile before posting it again.",
    "reddit_shield_failed": "I couldn't protect that image before posting (animated, damaged "
    "or too big?), so nothing was posted. Send a still photo, or turn off shielding in "
    "/accounts.",
}


def render(template: str, params: dict[str, Any]) -> str:
    values = {k: _fmt(v) for k, v in params.items()}
    try:
        return template.format(**values).strip()
    except (KeyError, IndexError):
        return template


def issue(code: str, params: dict[str, Any]) -> str:
    return render(ISSUES.get(code, code.replace("_", " ")), params)


def error(code: str, params: dict[str, Any]) -> str:
    return render(ERRORS.get(code, ERRORS["reddit_rejected"]), {"detail": "", **params})


def _fmt(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.strftime("%b %d, %H:%M UTC")
    return value
