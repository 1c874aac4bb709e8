"""Paying and inviting: Stripe checkout, the portal and webhook; referral links."""
