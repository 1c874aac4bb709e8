"""The Reddit connect flow's URL paths and lifetimes, with nothing heavy behind them.

The web companion mounts its routes and redacts its access log by these paths at start;
importing them from `core.reddit.client`/`oauth` would load the Reddit client stack
(asyncpraw) before anyone connects an account, so they live here on their own.
"""

from __future__ import annotations

from datetime import timedelta

CALLBACK_PATH = "/reddit/callback"  # where Reddit sends the browser back (redirect_uri)
CONNECT_PATH = "/reddit/connect"  # the page the bot's signed connect link opens
STATE_TTL = timedelta(minutes=10)  # an OAuth state, and the browser binding cookie
LINK_TTL = timedelta(hours=1)  # the bot's connect link
