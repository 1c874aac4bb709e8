"""What billing tells a front door when a creator hits a limit."""

from __future__ import annotations

from core.errors import UserFacingError


class QuotaExceeded(UserFacingError):
    """Today's `meter` is used up on `tier`. `upgrade` is the cheapest tier that allows
    more (None: nothing does), `upgrade_limit` what it allows (None: unlimited). The code
    is `<meter>_quota`, e.g. `caption_quota`, so a front door that already explains one
    meter keeps doing so."""

    def __init__(self, meter: str, limit: int, tier: str, upgrade: str | None,
                 upgrade_limit: int | None = None) -> None:
        super().__init__(f"{meter}_quota", meter=meter, limit=limit, tier=tier,
                         upgrade=upgrade, upgrade_limit=upgrade_limit)
        self.meter = meter
        self.limit = limit
        self.tier = tier
        self.upgrade = upgrade


class LimitReached(UserFacingError):
    """A standing limit of `tier` (not a daily one), e.g. how many Reddit accounts it
    connects. Code `<limit>_limit` (`reddit_accounts_limit`); `upgrade` is the cheapest
    tier that allows more (None: nothing does), `upgrade_limit` what it allows (None:
    unlimited)."""

    def __init__(self, limit_name: str, limit: int, tier: str, upgrade: str | None,
                 upgrade_limit: int | None = None) -> None:
        super().__init__(f"{limit_name}_limit", meter=limit_name, limit=limit, tier=tier,
                         upgrade=upgrade, upgrade_limit=upgrade_limit)
        self.limit_name = limit_name
        self.limit = limit
        self.tier = tier
        self.upgrade = upgrade
