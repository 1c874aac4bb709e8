"""`thottopilot billing replay --since DATE`: re-process Stripe events a webhook missed.
`thottopilot billing refund --charge ID`: give a Telegram Stars payment back.
`thottopilot billing bill --month 2026-11`: pay-as-you-go bills (see `bill.py`).

Stripe keeps 30 days of events. Each one goes through the same handler as the webhook,
so an event already processed is recognised by its id and changes nothing. A refund
goes through Telegram's refundStarPayment, then ends the tier that charge granted.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.cli.common import cli_core
from core.settings import Settings

if TYPE_CHECKING:
    from core.bootstrap import Core

EXIT_USAGE = 2


def register(sub: Any) -> None:
    p = sub.add_parser("billing", help="payments: replay Stripe events, refund Stars, bills")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    replay = actions.add_parser("replay", help="re-process Stripe events since a time")
    replay.add_argument("--since", required=True, type=_when,
                        help="ISO date or time, UTC unless it names a zone "
                             "(e.g. 2026-11-01 or 2026-11-01T12:00+02:00)")
    replay.add_argument("--json", action="store_true", help="machine-readable output")
    replay.set_defaults(handler=run)
    refund = actions.add_parser("refund", help="refund a Telegram Stars payment")
    refund.add_argument("--charge", required=True,
                        help="the payment's telegram_payment_charge_id")
    refund.add_argument("--json", action="store_true", help="machine-readable output")
    refund.set_defaults(handler=run_refund)
    bill = actions.add_parser("bill", help="a pay-as-you-go month's bill")
    bill.add_argument("--month", required=True, type=_month,
                      help="the calendar month, UTC (e.g. 2026-11)")
    bill.add_argument("--user", type=int, default=None,
                      help="one user's bill (default: everyone with usage that month)")
    bill.add_argument("--close", action="store_true",
                      help="close the ended month: use referral credit, keep the bill")
    bill.add_argument("--json", action="store_true", help="machine-readable output")
    bill.set_defaults(handler=run_bill)


def _month(text: str) -> str:
    from core.billing.payg.money import BadMonth, month_span

    try:
        month_span(text)
    except BadMonth as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


def _when(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or time: {text!r}") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.billing.payments import Payments
    from core.billing.providers.stripe import StripeNotConfigured

    async with cli_core(settings) as core:
        payments = Payments(settings, core.db, core.clock, core.events, core.billing.plans)
        try:
            outcomes = await payments.replay_stripe(args.since)
        except StripeNotConfigured as exc:
            print(f"thottopilot billing: {exc}", file=sys.stderr)
            return EXIT_USAGE
    counts = {k: sum(o.result == k for o in outcomes)
              for k in ("applied", "duplicate", "ignored")}
    if args.json:
        print(json.dumps({"events": len(outcomes), **counts}))
    else:
        print(f"{len(outcomes)} Stripe events since {args.since.isoformat()}: "
              f"{counts['applied']} applied, {counts['duplicate']} already processed, "
              f"{counts['ignored']} not about a subscription")
    return 0


async def run_refund(args: argparse.Namespace, settings: Settings) -> int:
    """Exit 0 refunded (or already refunded), 1 unknown charge, 2 Telegram not set up."""
    from core.billing.providers.stars import StarsNotConfigured, StarsProvider

    async with cli_core(settings) as core:
        stars = StarsProvider(settings, core.db, core.clock, core.events,
                              core.billing.plans, core.secret_key)
        try:
            refund = await stars.refund(args.charge)
        except StarsNotConfigured as exc:
            print(f"thottopilot billing: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if refund.result == "refunded" and refund.user_id is not None:
            await _tell_web(settings, core, refund.user_id)
    if args.json:
        print(json.dumps({"charge": refund.charge_id, "result": refund.result,
                          "user_id": refund.user_id, "tier": refund.tier}))
    elif refund.result == "unknown":
        print(f"no Stars payment with charge id {args.charge}", file=sys.stderr)
    elif refund.result == "already":
        print(f"charge {args.charge} was refunded before; nothing changed")
    else:
        print(f"refunded charge {args.charge}: user {refund.user_id} is now on "
              f"the {refund.tier} plan")
    return 1 if refund.result == "unknown" else 0


async def _tell_web(settings: Settings, core: Core, user_id: int) -> None:
    """The plan changed in this process: tell the running web companion (a signed
    internal call), so its request budget follows now rather than within its cache's
    few seconds. Best effort: the web may not be running."""
    from core.webhooks.internal import notify_plan_changed
    from core.webhooks.sender import WebhookFailed

    try:
        await notify_plan_changed(settings, core.secret_key, core.clock, user_id)
    except WebhookFailed as exc:
        print(f"(the web companion was not told: {exc}; it catches up within seconds)",
              file=sys.stderr)


async def run_bill(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.bill import run

    return await run(args, settings)
