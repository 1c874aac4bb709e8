"""Turns whatever asyncpraw raises into one specific `UserFacingError`.

Reddit reports most submit problems inside an HTTP 200 body (`json.errors`); asyncpraw
raises those as `RedditAPIException`. Each known error type gets its own code (the
catalogue in core/texts/reddit.py words it); an unknown one keeps Reddit's own message.
Auth failures are split into "revoked" (the user must reconnect) and "temporary"
(try again later; the account stays connected).

The client stack is imported here only once something has loaded it: an exception can't
be one of asyncpraw's (which imports asyncprawcore) before asyncprawcore is in
`sys.modules`, so until then the answers are what they would be for any other error,
and classifying one never costs the seconds of importing asyncpraw.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING

import aiohttp

from core.errors import UserFacingError

if TYPE_CHECKING:
    from asyncpraw.exceptions import RedditAPIException

# Reddit error type -> our code. Params always include `subreddit` and `detail`.
API_ERRORS: dict[str, str] = {
    "SUBREDDIT_NOEXIST": "reddit_sub_not_found",
    "BAD_SR_NAME": "reddit_sub_not_found",
    "SUBREDDIT_NOTALLOWED": "reddit_sub_not_allowed",
    "SUBREDDIT_NO_ACCESS": "reddit_sub_not_allowed",
    "USER_BANNED": "reddit_banned",
    "BANNED_FROM_SUBREDDIT": "reddit_banned",
    "IN_TIMEOUT": "reddit_banned",
    "NO_SELFS": "reddit_no_text_posts",
    "NO_LINKS": "reddit_no_link_posts",
    "NO_IMAGES": "reddit_no_image_posts",
    "GALLERY_NOT_ALLOWED": "reddit_no_gallery_posts",
    "ALREADY_SUB": "reddit_already_posted",
    "RATELIMIT": "reddit_ratelimit",
    "NO_TEXT": "reddit_title_missing",
    "TOO_LONG": "reddit_title_too_long",
    "TOO_SHORT": "reddit_title_too_short",
    "BAD_URL": "reddit_bad_url",
    "NO_URL": "reddit_bad_url",
    "DOMAIN_BANNED": "reddit_domain_banned",
    "BANNED_DOMAIN": "reddit_domain_banned",
    "SPAM": "reddit_spam",
    "QUARANTINE_REQUIRES_VERIFICATION": "reddit_verify_email",
    "USER_REQUIRED": "reddit_account_revoked",
    "SUBMIT_VALIDATION_FLAIR_REQUIRED": "reddit_flair_required",
    "INVALID_FLAIR_TEMPLATE_ID": "reddit_flair_invalid",
    "SUBMIT_VALIDATION_TITLE_REQUIREMENT": "reddit_title_rules",
    "SUBMIT_VALIDATION_TITLE_REGEX_REQUIREMENT": "reddit_title_rules",
    "SUBMIT_VALIDATION_TITLE_BLACKLISTED_STRING": "reddit_title_banned_word",
    "SUBMIT_VALIDATION_MIN_LENGTH": "reddit_title_too_short",
    "SUBMIT_VALIDATION_MAX_LENGTH": "reddit_title_too_long",
    "SUBMIT_VALIDATION_BODY_REQUIRED": "reddit_body_required",
    "SUBMIT_VALIDATION_BODY_NOT_ALLOWED": "reddit_body_not_allowed",
    "SUBMIT_VALIDATION_BODY_BLACKLISTED_STRING": "reddit_body_rules",
    "SUBMIT_VALIDATION_BODY_REQUIREMENT": "reddit_body_rules",
    "SUBMIT_VALIDATION_BODY_REGEX_REQUIREMENT": "reddit_body_rules",
    "SUBMIT_VALIDATION_LINK_WHITELIST": "reddit_domain_not_allowed",
    "SUBMIT_VALIDATION_LINK_BLACKLIST": "reddit_domain_banned",
    "SUBMIT_VALIDATION_REPOST": "reddit_already_posted",
}
REVOKED_OAUTH_ERRORS = {"invalid_grant", "invalid_token", "unauthorized_client"}
_WAIT = re.compile(r"(\d+)\s+(second|minute|hour)", re.IGNORECASE)


def _wait_minutes(message: str) -> int:
    match = _WAIT.search(message or "")
    if not match:
        return 10
    amount, unit = int(match.group(1)), match.group(2).lower()
    return max(1, {"second": amount // 60, "minute": amount, "hour": amount * 60}[unit])


def from_api_exception(exc: RedditAPIException, subreddit: str = "") -> UserFacingError:
    """The first error item decides; Reddit lists the most relevant one first."""
    item = exc.items[0]
    code = API_ERRORS.get(item.error_type, "reddit_rejected")
    params: dict[str, object] = {
        "subreddit": subreddit,
        "detail": item.message or item.error_type,
        "reddit_error": item.error_type,
    }
    if code == "reddit_ratelimit":
        params["minutes"] = _wait_minutes(item.message or "")
    return UserFacingError(code, **params)


def _client_loaded() -> bool:
    """Whether any Reddit client code has run; until then none of its errors exist."""
    return "asyncprawcore" in sys.modules


def is_revoked(exc: BaseException) -> bool:
    """True when Reddit says the stored grant is no longer valid."""
    if not _client_loaded():
        return False
    import asyncprawcore

    if isinstance(exc, asyncprawcore.OAuthException):
        return exc.error in REVOKED_OAUTH_ERRORS
    if isinstance(exc, asyncprawcore.ResponseException):
        url = str(getattr(exc.response, "url", ""))
        return exc.response.status in (400, 401, 403) and url.endswith("/api/v1/access_token")
    return False


def translate(exc: BaseException, subreddit: str = "", account: str = "") -> UserFacingError:
    """Map any Reddit-side failure onto a catalogue code."""
    if isinstance(exc, UserFacingError):
        return exc
    if not _client_loaded():
        return UserFacingError("reddit_unavailable")
    import asyncprawcore
    from asyncpraw.exceptions import (
        MediaPostFailed,
        RedditAPIException,
        TooLargeMediaException,
        WebSocketException,
    )

    if isinstance(exc, RedditAPIException):
        return from_api_exception(exc, subreddit)
    if is_revoked(exc):
        return UserFacingError("reddit_account_revoked", account=account)
    if isinstance(exc, TooLargeMediaException):
        return UserFacingError("reddit_media_too_large", subreddit=subreddit)
    if isinstance(exc, MediaPostFailed):
        return UserFacingError("reddit_media_failed", subreddit=subreddit)
    if isinstance(exc, WebSocketException):
        return UserFacingError("reddit_media_unconfirmed", subreddit=subreddit)
    if isinstance(exc, asyncprawcore.Forbidden):
        return UserFacingError("reddit_sub_not_allowed", subreddit=subreddit, detail="")
    if isinstance(exc, asyncprawcore.NotFound | asyncprawcore.Redirect):
        return UserFacingError("reddit_sub_not_found", subreddit=subreddit, detail="")
    if isinstance(exc, asyncprawcore.TooManyRequests):
        return UserFacingError("reddit_ratelimit", subreddit=subreddit, minutes=1, detail="")
    return UserFacingError("reddit_unavailable")


def is_reddit_error(exc: BaseException) -> bool:
    """Raised by the Reddit client stack (as opposed to a bug in our own code)."""
    if isinstance(exc, aiohttp.ClientError | TimeoutError):
        return True
    if not _client_loaded():
        return False
    import asyncprawcore
    from asyncpraw.exceptions import AsyncPRAWException

    return isinstance(exc, asyncprawcore.AsyncPrawcoreException | AsyncPRAWException)
