"""`thottopilot billing bill --month YYYY-MM [--user ID] [--close] [--json]`.

Prints pay-as-you-go bills as core.billing.payg adds them up: one user's, or everyone's
with usage that month. `--close` (for a month that has ended) uses the referral credit
the bill takes and keeps the bill as closed; closing again prints the same bill.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.cli.common import cli_core
from core.settings import Settings
from core.texts import referral as t

EXIT_USAGE = 2


async def run(args: argparse.Namespace, settings: Settings) -> int:
    from core.billing.payg.bill import Bill, Bills, MonthNotOver
    from core.billing.payg.money import month_span

    async with cli_core(settings) as core:
        bills = Bills(settings, core.clock)
        async with core.db.read() as session:
            users = [args.user] if args.user is not None else \
                await bills.billed_users(session, args.month)
        found: list[Bill] = []
        for user_id in users:
            try:
                if args.close:
                    async with core.db.session() as session:
                        found.append(await bills.close(session, user_id, args.month))
                else:
                    async with core.db.read() as session:
                        found.append(await bills.bill(session, user_id, args.month))
            except MonthNotOver:
                _, end = month_span(args.month)
                why = t.BILL_NOT_OVER.format(month=args.month, next=end.date().isoformat())
                print(f"thottopilot billing: {why}", file=sys.stderr)
                return EXIT_USAGE
    if args.json:
        print(json.dumps([_data(b) for b in found]))
    elif not found:
        print(t.BILL_NONE.format(month=args.month))
    else:
        print("\n\n".join(_text(b) for b in found))
    return 0


def _data(bill: Any) -> dict[str, Any]:
    return {"user_id": bill.user_id, "month": bill.month, "currency": bill.currency,
            "closed": bill.closed,
            "lines": [{"meter": line.meter, "quantity": line.quantity, "rate": str(line.rate),
                       "amount": str(line.amount)} for line in bill.lines],
            "subtotal_minor": bill.subtotal_minor, "credit_minor": bill.credit_minor,
            "total_minor": bill.total_minor}


def _text(bill: Any) -> str:
    from core.billing.payg.money import show

    state = t.BILL_CLOSED if bill.closed else t.BILL_OPEN
    lines = [t.BILL_HEADER.format(who=f"user {bill.user_id}", month=bill.month, state=state)]
    lines += [t.BILL_LINE.format(what=t.METER_LABELS.get(line.meter, line.meter),
                                 quantity=line.quantity, rate=line.rate, amount=line.amount)
              for line in bill.lines]
    lines.append(t.BILL_SUBTOTAL.format(amount=show(bill.subtotal_minor, bill.currency)))
    if bill.credit_minor:
        lines.append(t.BILL_CREDIT.format(amount=show(bill.credit_minor, bill.currency)))
    lines.append(t.BILL_TOTAL.format(amount=show(bill.total_minor, bill.currency)))
    return "\n".join(lines)
