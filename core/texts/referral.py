"""Words about referrals (/referral) and pay-as-you-go bills (`thottopilot billing bill`)."""

from __future__ import annotations

HELP_LINE = "/referral – invite friends and earn credit"

HEADER = "💌 Invite friends to ThottoPilot"
LINKS = "Share your link:\n{links}"
TELEGRAM_LINK = "Telegram: {url}"
WEB_LINK = "Web: {url}"
REWARD_CREDIT = "When someone you invite makes their first payment, you get {amount} " \
    "of credit, taken off your next pay-as-you-go bill."
REWARD_FREE_MONTH = "When someone you invite makes their first payment, you get a free " \
    "month of {tier}."
COUNTS = "Joined through you: {signed_up} · paying: {paying}"
NO_ONE_YET = "Nobody has joined through your link yet. Your first invite is one share away!"
CREDIT_EARNED = "Credit earned: {earned} ({left} still to use)"
FREE_MONTHS = "Free months earned: {months}"

# /start ref_<code>: said once, before the usual welcome.
WELCOMED = "You were invited by a friend. Welcome! 💛"

# `thottopilot billing bill`
METER_LABELS = {"caption": "AI captions", "image": "protected photos",
                "post": "scheduled posts"}
BILL_HEADER = "Bill for {who}, {month} ({state})"
BILL_LINE = "  {what:<17} {quantity:>6} × {rate} = {amount}"
BILL_SUBTOTAL = "  Subtotal         {amount}"
BILL_CREDIT = "  Referral credit  -{amount}"
BILL_TOTAL = "  Total            {amount}"
BILL_OPEN, BILL_CLOSED = "open", "closed"
BILL_NONE = "No pay-as-you-go usage in {month}."
BILL_NOT_OVER = "{month} has not ended yet; it can be closed from {next} on."
