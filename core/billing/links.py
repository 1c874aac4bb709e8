"""Signed links from a chat to the web companion's payment pages.

A chat button cannot carry a session cookie, so "Pay by card" opens
`/billing/checkout/<token>`: the token names the user and the tier, is signed with the
installation secret for this one purpose, and expires within the hour.
"""

from __future__ import annotations

from datetime import timedelta

from core.signing import Signer

CHECKOUT, PORTAL = "billing-checkout", "billing-portal"
TTL = timedelta(hours=1)


def checkout_link(signer: Signer, base_url: str, user_id: int, tier: str) -> str:
    return f"{base_url}/billing/checkout/{signer.sign(CHECKOUT, f'{user_id}-{tier}', TTL)}"


def portal_link(signer: Signer, base_url: str, user_id: int) -> str:
    return f"{base_url}/billing/portal/{signer.sign(PORTAL, str(user_id), TTL)}"


def open_checkout(signer: Signer, token: str) -> tuple[int, str] | None:
    data = signer.verify(CHECKOUT, token)
    user, _, tier = (data or "").partition("-")
    return (int(user), tier) if user.isdigit() and tier else None


def open_portal(signer: Signer, token: str) -> int | None:
    data = signer.verify(PORTAL, token)
    return int(data) if data and data.isdigit() else None
