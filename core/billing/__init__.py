"""Tiers, metered quotas and payments: the one server-side truth of what a creator may do.

Kept import-light (core.settings mounts `core.billing.config`); the Stripe SDK and the
payment providers load only when a payment is made.
"""
