"""Words about plans, limits, usage and payment (registered in core.texts.common)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What a metered thing is called, one and many.
METER_NAMES: dict[str, tuple[str, str]] = {
    "caption": ("caption request", "caption requests"),
    "image": ("protected photo", "protected photos"),
    "post": ("post", "posts"),
}

QUOTA = "You've used today's {limit} {what} on the {tier} plan. They refill at midnight " \
    "your time. 💛"
QUOTA_TOP = "That's the most any plan allows today."
# The upgrade prompt's last line, one per variant of the "upgrade_prompt" experiment
# (core.experiments; the first is the control). {more} is e.g. "30 posts a day".
UPGRADE_PROMPT: dict[str, str] = {
    "control": "{upgrade} gives you {more}. Tap /upgrade to see the plans.",
    "gain": "Keep going right now: {upgrade} gives you {more}, from the moment you pay. "
            "/upgrade shows how.",
    "momentum": "You're on a roll today! 🚀 {upgrade} keeps you going with {more}. "
                "/upgrade shows the plans.",
}
QUOTA_UPGRADE = UPGRADE_PROMPT["control"]
# A standing limit (not a daily one): how many Reddit accounts a plan connects.
ACCOUNTS_LIMIT = "Your {tier} plan connects {limit} Reddit account{s}, and you have " \
    "{limit} connected. You can still reconnect one of them."
ACCOUNTS_TOP = "That's the most any plan connects."
ACCOUNTS_MORE = "{amount} Reddit accounts"
RECONNECT_BUTTON = "🔁 Reconnect one of my accounts"
UNLIMITED = "unlimited"

ERRORS: dict[str, str] = {
    "image_quota": "You've used today's {limit} protected photos. They refill at midnight; "
                   "/upgrade shows plans with more.",
    "post_quota": "You've used today's {limit} posts. They refill at midnight; "
                  "/upgrade shows plans with more.",
    "billing_unavailable": "Payments are not set up here yet. Please try again later.",
    "reddit_accounts_limit": "Your {tier} plan connects {limit} Reddit account(s), and they're "
                             "all connected. /upgrade shows plans that connect more.",
}

# /upgrade
UPGRADE_HEADER = "You're on the {tier} plan. Here's what each plan gives you per day:"
UPGRADE_LINE = "• {tier}{price}: {captions} captions, {images} protected photos, " \
    "{posts} posts, scheduling {horizon} ahead"
UPGRADE_PRICE = " ({price}/month or ⭐ {stars})"
UPGRADE_CURRENT = " ← you"
UPGRADE_TOP = "You're on our biggest plan. Thank you for being here! 💛"
PAY_CARD = "💳 {tier} by card"
PAY_STARS = "⭐ {tier} with Stars"
STARS_TITLE = "ThottoPilot {tier}"
STARS_DESCRIPTION = "{tier} plan for 30 days: more captions, protected photos and posts."
STARS_INVOICE = "Here's your {tier} plan for ⭐ {stars} a month. It renews every 30 days " \
    "until you cancel it in Telegram's settings."
STARS_PAY = "⭐ Pay {stars} Stars"
STARS_ONLY_TELEGRAM = "Stars payments work in Telegram. Pay by card here instead."
STARS_NOT_NEEDED = "You're already on the {tier} plan, so there's nothing to pay for. 💛"
# Pre-checkout refusals, shown by Telegram in the payment sheet.
STARS_REFUSED: dict[str, str] = {
    "forged": "This invoice isn't valid for your account. Open /upgrade for a fresh one.",
    "price_changed": "This plan's price has changed. Open /upgrade for a fresh invoice.",
    "not_upgrade": "You already have this plan or a better one, so there's nothing to pay "
                   "for. 💛 /upgrade shows what you're on.",
    "account_gone": "Your account is scheduled for deletion, so there's nothing to pay for. "
                    "Send /restore first if you'd like to keep it.",
}
# A Stars payment given straight back ({stars}: its amount; {tier}: the plan they're on).
STARS_GIVEN_BACK: dict[str, str] = {
    "not_upgrade": "You're already on the {tier} plan, so we've given your ⭐ {stars} back. "
                   "Nothing changes for you. 💛",
    "account_gone": "You deleted the account this ⭐ {stars} renewal was for, so we've "
                    "given it back and stopped the subscription.",
}
PAID = "Thank you! 🎉 You're on the {tier} plan until {until}. Your new limits apply now."
REFUNDED = "Your Stars payment was refunded; you're back on the {tier} plan."
DUNNING = "Your last payment for the {tier} plan didn't go through, so Stripe will try again " \
    "over the next days. To keep your plan, update your card: /upgrade → 🧾 Manage card billing."

# /usage
USAGE_HEADER = "Today on the {tier} plan:"
USAGE_LINE = "• {what}: {used} of {limit}"
USAGE_LINE_UNLIMITED = "• {what}: {used} (unlimited)"
USAGE_MONTH = "This month ({month}, UTC):"
USAGE_MONTH_LINE = "• {what}: {count}"
USAGE_BILL = "Your pay-as-you-go bill so far: {total}"
USAGE_BILL_LINE = "• {count} {what} × {rate} = {amount}"
USAGE_CREDIT = "• Referral credit: −{credit}"


def tier_name(tier: str) -> str:
    return tier.replace("_", " ").title()


def amount(limit: int | None) -> str:
    return UNLIMITED if limit is None else str(limit)


def quota_text(params: Mapping[str, Any], variant: str = "control") -> str:
    """The upgrade prompt: which limit was hit, and which plan lifts it, worded as the
    creator's `variant` of the upgrade_prompt experiment says (unknown: control)."""
    meter = str(params.get("meter", "caption"))
    limit = int(params.get("limit") or 0)
    tier = tier_name(str(params.get("tier", "free")))
    more = params.get("upgrade_limit")
    if meter == "reddit_accounts":
        text = ACCOUNTS_LIMIT.format(tier=tier, limit=limit, s="" if limit == 1 else "s")
        top = ACCOUNTS_TOP
        more_text = ACCOUNTS_MORE.format(amount=UNLIMITED if more is None else more)
    else:
        one, many = METER_NAMES.get(meter, (meter, meter + "s"))
        text = QUOTA.format(limit=limit, what=one if limit == 1 else many, tier=tier)
        top = QUOTA_TOP
        more_text = f"{UNLIMITED} {many}" if more is None else f"{more} {many} a day"
    upgrade = params.get("upgrade")
    if not upgrade:
        return f"{text}\n{top}"
    line = UPGRADE_PROMPT.get(variant, QUOTA_UPGRADE)
    return f"{text}\n{line.format(upgrade=tier_name(str(upgrade)), more=more_text)}"

HELP_LINE = "/upgrade – plans and payment · /usage – what you've used today"
MENU_LABEL = "⭐ Plans"
MANAGE = "🧾 Manage card billing"
CARD_UNAVAILABLE = "Card payments aren't set up on this server yet."


def notice_text(kind: str, payload: Mapping[str, Any]) -> str:
    """Words for a billing notice from the outbox (e.g. a failed renewal)."""
    tier = tier_name(str(payload.get("tier") or "free"))
    if kind == "billing_payment_failed":
        return DUNNING.format(tier=tier)
    if kind == "billing_stars_refunded":
        return REFUNDED.format(tier=tier)
    return kind
