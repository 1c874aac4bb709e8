"""Standing limits and feature flags of a plan (the daily meters live in service.py).

`can_use(plan, "analytics")` is the one check for a flag; `accounts_upgrade` names the
cheapest tier that connects more Reddit accounts than a given one.
"""

from __future__ import annotations

from core.billing.tiers import Plan, Plans

FEATURES = ("analytics",)
REDDIT_ACCOUNTS = "reddit_accounts"


class UnknownFeature(ValueError):
    """A feature name no plan defines (a typo in the caller, not a user's mistake)."""


def can_use(plan: Plan, feature: str) -> bool:
    if feature == "analytics":
        return plan.analytics
    raise UnknownFeature(f"unknown feature {feature!r}; known: {', '.join(FEATURES)}")


def feature_upgrade(plans: Plans, tier: str, feature: str) -> Plan | None:
    """The cheapest tier above `tier` that has `feature`."""
    return next((p for p in plans.all[plans.get(tier).rank + 1:] if can_use(p, feature)),
                None)


def accounts_upgrade(plans: Plans, tier: str) -> Plan | None:
    """The cheapest tier above `tier` that connects more Reddit accounts."""
    limit = plans.get(tier).reddit_accounts
    if limit is None:
        return None
    return next((p for p in plans.all[plans.get(tier).rank + 1:]
                 if p.reddit_accounts is None or p.reddit_accounts > limit), None)
