"""Money as exact decimals and integer minor units (cents), never floats."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

# ISO 4217 currencies Stripe charges without a minor unit.
ZERO_DECIMAL = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg",
                          "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"})
MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(ValueError):
    """Not a calendar month written as YYYY-MM."""


def exponent(currency: str) -> int:
    return 0 if currency.lower() in ZERO_DECIMAL else 2


def to_minor(amount: Decimal, currency: str) -> int:
    """`amount` in minor units, rounded half up once (at the end of a sum, not per line)."""
    scaled = amount.scaleb(exponent(currency))
    return int(scaled.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def show(minor: int, currency: str) -> str:
    """4.27 USD (from 427)."""
    places = exponent(currency)
    amount = Decimal(minor).scaleb(-places)
    return f"{amount:.{places}f} {currency.upper()}"


def month_span(month: str) -> tuple[datetime, datetime]:
    """The month's first instant and the next month's, in UTC."""
    found = MONTH.fullmatch(month.strip())
    if found is None or not 1 <= int(found[2]) <= 12 or int(found[1]) < 1970:
        raise BadMonth(f"not a month: {month!r} (write it as YYYY-MM, e.g. 2026-11)")
    year, number = int(found[1]), int(found[2])
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=UTC)
    return start, end


def month_of(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m")
