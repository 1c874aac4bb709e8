"""Words of the web's Reddit connect pages (web/account/reddit.py): the confirmation
before a chat's link attaches a Reddit account, and every way the OAuth round trip ends.

Kept apart from site.py because it is one page's whole vocabulary; each answer says
what happened and the next step (almost always /connect in the chat).
"""

from __future__ import annotations

from typing import Final

# key (a page, or a core.reddit error code) -> (heading, message)
PAGES: Final[dict[str, tuple[str, str]]] = {
    "confirm": ("Connect your Reddit account", "You're about to connect a Reddit account to "
                "the ThottoPilot chat of {who}. Only continue if that's you: whoever owns "
                "that chat will be able to post as this Reddit account."),
    "connected": ("Connected!", "u/{account} is now connected. You can close this page and go "
                  "back to the chat; your account is ready to post."),
    "denied": ("Not connected", "You didn't allow access on Reddit, so nothing was connected. "
               "Use /connect in the chat whenever you want to try again."),
    "bad_link": ("This link has expired", "Connect links work for one hour. Send /connect in "
                 "the chat to get a fresh one."),
    "cross_site": ("Open the link from your chat", "This Continue button was pressed on "
                   "another website, so nothing was connected. Send /connect in the chat "
                   "and open the link it gives you."),
    "reddit_state_invalid": ("This page was already used", "For your safety each connect link "
                             "works once. Send /connect in the chat to start again."),
    "reddit_state_expired": ("That took a little too long", "The Reddit sign-in expired. Send "
                             "/connect in the chat to start again."),
    "reddit_state_wrong_user": ("Wrong browser", "This sign-in was started by someone else or "
                                "in another browser. Open the link from your own chat with "
                                "/connect."),
    "reddit_connect_failed": ("Reddit didn't confirm", "Reddit didn't hand over access this "
                              "time. Please send /connect in the chat and try again."),
    "reddit_not_configured": ("Reddit isn't set up yet", "This ThottoPilot has no Reddit app "
                              "configured. Please tell the operator."),
    "reddit_unavailable": ("Reddit is having a moment", "We couldn't reach Reddit. Please try "
                           "again in a few minutes with /connect."),
    "reddit_busy": ("Reddit is busy", "Reddit takes only so many requests a minute from us, "
                    "and this minute's are used up. Reload this page in about {seconds} "
                    "seconds to finish connecting."),
    "reddit_accounts_limit": ("Your plan's accounts are all connected", "Your {tier} plan "
                              "connects {limit} Reddit account(s), and they're all connected, "
                              "so u/{account} wasn't added. {upgrade}"),
}
FALLBACK: Final = "reddit_connect_failed"  # the page for a code without one of its own

# {upgrade} in "reddit_accounts_limit": the next plan up, or that there is none
LIMIT_UPGRADE: Final = "{tier} connects {more}: send /upgrade in the chat to see the plans."
LIMIT_MORE: Final = "{count} Reddit accounts"
UNLIMITED: Final = "unlimited"
LIMIT_TOP: Final = "That's the most any plan connects; you can still reconnect one you have."
