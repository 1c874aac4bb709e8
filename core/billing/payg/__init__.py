"""Pay-as-you-go: monthly bills from the usage rows, and Stripe Billing Meter events.

Every metered action is one `usage_records` row, recorded once by its idempotency key
(`BillingService.consume`); rows taken on the `payg` plan are what a month's bill adds
up (`bill.py`) and what the meter reporter sends to Stripe (`meters.py`).
"""
