"""Referrals: codes and links, attribution at sign-up, and the reward ledger.

A creator shares `t.me/<bot>?start=ref_<code>` or `<public url>/r/<code>`. Someone new
who signs up through it is attributed to them once (never themselves, never twice,
never someone who already had an account); when that person first pays, by Stripe or
Telegram Stars, the referrer's reward is earned: account credit used on their next
pay-as-you-go bill, or a free month of a paid tier.
"""
